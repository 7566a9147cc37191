//! A machine's failure as the JSON the driver turns into its one
//! `CognitoError` (pkg/driver.js):
//! - `code`: [`crate::Error::code`], except for a Cognito service error
//!   ([`CognitoError::Service`]), where it is Cognito's error name verbatim
//!   (`NotAuthorizedException`, …; Amazon Cognito API Reference, "Common
//!   Errors"), as amazon-cognito-identity-js reports it;
//! - `status` and `requestId` (when the response had `x-amzn-RequestId`)
//!   for a Cognito service error;
//! - `error` (the OAuth `error` code, RFC 6749 §5.2) and `status` for an
//!   authorization-server endpoint error;
//! - `transient`: whether trying again later may succeed.

use super::value::{num, Obj};
use crate::cognito::CognitoError;
use crate::json::Json;
use crate::oauth::OAuthError;
use crate::Error;

/// `{ t: "error", code, message, status?, requestId?, error?, transient }`.
pub fn error_json(err: &Error) -> Json {
    let mut o = Obj::new().set("t", "error");
    let mut code = err.code();
    match err {
        Error::Cognito(CognitoError::Service {
            code: name,
            status,
            request_id,
            ..
        }) => {
            code = name;
            o = o
                .set("status", num(f64::from(*status)))
                .opt("requestId", request_id.as_deref());
        }
        Error::OAuth(OAuthError::EndpointError { status, error, .. }) => {
            o = o
                .set("error", error.as_str())
                .set("status", num(f64::from(*status)));
        }
        _ => {}
    }
    o.set("code", code)
        .set("message", err.message().into_owned())
        .set("transient", err.is_transient())
        .into()
}
