//! Fault mode: tests make the emulator misbehave on purpose, the way a real
//! network and a real service sometimes do, so that a client's retry rules
//! are proven against a real server rather than a stubbed `fetch`.
//!
//! `POST /_emulator/faults` adds a rule: which requests it matches (an
//! `X-Amz-Target` operation, a path, or both) and what happens to the next
//! `times` of them: a delay, the connection closed or reset without an
//! answer, a 5xx, a 429 with `Retry-After`, a truncated body, an HTML page.
//! `GET` lists the rules with how often each struck; `DELETE` removes them
//! all. The endpoints sit under `/_emulator/`, so [`crate::access`] keeps
//! browser pages from other origins away from them like from the outbox.
//!
//! Whether the emulator acts on a faulted request matters to a client: a
//! response lost after the server consumed a one-time code must not be
//! retried. So each rule says whether the request is `processed` before the
//! fault strikes; throttling never is (a throttled request was not run).
//! `/_emulator/stats` counts every JSON-API request received, faulted or not.
//!
//! Dropping and resetting a connection happen below HTTP: [`FaultListener`]
//! wraps each accepted socket in a [`FaultStream`] that the middleware can
//! tell to fail its next read or write; hyper then closes it without having
//! written a byte (with `SO_LINGER` 0 for a reset, so the peer gets `RST`).

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

use crate::store::AppState;

/// What a rule does to a matching request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum FaultKind {
    /// Answers `delayMs` late (a slow network or server; with a client
    /// timeout shorter than that, a lost response). Processed: the request
    /// runs, then the answer waits; not processed: the request waits, then
    /// runs (unless the client is gone by then).
    Delay,
    /// Closes the connection without an answer (`FIN`).
    Drop,
    /// Resets the connection without an answer (`RST`).
    Reset,
    /// Answers `status` (default 500) with Cognito's `InternalErrorException`.
    Status,
    /// Answers 429 `TooManyRequestsException` with `Retry-After: retryAfter`.
    Throttle,
    /// Answers with the body cut short (half of it, or `keepBytes`), the
    /// `Content-Length` matching what is sent: unparsable JSON.
    Truncate,
    /// Answers `status` (default 502) with an HTML page, as a proxy does.
    Html,
}

impl FaultKind {
    /// Whether the emulator runs the request before this fault strikes,
    /// unless the rule says otherwise: a lost or mangled answer is most
    /// telling after the server acted; an error status means it did not.
    fn processed_by_default(self) -> bool {
        matches!(
            self,
            FaultKind::Delay | FaultKind::Drop | FaultKind::Reset | FaultKind::Truncate
        )
    }
}

/// A rule as posted to `POST /_emulator/faults`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FaultSpec {
    /// The JSON-API operation (`GetUser`, with or without the
    /// `AWSCognitoIdentityProviderService.` prefix).
    pub target: Option<String>,
    /// The exact request path (`/oauth2/token`).
    pub path: Option<String>,
    /// The fault.
    pub fault: FaultKind,
    /// How many matching requests it strikes (default 1).
    pub times: Option<u64>,
    /// For `delay`: milliseconds (default 1000).
    pub delay_ms: Option<u64>,
    /// For `status` and `html`: the status code.
    pub status: Option<u16>,
    /// For `throttle`: the `Retry-After` seconds (default 1).
    pub retry_after: Option<u64>,
    /// For `truncate`: bytes of the body kept (default half).
    pub keep_bytes: Option<usize>,
    /// Whether the emulator runs the request first (see [`FaultKind`]).
    pub processed: Option<bool>,
}

/// A rule in force, as `GET /_emulator/faults` lists it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FaultRule {
    /// Its number, in the order added.
    pub id: u64,
    /// The operation matched, if any (without prefix).
    pub target: Option<String>,
    /// The path matched, if any.
    pub path: Option<String>,
    /// The fault.
    pub fault: FaultKind,
    /// Matching requests it will still strike.
    pub remaining: u64,
    /// Requests it struck so far.
    pub hits: u64,
    /// For `delay`.
    pub delay_ms: u64,
    /// For `status` and `html`.
    pub status: u16,
    /// For `throttle`.
    pub retry_after: u64,
    /// For `truncate`.
    pub keep_bytes: Option<usize>,
    /// Whether the request is run before the fault.
    pub processed: bool,
}

impl FaultRule {
    fn from_spec(id: u64, s: FaultSpec) -> Result<FaultRule, String> {
        let target = s.target.map(|t| {
            t.strip_prefix(crate::api::TARGET_PREFIX)
                .unwrap_or(&t)
                .to_string()
        });
        if let Some(p) = &s.path {
            if !p.starts_with('/') {
                return Err("path must start with /".into());
            }
            if p.starts_with("/_emulator") {
                return Err("the /_emulator endpoints cannot be faulted".into());
            }
        }
        let status = match s.fault {
            FaultKind::Html => s.status.unwrap_or(502),
            _ => s.status.unwrap_or(500),
        };
        if !(400..600).contains(&status) {
            return Err("status must be 400..599".into());
        }
        let processed = s.processed.unwrap_or(s.fault.processed_by_default());
        if s.fault == FaultKind::Throttle && processed {
            return Err("a throttled request is not processed".into());
        }
        Ok(FaultRule {
            id,
            target,
            path: s.path,
            fault: s.fault,
            remaining: s.times.unwrap_or(1),
            hits: 0,
            delay_ms: s.delay_ms.unwrap_or(1000).min(600_000),
            status,
            retry_after: s.retry_after.unwrap_or(1),
            keep_bytes: s.keep_bytes,
            processed,
        })
    }

