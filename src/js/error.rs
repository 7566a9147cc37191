//! Core errors as JS `Error` objects with `name = "CognitoError"` and a stable
//! `code`, which the JS layer (`pkg/api.js`) turns into its `CognitoError` class.

use wasm_bindgen::JsValue;

/// Builds the JS error for a core error.
pub(crate) fn to_js(err: crate::Error) -> JsValue {
    let e = js_sys::Error::new(&err.to_string());
    e.set_name("CognitoError");
    let _ = js_sys::Reflect::set(&e, &"code".into(), &err.code().into());
    e.into()
}
