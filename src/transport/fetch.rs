//! `fetch` (WHATWG Fetch Standard), reached as a global function (never
//! through `window`), so the same code runs in browsers, workerd and Node.
//! Each attempt has a timeout (`AbortSignal.timeout`), combined with the
//! caller's `AbortSignal` when one is given (`AbortSignal.any`).

use super::{is_throttling_name, Idempotency, Outcome, RetryPolicy};
use crate::oauth::HttpRequest;
use crate::Error;
use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    /// The global `fetch` (called without a receiver, as workerd requires).
    #[wasm_bindgen(catch, js_name = fetch)]
    fn global_fetch(url: &str, init: &Object) -> Result<Promise, JsValue>;

    /// A WHATWG `Response`.
    type FetchResponse;
    #[wasm_bindgen(method, getter)]
    fn status(this: &FetchResponse) -> u16;
    #[wasm_bindgen(method, getter)]
    fn headers(this: &FetchResponse) -> FetchHeaders;
    #[wasm_bindgen(method, catch)]
    fn text(this: &FetchResponse) -> Result<Promise, JsValue>;

    /// A WHATWG `Headers`.
    type FetchHeaders;
    #[wasm_bindgen(method)]
    fn get(this: &FetchHeaders, name: &str) -> Option<String>;

    #[wasm_bindgen(catch, js_namespace = AbortSignal, js_name = timeout)]
    fn abort_signal_timeout(ms: u32) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_namespace = AbortSignal, js_name = any)]
    fn abort_signal_any(signals: &js_sys::Array) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &js_sys::Function, ms: u32) -> JsValue;
}

/// Response headers the core reads (`Date` for clock skew, the AWS error
/// type and request id, content type to spot HTML error pages,
/// `Retry-After` for throttling). Browsers only expose the ones the server
/// lists in `Access-Control-Expose-Headers`.
const READ_HEADERS: [&str; 6] = [
    "date",
    "content-type",
    "x-amzn-errortype",
    "x-amzn-requestid",
    "retry-after",
    "www-authenticate",
];

/// A boxed, non-`Send` future (JS is single-threaded).
pub type LocalFuture<'a, T> = core::pin::Pin<Box<dyn core::future::Future<Output = T> + 'a>>;

/// A received response.
#[derive(Debug, Clone)]
pub struct HttpResponse {
    /// The HTTP status.
    pub status: u16,
    /// The headers in [`READ_HEADERS`] that were present, names lower-case.
    pub headers: Vec<(String, String)>,
    /// The body, decoded as UTF-8 text.
    pub body: String,
}

impl HttpResponse {
    /// The value of header `name` (lower-case), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        crate::oauth::find_header(&self.headers, name)
    }
}

/// How requests are sent: timeout, retries, extra headers, an optional
/// `fetch` replacement (a proxying or instrumented `fetch` from the app).
#[derive(Clone)]
pub struct Transport {
    /// Per-attempt timeout in milliseconds.
    pub timeout_ms: u32,
    /// When and how often to retry.
    pub retry: RetryPolicy,
    /// Headers added to every request (e.g. for a proxy).
    pub headers: Vec<(String, String)>,
    /// A `fetch`-compatible function to use instead of the global one.
    pub fetch: Option<js_sys::Function>,
}

impl Default for Transport {
    fn default() -> Self {
        Transport {
            timeout_ms: 15_000,
            retry: RetryPolicy::default(),
            headers: Vec::new(),
            fetch: None,
        }
    }
}

fn js_reason(e: &JsValue) -> String {
    let message = Reflect::get(e, &"message".into())
        .ok()
        .and_then(|m| m.as_string());
    message
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "fetch failed".to_owned())
}

fn error_name(e: &JsValue) -> Option<String> {
    Reflect::get(e, &"name".into()).ok()?.as_string()
}

/// Resolves after `ms` milliseconds.
pub async fn sleep(ms: u32) {
    let promise = Promise::new(&mut |resolve, _| {
        set_timeout(&resolve, ms);
    });
    let _ = JsFuture::from(promise).await;
}

fn is_aborted(signal: Option<&JsValue>) -> bool {
    signal
        .and_then(|s| Reflect::get(s, &"aborted".into()).ok())
        .is_some_and(|a| a.is_truthy())
}

