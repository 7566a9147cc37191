//! JSON Web Key Sets (RFC 7517 §5) as Cognito publishes them at
//! `https://cognito-idp.<region>.amazonaws.com/<poolId>/.well-known/jwks.json`,
//! and selection of the key that signed a token.

use crate::prelude::*;

use super::JwtError;
use crate::json::Json;
use crate::Error;

/// One key of a JWKS, with the members this SDK reads (RFC 7517 §4, RFC 7518
/// §6.3.1). Values are kept as published (base64url for `n` and `e`), which
/// is the form WebCrypto's `importKey("jwk", …)` takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jwk {
    /// `kty` (§4.1): key type; only `RSA` can verify RS256.
    pub kty: String,
    /// `kid` (§4.5).
    pub kid: Option<String>,
    /// `use` (§4.2): `sig` when present.
    pub use_: Option<String>,
    /// `alg` (§4.4): must match the token's `alg` when present.
    pub alg: Option<String>,
    /// `n` (RFC 7518 §6.3.1.1): the RSA modulus, base64url.
    pub n: Option<String>,
    /// `e` (RFC 7518 §6.3.1.2): the RSA public exponent, base64url.
    pub e: Option<String>,
}

/// The public RSA key that must verify a token's RS256 signature
/// (RSASSA-PKCS1-v1_5 with SHA-256, RFC 7518 §3.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RsaPublicJwk {
    /// The key id it was selected by.
    pub kid: String,
    /// The modulus, base64url as published (for WebCrypto's JWK import).
    pub n: String,
    /// The public exponent, base64url as published.
    pub e: String,
}

/// A parsed JWKS document (RFC 7517 §5).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Jwks {
    /// The keys, in document order.
    pub keys: Vec<Jwk>,
}

fn jwks_error(reason: &'static str) -> Error {
    Error::Jwt(JwtError::JwksInvalid { reason })
}

fn optional_string(obj: &Json, name: &str) -> Result<Option<String>, Error> {
    match obj.get(name) {
        None => Ok(None),
        Some(Json::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(jwks_error(
            "a JWK member (use, alg, kid, n or e) is not a string",
        )),
    }
}

impl Jwks {
    /// Parses a JWKS response body, with aws-jwt-verify's shape checks
    /// (`assertIsJwks`): an object with a `keys` array whose members are
    /// objects with a string `kty` and string `use`/`alg`/`kid`/`n`/`e` where
    /// present. Keys of other types are kept (and refused if selected).
    pub fn parse(body: &[u8]) -> Result<Jwks, Error> {
        let doc = Json::parse(body)
            .filter(Json::is_object)
            .ok_or(jwks_error("the JWKS is not a JSON object"))?;
        let keys = doc
            .get("keys")
            .ok_or(jwks_error("the JWKS has no keys member"))?
            .as_array()
            .ok_or(jwks_error("the JWKS keys member is not an array"))?;
        let mut out = Vec::with_capacity(keys.len());
        for k in keys {
            if !k.is_object() {
                return Err(jwks_error("a JWKS key is not an object"));
            }
            let kty = optional_string(k, "kty")?.ok_or(jwks_error("a JWK has no kty"))?;
            out.push(Jwk {
                kty,
                kid: optional_string(k, "kid")?,
                use_: optional_string(k, "use")?,
                alg: optional_string(k, "alg")?,
                n: optional_string(k, "n")?,
                e: optional_string(k, "e")?,
            });
        }
        Ok(Jwks { keys: out })
    }

    /// Selects the key for a token header (RFC 7515 §4.1.4 `kid`) and checks
    /// it can verify an RS256 signature: `alg` must be RS256 (else
    /// [`JwtError::InvalidSignatureAlgorithm`]), then in aws-jwt-verify's
    /// order: `kid`
    /// known (else [`JwtError::KidNotFoundInJwks`]: fetch the JWKS again, once,
    /// since Cognito may have rotated keys), `kty` RSA, `use` sig, `alg`
    /// equal to the token's, `n` and `e` present.
    pub fn select_rs256(&self, kid: Option<&str>, alg: &str) -> Result<RsaPublicJwk, Error> {
        self.select_rs256_index(kid, alg).map(|i| self.rsa_key(i))
    }

    /// Key `i` as an RSA public key (empty members where absent: an index
    /// from [`Jwks::select_rs256_index`] has them all).
    pub(crate) fn rsa_key(&self, i: usize) -> RsaPublicJwk {
        let k = self.keys.get(i);
        let member = |m: Option<&Option<String>>| m.and_then(Clone::clone).unwrap_or_default();
        RsaPublicJwk {
            kid: member(k.map(|k| &k.kid)),
            n: member(k.map(|k| &k.n)),
            e: member(k.map(|k| &k.e)),
        }
    }

    /// [`Jwks::select_rs256`] without copying the key: its index in
    /// [`Jwks::keys`], whose `kid`, `n` and `e` are then present and not
    /// empty.
    pub(crate) fn select_rs256_index(&self, kid: Option<&str>, alg: &str) -> Result<usize, Error> {
        // The key returned is only ever used for RS256: a token of another
        // algorithm must not get one, even from a key that names no `alg`
        // (found by fuzzing; `JwtVerifier::prepare` refused it earlier, a
        // direct caller did not).
        if alg != "RS256" {
            return Err(JwtError::InvalidSignatureAlgorithm.into());
        }
        let kid = kid
            .filter(|k| !k.is_empty())
            .ok_or(Error::Jwt(JwtError::KidNotFoundInJwks))?;
        let (i, jwk) = self
            .keys
            .iter()
            .enumerate()
            .find(|(_, k)| k.kid.as_deref() == Some(kid))
            .ok_or(Error::Jwt(JwtError::KidNotFoundInJwks))?;
        if jwk.kty != "RSA" {
            return Err(Error::Jwt(JwtError::JwkInvalid {
                reason: "the key's kty is not RSA",
            }));
        }
        if jwk
            .use_
            .as_deref()
            .is_some_and(|u| !u.is_empty() && u != "sig")
        {
            return Err(Error::Jwt(JwtError::JwkInvalid {
                reason: "the key's use is not sig",
            }));
        }
        if jwk
            .alg
            .as_deref()
            .is_some_and(|a| !a.is_empty() && a != alg)
        {
            return Err(JwtError::InvalidSignatureAlgorithm.into());
        }
        match (&jwk.n, &jwk.e) {
            (Some(n), Some(e)) if !n.is_empty() && !e.is_empty() => Ok(i),
            _ => Err(Error::Jwt(JwtError::JwkInvalid {
                reason: "the RSA key has no modulus (n) or exponent (e)",
            })),
        }
    }
}
