//! Core errors as JS `Error` objects with `name = "CognitoError"` and a stable
//! `code`, which the JS layer (`pkg/api.js`) turns into its `CognitoError` class.
//!
//! Properties set on the error:
//! - `code`: [`crate::Error::code`], except for a Cognito service error
//!   ([`crate::cognito::CognitoError::Service`]), where it is Cognito's error
//!   name verbatim (`NotAuthorizedException`, …; Amazon Cognito API
//!   Reference, "Common Errors"), as amazon-cognito-identity-js reports it;
//! - `status` (number) and `requestId` (string, or absent when the response
//!   had no `x-amzn-RequestId`) for a Cognito service error;
//! - `error` (the OAuth `error` code, RFC 6749 §5.2) and `status` for an
//!   authorization-server endpoint error;
//! - `transient`: [`crate::Error::is_transient`], whether trying again later
//!   may succeed.

use crate::cognito::CognitoError;
use crate::oauth::OAuthError;
use js_sys::Reflect;
use wasm_bindgen::JsValue;

fn set(e: &JsValue, key: &str, value: JsValue) {
    let _ = Reflect::set(e, &JsValue::from_str(key), &value);
}

/// Builds the JS error for a core error.
pub(crate) fn to_js(err: crate::Error) -> JsValue {
    let e = js_sys::Error::new(&err.message());
    e.set_name("CognitoError");
    let e = JsValue::from(e);
    let mut code = JsValue::from_str(err.code());
    match &err {
        crate::Error::Cognito(CognitoError::Service {
            code: name,
            status,
            request_id,
            ..
        }) => {
            code = JsValue::from_str(name);
            set(&e, "status", JsValue::from(*status));
            if let Some(id) = request_id {
                set(&e, "requestId", JsValue::from_str(id));
            }
        }
        crate::Error::OAuth(OAuthError::EndpointError { status, error, .. }) => {
            set(&e, "error", JsValue::from_str(error));
            set(&e, "status", JsValue::from(*status));
        }
        _ => {}
    }
    set(&e, "code", code);
    set(&e, "transient", JsValue::from_bool(err.is_transient()));
    e
}
