//! Cognito token verification, sans-IO, in two steps so the RSA check can run
//! in WebCrypto (`crypto.subtle.verify`, asynchronous) without this crate
//! doing I/O or carrying an RSA implementation:
//!
//! 1. [`JwtVerifier::prepare`] decodes the token, refuses anything but RS256,
//!    checks the issuer and selects the JWKS key by `kid`;
//! 2. the host verifies [`SignatureCheck::signing_input`] /
//!    [`SignatureCheck::signature`] with [`SignatureCheck::key`]
//!    (RSASSA-PKCS1-v1_5 + SHA-256, RFC 7518 §3.3);
//! 3. [`SignatureCheck::accept`] takes that verdict and checks the claims as
//!    aws-jwt-verify's `CognitoJwtVerifier` does (same order, same errors).
//!
//! See "Verifying a JSON Web Token" in the Amazon Cognito Developer Guide.

use crate::prelude::*;

use super::decode::{decode_jwt_text, DecodedJwt, JwsHeader};
use super::jwks::{Jwks, RsaPublicJwk};
use super::JwtError;
use crate::json::Json;
use crate::Error;

/// Which Cognito token a verifier accepts (`token_use` claim).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenUse {
    /// An ID token (`token_use: "id"`, client id in `aud`).
    Id,
    /// An access token (`token_use: "access"`, client id in `client_id`).
    Access,
}

impl TokenUse {
    fn as_str(self) -> &'static str {
        match self {
            TokenUse::Id => "id",
            TokenUse::Access => "access",
        }
    }
}

/// What a token must satisfy. Built for a user pool with
/// [`JwtVerifier::cognito`]; options are set with the builder methods.
#[derive(Debug, Clone, PartialEq)]
pub struct JwtVerifier {
    issuers: Vec<String>,
    token_use: Option<TokenUse>,
    client_ids: Option<Vec<String>>,
    grace_seconds: f64,
    groups: Option<Vec<String>>,
    scopes: Option<Vec<String>>,
    /// Cognito's `token_use` rules; off for a generic OpenID provider.
    cognito: bool,
}

/// The region of a user-pool id (`us-east-1_AbC123` → `us-east-1`), checked
/// loosely against aws-jwt-verify's `USER_POOL_ID_REGEX`.
fn pool_region(user_pool_id: &str) -> Result<&str, Error> {
    match user_pool_id.split_once('_') {
        Some((region, name))
            if !region.is_empty()
                && region
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !name.is_empty()
                && name.bytes().all(|b| b.is_ascii_alphanumeric()) =>
        {
            Ok(region)
        }
        _ => Err(Error::InvalidUserPoolId),
    }
}

impl JwtVerifier {
    /// A verifier for a user pool's tokens. The accepted issuers are
    /// `https://cognito-idp.<region>.amazonaws.com/<poolId>` and the global
    /// form `https://issuer-cognito-idp.<region>.amazonaws.com/<poolId>`, as
    /// aws-jwt-verify accepts. `client_id: None` skips the client check
    /// (aws-jwt-verify's `clientId: null`); `token_use: None` accepts both.
    pub fn cognito(
        user_pool_id: &str,
        client_id: Option<&str>,
        token_use: Option<TokenUse>,
    ) -> Result<JwtVerifier, Error> {
        let region = pool_region(user_pool_id)?;
        Ok(JwtVerifier {
            issuers: vec![
                [
                    "https://cognito-idp.",
                    region,
                    ".amazonaws.com/",
                    user_pool_id,
                ]
                .concat(),
                [
                    "https://issuer-cognito-idp.",
                    region,
                    ".amazonaws.com/",
                    user_pool_id,
                ]
                .concat(),
            ],
            token_use,
            client_ids: client_id.map(|c| vec![c.to_owned()]),
            grace_seconds: 0.0,
            groups: None,
            scopes: None,
            cognito: true,
        })
    }

    /// A verifier for the ID tokens of any OpenID provider (OIDC Core
    /// §3.1.3.7), e.g. oidc-provider mounted on Cognito's paths: `iss` must
    /// be `issuer` and `aud` must be or contain `client_id`; Cognito's
    /// `token_use` is not required.
    pub fn oidc(issuer: &str, client_id: &str) -> JwtVerifier {
        JwtVerifier {
            issuers: vec![issuer.trim_end_matches('/').to_owned()],
            token_use: None,
            client_ids: Some(vec![client_id.to_owned()]),
            grace_seconds: 0.0,
            groups: None,
            scopes: None,
            cognito: false,
        }
    }

    /// The issuer (base URL, `iss` claim) the pool's tokens carry when it is
    /// not AWS's: the emulator's or moto's. Replaces the default issuers.
    pub fn with_issuer(mut self, issuer: &str) -> Self {
        self.issuers = vec![issuer.trim_end_matches('/').to_owned()];
        self
    }

    /// The expected issuer (the first, when several are accepted).
    pub fn issuer(&self) -> Option<&str> {
        self.issuers.first().map(String::as_str)
    }

