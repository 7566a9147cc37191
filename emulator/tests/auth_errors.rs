//! Error paths of `InitiateAuth`, `RespondToAuthChallenge` and
//! `GetTokensFromRefreshToken`, and the request envelope.

mod common;

use cognito_wasm::srp::{
    answer_password_verifier, cognito_timestamp, secret_hash, EphemeralKey,
    PasswordVerifierChallenge,
};
use common::*;
use serde_json::json;

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[tokio::test]
async fn envelope_errors() {
    let app = app();
    fails(
        &app,
        "NoSuchOperation",
        json!({}),
        "UnknownOperationException",
    )
    .await;
    let (s, v) = raw(&app, "InitiateAuth", "not json".into()).await;
    assert_eq!(s, 400);
    assert_eq!(v["__type"], "SerializationException");
    let (s, v) = raw(&app, "InitiateAuth", "[1,2]".into()).await;
    assert_eq!(s, 400);
    assert_eq!(v["__type"], "SerializationException");
    let (s, _) = raw(
        &app,
        "InitiateAuth",
        "x".repeat(cognito_emulator::MAX_BODY + 1),
    )
    .await;
    assert_eq!(s, 413);
}

#[tokio::test]
async fn initiate_auth_errors() {
    let app = app();
    let p = |u: &str, pw: &str| json!({"USERNAME": u, "PASSWORD": pw});
    fails(
        &app,
        "InitiateAuth",
        json!({"AuthFlow": "USER_PASSWORD_AUTH"}),
        "InvalidParameterException",
    )
    .await;
    fails(&app, "InitiateAuth", json!({"ClientId": "nope", "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": p("demo", "x")}), "ResourceNotFoundException").await;
    fails(
        &app,
        "InitiateAuth",
        json!({"ClientId": SPA, "AuthFlow": "MAGIC"}),
        "InvalidParameterException",
    )
    .await;
    fails(&app, "InitiateAuth", json!({"ClientId": SPA, "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": {"USERNAME": "demo"}}), "InvalidParameterException").await;
    let v = fails(&app, "InitiateAuth", json!({"ClientId": SPA, "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": p("demo", "Wrong-1!")}), "NotAuthorizedException").await;
    assert_eq!(v["message"], "Incorrect username or password.");
    fails(&app, "InitiateAuth", json!({"ClientId": SPA, "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": p("ghost", "Wrong-1!")}), "NotAuthorizedException").await;
    // Confidential client: SECRET_HASH required and checked.
    fails(&app, "InitiateAuth", json!({"ClientId": CONF, "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": p("demo", "Demo-Passw0rd!")}), "NotAuthorizedException").await;
    let mut bad = p("demo", "Demo-Passw0rd!");
    bad["SECRET_HASH"] = json!(secret_hash("demo", CONF, "wrong"));
    fails(
        &app,
        "InitiateAuth",
        json!({"ClientId": CONF, "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": bad}),
        "NotAuthorizedException",
    )
    .await;
    let mut good = p("demo", "Demo-Passw0rd!");
    good["SECRET_HASH"] = json!(secret_hash("demo", CONF, SECRET));
    ok(
        &app,
        "InitiateAuth",
        json!({"ClientId": CONF, "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": good}),
    )
    .await;
    // SRP_A must be in [1, N) and not ≡ 0 mod N.
    for a in [
        "0",
        "zz",
        &cognito_emulator::util::hex(&cognito_wasm::srp::modulus_be_bytes()),
    ] {
        fails(&app, "InitiateAuth", json!({"ClientId": SPA, "AuthFlow": "USER_SRP_AUTH", "AuthParameters": {"USERNAME": "demo", "SRP_A": a}}), "InvalidParameterException").await;
    }
    // An explicit-auth-flow restriction is enforced.
    let c = ok(&app, "CreateUserPoolClient", json!({"UserPoolId": POOL, "ClientName": "srp-only", "ExplicitAuthFlows": ["ALLOW_USER_SRP_AUTH"]})).await;
    let id = c["UserPoolClient"]["ClientId"].as_str().unwrap();
    fails(&app, "InitiateAuth", json!({"ClientId": id, "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": p("demo", "Demo-Passw0rd!")}), "InvalidParameterException").await;
    fails(&app, "InitiateAuth", json!({"ClientId": id, "AuthFlow": "REFRESH_TOKEN_AUTH", "AuthParameters": {"REFRESH_TOKEN": "x"}}), "InvalidParameterException").await;
    // Unconfirmed users cannot sign in.
    let no_email =
        json!({"ClientId": SPA, "Username": "pending", "Password": "Pending-Passw0rd1!"});
    fails(&app, "SignUp", no_email, "InvalidParameterException").await;
    let with_email = json!({"ClientId": SPA, "Username": "pending", "Password": "Pending-Passw0rd1!",
        "UserAttributes": [{"Name": "email", "Value": "p@example.com"}]});
    ok(&app, "SignUp", with_email).await;
    fails(&app, "InitiateAuth", json!({"ClientId": SPA, "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": p("pending", "Pending-Passw0rd1!")}), "UserNotConfirmedException").await;
}

