//! The server side of Cognito's SRP-6a (RFC 5054, 3072-bit group, SHA-256,
//! HKDF session key), as used by `USER_SRP_AUTH` / `PASSWORD_VERIFIER` and
//! `DEVICE_SRP_AUTH` / `DEVICE_PASSWORD_VERIFIER` ("User pool authentication
//! flow" in the Amazon Cognito Developer Guide). The hashing and padding rules
//! come from the SDK crate; the big-number math is done here with num-bigint.

use cognito_wasm::srp::{
    k_be_bytes, modulus_be_bytes, pad_be, password_claim_signature, session_key, u_hash, x_hash,
};
use num_bigint::BigUint;
use num_traits::Zero;
use std::sync::OnceLock;

use crate::util::{ct_eq, random_bytes};

struct Group {
    n: BigUint,
    g: BigUint,
    k: BigUint,
}

fn group() -> &'static Group {
    static G: OnceLock<Group> = OnceLock::new();
    G.get_or_init(|| Group {
        n: BigUint::from_bytes_be(&modulus_be_bytes()),
        g: BigUint::from(2u32),
        k: BigUint::from_bytes_be(&k_be_bytes()),
    })
}

/// A password verifier as Cognito stores it: a random salt and `v = g^x mod N`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verifier {
    /// The salt (big-endian bytes; sent to clients as hex).
    pub salt: Vec<u8>,
    /// The verifier `v` (big-endian bytes).
    pub verifier: Vec<u8>,
}

/// `v = g^x mod N` for the given realm (pool name or device group key), user
/// id, password and salt.
pub fn compute_verifier(realm: &str, user_id: &str, password: &str, salt: &[u8]) -> Vec<u8> {
    let x = BigUint::from_bytes_be(&x_hash(realm, user_id, password, salt)[..]);
    let g = group();
    g.g.modpow(&x, &g.n).to_bytes_be()
}

/// A new verifier with a fresh 16-byte salt.
pub fn new_verifier(realm: &str, user_id: &str, password: &str) -> Verifier {
    let mut salt = random_bytes(16);
    // Keep the salt's top bit clear so its hex form and Cognito's padded form agree.
    if let Some(b) = salt.first_mut() {
        *b &= 0x7f;
    }
    let verifier = compute_verifier(realm, user_id, password, &salt);
    Verifier { salt, verifier }
}

/// Checks a password against a stored verifier (constant-time comparison).
pub fn check_password(realm: &str, user_id: &str, password: &str, v: &Verifier) -> bool {
    let candidate = compute_verifier(realm, user_id, password, &v.salt);
    candidate.len() == v.verifier.len()
        && bool::from(subtle::ConstantTimeEq::ct_eq(
            candidate.as_slice(),
            v.verifier.as_slice(),
        ))
}

/// Why a client's SRP input was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SrpError {
    /// `A` is not a number in `[1, N)` or `A mod N = 0` (RFC 5054 §2.5.4).
    BadA,
    /// The scrambler `u` is zero (RFC 5054 §2.6).
    ZeroU,
}

/// The server's half of one SRP exchange.
#[derive(Clone)]
pub struct ServerEphemeral {
    /// The secret `b`.
    pub b: Vec<u8>,
    /// The public `B = (k·v + g^b) mod N`.
    pub big_b: Vec<u8>,
}

/// Validates the client's public `A` (hex) and returns it as bytes.
pub fn parse_a(a_hex: &str) -> Result<Vec<u8>, SrpError> {
    let bytes = crate::util::hex_decode(a_hex).ok_or(SrpError::BadA)?;
    let a = BigUint::from_bytes_be(&bytes);
    let n = &group().n;
    if a.is_zero() || &a >= n || (&a % n).is_zero() {
        return Err(SrpError::BadA);
    }
    Ok(a.to_bytes_be())
}

