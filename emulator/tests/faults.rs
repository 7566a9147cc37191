//! Fault mode over a real socket: each fault as a client sees it on the
//! wire, rules spent after `times` requests, faulted requests counted,
//! processed or not as the rule says, and the endpoint refused to a
//! browser page from another origin (like the outbox).

mod common;

use cognito_emulator::store::AppState;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Serves the emulator on 127.0.0.1 (a free port) until the test ends.
async fn serve() -> (Arc<AppState>, String) {
    let app = common::app();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let router = cognito_emulator::router(app.clone());
    tokio::spawn(cognito_emulator::faults::serve(
        listener,
        router,
        std::future::pending(),
    ));
    (app, addr)
}

/// What came back on one connection.
#[derive(Debug)]
enum Wire {
    /// Bytes (possibly none: closed without an answer).
    Bytes(String),
    /// The read failed (connection reset).
    Error(std::io::ErrorKind),
}

/// One HTTP/1.1 request on a fresh connection, read until the server closes.
async fn send(addr: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Wire {
    let mut s = TcpStream::connect(addr).await.unwrap();
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\ncontent-length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes()).await.unwrap();
    let mut out = Vec::new();
    match s.read_to_end(&mut out).await {
        Ok(_) => Wire::Bytes(String::from_utf8_lossy(&out).into_owned()),
        Err(e) => Wire::Error(e.kind()),
    }
}

async fn api(addr: &str, op: &str, body: Value) -> Wire {
    let target = format!("AWSCognitoIdentityProviderService.{op}");
    let headers = [
        ("content-type", "application/x-amz-json-1.1"),
        ("x-amz-target", target.as_str()),
    ];
    send(addr, "POST", "/", &headers, &body.to_string()).await
}

async fn add(addr: &str, rule: Value) -> Wire {
    send(
        addr,
        "POST",
        "/_emulator/faults",
        &[("content-type", "application/json")],
        &rule.to_string(),
    )
    .await
}

fn text(w: &Wire) -> &str {
    match w {
        Wire::Bytes(s) => s,
        Wire::Error(e) => panic!("expected an answer, got {e:?}"),
    }
}

fn body_of(w: &Wire) -> &str {
    let t = text(w);
    &t[t.find("\r\n\r\n").expect("a complete head") + 4..]
}

fn count(app: &AppState, op: &str) -> u64 {
    app.stats.lock().unwrap().get(op).copied().unwrap_or(0)
}

fn sign_up(username: &str) -> Value {
    json!({"ClientId": common::SPA, "Username": username, "Password": "Faults-Passw0rd!",
           "UserAttributes": [{"Name": "email", "Value": "f@example.com"}]})
}

fn user_exists(app: &AppState, username: &str) -> bool {
    app.lock()
        .pool(common::POOL)
        .is_some_and(|p| p.users.contains_key(username))
}

#[tokio::test]
async fn each_fault_on_the_wire() {
    let (app, addr) = serve().await;
    let get_user = json!({"AccessToken": "x"});

    // Throttle: 429, Retry-After, Cognito's error name; the request not run.
    text(
        &add(
            &addr,
            json!({"target": "SignUp", "fault": "throttle", "retryAfter": 7}),
        )
        .await,
    );
    let r = api(&addr, "SignUp", sign_up("throttled")).await;
    assert!(text(&r).starts_with("HTTP/1.1 429"), "{r:?}");
    assert!(text(&r).contains("retry-after: 7\r\n"), "{r:?}");
    assert!(text(&r).contains("TooManyRequestsException"), "{r:?}");
    assert!(!user_exists(&app, "throttled"));
    assert_eq!(count(&app, "SignUp"), 1, "a throttled request is counted");

    // 5xx: Cognito's InternalErrorException, not run.
    text(
        &add(
            &addr,
            json!({"target": "SignUp", "fault": "status", "status": 503}),
        )
        .await,
    );
    let r = api(&addr, "SignUp", sign_up("five")).await;
    assert!(text(&r).starts_with("HTTP/1.1 503"), "{r:?}");
    assert!(body_of(&r).contains("InternalErrorException"));
    assert!(!user_exists(&app, "five"));

    // HTML from a proxy.
    text(&add(&addr, json!({"target": "GetUser", "fault": "html"})).await);
    let r = api(&addr, "GetUser", get_user.clone()).await;
    assert!(text(&r).starts_with("HTTP/1.1 502"), "{r:?}");
    assert!(text(&r).contains("content-type: text/html"));
    assert!(body_of(&r).starts_with("<html>"));

    // Truncated: a complete HTTP message whose JSON is cut; the request ran.
    text(&add(&addr, json!({"target": "SignUp", "fault": "truncate"})).await);
    let r = api(&addr, "SignUp", sign_up("cut")).await;
    assert!(text(&r).starts_with("HTTP/1.1 200"), "{r:?}");
    assert!(serde_json::from_str::<Value>(body_of(&r)).is_err(), "{r:?}");
    assert!(body_of(&r).starts_with("{\""), "{r:?}");
    assert!(user_exists(&app, "cut"), "truncate runs the request first");

    // Drop: closed without a byte, after running the request.
    text(&add(&addr, json!({"target": "SignUp", "fault": "drop"})).await);
    let r = api(&addr, "SignUp", sign_up("dropped")).await;
    assert!(matches!(&r, Wire::Bytes(b) if b.is_empty()), "{r:?}");
    assert!(user_exists(&app, "dropped"));

    // Reset: RST instead of an answer; `processed: false` leaves it unrun.
    text(
        &add(
            &addr,
            json!({"target": "SignUp", "fault": "reset", "processed": false}),
        )
        .await,
    );
    let r = api(&addr, "SignUp", sign_up("reset")).await;
    assert!(
        matches!(r, Wire::Error(std::io::ErrorKind::ConnectionReset)),
        "{r:?}"
    );
    assert!(!user_exists(&app, "reset"));
    assert_eq!(count(&app, "SignUp"), 5);

    // Delay: the answer comes, late.
    text(
        &add(
            &addr,
            json!({"path": "/", "fault": "delay", "delayMs": 300}),
        )
        .await,
    );
    let t = Instant::now();
    let r = api(&addr, "GetUser", get_user.clone()).await;
    assert!(t.elapsed() >= Duration::from_millis(300));
    assert!(text(&r).starts_with("HTTP/1.1 400"), "{r:?}");

    // Every rule is spent: the emulator behaves again.
    let r = api(&addr, "SignUp", sign_up("normal")).await;
    assert!(text(&r).starts_with("HTTP/1.1 200"), "{r:?}");
    assert!(serde_json::from_str::<Value>(body_of(&r)).is_ok());
}