async fn srp_start(
    app: &std::sync::Arc<cognito_emulator::store::AppState>,
    key: &EphemeralKey,
) -> serde_json::Value {
    ok(
        app,
        "InitiateAuth",
        json!({"ClientId": SPA, "AuthFlow": "USER_SRP_AUTH",
        "AuthParameters": {"USERNAME": "demo", "SRP_A": key.public_hex()}}),
    )
    .await["ChallengeParameters"]
        .clone()
}

fn claim(
    key: &EphemeralKey,
    cp: &serde_json::Value,
    password: &str,
    ts: &str,
) -> serde_json::Value {
    let ch = PasswordVerifierChallenge {
        salt: cp["SALT"].as_str().unwrap(),
        srp_b: cp["SRP_B"].as_str().unwrap(),
        secret_block: cp["SECRET_BLOCK"].as_str().unwrap(),
        user_id_for_srp: cp["USER_ID_FOR_SRP"].as_str().unwrap(),
    };
    let c = answer_password_verifier(key, "LocalDemo", password, &ch, ts).unwrap();
    json!({"ClientId": SPA, "ChallengeName": "PASSWORD_VERIFIER", "ChallengeResponses": {
        "USERNAME": "demo", "PASSWORD_CLAIM_SECRET_BLOCK": c.secret_block,
        "PASSWORD_CLAIM_SIGNATURE": c.signature, "TIMESTAMP": c.timestamp}})
}

#[tokio::test]
async fn password_verifier_errors() {
    let app = app();
    let key = EphemeralKey::generate().unwrap();
    // Wrong password → NotAuthorized; the secret block is then spent.
    let cp = srp_start(&app, &key).await;
    let wrong = claim(&key, &cp, "Wrong-Passw0rd!", &cognito_timestamp(now()));
    let v = fails(
        &app,
        "RespondToAuthChallenge",
        wrong,
        "NotAuthorizedException",
    )
    .await;
    assert_eq!(v["message"], "Incorrect username or password.");
    let right = claim(&key, &cp, "Demo-Passw0rd!", &cognito_timestamp(now()));
    fails(
        &app,
        "RespondToAuthChallenge",
        right,
        "NotAuthorizedException",
    )
    .await;
    // A timestamp too far from now.
    let cp = srp_start(&app, &key).await;
    fails(
        &app,
        "RespondToAuthChallenge",
        claim(
            &key,
            &cp,
            "Demo-Passw0rd!",
            &cognito_timestamp(now() - 3600),
        ),
        "NotAuthorizedException",
    )
    .await;
    // A malformed timestamp.
    let cp = srp_start(&app, &key).await;
    fails(
        &app,
        "RespondToAuthChallenge",
        claim(&key, &cp, "Demo-Passw0rd!", "yesterday"),
        "InvalidParameterException",
    )
    .await;
    // The right answer works once, and only once.
    let cp = srp_start(&app, &key).await;
    let good = claim(&key, &cp, "Demo-Passw0rd!", &cognito_timestamp(now()));
    let v = ok(&app, "RespondToAuthChallenge", good.clone()).await;
    assert!(v["AuthenticationResult"]["AccessToken"].is_string());
    fails(
        &app,
        "RespondToAuthChallenge",
        good,
        "NotAuthorizedException",
    )
    .await;
    // A secret block is bound to its client.
    let cp = srp_start(&app, &key).await;
    let mut other = claim(&key, &cp, "Demo-Passw0rd!", &cognito_timestamp(now()));
    other["ClientId"] = json!(CONF);
    other["ChallengeResponses"]["SECRET_HASH"] = json!(secret_hash("demo", CONF, SECRET));
    fails(
        &app,
        "RespondToAuthChallenge",
        other,
        "NotAuthorizedException",
    )
    .await;
    // Missing parameters and unknown sessions.
    fails(&app, "RespondToAuthChallenge", json!({"ClientId": SPA, "ChallengeName": "PASSWORD_VERIFIER", "ChallengeResponses": {"USERNAME": "demo"}}), "InvalidParameterException").await;
    fails(&app, "RespondToAuthChallenge", json!({"ClientId": SPA, "ChallengeName": "SMS_MFA", "ChallengeResponses": {"USERNAME": "demo", "SMS_MFA_CODE": "1"}}), "InvalidParameterException").await;
    fails(&app, "RespondToAuthChallenge", json!({"ClientId": SPA, "ChallengeName": "SMS_MFA", "Session": "bogus", "ChallengeResponses": {"USERNAME": "demo", "SMS_MFA_CODE": "1"}}), "NotAuthorizedException").await;
}

