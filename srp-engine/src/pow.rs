//! Fixed-window modular exponentiation with a masked table lookup.
//!
//! The exponent is read `WINDOW` bits at a time over its whole byte length
//! (public), never skipping zero windows, and every window costs the same
//! squarings and one multiplication by a table entry fetched by reading *all*
//! entries and keeping one under a mask. So neither the instruction sequence
//! nor the memory addresses depend on the exponent's bits (the defence
//! against timing and cache attacks of RFC 5054 §3 / "Remote timing attacks
//! are practical", Brumley–Boneh 2003).

use super::limbs::{mask_from_bit, Limbs, BITS, LIMBS, MASK, TOP_FOLD};
use super::montgomery::{mul, sqr};
use alloc::boxed::Box;
use once_cell::race::OnceBox;
use zeroize::Zeroize;

/// Window width in bits: 5 minimises squarings + multiplications for the
/// 256–1032-bit exponents SRP uses (measured against 4 and 6).
pub(crate) const WINDOW: usize = 5;
const TABLE: usize = 1 << WINDOW;

/// Bits `[pos, pos + WINDOW)` of a big-endian exponent (bits past its top
/// read as zero). `pos` is public; the value read is not branched on.
pub(crate) fn window_at(exp: &[u8], pos: usize) -> u32 {
    let mut d = 0u32;
    for k in 0..WINDOW {
        let bit = pos + k;
        let byte_from_end = bit / 8;
        if byte_from_end < exp.len() {
            let byte = exp[exp.len() - 1 - byte_from_end];
            d |= u32::from((byte >> (bit % 8)) & 1) << k;
        }
    }
    d
}

/// `table[index]`, reading every entry (constant time in `index`).
fn select(table: &[Limbs; TABLE], index: u32) -> Limbs {
    let mut out = [0u32; LIMBS];
    for (i, entry) in table.iter().enumerate() {
        // eq = 1 iff i == index, without a comparison branch.
        let diff = (i as u32) ^ index;
        let eq = 1 ^ ((diff | diff.wrapping_neg()) >> 31);
        let m = mask_from_bit(eq);
        for (o, &e) in out.iter_mut().zip(entry.iter()) {
            *o |= e & m;
        }
    }
    out
}

/// `base^exp` in Montgomery form for `base` in Montgomery form (`< 2N`);
/// `one` is `R mod N` (1 in Montgomery form). `exp` is big-endian and
/// `< 2^bits` (the caller knows from the input lengths); windows wholly above
/// `bits` are skipped. `bits`, not the exponent's value, sets the running time.
pub(crate) fn pow(base: &Limbs, exp: &[u8], bits: usize, one: &Limbs) -> Limbs {
    let mut table = [[0u32; LIMBS]; TABLE];
    table[0] = *one;
    table[1] = *base;
    for i in 2..TABLE {
        table[i] = mul(&table[i - 1], base);
    }
    let windows = bits.min(exp.len() * 8).div_ceil(WINDOW);
    let mut acc = *one;
    for w in (0..windows).rev() {
        // Squaring 1 is a no-op: skip it for the top window (`w` is public).
        if w + 1 < windows {
            for _ in 0..WINDOW {
                acc = sqr(&acc);
            }
        }
        let mut entry = select(&table, window_at(exp, w * WINDOW));
        acc = mul(&acc, &entry);
        entry.zeroize();
    }
    table.zeroize();
    acc
}

/// `2^exp` in Montgomery form: [`pow`] for the generator `g = 2`, where the
/// multiplication by a table entry `2^d` becomes a shift by `d` bits and a
/// fold of the bits above 2^3072 (`2^3072 ≡ TOP_FOLD mod N`); no table.
pub(crate) fn pow2(exp: &[u8], one: &Limbs) -> Limbs {
    let windows = (exp.len() * 8).div_ceil(WINDOW);
    let mut acc = *one;
    for w in (0..windows).rev() {
        // Squaring 1 is a no-op: skip it for the top window (`w` is public).
        if w + 1 < windows {
            for _ in 0..WINDOW {
                acc = sqr(&acc);
            }
        }
        acc = mul_pow2(&acc, window_at(exp, w * WINDOW));
    }
    acc
}

