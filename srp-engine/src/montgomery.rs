//! Montgomery multiplication modulo `N` (Montgomery 1985; product scanning
//! with the reduction interleaved per column, Koç–Acar–Kaliski 1996 "FIPS").
//!
//! Inputs are `< 2N`, outputs are `< 2N` (since `R > 4N`), so no conditional
//! final subtraction happens between operations: the code runs the same
//! instructions and touches the same memory whatever the values.
//!
//! Each column is a dot product of two contiguous slices: the second operand
//! and `N` are read through reversed copies, so `a[j]·b[i−j]` walks both
//! arrays forwards (what SIMD and auto-vectorisation need).

use super::limbs::{Limbs, BITS, LIMBS, MASK, N, N0_INV};

/// `N` with its limbs in reverse order.
const N_REV: Limbs = reversed(&N);

const fn reversed(a: &Limbs) -> Limbs {
    let mut out = [0u32; LIMBS];
    let mut i = 0;
    while i < LIMBS {
        out[i] = a[LIMBS - 1 - i];
        i += 1;
    }
    out
}

/// `Σ x[k]·y[k]` over equal-length slices of 28-bit limbs. Callers sum at
/// most 2·110 such products per column, which stays below 2^64.
#[inline(always)]
fn dot(x: &[u32], y: &[u32]) -> u64 {
    dot_impl(x, y)
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
#[inline(always)]
fn dot_impl(x: &[u32], y: &[u32]) -> u64 {
    let mut acc = 0u64;
    for (&a, &b) in x.iter().zip(y) {
        acc += u64::from(a) * u64::from(b);
    }
    acc
}

/// wasm `simd128`: four 32×32→64 products per two `i64x2.extmul` instructions.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
fn dot_impl(x: &[u32], y: &[u32]) -> u64 {
    use core::arch::wasm32::{
        i64x2_add, i64x2_extract_lane, u64x2_extmul_high_u32x4, u64x2_extmul_low_u32x4,
        u64x2_splat, v128,
    };
    let len = x.len().min(y.len());
    let (x, y) = (&x[..len], &y[..len]);
    let mut acc = u64x2_splat(0);
    let mut xc = x.chunks_exact(4);
    let mut yc = y.chunks_exact(4);
    for (xs, ys) in (&mut xc).zip(&mut yc) {
        // SAFETY: each chunk is exactly 16 readable bytes; the reads are
        // unaligned on purpose (wasm loads have no alignment requirement).
        let (xv, yv) = unsafe {
            (
                core::ptr::read_unaligned(xs.as_ptr().cast::<v128>()),
                core::ptr::read_unaligned(ys.as_ptr().cast::<v128>()),
            )
        };
        acc = i64x2_add(acc, u64x2_extmul_low_u32x4(xv, yv));
        acc = i64x2_add(acc, u64x2_extmul_high_u32x4(xv, yv));
    }
    let mut sum = (i64x2_extract_lane::<0>(acc) as u64) + (i64x2_extract_lane::<1>(acc) as u64);
    for (&a, &b) in xc.remainder().iter().zip(yc.remainder()) {
        sum += u64::from(a) * u64::from(b);
    }
    sum
}

/// `Σ x1[k]·y1[k] + x2[k]·y2[k]`: two dot products of the same length in
/// one pass (one loop, one horizontal sum).
#[inline(always)]
fn dot2(x1: &[u32], y1: &[u32], x2: &[u32], y2: &[u32]) -> u64 {
    dot2_impl(x1, y1, x2, y2)
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
#[inline(always)]
fn dot2_impl(x1: &[u32], y1: &[u32], x2: &[u32], y2: &[u32]) -> u64 {
    dot_impl(x1, y1) + dot_impl(x2, y2)
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
fn dot2_impl(x1: &[u32], y1: &[u32], x2: &[u32], y2: &[u32]) -> u64 {
    use core::arch::wasm32::{
        i64x2_add, i64x2_extract_lane, u64x2_extmul_high_u32x4, u64x2_extmul_low_u32x4,
        u64x2_splat, v128,
    };
    let len = x1.len().min(y1.len()).min(x2.len()).min(y2.len());
    let (x1, y1, x2, y2) = (&x1[..len], &y1[..len], &x2[..len], &y2[..len]);
    let mut acc = u64x2_splat(0);
    let chunks = len / 4;
    for c in 0..chunks {
        let at = 4 * c;
        // SAFETY: `at + 4 <= len` for every slice; unaligned reads on
        // purpose (wasm loads have no alignment requirement).
        let (a, b, m, n) = unsafe {
            (
                core::ptr::read_unaligned(x1[at..at + 4].as_ptr().cast::<v128>()),
                core::ptr::read_unaligned(y1[at..at + 4].as_ptr().cast::<v128>()),
                core::ptr::read_unaligned(x2[at..at + 4].as_ptr().cast::<v128>()),
                core::ptr::read_unaligned(y2[at..at + 4].as_ptr().cast::<v128>()),
            )
        };
        acc = i64x2_add(acc, u64x2_extmul_low_u32x4(a, b));
        acc = i64x2_add(acc, u64x2_extmul_high_u32x4(a, b));
        acc = i64x2_add(acc, u64x2_extmul_low_u32x4(m, n));
        acc = i64x2_add(acc, u64x2_extmul_high_u32x4(m, n));
    }
    let mut sum = (i64x2_extract_lane::<0>(acc) as u64) + (i64x2_extract_lane::<1>(acc) as u64);
    for k in 4 * chunks..len {
        sum += u64::from(x1[k]) * u64::from(y1[k]) + u64::from(x2[k]) * u64::from(y2[k]);
    }
    sum
}

/// `a·b·R⁻¹ mod N`, as a value `< 2N`, for `a, b < 2N`.
#[inline(never)]
pub(crate) fn mul(a: &Limbs, b: &Limbs) -> Limbs {
    let b_rev = reversed(b);
    let mut m = [0u32; LIMBS];
    let mut out = [0u32; LIMBS];
    let mut acc: u64 = 0;
    for i in 0..LIMBS {
        // Σ_{j≤i} a[j]·b[i−j] + Σ_{j<i} m[j]·N[i−j], then m[i] zeroes the
        // low limb: b[i−j] = b_rev[L−1−i+j].
        let start = LIMBS - 1 - i;
        // m[i] is still 0 here, so m[..=i] adds nothing for j = i and both
        // dot products have the same length.
        acc += dot2(&a[..=i], &b_rev[start..], &m[..=i], &N_REV[start..]);
        let mi = (acc as u32).wrapping_mul(N0_INV) & MASK;
        m[i] = mi;
        acc += u64::from(mi) * u64::from(N[0]);
        // The low BITS bits are now zero by construction of mi.
        acc >>= BITS;
    }
    for i in LIMBS..2 * LIMBS {
        let lo = i - LIMBS + 1;
        acc += dot2(
            &a[lo..],
            &b_rev[..LIMBS - lo],
            &m[lo..],
            &N_REV[..LIMBS - lo],
        );
        out[i - LIMBS] = (acc as u32) & MASK;
        acc >>= BITS;
    }
    out
}

/// `a²·R⁻¹ mod N`, as a value `< 2N`, for `a < 2N`: [`mul`] with each cross
/// product computed once and doubled.
#[inline(never)]
pub(crate) fn sqr(a: &Limbs) -> Limbs {
    let a_rev = reversed(a);
    let mut m = [0u32; LIMBS];
    let mut out = [0u32; LIMBS];
    let mut acc: u64 = 0;
    for i in 0..LIMBS {
        let start = LIMBS - 1 - i;
        acc += square_column(a, &a_rev, 0, i);
        acc += dot(&m[..i], &N_REV[start..LIMBS - 1]);
        let mi = (acc as u32).wrapping_mul(N0_INV) & MASK;
        m[i] = mi;
        acc += u64::from(mi) * u64::from(N[0]);
        acc >>= BITS;
    }
    for i in LIMBS..2 * LIMBS {
        let lo = i - LIMBS + 1;
        acc += square_column(a, &a_rev, lo, i);
        acc += dot(&m[lo..], &N_REV[..LIMBS - lo]);
        out[i - LIMBS] = (acc as u32) & MASK;
        acc >>= BITS;
    }
    out
}

/// Column `i` of `a²` restricted to `a[lo..]`: `2·Σ a[j]·a[i−j]` over
/// `lo ≤ j < i−j`, plus `a[i/2]²` when `i` is even.
#[inline(always)]
fn square_column(a: &Limbs, a_rev: &Limbs, lo: usize, i: usize) -> u64 {
    // Pairs (j, i−j) with lo ≤ j < i−j ≤ i−lo; a[i−j] = a_rev[L−1−i+j].
    let count = (i + 1 - 2 * lo) / 2;
    let start = LIMBS - 1 + lo - i;
    let mut sum = dot(&a[lo..lo + count], &a_rev[start..start + count]) << 1;
    if i % 2 == 0 {
        // The branch depends on the column index only, which is public.
        let d = u64::from(a[i / 2]);
        sum += d * d;
    }
    sum
}

/// Leaves Montgomery form: `a·R⁻¹ mod N` for `a < 2N`, fully reduced (`< N`).
pub(crate) fn from_montgomery(a: &Limbs) -> Limbs {
    let mut one = [0u32; LIMBS];
    one[0] = 1;
    // (a + mN)/R < 2N/R + N, so ≤ N: one conditional subtraction suffices.
    let mut r = mul(a, &one);
    super::limbs::reduce_once(&mut r, &N);
    r
}
