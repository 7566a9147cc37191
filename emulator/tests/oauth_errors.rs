//! Error paths of the hosted-UI endpoints: authorize, login, token,
//! userInfo, revoke, logout.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;
use http_body_util::BodyExt;
use serde_json::Value;
use std::sync::Arc;
use tower::ServiceExt;

struct Resp {
    status: StatusCode,
    location: String,
    cookie: Option<String>,
    body: String,
}

async fn send(app: &Arc<cognito_emulator::store::AppState>, req: Request<Body>) -> Resp {
    let r = cognito_emulator::router(app.clone())
        .oneshot(req)
        .await
        .unwrap();
    let status = r.status();
    let location = r
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let cookie = r
        .headers()
        .get("set-cookie")
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string());
    let body =
        String::from_utf8(r.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    Resp {
        status,
        location,
        cookie,
        body,
    }
}

async fn get(app: &Arc<cognito_emulator::store::AppState>, uri: &str) -> Resp {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

async fn form(
    app: &Arc<cognito_emulator::store::AppState>,
    uri: &str,
    body: &str,
    basic: Option<&str>,
) -> Resp {
    let mut b = Request::post(uri).header("content-type", "application/x-www-form-urlencoded");
    if let Some(a) = basic {
        b = b.header(
            "authorization",
            format!("Basic {}", cognito_emulator::util::b64(a.as_bytes())),
        );
    }
    send(app, b.body(Body::from(body.to_string())).unwrap()).await
}

const CB: &str = "http%3A%2F%2F127.0.0.1%3A8080%2F";
// RFC 7636 Appendix B.
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

fn q(resp: &Resp, key: &str) -> Option<String> {
    url::Url::parse(&resp.location)
        .ok()?
        .query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

#[tokio::test]
async fn authorize_errors() {
    let app = app();
    assert_eq!(
        get(&app, "/oauth2/authorize?response_type=code")
            .await
            .status,
        400
    );
    assert_eq!(
        get(&app, "/oauth2/authorize?client_id=nope&response_type=code")
            .await
            .status,
        400
    );
    // Unregistered callbacks get an error page, never a redirect.
    let r = get(&app, "/oauth2/authorize?client_id=demo-spa-client&response_type=code&redirect_uri=http%3A%2F%2Fevil.example%2F").await;
    assert_eq!(r.status, 400);
    assert!(r.location.is_empty());
    let r = get(&app, &format!("/oauth2/authorize?client_id=demo-spa-client&response_type=token&redirect_uri={CB}&state=s")).await;
    assert_eq!(q(&r, "error").as_deref(), Some("unsupported_response_type"));
    assert_eq!(q(&r, "state").as_deref(), Some("s"));
    let r = get(
        &app,
        &format!(
            "/oauth2/authorize?client_id=demo-spa-client&response_type=code&redirect_uri={CB}"
        ),
    )
    .await;
    assert_eq!(q(&r, "error").as_deref(), Some("invalid_request"));
    let r = get(&app, &format!("/oauth2/authorize?client_id=demo-spa-client&response_type=code&redirect_uri={CB}&code_challenge={CHALLENGE}&code_challenge_method=plain")).await;
    assert_eq!(q(&r, "error").as_deref(), Some("invalid_request"));
    let r = get(&app, &format!("/oauth2/authorize?client_id=demo-spa-client&response_type=code&redirect_uri={CB}&code_challenge={CHALLENGE}&code_challenge_method=S256&identity_provider=Google")).await;
    assert_eq!(q(&r, "error").as_deref(), Some("invalid_request"));
    let r = get(&app, &format!("/oauth2/authorize?client_id=demo-spa-client&response_type=code&redirect_uri={CB}&code_challenge={CHALLENGE}&code_challenge_method=S256&prompt=none")).await;
    assert_eq!(q(&r, "error").as_deref(), Some("login_required"));
    assert_eq!(get(&app, "/login?tx=unknown").await.status, 400);
    let r = form(&app, "/login", "tx=unknown&username=demo&password=x", None).await;
    assert_eq!(r.status, 400);
}

/// Runs the login form and returns the authorization code.
async fn code_for_demo(app: &Arc<cognito_emulator::store::AppState>) -> (String, String) {
    let r = get(app, &format!("/oauth2/authorize?client_id=demo-spa-client&response_type=code&redirect_uri={CB}&scope=openid+email&code_challenge={CHALLENGE}&code_challenge_method=S256&state=xyz")).await;
    assert_eq!(r.status, 302);
    let tx = r.location.strip_prefix("/login?tx=").unwrap().to_string();
    let page = get(app, &r.location).await;
    assert!(page.body.contains("name=\"password\""));
    let bad = form(
        app,
        "/login",
        &format!("tx={tx}&username=demo&password=nope"),
        None,
    )
    .await;
    assert!(bad.body.contains("Incorrect username or password."));
    let r = form(
        app,
        "/login",
        &format!("tx={tx}&username=demo&password=Demo-Passw0rd%21"),
        None,
    )
    .await;
    assert_eq!(r.status, 302, "{}", r.body);
    assert!(r.location.starts_with("http://127.0.0.1:8080/?code="));
    assert_eq!(q(&r, "state").as_deref(), Some("xyz"));
    (q(&r, "code").unwrap(), r.cookie.unwrap())
}

#[tokio::test]
async fn token_errors() {
    let app = app();
    let (code, _) = code_for_demo(&app).await;
    let base = format!(
        "grant_type=authorization_code&client_id=demo-spa-client&redirect_uri={CB}&code={code}"
    );
    let r = form(
        &app,
        "/oauth2/token",
        &format!("{base}&code_verifier=wrong-verifier-wrong-verifier-wrong-verifier-x"),
        None,
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(
        serde_json::from_str::<Value>(&r.body).unwrap()["error"],
        "invalid_grant"
    );
    // The failed attempt consumed the code.
    let r = form(
        &app,
        "/oauth2/token",
        &format!("{base}&code_verifier={VERIFIER}"),
        None,
    )
    .await;
    assert_eq!(
        serde_json::from_str::<Value>(&r.body).unwrap()["error"],
        "invalid_grant"
    );
    let (code, _) = code_for_demo(&app).await;
    let r = form(&app, "/oauth2/token", &format!("grant_type=authorization_code&client_id=demo-spa-client&redirect_uri=http%3A%2F%2Flocalhost%3A8080%2F&code={code}&code_verifier={VERIFIER}"), None).await;
    assert_eq!(
        serde_json::from_str::<Value>(&r.body).unwrap()["error"],
        "invalid_grant"
    );
    let (code, _) = code_for_demo(&app).await;
    let r = form(&app, "/oauth2/token", &format!("grant_type=authorization_code&client_id=demo-spa-client&redirect_uri={CB}&code={code}&code_verifier={VERIFIER}"), None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let t: Value = serde_json::from_str(&r.body).unwrap();
    assert!(t["id_token"].is_string() && t["refresh_token"].is_string());
    // Client authentication.
    let r = form(&app, "/oauth2/token", "grant_type=client_credentials", None).await;
    assert_eq!(r.status, 401);
    let r = form(
        &app,
        "/oauth2/token",
        "grant_type=client_credentials",
        Some(&format!("{CONF}:wrong")),
    )
    .await;
    assert_eq!(r.status, 401);
    let r = form(
        &app,
        "/oauth2/token",
        "grant_type=client_credentials&client_id=demo-spa-client",
        None,
    )
    .await;
    assert_eq!(
        serde_json::from_str::<Value>(&r.body).unwrap()["error"],
        "unauthorized_client"
    );
    let r = form(
        &app,
        "/oauth2/token",
        "grant_type=client_credentials&scope=admin",
        Some(&format!("{CONF}:{SECRET}")),
    )
    .await;
    assert_eq!(
        serde_json::from_str::<Value>(&r.body).unwrap()["error"],
        "invalid_scope"
    );
    let r = form(
        &app,
        "/oauth2/token",
        "grant_type=password&client_id=demo-spa-client",
        None,
    )
    .await;
    assert_eq!(
        serde_json::from_str::<Value>(&r.body).unwrap()["error"],
        "unsupported_grant_type"
    );
    let r = form(
        &app,
        "/oauth2/token",
        "grant_type=refresh_token&client_id=demo-spa-client&refresh_token=nope",
        None,
    )
    .await;
    assert_eq!(
        serde_json::from_str::<Value>(&r.body).unwrap()["error"],
        "invalid_grant"
    );
    // userInfo and revoke.
    let r = send(
        &app,
        Request::get("/oauth2/userInfo")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, 401);
    let r = send(
        &app,
        Request::get("/oauth2/userInfo")
            .header(
                "authorization",
                format!("Bearer {}", t["id_token"].as_str().unwrap()),
            )
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, 401);
    let r = form(
        &app,
        "/oauth2/revoke",
        &format!(
            "client_id=demo-spa-client&token={}",
            t["access_token"].as_str().unwrap()
        ),
        None,
    )
    .await;
    assert_eq!(
        serde_json::from_str::<Value>(&r.body).unwrap()["error"],
        "unsupported_token_type"
    );
    let r = form(&app, "/oauth2/revoke", "client_id=demo-spa-client", None).await;
    assert_eq!(r.status, 400);
}

#[tokio::test]
async fn logout_errors_and_sso() {
    let app = app();
    let (_, cookie) = code_for_demo(&app).await;
    let authz = format!("/oauth2/authorize?client_id=demo-spa-client&response_type=code&redirect_uri={CB}&code_challenge={CHALLENGE}&code_challenge_method=S256");
    let with_cookie = |uri: &str| {
        Request::get(uri)
            .header("cookie", cookie.clone())
            .body(Body::empty())
            .unwrap()
    };
    let r = send(&app, with_cookie(&authz)).await;
    assert!(
        r.location.starts_with("http://127.0.0.1:8080/?code="),
        "SSO: {}",
        r.location
    );
    let r = send(&app, with_cookie(&format!("{authz}&prompt=login"))).await;
    assert!(r.location.starts_with("/login?tx="));
    assert_eq!(get(&app, "/logout").await.status, 400);
    assert_eq!(
        get(&app, "/logout?client_id=demo-spa-client").await.status,
        400
    );
    assert_eq!(
        get(
            &app,
            "/logout?client_id=demo-spa-client&logout_uri=http%3A%2F%2Fevil.example%2F"
        )
        .await
        .status,
        400
    );
    let r = send(
        &app,
        with_cookie(&format!(
            "/logout?client_id=demo-spa-client&logout_uri={CB}"
        )),
    )
    .await;
    assert_eq!(r.status, 302);
    assert_eq!(r.location, "http://127.0.0.1:8080/");
    let r = send(&app, with_cookie(&authz)).await;
    assert!(
        r.location.starts_with("/login?tx="),
        "after logout: {}",
        r.location
    );
}

#[tokio::test]
async fn new_password_in_the_hosted_ui() {
    let app = app();
    ok(&app, "AdminCreateUser", serde_json::json!({"UserPoolId": POOL, "Username": "erin", "TemporaryPassword": "Temp-Passw0rd!", "MessageAction": "SUPPRESS"})).await;
    let r = get(&app, &format!("/oauth2/authorize?client_id=demo-spa-client&response_type=code&redirect_uri={CB}&code_challenge={CHALLENGE}&code_challenge_method=S256")).await;
    let tx = r.location.strip_prefix("/login?tx=").unwrap().to_string();
    let r = form(
        &app,
        "/login",
        &format!("tx={tx}&username=erin&password=Temp-Passw0rd%21"),
        None,
    )
    .await;
    assert!(r.body.contains("/login/new-password"), "{}", r.body);
    let r = form(
        &app,
        "/login/new-password",
        &format!("tx={tx}&password=Erin-Passw0rd%21&confirm=Other-Passw0rd%21"),
        None,
    )
    .await;
    assert!(r.body.contains("Passwords do not match."));
    let r = form(
        &app,
        "/login/new-password",
        &format!("tx={tx}&password=weak&confirm=weak"),
        None,
    )
    .await;
    assert!(r.body.contains("Password did not conform with policy"));
    let r = form(
        &app,
        "/login/new-password",
        &format!("tx={tx}&password=Erin-Passw0rd%21&confirm=Erin-Passw0rd%21"),
        None,
    )
    .await;
    assert_eq!(r.status, 302, "{}", r.body);
    assert!(r.location.starts_with("http://127.0.0.1:8080/?code="));
    let r = form(
        &app,
        "/login/new-password",
        &format!("tx={tx}&password=Erin-Passw0rd%21&confirm=Erin-Passw0rd%21"),
        None,
    )
    .await;
    assert_eq!(r.status, 400);
    ok(&app, "InitiateAuth", serde_json::json!({"ClientId": SPA, "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": {"USERNAME": "erin", "PASSWORD": "Erin-Passw0rd!"}})).await;
}
