//! Passkeys (`USER_AUTH` with `WEB_AUTHN`, and the four WebAuthn
//! operations) against assertions built in the test with a P-256 key:
//! registration, listing pages, sign-in with no password, deletion, and
//! each refusal WebAuthn §7.1 / §7.2 asks a relying party for (another rp,
//! another origin, a replayed or tampered assertion, a counter that did not
//! grow, missing user verification, an unsupported algorithm), with the
//! Cognito error names.

mod common;
#[path = "common/passkey.rs"]
mod passkey;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use cognito_emulator::config::load_seed;
use cognito_emulator::jwt::Keys;
use cognito_emulator::store::AppState;
use common::{CONF, SECRET, SPA};
use http_body_util::BodyExt;
use passkey::{b64u, Authenticator};
use serde_json::{json, Value};
use std::sync::Arc;
use tower::ServiceExt;

const ORIGIN: &str = "http://localhost:8080";

fn app_with(webauthn: Value) -> Arc<AppState> {
    let mut seed: Value = serde_json::from_str(cognito_emulator::config::DEFAULT_SEED).unwrap();
    seed["pools"][0]["webauthn"] = webauthn;
    let keys = Keys::from_pem(include_str!("fixtures/test-signing-key.pem")).unwrap();
    AppState::new(
        load_seed(&seed.to_string()).unwrap(),
        keys,
        "http://127.0.0.1:9".into(),
        None,
        None,
    )
}

fn app() -> Arc<AppState> {
    app_with(json!({}))
}

