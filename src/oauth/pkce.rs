//! Proof Key for Code Exchange (RFC 7636) and the random `state` (RFC 6749
//! §10.12) and `nonce` (OIDC Core §3.1.2.1) values of an authorization
//! request.

use crate::prelude::*;

use base64ct::{Base64UrlUnpadded, Encoding};
use sha2::{Digest, Sha256};

use crate::Error;

/// 32 bytes from the platform CSPRNG, base64url without padding: 43
/// characters, 256 bits of entropy (RFC 7636 §4.1 recommends exactly this
/// for the verifier; the same serves `state` and `nonce`).
pub fn random_token() -> Result<String, Error> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|_| Error::Random)?;
    Ok(Base64UrlUnpadded::encode_string(&bytes))
}

/// A fresh `code_verifier` (RFC 7636 §4.1).
pub fn code_verifier() -> Result<String, Error> {
    random_token()
}

/// The `S256` `code_challenge` of a verifier (RFC 7636 §4.2):
/// `BASE64URL(SHA256(ASCII(code_verifier)))`.
pub fn code_challenge_s256(verifier: &str) -> String {
    Base64UrlUnpadded::encode_string(&Sha256::digest(verifier.as_bytes()))
}

/// Whether `v` is a well-formed verifier (RFC 7636 §4.1): 43–128 characters
/// of `[A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~"`.
pub fn is_valid_code_verifier(v: &str) -> bool {
    (43..=128).contains(&v.len())
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 7636 Appendix B: the verifier (base64url of the octets listed
    /// there) and its S256 challenge as printed in the RFC (also what
    /// `openssl dgst -sha256 -binary | base64url` gives).
    #[test]
    fn rfc7636_appendix_b_known_answer() {
        let octets = [
            116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212,
            37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121,
        ];
        let verifier = Base64UrlUnpadded::encode_string(&octets);
        assert_eq!(verifier, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        assert_eq!(
            code_challenge_s256(&verifier),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn verifiers_are_well_formed_and_fresh() {
        let a = code_verifier().unwrap();
        let b = code_verifier().unwrap();
        assert_eq!(a.len(), 43);
        assert!(is_valid_code_verifier(&a));
        assert_ne!(a, b);
        assert!(!is_valid_code_verifier("short"));
        assert!(!is_valid_code_verifier(&"a".repeat(129)));
        assert!(!is_valid_code_verifier(&format!("{}+", "a".repeat(43))));
    }
}