    /// Accept any of these app client ids (aws-jwt-verify's `clientId` array).
    pub fn with_client_ids(mut self, ids: &[&str]) -> Self {
        self.client_ids = Some(ids.iter().map(|s| (*s).to_owned()).collect());
        self
    }

    /// Seconds of clock skew tolerated on `exp`, `nbf` and `iat`
    /// (aws-jwt-verify's `graceSeconds`; default 0). Negative or NaN counts
    /// as 0.
    pub fn with_grace_seconds(mut self, seconds: f64) -> Self {
        self.grace_seconds = if seconds > 0.0 { seconds } else { 0.0 };
        self
    }

    /// Require membership of at least one of these groups (`cognito:groups`).
    pub fn with_groups(mut self, groups: &[&str]) -> Self {
        self.groups = Some(groups.iter().map(|s| (*s).to_owned()).collect());
        self
    }

    /// Require at least one of these OAuth scopes (`scope`, space-separated).
    pub fn with_scopes(mut self, scopes: &[&str]) -> Self {
        self.scopes = Some(scopes.iter().map(|s| (*s).to_owned()).collect());
        self
    }

    /// Step 1: decode `token`, refuse any algorithm but RS256 (so `none` and
    /// `HS256` key confusion are impossible, RFC 8725 §2.1), refuse a foreign
    /// issuer, and select the signing key from `jwks` by `kid`.
    pub fn prepare(&self, token: &str, jwks: &Jwks) -> Result<SignatureCheck, Error> {
        let (i, jwt, _) = self.prepare_in(token, jwks)?;
        Ok(SignatureCheck {
            rules: self.clone(),
            key: jwks.rsa_key(i),
            jwt,
        })
    }

    /// Step 1 without copies: the index in `jwks` of the key that must
    /// verify the token ([`Jwks::select_rs256_index`]), the decoded token
    /// and its claims' JSON text.
    pub(crate) fn prepare_in(
        &self,
        token: &str,
        jwks: &Jwks,
    ) -> Result<(usize, DecodedJwt, String), Error> {
        let (jwt, claim_text) = decode_jwt_text(token)?;
        if jwt.header.alg != "RS256" {
            return Err(JwtError::InvalidSignatureAlgorithm.into());
        }
        // aws-jwt-verify looks the issuer up before fetching keys: a token
        // from another pool must not make us fetch or trust its JWKS.
        self.check_issuer(&jwt.claims)?;
        let key = jwks.select_rs256_index(jwt.header.kid.as_deref(), &jwt.header.alg)?;
        if jwt.signature.is_empty() {
            return Err(JwtError::InvalidSignature.into());
        }
        Ok((key, jwt, claim_text))
    }

    /// Step 3 for a token from [`JwtVerifier::prepare_in`]: see
    /// [`SignatureCheck::accept`].
    pub(crate) fn accept(
        &self,
        jwt: DecodedJwt,
        signature_valid: bool,
        now: f64,
        expected_nonce: Option<&str>,
    ) -> Result<VerifiedJwt, Error> {
        if !signature_valid {
            return Err(JwtError::InvalidSignature.into());
        }
        self.check_claims(&jwt.claims, now, expected_nonce)?;
        Ok(VerifiedJwt {
            header: jwt.header,
            claims: jwt.claims,
        })
    }

    /// Steps 1–3 in one call with a synchronous RS256 implementation (native
    /// code and tests). `now` is seconds since the Unix epoch.
    pub fn verify(
        &self,
        token: &str,
        jwks: &Jwks,
        rs256: &dyn Rs256Verifier,
        now: f64,
        expected_nonce: Option<&str>,
    ) -> Result<VerifiedJwt, Error> {
        let check = self.prepare(token, jwks)?;
        let valid = rs256.verify_rs256(&check.key, check.signing_input(), check.signature());
        check.accept(valid, now, expected_nonce)
    }

    fn check_issuer(&self, claims: &Json) -> Result<(), Error> {
        match claims.get("iss").and_then(Json::as_str) {
            Some(iss) if self.issuers.iter().any(|i| i == iss) => Ok(()),
            _ => Err(JwtError::InvalidIssuer.into()),
        }
    }

