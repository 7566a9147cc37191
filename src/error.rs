//! The SDK's one error type.
//!
//! Every variant has a stable `code()` (for matching in JS) and a message that
//! says what failed and what to do. Messages never contain secrets, tokens or
//! passwords.

use core::fmt;

/// An error from any part of the SDK.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// A value that must be hexadecimal (an SRP number from Cognito) was empty
    /// or contained a non-hex character. `field` names the parameter.
    InvalidHex {
        /// The challenge parameter or argument that was malformed.
        field: &'static str,
    },
    /// A value that must be standard base64 (e.g. `SECRET_BLOCK`) was not.
    InvalidBase64 {
        /// The challenge parameter or argument that was malformed.
        field: &'static str,
    },
    /// The server's SRP public value `B` is ≡ 0 (mod N): a protocol violation
    /// or an attack (RFC 5054 §2.5.4). The sign-in must be abandoned.
    InvalidSrpB,
    /// The SRP scrambling parameter `u = H(A | B)` is zero (RFC 5054 §2.6).
    InvalidSrpU,
    /// A required string argument (username, password, pool id, …) was empty.
    EmptyArgument {
        /// The argument that was empty.
        field: &'static str,
    },
    /// A user-pool id is not of the form `<region>_<name>`.
    InvalidUserPoolId,
    /// The platform's CSPRNG could not provide random bytes.
    Random,
    /// An argument or configuration value is present but unusable (e.g. a
    /// timeout of zero, an unknown storage name). `field` names it.
    InvalidArgument {
        /// The argument or option.
        field: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The request got no response: offline, DNS, TLS, CORS or a reset
    /// connection (the `fetch` promise rejected). Transient.
    Network {
        /// The host's description of the failure (never a URL or body).
        reason: String,
    },
    /// No response within the configured timeout. Transient.
    Timeout,
    /// The caller's `AbortSignal` aborted the request. Not retried.
    Aborted,
    /// The configured storage threw (quota exceeded, access denied, a
    /// failing adapter). Stored state is left as it was.
    Storage {
        /// The host's description of the failure.
        reason: String,
    },
    /// The call needs a signed-in session and there is none.
    NotSignedIn,
    /// The session ended: its refresh token was rejected (expired, revoked,
    /// signed out elsewhere). Stored tokens were removed; sign in again.
    SessionExpired,
    /// `confirmSignIn` was called with no sign-in waiting for an answer.
    NoSignInInProgress,
    /// A hosted-UI (OAuth 2.0 / OpenID Connect) step failed; see
    /// [`crate::oauth::OAuthError`].
    OAuth(crate::oauth::OAuthError),
    /// A user-pool JSON API call failed; see [`crate::cognito::CognitoError`].
    Cognito(crate::cognito::CognitoError),
    /// A JWT or JWKS was malformed or failed verification; see
    /// [`crate::jwt::JwtError`].
    Jwt(crate::jwt::JwtError),
}

impl Error {
    /// A stable, machine-readable code for the error (the `code` property of
    /// the JS error).
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidHex { .. } => "InvalidHex",
            Error::InvalidBase64 { .. } => "InvalidBase64",
            Error::InvalidSrpB => "InvalidSrpB",
            Error::InvalidSrpU => "InvalidSrpU",
            Error::EmptyArgument { .. } => "EmptyArgument",
            Error::InvalidUserPoolId => "InvalidUserPoolId",
            Error::Random => "RandomUnavailable",
            Error::InvalidArgument { .. } => "InvalidArgument",
            Error::Network { .. } => "NetworkError",
            Error::Timeout => "TimeoutError",
            Error::Aborted => "AbortError",
            Error::Storage { .. } => "StorageError",
            Error::NotSignedIn => "NotSignedIn",
            Error::SessionExpired => "SessionExpired",
            Error::NoSignInInProgress => "NoSignInInProgress",
            Error::OAuth(e) => e.code(),
            Error::Jwt(e) => e.code(),
            Error::Cognito(e) => e.code(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidHex { field } => write!(
                f,
                "{field} is not a hexadecimal number; pass the value from Cognito's challenge parameters unchanged"
            ),
            Error::InvalidBase64 { field } => write!(
                f,
                "{field} is not valid base64; pass the value from Cognito's challenge parameters unchanged"
            ),
            Error::InvalidSrpB => f.write_str(
                "the server's SRP_B is 0 mod N, which no honest server sends; sign-in aborted",
            ),
            Error::InvalidSrpU => f.write_str(
                "the SRP scrambling value u = H(A|B) is zero; sign-in aborted, start it again",
            ),
            Error::EmptyArgument { field } => write!(f, "{field} must not be empty"),
            Error::InvalidUserPoolId => f.write_str(
                "the user pool id must look like <region>_<id>, e.g. us-east-1_AbCdEf123",
            ),
            Error::Random => f.write_str("the platform's secure random number generator failed"),
            Error::InvalidArgument { field, reason } => write!(f, "{field}: {reason}"),
            Error::Network { reason } => write!(
                f,
                "the request got no response ({reason}); check the network, the endpoint and CORS, then try again"
            ),
            Error::Timeout => f.write_str("the request timed out; try again"),
            Error::Aborted => f.write_str("the request was aborted by its AbortSignal"),
            Error::Storage { reason } => write!(
                f,
                "the session storage failed ({reason}); nothing was changed"
            ),
            Error::NotSignedIn => f.write_str("no user is signed in; call signIn first"),
            Error::SessionExpired => f.write_str(
                "the session has ended (its refresh token was rejected); sign in again",
            ),
            Error::NoSignInInProgress => {
                f.write_str("no sign-in is waiting for an answer; call signIn first")
            }
            Error::OAuth(e) => e.fmt(f),
            Error::Jwt(e) => e.fmt(f),
            Error::Cognito(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {}

impl From<crate::oauth::OAuthError> for Error {
    fn from(e: crate::oauth::OAuthError) -> Self {
        Error::OAuth(e)
    }
}

impl From<crate::jwt::JwtError> for Error {
    fn from(e: crate::jwt::JwtError) -> Self {
        Error::Jwt(e)
    }
}

impl From<crate::cognito::CognitoError> for Error {
    fn from(e: crate::cognito::CognitoError) -> Self {
        Error::Cognito(e)
    }
}

impl Error {
    /// Whether retrying may succeed (network, throttling, 5xx): a session
    /// must survive such a failure.
    pub fn is_transient(&self) -> bool {
        match self {
            Error::Network { .. } | Error::Timeout => true,
            Error::Cognito(e) => e.is_transient(),
            _ => false,
        }
    }
}
