//! Why a hosted-UI step failed. Messages never contain codes, tokens,
//! verifiers or secrets; an authorization server's own `error` and
//! `error_description` are repeated because they are what the user needs.

use crate::prelude::*;

use alloc::borrow::Cow;
use core::fmt;

use crate::error::{cat, decimal};

/// A hosted-UI (OAuth 2.0 / OpenID Connect) failure ([`crate::Error::OAuth`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OAuthError {
    /// A configured URL (domain, redirect or logout URI) is malformed.
    InvalidUrl {
        /// Which setting.
        field: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// An endpoint URL uses plain `http` on a host that is not loopback.
    InsecureUrl {
        /// Which setting.
        field: &'static str,
    },
    /// The callback URL is not an authorization response (RFC 6749 §4.1.2):
    /// no query, a repeated parameter, bad percent-encoding, or no `code`.
    InvalidCallback {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The callback has no `state` (RFC 6749 §10.12: CSRF protection).
    StateMissing,
    /// No pending sign-in exists for the callback: it was already used (a
    /// reloaded or replayed callback URL), belongs to another tab, or was
    /// never started here.
    UnknownState,
    /// The callback's `state` is not the pending sign-in's (RFC 6749 §10.12).
    StateMismatch,
    /// The pending sign-in is older than the allowed age.
    TransactionExpired,
    /// The callback's `iss` is not the expected issuer (RFC 9207 §2.4).
    IssuerMismatch,
    /// The authorization server redirected back with an error (RFC 6749
    /// §4.1.2.1), e.g. `access_denied`.
    CallbackError {
        /// The `error` code, verbatim.
        error: String,
        /// The `error_description`, if any.
        description: Option<String>,
    },
    /// A stored transaction string could not be read back.
    InvalidTransaction,
    /// An endpoint answered with an OAuth error (RFC 6749 §5.2, RFC 7009
    /// §2.2.1, RFC 6750 §3.1), e.g. `invalid_grant`.
    EndpointError {
        /// `token`, `revoke` or `userInfo`.
        endpoint: &'static str,
        /// The HTTP status.
        status: u16,
        /// The `error` code, verbatim.
        error: String,
        /// The `error_description`, if any.
        description: Option<String>,
    },
    /// An endpoint's answer is not what the spec prescribes: an HTML page, a
    /// non-JSON or truncated body, a missing or mistyped field.
    InvalidResponse {
        /// `token`, `revoke` or `userInfo`.
        endpoint: &'static str,
        /// The HTTP status.
        status: u16,
        /// What is wrong with it.
        reason: &'static str,
    },
}

impl OAuthError {
    /// The stable code of [`crate::Error::code`].
    pub fn code(&self) -> &'static str {
        match self {
            OAuthError::InvalidUrl { .. } => "InvalidUrl",
            OAuthError::InsecureUrl { .. } => "InsecureUrl",
            OAuthError::InvalidCallback { .. } => "OAuthInvalidCallback",
            OAuthError::StateMissing => "OAuthStateMissing",
            OAuthError::UnknownState => "OAuthUnknownState",
            OAuthError::StateMismatch => "OAuthStateMismatch",
            OAuthError::TransactionExpired => "OAuthTransactionExpired",
            OAuthError::IssuerMismatch => "OAuthIssuerMismatch",
            OAuthError::CallbackError { .. } => "OAuthCallbackError",
            OAuthError::InvalidTransaction => "OAuthInvalidTransaction",
            OAuthError::EndpointError { .. } => "OAuthEndpointError",
            OAuthError::InvalidResponse { .. } => "OAuthInvalidResponse",
        }
    }

    /// Whether trying again later may succeed, as for the JSON API: an
    /// endpoint's 5xx or 429 (or RFC 6749's `server_error` and
    /// `temporarily_unavailable`), or an unreadable answer with such a
    /// status (a gateway's page). A 4xx such as `invalid_grant` will not
    /// change.
    pub fn is_transient(&self) -> bool {
        let busy = |status: u16| status >= 500 || status == 429;
        match self {
            OAuthError::EndpointError { status, error, .. } => {
                busy(*status)
                    || matches!(error.as_str(), "server_error" | "temporarily_unavailable")
            }
            OAuthError::InvalidResponse { status, .. } => busy(*status) || *status == 0,
            _ => false,
        }
    }
}

/// `error`, then ` (description)` when there is one.
fn described(m: Cow<'static, str>, error: &str, description: &Option<String>) -> Cow<'static, str> {
    let mut m = m.into_owned();
    m.push_str(error);
    if let Some(d) = description {
        m.push_str(" (");
        m.push_str(d);
        m.push(')');
    }
    m.into()
}

impl OAuthError {
    /// The message of [`crate::Error::message`], built without `core::fmt`.
    pub fn message(&self) -> Cow<'static, str> {
        match self {
            OAuthError::InvalidUrl { field, reason } => {
                cat(&[field, " is not a valid URL: ", reason])
            }
            OAuthError::InsecureUrl { field } => cat(&[
                field,
                " must use https (plain http is allowed only for localhost and 127.0.0.1)",
            ]),
            OAuthError::InvalidCallback { reason } => {
                cat(&["the URL is not a valid sign-in callback: ", reason])
            }
            OAuthError::StateMissing => {
                "the callback URL has no state parameter, so it cannot be tied to a sign-in started here; start sign-in again".into()
            }
            OAuthError::UnknownState => {
                "no pending sign-in matches this callback: it was already used, belongs to another tab, or was not started here; start sign-in again".into()
            }
            OAuthError::StateMismatch => {
                "the callback's state does not match the pending sign-in (possible CSRF); start sign-in again".into()
            }
            OAuthError::TransactionExpired => {
                "the sign-in took too long and expired; start sign-in again".into()
            }
            OAuthError::IssuerMismatch => {
                "the callback comes from another authorization server (iss mismatch); start sign-in again".into()
            }
            OAuthError::CallbackError { error, description } => described(
                "the hosted UI returned an error: ".into(),
                error,
                description,
            ),
            OAuthError::InvalidTransaction => {
                "the stored sign-in transaction is corrupt or from an incompatible version; start sign-in again".into()
            }
            OAuthError::EndpointError {
                endpoint,
                status,
                error,
                description,
            } => described(
                cat(&[
                    "the ",
                    endpoint,
                    " endpoint refused the request (HTTP ",
                    &decimal(*status),
                    "): ",
                ]),
                error,
                description,
            ),
            OAuthError::InvalidResponse {
                endpoint,
                status,
                reason,
            } => cat(&[
                "the ",
                endpoint,
                " endpoint's response (HTTP ",
                &decimal(*status),
                ") is invalid: ",
                reason,
                "; check the hosted UI domain",
            ]),
        }
    }
}

impl fmt::Display for OAuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}
