//! The effect-driven core: one synchronous state machine per public
//! operation of `CognitoAuth`, `JwtVerifier` and `oauth.*`.
//!
//! A machine takes plain data in (the options, the clock, the result of its
//! last effect) and gives plain data out: the next effect to perform
//! (`http`, `sleep`, `get`/`set`/`remove` storage, `lock`/`unlock`, `post`
//! and `ask` on the tabs' channel, `emit`, `timer`, `navigate`,
//! `replaceUrl`, `location`, `srp`, `verify`), then its value or a typed
//! error. Every protocol decision is made here and tested natively
//! (`cargo test`); `pkg/driver.js` performs the effects and makes none. The
//! pattern is rustls's unbuffered API and matrix-sdk-crypto's
//! `outgoingRequests()` / `markRequestAsSent()`, with storage, locks, timers
//! and SRP as effects too.
//!
//! Machines are written as `async` functions over an [`Io`]: each `await`
//! on an effect is a state of the machine. [`Machine::step`] polls the
//! function once per driver round trip with a no-op waker; nothing else
//! drives it (no executor, no JS promise inside the wasm).

use crate::prelude::*;

#[cfg(feature = "signin")]
mod account;
mod client;
mod error;
mod hosted;
mod io;
mod ops;
#[cfg(feature = "signin")]
mod ops_signin;
mod options;
#[cfg(feature = "signin")]
mod passkey;
#[cfg(feature = "signin")]
mod signin;
mod tabs;
mod tokens;
pub mod value;
mod verifier;

pub use client::{Client, StorageKind};
pub use error::error_json;
pub use io::{Io, LocalFuture};
pub use ops::{start_client_op, start_oauth_op, start_verifier_op};
pub use options::{client_from_options, verifier_from_options};
pub use verifier::{Pending, Verifier};

use crate::json::Json;
use crate::Error;
use core::task::{Context, Poll, Waker};
use value::Obj;

/// One running operation.
pub struct Machine {
    io: Io,
    future: Option<LocalFuture<'static, Result<Json, Error>>>,
}

impl Machine {
    /// A machine running `f` (which receives the machine's [`Io`]).
    pub fn start<F, Fut>(f: F) -> Machine
    where
        F: FnOnce(Io) -> Fut,
        Fut: core::future::Future<Output = Result<Json, Error>> + 'static,
    {
        let io = Io::default();
        let future = Box::pin(f(io.clone()));
        Machine {
            io,
            future: Some(future),
        }
    }

    /// A machine that has already failed with `e` (bad arguments).
    pub fn failed(e: Error) -> Machine {
        Machine::start(move |_| async move { Err(e) })
    }

    /// Feeds the driver's `input` (`{ now, v }` with the last effect's value,
    /// or `{ now, e: { kind, message, code? } }` with its failure; the first
    /// step has no `v`) and runs the machine to its next effect (`{ t: …,
    /// … }`), its value (`{ t: "done", v }`) or its error (`{ t: "error",
    /// code, … }`). Stepping a finished machine is an error.
    pub fn step(&mut self, input: &[u8]) -> Json {
        let input = Json::parse(input).unwrap_or(Json::Null);
        {
            let mut x = self.io.0.borrow_mut();
            if let Some(now) = input.get("now").and_then(Json::as_f64) {
                x.now_ms = now;
            }
            if let Some(e) = input.get("e") {
                x.answer = Some(Err(e.clone()));
            } else if let Some(v) = input.get("v") {
                x.answer = Some(Ok(v.clone()));
            }
        }
        let Some(future) = self.future.as_mut() else {
            return error_json(&Error::InvalidArgument {
                field: "machine",
                reason: "finished",
            });
        };
        let mut cx = Context::from_waker(Waker::noop());
        match future.as_mut().poll(&mut cx) {
            Poll::Ready(result) => {
                self.future = None;
                match result {
                    Ok(v) => Obj::new().set("t", "done").set("v", v).into(),
                    Err(e) => error_json(&e),
                }
            }
            Poll::Pending => match self.io.0.borrow_mut().out.take() {
                Some(effect) => effect,
                None => {
                    self.future = None;
                    error_json(&Error::InvalidArgument {
                        field: "machine",
                        reason: "stalled",
                    })
                }
            },
        }
    }

    /// Whether the machine has finished.
    pub fn is_done(&self) -> bool {
        self.future.is_none()
    }
}

#[cfg(all(test, feature = "signin"))]
mod tests;
