//! Hashing and Cognito's number-to-bytes rule.
//!
//! Cognito's SRP hashes numbers as the bytes of their *minimal
//! two's-complement* big-endian form: leading zero bytes stripped, then one
//! `00` byte prepended when the top bit of the first byte is set (so the value
//! reads as positive). Ports of this algorithm most often break here.

use super::bignum::Num;
use sha2::{Digest, Sha256};

/// SHA-256 of `data`.
pub(crate) fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

/// The bytes Cognito hashes for a non-negative number: minimal big-endian,
/// with a leading `00` when the top bit is set; zero is `[00]`.
pub fn minimal_be_bytes(n: &Num) -> Vec<u8> {
    let raw = n.to_be_bytes();
    match raw.first() {
        None => vec![0],
        Some(&b) if b & 0x80 != 0 => {
            let mut v = Vec::with_capacity(raw.len() + 1);
            v.push(0);
            v.extend_from_slice(&raw);
            v
        }
        Some(_) => raw,
    }
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