    fn matches(&self, path: &str, op: Option<&str>) -> bool {
        self.remaining > 0
            && self.path.as_deref().is_none_or(|p| p == path)
            && self.target.as_deref().is_none_or(|t| op == Some(t))
    }
}

/// The rules in force (empty: the emulator behaves).
#[derive(Default)]
pub struct Faults {
    rules: Mutex<(u64, Vec<FaultRule>)>,
}

impl Faults {
    fn lock(&self) -> std::sync::MutexGuard<'_, (u64, Vec<FaultRule>)> {
        self.rules.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds a rule; returns it as listed.
    pub fn add(&self, spec: FaultSpec) -> Result<FaultRule, String> {
        let mut g = self.lock();
        g.0 += 1;
        let rule = FaultRule::from_spec(g.0, spec)?;
        g.1.push(rule.clone());
        Ok(rule)
    }

    /// The rules, spent ones included (their `hits` are the evidence).
    pub fn list(&self) -> Vec<FaultRule> {
        self.lock().1.clone()
    }

    /// Removes every rule.
    pub fn clear(&self) {
        self.lock().1.clear();
    }

    /// The first live rule matching a request, spent by one.
    fn take(&self, path: &str, op: Option<&str>) -> Option<FaultRule> {
        let mut g = self.lock();
        let rule = g.1.iter_mut().find(|r| r.matches(path, op))?;
        rule.remaining -= 1;
        rule.hits += 1;
        Some(rule.clone())
    }
}

/// `POST /_emulator/faults`: adds a [`FaultSpec`]; 400 if it is invalid.
pub async fn add(State(app): State<Arc<AppState>>, body: axum::body::Bytes) -> Response {
    let spec = match serde_json::from_slice::<FaultSpec>(&body) {
        Ok(s) => s,
        Err(e) => return bad_request(&e.to_string()),
    };
    match app.faults.add(spec) {
        Ok(rule) => {
            tracing::info!(?rule, "fault rule added");
            Json(rule).into_response()
        }
        Err(e) => bad_request(&e),
    }
}

/// `GET /_emulator/faults`: `{ "rules": [FaultRule…] }`.
pub async fn list(State(app): State<Arc<AppState>>) -> Response {
    Json(serde_json::json!({ "rules": app.faults.list() })).into_response()
}

/// `DELETE /_emulator/faults`: the emulator behaves again.
pub async fn clear(State(app): State<Arc<AppState>>) -> Response {
    app.faults.clear();
    StatusCode::NO_CONTENT.into_response()
}

fn bad_request(message: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(serde_json::json!({ "message": message })),
    )
        .into_response()
}

/// The middleware: applies the first matching rule to a request.
pub async fn inject(State(app): State<Arc<AppState>>, req: Request<Body>, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if path.starts_with("/_emulator") {
        return next.run(req).await;
    }
    let op = req
        .headers()
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .and_then(|t| t.strip_prefix(crate::api::TARGET_PREFIX))
        .map(str::to_string);
    let Some(rule) = app.faults.take(&path, op.as_deref()) else {
        return next.run(req).await;
    };
    tracing::info!(id = rule.id, fault = ?rule.fault, path, op = ?op, "fault injected");
    let conn = req
        .extensions()
        .get::<ConnectInfo<Conn>>()
        .map(|c| c.0.control.clone());
    if rule.fault == FaultKind::Delay {
        let pause = tokio::time::sleep(std::time::Duration::from_millis(rule.delay_ms));
        return if rule.processed {
            // Run first: a client that gives up meanwhile lost an answer
            // to a request the emulator acted on.
            let r = next.run(req).await;
            pause.await;
            r
        } else {
            pause.await;
            next.run(req).await
        };
    }
    let response = if rule.processed {
        Some(next.run(req).await)
    } else {
        // Counted as received all the same (the handler counts the rest).
        if let (Some(op), "/") = (&op, path.as_str()) {
            app.count(op);
        }
        None
    };
    match rule.fault {
        FaultKind::Delay => unreachable!("answered above"),
        FaultKind::Drop | FaultKind::Reset => {
            let Some(conn) = conn else {
                // In-process routers (unit tests) have no socket to close.
                return json_error(StatusCode::INTERNAL_SERVER_ERROR, "FaultUnsupported", None);
            };
            conn.kill(if rule.fault == FaultKind::Reset {
                Kill::Reset
            } else {
                Kill::Close
            });
            // Never written: the stream fails hyper's first write.
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
        FaultKind::Status => json_error(
            StatusCode::from_u16(rule.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            "InternalErrorException",
            None,
        ),
        FaultKind::Throttle => json_error(
            StatusCode::TOO_MANY_REQUESTS,
            "TooManyRequestsException",
            Some(rule.retry_after),
        ),
        FaultKind::Html => {
            let status = StatusCode::from_u16(rule.status).unwrap_or(StatusCode::BAD_GATEWAY);
            let mut r = (
                status,
                format!(
                    "<html><head><title>{status}</title></head><body><h1>{status}</h1></body></html>"
                ),
            )
                .into_response();
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            r
        }
        FaultKind::Truncate => {
            let r = match response {
                Some(r) => r,
                None => json_error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "InternalErrorException",
                    None,
                ),
            };
            let (mut parts, body) = r.into_parts();
            let bytes = axum::body::to_bytes(body, usize::MAX)
                .await
                .unwrap_or_default();
            let keep = rule.keep_bytes.unwrap_or(bytes.len() / 2).min(bytes.len());
            parts.headers.remove(header::CONTENT_LENGTH);
            Response::from_parts(parts, Body::from(bytes.slice(..keep)))
        }
    }
}

/// A Cognito-shaped JSON error (`__type`, `x-amzn-errortype`), so clients
/// read it as the service's own.
fn json_error(status: StatusCode, name: &'static str, retry_after: Option<u64>) -> Response {
    let body = serde_json::json!({ "__type": name, "message": format!("Injected fault: {name}.") });
    let mut r = (status, body.to_string()).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/x-amz-json-1.1"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("{name}:")) {
        h.insert("x-amzn-errortype", v);
    }
    if let Some(s) = retry_after {
        h.insert(header::RETRY_AFTER, HeaderValue::from(s));
    }
    r
}

