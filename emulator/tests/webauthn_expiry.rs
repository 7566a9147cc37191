//! Passkey challenges expire (WebAuthn §5.4/§5.5 `timeout`; Cognito's
//! challenge lifetime): a registration or sign-in answered after
//! `CHALLENGE_TTL` is `WebAuthnChallengeNotFoundException`. Its own test
//! binary because it moves the emulator's process-wide clock.

#[path = "common/passkey.rs"]
mod passkey;

use axum::body::Body;
use axum::http::Request;
use cognito_emulator::config::{load_seed, DEFAULT_SEED};
use cognito_emulator::jwt::Keys;
use cognito_emulator::util::set_clock_offset;
use cognito_emulator::webauthn::CHALLENGE_TTL;
use http_body_util::BodyExt;
use passkey::{b64u, Authenticator};
use serde_json::{json, Value};
use tower::ServiceExt;

async fn call(
    app: &std::sync::Arc<cognito_emulator::store::AppState>,
    op: &str,
    body: Value,
) -> Value {
    let req = Request::post("/")
        .header(
            "x-amz-target",
            format!("AWSCognitoIdentityProviderService.{op}"),
        )
        .header("origin", "http://localhost:8080")
        .body(Body::from(body.to_string()))
        .unwrap();
    let resp = cognito_emulator::router(app.clone())
        .oneshot(req)
        .await
        .unwrap();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    serde_json::from_slice(&bytes).unwrap()
}

#[tokio::test]
async fn late_answers_are_refused() {
    let keys = Keys::from_pem(include_str!("fixtures/test-signing-key.pem")).unwrap();
    let app = cognito_emulator::store::AppState::new(
        load_seed(DEFAULT_SEED).unwrap(),
        keys,
        "http://127.0.0.1:9".into(),
        None,
        None,
    );
    let v = call(
        &app,
        "InitiateAuth",
        json!({"ClientId": "demo-spa-client", "AuthFlow": "USER_PASSWORD_AUTH",
        "AuthParameters": {"USERNAME": "demo", "PASSWORD": "Demo-Passw0rd!"}}),
    )
    .await;
    let token = v["AuthenticationResult"]["AccessToken"]
        .as_str()
        .unwrap()
        .to_string();
    let mut a = Authenticator::new();

    // A registration answered too late.
    let start = call(
        &app,
        "StartWebAuthnRegistration",
        json!({"AccessToken": token}),
    )
    .await;
    assert_eq!(
        start["CredentialCreationOptions"]["timeout"],
        CHALLENGE_TTL * 1000
    );
    set_clock_offset(CHALLENGE_TTL + 1);
    let cred = a.create(&start["CredentialCreationOptions"], "http://localhost:8080");
    let v = call(
        &app,
        "CompleteWebAuthnRegistration",
        json!({"AccessToken": token, "Credential": cred}),
    )
    .await;
    assert_eq!(v["__type"], "WebAuthnChallengeNotFoundException", "{v}");
    set_clock_offset(0);

    // In time, it registers.
    let start = call(
        &app,
        "StartWebAuthnRegistration",
        json!({"AccessToken": token}),
    )
    .await;
    let cred = a.create(&start["CredentialCreationOptions"], "http://localhost:8080");
    assert_eq!(
        call(
            &app,
            "CompleteWebAuthnRegistration",
            json!({"AccessToken": token, "Credential": cred})
        )
        .await,
        json!({})
    );

    // A sign-in answered after the challenge expired (the session itself,
    // 3 minutes, is still open).
    let h = {
        let st = app.lock();
        b64u(st.pool("us-east-1_LocalDemo").unwrap().users["demo"].attributes["sub"].as_bytes())
    };
    let begin = || {
        call(
            &app,
            "InitiateAuth",
            json!({"ClientId": "demo-spa-client", "AuthFlow": "USER_AUTH",
        "AuthParameters": {"USERNAME": "demo", "PREFERRED_CHALLENGE": "WEB_AUTHN"}}),
        )
    };
    let v = begin().await;
    let options: Value = serde_json::from_str(
        v["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    set_clock_offset(CHALLENGE_TTL + 1);
    let assertion = a.get(&options, "http://localhost:8080", &h);
    let answer = |session: &Value, c: &Value| {
        json!({"ClientId": "demo-spa-client", "ChallengeName": "WEB_AUTHN",
        "Session": session, "ChallengeResponses": {"USERNAME": "demo", "CREDENTIAL": c.to_string()}})
    };
    let r = call(
        &app,
        "RespondToAuthChallenge",
        answer(&v["Session"], &assertion),
    )
    .await;
    set_clock_offset(0);
    assert_eq!(r["__type"], "WebAuthnChallengeNotFoundException", "{r}");

    let v = begin().await;
    let options: Value = serde_json::from_str(
        v["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    let assertion = a.get(&options, "http://localhost:8080", &h);
    let r = call(
        &app,
        "RespondToAuthChallenge",
        answer(&v["Session"], &assertion),
    )
    .await;
    assert!(r["AuthenticationResult"]["AccessToken"].is_string(), "{r}");
}
