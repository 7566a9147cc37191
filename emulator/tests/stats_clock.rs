//! `GET /_emulator/stats` (per-operation request counts) and
//! `--clock-offset` (the emulator's clock ahead of or behind the system's).

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use cognito_emulator::util::{now, set_clock_offset};
use common::*;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

async fn get(
    app: &std::sync::Arc<cognito_emulator::store::AppState>,
    path: &str,
) -> (Option<String>, Value) {
    let resp = cognito_emulator::router(app.clone())
        .oneshot(Request::get(path).body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let date = resp
        .headers()
        .get("date")
        .map(|v| v.to_str().unwrap().to_string());
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (date, serde_json::from_slice(&bytes).unwrap())
}

fn system_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn claim(jwt: &str, key: &str) -> i64 {
    use base64::Engine;
    let payload = jwt.split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    serde_json::from_slice::<Value>(&bytes).unwrap()[key]
        .as_i64()
        .unwrap()
}

/// One test (the offset is process-wide): counts, then the shifted clock.
#[tokio::test]
async fn stats_count_operations_and_the_clock_can_be_shifted() {
    let app = app();
    let (_, empty) = get(&app, "/_emulator/stats").await;
    assert_eq!(empty, json!({"operations": {}}));

    let tokens = demo_tokens(&app).await;
    let refresh = tokens["RefreshToken"].as_str().unwrap().to_string();
    for _ in 0..3 {
        ok(
            &app,
            "GetTokensFromRefreshToken",
            json!({"ClientId": SPA, "RefreshToken": refresh}),
        )
        .await;
    }
    // Failed requests count too; a request without a known target does not.
    fails(
        &app,
        "GetUser",
        json!({"AccessToken": "x"}),
        "NotAuthorizedException",
    )
    .await;
    let (_, stats) = get(&app, "/_emulator/stats").await;
    assert_eq!(
        stats,
        json!({"operations": {"InitiateAuth": 1, "GetTokensFromRefreshToken": 3, "GetUser": 1}})
    );

    // No offset: no Date header of our own (hyper adds the real one when
    // serving; the in-process router has none).
    let (date, _) = get(&app, "/_emulator/health").await;
    assert_eq!(date, None);

    // Two hours behind: tokens are issued on that clock, and the Date
    // header says so.
    set_clock_offset(-7200);
    let skewed = now();
    assert!((skewed - (system_now() - 7200)).abs() <= 1);
    let tokens = demo_tokens(&app).await;
    let iat = claim(tokens["AccessToken"].as_str().unwrap(), "iat");
    assert!((iat - (system_now() - 7200)).abs() <= 2, "iat {iat}");
    assert_eq!(
        claim(tokens["AccessToken"].as_str().unwrap(), "exp") - iat,
        3600
    );
    let (date, _) = get(&app, "/_emulator/health").await;
    let date = cognito_wasm::cognito::parse_http_date(&date.expect("a Date header")).unwrap();
    assert!((date - (system_now() - 7200)).abs() <= 2, "Date {date}");
    set_clock_offset(0);
}
