//! The SRP module's errors as JS `Error` objects with `name =
//! "CognitoError"`, a stable `code` ([`crate::Error::code`]) and
//! `transient`, which the JS layer turns into its `CognitoError` class.
//! Only the errors the SRP math can raise get their full message here: the
//! module does not carry the texts of the core's user-pool, OAuth and JWT
//! errors, which it never raises.

use crate::Error;
use js_sys::Reflect;
use wasm_bindgen::JsValue;

fn set(e: &JsValue, key: &str, value: JsValue) {
    let _ = Reflect::set(e, &JsValue::from_str(key), &value);
}

/// Builds the JS error for an SRP error.
pub(crate) fn to_js(err: Error) -> JsValue {
    let message = match &err {
        Error::InvalidHex { .. }
        | Error::InvalidBase64 { .. }
        | Error::InvalidSrpB
        | Error::InvalidSrpU
        | Error::EmptyArgument { .. }
        | Error::InvalidUserPoolId
        | Error::Random => err.message(),
        other => other.code().into(),
    };
    let e = js_sys::Error::new(&message);
    e.set_name("CognitoError");
    let e = JsValue::from(e);
    set(&e, "code", JsValue::from_str(err.code()));
    set(&e, "transient", JsValue::from_bool(err.is_transient()));
    e
}
