//! Where session state is kept: `sessionStorage` (the default in browsers),
//! `localStorage`, memory (the default where Web Storage is absent: Node,
//! workerd), or an app-supplied adapter. Web Storage (HTML Standard, "Web
//! storage") and adapters share one shape, `getItem` / `setItem` /
//! `removeItem`, and adapters may return promises.
//!
//! A storage that throws (quota exceeded, access denied, a failing adapter)
//! gives [`Error::Storage`]; callers write the session last, so a failed
//! write leaves the previous state in place.

use crate::transport::LocalFuture;
use crate::Error;
use core::cell::RefCell;
use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// One of the storages above.
pub enum Storage {
    /// In this JS realm's memory: gone when the page or process is.
    Memory(RefCell<Vec<(String, String)>>),
    /// An object with `getItem` / `setItem` / `removeItem`: Web Storage or
    /// an adapter (sync or async).
    Object {
        /// The storage object.
        target: JsValue,
        /// Whether other tabs of the origin see the same data
        /// (`localStorage`, or an adapter that says `shared: true`).
        shared: bool,
    },
}

fn storage_error(e: &JsValue) -> Error {
    let reason = Reflect::get(e, &"name".into())
        .ok()
        .and_then(|n| n.as_string())
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "the storage threw".to_owned());
    Error::Storage { reason }
}

/// `globalThis[name]` if it is a usable Web Storage (reading it can throw
/// in sandboxed or opaque-origin documents).
fn web_storage(name: &str) -> Option<JsValue> {
    let s = Reflect::get(&js_sys::global(), &name.into()).ok()?;
    if s.is_undefined() || s.is_null() {
        return None;
    }
    // A probe read: Safari's private mode and blocked storage throw here.
    let get = Reflect::get(&s, &"getItem".into()).ok()?;
    get.dyn_ref::<Function>()?
        .call1(&s, &"cognito-wasm.probe".into())
        .ok()?;
    Some(s)
}

impl Storage {
    /// The storage for the `storage` option: `"session"`, `"local"`,
    /// `"memory"`, an adapter object, or `undefined` (session storage where
    /// present, else memory).
    pub fn from_option(option: &JsValue) -> Result<Storage, Error> {
        let web = |name: &str, shared: bool| {
            web_storage(name)
                .map(|target| Storage::Object { target, shared })
                .ok_or(Error::InvalidArgument {
                    field: "storage",
                    reason: "this runtime has no usable Web Storage of that kind; use \"memory\" or an adapter",
                })
        };
        if option.is_undefined() || option.is_null() {
            return Ok(web("sessionStorage", false).unwrap_or_else(|_| Storage::memory()));
        }
        if let Some(name) = option.as_string() {
            return match name.as_str() {
                "session" => web("sessionStorage", false),
                "local" => web("localStorage", true),
                "memory" => Ok(Storage::memory()),
                _ => Err(Error::InvalidArgument {
                    field: "storage",
                    reason: "must be \"session\", \"local\", \"memory\" or an object with getItem, setItem and removeItem",
                }),
            };
        }
        let has = |m: &str| {
            Reflect::get(option, &m.into())
                .ok()
                .is_some_and(|f| f.is_function())
        };
        if option.is_object() && has("getItem") && has("setItem") && has("removeItem") {
            let shared = Reflect::get(option, &"shared".into())
                .ok()
                .is_some_and(|s| s.is_truthy());
            return Ok(Storage::Object {
                target: option.clone(),
                shared,
            });
        }
        Err(Error::InvalidArgument {
            field: "storage",
            reason: "must be \"session\", \"local\", \"memory\" or an object with getItem, setItem and removeItem",
        })
    }

    /// An empty memory storage.
    pub fn memory() -> Storage {
        Storage::Memory(RefCell::new(Vec::new()))
    }

    /// Whether other tabs of the origin share this storage.
    pub fn is_shared(&self) -> bool {
        matches!(self, Storage::Object { shared: true, .. })
    }

    async fn call(&self, target: &JsValue, method: &str, args: &[&str]) -> Result<JsValue, Error> {
        let f: Function = Reflect::get(target, &method.into())
            .map_err(|e| storage_error(&e))?
            .dyn_into()
            .map_err(|e| storage_error(&e))?;
        let result = match args {
            [a] => f.call1(target, &(*a).into()),
            [a, b] => f.call2(target, &(*a).into(), &(*b).into()),
            _ => f.call0(target),
        }
        .map_err(|e| storage_error(&e))?;
        // Async adapters return promises (or other thenables).
        let thenable = result.is_object()
            && Reflect::get(&result, &"then".into())
                .ok()
                .is_some_and(|t| t.is_function());
        if thenable {
            JsFuture::from(Promise::resolve(&result))
                .await
                .map_err(|e| storage_error(&e))
        } else {
            Ok(result)
        }
    }

    /// The value under `key`, if any. (Boxed like every storage call, so
    /// callers share one state machine instead of inlining it.)
    pub fn get<'a>(&'a self, key: &'a str) -> LocalFuture<'a, Result<Option<String>, Error>> {
        Box::pin(self.get_inner(key))
    }

    /// Stores `value` under `key`.
    pub fn set<'a>(&'a self, key: &'a str, value: &'a str) -> LocalFuture<'a, Result<(), Error>> {
        Box::pin(self.set_inner(key, value))
    }

    /// Removes `key` (absent keys are fine).
    pub fn remove<'a>(&'a self, key: &'a str) -> LocalFuture<'a, Result<(), Error>> {
        Box::pin(self.remove_inner(key))
    }

    async fn get_inner(&self, key: &str) -> Result<Option<String>, Error> {
        match self {
            Storage::Memory(m) => Ok(m
                .borrow()
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())),
            Storage::Object { target, .. } => {
                Ok(self.call(target, "getItem", &[key]).await?.as_string())
            }
        }
    }

    async fn set_inner(&self, key: &str, value: &str) -> Result<(), Error> {
        match self {
            Storage::Memory(m) => {
                let mut m = m.borrow_mut();
                match m.iter_mut().find(|(k, _)| k == key) {
                    Some(slot) => slot.1 = value.to_owned(),
                    None => m.push((key.to_owned(), value.to_owned())),
                }
                Ok(())
            }
            Storage::Object { target, .. } => {
                self.call(target, "setItem", &[key, value]).await.map(drop)
            }
        }
    }

    async fn remove_inner(&self, key: &str) -> Result<(), Error> {
        match self {
            Storage::Memory(m) => {
                m.borrow_mut().retain(|(k, _)| k != key);
                Ok(())
            }
            Storage::Object { target, .. } => {
                self.call(target, "removeItem", &[key]).await.map(drop)
            }
        }
    }
}
