//! The core module's exports: handles for clients (`CognitoAuth`) and
//! verifiers (`JwtVerifier`), and running machines, all numbered; JSON
//! strings in and out ([`crate::machine`]).

use crate::prelude::*;

use crate::json::Json;
use crate::machine::value::{num, Obj};
use crate::machine::{
    client_from_options, error_json, start_client_op, start_oauth_op, start_verifier_op,
    verifier_from_options, Client, Machine, Pending, Verifier,
};
use crate::Error;
use alloc::rc::Rc;
use core::cell::RefCell;
use wasm_bindgen::prelude::*;

enum Handle {
    Client(Client),
    Verifier(Rc<Verifier>),
    Machine(Box<Machine>),
    Pending(Box<Pending>),
}

/// The open handles. wasm32 without the `atomics` feature has one thread,
/// so a `static` cell is sound here (std's `thread_local!` is not in a
/// `no_std` build).
struct Handles(RefCell<Vec<Option<Handle>>>);

// SAFETY: the module is built without `atomics`: there is no other thread.
#[cfg(not(target_feature = "atomics"))]
unsafe impl Sync for Handles {}

static HANDLES: Handles = Handles(RefCell::new(Vec::new()));

impl Handles {
    fn with<R>(&self, f: impl FnOnce(&RefCell<Vec<Option<Handle>>>) -> R) -> R {
        f(&self.0)
    }
}

/// Keeps `h`; its number (never 0).
fn keep(h: Handle) -> u32 {
    HANDLES.with(|t| {
        let mut t = t.borrow_mut();
        let i = match t.iter().position(Option::is_none) {
            Some(i) => {
                t[i] = Some(h);
                i
            }
            None => {
                t.push(Some(h));
                t.len() - 1
            }
        };
        (i + 1) as u32
    })
}

fn take(id: u32) -> Option<Handle> {
    HANDLES.with(|t| {
        t.borrow_mut()
            .get_mut((id as usize).wrapping_sub(1))
            .and_then(Option::take)
    })
}

fn put_back(id: u32, h: Handle) {
    HANDLES.with(|t| {
        if let Some(slot) = t.borrow_mut().get_mut((id as usize).wrapping_sub(1)) {
            *slot = Some(h);
        }
    })
}

fn opened(result: Result<Handle, Error>, extra: Obj) -> String {
    match result {
        Ok(h) => extra
            .set("t", "done")
            .set("v", num(f64::from(keep(h))))
            .into(),
        Err(e) => error_json(&e),
    }
    .to_json_string()
}

fn parse(text: &str) -> Json {
    Json::parse(text.as_bytes()).unwrap_or(Json::Null)
}

/// `new CognitoAuth(options)`: `{ t: "done", v: handle, storage }` (the
/// storage the driver is to use: `session`, `local`, `memory`, `adapter`)
/// or `{ t: "error", … }`.
#[wasm_bindgen(js_name = openClient)]
pub fn open_client(options: &str) -> String {
    let client = client_from_options(&parse(options));
    let storage = match &client {
        Ok(c) => match c.config().storage {
            crate::machine::StorageKind::Session => "session",
            crate::machine::StorageKind::Local => "local",
            crate::machine::StorageKind::Memory => "memory",
            crate::machine::StorageKind::Adapter { .. } => "adapter",
        },
        Err(_) => "",
    };
    opened(
        client.map(Handle::Client),
        Obj::new().set("storage", storage),
    )
}

/// `new JwtVerifier(options)`: `{ t: "done", v: handle }` or an error.
#[wasm_bindgen(js_name = openVerifier)]
pub fn open_verifier(options: &str) -> String {
    let v = verifier_from_options(&parse(options));
    opened(v.map(|v| Handle::Verifier(Rc::new(v))), Obj::new())
}

/// Starts `method` with `args` (JSON) on the client or verifier `handle`
/// (0: the server-side `oauth` functions); the machine's number. Its first
/// [`step`] takes `{ now }`.
#[wasm_bindgen]
pub fn start(handle: u32, method: &str, args: &str) -> u32 {
    let args = parse(args);
    let machine = match take(handle) {
        Some(Handle::Client(c)) => {
            let m = start_client_op(&c, method, args);
            put_back(handle, Handle::Client(c));
            m
        }
        Some(Handle::Verifier(v)) => {
            let m = start_verifier_op(&v, args);
            put_back(handle, Handle::Verifier(v));
            m
        }
        Some(other) => {
            put_back(handle, other);
            Machine::failed(Error::InvalidArgument {
                field: "handle",
                reason: "not a client or verifier",
            })
        }
        None if handle == 0 => start_oauth_op(method, args),
        None => Machine::failed(Error::InvalidArgument {
            field: "handle",
            reason: "closed",
        }),
    };
    keep(Handle::Machine(Box::new(machine)))
}

