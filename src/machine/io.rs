//! The effect channel between one running machine and the driver that
//! performs its effects.
//!
//! A machine is an `async` Rust function over an [`Io`]. Awaiting an
//! effect parks the effect (as JSON data) in the channel and suspends the
//! machine; [`super::Machine::step`] hands the effect to the driver and
//! resumes the machine with the driver's result. Nothing here touches the
//! host: no executor, no waker, no JS value — the same machine runs under a
//! native test's scripted driver and under `pkg/driver.js`.

use crate::prelude::*;

use super::value::{num, Obj};
use crate::http::{HttpRequest, HttpResponse};
use crate::json::Json;
use crate::transport::{is_throttling_name, parse_retry_after, Idempotency, Outcome, Transport};
use crate::Error;
use alloc::rc::Rc;
use core::cell::RefCell;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

/// A boxed, non-`Send` future (machines are single-threaded).
pub type LocalFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// What the driver answered: the effect's value, or its failure
/// (`{ kind, message, code? }`).
pub(crate) type Answer = Result<Json, Json>;

#[derive(Default)]
pub(crate) struct Exchange {
    /// The effect the machine waits on, not yet handed to the driver.
    pub(crate) out: Option<Json>,
    /// The driver's answer, not yet read by the machine.
    pub(crate) answer: Option<Answer>,
    /// The driver's clock at the last step, milliseconds since the epoch.
    pub(crate) now_ms: f64,
}

/// One machine's end of the channel. Cheap to clone.
#[derive(Clone, Default)]
pub struct Io(pub(crate) Rc<RefCell<Exchange>>);

/// An effect in flight: parks on the first poll, returns the answer on the
/// next.
struct Pending {
    io: Io,
    effect: Option<Json>,
}

impl Future for Pending {
    type Output = Answer;
    fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Answer> {
        if let Some(effect) = self.effect.take() {
            self.io.0.borrow_mut().out = Some(effect);
            return Poll::Pending;
        }
        match self.io.0.borrow_mut().answer.take() {
            Some(a) => Poll::Ready(a),
            None => Poll::Pending,
        }
    }
}

/// The host's description of a failed effect.
fn reason(e: &Json) -> String {
    e.get("message")
        .and_then(Json::as_str)
        .unwrap_or("failed")
        .to_owned()
}

/// Whether a response says the request was throttled (and so not
/// processed): HTTP 429, or a 400 whose AWS error name is a throttling one.
fn is_throttling(r: &HttpResponse) -> bool {
    if r.status == 429 {
        return true;
    }
    if r.status != 400 {
        return false;
    }
    let from_body = || {
        Json::parse(r.body.as_bytes())
            .and_then(|j| j.get("__type").and_then(|t| t.as_str().map(str::to_owned)))
    };
    r.header("x-amzn-errortype")
        .map(str::to_owned)
        .or_else(from_body)
        .is_some_and(|name| is_throttling_name(crate::cognito::error_name(&name)))
}

impl Io {
    /// Suspends until the driver answers `effect`.
    pub(crate) fn effect(&self, effect: Obj) -> impl Future<Output = Answer> {
        Pending {
            io: self.clone(),
            effect: Some(effect.into()),
        }
    }

    /// The driver's clock, Unix seconds.
    pub fn now(&self) -> i64 {
        (self.0.borrow().now_ms / 1000.0) as i64
    }

    /// The driver's clock, Unix seconds with fractions.
    pub fn now_f64(&self) -> f64 {
        self.0.borrow().now_ms / 1000.0
    }