/// Picks a fresh `b` and computes `B` for the verifier `v`.
pub fn server_ephemeral(verifier: &[u8]) -> ServerEphemeral {
    let g = group();
    let v = BigUint::from_bytes_be(verifier);
    loop {
        let b = BigUint::from_bytes_be(&random_bytes(32));
        let big_b = (&g.k * &v + g.g.modpow(&b, &g.n)) % &g.n;
        if !big_b.is_zero() {
            return ServerEphemeral {
                b: b.to_bytes_be(),
                big_b: big_b.to_bytes_be(),
            };
        }
    }
}

/// The 16-byte session key: `S = (A·v^u)^b mod N`, then HKDF.
pub fn server_key(a: &[u8], eph: &ServerEphemeral, verifier: &[u8]) -> Result<[u8; 16], SrpError> {
    let g = group();
    let u_bytes = u_hash(a, &eph.big_b);
    let u = BigUint::from_bytes_be(&u_bytes);
    if u.is_zero() {
        return Err(SrpError::ZeroU);
    }
    let a = BigUint::from_bytes_be(a);
    let v = BigUint::from_bytes_be(verifier);
    let b = BigUint::from_bytes_be(&eph.b);
    let s = ((a * v.modpow(&u, &g.n)) % &g.n).modpow(&b, &g.n);
    let key = session_key(&pad_be(&s.to_bytes_be()), &u_bytes);
    Ok(*key)
}

/// Checks `PASSWORD_CLAIM_SIGNATURE` = HMAC(key, realm | user_id | block | timestamp).
pub fn check_claim(
    key: &[u8; 16],
    realm: &str,
    user_id: &str,
    secret_block_b64: &str,
    timestamp: &str,
    signature_b64: &str,
) -> bool {
    match password_claim_signature(key, realm, user_id, secret_block_b64, timestamp) {
        Ok(expected) => ct_eq(&expected, signature_b64),
        Err(_) => false,
    }
}

/// The hex form Cognito sends for `SRP_B` and `SALT`.
pub fn to_hex(bytes: &[u8]) -> String {
    crate::util::hex(bytes)
}

/// Parses Cognito's SRP `TIMESTAMP` (`"Tue Mar 3 04:05:06 UTC 2026"`, day not
/// padded) into Unix seconds.
pub fn parse_timestamp(ts: &str) -> Option<i64> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let parts: Vec<&str> = ts.split_whitespace().collect();
    let [_wd, mon, day, hms, utc, year] = parts.as_slice() else {
        return None;
    };
    if *utc != "UTC" {
        return None;
    }
    let month = MONTHS.iter().position(|m| m == mon)? as i64 + 1;
    let day: i64 = day.parse().ok().filter(|d| (1..=31).contains(d))?;
    let year: i64 = year.parse().ok().filter(|y| (1970..=9999).contains(y))?;
    let mut t = hms.split(':').map(|p| p.parse::<i64>().ok());
    let (h, m, s) = (t.next()??, t.next()??, t.next()??);
    if t.next().is_some() || h > 23 || m > 59 || s > 60 {
        return None;
    }
    // Days from civil (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400 + h * 3600 + m * 60 + s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use cognito_wasm::srp::cognito_timestamp;

    #[test]
    fn timestamp_round_trip() {
        for t in [0i64, 1_700_000_000, 1_795_000_000, 951_782_400] {
            assert_eq!(parse_timestamp(&cognito_timestamp(t)), Some(t));
        }
        assert_eq!(parse_timestamp("garbage"), None);
        assert_eq!(parse_timestamp("Sun Nov 22 25:00:00 UTC 2026"), None);
    }

    #[test]
    fn a_is_validated() {
        assert_eq!(parse_a("0"), Err(SrpError::BadA));
        assert_eq!(parse_a(&to_hex(&modulus_be_bytes())), Err(SrpError::BadA));
        assert_eq!(parse_a("xyz"), Err(SrpError::BadA));
        assert!(parse_a("02").is_ok());
    }

    #[test]
    fn password_check() {
        let v = new_verifier("Pool", "alice", "pw1");
        assert!(check_password("Pool", "alice", "pw1", &v));
        assert!(!check_password("Pool", "alice", "pw2", &v));
        assert!(!check_password("Pool", "bob", "pw1", &v));
    }
}
