//! The big-number engine for Cognito's SRP (the `cognito-wasm` SDK's
//! `srp` module): arithmetic modulo the one 3072-bit prime Cognito uses
//! (RFC 5054 Appendix A), fixed-size and constant-time.
//!
//! Values are kept in Montgomery form (Montgomery 1985, "Modular
//! multiplication without trial division") in 28-bit limbs sized for wasm32,
//! see [`limbs`]. No branch and no memory access depends on a secret value
//! (exponents, `x`, `S`, intermediate products); running time depends only on
//! the byte lengths of the inputs, which are public.
//!
//! A crate of its own so that it can be optimised for speed (opt-level 3)
//! while the rest of the SDK's wasm is optimised for size (see the
//! workspace's `[profile.wasm]`).

// The wasm build is `no_std`, as the SDK's (its src/lib.rs says why).
#![cfg_attr(all(target_arch = "wasm32", target_os = "unknown", not(test)), no_std)]

/// RFC 5054 Appendix A, the 3072-bit prime (also RFC 3526 group 15), in
/// 64-digit chunks.
pub const N_HEX: [&str; 12] = [
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74",
    "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437",
    "4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05",
    "98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB",
    "9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B",
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF695581718",
    "3995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33",
    "A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7",
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864",
    "D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E2",
    "08E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
];

extern crate alloc;

mod limbs;
mod montgomery;
mod pow;

#[cfg(test)]
mod tests;

use alloc::vec;
use alloc::vec::Vec;
use limbs::{Limbs, BLOCK_BYTES, BYTES, LIMBS, R2, TWO_N};
use zeroize::{Zeroize, Zeroizing};

/// A residue modulo `N` in Montgomery form (a value `< 2N` congruent to
/// `v·R`). Zeroed on drop: it often holds secrets.
#[derive(Clone)]
pub struct Residue(Limbs);

impl Drop for Residue {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl core::fmt::Debug for Residue {
    // Residues are often secret (`g^x`, `S`): never print them.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Residue(..)")
    }
}

/// `1` in Montgomery form (`R mod N`, possibly + N).
fn one() -> Limbs {
    let mut o = [0u32; LIMBS];
    o[0] = 1;
    montgomery::mul(&o, &R2)
}

impl Residue {
    /// The residue of a big-endian number of any length (values `≥ N`
    /// reduced). Constant time in the value; the length is public.
    pub fn from_be_bytes(bytes: &[u8]) -> Residue {
        // Horner's rule over 3080-bit blocks, most significant first:
        // v = Σ X_i·R^i, and in Montgomery form v·R = mul(acc, R²) + mul(X_i, R²).
        let first = match bytes.len() % BLOCK_BYTES {
            0 => BLOCK_BYTES.min(bytes.len()),
            r => r,
        };
        let (top, rest) = bytes.split_at(first);
        let mut block = Zeroizing::new(limbs::from_be_bytes(top));
        let mut acc = montgomery::mul(&block, &R2);
        for chunk in rest.chunks(BLOCK_BYTES) {
            *block = limbs::from_be_bytes(chunk);
            let shifted = montgomery::mul(&acc, &R2);
            let mut low = montgomery::mul(&block, &R2);
            limbs::add(&shifted, &low, &mut acc);
            limbs::reduce_once(&mut acc, &TWO_N);
            low.zeroize();
        }
        Residue(acc)
    }

    /// The canonical value (`< N`) as 384 big-endian bytes.
    pub fn to_be_bytes(&self) -> Zeroizing<[u8; BYTES]> {
        let mut canonical = montgomery::from_montgomery(&self.0);
        let bytes = Zeroizing::new(limbs::to_be_bytes(&canonical));
        canonical.zeroize();
        bytes
    }

    /// Whether the residue is 0 mod N. Constant time.
    pub fn is_zero(&self) -> bool {
        let canonical = Zeroizing::new(montgomery::from_montgomery(&self.0));
        canonical.iter().fold(0u32, |acc, &l| acc | l) == 0
    }

