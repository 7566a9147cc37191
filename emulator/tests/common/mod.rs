//! In-process harness: the emulator's router with the default seed and a
//! fixed test signing key (tests/fixtures/test-signing-key.pem, a throwaway
//! key so debug builds skip RSA key generation).

#![allow(dead_code)]

use axum::body::Body;
use axum::http::{Request, StatusCode};
use cognito_emulator::config::{load_seed, DEFAULT_SEED};
use cognito_emulator::jwt::Keys;
use cognito_emulator::store::AppState;
use http_body_util::BodyExt;
use serde_json::Value;
use std::sync::Arc;
use tower::ServiceExt;

pub const POOL: &str = "us-east-1_LocalDemo";
pub const SPA: &str = "demo-spa-client";
pub const CONF: &str = "demo-confidential-client";
pub const SECRET: &str = "demo-client-secret-0123456789abcdefghijklmnopqrstuv";

pub fn app() -> Arc<AppState> {
    let keys = Keys::from_pem(include_str!("../fixtures/test-signing-key.pem")).unwrap();
    AppState::new(
        load_seed(DEFAULT_SEED).unwrap(),
        keys,
        "http://127.0.0.1:9".into(),
        None,
        None,
    )
}

/// One JSON-API call: `(status, body)`.
pub async fn call(app: &Arc<AppState>, op: &str, body: Value) -> (StatusCode, Value) {
    raw(app, op, body.to_string()).await
}

pub async fn raw(app: &Arc<AppState>, op: &str, body: String) -> (StatusCode, Value) {
    let req = Request::post("/")
        .header("content-type", "application/x-amz-json-1.1")
        .header(
            "x-amz-target",
            format!("AWSCognitoIdentityProviderService.{op}"),
        )
        .body(Body::from(body))
        .unwrap();
    let resp = cognito_emulator::router(app.clone())
        .oneshot(req)
        .await
        .unwrap();
    let status = resp.status();
    if status != StatusCode::OK {
        let h = resp
            .headers()
            .get("x-amzn-errortype")
            .map(|v| v.to_str().unwrap().to_string());
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        let v: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        assert_eq!(
            h.as_deref(),
            v["__type"].as_str().map(|t| format!("{t}:")).as_deref()
        );
        return (status, v);
    }
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// Asserts an operation fails with Cognito error `code`.
pub async fn fails(app: &Arc<AppState>, op: &str, body: Value, code: &str) -> Value {
    let (status, v) = call(app, op, body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{op}: {v}");
    assert_eq!(v["__type"], code, "{op}: {v}");
    v
}

/// Asserts success and returns the body.
pub async fn ok(app: &Arc<AppState>, op: &str, body: Value) -> Value {
    let (status, v) = call(app, op, body).await;
    assert_eq!(status, StatusCode::OK, "{op}: {v}");
    v
}

/// USER_PASSWORD_AUTH for the demo user: the AuthenticationResult.
pub async fn demo_tokens(app: &Arc<AppState>) -> Value {
    let v = ok(
        app,
        "InitiateAuth",
        serde_json::json!({"ClientId": SPA, "AuthFlow": "USER_PASSWORD_AUTH",
            "AuthParameters": {"USERNAME": "demo", "PASSWORD": "Demo-Passw0rd!"}}),
    )
    .await;
    v["AuthenticationResult"].clone()
}
