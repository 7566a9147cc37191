//! The fixed-size representation: 110 limbs of 28 bits, little-endian.
//!
//! wasm32 has a 64-bit multiply but no 64×64→128 one, so limbs are small
//! enough that a 28×28-bit product (56 bits) can be summed 256 times into a
//! `u64` before it could overflow: a Montgomery column of 2·110 products needs
//! no carry handling until the column is done ("lazy carries").
//! 110 × 28 = 3080 bits, so `R = 2^3080 > 4N` and values may stay in
//! `[0, 2N)` between multiplications without a final subtraction.

use crate::N_HEX;

/// Bits per limb.
pub(crate) const BITS: u32 = 28;
/// Number of limbs.
pub(crate) const LIMBS: usize = 110;
/// The low `BITS` bits.
pub(crate) const MASK: u32 = (1 << BITS) - 1;
/// Bytes of a canonical value (`N` is 3072 bits).
pub(crate) const BYTES: usize = 384;
/// Bytes that fill all limbs exactly (3080 bits).
pub(crate) const BLOCK_BYTES: usize = 385;

/// A 3080-bit number as 28-bit limbs, least significant first. Every limb is
/// `< 2^28` ("normalized") outside the arithmetic routines.
pub(crate) type Limbs = [u32; LIMBS];

/// `N`, from the RFC 5054 hex constant, parsed at compile time.
pub(crate) const N: Limbs = limbs_from_hex_chunks(&N_HEX);

/// `2N`, the bound below which values are kept between operations.
pub(crate) const TWO_N: Limbs = double(&N);

/// `R² mod N` with `R = 2^3080`: multiplying by it enters Montgomery form.
/// Computed independently (Python: `pow(2, 6160, N)`); the unit tests check
/// it against num-bigint.
pub(crate) const R2: Limbs = limbs_from_hex_chunks(&[
    "b4fb51df35da58403da4634414775ccb6f41d81c8ff778b681405dee5a73a77a",
    "bfcb06c6509ab77e443f09968bfb26648bb1a7ef1656607da5b5d2a48cdc5b2a",
    "400731ef58b051144fc45f6dcaceb1bd1942713fdb5d049da52796662a32f22b",
    "ab65a36e6730786571a8d15c60adc4399badff44042312294d63be024e534389",
    "9f5c681ebb11f2d8d171b0919b8b106cb713ccb5a3aa1aac51c4045555308157",
    "814a44631c270abfd6f63672ceabfc1abf3f42599afcc7994a05f08bb3992da8",
    "0c25d3e46311226f723337f3f1de2deca0b88d0a794d1a0869e92fb157ecbfe6",
    "fe0b02d8bf036baf96339f1122f0a2e3eb12b8445592c909bb22876946f27b25",
    "8bbfcfa35486975cb108113c6a7d3a6de1b4014094a90b4daf068a6822f12f20",
    "500cc68775dcfe24db46bacf412ccca059b4187d9ace850c196d690ebb0d6548",
    "128ba795fe0098d26a25d77065362a1299f33f10ffba249f5144cc46f0ebbdcb",
    "b14912e793da3ed8976a21191ddf3fd0f4b083e50d2819ffca9138d241cd5ac8",
]);

/// `2^3072 − N` (< 2^3006, since N's top 64 bits are ones): folding the bits
/// above 2^3072 back in is a multiplication by this small constant.
pub(crate) const TOP_FOLD: Limbs = top_fold();

/// `-N⁻¹ mod 2^28`, the Montgomery reduction factor (1 for this `N`, which is
/// ≡ −1 mod 2^64, but computed rather than assumed).
pub(crate) const N0_INV: u32 = neg_inverse_mod_limb(N[0]);

const fn hex_digit(c: u8) -> u32 {
    match c {
        b'0'..=b'9' => (c - b'0') as u32,
        b'a'..=b'f' => (c - b'a' + 10) as u32,
        b'A'..=b'F' => (c - b'A' + 10) as u32,
        _ => panic!("constant is not hex"),
    }
}

/// Compile-time parse of a big-endian hex constant split in chunks.
const fn limbs_from_hex_chunks(chunks: &[&str]) -> Limbs {
    let mut out = [0u32; LIMBS];
    let mut bit = 0u32;
    let mut c = chunks.len();
    while c > 0 {
        c -= 1;
        let s = chunks[c].as_bytes();
        let mut i = s.len();
        while i > 0 {
            i -= 1;
            let d = hex_digit(s[i]);
            let limb = (bit / BITS) as usize;
            let off = bit % BITS;
            out[limb] |= (d << off) & MASK;
            if off + 4 > BITS {
                out[limb + 1] |= d >> (BITS - off);
            }
            bit += 4;
        }
    }
    out
}