/// Steps machine `id` with the driver's `input` (see
/// [`Machine::step`]): its next effect, value or error, as JSON. A
/// finished machine is dropped.
#[wasm_bindgen]
pub fn step(id: u32, input: &str) -> String {
    let Some(Handle::Machine(mut m)) = take(id) else {
        return error_json(&Error::InvalidArgument {
            field: "machine",
            reason: "unknown",
        })
        .to_json_string();
    };
    let out = m.step(input.as_bytes());
    if !m.is_done() {
        put_back(id, Handle::Machine(m));
    }
    out.to_json_string()
}

/// `JwtVerifier.verify(token)` on verifier `handle` without a machine, at
/// `now` (the host's clock, ms): `""` when it needs one (keys to fetch:
/// [`start`] `verify`), an error (`{ t: "error", … }`), or the signature
/// check `{ t: "verify", id, key, len }`: the host verifies the signature
/// ([`verify_signature`] `id`) over the token's first `len` characters (its
/// ASCII signing input) with the RS256 key it keeps under the number `key`
/// (else [`verify_key`] `id`), then calls [`verify_finish`] `id` — or
/// [`close`] `id`.
#[wasm_bindgen(js_name = verifyBegin)]
pub fn verify_begin(handle: u32, token: &str, now: f64) -> String {
    let begun = match take(handle) {
        Some(Handle::Verifier(v)) => {
            let b = v.begin(token, now);
            put_back(handle, Handle::Verifier(v));
            b
        }
        Some(other) => {
            put_back(handle, other);
            None
        }
        None => None,
    };
    match begun {
        None => String::new(),
        Some(Err(e)) => error_json(&e).to_json_string(),
        Some(Ok(p)) => {
            let len = num(p.signing_input().len() as f64);
            let key = num(p.key_id());
            let id = keep(Handle::Pending(Box::new(p)));
            let check = Obj::new()
                .set("t", "verify")
                .set("id", num(f64::from(id)))
                .set("key", key)
                .set("len", len);
            Json::from(check).to_json_string()
        }
    }
}

/// The RS256 key of a check from [`verify_begin`]: `{ n, e }` (base64url,
/// as published), or `{}` when `id` is not one.
#[wasm_bindgen(js_name = verifyKey)]
pub fn verify_key(id: u32) -> String {
    let mut o = Obj::new();
    if let Some(Handle::Pending(p)) = take(id) {
        let k = p.key();
        o = o.set("n", k.n).set("e", k.e);
        put_back(id, Handle::Pending(p));
    }
    Json::from(o).to_json_string()
}

/// The signature bytes of a check from [`verify_begin`] (empty when `id`
/// is not one).
#[wasm_bindgen(js_name = verifySignature)]
pub fn verify_signature(id: u32) -> Vec<u8> {
    match take(id) {
        Some(Handle::Pending(p)) => {
            let signature = p.signature().to_vec();
            put_back(id, Handle::Pending(p));
            signature
        }
        other => {
            if let Some(h) = other {
                put_back(id, h);
            }
            Vec::new()
        }
    }
}

/// Ends check `id` of [`verify_begin`] with the host's verdict on the
/// signature, at `now` (ms): `{ t: "done", v: claims }` or the error.
#[wasm_bindgen(js_name = verifyFinish)]
pub fn verify_finish(id: u32, valid: bool, now: f64) -> String {
    let e = match take(id) {
        Some(Handle::Pending(p)) => match p.finish(valid, now) {
            Ok(claims) => return ["{\"t\":\"done\",\"v\":", &claims, "}"].concat(),
            Err(e) => e,
        },
        other => {
            if let Some(h) = other {
                put_back(id, h);
            }
            Error::InvalidArgument {
                field: "machine",
                reason: "unknown",
            }
        }
    };
    error_json(&e).to_json_string()
}

/// Drops a client, verifier or machine (an abandoned operation's machine
/// is dropped with its secrets zeroed).
#[wasm_bindgen]
pub fn close(id: u32) {
    drop(take(id));
}
