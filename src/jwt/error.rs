//! Why a JWT or JWKS was refused. The codes follow aws-jwt-verify's error
//! class names (without the `Error` suffix) so that users of that library,
//! and the tests that compare the two, can match them.

use alloc::borrow::Cow;
use core::fmt;

use crate::error::cat;

/// A JWT or JWKS failure ([`crate::Error::Jwt`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JwtError {
    /// The token is not a well-formed compact JWS with JSON header and claims
    /// (RFC 7515 §7.1, RFC 7519 §7.2).
    Parse {
        /// What was wrong.
        reason: &'static str,
    },
    /// The JWKS document is malformed (RFC 7517 §5).
    JwksInvalid {
        /// What was wrong.
        reason: &'static str,
    },
    /// The selected key cannot verify an RS256 signature (RFC 7517 §4).
    JwkInvalid {
        /// What was wrong.
        reason: &'static str,
    },
    /// No JWKS key has the token's `kid` (or the token has none).
    KidNotFoundInJwks,
    /// The token's `alg` is not RS256 (e.g. `none`, `HS256`), or differs from
    /// the key's `alg` (RFC 8725 §3.1).
    InvalidSignatureAlgorithm,
    /// The RS256 signature does not verify with the selected key.
    InvalidSignature,
    /// `exp` (plus the grace period) is in the past (RFC 7519 §4.1.4).
    Expired,
    /// `nbf` (minus the grace period) is in the future (RFC 7519 §4.1.5).
    NotBefore,
    /// `iat` (minus the grace period) is in the future (OIDC Core §3.1.3.7).
    IssuedInFuture,
    /// `iss` is not the user pool's (or the configured) issuer.
    InvalidIssuer,
    /// The ID token's `aud`, or the access token's `client_id`, is not an
    /// accepted app client id.
    InvalidClientId {
        /// `aud` or `client_id`.
        claim: &'static str,
    },
    /// `token_use` is missing, not `id`/`access`, or not the expected one.
    InvalidTokenUse,
    /// None of the required groups is in `cognito:groups`.
    InvalidGroup,
    /// None of the required scopes is in `scope`.
    InvalidScope,
    /// The ID token's `nonce` is not the one sent in the authorization
    /// request (OIDC Core §3.1.3.7 step 11): a replayed or injected token.
    InvalidNonce,
    /// A claim OIDC requires of an ID token is missing (OIDC Core §2).
    MissingClaim {
        /// The claim's name.
        claim: &'static str,
    },
}

impl JwtError {
    /// The stable code of [`crate::Error::code`].
    pub fn code(&self) -> &'static str {
        match self {
            JwtError::Parse { .. } => "JwtParse",
            JwtError::JwksInvalid { .. } => "JwksValidation",
            JwtError::JwkInvalid { .. } => "JwkValidation",
            JwtError::KidNotFoundInJwks => "KidNotFoundInJwks",
            JwtError::InvalidSignatureAlgorithm => "JwtInvalidSignatureAlgorithm",
            JwtError::InvalidSignature => "JwtInvalidSignature",
            JwtError::Expired => "JwtExpired",
            JwtError::NotBefore => "JwtNotBefore",
            JwtError::IssuedInFuture => "JwtIssuedInFuture",
            JwtError::InvalidIssuer => "JwtInvalidIssuer",
            JwtError::InvalidClientId { .. } => "CognitoJwtInvalidClientId",
            JwtError::InvalidTokenUse => "CognitoJwtInvalidTokenUse",
            JwtError::InvalidGroup => "CognitoJwtInvalidGroup",
            JwtError::InvalidScope => "JwtInvalidScope",
            JwtError::InvalidNonce => "JwtInvalidNonce",
            JwtError::MissingClaim { .. } => "JwtMissingClaim",
        }
    }
}

impl JwtError {
    /// The message of [`crate::Error::message`], built without `core::fmt`.
    pub fn message(&self) -> Cow<'static, str> {
        match self {
            JwtError::Parse { reason } => cat(&["not a valid JWT: ", reason]),
            JwtError::JwksInvalid { reason } => {
                cat(&["the JWKS is invalid: ", reason, "; check the JWKS URL"])
            }
            JwtError::JwkInvalid { reason } => {
                cat(&["the JWKS key for this token is unusable: ", reason])
            }
            JwtError::KidNotFoundInJwks => {
                "no key in the JWKS matches the token's kid; fetch the JWKS again (keys rotate), and if it is still missing the token is not from this user pool".into()
            }
            JwtError::InvalidSignatureAlgorithm => {
                "the token's signature algorithm is not RS256 (or not the key's); Cognito tokens are RS256".into()
            }
            JwtError::InvalidSignature => {
                "the token's signature is invalid; it was altered or not issued by this user pool".into()
            }
            JwtError::Expired => "the token has expired; refresh the session".into(),
            JwtError::NotBefore => "the token is not valid yet (nbf); check the clock".into(),
            JwtError::IssuedInFuture => {
                "the token was issued in the future (iat); check the clock".into()
            }
            JwtError::InvalidIssuer => {
                "the token's issuer (iss) is not the configured user pool; check region, userPoolId or issuer".into()
            }
            JwtError::InvalidClientId { claim } => cat(&[
                "the token's ",
                claim,
                " is not an accepted app client id; check clientId",
            ]),
            JwtError::InvalidTokenUse => {
                "the token's token_use is not the expected one (id or access); pass the right token".into()
            }
            JwtError::InvalidGroup => {
                "the user is in none of the required groups (cognito:groups)".into()
            }
            JwtError::InvalidScope => "the token has none of the required scopes".into(),
            JwtError::InvalidNonce => {
                "the ID token's nonce does not match this sign-in's; the token was replayed or injected, start sign-in again".into()
            }
            JwtError::MissingClaim { claim } => cat(&[
                "the ID token has no ",
                claim,
                " claim, which OpenID Connect requires",
            ]),
        }
    }
}

impl fmt::Display for JwtError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}