impl Transport {
    /// Sends `request`, retrying as [`RetryPolicy`] allows for an operation
    /// of the given [`Idempotency`]. `signal` is the caller's `AbortSignal`.
    /// A response with any status is `Ok`: reading it is the core's job.
    ///
    /// Boxed: every caller awaits this one future instead of inlining the
    /// fetch/retry state machine into its own (a large wasm size saving).
    pub fn send<'a>(
        &'a self,
        request: &'a HttpRequest,
        idempotency: Idempotency,
        signal: Option<&'a JsValue>,
    ) -> LocalFuture<'a, Result<HttpResponse, Error>> {
        Box::pin(self.send_inner(request, idempotency, signal))
    }

    async fn send_inner(
        &self,
        request: &HttpRequest,
        idempotency: Idempotency,
        signal: Option<&JsValue>,
    ) -> Result<HttpResponse, Error> {
        let mut attempt = 0u32;
        loop {
            let result = self.send_once(request, signal).await;
            let outcome = match &result {
                Ok(r) => Outcome::Response {
                    status: r.status,
                    throttled: is_throttling(r),
                },
                Err(e) if e.is_transient() => Outcome::NoResponse,
                Err(_) => Outcome::Final,
            };
            let delay = self
                .retry
                .delay_ms(attempt, idempotency, outcome, random_unit());
            match delay {
                Some(delay) if !is_aborted(signal) => {
                    sleep(delay).await;
                    attempt += 1;
                }
                _ => return result,
            }
        }
    }

    async fn send_once(
        &self,
        request: &HttpRequest,
        signal: Option<&JsValue>,
    ) -> Result<HttpResponse, Error> {
        if is_aborted(signal) {
            return Err(Error::Aborted);
        }
        let init = Object::new();
        let set = |k: &str, v: &JsValue| {
            let _ = Reflect::set(&init, &k.into(), v);
        };
        set("method", &request.method.into());
        let headers = Object::new();
        for (k, v) in request
            .headers
            .iter()
            .map(|(k, v)| (*k, v.as_str()))
            .chain(self.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        {
            let _ = Reflect::set(&headers, &k.into(), &v.into());
        }
        set("headers", &headers);
        if let Some(body) = &request.body {
            set("body", &body.as_str().into());
        }
        // Tokens must never be served from or written to an HTTP cache; the
        // `cache` option itself is not set (workerd rejects it), the
        // request's `Cache-Control: no-store` header says it instead.
        set("credentials", &"omit".into());
        set("redirect", &"manual".into());
        let timeout = abort_signal_timeout(self.timeout_ms).ok();
        let combined = match (timeout, signal) {
            (Some(t), Some(s)) => {
                abort_signal_any(&js_sys::Array::of2(&t, s)).unwrap_or_else(|_| s.clone())
            }
            (Some(t), None) => t,
            (None, Some(s)) => s.clone(),
            (None, None) => JsValue::UNDEFINED,
        };
        if !combined.is_undefined() {
            set("signal", &combined);
        }
        let failed = |e: JsValue| -> Error {
            if is_aborted(signal) {
                return Error::Aborted;
            }
            match error_name(&e).as_deref() {
                Some("TimeoutError") => Error::Timeout,
                Some("AbortError") => Error::Timeout,
                _ => Error::Network {
                    reason: js_reason(&e),
                },
            }
        };
        let promise = match &self.fetch {
            Some(f) => f
                .call2(&JsValue::UNDEFINED, &request.url.as_str().into(), &init)
                .map(Promise::from),
            None => global_fetch(&request.url, &init),
        }
        .map_err(failed)?;
        let response: FetchResponse = JsFuture::from(promise)
            .await
            .map_err(failed)?
            .unchecked_into();
        let status = response.status();
        let h = response.headers();
        let headers = READ_HEADERS
            .iter()
            .filter_map(|name| h.get(name).map(|v| ((*name).to_owned(), v)))
            .collect();
        let text = response.text().map_err(failed)?;
        let body = JsFuture::from(text)
            .await
            .map_err(failed)?
            .as_string()
            .unwrap_or_default();
        Ok(HttpResponse {
            status,
            headers,
            body,
        })
    }
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
        crate::jwt::Json::parse(r.body.as_bytes())
            .and_then(|j| j.get("__type").and_then(|t| t.as_str().map(str::to_owned)))
    };
    r.header("x-amzn-errortype")
        .map(str::to_owned)
        .or_else(from_body)
        .is_some_and(|name| is_throttling_name(crate::cognito::error_name(&name)))
}

/// A uniform random number in [0, 1) for backoff jitter.
fn random_unit() -> f64 {
    let mut b = [0u8; 4];
    let _ = getrandom::fill(&mut b);
    f64::from(u32::from_le_bytes(b)) / 4_294_967_296.0
}