#[tokio::test]
async fn refresh_errors() {
    let app = app();
    let t = demo_tokens(&app).await;
    let rt = t["RefreshToken"].as_str().unwrap();
    fails(&app, "InitiateAuth", json!({"ClientId": SPA, "AuthFlow": "REFRESH_TOKEN_AUTH", "AuthParameters": {"REFRESH_TOKEN": "garbage"}}), "NotAuthorizedException").await;
    // A refresh token only works for the client it was issued to.
    let mut a = json!({"REFRESH_TOKEN": rt, "SECRET_HASH": secret_hash("demo", CONF, SECRET)});
    fails(
        &app,
        "InitiateAuth",
        json!({"ClientId": CONF, "AuthFlow": "REFRESH_TOKEN_AUTH", "AuthParameters": a.clone()}),
        "NotAuthorizedException",
    )
    .await;
    a["SECRET_HASH"] = json!("x");
    fails(
        &app,
        "GetTokensFromRefreshToken",
        json!({"ClientId": CONF, "RefreshToken": rt}),
        "NotAuthorizedException",
    )
    .await;
    let v = ok(&app, "InitiateAuth", json!({"ClientId": SPA, "AuthFlow": "REFRESH_TOKEN", "AuthParameters": {"REFRESH_TOKEN": rt}})).await;
    assert!(v["AuthenticationResult"]["RefreshToken"].is_null());
    // Without rotation, GetTokensFromRefreshToken keeps the refresh token.
    let v = ok(
        &app,
        "GetTokensFromRefreshToken",
        json!({"ClientId": SPA, "RefreshToken": rt}),
    )
    .await;
    assert!(v["AuthenticationResult"]["RefreshToken"].is_null());
    ok(&app, "RevokeToken", json!({"ClientId": SPA, "Token": rt})).await;
    fails(
        &app,
        "GetTokensFromRefreshToken",
        json!({"ClientId": SPA, "RefreshToken": rt}),
        "NotAuthorizedException",
    )
    .await;
}

