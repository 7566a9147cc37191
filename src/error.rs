//! The SDK's one error type.
//!
//! Every variant has a stable `code()` (for matching in JS) and a message that
//! says what failed and what to do. Messages never contain secrets, tokens or
//! passwords.

use crate::prelude::*;

use alloc::borrow::Cow;
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
    /// The configured SRP backend (`srp` option, e.g. a Web Worker) failed
    /// or answered something unusable.
    SrpBackend {
        /// What went wrong.
        reason: String,
    },
    /// The host's WebAuthn ceremony (`navigator.credentials.get` /
    /// `create`) failed. `code`: `PasskeyCancelled` for `NotAllowedError`
    /// (dismissed, timed out, or no matching passkey: WebAuthn L3 §5.1.3 /
    /// §5.1.4.1 report all three alike), `PasskeyAlreadyRegistered` for
    /// `InvalidStateError` (an excluded credential, §6.3.2 step 3),
    /// `PasskeyNotSupported` where the runtime has no WebAuthn, and
    /// `PasskeyFailed` for anything else (e.g. `SecurityError`: the page's
    /// origin does not match the relying-party id, §5.1.3 step 7).
    #[cfg(feature = "signin")]
    Passkey {
        /// One of the four codes above.
        code: &'static str,
        /// The host's description.
        reason: String,
    },
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
            Error::SrpBackend { .. } => "SrpWorkerFailed",
            #[cfg(feature = "signin")]
            Error::Passkey { code, .. } => code,
            Error::OAuth(e) => e.code(),
            Error::Jwt(e) => e.code(),
            Error::Cognito(e) => e.code(),
        }
    }
}

impl Error {
    /// The message of the JS error: what failed and what to do. Built by
    /// concatenation, not `core::fmt` (no format strings or argument tables
    /// in the wasm); [`fmt::Display`] prints the same text.
    pub fn message(&self) -> Cow<'static, str> {
        match self {
            Error::InvalidHex { field } => cat(&[
                field,
                " is not a hexadecimal number; pass the value from Cognito's challenge parameters unchanged",
            ]),
            Error::InvalidBase64 { field } => cat(&[
                field,
                " is not valid base64; pass the value from Cognito's challenge parameters unchanged",
            ]),
            Error::InvalidSrpB => {
                "the server's SRP_B is 0 mod N, which no honest server sends; sign-in aborted".into()
            }
            Error::InvalidSrpU => {
                "the SRP scrambling value u = H(A|B) is zero; sign-in aborted, start it again".into()
            }
            Error::EmptyArgument { field } => cat(&[field, " must not be empty"]),
            Error::InvalidUserPoolId => {
                "the user pool id must look like <region>_<id>, e.g. us-east-1_AbCdEf123".into()
            }
            Error::Random => "the platform's secure random number generator failed".into(),
            Error::InvalidArgument { field, reason } => cat(&[field, ": ", reason]),
            Error::Network { reason } => cat(&[
                "the request got no response (",
                reason,
                "); check the network, the endpoint and CORS, then try again",
            ]),
            Error::Timeout => "the request timed out; try again".into(),
            Error::Aborted => "the request was aborted by its AbortSignal".into(),
            Error::Storage { reason } => cat(&[
                "the session storage failed (",
                reason,
                "); nothing was changed",
            ]),
            Error::NotSignedIn => "no user is signed in; call signIn first".into(),
            Error::SessionExpired => {
                "the session has ended (its refresh token was rejected); sign in again".into()
            }
            Error::NoSignInInProgress => {
                "no sign-in is waiting for an answer; call signIn first".into()
            }
            Error::SrpBackend { reason } => cat(&["the SRP backend failed: ", reason]),
            #[cfg(feature = "signin")]
            Error::Passkey { reason, .. } => cat(&["the passkey ceremony failed: ", reason]),
            Error::OAuth(e) => e.message(),
            Error::Jwt(e) => e.message(),
            Error::Cognito(e) => e.message(),
        }
    }
}

/// Concatenates `parts` (`[&str]::concat`, no `core::fmt`).
pub(crate) fn cat(parts: &[&str]) -> Cow<'static, str> {
    Cow::Owned(parts.concat())
}

/// `n` in decimal, without `core::fmt` (which the wasm does not carry):
/// HTTP statuses in messages, numbers in stored records and timestamps.
pub(crate) fn decimal(n: impl Into<u64>) -> String {
    let mut v: u64 = n.into();
    let mut digits = Vec::new();
    loop {
        digits.push(b'0' + (v % 10) as u8);
        v /= 10;
        if v == 0 {
            break;
        }
    }
    digits.iter().rev().map(|&d| char::from(d)).collect()
}

/// [`decimal`] for a signed `n`.
pub(crate) fn signed_decimal(n: i64) -> String {
    let digits = decimal(n.unsigned_abs());
    if n < 0 {
        ["-", &digits].concat()
    } else {
        digits
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl core::error::Error for Error {}

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
            Error::OAuth(e) => e.is_transient(),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cognito::CognitoError;
    use crate::oauth::OAuthError;

    #[test]
    fn decimal_matches_std() {
        for n in [0u16, 7, 10, 99, 400, 1000, 10_000, 65_535] {
            assert_eq!(decimal(n), n.to_string());
        }
        for n in [i64::MIN, -1_763_780_000, -1, 0, 9, 1_763_780_000, i64::MAX] {
            assert_eq!(signed_decimal(n), n.to_string());
        }
        assert_eq!(decimal(u64::MAX), u64::MAX.to_string());
    }

    #[test]
    fn messages_with_values() {
        let service = Error::Cognito(CognitoError::Service {
            code: "NotAuthorizedException".into(),
            message: "Incorrect username or password.".into(),
            status: 400,
            request_id: Some("r-1".into()),
        });
        assert_eq!(
            service.to_string(),
            "NotAuthorizedException (HTTP 400): Incorrect username or password. [request id r-1]"
        );
        let bare = CognitoError::Service {
            code: "InternalErrorException".into(),
            message: String::new(),
            status: 500,
            request_id: None,
        };
        assert_eq!(bare.message(), "InternalErrorException (HTTP 500)");
        let endpoint = Error::OAuth(OAuthError::EndpointError {
            endpoint: "token",
            status: 400,
            error: "invalid_grant".into(),
            description: Some("code expired".into()),
        });
        assert_eq!(
            endpoint.message(),
            "the token endpoint refused the request (HTTP 400): invalid_grant (code expired)"
        );
        assert_eq!(
            Error::EmptyArgument { field: "username" }.message(),
            "username must not be empty"
        );
        assert_eq!(
            Error::Cognito(CognitoError::UnexpectedChallenge { name: "X".into() }).message(),
            "Cognito asked for the challenge \"X\", which this SDK cannot answer here"
        );
    }
}
