//! Hashing and Cognito's number-to-bytes rule.
//!
//! Cognito's SRP hashes numbers as the bytes of their *minimal
//! two's-complement* big-endian form: leading zero bytes stripped, then one
//! `00` byte prepended when the top bit of the first byte is set (so the value
//! reads as positive). Ports of this algorithm most often break here.

use super::bignum::Num;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

/// SHA-256 of `data`.
pub(crate) fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

/// The bytes Cognito hashes for a non-negative number: minimal big-endian,
/// with a leading `00` when the top bit is set; zero is `[00]`.
pub fn minimal_be_bytes(n: &Num) -> Vec<u8> {
    pad_be(&n.to_be_bytes())
}

/// [`minimal_be_bytes`] for a number given as big-endian bytes (leading zero
/// bytes allowed): the engine-independent form, also used by the emulator.
pub fn pad_be(bytes: &[u8]) -> Vec<u8> {
    let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    let raw = &bytes[start..];
    let mut v = Vec::with_capacity(raw.len() + 1);
    if raw.first().is_none_or(|&b| b & 0x80 != 0) {
        v.push(0);
    }
    v.extend_from_slice(raw);
    v
}

/// SRP's `u = H(PAD(A) | PAD(B))`, as big-endian bytes (A and B big-endian).
pub fn u_hash(a_pub: &[u8], b_pub: &[u8]) -> [u8; 32] {
    let mut buf = pad_be(a_pub);
    buf.extend_from_slice(&pad_be(b_pub));
    sha256(&buf)
}

/// Cognito's private key `x = H(PAD(salt) | H(realm | user_id | ":" | password))`,
/// as big-endian bytes. `realm` is the pool name or the device group key.
pub fn x_hash(realm: &str, user_id: &str, password: &str, salt: &[u8]) -> Zeroizing<[u8; 32]> {
    let mut identity = Zeroizing::new(Vec::with_capacity(
        realm.len() + user_id.len() + password.len() + 1,
    ));
    identity.extend_from_slice(realm.as_bytes());
    identity.extend_from_slice(user_id.as_bytes());
    identity.push(b':');
    identity.extend_from_slice(password.as_bytes());
    let inner = Zeroizing::new(sha256(&identity));
    let mut buf = Zeroizing::new(pad_be(salt));
    buf.extend_from_slice(&inner[..]);
    Zeroizing::new(sha256(&buf))
}

/// The 16-byte session key from the shared secret `S` and `u` (both
/// big-endian): `HKDF-SHA256(ikm = PAD(S), salt = PAD(u), info = "Caldera
/// Derived Key", L = 16)` (RFC 5869).
pub fn session_key(s: &[u8], u: &[u8]) -> Zeroizing<[u8; 16]> {
    let ikm = Zeroizing::new(pad_be(s));
    let mut okm = Zeroizing::new([0u8; 16]);
    hkdf::Hkdf::<Sha256>::new(Some(&pad_be(u)), &ikm)
        .expand(b"Caldera Derived Key", &mut okm[..])
        .expect("16 bytes is a valid HKDF-SHA256 output length");
    okm
}

/// [`minimal_be_bytes`] as lowercase hex (what Cognito's clients call
/// `padHex`); used where Cognito expects a hex string, e.g. device salts.
pub fn padded_hex(n: &Num) -> String {
    to_hex(&minimal_be_bytes(n))
}

/// Lowercase hex of bytes.
pub(crate) fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> String {
        padded_hex(&Num::from_hex(s).unwrap())
    }

    #[test]
    fn padding_rule() {
        assert_eq!(hex("0"), "00");
        assert_eq!(hex("14"), "14");
        assert_eq!(hex("7f"), "7f");
        assert_eq!(hex("80"), "0080");
        assert_eq!(hex("abc"), "0abc");
        assert_eq!(hex("000000ff"), "00ff");
        assert_eq!(hex("0001"), "01");
    }
}