const fn double(a: &Limbs) -> Limbs {
    let mut out = [0u32; LIMBS];
    let mut carry = 0u32;
    let mut i = 0;
    while i < LIMBS {
        let t = (a[i] << 1) | carry;
        out[i] = t & MASK;
        carry = t >> BITS;
        i += 1;
    }
    out
}

const fn top_fold() -> Limbs {
    // 2^3072 − N = (2^3072 − 1 − N) + 1 = (!N within 3072 bits) + 1.
    let top = 3072 - BITS * (LIMBS as u32 - 1); // bits used in the last limb
    let mut out = [0u32; LIMBS];
    let mut carry = 1u32;
    let mut i = 0;
    while i < LIMBS {
        let width_mask = if i == LIMBS - 1 { (1 << top) - 1 } else { MASK };
        let t = ((!N[i]) & width_mask) + carry;
        out[i] = t & width_mask;
        carry = t >> BITS;
        i += 1;
    }
    out
}

const fn neg_inverse_mod_limb(n0: u32) -> u32 {
    // Newton's iteration for n0⁻¹ mod 2^32 (n0 odd), then negate and mask.
    let mut inv = n0;
    let mut i = 0;
    while i < 5 {
        inv = inv.wrapping_mul(2u32.wrapping_sub(n0.wrapping_mul(inv)));
        i += 1;
    }
    inv.wrapping_neg() & MASK
}

/// All-ones if `bit == 1`, zero if `bit == 0` (for masked selection).
#[inline(always)]
pub(crate) fn mask_from_bit(bit: u32) -> u32 {
    0u32.wrapping_sub(bit)
}

/// `a − b` into `out`, returning the borrow (0 or 1). Constant time.
#[inline]
pub(crate) fn sub(a: &Limbs, b: &Limbs, out: &mut Limbs) -> u32 {
    let mut borrow = 0u32;
    for i in 0..LIMBS {
        let t = a[i].wrapping_sub(b[i]).wrapping_sub(borrow);
        out[i] = t & MASK;
        borrow = t >> 31;
    }
    borrow
}

/// `a + b` into `out` (no carry out: callers keep sums below 2^3080).
#[inline]
pub(crate) fn add(a: &Limbs, b: &Limbs, out: &mut Limbs) {
    let mut carry = 0u32;
    for i in 0..LIMBS {
        let t = a[i] + b[i] + carry;
        out[i] = t & MASK;
        carry = t >> BITS;
    }
}

/// `a := a − m` if `a ≥ m`, else unchanged; without a branch on `a`.
#[inline]
pub(crate) fn reduce_once(a: &mut Limbs, m: &Limbs) {
    let mut d = [0u32; LIMBS];
    let borrow = sub(a, m, &mut d);
    // borrow = 1: a < m, keep a.
    let keep = mask_from_bit(borrow);
    for i in 0..LIMBS {
        a[i] = (a[i] & keep) | (d[i] & !keep);
    }
}

/// Little-endian limbs of a big-endian byte string: its low 385 bytes
/// (3080 bits; callers split longer input). Constant time in the values; the
/// length is public.
pub(crate) fn from_be_bytes(bytes: &[u8]) -> Limbs {
    let bytes = &bytes[bytes.len().saturating_sub(BLOCK_BYTES)..];
    let mut out = [0u32; LIMBS];
    let mut acc = 0u64;
    let mut acc_bits = 0u32;
    let mut limb = 0usize;
    for &b in bytes.iter().rev() {
        acc |= u64::from(b) << acc_bits;
        acc_bits += 8;
        if acc_bits >= BITS && limb < LIMBS {
            out[limb] = (acc as u32) & MASK;
            acc >>= BITS;
            acc_bits -= BITS;
            limb += 1;
        }
    }
    if limb < LIMBS {
        out[limb] = (acc as u32) & MASK;
    }
    out
}

/// The 384 big-endian bytes of a value `< 2^3072`.
pub(crate) fn to_be_bytes(a: &Limbs) -> [u8; BYTES] {
    let mut out = [0u8; BYTES];
    let mut acc = 0u64;
    let mut acc_bits = 0u32;
    let mut limb = 0usize;
    for byte in out.iter_mut().rev() {
        if acc_bits < 8 && limb < LIMBS {
            acc |= u64::from(a[limb]) << acc_bits;
            acc_bits += BITS;
            limb += 1;
        }
        *byte = acc as u8;
        acc >>= 8;
        acc_bits = acc_bits.saturating_sub(8);
    }
    out
}
