//! The page a browser SDK runs in: the only code that reads or changes
//! `location` and `history`. Every function is a no-op (or `None`) where
//! there is no page (Node, Workers, Web Workers), so the hosted-UI flow runs
//! there too, with the caller navigating.

use js_sys::{Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};

fn global(name: &str) -> Option<JsValue> {
    Reflect::get(&js_sys::global(), &name.into())
        .ok()
        .filter(JsValue::is_object)
}

/// `location.href`, if there is a page.
pub(crate) fn location_href() -> Option<String> {
    Reflect::get(&global("location")?, &"href".into())
        .ok()?
        .as_string()
}

/// `location.assign(url)`; `false` where there is no page.
pub(crate) fn navigate(url: &str) -> bool {
    let Some(location) = global("location") else {
        return false;
    };
    let assign = Reflect::get(&location, &"assign".into()).unwrap_or(JsValue::UNDEFINED);
    match assign.dyn_ref::<Function>() {
        Some(f) => f.call1(&location, &url.into()).is_ok(),
        None => false,
    }
}

/// `history.replaceState(history.state, "", url)`: the address bar and the
/// history entry show `url` instead (best effort; used to drop a callback's
/// `code` and `state`, RFC 9700 §4.2.4).
pub(crate) fn replace_url(url: &str) {
    let Some(history) = global("history") else {
        return;
    };
    let state = Reflect::get(&history, &"state".into()).unwrap_or(JsValue::NULL);
    if let Ok(f) = Reflect::get(&history, &"replaceState".into()) {
        if let Some(f) = f.dyn_ref::<Function>() {
            let _ = f.call3(&history, &state, &"".into(), &url.into());
        }
    }
}
