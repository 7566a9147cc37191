//! Who may reach the emulator. It runs on a developer's laptop, where any web
//! page the developer visits can make the browser send requests to
//! `127.0.0.1`. Three rules keep such pages out:
//!
//! - **Host check** (against DNS rebinding): a request whose `Host` is not a
//!   loopback name (`localhost`, `127.x.x.x`, `[::1]`, any port) or a name
//!   given with `--host-alias` gets 403. A rebinding page reaches the
//!   emulator under its own domain name, which its `Host` header carries.
//! - **CORS allow-list**: only the origins of the pools' registered callback
//!   and sign-out URLs, the emulator's own origin and the `--allow-origin`
//!   origins get CORS headers; a preflight from any other origin gets 403
//!   without them, so the browser refuses to send the request.
//! - **Admin and outbox**: a request with an `Origin` outside that list (a
//!   browser page on another site) is refused with 403 for `/_emulator/*`
//!   and for the operations Cognito reserves for IAM credentials (`Admin*`,
//!   `DescribeUserPoolClient`, …), even when it needs no preflight; so is
//!   a `no-cors` GET from another site (no `Origin`, but `Sec-Fetch-Site`).
//!   Requests without `Origin` (tests, curl, the AWS SDK in Node) pass:
//!   browsers send `Origin` on every CORS request and on every `POST`.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::Ipv4Addr;
use std::sync::Arc;

use crate::store::AppState;

/// One `--allow-origin` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OriginRule {
    /// One origin, serialized as browsers send it (`http://host:port`,
    /// default port omitted).
    Exact(String),
    /// `scheme://host:*`: a loopback host on any port (test pages are served
    /// on random ports). Only loopback hosts may have a wildcard: a wildcard
    /// on a public name would admit every site served under that name.
    LoopbackAnyPort {
        /// `http` or `https`.
        scheme: String,
        /// `localhost`, `127.0.0.1` or `[::1]` (lower case, as `url` serializes it).
        host: String,
    },
}

impl OriginRule {
    /// Parses `http://host[:port]`, or `http://<loopback>:*`. A path other
    /// than `/`, a query, credentials, a non-HTTP scheme or a wildcard on a
    /// non-loopback host is an error (reported at start-up).
    pub fn parse(s: &str) -> Result<OriginRule, String> {
        let bad = |why: &str| format!("--allow-origin {s:?}: {why}");
        let (base, any_port) = match s.strip_suffix(":*") {
            Some(b) => (b, true),
            None => (s.strip_suffix('/').unwrap_or(s), false),
        };
        let u = url::Url::parse(base).map_err(|e| bad(&e.to_string()))?;
        if u.scheme() != "http" && u.scheme() != "https" {
            return Err(bad("the scheme must be http or https"));
        }
        if u.path() != "/" || u.query().is_some() || u.fragment().is_some() {
            return Err(bad("an origin has no path, query or fragment"));
        }
        if !u.username().is_empty() || u.password().is_some() {
            return Err(bad("an origin has no user name or password"));
        }
        let host = u.host_str().ok_or_else(|| bad("no host"))?.to_string();
        if host.contains('*') {
            return Err(bad("only the port may be a wildcard (`:*`)"));
        }
        if !any_port {
            return Ok(OriginRule::Exact(u.origin().ascii_serialization()));
        }
        if u.port().is_some() {
            return Err(bad("give either a port or `:*`"));
        }
        if !is_loopback_name(&host) {
            return Err(bad(
                "a port wildcard is allowed only for loopback hosts (127.0.0.1, localhost, [::1])",
            ));
        }
        Ok(OriginRule::LoopbackAnyPort {
            scheme: u.scheme().to_string(),
            host,
        })
    }

    /// Whether a parsed request origin matches.
    fn matches(&self, origin: &url::Url) -> bool {
        match self {
            OriginRule::Exact(o) => origin.origin().ascii_serialization() == *o,
            OriginRule::LoopbackAnyPort { scheme, host } => {
                origin.scheme() == scheme && origin.host_str() == Some(host.as_str())
            }
        }
    }
}

