//! Three sign-in behaviours of Cognito the SDK's flows rely on: required
//! attributes in `NEW_PASSWORD_REQUIRED`, `CUSTOM_AUTH` that starts with
//! SRP (`CHALLENGE_NAME: SRP_A`, then the custom challenge), and an unknown
//! `DEVICE_KEY` answered with `ResourceNotFoundException` ("Device does not
//! exist.", which amazon-cognito-identity-js and Amplify catch to retry
//! without the device).

mod common;

use cognito_emulator::config::load_seed;
use cognito_emulator::jwt::Keys;
use cognito_emulator::store::AppState;
use cognito_wasm::srp::{
    answer_password_verifier, cognito_timestamp, EphemeralKey, PasswordVerifierChallenge,
};
use common::{fails, ok};
use serde_json::{json, Value};
use std::sync::Arc;

const POOL: &str = "us-east-1_Variants";
const CLIENT: &str = "variants-client";

fn app(device_tracking: bool) -> Arc<AppState> {
    let seed = json!({ "pools": [{
        "id": POOL,
        "mfa": "OFF",
        "deviceTracking": device_tracking,
        "requiredAttributes": ["name", "email"],
        "customChallenge": { "question": "q", "answer": "42" },
        "clients": [{ "id": CLIENT, "name": "c" }],
        "users": [
            { "username": "fresh", "password": "Temp-Passw0rd!", "status": "FORCE_CHANGE_PASSWORD",
              "attributes": { "email": "fresh@example.com" } },
            { "username": "alice", "password": "Alice-Passw0rd!",
              "attributes": { "email": "alice@example.com", "name": "Alice" } }
        ] }] });
    let keys = Keys::from_pem(include_str!("fixtures/test-signing-key.pem")).unwrap();
    AppState::new(
        load_seed(&seed.to_string()).unwrap(),
        keys,
        "http://127.0.0.1:9".into(),
        None,
        None,
    )
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// The PASSWORD_VERIFIER answer for `cp` (SRP math from the SDK crate).
fn claim(key: &EphemeralKey, cp: &Value, password: &str) -> Value {
    let s = |k: &str| cp[k].as_str().unwrap();
    let ch = PasswordVerifierChallenge {
        salt: s("SALT"),
        srp_b: s("SRP_B"),
        secret_block: s("SECRET_BLOCK"),
        user_id_for_srp: s("USER_ID_FOR_SRP"),
    };
    let c = answer_password_verifier(key, "Variants", password, &ch, &cognito_timestamp(now()))
        .unwrap();
    json!({"ClientId": CLIENT, "ChallengeName": "PASSWORD_VERIFIER", "ChallengeResponses": {
        "USERNAME": s("USERNAME"), "PASSWORD_CLAIM_SECRET_BLOCK": c.secret_block,
        "PASSWORD_CLAIM_SIGNATURE": c.signature, "TIMESTAMP": c.timestamp}})
}

#[tokio::test]
async fn new_password_required_asks_for_missing_required_attributes() {
    let app = app(false);
    let v = ok(
        &app,
        "InitiateAuth",
        json!({"ClientId": CLIENT, "AuthFlow": "USER_PASSWORD_AUTH",
        "AuthParameters": {"USERNAME": "fresh", "PASSWORD": "Temp-Passw0rd!"}}),
    )
    .await;
    assert_eq!(v["ChallengeName"], "NEW_PASSWORD_REQUIRED");
    // email is set already; only name is missing.
    let required: Value = serde_json::from_str(
        v["ChallengeParameters"]["requiredAttributes"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(required, json!(["userAttributes.name"]));
    let answer = |extra: Value| {
        let mut r = json!({"USERNAME": "fresh", "NEW_PASSWORD": "Fresh-Passw0rd!"});
        r.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        json!({"ClientId": CLIENT, "ChallengeName": "NEW_PASSWORD_REQUIRED",
            "Session": v["Session"], "ChallengeResponses": r})
    };
    let e = fails(
        &app,
        "RespondToAuthChallenge",
        answer(json!({})),
        "InvalidParameterException",
    )
    .await;
    assert!(e["message"].as_str().unwrap().contains("name"), "{e}");
    // The session survives: the same step is answered again, completely.
    let done = ok(
        &app,
        "RespondToAuthChallenge",
        answer(json!({"userAttributes.name": "Fresh"})),
    )
    .await;
    assert!(done["AuthenticationResult"]["AccessToken"].is_string());
}

#[tokio::test]
async fn custom_auth_with_srp_first_then_the_custom_challenge() {
    let app = app(false);
    let key = EphemeralKey::generate().unwrap();
    let v = ok(&app, "InitiateAuth", json!({"ClientId": CLIENT, "AuthFlow": "CUSTOM_AUTH",
        "AuthParameters": {"USERNAME": "alice", "CHALLENGE_NAME": "SRP_A", "SRP_A": key.public_hex()}}))
    .await;
    assert_eq!(v["ChallengeName"], "PASSWORD_VERIFIER");
    // A wrong password ends there.
    let wrong = claim(&key, &v["ChallengeParameters"], "Wrong-Passw0rd!");
    fails(
        &app,
        "RespondToAuthChallenge",
        wrong,
        "NotAuthorizedException",
    )
    .await;
    let v = ok(&app, "InitiateAuth", json!({"ClientId": CLIENT, "AuthFlow": "CUSTOM_AUTH",
        "AuthParameters": {"USERNAME": "alice", "CHALLENGE_NAME": "SRP_A", "SRP_A": key.public_hex()}}))
    .await;
    let c = ok(
        &app,
        "RespondToAuthChallenge",
        claim(&key, &v["ChallengeParameters"], "Alice-Passw0rd!"),
    )
    .await;
    assert_eq!(c["ChallengeName"], "CUSTOM_CHALLENGE", "{c}");
    let done = ok(
        &app,
        "RespondToAuthChallenge",
        json!({"ClientId": CLIENT,
        "ChallengeName": "CUSTOM_CHALLENGE", "Session": c["Session"],
        "ChallengeResponses": {"USERNAME": "alice", "ANSWER": "42"}}),
    )
    .await;
    assert!(done["AuthenticationResult"]["AccessToken"].is_string());
    // Without SRP_A, CUSTOM_AUTH goes straight to the custom challenge.
    let v = ok(
        &app,
        "InitiateAuth",
        json!({"ClientId": CLIENT, "AuthFlow": "CUSTOM_AUTH",
        "AuthParameters": {"USERNAME": "alice"}}),
    )
    .await;
    assert_eq!(v["ChallengeName"], "CUSTOM_CHALLENGE");
}

#[tokio::test]
async fn an_unknown_device_key_is_resource_not_found() {
    let app = app(true);
    let sign_in = |device: Option<&str>| {
        let mut p = json!({"USERNAME": "alice", "PASSWORD": "Alice-Passw0rd!"});
        if let Some(d) = device {
            p["DEVICE_KEY"] = json!(d);
        }
        json!({"ClientId": CLIENT, "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": p})
    };
    let v = ok(&app, "InitiateAuth", sign_in(None)).await;
    let key = v["AuthenticationResult"]["NewDeviceMetadata"]["DeviceKey"]
        .as_str()
        .unwrap()
        .to_owned();
    let access = v["AuthenticationResult"]["AccessToken"].clone();
    // Known (even unconfirmed): accepted.
    ok(&app, "InitiateAuth", sign_in(Some(&key))).await;
    ok(
        &app,
        "ForgetDevice",
        json!({"AccessToken": access, "DeviceKey": key}),
    )
    .await;
    let e = fails(
        &app,
        "InitiateAuth",
        sign_in(Some(&key)),
        "ResourceNotFoundException",
    )
    .await;
    assert_eq!(e["message"], "Device does not exist.");
    // Without device tracking a stray key is ignored.
    let untracked = self::app(false);
    ok(&untracked, "InitiateAuth", sign_in(Some("us-east-1_nope"))).await;
}
