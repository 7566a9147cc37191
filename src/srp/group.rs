//! The SRP group Cognito uses: RFC 5054 Appendix A, 3072-bit group, `g = 2`,
//! and the SRP-6a multiplier `k = H(PAD(N) | PAD(g))` with Cognito's padding.

use super::bignum::Num;
use super::hashing::{minimal_be_bytes, sha256};
use std::sync::OnceLock;

/// RFC 5054 Appendix A, the 3072-bit prime (also RFC 3526 group 15).
pub(crate) const N_HEX: [&str; 12] = [
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

struct Group {
    n: Num,
    g: Num,
    k: Num,
}

fn group() -> &'static Group {
    static GROUP: OnceLock<Group> = OnceLock::new();
    GROUP.get_or_init(|| {
        let n = Num::from_hex(&N_HEX.concat()).expect("N_HEX is a valid hex constant");
        let g = Num::from_u32(2);
        let mut input = minimal_be_bytes(&n);
        input.extend_from_slice(&minimal_be_bytes(&g));
        let k = Num::from_be_bytes(&sha256(&input));
        Group { n, g, k }
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
