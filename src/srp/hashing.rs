//! Hashing and Cognito's number-to-bytes rule.
//!
//! Cognito's SRP hashes numbers as the bytes of their *minimal
//! two's-complement* big-endian form: leading zero bytes stripped, then one
//! `00` byte prepended when the top bit of the first byte is set (so the value
//! reads as positive). Ports of this algorithm most often break here.

use crate::prelude::*;

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

/// The bytes hashed for the `SALT` challenge parameter, a hex number that may
/// carry a minus sign: Cognito has been seen to send negative salts (e.g. for
/// an unverified alias), and amazon-cognito-identity-js parses SALT as a
/// signed number and hashes its minimal two's-complement form (`padHex`). So:
/// [`pad_be`] of a non-negative salt; for a negative one, its two's complement
/// with as few bytes as keep the sign (`-0x3a` → `c6`, `-0x9f` → `ff61`).
/// `None` if `salt_hex` is not an optionally signed hex number.
pub fn salt_hash_bytes(salt_hex: &str) -> Option<Vec<u8>> {
    let (negative, digits) = match salt_hex.strip_prefix('-') {
        Some(digits) => (true, digits),
        None => (false, salt_hex),
    };
    let magnitude = Num::from_hex(digits)?.to_be_bytes();
    if !negative || magnitude.is_empty() {
        return Some(pad_be(&magnitude));
    }
    // 2^(8·len) − m over the magnitude's own length: invert, add one.
    let mut twos: Vec<u8> = magnitude.iter().map(|b| !b).collect();
    for byte in twos.iter_mut().rev() {
        let (sum, carry) = byte.overflowing_add(1);
        *byte = sum;
        if !carry {
            break;
        }
    }
    // A clear top bit would read as positive: one 0xff sign byte restores it.
    // (m ≥ 2^(8·len−8), so the result never has a redundant 0xff to drop.)
    if twos.first().is_some_and(|&b| b & 0x80 == 0) {
        twos.insert(0, 0xff);
    }
    Some(twos)
}

/// Cognito's private key `x = H(PAD(salt) | H(realm | user_id | ":" | password))`,
/// as big-endian bytes. `realm` is the pool name or the device group key.
pub fn x_hash(realm: &str, user_id: &str, password: &str, salt: &[u8]) -> Zeroizing<[u8; 32]> {
    x_hash_encoded_salt(realm, user_id, password, &pad_be(salt))
}

/// [`x_hash`] for a salt already in the form that is hashed (see
/// [`salt_hash_bytes`]), so that a negative `SALT` is hashed as the official
/// clients hash it.
pub fn x_hash_encoded_salt(
    realm: &str,
    user_id: &str,
    password: &str,
    encoded_salt: &[u8],
) -> Zeroizing<[u8; 32]> {
    let mut identity = Zeroizing::new(Vec::with_capacity(
        realm.len() + user_id.len() + password.len() + 1,
    ));
    identity.extend_from_slice(realm.as_bytes());
    identity.extend_from_slice(user_id.as_bytes());
    identity.push(b':');
    identity.extend_from_slice(password.as_bytes());
    let inner = Zeroizing::new(sha256(&identity));
    let mut buf = Zeroizing::new(encoded_salt.to_vec());
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

    fn salt(s: &str) -> String {
        to_hex(&salt_hash_bytes(s).unwrap())
    }

    #[test]
    fn salt_encoding_matches_pad_hex() {
        // Expected values are amazon-cognito-identity-js's
        // `padHex(new BigInteger(s, 16))` for each input.
        for (input, expected) in [
            ("3a", "3a"),
            ("9f", "009f"),
            ("00ff", "00ff"),
            ("-3a", "c6"),
            ("-9f", "ff61"),
            ("-80", "80"),
            ("-8000", "8000"),
            ("-abc", "f544"),
            ("-1", "ff"),
            ("-ff", "ff01"),
            ("-00ff", "ff01"),
            ("-7f", "81"),
            ("-0", "00"),
        ] {
            assert_eq!(salt(input), expected, "SALT {input}");
        }
        for bad in ["", "-", "--1", "1-", "+1", "0x1", "g"] {
            assert_eq!(salt_hash_bytes(bad), None, "SALT {bad:?}");
        }
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