/// The access policy: `--allow-origin` rules and `--host-alias` names. The
/// pools' registered callback and sign-out origins are read from the store
/// on each request, so clients created at run time count too.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Access {
    /// Origins allowed besides the registered ones.
    pub allow_origins: Vec<OriginRule>,
    /// Host names (lower case, no port; IPv6 in brackets) accepted in `Host`
    /// besides the loopback names.
    pub host_aliases: Vec<String>,
}

/// Normalizes a `--host-alias` value: lower case, IPv6 literals bracketed.
/// A port, a path or a wildcard is an error.
pub fn parse_host_alias(s: &str) -> Result<String, String> {
    let name = s.trim().to_ascii_lowercase();
    let name = if name.contains(':') && !name.starts_with('[') {
        format!("[{name}]")
    } else {
        name
    };
    let ok = !name.is_empty()
        && !name.contains('*')
        && url::Url::parse(&format!("http://{name}/"))
            .ok()
            .and_then(|u| u.host_str().map(|h| h == name && u.port().is_none()))
            .unwrap_or(false);
    if ok {
        Ok(name)
    } else {
        Err(format!(
            "--host-alias {s:?}: expected a host name or IP address, without port"
        ))
    }
}

/// `localhost`, an IPv4 loopback address (`127.0.0.0/8`) or `[::1]`.
pub fn is_loopback_name(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host == "[::1]"
        || host.parse::<Ipv4Addr>().is_ok_and(|a| a.is_loopback())
}

/// Splits a `Host` header value into its host name (lower case) and
/// checks the port part, if any, is a number.
fn host_name(value: &str) -> Option<String> {
    let v = value.trim().to_ascii_lowercase();
    let (name, port) = if v.starts_with('[') {
        let end = v.find(']')?;
        (&v[..=end], &v[end + 1..])
    } else {
        match v.rfind(':') {
            Some(i) => (&v[..i], &v[i..]),
            None => (v.as_str(), ""),
        }
    };
    if let Some(p) = port.strip_prefix(':') {
        p.parse::<u16>().ok()?;
    } else if !port.is_empty() {
        return None;
    }
    (!name.is_empty()).then(|| name.to_string())
}

impl Access {
    /// Whether a `Host` header value names this emulator.
    pub fn host_allowed(&self, host: &str) -> bool {
        host_name(host)
            .is_some_and(|name| is_loopback_name(&name) || self.host_aliases.contains(&name))
    }

    /// Whether a browser page at `origin` may call the emulator: its own
    /// origin (`http://<Host>`), a registered callback or sign-out origin,
    /// or an `--allow-origin` one.
    pub fn origin_allowed(&self, app: &AppState, origin: &str, host: Option<&str>) -> bool {
        let Ok(parsed) = url::Url::parse(origin) else {
            return false; // `null` (sandboxed frames, file: pages) and garbage
        };
        if !matches!(parsed.scheme(), "http" | "https") {
            return false;
        }
        let serialized = parsed.origin().ascii_serialization();
        let own = host
            .and_then(|h| url::Url::parse(&format!("http://{h}/")).ok())
            .is_some_and(|u| u.origin().ascii_serialization() == serialized);
        if own {
            return true;
        }
        if self.allow_origins.iter().any(|r| r.matches(&parsed)) {
            return true;
        }
        registered_origins(app).contains(&serialized)
    }
}

