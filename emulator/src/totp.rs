//! Time-based one-time passwords (RFC 6238 over RFC 4226 HOTP, HMAC-SHA1,
//! 30-second steps, 6 digits), as Cognito's `SOFTWARE_TOKEN_MFA` uses with
//! authenticator apps; secrets are base32 (RFC 4648 §6) like
//! `AssociateSoftwareToken`'s `SecretCode`.

use hmac::{Hmac, Mac};
use sha1::Sha1;

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// A new random secret (160 bits), base32 without padding (32 characters).
pub fn new_secret() -> String {
    base32_encode(&crate::util::random_bytes(20))
}

/// RFC 4648 base32 without padding.
pub fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    let (mut buf, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buf = (buf << 8) | b as u32;
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((buf >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buf << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// Decodes RFC 4648 base32 (case-insensitive, padding and spaces ignored).
pub fn base32_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buf, mut bits) = (0u32, 0u32);
    for c in s.bytes().filter(|c| *c != b'=' && *c != b' ') {
        let v = ALPHABET.iter().position(|a| *a == c.to_ascii_uppercase())? as u32;
        buf = ((buf << 5) | v) & 0xffff;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
        }
    }
    Some(out)
}

/// The 6-digit code for `secret` at time step `counter` (RFC 4226 §5.3).
pub fn hotp(key: &[u8], counter: u64) -> Option<String> {
    let mut mac = Hmac::<Sha1>::new_from_slice(key).ok()?;
    mac.update(&counter.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let off = (h[19] & 0x0f) as usize;
    let bin = (u32::from(h[off] & 0x7f) << 24)
        | (u32::from(h[off + 1]) << 16)
        | (u32::from(h[off + 2]) << 8)
        | u32::from(h[off + 3]);
    Some(format!("{:06}", bin % 1_000_000))
}

/// Checks `code` against `secret` at `unix` time, allowing one step of
/// clock drift either way (RFC 6238 §5.2).
pub fn verify(secret_b32: &str, code: &str, unix: i64) -> bool {
    let Some(key) = base32_decode(secret_b32) else {
        return false;
    };
    if code.len() != 6 || unix < 30 {
        return false;
    }
    let step = (unix / 30) as u64;
    [step - 1, step, step + 1].iter().any(|s| {
        hotp(&key, *s)
            .map(|c| crate::util::ct_eq(&c, code))
            .unwrap_or(false)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 6238 Appendix B, SHA-1 seed "12345678901234567890" (8-digit values
    // truncated to their last 6 digits, which is what a 6-digit TOTP yields).
    #[test]
    fn rfc6238_vectors() {
        let key = b"12345678901234567890";
        assert_eq!(hotp(key, 59 / 30).unwrap(), "287082");
        assert_eq!(hotp(key, 1_111_111_109 / 30).unwrap(), "081804");
        assert_eq!(hotp(key, 1_234_567_890 / 30).unwrap(), "005924");
        assert_eq!(hotp(key, 2_000_000_000 / 30).unwrap(), "279037");
    }

    #[test]
    fn base32_round_trip() {
        // RFC 4648 §10 test vector.
        assert_eq!(base32_encode(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32_decode("MZXW6YTBOI").unwrap(), b"foobar");
        assert!(base32_decode("!!").is_none());
        let s = new_secret();
        assert_eq!(s.len(), 32);
        assert!(verify(
            &s,
            &hotp(&base32_decode(&s).unwrap(), 1000).unwrap(),
            30_000
        ));
        assert!(!verify(&s, "abcdef", 30_000));
    }
}
