//! Cognito JWTs: compact JWS decoding (RFC 7515, RFC 7519), JWKS parsing and
//! key selection (RFC 7517), and the claim checks of aws-jwt-verify's
//! `CognitoJwtVerifier`, plus the OpenID Connect ID-token checks of a
//! hosted-UI sign-in (OIDC Core §3.1.3.7: `nonce`, `iat`).
//!
//! Sans-IO: the JWKS is fetched by the caller, and the RS256 signature is
//! verified by the host (WebCrypto in wasm) between
//! [`JwtVerifier::prepare`] and [`SignatureCheck::accept`]. See "Verifying a
//! JSON Web Token" in the Amazon Cognito Developer Guide.
//!
//! In wasm the host step is WebCrypto: `importKey("jwk", {kty: "RSA", n, e},
//! {name: "RSASSA-PKCS1-v1_5", hash: "SHA-256"}, false, ["verify"])` with
//! [`SignatureCheck::key`], then `verify("RSASSA-PKCS1-v1_5", key,
//! signature, signingInput)`, and the boolean goes to
//! [`SignatureCheck::accept`]. On [`JwtError::KidNotFoundInJwks`], fetch the
//! JWKS again once (keys rotate) and retry.

mod decode;
mod error;
mod jwks;
mod verify;

pub use decode::{decode_jwt, DecodedJwt, JwsHeader, MAX_JWT_BYTES};
pub use error::JwtError;
pub use jwks::{Jwk, Jwks, RsaPublicJwk};
pub use verify::{JwtVerifier, Rs256Verifier, SignatureCheck, TokenUse, VerifiedJwt};

pub(crate) use verify::ct_eq;

#[cfg(test)]
mod tests;
