//! `JwtVerifier`: verifies Cognito tokens on a server or in a Worker, with
//! no storage, as aws-jwt-verify's `CognitoJwtVerifier` does (same checks,
//! same error names). The JWKS is fetched through the `http` effect and
//! cached per verifier; RS256 is the host's (`verify` effect).
//!
//! With the keys cached, a verification needs no machine: [`Verifier::begin`]
//! decodes and checks the token up to its signature in one call, the host
//! verifies the signature, and [`Pending::finish`] checks the claims. Every
//! other case (keys to fetch, an unknown `kid` that may be a rotation) runs
//! the `verify` machine.

use super::hosted::{CachedCheck, JwksCache};
use super::io::Io;
use super::io::LocalFuture;
use crate::json::Json;
use crate::jwt::JwtVerifier;
use crate::transport::Transport;
use crate::Error;
use std::rc::Rc;

/// One verifier: its rules, its JWKS cache and its transport.
pub struct Verifier {
    pub(crate) rules: JwtVerifier,
    pub(crate) jwks: JwksCache,
    pub(crate) transport: Transport,
}

/// A verification begun on cached keys, waiting for the signature verdict.
pub struct Pending {
    verifier: Rc<Verifier>,
    check: CachedCheck,
}

impl Verifier {
    /// `verify(token)` → the token's claims.
    pub(crate) fn verify<'a>(
        &'a self,
        io: &'a Io,
        token: &'a str,
    ) -> LocalFuture<'a, Result<Json, Error>> {
        Box::pin(async move {
            let v = self
                .jwks
                .verify(io, &self.transport, &self.rules, token, None)
                .await?;
            Ok(v.claims)
        })
    }

    /// `verify(token)` at `now_ms` (the host's clock) without a machine:
    /// `None` when it needs one (keys to fetch), else the token's failure or
    /// the signature check to make.
    pub fn begin(self: &Rc<Self>, token: &str, now_ms: f64) -> Option<Result<Pending, Error>> {
        let check = self
            .jwks
            .prepare_cached(&self.rules, token, now_ms / 1000.0)?;
        Some(check.map(|check| Pending {
            verifier: self.clone(),
            check,
        }))
    }
}

impl Pending {
    /// The host's name for the key (the same number for the same key of
    /// the same JWKS document, while this module instance lives).
    pub fn key_id(&self) -> f64 {
        self.check.key_id
    }

    /// The key: RS256's RSA public key as published (`n`, `e`, base64url).
    pub fn key(&self) -> crate::jwt::RsaPublicJwk {
        self.check.jwks.rsa_key(self.check.index)
    }

    /// The bytes the signature covers (`header.payload`, ASCII).
    pub fn signing_input(&self) -> &str {
        &self.check.jwt.signing_input
    }

    /// The signature bytes.
    pub fn signature(&self) -> &[u8] {
        &self.check.jwt.signature
    }

    /// Given the host's verdict on the signature, at `now_ms`: the claims
    /// as checked, in the token's own JSON text (which `JSON.parse` reads as
    /// the core did: the same values, the last of duplicate names), or why
    /// the token is refused.
    pub fn finish(self, signature_valid: bool, now_ms: f64) -> Result<String, Error> {
        let rules = &self.verifier.rules;
        rules.accept(self.check.jwt, signature_valid, now_ms / 1000.0, None)?;
        Ok(self.check.claim_text)
    }
}