    /// aws-jwt-verify's `validateJwtFields` then `validateCognitoJwtFields`,
    /// then the OpenID Connect ID-token checks when a nonce is expected.
    fn check_claims(&self, c: &Json, now: f64, expected_nonce: Option<&str>) -> Result<(), Error> {
        if !now.is_finite() {
            // Fail closed: a NaN clock would make every time check pass.
            return Err(JwtError::Expired.into());
        }
        let time = |name| c.get(name).and_then(Json::as_f64);
        if let Some(exp) = time("exp") {
            if exp + self.grace_seconds < now {
                return Err(JwtError::Expired.into());
            }
        }
        if let Some(nbf) = time("nbf") {
            if nbf - self.grace_seconds > now {
                return Err(JwtError::NotBefore.into());
            }
        }
        self.check_issuer(c)?;
        if let Some(scopes) = &self.scopes {
            let granted = c.get("scope").and_then(Json::as_str);
            if !granted.is_some_and(|g| g.split(' ').any(|s| scopes.iter().any(|w| w == s))) {
                return Err(JwtError::InvalidScope.into());
            }
        }
        if let Some(groups) = &self.groups {
            let ok = match c.get("cognito:groups") {
                Some(Json::String(g)) => groups.contains(g),
                Some(Json::Array(a)) => a
                    .iter()
                    .any(|g| g.as_str().is_some_and(|g| groups.iter().any(|w| w == g))),
                _ => false,
            };
            if !ok {
                return Err(JwtError::InvalidGroup.into());
            }
        }
        if self.cognito {
            self.check_cognito_claims(c)?;
        } else if let Some(ids) = &self.client_ids {
            let ok = match c.get("aud") {
                Some(Json::String(a)) => ids.contains(a),
                Some(Json::Array(a)) => a
                    .iter()
                    .any(|x| x.as_str().is_some_and(|x| ids.iter().any(|i| i == x))),
                _ => false,
            };
            if !ok {
                return Err(JwtError::InvalidClientId { claim: "aud" }.into());
            }
        }
        if let Some(nonce) = expected_nonce {
            // OIDC Core §3.1.3.7: an ID token answering an authorization
            // request must carry its nonce, an exp and an iat.
            if time("exp").is_none() {
                return Err(JwtError::MissingClaim { claim: "exp" }.into());
            }
            let iat = time("iat").ok_or(JwtError::MissingClaim { claim: "iat" })?;
            if iat - self.grace_seconds > now {
                return Err(JwtError::IssuedInFuture.into());
            }
            let got = c.get("nonce").and_then(Json::as_str);
            if !got.is_some_and(|g| ct_eq(g.as_bytes(), nonce.as_bytes())) {
                return Err(JwtError::InvalidNonce.into());
            }
        }
        Ok(())
    }
}

impl JwtVerifier {
    /// aws-jwt-verify's `validateCognitoJwtFields` after the groups check:
    /// `token_use` and the app client id.
    fn check_cognito_claims(&self, c: &Json) -> Result<(), Error> {
        let token_use = c.get("token_use").and_then(Json::as_str);
        if !matches!(token_use, Some("id" | "access"))
            || self
                .token_use
                .is_some_and(|t| Some(t.as_str()) != token_use)
        {
            return Err(JwtError::InvalidTokenUse.into());
        }
        if let Some(ids) = &self.client_ids {
            // Cognito puts the client id in `aud` of ID tokens and in
            // `client_id` of access tokens (which have no `aud`).
            let claim = if token_use == Some("id") {
                "aud"
            } else {
                "client_id"
            };
            let got = c.get(claim).and_then(Json::as_str);
            if !got.is_some_and(|g| ids.iter().any(|i| i == g)) {
                return Err(JwtError::InvalidClientId { claim }.into());
            }
        }
        Ok(())
    }
}

/// Compares secrets without an early exit on the first differing byte.
pub(crate) fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A synchronous RS256 (RSASSA-PKCS1-v1_5 + SHA-256) verifier, for hosts
/// that have one at hand; WebCrypto users take the two-step path instead.
pub trait Rs256Verifier {
    /// Whether `signature` is a valid RS256 signature of `signing_input`
    /// under `key` (RFC 7518 §3.3). Malformed keys verify nothing.
    fn verify_rs256(&self, key: &RsaPublicJwk, signing_input: &[u8], signature: &[u8]) -> bool;
}

/// A decoded token waiting for its signature verdict (step 2).
#[derive(Debug, Clone)]
pub struct SignatureCheck {
    rules: JwtVerifier,
    key: RsaPublicJwk,
    jwt: DecodedJwt,
}

impl SignatureCheck {
    /// The bytes the signature covers (RFC 7515 §5.2 step 8): pass to
    /// `crypto.subtle.verify` as `data`.
    pub fn signing_input(&self) -> &[u8] {
        self.jwt.signing_input.as_bytes()
    }

    /// The signature bytes: `crypto.subtle.verify`'s `signature`.
    pub fn signature(&self) -> &[u8] {
        &self.jwt.signature
    }

    /// The key to import (`importKey("jwk", {kty:"RSA", n, e, alg:"RS256"},
    /// {name:"RSASSA-PKCS1-v1_5", hash:"SHA-256"}, false, ["verify"])`).
    pub fn key(&self) -> &RsaPublicJwk {
        &self.key
    }

    /// Step 3: given the host's verdict on the signature, check the claims at
    /// `now` (seconds since the Unix epoch). `expected_nonce` is the hosted-UI
    /// transaction's nonce when verifying the ID token of a code exchange;
    /// `None` for tokens from a refresh, which carry no new nonce.
    pub fn accept(
        self,
        signature_valid: bool,
        now: f64,
        expected_nonce: Option<&str>,
    ) -> Result<VerifiedJwt, Error> {
        self.rules
            .accept(self.jwt, signature_valid, now, expected_nonce)
    }
}

/// A token whose signature and claims passed.
#[derive(Debug, Clone, PartialEq)]
pub struct VerifiedJwt {
    /// The JOSE header.
    pub header: JwsHeader,
    /// The claims, a JSON object.
    pub claims: Json,
}
