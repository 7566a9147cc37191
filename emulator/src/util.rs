//! Small shared helpers: time, randomness, constant-time comparison, hex.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use rand::RngCore;
use std::sync::atomic::{AtomicI64, Ordering};
use subtle::ConstantTimeEq;

/// Seconds added to the system clock (`--clock-offset`), to play a server
/// whose clock differs from its clients'.
static CLOCK_OFFSET: AtomicI64 = AtomicI64::new(0);

/// Sets the clock offset in seconds (`--clock-offset`; process-wide).
pub fn set_clock_offset(seconds: i64) {
    CLOCK_OFFSET.store(seconds, Ordering::Relaxed);
}

/// The clock offset in seconds.
pub fn clock_offset() -> i64 {
    CLOCK_OFFSET.load(Ordering::Relaxed)
}

/// Seconds since the Unix epoch on the emulator's clock (system clock plus
/// the offset).
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
        + clock_offset()
}

/// Seconds since the Unix epoch with a fraction, as AWS JSON 1.1 timestamps
/// (on the emulator's clock).
pub fn now_f64() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
        + clock_offset() as f64
}

/// `t` (Unix seconds) as an HTTP date, IMF-fixdate (RFC 9110 §5.6.7):
/// `Sun, 06 Nov 1994 08:49:37 GMT`.
pub fn http_date(t: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (days, secs) = (t.div_euclid(86_400), t.rem_euclid(86_400));
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
        DAYS[days.rem_euclid(7) as usize],
        d,
        MONTHS[(m - 1) as usize],
        y,
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
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
    fn http_dates() {
        // RFC 9110 §5.6.7's example, and the epoch.
        assert_eq!(http_date(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(http_date(951_782_400), "Tue, 29 Feb 2000 00:00:00 GMT");
    }

    #[test]
    fn masks() {
        assert_eq!(mask_destination("demo@example.com"), "d***@e***");
        assert_eq!(mask_destination("+15551234567"), "+*******4567");
    }
}