/// `a·2^d`, reduced to `< 2N`, for `a < 2N` and `d < 32`. Shifts by a
/// secret amount are single constant-time instructions on the targets we
/// run on (wasm `i64.shl`, x86 `shl`, AArch64 `lsl`).
fn mul_pow2(a: &Limbs, d: u32) -> Limbs {
    // a·2^d < 2^(3073+31) fits 111 limbs.
    let mut wide = [0u32; LIMBS + 1];
    let mut carry = 0u64;
    for (w, &x) in wide.iter_mut().zip(a.iter()) {
        let t = (u64::from(x) << d) | carry;
        *w = (t as u32) & MASK;
        carry = t >> BITS;
    }
    wide[LIMBS] = carry as u32;
    // Split at bit 3072 = limb 109, bit 20.
    let top_bits = 3072 - BITS * (LIMBS as u32 - 1);
    let hi = u64::from(wide[LIMBS - 1] >> top_bits) | (u64::from(wide[LIMBS]) << (BITS - top_bits));
    wide[LIMBS - 1] &= (1 << top_bits) - 1;
    // lo + hi·(2^3072 − N) < 2^3072 + 2^32·2^3006 < 2N.
    let mut out = [0u32; LIMBS];
    let mut carry = 0u64;
    for ((o, &w), &f) in out.iter_mut().zip(wide.iter()).zip(TOP_FOLD.iter()) {
        let t = u64::from(w) + hi * u64::from(f) + carry;
        *o = (t as u32) & MASK;
        carry = t >> BITS;
    }
    out
}

/// Teeth of the fixed-base comb for `g^x` with a 256-bit `x`.
const COMB_TEETH: usize = 5;
/// Comb columns: `x` is read as 5 rows of 52 bits.
const COMB_COLS: usize = 256usize.div_ceil(COMB_TEETH);

/// The comb table for `g = 2` (Lim–Lee 1994, "More flexible exponentiation
/// with precomputation"): entry `v` is `Π_{j ∈ bits(v)} g^(2^(52·j))` in
/// Montgomery form. Public values (powers of `g`), built once per process,
/// 32 × 440 bytes.
fn comb_table(one: &Limbs) -> &'static [Limbs; 1 << COMB_TEETH] {
    static TABLE: OnceBox<[Limbs; 1 << COMB_TEETH]> = OnceBox::new();
    TABLE.get_or_init(|| {
        let mut rows = [[0u32; LIMBS]; COMB_TEETH];
        rows[0] = mul_pow2(one, 1); // g
        for j in 1..COMB_TEETH {
            let mut r = rows[j - 1];
            for _ in 0..COMB_COLS {
                r = sqr(&r);
            }
            rows[j] = r;
        }
        let mut table = Box::new([[0u32; LIMBS]; 1 << COMB_TEETH]);
        table[0] = *one;
        for v in 1..(1usize << COMB_TEETH) {
            let low = v.trailing_zeros() as usize;
            table[v] = if v == 1 << low {
                rows[low]
            } else {
                mul(&table[v & (v - 1)], &rows[low])
            };
        }
        table
    })
}

/// Builds the comb table now (it is otherwise built on first use), so that
/// work can happen before a challenge arrives.
pub(crate) fn prepare_comb(one: &Limbs) {
    comb_table(one);
}

/// `2^exp` in Montgomery form for an exponent of at most 256 bits (`x`):
/// 52 squarings and 52 multiplications by a masked comb-table lookup,
/// against 260 squarings for [`pow2`]. Constant time like [`pow`].
pub(crate) fn pow2_comb(exp: &[u8; 32], one: &Limbs) -> Limbs {
    let table = comb_table(one);
    let mut acc = *one;
    for col in (0..COMB_COLS).rev() {
        if col + 1 < COMB_COLS {
            acc = sqr(&acc);
        }
        let mut digit = 0u32;
        for row in 0..COMB_TEETH {
            let bit = row * COMB_COLS + col;
            if bit < 256 {
                // Public position; the bit's value is only shifted and or-ed.
                let byte = exp[31 - bit / 8];
                digit |= u32::from((byte >> (bit % 8)) & 1) << row;
            }
        }
        let mut entry = select(table, digit);
        acc = mul(&acc, &entry);
        entry.zeroize();
    }
    acc
}
