//! Reading JS option objects and building JS result objects, without serde
//! (a few `Reflect` calls cost far fewer wasm bytes than a derive).

use crate::Error;
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::JsValue;

/// `obj[key]` (`undefined` when absent or when `obj` is not an object).
pub(crate) fn get(obj: &JsValue, key: &str) -> JsValue {
    if !obj.is_object() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(obj, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

fn absent(v: &JsValue) -> bool {
    v.is_undefined() || v.is_null()
}

/// An optional string option; a present non-string is an error.
pub(crate) fn opt_string(obj: &JsValue, key: &'static str) -> Result<Option<String>, Error> {
    let v = get(obj, key);
    if absent(&v) {
        return Ok(None);
    }
    v.as_string().map(Some).ok_or(Error::InvalidArgument {
        field: key,
        reason: "must be a string",
    })
}

/// A required, non-empty string option.
pub(crate) fn string(obj: &JsValue, key: &'static str) -> Result<String, Error> {
    opt_string(obj, key)?
        .filter(|s| !s.is_empty())
        .ok_or(Error::EmptyArgument { field: key })
}

/// An optional finite, non-negative number option.
pub(crate) fn opt_number(obj: &JsValue, key: &'static str) -> Result<Option<f64>, Error> {
    let v = get(obj, key);
    if absent(&v) {
        return Ok(None);
    }
    v.as_f64()
        .filter(|n| n.is_finite() && *n >= 0.0)
        .map(Some)
        .ok_or(Error::InvalidArgument {
            field: key,
            reason: "must be a non-negative number",
        })
}

/// An optional boolean option.
pub(crate) fn opt_bool(obj: &JsValue, key: &'static str) -> Result<Option<bool>, Error> {
    let v = get(obj, key);
    if absent(&v) {
        return Ok(None);
    }
    v.as_bool().map(Some).ok_or(Error::InvalidArgument {
        field: key,
        reason: "must be a boolean",
    })
}

/// An optional `{ name: "value" }` object of strings.
pub(crate) fn string_map(obj: &JsValue, key: &'static str) -> Result<Vec<(String, String)>, Error> {
    let v = get(obj, key);
    if absent(&v) {
        return Ok(Vec::new());
    }
    let bad = Error::InvalidArgument {
        field: key,
        reason: "must be an object whose values are strings",
    };
    let o: &Object = wasm_bindgen::JsCast::dyn_ref(&v).ok_or(bad.clone())?;
    let mut out = Vec::new();
    for entry in Object::entries(o).iter() {
        let pair: Array = entry.into();
        match (pair.get(0).as_string(), pair.get(1).as_string()) {
            (Some(k), Some(val)) => out.push((k, val)),
            _ => return Err(bad),
        }
    }
    Ok(out)
}

/// An optional `AbortSignal` (`signal` option).
pub(crate) fn signal(obj: &JsValue) -> Option<JsValue> {
    Some(get(obj, "signal")).filter(|s| s.is_object())
}

/// Builds a plain JS object.
pub(crate) struct Obj(Object);

impl Obj {
    pub(crate) fn new() -> Obj {
        Obj(Object::new())
    }

    pub(crate) fn set(self, key: &str, value: impl Into<JsValue>) -> Obj {
        let _ = Reflect::set(&self.0, &key.into(), &value.into());
        self
    }

    pub(crate) fn opt(self, key: &str, value: Option<impl Into<JsValue>>) -> Obj {
        match value {
            Some(v) => self.set(key, v),
            None => self,
        }
    }

    /// `{ k: v, … }` from pairs.
    pub(crate) fn map(pairs: &[(String, String)]) -> JsValue {
        pairs
            .iter()
            .fold(Obj::new(), |o, (k, v)| o.set(k, v.as_str()))
            .into()
    }

    /// `[s, …]` from strings.
    pub(crate) fn list(items: &[String]) -> JsValue {
        items
            .iter()
            .map(|s| JsValue::from(s.as_str()))
            .collect::<Array>()
            .into()
    }
}

impl From<Obj> for JsValue {
    fn from(o: Obj) -> JsValue {
        o.0.into()
    }
}