/// One JSON-API call from a page on `origin` (or none).
async fn call(
    app: &Arc<AppState>,
    op: &str,
    body: Value,
    origin: Option<&str>,
) -> (StatusCode, Value) {
    let mut req = Request::post("/")
        .header("content-type", "application/x-amz-json-1.1")
        .header(
            "x-amz-target",
            format!("AWSCognitoIdentityProviderService.{op}"),
        );
    if let Some(o) = origin {
        req = req.header("origin", o);
    }
    let resp = cognito_emulator::router(app.clone())
        .oneshot(req.body(Body::from(body.to_string())).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

async fn ok(app: &Arc<AppState>, op: &str, body: Value) -> Value {
    let (s, v) = call(app, op, body, Some(ORIGIN)).await;
    assert_eq!(s, StatusCode::OK, "{op}: {v}");
    v
}

async fn fails(app: &Arc<AppState>, op: &str, body: Value, code: &str) -> Value {
    let (s, v) = call(app, op, body, Some(ORIGIN)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{op}: {v}");
    assert_eq!(v["__type"], code, "{op}: {v}");
    v
}

async fn password_tokens(app: &Arc<AppState>) -> String {
    let v = ok(
        app,
        "InitiateAuth",
        json!({"ClientId": SPA, "AuthFlow": "USER_PASSWORD_AUTH",
        "AuthParameters": {"USERNAME": "demo", "PASSWORD": "Demo-Passw0rd!"}}),
    )
    .await;
    v["AuthenticationResult"]["AccessToken"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Registers `a` for the demo user from a page on `origin`.
async fn register(app: &Arc<AppState>, token: &str, a: &Authenticator) -> Value {
    let start = ok(
        app,
        "StartWebAuthnRegistration",
        json!({"AccessToken": token}),
    )
    .await;
    let cred = a.create(&start["CredentialCreationOptions"], ORIGIN);
    ok(
        app,
        "CompleteWebAuthnRegistration",
        json!({"AccessToken": token, "Credential": cred}),
    )
    .await
}

/// `USER_AUTH` with `PREFERRED_CHALLENGE: WEB_AUTHN`: (session, options).
async fn passkey_challenge(app: &Arc<AppState>) -> (String, Value) {
    let v = ok(
        app,
        "InitiateAuth",
        json!({"ClientId": SPA, "AuthFlow": "USER_AUTH",
        "AuthParameters": {"USERNAME": "demo", "PREFERRED_CHALLENGE": "WEB_AUTHN"}}),
    )
    .await;
    assert_eq!(v["ChallengeName"], "WEB_AUTHN", "{v}");
    let options: Value = serde_json::from_str(
        v["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    (v["Session"].as_str().unwrap().to_string(), options)
}

fn answer(session: &str, credential: &Value) -> Value {
    json!({"ClientId": SPA, "ChallengeName": "WEB_AUTHN", "Session": session,
        "ChallengeResponses": {"USERNAME": "demo", "CREDENTIAL": credential.to_string()}})
}

fn handle(app: &Arc<AppState>) -> String {
    let st = app.lock();
    let u = &st.pool(common::POOL).unwrap().users["demo"];
    b64u(u.attributes["sub"].as_bytes())
}

#[tokio::test]
async fn register_list_sign_in_delete() {
    let app = app();
    let token = password_tokens(&app).await;
    let mut a = Authenticator::new();

    let start = ok(
        &app,
        "StartWebAuthnRegistration",
        json!({"AccessToken": token}),
    )
    .await;
    let o = &start["CredentialCreationOptions"];
    assert_eq!(
        o["rp"]["id"], "localhost",
        "rp id defaults to the Origin's host"
    );
    assert_eq!(o["pubKeyCredParams"][0]["alg"], -7);
    assert_eq!(o["user"]["name"], "demo");
    let cred = a.create(o, ORIGIN);
    ok(
        &app,
        "CompleteWebAuthnRegistration",
        json!({"AccessToken": token, "Credential": cred}),
    )
    .await;
    // The same challenge cannot register twice.
    fails(
        &app,
        "CompleteWebAuthnRegistration",
        json!({"AccessToken": token, "Credential": cred}),
        "WebAuthnChallengeNotFoundException",
    )
    .await;

    let list = ok(
        &app,
        "ListWebAuthnCredentials",
        json!({"AccessToken": token}),
    )
    .await;
    let creds = list["Credentials"].as_array().unwrap();
    assert_eq!(creds.len(), 1);
    assert_eq!(creds[0]["CredentialId"], b64u(&a.id));
    assert_eq!(creds[0]["RelyingPartyId"], "localhost");
    assert_eq!(creds[0]["AuthenticatorTransports"], json!(["internal"]));
    assert!(creds[0]["CreatedAt"].as_f64().unwrap() > 1.7e9);
    assert!(list.get("NextToken").is_none());

    // SELECT_CHALLENGE now offers WEB_AUTHN, and answering it signs in.
    let v = ok(
        &app,
        "InitiateAuth",
        json!({"ClientId": SPA, "AuthFlow": "USER_AUTH",
        "AuthParameters": {"USERNAME": "demo"}}),
    )
    .await;
    assert!(
        v["AvailableChallenges"]
            .as_array()
            .unwrap()
            .contains(&json!("WEB_AUTHN")),
        "{v}"
    );
    let v = ok(&app, "RespondToAuthChallenge", json!({"ClientId": SPA, "ChallengeName": "SELECT_CHALLENGE",
        "Session": v["Session"], "ChallengeResponses": {"USERNAME": "demo", "ANSWER": "WEB_AUTHN"}})).await;
    assert_eq!(v["ChallengeName"], "WEB_AUTHN");
    let options: Value = serde_json::from_str(
        v["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(options["rpId"], "localhost");
    assert_eq!(options["allowCredentials"][0]["id"], b64u(&a.id));
    let h = handle(&app);
    let assertion = a.get(&options, ORIGIN, &h);
    let done = ok(
        &app,
        "RespondToAuthChallenge",
        answer(v["Session"].as_str().unwrap(), &assertion),
    )
    .await;
    assert!(
        done["AuthenticationResult"]["AccessToken"].is_string(),
        "{done}"
    );

    // PREFERRED_CHALLENGE goes straight to the passkey.
    let (session, options) = passkey_challenge(&app).await;
    let assertion = a.get(&options, ORIGIN, &h);
    ok(&app, "RespondToAuthChallenge", answer(&session, &assertion)).await;

    ok(
        &app,
        "DeleteWebAuthnCredential",
        json!({"AccessToken": token, "CredentialId": b64u(&a.id)}),
    )
    .await;
    fails(
        &app,
        "DeleteWebAuthnCredential",
        json!({"AccessToken": token, "CredentialId": b64u(&a.id)}),
        "ResourceNotFoundException",
    )
    .await;
    let list = ok(
        &app,
        "ListWebAuthnCredentials",
        json!({"AccessToken": token}),
    )
    .await;
    assert_eq!(list["Credentials"], json!([]));
    // With no passkey left, WEB_AUTHN is no longer a choice.
    fails(
        &app,
        "InitiateAuth",
        json!({"ClientId": SPA, "AuthFlow": "USER_AUTH",
        "AuthParameters": {"USERNAME": "demo", "PREFERRED_CHALLENGE": "WEB_AUTHN"}}),
        "InvalidParameterException",
    )
    .await;
}

#[tokio::test]
async fn list_pages_with_next_token() {
    let app = app();
    let token = password_tokens(&app).await;
    let mut ids = vec![];
    for _ in 0..3 {
        let a = Authenticator::new();
        register(&app, &token, &a).await;
        ids.push(json!(b64u(&a.id)));
    }
    let p1 = ok(
        &app,
        "ListWebAuthnCredentials",
        json!({"AccessToken": token, "MaxResults": 2}),
    )
    .await;
    assert_eq!(p1["Credentials"].as_array().unwrap().len(), 2);
    let next = p1["NextToken"].as_str().unwrap();
    let p2 = ok(
        &app,
        "ListWebAuthnCredentials",
        json!({"AccessToken": token, "MaxResults": 2, "NextToken": next}),
    )
    .await;
    assert_eq!(p2["Credentials"].as_array().unwrap().len(), 1);
    assert!(p2.get("NextToken").is_none());
    let got: Vec<Value> = p1["Credentials"]
        .as_array()
        .unwrap()
        .iter()
        .chain(p2["Credentials"].as_array().unwrap())
        .map(|c| c["CredentialId"].clone())
        .collect();
    assert_eq!(got, ids);
    fails(
        &app,
        "ListWebAuthnCredentials",
        json!({"AccessToken": token, "MaxResults": 21}),
        "InvalidParameterException",
    )
    .await;
    fails(
        &app,
        "ListWebAuthnCredentials",
        json!({"AccessToken": token, "NextToken": "x!"}),
        "InvalidParameterException",
    )
    .await;
}

#[tokio::test]
async fn replayed_and_tampered_assertions_are_refused() {
    let app = app();
    let token = password_tokens(&app).await;
    let mut a = Authenticator::new();
    register(&app, &token, &a).await;
    let h = handle(&app);

    let (session, options) = passkey_challenge(&app).await;
    let good = a.get(&options, ORIGIN, &h);
    ok(&app, "RespondToAuthChallenge", answer(&session, &good)).await;
    // The same session again: it was used up.
    fails(
        &app,
        "RespondToAuthChallenge",
        answer(&session, &good),
        "NotAuthorizedException",
    )
    .await;
    // The same assertion against a fresh challenge: it signs the old one.
    let (session, _) = passkey_challenge(&app).await;
    fails(
        &app,
        "RespondToAuthChallenge",
        answer(&session, &good),
        "WebAuthnChallengeNotFoundException",
    )
    .await;

    // A flipped bit in the signature.
    let (session, options) = passkey_challenge(&app).await;
    let mut bad = a.get(&options, ORIGIN, &h);
    let mut sig = passkey::unb64u(bad["response"]["signature"].as_str().unwrap());
    let last = sig.len() - 1;
    sig[last] ^= 1;
    bad["response"]["signature"] = json!(b64u(&sig));
    fails(
        &app,
        "RespondToAuthChallenge",
        answer(&session, &bad),
        "NotAuthorizedException",
    )
    .await;

    // Signed authenticator data changed after signing (counter bumped).
    let (session, options) = passkey_challenge(&app).await;
    let mut bad = a.get(&options, ORIGIN, &h);
    let mut ad = passkey::unb64u(bad["response"]["authenticatorData"].as_str().unwrap());
    ad[36] = ad[36].wrapping_add(7);
    bad["response"]["authenticatorData"] = json!(b64u(&ad));
    fails(
        &app,
        "RespondToAuthChallenge",
        answer(&session, &bad),
        "NotAuthorizedException",
    )
    .await;

    // A cloned authenticator: a counter that does not grow past the last
    // accepted one (1; the refused assertions above were not recorded).
    let (session, options) = passkey_challenge(&app).await;
    a.counter = 0;
    let stale = a.get(&options, ORIGIN, &h);
    fails(
        &app,
        "RespondToAuthChallenge",
        answer(&session, &stale),
        "NotAuthorizedException",
    )
    .await;

    // Another user's handle.
    let (session, options) = passkey_challenge(&app).await;
    let other = a.get(&options, ORIGIN, &b64u(b"someone-else"));
    fails(
        &app,
        "RespondToAuthChallenge",
        answer(&session, &other),
        "NotAuthorizedException",
    )
    .await;

    // And the genuine next assertion still works.
    let (session, options) = passkey_challenge(&app).await;
    let good = a.get(&options, ORIGIN, &h);
    ok(&app, "RespondToAuthChallenge", answer(&session, &good)).await;
}

#[tokio::test]
async fn other_relying_party_and_origin_are_refused() {
    let app = app();
    let token = password_tokens(&app).await;
    let mut a = Authenticator::new();
    register(&app, &token, &a).await;
    let h = handle(&app);

    // An assertion whose authenticator data is scoped to another rp.
    let (session, options) = passkey_challenge(&app).await;
    a.rp_id = Some("other.example".into());
    let bad = a.get(&options, ORIGIN, &h);
    fails(
        &app,
        "RespondToAuthChallenge",
        answer(&session, &bad),
        "WebAuthnRelyingPartyMismatchException",
    )
    .await;
    a.rp_id = None;

    // A page on another site relaying the challenge.
    for origin in [
        "https://evil.example",
        "http://127.0.0.1:8080",
        "https://localhost.evil.example",
    ] {
        let (session, options) = passkey_challenge(&app).await;
        let bad = a.get(&options, origin, &h);
        fails(
            &app,
            "RespondToAuthChallenge",
            answer(&session, &bad),
            "WebAuthnOriginNotAllowedException",
        )
        .await;
    }

    // A registration made for another rp.
    let mut b = Authenticator::new();
    b.rp_id = Some("other.example".into());
    let start = ok(
        &app,
        "StartWebAuthnRegistration",
        json!({"AccessToken": token}),
    )
    .await;
    let cred = b.create(&start["CredentialCreationOptions"], ORIGIN);
    fails(
        &app,
        "CompleteWebAuthnRegistration",
        json!({"AccessToken": token, "Credential": cred}),
        "WebAuthnRelyingPartyMismatchException",
    )
    .await;
    // …and from another origin.
    let b = Authenticator::new();
    let start = ok(
        &app,
        "StartWebAuthnRegistration",
        json!({"AccessToken": token}),
    )
    .await;
    let cred = b.create(&start["CredentialCreationOptions"], "https://evil.example");
    fails(
        &app,
        "CompleteWebAuthnRegistration",
        json!({"AccessToken": token, "Credential": cred}),
        "WebAuthnOriginNotAllowedException",
    )
    .await;
}

#[tokio::test]
async fn configured_relying_party_and_user_verification() {
    let app = app_with(json!({"relyingPartyId": "example.com", "userVerification": "required"}));
    let token = password_tokens(&app).await;
    let start = ok(
        &app,
        "StartWebAuthnRegistration",
        json!({"AccessToken": token}),
    )
    .await;
    let o = &start["CredentialCreationOptions"];
    assert_eq!(o["rp"]["id"], "example.com");
    assert_eq!(o["authenticatorSelection"]["userVerification"], "required");
    // A subdomain page of the rp id is allowed; without UV it is refused.
    let mut a = Authenticator::new();
    a.uv = false;
    let cred = a.create(o, "https://app.example.com");
    fails(
        &app,
        "CompleteWebAuthnRegistration",
        json!({"AccessToken": token, "Credential": cred}),
        "NotAuthorizedException",
    )
    .await;
    a.uv = true;
    let start = ok(
        &app,
        "StartWebAuthnRegistration",
        json!({"AccessToken": token}),
    )
    .await;
    let cred = a.create(
        &start["CredentialCreationOptions"],
        "https://app.example.com",
    );
    ok(
        &app,
        "CompleteWebAuthnRegistration",
        json!({"AccessToken": token, "Credential": cred}),
    )
    .await;
    // http is only a secure context on loopback hosts.
    let (session, options) = passkey_challenge(&app).await;
    let h = handle(&app);
    let bad = a.get(&options, "http://app.example.com", &h);
    fails(
        &app,
        "RespondToAuthChallenge",
        answer(&session, &bad),
        "WebAuthnOriginNotAllowedException",
    )
    .await;
    let (session, options) = passkey_challenge(&app).await;
    a.uv = false;
    let bad = a.get(&options, "https://app.example.com", &h);
    fails(
        &app,
        "RespondToAuthChallenge",
        answer(&session, &bad),
        "NotAuthorizedException",
    )
    .await;
    a.uv = true;
    let (session, options) = passkey_challenge(&app).await;
    let good = a.get(&options, "https://example.com", &h);
    ok(&app, "RespondToAuthChallenge", answer(&session, &good)).await;
}

#[tokio::test]
async fn configuration_and_client_errors() {
    // No configured rp id and no Origin: nothing to scope the passkey to.
    let app = app();
    let token = password_tokens(&app).await;
    let (s, v) = call(
        &app,
        "StartWebAuthnRegistration",
        json!({"AccessToken": token}),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(v["__type"], "WebAuthnConfigurationMissingException");

    // An unsupported algorithm (EdDSA label on the key).
    let mut a = Authenticator::new();
    a.alg = -8;
    let start = ok(
        &app,
        "StartWebAuthnRegistration",
        json!({"AccessToken": token}),
    )
    .await;
    let cred = a.create(&start["CredentialCreationOptions"], ORIGIN);
    fails(
        &app,
        "CompleteWebAuthnRegistration",
        json!({"AccessToken": token, "Credential": cred}),
        "WebAuthnCredentialNotSupportedException",
    )
    .await;

    // Started by one app client, completed with another's token.
    let hash = cognito_wasm::srp::secret_hash("demo", CONF, SECRET);
    let v = ok(
        &app,
        "InitiateAuth",
        json!({"ClientId": CONF, "AuthFlow": "USER_PASSWORD_AUTH",
        "AuthParameters": {"USERNAME": "demo", "PASSWORD": "Demo-Passw0rd!", "SECRET_HASH": hash}}),
    )
    .await;
    let conf_token = v["AuthenticationResult"]["AccessToken"].as_str().unwrap();
    let start = ok(
        &app,
        "StartWebAuthnRegistration",
        json!({"AccessToken": token}),
    )
    .await;
    let cred = Authenticator::new().create(&start["CredentialCreationOptions"], ORIGIN);
    fails(
        &app,
        "CompleteWebAuthnRegistration",
        json!({"AccessToken": conf_token, "Credential": cred}),
        "WebAuthnClientMismatchException",
    )
    .await;
    // A rejected completion changed nothing.
    let list = ok(
        &app,
        "ListWebAuthnCredentials",
        json!({"AccessToken": token}),
    )
    .await;
    assert_eq!(list["Credentials"], json!([]));

    // A pool that does not allow passkeys.
    let off = app_with(json!({"enabled": false}));
    let token = password_tokens(&off).await;
    fails(
        &off,
        "StartWebAuthnRegistration",
        json!({"AccessToken": token}),
        "WebAuthnNotEnabledException",
    )
    .await;
    fails(
        &off,
        "InitiateAuth",
        json!({"ClientId": SPA, "AuthFlow": "USER_AUTH",
        "AuthParameters": {"USERNAME": "demo", "PREFERRED_CHALLENGE": "WEB_AUTHN"}}),
        "WebAuthnNotEnabledException",
    )
    .await;
}

#[tokio::test]
async fn data_dir_keeps_passkeys() {
    let dir =
        std::env::temp_dir().join(format!("cognito-emulator-webauthn-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let keys = || Keys::from_pem(include_str!("fixtures/test-signing-key.pem")).unwrap();
    let first = AppState::new(
        load_seed(cognito_emulator::config::DEFAULT_SEED).unwrap(),
        keys(),
        "http://127.0.0.1:9".into(),
        None,
        Some(dir.clone()),
    );
    let token = password_tokens(&first).await;
    let mut a = Authenticator::new();
    register(&first, &token, &a).await;
    let h = handle(&first);
    let (session, options) = passkey_challenge(&first).await;
    ok(
        &first,
        "RespondToAuthChallenge",
        answer(&session, &a.get(&options, ORIGIN, &h)),
    )
    .await;
    first.persist().unwrap();

    // What the binary does at start with --data-dir.
    let durable = serde_json::from_slice(&std::fs::read(dir.join("state.json")).unwrap()).unwrap();
    let second = AppState::new(
        durable,
        keys(),
        "http://127.0.0.1:9".into(),
        None,
        Some(dir.clone()),
    );
    let (session, options) = passkey_challenge(&second).await;
    // The stored counter came along: an assertion that repeats it fails.
    a.counter -= 1;
    let stale = a.get(&options, ORIGIN, &h);
    fails(
        &second,
        "RespondToAuthChallenge",
        answer(&session, &stale),
        "NotAuthorizedException",
    )
    .await;
    let (session, options) = passkey_challenge(&second).await;
    ok(
        &second,
        "RespondToAuthChallenge",
        answer(&session, &a.get(&options, ORIGIN, &h)),
    )
    .await;
    std::fs::remove_dir_all(&dir).unwrap();
}
