//! Reading the JSON the driver passes in (options, arguments) and building
//! the JSON a machine passes out (effects, results), on the core's own
//! [`Json`] type: no serde, no `core::fmt`.

use crate::prelude::*;

use crate::json::Json;
use crate::Error;

/// An object under construction.
#[derive(Default)]
pub struct Obj(Vec<(String, Json)>);

impl Obj {
    /// An empty object.
    pub fn new() -> Obj {
        Obj(Vec::new())
    }

    /// Adds `key: value`.
    pub fn set(self, key: &str, value: impl Into<Json>) -> Obj {
        self.put(key, value.into())
    }

    /// Adds `key: value` when there is a value.
    pub fn opt(self, key: &str, value: Option<impl Into<Json>>) -> Obj {
        match value {
            Some(v) => self.put(key, v.into()),
            None => self,
        }
    }

    // One copy of the push for every caller (wasm size).
    #[inline(never)]
    fn put(mut self, key: &str, value: Json) -> Obj {
        self.0.push((key.to_owned(), value));
        self
    }

    /// `{ name: value }` from pairs.
    pub fn map(pairs: &[(String, String)]) -> Json {
        Json::Object(
            pairs
                .iter()
                .map(|(k, v)| (k.clone(), Json::String(v.clone())))
                .collect(),
        )
    }

    /// An array of strings.
    pub fn list(items: &[String]) -> Json {
        Json::Array(items.iter().map(|s| Json::String(s.clone())).collect())
    }
}

impl From<Obj> for Json {
    fn from(o: Obj) -> Json {
        Json::Object(o.0)
    }
}

impl From<&str> for Json {
    fn from(s: &str) -> Json {
        Json::String(s.to_owned())
    }
}

impl From<String> for Json {
    fn from(s: String) -> Json {
        Json::String(s)
    }
}

impl From<bool> for Json {
    fn from(b: bool) -> Json {
        Json::Bool(b)
    }
}

/// A JSON number for `n`: integers written exactly (what every value here
/// is: milliseconds, seconds, statuses), others rounded to an integer.
pub fn num(n: f64) -> Json {
    if !n.is_finite() {
        return Json::Null;
    }
    let neg = n < 0.0;
    // `+ 0.5` then truncation: rounding without std's `f64::round`.
    let digits = crate::error::decimal(((if neg { -n } else { n }) + 0.5) as u64);
    Json::Number(if neg { ["-", &digits].concat() } else { digits })
}

fn absent(v: Option<&Json>) -> Option<&Json> {
    v.filter(|v| !matches!(v, Json::Null))
}

/// An optional string; a present non-string is an error.
pub fn opt_string(o: &Json, key: &'static str) -> Result<Option<String>, Error> {
    match absent(o.get(key)) {
        None => Ok(None),
        Some(Json::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(Error::InvalidArgument {
            field: key,
            reason: "must be a string",
        }),
    }
}

/// A required, non-empty string.
pub fn string(o: &Json, key: &'static str) -> Result<String, Error> {
    opt_string(o, key)?
        .filter(|s| !s.is_empty())
        .ok_or(Error::EmptyArgument { field: key })
}

/// An optional finite, non-negative number.
pub fn opt_number(o: &Json, key: &'static str) -> Result<Option<f64>, Error> {
    match absent(o.get(key)) {
        None => Ok(None),
        Some(v) => v
            .as_f64()
            .filter(|n| *n >= 0.0)
            .map(Some)
            .ok_or(Error::InvalidArgument {
                field: key,
                reason: "must be a non-negative number",
            }),
    }
}

/// An optional boolean.
pub fn opt_bool(o: &Json, key: &'static str) -> Result<Option<bool>, Error> {
    match absent(o.get(key)) {
        None => Ok(None),
        Some(Json::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(Error::InvalidArgument {
            field: key,
            reason: "must be a boolean",
        }),
    }
}

/// An optional `{ name: string }` object as pairs (absent: none).
pub fn string_map(o: &Json, key: &'static str) -> Result<Vec<(String, String)>, Error> {
    let bad = Error::InvalidArgument {
        field: key,
        reason: "must be an object whose values are strings",
    };
    match absent(o.get(key)) {
        None => Ok(Vec::new()),
        Some(Json::Object(m)) => m
            .iter()
            .map(|(k, v)| {
                v.as_str()
                    .map(|v| (k.clone(), v.to_owned()))
                    .ok_or(bad.clone())
            })
            .collect(),
        Some(_) => Err(bad),
    }
}

/// An optional array of strings.
pub fn string_list(o: &Json, key: &'static str) -> Result<Option<Vec<String>>, Error> {
    let bad = Error::InvalidArgument {
        field: key,
        reason: "must be an array of strings",
    };
    match absent(o.get(key)) {
        None => Ok(None),
        Some(Json::Array(a)) => a
            .iter()
            .map(|s| s.as_str().map(str::to_owned).ok_or(bad.clone()))
            .collect::<Result<Vec<_>, _>>()
            .map(Some),
        Some(_) => Err(bad),
    }
}
