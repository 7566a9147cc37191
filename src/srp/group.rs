//! The SRP group Cognito uses: RFC 5054 Appendix A, 3072-bit group, `g = 2`,
//! and the SRP-6a multiplier `k = H(PAD(N) | PAD(g))` with Cognito's padding.

use super::bignum::Num;
use super::hashing::{minimal_be_bytes, sha256};
use crate::prelude::*;
use once_cell::race::OnceBox;

/// RFC 5054 Appendix A, the 3072-bit prime (also RFC 3526 group 15):
/// the engine's constant.
pub(crate) use cognito_srp_engine::N_HEX;

struct Group {
    n: Num,
    g: Num,
    k: Num,
}

fn group() -> &'static Group {
    static GROUP: OnceBox<Group> = OnceBox::new();
    GROUP.get_or_init(|| {
        let n = Num::from_hex(&N_HEX.concat()).expect("N_HEX is a valid hex constant");
        let g = Num::from_u32(2);
        let mut input = minimal_be_bytes(&n);
        input.extend_from_slice(&minimal_be_bytes(&g));
        let k = Num::from_be_bytes(&sha256(&input));
        Box::new(Group { n, g, k })
    })
}

/// The group's prime modulus `N` (RFC 5054 Appendix A, 3072 bits).
pub fn modulus() -> &'static Num {
    &group().n
}

/// `N` as big-endian bytes (384 bytes), engine-independent.
pub fn modulus_be_bytes() -> Vec<u8> {
    modulus().to_be_bytes()
}

/// `k` as big-endian bytes, engine-independent.
pub fn k_be_bytes() -> Vec<u8> {
    k_multiplier().to_be_bytes()
}

/// The generator `g = 2`.
pub fn generator() -> &'static Num {
    &group().g
}

/// SRP-6a's multiplier `k = H(PAD(N) | PAD(g))` (RFC 5054 §2.5.3, with
/// Cognito's padding rule, see [`super::minimal_be_bytes`]).
pub fn k_multiplier() -> &'static Num {
    &group().k
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modulus_is_3072_bits_and_odd() {
        let bytes = modulus().to_be_bytes();
        assert_eq!(bytes.len(), 384);
        assert_eq!(bytes[0], 0xff);
        assert_eq!(bytes[383] & 1, 1);
    }
}
