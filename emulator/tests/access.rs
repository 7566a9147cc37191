//! Who may reach the emulator (issue 15, finding 2): a browser page on
//! another origin gets no CORS headers and a 403 from the outbox and from
//! admin operations; registered callback / sign-out origins and
//! `--allow-origin` ones get CORS; a `Host` that is not a loopback name (DNS
//! rebinding) gets 403; requests without `Origin` (Node, curl) still work.

mod common;

use axum::body::Body;
use axum::http::{Request, Response, StatusCode};
use cognito_emulator::access::Access;
use cognito_emulator::config::Options;
use common::*;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use std::sync::Arc;
use tower::ServiceExt;

const FOREIGN: &str = "https://evil.example";
/// Registered in the default seed (callback and sign-out URLs of the SPA).
const REGISTERED: &str = "http://localhost:8080";

/// Sends `req` through `router_with_access`: the response (body emptied) and its body text.
async fn send(
    app: &Arc<cognito_emulator::store::AppState>,
    access: &Access,
    req: Request<Body>,
) -> (Response<Body>, String) {
    let resp = cognito_emulator::router_with_access(app.clone(), access.clone())
        .oneshot(req)
        .await
        .unwrap();
    let (parts, body) = resp.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes();
    (
        Response::from_parts(parts, Body::empty()),
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

fn api(op: &str, body: Value, headers: &[(&str, &str)]) -> Request<Body> {
    let mut b = Request::post("/")
        .header("content-type", "application/x-amz-json-1.1")
        .header(
            "x-amz-target",
            format!("AWSCognitoIdentityProviderService.{op}"),
        );
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    b.body(Body::from(body.to_string())).unwrap()
}

fn get(path: &str, headers: &[(&str, &str)]) -> Request<Body> {
    let mut b = Request::get(path);
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    b.body(Body::empty()).unwrap()
}

fn preflight(origin: &str, method: &str) -> Request<Body> {
    Request::builder()
        .method("OPTIONS")
        .uri("/")
        .header("host", "127.0.0.1:9229")
        .header("origin", origin)
        .header("access-control-request-method", method)
        .header(
            "access-control-request-headers",
            "content-type,x-amz-target",
        )
        .body(Body::empty())
        .unwrap()
}

fn acao(r: &Response<Body>) -> Option<&str> {
    r.headers()
        .get("access-control-allow-origin")
        .map(|v| v.to_str().unwrap())
}

/// No header that starts with `access-control-`.
fn no_cors(r: &Response<Body>) -> bool {
    !r.headers()
        .keys()
        .any(|k| k.as_str().starts_with("access-control-"))
}

async fn signs_in(app: &Arc<cognito_emulator::store::AppState>, password: &str) -> bool {
    let (status, _) = call(
        app,
        "InitiateAuth",
        json!({"ClientId": SPA, "AuthFlow": "USER_PASSWORD_AUTH",
            "AuthParameters": {"USERNAME": "demo", "PASSWORD": password}}),
    )
    .await;
    status == StatusCode::OK
}

fn with_flags(flags: &[&str]) -> Access {
    let o = Options::parse(flags.iter().map(|s| s.to_string()))
        .unwrap()
        .unwrap();
    Access {
        allow_origins: o.allow_origins,
        host_aliases: o.host_aliases,
    }
}

#[tokio::test]
async fn a_foreign_origin_gets_no_cors_and_no_outbox_or_admin() {
    let app = app();
    let access = Access::default();
    // A code in the outbox that the page must not read.
    ok(
        &app,
        "SignUp",
        json!({"ClientId": SPA, "Username": "victim", "Password": "Victim-Passw0rd!",
            "UserAttributes": [{"Name": "email", "Value": "victim@example.com"}]}),
    )
    .await;
    let code = app.lock().outbox.last().unwrap().code.clone();

    let (r, _) = send(&app, &access, preflight(FOREIGN, "POST")).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(no_cors(&r), "{:?}", r.headers());

    let h = [("host", "127.0.0.1:9229"), ("origin", FOREIGN)];
    let (r, body) = send(&app, &access, get("/_emulator/outbox", &h)).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(no_cors(&r));
    assert!(!body.contains(&code), "{body}");
    for path in [
        "/_emulator/health",
        "/_emulator/stats",
        "/_emulator/http-stats",
    ] {
        let (r, _) = send(&app, &access, get(path, &h)).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{path}");
    }
    // A sandboxed frame or file: page sends `Origin: null`.
    let (r, _) = send(
        &app,
        &access,
        get("/_emulator/outbox", &[("origin", "null")]),
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // A `no-cors` GET (an <img>, a script tag) sends no Origin; the
    // browser's Sec-Fetch-* headers say where it comes from.
    let no_cors_get = [
        ("host", "127.0.0.1:9229"),
        ("sec-fetch-site", "cross-site"),
        ("sec-fetch-mode", "no-cors"),
    ];
    let (r, body) = send(&app, &access, get("/_emulator/outbox", &no_cors_get)).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(!body.contains(&code));
    // Following a link to the outbox (a navigation; the linking page cannot
    // read what it opens) and typing its address still work.
    for (site, mode) in [("cross-site", "navigate"), ("none", "navigate")] {
        let h = [
            ("host", "127.0.0.1:9229"),
            ("sec-fetch-site", site),
            ("sec-fetch-mode", mode),
        ];
        let (r, body) = send(&app, &access, get("/_emulator/outbox", &h)).await;
        assert_eq!(r.status(), StatusCode::OK, "{site} {mode}");
        assert!(body.contains(&code));
    }

    let (r, body) = send(
        &app,
        &access,
        api(
            "AdminSetUserPassword",
            json!({"UserPoolId": POOL, "Username": "demo", "Password": "Pwned-Passw0rd!", "Permanent": true}),
            &h,
        ),
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(no_cors(&r));
    assert_eq!(
        r.headers()["x-amzn-errortype"].to_str().unwrap(),
        "AccessDeniedException:"
    );
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()["__type"],
        "AccessDeniedException"
    );
    assert!(signs_in(&app, "Demo-Passw0rd!").await);
    assert!(!signs_in(&app, "Pwned-Passw0rd!").await);

    let (r, body) = send(
        &app,
        &access,
        api(
            "DescribeUserPoolClient",
            json!({"UserPoolId": POOL, "ClientId": CONF}),
            &h,
        ),
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(!body.contains(SECRET), "{body}");
    // Unknown or missing targets fail closed.
    for op in ["ListUsers", "CreateUserPoolClient", ""] {
        let (r, _) = send(&app, &access, api(op, json!({}), &h)).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{op}");
    }
    // An app-client operation from a foreign page reaches the handler (the
    // browser would not have sent it without a preflight, refused above)
    // but gets no CORS headers, so the page cannot read the answer.
    let (r, _) = send(
        &app,
        &access,
        api(
            "InitiateAuth",
            json!({"ClientId": SPA, "AuthFlow": "USER_PASSWORD_AUTH",
                "AuthParameters": {"USERNAME": "demo", "PASSWORD": "Demo-Passw0rd!"}}),
            &h,
        ),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(no_cors(&r));
}

#[tokio::test]
async fn requests_without_origin_still_work() {
    let app = app();
    let access = Access::default();
    let h = [("host", "127.0.0.1:9229")];
    let (r, body) = send(&app, &access, get("/_emulator/outbox", &h)).await;
    assert_eq!(r.status(), StatusCode::OK, "{body}");
    assert!(no_cors(&r));
    let (r, body) = send(
        &app,
        &access,
        api(
            "DescribeUserPoolClient",
            json!({"UserPoolId": POOL, "ClientId": CONF}),
            &h,
        ),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(body.contains(SECRET));
    let (r, _) = send(
        &app,
        &access,
        api(
            "AdminSetUserPassword",
            json!({"UserPoolId": POOL, "Username": "demo", "Password": "Other-Passw0rd!", "Permanent": true}),
            &h,
        ),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(signs_in(&app, "Other-Passw0rd!").await);
}

#[tokio::test]
async fn registered_callback_and_sign_out_origins_get_cors() {
    let app = app();
    let access = Access::default();
    let (r, _) = send(&app, &access, preflight(REGISTERED, "POST")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(acao(&r), Some(REGISTERED));
    assert_eq!(r.headers()["access-control-allow-credentials"], "true");
    assert_eq!(
        r.headers()["access-control-allow-headers"],
        "content-type,x-amz-target"
    );
    assert!(r.headers()["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .contains("POST"));

    let h = [("host", "127.0.0.1:9229"), ("origin", REGISTERED)];
    let (r, _) = send(
        &app,
        &access,
        api(
            "InitiateAuth",
            json!({"ClientId": SPA, "AuthFlow": "USER_PASSWORD_AUTH",
                "AuthParameters": {"USERNAME": "demo", "PASSWORD": "Demo-Passw0rd!"}}),
            &h,
        ),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(acao(&r), Some(REGISTERED));
    let exposed = r.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap();
    assert!(exposed.contains("x-amzn-requestid"));
    // The SDK waits a throttle's Retry-After: a page must be able to read it.
    assert!(exposed.contains("retry-after"));
    // A registered page is the developer's own: the outbox answers it.
    let (r, _) = send(&app, &access, get("/_emulator/outbox", &h)).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(acao(&r), Some(REGISTERED));

    // Same host, other port: another origin.
    let (r, _) = send(&app, &access, preflight("http://localhost:8081", "POST")).await;
    assert!(no_cors(&r));

    // A client created at run time (no Origin: the developer's script)
    // registers its callback origin at once.
    let app_origin = "https://app.test:3000";
    let (r, _) = send(&app, &access, preflight(app_origin, "POST")).await;
    assert!(no_cors(&r));
    ok(
        &app,
        "CreateUserPoolClient",
        json!({"UserPoolId": POOL, "ClientName": "late",
            "CallbackURLs": [format!("{app_origin}/callback")]}),
    )
    .await;
    let (r, _) = send(&app, &access, preflight(app_origin, "POST")).await;
    assert_eq!(acao(&r), Some(app_origin));
}

#[tokio::test]
async fn the_emulators_own_pages_may_post_to_it() {
    // The hosted UI's login form posts back to the emulator (same origin).
    let app = app();
    let (r, _) = send(
        &app,
        &Access::default(),
        get(
            "/_emulator/health",
            &[
                ("host", "localhost:9229"),
                ("origin", "http://localhost:9229"),
            ],
        ),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    // …but not a page on 127.0.0.1 reaching it as localhost.
    let (r, _) = send(
        &app,
        &Access::default(),
        get(
            "/_emulator/health",
            &[
                ("host", "localhost:9229"),
                ("origin", "http://127.0.0.1:9229"),
            ],
        ),
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn allow_origin_with_a_loopback_port_wildcard() {
    let app = app();
    let test_page = "http://127.0.0.1:54321";
    // Without the flag, a page on a random loopback port is foreign.
    let (r, _) = send(&app, &Access::default(), preflight(test_page, "POST")).await;
    assert!(no_cors(&r));

    let access = with_flags(&[
        "--allow-origin",
        "http://127.0.0.1:*",
        "--allow-origin",
        "https://staging.example",
    ]);
    for origin in [test_page, "http://127.0.0.1:1", "https://staging.example"] {
        let (r, _) = send(&app, &access, preflight(origin, "POST")).await;
        assert_eq!(acao(&r), Some(origin), "{origin}");
    }
    for origin in [
        "http://localhost:54321",
        "https://127.0.0.1:54321",
        "https://staging.example:8443",
        "http://127.0.0.1.evil.example:54321",
    ] {
        let (r, _) = send(&app, &access, preflight(origin, "POST")).await;
        assert!(no_cors(&r), "{origin}");
    }
    let h = [("host", "127.0.0.1:9229"), ("origin", test_page)];
    let (r, body) = send(&app, &access, get("/_emulator/outbox", &h)).await;
    assert_eq!(r.status(), StatusCode::OK, "{body}");
    assert_eq!(acao(&r), Some(test_page));

    // A wildcard on a public name is refused when the flags are read.
    let e =
        Options::parse(["--allow-origin", "http://example.com:*"].map(String::from)).unwrap_err();
    assert!(e.contains("loopback"), "{e}");
}

#[tokio::test]
async fn a_host_that_is_not_loopback_is_refused() {
    let app = app();
    let access = Access::default();
    // DNS rebinding: evil.example now resolves to 127.0.0.1; the page's
    // requests are same-origin for the browser but carry its Host.
    for host in ["evil.example", "evil.example:9229", "127.0.0.1.nip.io:9229"] {
        let h = [("host", host)];
        let (r, body) = send(&app, &access, get("/_emulator/outbox", &h)).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{host}");
        assert!(body.contains("--host-alias"), "{body}");
        let (r, _) = send(
            &app,
            &access,
            api(
                "InitiateAuth",
                json!({"ClientId": SPA, "AuthFlow": "USER_PASSWORD_AUTH",
                    "AuthParameters": {"USERNAME": "demo", "PASSWORD": "Demo-Passw0rd!"}}),
                &[("host", host), ("origin", "http://evil.example:9229")],
            ),
        )
        .await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{host}");
        let (r, _) = send(&app, &access, get("/oauth2/authorize", &h)).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{host}");
    }
    for host in [
        "127.0.0.1:9229",
        "localhost:9229",
        "[::1]:9229",
        "localhost",
    ] {
        let (r, _) = send(&app, &access, get("/_emulator/outbox", &[("host", host)])).await;
        assert_eq!(r.status(), StatusCode::OK, "{host}");
    }
    // --host-alias admits a name (e.g. a container's).
    let aliased = with_flags(&["--host-alias", "cognito"]);
    let (r, _) = send(
        &app,
        &aliased,
        get("/_emulator/outbox", &[("host", "cognito:9229")]),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
}

/// The built binary, over a real socket: a rebinding `Host` gets 403, a
/// loopback one is served, and a non-loopback wildcard stops start-up.
#[test]
fn the_binary_checks_host_and_flags() {
    use std::io::{BufRead, BufReader, Read, Write};
    use std::process::{Command, Stdio};
    let bin = env!("CARGO_BIN_EXE_cognito-emulator");

    let out = Command::new(bin)
        .args(["--port", "0", "--allow-origin", "http://example.com:*"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("loopback"), "{err}");

    // The fixture key in a data dir spares the debug build a key generation.
    let dir = std::env::temp_dir().join(format!("emu-access-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("signing-key.pem"),
        include_str!("fixtures/test-signing-key.pem"),
    )
    .unwrap();
    let mut child = Command::new(bin)
        .args(["--port", "0", "--host", "127.0.0.1", "--data-dir"])
        .arg(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    // Keep reading: the emulator prints more, and a closed pipe would stop it.
    std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
    let port: u16 = first
        .trim()
        .strip_prefix("listening on http://127.0.0.1:")
        .unwrap_or_else(|| panic!("{first}"))
        .parse()
        .unwrap();
    let status = |host: &str| -> u16 {
        let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(
            s,
            "GET /_emulator/outbox HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut resp = String::new();
        s.read_to_string(&mut resp).unwrap();
        resp.split(' ').nth(1).unwrap().parse().unwrap()
    };
    let results = [
        status("evil.example"),
        status(&format!("evil.example:{port}")),
        status(&format!("127.0.0.1:{port}")),
        status(&format!("localhost:{port}")),
    ];
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(results, [403, 403, 200, 200]);
}