    /// Sends `request` (effect `http`), retrying as the transport's
    /// [`RetryPolicy`] allows for an operation of the given [`Idempotency`]
    /// ("Error retries and exponential backoff in AWS": throttling for
    /// every operation, 5xx and lost responses only for idempotent ones),
    /// waiting at least a `Retry-After` the answer carried.
    /// A response with any status is `Ok`: reading it is the caller's job.
    pub fn send<'a>(
        &'a self,
        transport: &'a Transport,
        request: &'a HttpRequest,
        idempotency: Idempotency,
    ) -> LocalFuture<'a, Result<HttpResponse, Error>> {
        Box::pin(async move {
            let mut attempt = 0u32;
            loop {
                let result = self.send_once(transport, request).await;
                let outcome = match &result {
                    Ok(r) => Outcome::Response {
                        status: r.status,
                        throttled: is_throttling(r),
                    },
                    Err(e) if e.is_transient() => Outcome::NoResponse,
                    Err(_) => Outcome::Final,
                };
                let unit = random_unit();
                match transport
                    .retry
                    .delay_ms(attempt, idempotency, outcome, unit)
                {
                    Some(ms) => {
                        // The server may say how long to wait (a throttle, a 503).
                        let asked = result
                            .as_ref()
                            .ok()
                            .and_then(|r| parse_retry_after(r.header("retry-after")?, self.now()));
                        let ms = transport.retry.with_retry_after(ms, asked);
                        // An abort during the wait ends the call.
                        if let Err(e) = self
                            .effect(Obj::new().set("t", "sleep").set("ms", num(f64::from(ms))))
                            .await
                        {
                            return Err(host_error(&e));
                        }
                        attempt += 1;
                    }
                    None => return result,
                }
            }
        })
    }

    fn send_once<'a>(
        &'a self,
        transport: &'a Transport,
        request: &'a HttpRequest,
    ) -> LocalFuture<'a, Result<HttpResponse, Error>> {
        Box::pin(async move {
            let headers: Vec<Json> = request
                .headers
                .iter()
                .map(|(k, v)| (*k, v.as_str()))
                .chain(
                    transport
                        .headers_for(&request.url)
                        .iter()
                        .map(|(k, v)| (k.as_str(), v.as_str())),
                )
                .map(|(k, v)| Json::Array(vec![Json::String(k.into()), Json::String(v.into())]))
                .collect();
            let effect = Obj::new()
                .set("t", "http")
                .set("method", request.method)
                .set("url", request.url.as_str())
                .set("headers", Json::Array(headers))
                .opt("body", request.body.as_deref())
                .set("timeout", num(f64::from(transport.timeout_ms)));
            let v = self.effect(effect).await.map_err(|e| host_error(&e))?;
            let header_pairs = v
                .get("headers")
                .and_then(Json::as_array)
                .unwrap_or(&[])
                .iter()
                .filter_map(|p| {
                    let p = p.as_array()?;
                    Some((
                        p.first()?.as_str()?.to_owned(),
                        p.get(1)?.as_str()?.to_owned(),
                    ))
                })
                .collect();
            Ok(HttpResponse {
                status: v.get("status").and_then(Json::as_f64).unwrap_or(0.0) as u16,
                headers: header_pairs,
                body: v
                    .get("body")
                    .and_then(Json::as_str)
                    .unwrap_or("")
                    .to_owned(),
            })
        })
    }

    /// The stored value under `key` (effect `get`).
    pub fn get<'a>(&'a self, key: &'a str) -> LocalFuture<'a, Result<Option<String>, Error>> {
        Box::pin(async move {
            let v = self
                .effect(Obj::new().set("t", "get").set("key", key))
                .await
                .map_err(|e| host_error(&e))?;
            Ok(v.as_str().map(str::to_owned))
        })
    }

    /// Stores `value` under `key` (effect `set`).
    pub fn set<'a>(&'a self, key: &'a str, value: &'a str) -> LocalFuture<'a, Result<(), Error>> {
        Box::pin(async move {
            let e = Obj::new()
                .set("t", "set")
                .set("key", key)
                .set("value", value);
            self.effect(e).await.map(drop).map_err(|e| host_error(&e))
        })
    }

    /// Removes `key` (effect `remove`; absent keys are fine).
    pub fn remove<'a>(&'a self, key: &'a str) -> LocalFuture<'a, Result<(), Error>> {
        Box::pin(async move {
            let e = Obj::new().set("t", "remove").set("key", key);
            self.effect(e).await.map(drop).map_err(|e| host_error(&e))
        })
    }

    /// Tells the app (effect `emit`): this tab's listeners.
    pub fn emit<'a>(&'a self, name: &'a str, detail: Option<&'a str>) -> LocalFuture<'a, ()> {
        Box::pin(async move {
            let e = Obj::new()
                .set("t", "emit")
                .set("name", name)
                .opt("detail", detail);
            let _ = self.effect(e).await;
        })
    }

    /// A fire-and-forget effect (`post`, `timer`, `navigate`, …): its
    /// answer, if any, is not needed.
    pub(crate) fn tell<'a>(&'a self, effect: Obj) -> LocalFuture<'a, Option<Json>> {
        Box::pin(async move { self.effect(effect).await.ok() })
    }
}

/// A uniform random number in [0, 1) for backoff jitter.
fn random_unit() -> f64 {
    let mut b = [0u8; 4];
    let _ = getrandom::fill(&mut b);
    f64::from(u32::from_le_bytes(b)) / 4_294_967_296.0
}

/// The SDK error for a failed effect, from the driver's `{ kind, message,
/// code }`.
pub(crate) fn host_error(e: &Json) -> Error {
    let kind = e.get("kind").and_then(Json::as_str).unwrap_or("");
    match kind {
        "timeout" => Error::Timeout,
        "aborted" => Error::Aborted,
        "network" => Error::Network { reason: reason(e) },
        "storage" => Error::Storage { reason: reason(e) },
        _ => match e.get("code").and_then(Json::as_str) {
            Some("InvalidSrpB") => Error::InvalidSrpB,
            Some("InvalidSrpU") => Error::InvalidSrpU,
            Some("TimeoutError") => Error::Timeout,
            _ => Error::SrpBackend { reason: reason(e) },
        },
    }
}
