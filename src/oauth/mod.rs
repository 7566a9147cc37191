//! The hosted UI (managed login): OAuth 2.0 authorization code with PKCE
//! (RFC 6749, RFC 7636) and OpenID Connect (OIDC Core 1.0) on Cognito's
//! endpoints, sans-IO.
//!
//! One function per protocol step, as in oauth4webapi: `…_request` builders
//! return a plain [`HttpRequest`] (or URL) and `process_…_response`
//! functions take the status, headers and body and return typed results or
//! typed errors ([`OAuthError`]). Nothing here does I/O, reads a clock or
//! touches storage: time comes in as `now` (seconds since the Unix epoch)
//! and the pending [`Transaction`] goes out as a string to store.
//!
//! A browser sign-in: [`HostedUi::authorize`] → store the transaction →
//! navigate → [`parse_callback_url`] → remove the stored transaction →
//! [`validate_callback`] → [`HostedUi::authorization_code_request`] →
//! [`process_token_response`] → verify the ID token with the transaction's
//! nonce ([`crate::jwt::JwtVerifier`]) → [`clean_callback_url`].
//!
//! On a server or in a Worker (no storage): [`HostedUi::authorize`] and put
//! [`Transaction::to_storage_string`] in an HttpOnly cookie; on the callback
//! read it back with [`Transaction::parse`] and continue as above.
//! Machine-to-machine: [`HostedUi::client_credentials_request`] (needs the
//! client secret). Later: [`HostedUi::refresh_token_request`],
//! [`HostedUi::userinfo_request`], [`HostedUi::revoke_request`] and
//! [`HostedUi::logout_url`], each with its `process_…_response`.

mod authorize;
mod callback;
mod endpoint;
mod error;
mod form;
mod logout;
mod pkce;
mod response;
mod revoke;
mod token;
mod transaction;
mod userinfo;

pub use authorize::{Authorization, AuthorizeOptions};
pub use callback::{
    clean_callback_url, is_callback_url, parse_callback_url, validate_callback, CallbackParams,
    DEFAULT_TRANSACTION_MAX_AGE,
};
pub use endpoint::HostedUi;
pub use error::OAuthError;
pub use pkce::{code_challenge_s256, code_verifier, is_valid_code_verifier, random_token};
pub use revoke::process_revoke_response;
pub use token::{process_token_response, TokenSet};
pub use transaction::Transaction;
pub use userinfo::process_userinfo_response;

// Shared with the user-pool JSON API core (`crate::cognito`).
pub(crate) use endpoint::normalize_base;

#[cfg(test)]
mod tests;
