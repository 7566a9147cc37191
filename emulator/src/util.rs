//! Small shared helpers: time, randomness, constant-time comparison, hex.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use rand::RngCore;
use subtle::ConstantTimeEq;

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Seconds since the Unix epoch with a fraction, as AWS JSON 1.1 timestamps.
pub fn now_f64() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

/// `n` bytes from the OS CSPRNG.
pub fn random_bytes(n: usize) -> Vec<u8> {
    let mut v = vec![0u8; n];
    rand::rngs::OsRng.fill_bytes(&mut v);
    v
}

/// An unguessable opaque token (256 bits, base64url).
pub fn random_token() -> String {
    URL_SAFE_NO_PAD.encode(random_bytes(32))
}

/// A random numeric code of `digits` digits, as Cognito mails and texts.
pub fn random_code(digits: u32) -> String {
    let n = u64::from_be_bytes(random_bytes(8).try_into().unwrap_or([0u8; 8])) % 10u64.pow(digits);
    format!("{:0width$}", n, width = digits as usize)
}

/// A random alphanumeric string (client ids, secrets, device keys).
pub fn random_alnum(len: usize) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    random_bytes(len)
        .into_iter()
        .map(|b| ALPHABET[b as usize % ALPHABET.len()] as char)
        .collect()
}

/// Constant-time equality of two strings (secrets, codes, signatures).
pub fn ct_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// Standard base64.
pub fn b64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// Decodes standard base64.
pub fn b64_decode(s: &str) -> Option<Vec<u8>> {
    STANDARD.decode(s).ok()
}

/// base64url without padding (JWT).
pub fn b64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes base64url without padding.
pub fn b64url_decode(s: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(s).ok()
}

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Decodes hex (odd length allowed: a leading `0` is implied).
pub fn hex_decode(s: &str) -> Option<Vec<u8>> {
    let s = s.trim();
    if s.is_empty() || !s.bytes().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let owned;
    let s = if s.len() % 2 == 1 {
        owned = format!("0{s}");
        owned.as_str()
    } else {
        s
    };
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Masks an e-mail or phone number the way Cognito's `CodeDeliveryDetails`
/// does (`d***@e***`).
pub fn mask_destination(dest: &str) -> String {
    match dest.split_once('@') {
        Some((user, domain)) => format!(
            "{}***@{}***",
            user.chars().next().unwrap_or('*'),
            domain.chars().next().unwrap_or('*')
        ),
        None => {
            let tail: String = dest
                .chars()
                .rev()
                .take(4)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            format!("+*******{tail}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip() {
        assert_eq!(hex_decode("abc"), Some(vec![0x0a, 0xbc]));
        assert_eq!(hex(&[0, 255]), "00ff");
        assert_eq!(hex_decode("zz"), None);
        assert_eq!(hex_decode(""), None);
    }

    #[test]
    fn codes_have_digits() {
        let c = random_code(6);
        assert_eq!(c.len(), 6);
        assert!(c.bytes().all(|b| b.is_ascii_digit()));
    }

    #[test]
    fn masks() {
        assert_eq!(mask_destination("demo@example.com"), "d***@e***");
        assert_eq!(mask_destination("+15551234567"), "+*******4567");
    }
}