#[tokio::test]
async fn custom_auth_and_user_auth() {
    let app = app();
    // CUSTOM_AUTH: the scripted challenge's answer is a code from the outbox.
    let v = ok(
        &app,
        "InitiateAuth",
        json!({"ClientId": SPA, "AuthFlow": "CUSTOM_AUTH", "AuthParameters": {"USERNAME": "demo"}}),
    )
    .await;
    assert_eq!(v["ChallengeName"], "CUSTOM_CHALLENGE");
    let session = v["Session"].as_str().unwrap().to_string();
    let code = app.lock().outbox.last().unwrap().code.clone();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let r = |s: &str, a: &str| json!({"ClientId": SPA, "ChallengeName": "CUSTOM_CHALLENGE", "Session": s, "ChallengeResponses": {"USERNAME": "demo", "ANSWER": a}});
    fails(
        &app,
        "RespondToAuthChallenge",
        r(&session, wrong),
        "NotAuthorizedException",
    )
    .await;
    let v = ok(&app, "RespondToAuthChallenge", r(&session, &code)).await;
    assert!(v["AuthenticationResult"]["IdToken"].is_string());
    fails(
        &app,
        "RespondToAuthChallenge",
        r(&session, &code),
        "NotAuthorizedException",
    )
    .await;

    // USER_AUTH without a preference: SELECT_CHALLENGE, then EMAIL_OTP.
    let v = ok(
        &app,
        "InitiateAuth",
        json!({"ClientId": SPA, "AuthFlow": "USER_AUTH", "AuthParameters": {"USERNAME": "demo"}}),
    )
    .await;
    assert_eq!(v["ChallengeName"], "SELECT_CHALLENGE");
    let avail: Vec<&str> = v["AvailableChallenges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    assert!(
        avail.contains(&"PASSWORD")
            && avail.contains(&"PASSWORD_SRP")
            && avail.contains(&"EMAIL_OTP")
    );
    let s = v["Session"].as_str().unwrap();
    let v = ok(&app, "RespondToAuthChallenge", json!({"ClientId": SPA, "ChallengeName": "SELECT_CHALLENGE", "Session": s, "ChallengeResponses": {"USERNAME": "demo", "ANSWER": "EMAIL_OTP"}})).await;
    assert_eq!(v["ChallengeName"], "EMAIL_OTP");
    assert_eq!(
        v["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"],
        "d***@e***"
    );
    let code = app.lock().outbox.last().unwrap().code.clone();
    let s = v["Session"].as_str().unwrap();
    let v = ok(&app, "RespondToAuthChallenge", json!({"ClientId": SPA, "ChallengeName": "EMAIL_OTP", "Session": s, "ChallengeResponses": {"USERNAME": "demo", "EMAIL_OTP_CODE": code}})).await;
    assert!(v["AuthenticationResult"]["AccessToken"].is_string());
    // USER_AUTH with PREFERRED_CHALLENGE=PASSWORD signs in directly; a
    // challenge the user cannot use is refused.
    let v = ok(&app, "InitiateAuth", json!({"ClientId": SPA, "AuthFlow": "USER_AUTH", "AuthParameters": {"USERNAME": "demo", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": "Demo-Passw0rd!"}})).await;
    assert!(v["AuthenticationResult"]["AccessToken"].is_string());
    fails(&app, "InitiateAuth", json!({"ClientId": SPA, "AuthFlow": "USER_AUTH", "AuthParameters": {"USERNAME": "demo", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": "nope"}}), "NotAuthorizedException").await;
    fails(&app, "InitiateAuth", json!({"ClientId": SPA, "AuthFlow": "USER_AUTH", "AuthParameters": {"USERNAME": "demo", "PREFERRED_CHALLENGE": "SMS_OTP"}}), "InvalidParameterException").await;
    let v = ok(&app, "InitiateAuth", json!({"ClientId": SPA, "AuthFlow": "USER_AUTH", "AuthParameters": {"USERNAME": "demo", "PREFERRED_CHALLENGE": "PASSWORD_SRP", "SRP_A": EphemeralKey::generate().unwrap().public_hex()}})).await;
    assert_eq!(v["ChallengeName"], "PASSWORD_VERIFIER");
}

#[tokio::test]
async fn cors_preflight_for_browsers() {
    use axum::body::Body;
    use axum::http::Request;
    use tower::ServiceExt;
    let req = Request::builder()
        .method("OPTIONS")
        .uri("/")
        .header("origin", "http://localhost:8080")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "content-type,x-amz-target,x-amz-user-agent",
        )
        .body(Body::empty())
        .unwrap();
    let resp = cognito_emulator::router(app()).oneshot(req).await.unwrap();
    assert_eq!(resp.status(), 200);
    let h = resp.headers();
    assert_eq!(h["access-control-allow-origin"], "http://localhost:8080");
    assert!(h["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .contains("x-amz-target"));
}

#[tokio::test]
async fn revoking_a_rotated_token_revokes_the_chain() {
    let app = app();
    let c = ok(&app, "CreateUserPoolClient", json!({"UserPoolId": POOL, "ClientName": "rot", "RefreshTokenRotation": {"Feature": "ENABLED"}})).await;
    let id = c["UserPoolClient"]["ClientId"]
        .as_str()
        .unwrap()
        .to_string();
    let t = ok(&app, "InitiateAuth", json!({"ClientId": id, "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": {"USERNAME": "demo", "PASSWORD": "Demo-Passw0rd!"}})).await;
    let rt1 = t["AuthenticationResult"]["RefreshToken"]
        .as_str()
        .unwrap()
        .to_string();
    let r = ok(
        &app,
        "GetTokensFromRefreshToken",
        json!({"ClientId": id, "RefreshToken": rt1}),
    )
    .await;
    let rt2 = r["AuthenticationResult"]["RefreshToken"]
        .as_str()
        .unwrap()
        .to_string();
    let r = ok(
        &app,
        "GetTokensFromRefreshToken",
        json!({"ClientId": id, "RefreshToken": rt2}),
    )
    .await;
    let rt3 = r["AuthenticationResult"]["RefreshToken"]
        .as_str()
        .unwrap()
        .to_string();
    let at = r["AuthenticationResult"]["AccessToken"].clone();
    // rt2 is already spent by rotation; revoking it is a no-op (RFC 7009),
    // revoking the live rt3 ends the whole authentication event.
    ok(&app, "RevokeToken", json!({"ClientId": id, "Token": rt3})).await;
    fails(
        &app,
        "GetTokensFromRefreshToken",
        json!({"ClientId": id, "RefreshToken": rt3}),
        "NotAuthorizedException",
    )
    .await;
    fails(
        &app,
        "GetUser",
        json!({"AccessToken": at}),
        "NotAuthorizedException",
    )
    .await;
    fails(
        &app,
        "GetUser",
        json!({"AccessToken": t["AuthenticationResult"]["AccessToken"]}),
        "NotAuthorizedException",
    )
    .await;
}
