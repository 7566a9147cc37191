//! Why a user-pool JSON API call failed ([`crate::Error::Cognito`]), and
//! which failures are worth retrying.
//!
//! Cognito's error shape is the AWS JSON 1.1 protocol's: HTTP 4xx/5xx, the
//! error name in the `x-amzn-ErrorType` header and in the body's `__type`
//! (some proxies and SDKs use `code`), a `message`, and the request id in
//! `x-amzn-RequestId` (Amazon Cognito API Reference, "Common Errors" and each
//! operation's "Errors" section). Names are kept verbatim so callers can
//! match `NotAuthorizedException` and friends. Messages never contain
//! tokens, passwords or secrets.

use crate::prelude::*;

use alloc::borrow::Cow;
use core::fmt;

use crate::error::{cat, decimal};

/// A user-pool JSON API failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CognitoError {
    /// Cognito (or the configured endpoint) answered with an error.
    Service {
        /// The error name, verbatim minus namespace and `:…` suffix, e.g.
        /// `NotAuthorizedException`, `CodeMismatchException`.
        code: String,
        /// Cognito's own message (empty if none).
        message: String,
        /// The HTTP status.
        status: u16,
        /// `x-amzn-RequestId`, for AWS support.
        request_id: Option<String>,
    },
    /// The response is not the JSON the operation documents: an HTML page
    /// from a proxy, a truncated or non-JSON body, an error status without
    /// an error name, a missing or mistyped field.
    InvalidResponse {
        /// The operation (`InitiateAuth`, …).
        operation: &'static str,
        /// The HTTP status.
        status: u16,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A successful sign-in response carried neither `AuthenticationResult`
    /// nor `ChallengeName` (InitiateAuth / RespondToAuthChallenge responses).
    NoResult {
        /// The operation.
        operation: &'static str,
    },
    /// Cognito asked for a challenge this SDK does not know, or one that
    /// makes no sense at this point of the flow.
    UnexpectedChallenge {
        /// The `ChallengeName`, verbatim.
        name: String,
    },
    /// The answer given does not fit the pending step (e.g. a code where a
    /// new password is required), or the flow is already finished.
    WrongAnswer {
        /// What the pending step expects.
        expected: &'static str,
    },
    /// The request never got a response: the transport failed (offline,
    /// DNS, TLS, CORS, timeout, abort). Set by the transport layer.
    Network {
        /// What failed, without URLs or bodies.
        reason: String,
    },
}

impl CognitoError {
    /// The stable code of [`crate::Error::code`]: for service errors
    /// Cognito's name is in [`CognitoError::Service::code`] instead.
    pub fn code(&self) -> &'static str {
        match self {
            CognitoError::Service { .. } => "CognitoServiceError",
            CognitoError::InvalidResponse { .. } => "CognitoInvalidResponse",
            CognitoError::NoResult { .. } => "CognitoNoResult",
            CognitoError::UnexpectedChallenge { .. } => "CognitoUnexpectedChallenge",
            CognitoError::WrongAnswer { .. } => "CognitoWrongAnswer",
            CognitoError::Network { .. } => "NetworkError",
        }
    }

    /// Whether trying again later may succeed: throttling, a 5xx, an
    /// unreadable answer from a failing proxy, or no answer at all. The
    /// session layer must never discard tokens on a transient failure; only
    /// a definitive one (e.g. `NotAuthorizedException` on refresh) ends a
    /// session. See "Error retries and exponential backoff in AWS".
    pub fn is_transient(&self) -> bool {
        match self {
            CognitoError::Service { code, status, .. } => {
                *status >= 500
                    || *status == 429
                    || matches!(
                        code.as_str(),
                        "TooManyRequestsException"
                            | "ThrottlingException"
                            | "LimitExceededException"
                            | "InternalErrorException"
                            | "ServiceUnavailable"
                            | "RequestTimeout"
                    )
            }
            // An HTML page or a cut-off body from a gateway: a 5xx/429 or an
            // unknown status in flight is worth retrying; a 2xx/4xx that we
            // cannot read will not change.
            CognitoError::InvalidResponse { status, .. } => {
                *status >= 500 || *status == 429 || *status == 0
            }
            CognitoError::Network { .. } => true,
            CognitoError::NoResult { .. }
            | CognitoError::UnexpectedChallenge { .. }
            | CognitoError::WrongAnswer { .. } => false,
        }
    }
}

impl CognitoError {
    /// Whether the endpoint says it does not implement the operation
    /// (`UnknownOperationException`, the AWS JSON protocol's answer to an
    /// unknown `X-Amz-Target`; `InvalidAction` / `NotImplemented` from
    /// other AWS front ends): e.g. `GetTokensFromRefreshToken` on a
    /// Cognito-compatible server that predates it.
    pub fn is_unknown_operation(&self) -> bool {
        matches!(self, CognitoError::Service { code, .. }
            if matches!(code.as_str(), "UnknownOperationException" | "InvalidAction" | "NotImplemented"))
    }

    /// Whether the answer was a server error (5xx) that is not Cognito's
    /// JSON: a failing proxy's page, or a Cognito-compatible server's crash
    /// page for an operation it lacks (moto answers unimplemented
    /// operations with an HTML 500). Callers may try an older equivalent
    /// operation, but must report this error, not the fallback's, if that
    /// fails too: it is transient and must not end a session.
    pub fn is_unreadable_server_error(&self) -> bool {
        matches!(self, CognitoError::InvalidResponse { status, .. } if *status >= 500)
    }
}

impl CognitoError {
    /// The message of [`crate::Error::message`], built without `core::fmt`.
    pub fn message(&self) -> Cow<'static, str> {
        match self {
            CognitoError::Service {
                code,
                message,
                status,
                request_id,
            } => {
                let mut m = cat(&[code, " (HTTP ", &decimal(*status), ")"]).into_owned();
                if !message.is_empty() {
                    m.push_str(": ");
                    m.push_str(message);
                }
                if let Some(id) = request_id {
                    m.push_str(" [request id ");
                    m.push_str(id);
                    m.push(']');
                }
                m.into()
            }
            CognitoError::InvalidResponse {
                operation,
                status,
                reason,
            } => cat(&[
                "the ",
                operation,
                " response (HTTP ",
                &decimal(*status),
                ") is not Cognito's: ",
                reason,
                "; check the endpoint or proxy",
            ]),
            CognitoError::NoResult { operation } => cat(&[
                "the ",
                operation,
                " response has neither tokens nor a challenge; start sign-in again",
            ]),
            CognitoError::UnexpectedChallenge { name } => cat(&[
                "Cognito asked for the challenge \"",
                name,
                "\", which this SDK cannot answer here",
            ]),
            CognitoError::WrongAnswer { expected } => {
                cat(&["this sign-in step expects ", expected])
            }
            CognitoError::Network { reason } => {
                cat(&["the request to Cognito failed: ", reason, "; try again"])
            }
        }
    }
}

impl fmt::Display for CognitoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}
