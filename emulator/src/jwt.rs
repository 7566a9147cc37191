//! RS256 JSON Web Tokens (RFC 7519, RFC 7515) signed with the emulator's RSA
//! key, and the JWKS (RFC 7517) Cognito serves at
//! `/<poolId>/.well-known/jwks.json` ("Verifying a JSON Web Token" in the
//! Amazon Cognito Developer Guide).

use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, LineEnding};
use rsa::signature::{SignatureEncoding, Signer, Verifier};
use rsa::traits::PublicKeyParts;
use rsa::{RsaPrivateKey, RsaPublicKey};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::util::{b64url, b64url_decode, now};

/// The signing key and its public half.
pub struct Keys {
    signing: SigningKey<Sha256>,
    verifying: VerifyingKey<Sha256>,
    public: RsaPublicKey,
    private: RsaPrivateKey,
    /// The key id (`kid`) put in token headers and the JWKS.
    pub kid: String,
}

/// Why a token was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    /// Not three base64url parts, bad JSON, or an unknown `kid`/`alg`.
    Malformed,
    /// The signature does not verify.
    BadSignature,
    /// `exp` is in the past.
    Expired,
}

impl Keys {
    /// A fresh 2048-bit RSA key.
    pub fn generate() -> Result<Keys, String> {
        let key = RsaPrivateKey::new(&mut rand::rngs::OsRng, 2048).map_err(|e| e.to_string())?;
        Ok(Self::from_private(key))
    }

    /// Loads a PKCS#8 PEM private key.
    pub fn from_pem(pem: &str) -> Result<Keys, String> {
        let key = RsaPrivateKey::from_pkcs8_pem(pem).map_err(|e| e.to_string())?;
        Ok(Self::from_private(key))
    }

    /// The private key as PKCS#8 PEM (for the data directory).
    pub fn to_pem(&self) -> Result<String, String> {
        self.private
            .to_pkcs8_pem(LineEnding::LF)
            .map(|p| p.to_string())
            .map_err(|e| e.to_string())
    }

    fn from_private(private: RsaPrivateKey) -> Keys {
        let public = private.to_public_key();
        let kid = b64url(&Sha256::digest(public.n().to_bytes_be()))[..32].to_string();
        Keys {
            signing: SigningKey::<Sha256>::new(private.clone()),
            verifying: VerifyingKey::<Sha256>::new(public.clone()),
            public,
            private,
            kid,
        }
    }

    /// Signs `claims` as a compact JWS with `{"kid", "alg": "RS256"}`.
    pub fn sign(&self, claims: &Value) -> String {
        let header = json!({ "kid": self.kid, "alg": "RS256" });
        let input = format!(
            "{}.{}",
            b64url(header.to_string().as_bytes()),
            b64url(claims.to_string().as_bytes())
        );
        let sig: Signature = self.signing.sign(input.as_bytes());
        format!("{input}.{}", b64url(&sig.to_bytes()))
    }

    /// Verifies a token we issued and returns its claims (checks `exp`).
    pub fn verify(&self, token: &str) -> Result<Value, TokenError> {
        let mut parts = token.split('.');
        let (Some(h), Some(c), Some(s), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(TokenError::Malformed);
        };
        let header: Value = b64url_decode(h)
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or(TokenError::Malformed)?;
        if header["alg"] != "RS256" || header["kid"] != self.kid.as_str() {
            return Err(TokenError::Malformed);
        }
        let sig = b64url_decode(s)
            .and_then(|b| Signature::try_from(b.as_slice()).ok())
            .ok_or(TokenError::Malformed)?;
        let input_len = h.len() + 1 + c.len();
        let input = token.get(..input_len).ok_or(TokenError::Malformed)?;
        self.verifying
            .verify(input.as_bytes(), &sig)
            .map_err(|_| TokenError::BadSignature)?;
        let claims: Value = b64url_decode(c)
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or(TokenError::Malformed)?;
        match claims["exp"].as_i64() {
            Some(exp) if exp > now() => Ok(claims),
            Some(_) => Err(TokenError::Expired),
            None => Err(TokenError::Malformed),
        }
    }

    /// The JWKS document.
    pub fn jwks(&self) -> Value {
        json!({ "keys": [{
            "alg": "RS256",
            "e": b64url(&self.public.e().to_bytes_be()),
            "kid": self.kid,
            "kty": "RSA",
            "n": b64url(&self.public.n().to_bytes_be()),
            "use": "sig",
        }]})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sign_verify_tamper() {
        let k = Keys::from_pem(include_str!("../tests/fixtures/test-signing-key.pem")).unwrap();
        let t = k.sign(&json!({"sub": "x", "exp": now() + 60}));
        assert_eq!(k.verify(&t).unwrap()["sub"], "x");
        let mut bad = t.clone();
        bad.insert(t.find('.').unwrap() + 1, 'e');
        assert!(k.verify(&bad).is_err());
        let old = k.sign(&json!({"exp": now() - 1}));
        assert_eq!(k.verify(&old), Err(TokenError::Expired));
        assert_eq!(k.verify("a.b"), Err(TokenError::Malformed));
        let pem = k.to_pem().unwrap();
        assert_eq!(Keys::from_pem(&pem).unwrap().kid, k.kid);
    }
}