#[tokio::test]
async fn rules_match_by_target_or_path_for_n_requests() {
    let (app, addr) = serve().await;
    text(
        &add(
            &addr,
            json!({"target": "GetUser", "fault": "status", "times": 2}),
        )
        .await,
    );
    text(
        &add(
            &addr,
            json!({"path": "/oauth2/token", "fault": "html", "status": 504}),
        )
        .await,
    );
    let other = api(&addr, "ListDevices", json!({"AccessToken": "x"})).await;
    assert!(
        text(&other).starts_with("HTTP/1.1 400"),
        "other operations pass"
    );
    for _ in 0..2 {
        let r = api(&addr, "GetUser", json!({"AccessToken": "x"})).await;
        assert!(text(&r).starts_with("HTTP/1.1 500"), "{r:?}");
    }
    let r = api(&addr, "GetUser", json!({"AccessToken": "x"})).await;
    assert!(text(&r).starts_with("HTTP/1.1 400"), "spent after 2: {r:?}");
    let form = [("content-type", "application/x-www-form-urlencoded")];
    let r = send(&addr, "POST", "/oauth2/token", &form, "grant_type=x").await;
    assert!(text(&r).starts_with("HTTP/1.1 504"), "{r:?}");

    let r = send(&addr, "GET", "/_emulator/faults", &[], "").await;
    let rules: Value = serde_json::from_str(body_of(&r)).unwrap();
    let hits: Vec<_> = rules["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["hits"].as_u64().unwrap(),
                r["remaining"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(hits, [(2, 0), (1, 0)]);
    assert_eq!(count(&app, "GetUser"), 3);

    // DELETE removes live rules.
    text(&add(&addr, json!({"fault": "status", "times": 100})).await);
    let r = send(&addr, "DELETE", "/_emulator/faults", &[], "").await;
    assert!(text(&r).starts_with("HTTP/1.1 204"), "{r:?}");
    let r = api(&addr, "GetUser", json!({"AccessToken": "x"})).await;
    assert!(text(&r).starts_with("HTTP/1.1 400"), "{r:?}");
}

#[tokio::test]
async fn bad_rules_and_foreign_origins_are_refused() {
    let (app, addr) = serve().await;
    for bad in [
        json!({"fault": "explode"}),
        json!({"fault": "throttle", "processed": true}),
        json!({"fault": "status", "status": 200}),
        json!({"path": "/_emulator/outbox", "fault": "drop"}),
        json!({"path": "oauth2/token", "fault": "drop"}),
        json!({"fault": "drop", "unknown": 1}),
    ] {
        let r = add(&addr, bad.clone()).await;
        assert!(text(&r).starts_with("HTTP/1.1 400"), "{bad}: {r:?}");
    }
    // A page on another site may neither add, list nor clear rules.
    let foreign = [
        ("origin", "https://evil.example"),
        ("content-type", "text/plain"),
    ];
    let rule = json!({"fault": "drop", "times": 1000}).to_string();
    for (method, body) in [("POST", rule.as_str()), ("GET", ""), ("DELETE", "")] {
        let r = send(&addr, method, "/_emulator/faults", &foreign, body).await;
        assert!(text(&r).starts_with("HTTP/1.1 403"), "{method}: {r:?}");
    }
    assert!(app.faults.list().is_empty());
}