    /// `self · other mod N`.
    pub fn mul(&self, other: &Residue) -> Residue {
        Residue(montgomery::mul(&self.0, &other.0))
    }

    /// `(self − other) mod N`, the non-negative representative even when
    /// `self < other` (as RFC 5054 §2.6's `(B − k·v) mod N` needs).
    pub fn sub(&self, other: &Residue) -> Residue {
        // self + 2N − other ∈ (0, 4N), then back below 2N.
        let mut sum = [0u32; LIMBS];
        limbs::add(&self.0, &TWO_N, &mut sum);
        let mut out = [0u32; LIMBS];
        limbs::sub(&sum, &other.0, &mut out);
        limbs::reduce_once(&mut out, &TWO_N);
        sum.zeroize();
        Residue(out)
    }

    /// `self^exp mod N` for a big-endian exponent (not reduced: any length).
    #[cfg(test)]
    pub(crate) fn pow(&self, exp: &[u8]) -> Residue {
        self.pow_bits(exp, exp.len() * 8)
    }

    /// [`Residue::pow`] for an exponent the caller knows is `< 2^bits`: the
    /// bits above are skipped (in whole windows), and the time depends on
    /// `bits` only.
    pub fn pow_bits(&self, exp: &[u8], bits: usize) -> Residue {
        Residue(pow::pow(&self.0, exp, bits, &one()))
    }

    /// `g^exp mod N` for the group's generator `g = 2`.
    pub fn pow_g(exp: &[u8]) -> Residue {
        Residue(pow::pow2(exp, &one()))
    }

    /// `g^x mod N` for a 256-bit exponent (SRP's `x`), through a fixed-base
    /// comb table built once per process.
    pub fn pow_g_256(x: &[u8; 32]) -> Residue {
        Residue(pow::pow2_comb(x, &one()))
    }
}

/// Builds the fixed-base table [`Residue::pow_g_256`] uses, if not built yet:
/// lets a client do that work before the challenge arrives.
pub fn prepare_fixed_base() {
    pow::prepare_comb(&one());
}

/// `a + u·x` as a plain (non-modular) big-endian integer, the exponent of
/// `S = (B − k·g^x)^(a + u·x)` (RFC 5054 §2.6), and a bound on its bit length
/// from the input lengths alone. Constant time in the values.
pub fn add_mul(a: &[u8], u: &[u8], x: &[u8]) -> (Zeroizing<Vec<u8>>, usize) {
    let words = |b: &[u8]| -> Zeroizing<Vec<u32>> {
        let mut w = Zeroizing::new(vec![0u32; b.len().div_ceil(4)]);
        for (i, &byte) in b.iter().rev().enumerate() {
            w[i / 4] |= u32::from(byte) << (8 * (i % 4));
        }
        w
    };
    let (aw, uw, xw) = (words(a), words(u), words(x));
    let len = aw.len().max(uw.len() + xw.len()) + 1;
    let mut acc = Zeroizing::new(vec![0u32; len]);
    acc[..aw.len()].copy_from_slice(&aw);
    for (i, &ui) in uw.iter().enumerate() {
        let mut carry = 0u64;
        for (j, &xj) in xw.iter().enumerate() {
            let t = u64::from(acc[i + j]) + u64::from(ui) * u64::from(xj) + carry;
            acc[i + j] = t as u32;
            carry = t >> 32;
        }
        // Propagate through the rest at a fixed length (no early exit).
        for slot in acc[i + xw.len()..].iter_mut() {
            let t = u64::from(*slot) + carry;
            *slot = t as u32;
            carry = t >> 32;
        }
    }
    let mut out = Zeroizing::new(vec![0u8; len * 4]);
    for (i, &w) in acc.iter().enumerate() {
        let at = out.len() - 4 * (i + 1);
        out[at..at + 4].copy_from_slice(&w.to_be_bytes());
    }
    // a < 2^(8|a|), u·x < 2^(8(|u|+|x|)): the sum has at most one bit more.
    let bits = 8 * a.len().max(u.len() + x.len()) + 1;
    (out, bits)
}