/// The origins of every pool client's callback and sign-out URLs.
pub fn registered_origins(app: &AppState) -> Vec<String> {
    let st = app.lock();
    let mut out: Vec<String> = st
        .durable
        .pools
        .values()
        .flat_map(|p| p.clients.values())
        .flat_map(|c| c.callback_urls.iter().chain(&c.logout_urls))
        .filter_map(|u| url::Url::parse(u).ok())
        .map(|u| u.origin())
        // Custom schemes (`myapp://cb`) have opaque origins: no page has one.
        .filter(|o| o.is_tuple())
        .map(|o| o.ascii_serialization())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// State of the [`gate`] middleware.
#[derive(Clone)]
pub struct Gate {
    /// The emulator (for the registered origins).
    pub app: Arc<AppState>,
    /// The policy.
    pub access: Arc<Access>,
}

/// Whether a request reaches something only the developer should: the
/// outbox and other `/_emulator/*` endpoints, or a JSON-API operation that
/// Cognito reserves for IAM credentials (anything not callable by an app
/// client; a missing target counts as such, to fail closed).
fn is_privileged(method: &Method, path: &str, headers: &HeaderMap) -> bool {
    if path.starts_with("/_emulator/") || path == "/_emulator" {
        return true;
    }
    if path == "/" && method == Method::POST {
        let op = headers
            .get("x-amz-target")
            .and_then(|v| v.to_str().ok())
            .and_then(|t| t.strip_prefix(crate::api::TARGET_PREFIX))
            .unwrap_or("");
        return !crate::api::is_app_client_operation(op);
    }
    false
}

fn forbidden(api: bool, message: &str) -> Response {
    let mut r = if api {
        // The JSON API's error shape, so SDKs report it as an error code.
        let body = serde_json::json!({"__type": "AccessDeniedException", "message": message});
        let mut r = (StatusCode::FORBIDDEN, body.to_string()).into_response();
        r.headers_mut().insert(
            "x-amzn-errortype",
            HeaderValue::from_static("AccessDeniedException:"),
        );
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/x-amz-json-1.1"),
        );
        r
    } else {
        (
            StatusCode::FORBIDDEN,
            axum::Json(serde_json::json!({ "message": message })),
        )
            .into_response()
    };
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// Response headers a page may read besides the CORS-safelisted ones: the
/// SDK reads the error type and request id, and waits a throttle's
/// `Retry-After`.
const EXPOSE: &str = "x-amzn-requestid, x-amzn-errortype, retry-after";

fn add_cors(h: &mut HeaderMap, origin: &HeaderValue) {
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
    h.insert(
        header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
        HeaderValue::from_static("true"),
    );
}

/// A browser request without `Origin` that another site's page made: a
/// `no-cors` GET (`<img>`, `<script>`, `fetch(…, {mode: "no-cors"})`) sends
/// no `Origin`, but `Sec-Fetch-Site` says it came from elsewhere. Its answer
/// is opaque to the page, yet there is no reason to send it. Navigations
/// (the developer following a link to the outbox) stay allowed: the page
/// that started one cannot read the document it opens.
fn cross_site_subresource(h: &HeaderMap) -> bool {
    let site = h.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    let mode = h.get("sec-fetch-mode").and_then(|v| v.to_str().ok());
    matches!(site, Some("cross-site" | "same-site")) && mode != Some("navigate")
}

/// The middleware: Host check, CORS for allowed origins, refusal of
/// privileged requests from other origins.
pub async fn gate(State(g): State<Gate>, req: Request<Body>, next: Next) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| req.uri().authority().map(|a| a.to_string()));
    // No `Host` at all (HTTP/1.0, in-process tests) cannot come from a
    // browser, which always sends one; rebinding needs a browser.
    if let Some(h) = &host {
        if !g.access.host_allowed(h) {
            tracing::warn!(host = %h, "refused: Host is not a loopback name or --host-alias");
            return forbidden(
                false,
                "This emulator answers only to loopback host names (127.0.0.1, localhost, [::1]) \
                 and to names given with --host-alias.",
            );
        }
    }
    let origin = req.headers().get(header::ORIGIN).cloned();
    let allowed = origin.as_ref().is_some_and(|o| {
        o.to_str()
            .is_ok_and(|o| g.access.origin_allowed(&g.app, o, host.as_deref()))
    });
    let preflight = req.method() == Method::OPTIONS
        && req
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    let vary = HeaderValue::from_static("origin");
    if preflight {
        let Some(origin) = origin.filter(|_| allowed) else {
            // No CORS headers: the browser will not send the request.
            let mut r = forbidden(false, "This origin may not call the emulator.");
            r.headers_mut().append(header::VARY, vary);
            return r;
        };
        let mut r = StatusCode::OK.into_response();
        let h = r.headers_mut();
        add_cors(h, &origin);
        h.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, POST, OPTIONS"),
        );
        if let Some(asked) = req
            .headers()
            .get(header::ACCESS_CONTROL_REQUEST_HEADERS)
            .cloned()
        {
            h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, asked);
        }
        // Chromium's Private Network Access: a public (https) origin that
        // is on the list may reach the loopback emulator.
        if req
            .headers()
            .get("access-control-request-private-network")
            .is_some_and(|v| v == "true")
        {
            h.insert(
                HeaderName::from_static("access-control-allow-private-network"),
                HeaderValue::from_static("true"),
            );
        }
        h.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("600"),
        );
        h.append(header::VARY, vary);
        return r;
    }
    let foreign = match &origin {
        Some(_) => !allowed,
        None => cross_site_subresource(req.headers()),
    };
    if foreign && is_privileged(req.method(), req.uri().path(), req.headers()) {
        tracing::warn!(
            origin = ?origin,
            path = req.uri().path(),
            "refused: privileged request from a browser page on another origin"
        );
        return forbidden(
            req.uri().path() == "/",
            "The outbox and admin operations do not answer browser pages on other origins \
             (start the emulator with --allow-origin to allow one).",
        );
    }
    let mut r = next.run(req).await;
    let h = r.headers_mut();
    if let Some(origin) = origin.filter(|_| allowed) {
        add_cors(h, &origin);
        h.insert(
            header::ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static(EXPOSE),
        );
    }
    h.append(header::VARY, vary);
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_rules() {
        assert_eq!(
            OriginRule::parse("http://example.test:8080/").unwrap(),
            OriginRule::Exact("http://example.test:8080".into())
        );
        assert_eq!(
            OriginRule::parse("https://App.Example:443").unwrap(),
            OriginRule::Exact("https://app.example".into())
        );
        assert_eq!(
            OriginRule::parse("http://127.0.0.1:*").unwrap(),
            OriginRule::LoopbackAnyPort {
                scheme: "http".into(),
                host: "127.0.0.1".into()
            }
        );
        assert!(OriginRule::parse("http://[::1]:*").is_ok());
        assert!(OriginRule::parse("http://localhost:*").is_ok());
        for bad in [
            "http://example.com:*",
            "http://10.0.0.1:*",
            "http://*.example.com",
            "http://127.0.0.1:8080:*",
            "http://127.0.0.1/app",
            "ftp://127.0.0.1",
            "http://u:p@127.0.0.1",
            "*",
            "null",
        ] {
            assert!(OriginRule::parse(bad).is_err(), "{bad}");
        }
        let any = OriginRule::parse("http://localhost:*").unwrap();
        let m = |o: &str| any.matches(&url::Url::parse(o).unwrap());
        assert!(m("http://localhost:4321"));
        assert!(m("http://localhost"));
        assert!(!m("https://localhost:4321"));
        assert!(!m("http://evil.localhost:4321"));
        assert!(!m("http://127.0.0.1:4321"));
    }

    #[test]
    fn hosts() {
        let a = Access {
            host_aliases: vec![parse_host_alias("Emulator.Internal").unwrap()],
            ..Access::default()
        };
        for ok in [
            "127.0.0.1:9229",
            "127.0.0.1",
            "localhost:1",
            "LOCALHOST:9229",
            "[::1]:9229",
            "127.3.2.1:80",
            "emulator.internal:9229",
        ] {
            assert!(a.host_allowed(ok), "{ok}");
        }
        for bad in [
            "evil.example:9229",
            "evil.example",
            "localhost.evil.example",
            "evil.localhost:9229",
            "128.0.0.1:9229",
            "0.0.0.0:9229",
            "[::2]:9229",
            "localhost:notaport",
            "localhost:99999",
            "",
        ] {
            assert!(!a.host_allowed(bad), "{bad}");
        }
        assert_eq!(parse_host_alias("fd00::1").unwrap(), "[fd00::1]");
        assert!(parse_host_alias("emulator:9229").is_err());
        assert!(parse_host_alias("").is_err());
        assert!(parse_host_alias("a/b").is_err());
        assert!(parse_host_alias("*").is_err());
    }
}
