//! `JwtVerifier`: verifies Cognito tokens on a server or in a Worker, with
//! no storage, as aws-jwt-verify's `CognitoJwtVerifier` does (same checks,
//! same error names). The JWKS is fetched through the `http` effect and
//! cached per verifier; RS256 is the host's (`verify` effect).

use crate::prelude::*;

use super::hosted::JwksCache;
use super::io::Io;
use super::io::LocalFuture;
use crate::json::Json;
use crate::jwt::JwtVerifier;
use crate::transport::Transport;
use crate::Error;

/// One verifier: its rules, its JWKS cache and its transport.
pub struct Verifier {
    pub(crate) rules: JwtVerifier,
    pub(crate) jwks: JwksCache,
    pub(crate) transport: Transport,
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
}