/// How a connection is to end.
#[derive(Clone, Copy)]
enum Kill {
    /// Normally: `FIN`.
    Close,
    /// `RST` (`SO_LINGER` 0).
    Reset,
}

const ALIVE: u8 = 0;
const CLOSE: u8 = 1;
const RESET: u8 = 2;

/// Shared between a [`FaultStream`] and the requests it carries.
#[derive(Default)]
struct ConnControl(AtomicU8);

impl ConnControl {
    fn kill(&self, how: Kill) {
        let v = match how {
            Kill::Close => CLOSE,
            Kill::Reset => RESET,
        };
        self.0.store(v, Ordering::SeqCst);
    }
}

/// The connect info a request sees: a handle on its connection.
#[derive(Clone)]
pub struct Conn {
    /// The peer.
    pub remote: SocketAddr,
    control: Arc<ConnControl>,
}

impl axum::extract::connect_info::Connected<axum::serve::IncomingStream<'_, FaultListener>>
    for Conn
{
    fn connect_info(s: axum::serve::IncomingStream<'_, FaultListener>) -> Conn {
        Conn {
            remote: *s.remote_addr(),
            control: s.io().control.clone(),
        }
    }
}

/// A TCP listener whose connections can be dropped or reset by a fault.
pub struct FaultListener(
    /// The bound socket.
    pub TcpListener,
);

impl axum::serve::Listener for FaultListener {
    type Io = FaultStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (FaultStream, SocketAddr) {
        loop {
            match self.0.accept().await {
                Ok((stream, addr)) => {
                    let _ = stream.set_nodelay(true);
                    let io = FaultStream {
                        inner: stream,
                        control: Arc::default(),
                    };
                    return (io, addr);
                }
                // Out of file descriptors and the like: wait, as axum does.
                Err(e) => {
                    tracing::warn!("accept failed: {e}");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
            }
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.0.local_addr()
    }
}

/// An accepted socket that fails its next read or write once killed.
pub struct FaultStream {
    inner: TcpStream,
    control: Arc<ConnControl>,
}

impl FaultStream {
    /// The error to fail with if killed (arming `SO_LINGER` 0 for a reset,
    /// so that closing the socket sends `RST`).
    fn killed(&self) -> Option<io::Error> {
        match self.control.0.load(Ordering::SeqCst) {
            ALIVE => None,
            RESET => {
                let _ = self.inner.set_zero_linger();
                Some(io::Error::from(io::ErrorKind::ConnectionReset))
            }
            _ => Some(io::Error::from(io::ErrorKind::BrokenPipe)),
        }
    }
}

impl AsyncRead for FaultStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if let Some(e) = self.killed() {
            return Poll::Ready(Err(e));
        }
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for FaultStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if let Some(e) = self.killed() {
            return Poll::Ready(Err(e));
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        if let Some(e) = self.killed() {
            return Poll::Ready(Err(e));
        }
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if let Some(e) = self.killed() {
            return Poll::Ready(Err(e));
        }
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if let Some(e) = self.killed() {
            return Poll::Ready(Err(e));
        }
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// Serves `router` on `listener` with fault mode's connection control (the
/// binary's way to serve; `router` is from [`crate::router_with_access`]).
pub async fn serve(
    listener: TcpListener,
    router: axum::Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    axum::serve(
        FaultListener(listener),
        router.into_make_service_with_connect_info::<Conn>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
