//! Error paths of the self-service, MFA, device and admin operations.

mod common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn sign_up_and_codes() {
    let app = app();
    let body = |u: &str, pw: &str| json!({"ClientId": SPA, "Username": u, "Password": pw, "UserAttributes": [{"Name": "email", "Value": "a@example.com"}]});
    fails(
        &app,
        "SignUp",
        json!({"ClientId": SPA, "Username": "x"}),
        "InvalidParameterException",
    )
    .await;
    fails(
        &app,
        "SignUp",
        body("demo", "Good-Passw0rd!"),
        "UsernameExistsException",
    )
    .await;
    for weak in [
        "Sh1!a",
        "alllowercase1!",
        "ALLUPPER1!",
        "NoDigits!!",
        "NoSymbol11A",
    ] {
        let v = fails(
            &app,
            "SignUp",
            body("weak", weak),
            "InvalidPasswordException",
        )
        .await;
        assert!(v["message"]
            .as_str()
            .unwrap()
            .starts_with("Password did not conform with policy"));
    }
    fails(&app, "SignUp", json!({"ClientId": SPA, "Username": "x", "Password": "Good-Passw0rd!", "UserAttributes": [{"Name": "sub", "Value": "1"}]}), "InvalidParameterException").await;
    fails(&app, "SignUp", json!({"ClientId": SPA, "Username": "x", "Password": "Good-Passw0rd!", "UserAttributes": [{"Name": "shoe_size", "Value": "1"}]}), "InvalidParameterException").await;
    fails(
        &app,
        "SignUp",
        json!({"ClientId": CONF, "Username": "x", "Password": "Good-Passw0rd!"}),
        "NotAuthorizedException",
    )
    .await;
    ok(&app, "SignUp", body("alice", "Good-Passw0rd!")).await;
    fails(
        &app,
        "ConfirmSignUp",
        json!({"ClientId": SPA, "Username": "alice", "ConfirmationCode": "abc"}),
        "CodeMismatchException",
    )
    .await;
    fails(
        &app,
        "ConfirmSignUp",
        json!({"ClientId": SPA, "Username": "bob", "ConfirmationCode": "1"}),
        "UserNotFoundException",
    )
    .await;
    ok(
        &app,
        "ResendConfirmationCode",
        json!({"ClientId": SPA, "Username": "alice"}),
    )
    .await;
    let code = app.lock().outbox.last().unwrap().code.clone();
    ok(
        &app,
        "ConfirmSignUp",
        json!({"ClientId": SPA, "Username": "alice", "ConfirmationCode": code}),
    )
    .await;
    fails(
        &app,
        "ConfirmSignUp",
        json!({"ClientId": SPA, "Username": "alice", "ConfirmationCode": code}),
        "NotAuthorizedException",
    )
    .await;
    fails(
        &app,
        "ResendConfirmationCode",
        json!({"ClientId": SPA, "Username": "alice"}),
        "InvalidParameterException",
    )
    .await;
    fails(
        &app,
        "ForgotPassword",
        json!({"ClientId": SPA, "Username": "nobody"}),
        "UserNotFoundException",
    )
    .await;
    fails(&app, "ConfirmForgotPassword", json!({"ClientId": SPA, "Username": "alice", "ConfirmationCode": "123456", "Password": "New-Passw0rd!"}), "ExpiredCodeException").await;
    ok(
        &app,
        "ForgotPassword",
        json!({"ClientId": SPA, "Username": "alice"}),
    )
    .await;
    fails(&app, "ConfirmForgotPassword", json!({"ClientId": SPA, "Username": "alice", "ConfirmationCode": "x", "Password": "New-Passw0rd!"}), "CodeMismatchException").await;
}

#[tokio::test]
async fn access_token_operations() {
    let app = app();
    for op in [
        "GetUser",
        "GlobalSignOut",
        "DeleteUser",
        "ListDevices",
        "AssociateSoftwareToken",
    ] {
        fails(
            &app,
            op,
            json!({"AccessToken": "not.a.jwt"}),
            "NotAuthorizedException",
        )
        .await;
    }
    fails(&app, "GetUser", json!({}), "InvalidParameterException").await;
    let t = demo_tokens(&app).await;
    let at = t["AccessToken"].as_str().unwrap();
    // An ID token is not an access token.
    fails(
        &app,
        "GetUser",
        json!({"AccessToken": t["IdToken"]}),
        "NotAuthorizedException",
    )
    .await;
    fails(&app, "ChangePassword", json!({"AccessToken": at, "PreviousPassword": "Wrong-Passw0rd!", "ProposedPassword": "Next-Passw0rd!"}), "NotAuthorizedException").await;
    fails(&app, "ChangePassword", json!({"AccessToken": at, "PreviousPassword": "Demo-Passw0rd!", "ProposedPassword": "weak"}), "InvalidPasswordException").await;
    fails(
        &app,
        "UpdateUserAttributes",
        json!({"AccessToken": at, "UserAttributes": [{"Name": "email_verified", "Value": "true"}]}),
        "InvalidParameterException",
    )
    .await;
    fails(
        &app,
        "UpdateUserAttributes",
        json!({"AccessToken": at, "UserAttributes": [{"Value": "x"}]}),
        "InvalidParameterException",
    )
    .await;
    fails(
        &app,
        "DeleteUserAttributes",
        json!({"AccessToken": at}),
        "InvalidParameterException",
    )
    .await;
    fails(
        &app,
        "GetUserAttributeVerificationCode",
        json!({"AccessToken": at, "AttributeName": "name"}),
        "InvalidParameterException",
    )
    .await;
    fails(
        &app,
        "VerifyUserAttribute",
        json!({"AccessToken": at, "AttributeName": "email", "Code": "1"}),
        "ExpiredCodeException",
    )
    .await;
    ok(
        &app,
        "GetUserAttributeVerificationCode",
        json!({"AccessToken": at, "AttributeName": "email"}),
    )
    .await;
    fails(
        &app,
        "VerifyUserAttribute",
        json!({"AccessToken": at, "AttributeName": "email", "Code": "x"}),
        "CodeMismatchException",
    )
    .await;
    ok(
        &app,
        "DeleteUserAttributes",
        json!({"AccessToken": at, "UserAttributeNames": ["name"]}),
    )
    .await;
    let me = ok(&app, "GetUser", json!({"AccessToken": at})).await;
    assert!(!me["UserAttributes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["Name"] == "name"));
    // MFA.
    fails(
        &app,
        "VerifySoftwareToken",
        json!({"AccessToken": at, "UserCode": "123456"}),
        "SoftwareTokenMFANotFoundException",
    )
    .await;
    fails(
        &app,
        "SetUserMFAPreference",
        json!({"AccessToken": at, "SoftwareTokenMfaSettings": {"Enabled": true}}),
        "InvalidParameterException",
    )
    .await;
    fails(
        &app,
        "SetUserMFAPreference",
        json!({"AccessToken": at, "SMSMfaSettings": {"Enabled": true}}),
        "InvalidParameterException",
    )
    .await;
    let s = ok(&app, "AssociateSoftwareToken", json!({"AccessToken": at})).await;
    assert_eq!(s["SecretCode"].as_str().unwrap().len(), 32);
    fails(
        &app,
        "VerifySoftwareToken",
        json!({"AccessToken": at, "UserCode": "abcdef"}),
        "EnableSoftwareTokenMFAException",
    )
    .await;
    fails(
        &app,
        "AssociateSoftwareToken",
        json!({"Session": "bogus"}),
        "NotAuthorizedException",
    )
    .await;
    // Devices (device tracking is off in the demo pool: no devices exist).
    fails(
        &app,
        "GetDevice",
        json!({"AccessToken": at, "DeviceKey": "us-east-1_x"}),
        "ResourceNotFoundException",
    )
    .await;
    fails(
        &app,
        "ForgetDevice",
        json!({"AccessToken": at, "DeviceKey": "us-east-1_x"}),
        "ResourceNotFoundException",
    )
    .await;
    fails(
        &app,
        "UpdateDeviceStatus",
        json!({"AccessToken": at, "DeviceKey": "k", "DeviceRememberedStatus": "maybe"}),
        "InvalidParameterException",
    )
    .await;
    fails(&app, "ConfirmDevice", json!({"AccessToken": at, "DeviceKey": "k", "DeviceSecretVerifierConfig": {"Salt": "!!", "PasswordVerifier": "AA=="}}), "InvalidParameterException").await;
    assert_eq!(
        ok(&app, "ListDevices", json!({"AccessToken": at})).await["Devices"],
        json!([])
    );
    // RevokeToken.
    fails(
        &app,
        "RevokeToken",
        json!({"ClientId": SPA, "Token": at}),
        "UnsupportedTokenTypeException",
    )
    .await;
    fails(
        &app,
        "RevokeToken",
        json!({"ClientId": CONF, "Token": t["RefreshToken"], "ClientSecret": SECRET}),
        "UnauthorizedException",
    )
    .await;
    // DeleteUser revokes everything and the user is gone.
    ok(&app, "DeleteUser", json!({"AccessToken": at})).await;
    fails(
        &app,
        "GetUser",
        json!({"AccessToken": at}),
        "NotAuthorizedException",
    )
    .await;
    fails(&app, "InitiateAuth", json!({"ClientId": SPA, "AuthFlow": "REFRESH_TOKEN_AUTH", "AuthParameters": {"REFRESH_TOKEN": t["RefreshToken"]}}), "NotAuthorizedException").await;
}

#[tokio::test]
async fn admin_operations() {
    let app = app();
    fails(
        &app,
        "AdminGetUser",
        json!({"UserPoolId": "us-east-1_Nope", "Username": "demo"}),
        "ResourceNotFoundException",
    )
    .await;
    fails(
        &app,
        "AdminGetUser",
        json!({"UserPoolId": POOL, "Username": "nope"}),
        "UserNotFoundException",
    )
    .await;
    fails(
        &app,
        "AdminCreateUser",
        json!({"UserPoolId": POOL, "Username": "demo"}),
        "UsernameExistsException",
    )
    .await;
    fails(
        &app,
        "AdminCreateUser",
        json!({"UserPoolId": POOL, "Username": "n", "TemporaryPassword": "weak"}),
        "InvalidPasswordException",
    )
    .await;
    fails(
        &app,
        "AdminSetUserPassword",
        json!({"UserPoolId": POOL, "Username": "nope", "Password": "Good-Passw0rd!"}),
        "UserNotFoundException",
    )
    .await;
    fails(
        &app,
        "AdminDeleteUser",
        json!({"UserPoolId": POOL, "Username": "nope"}),
        "UserNotFoundException",
    )
    .await;
    fails(
        &app,
        "AdminConfirmSignUp",
        json!({"UserPoolId": POOL, "Username": "demo"}),
        "NotAuthorizedException",
    )
    .await;
    fails(&app, "AdminUpdateUserAttributes", json!({"UserPoolId": POOL, "Username": "demo", "UserAttributes": [{"Name": "sub", "Value": "x"}]}), "InvalidParameterException").await;
    fails(
        &app,
        "CreateUserPool",
        json!({}),
        "InvalidParameterException",
    )
    .await;
    fails(
        &app,
        "CreateUserPool",
        json!({"PoolName": "p", "MfaConfiguration": "SOMETIMES"}),
        "InvalidParameterException",
    )
    .await;
    fails(
        &app,
        "CreateUserPoolClient",
        json!({"UserPoolId": POOL}),
        "InvalidParameterException",
    )
    .await;
    fails(
        &app,
        "CreateUserPoolClient",
        json!({"UserPoolId": POOL, "ClientName": "c", "ExplicitAuthFlows": ["USER_SRP_AUTH"]}),
        "InvalidParameterException",
    )
    .await;
    fails(
        &app,
        "DescribeUserPoolClient",
        json!({"UserPoolId": POOL, "ClientId": "nope"}),
        "ResourceNotFoundException",
    )
    .await;
    let u = ok(
        &app,
        "AdminCreateUser",
        json!({"UserPoolId": POOL, "Username": "carol", "MessageAction": "SUPPRESS"}),
    )
    .await;
    assert_eq!(u["User"]["UserStatus"], "FORCE_CHANGE_PASSWORD");
    let g = ok(
        &app,
        "AdminGetUser",
        json!({"UserPoolId": POOL, "Username": "carol"}),
    )
    .await;
    assert_eq!(g["UserStatus"], "FORCE_CHANGE_PASSWORD");
    ok(&app, "AdminSetUserPassword", json!({"UserPoolId": POOL, "Username": "carol", "Password": "Carol-Passw0rd!", "Permanent": true})).await;
    assert_eq!(
        ok(
            &app,
            "AdminGetUser",
            json!({"UserPoolId": POOL, "Username": "carol"})
        )
        .await["UserStatus"],
        "CONFIRMED"
    );
    let p = ok(
        &app,
        "CreateUserPool",
        json!({"PoolName": "second", "MfaConfiguration": "ON"}),
    )
    .await;
    let id = p["UserPool"]["Id"].as_str().unwrap();
    assert!(id.starts_with("us-east-1_"));
    assert_eq!(
        ok(&app, "DescribeUserPool", json!({"UserPoolId": id})).await["UserPool"]
            ["MfaConfiguration"],
        "ON"
    );
}

#[tokio::test]
async fn mfa_required_pool_forces_setup() {
    let app = app();
    let p = ok(
        &app,
        "CreateUserPool",
        json!({"PoolName": "strict", "MfaConfiguration": "ON"}),
    )
    .await;
    let pool = p["UserPool"]["Id"].as_str().unwrap().to_string();
    let c = ok(
        &app,
        "CreateUserPoolClient",
        json!({"UserPoolId": pool, "ClientName": "c"}),
    )
    .await;
    let client = c["UserPoolClient"]["ClientId"]
        .as_str()
        .unwrap()
        .to_string();
    ok(
        &app,
        "AdminCreateUser",
        json!({"UserPoolId": pool, "Username": "dave", "MessageAction": "SUPPRESS"}),
    )
    .await;
    ok(&app, "AdminSetUserPassword", json!({"UserPoolId": pool, "Username": "dave", "Password": "Dave-Passw0rd!", "Permanent": true})).await;
    let v = ok(&app, "InitiateAuth", json!({"ClientId": client, "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": {"USERNAME": "dave", "PASSWORD": "Dave-Passw0rd!"}})).await;
    assert_eq!(v["ChallengeName"], "MFA_SETUP");
    let session = v["Session"].as_str().unwrap().to_string();
    let resp = |s: &str| json!({"ClientId": client, "ChallengeName": "MFA_SETUP", "Session": s, "ChallengeResponses": {"USERNAME": "dave"}});
    // Not yet verified: refused, and the session survives for the set-up.
    fails(
        &app,
        "RespondToAuthChallenge",
        resp(&session),
        "InvalidParameterException",
    )
    .await;
    let v = ok(&app, "InitiateAuth", json!({"ClientId": client, "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": {"USERNAME": "dave", "PASSWORD": "Dave-Passw0rd!"}})).await;
    let session = v["Session"].as_str().unwrap().to_string();
    let a = ok(&app, "AssociateSoftwareToken", json!({"Session": session})).await;
    let secret = a["SecretCode"].as_str().unwrap();
    let key = cognito_emulator::totp::base32_decode(secret).unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let code = cognito_emulator::totp::hotp(&key, now / 30).unwrap();
    let v = ok(
        &app,
        "VerifySoftwareToken",
        json!({"Session": session, "UserCode": code}),
    )
    .await;
    assert_eq!(v["Status"], "SUCCESS");
    let v = ok(&app, "RespondToAuthChallenge", resp(&session)).await;
    assert!(v["AuthenticationResult"]["AccessToken"].is_string());
}

#[tokio::test]
async fn select_mfa_type_then_sms() {
    let app = app();
    let t = demo_tokens(&app).await;
    let at = t["AccessToken"].as_str().unwrap().to_string();
    ok(&app, "AdminUpdateUserAttributes", json!({"UserPoolId": POOL, "Username": "demo", "UserAttributes": [{"Name": "phone_number", "Value": "+15555550123"}]})).await;
    ok(&app, "SetUserMFAPreference", json!({"AccessToken": at, "SMSMfaSettings": {"Enabled": true}, "EmailMfaSettings": {"Enabled": true}})).await;
    let login = json!({"ClientId": SPA, "AuthFlow": "USER_PASSWORD_AUTH", "AuthParameters": {"USERNAME": "demo", "PASSWORD": "Demo-Passw0rd!"}});
    let v = ok(&app, "InitiateAuth", login.clone()).await;
    assert_eq!(v["ChallengeName"], "SELECT_MFA_TYPE");
    let s = v["Session"].as_str().unwrap();
    fails(&app, "RespondToAuthChallenge", json!({"ClientId": SPA, "ChallengeName": "SELECT_MFA_TYPE", "Session": s, "ChallengeResponses": {"USERNAME": "demo", "ANSWER": "SOFTWARE_TOKEN_MFA"}}), "InvalidParameterException").await;
    let v = ok(&app, "InitiateAuth", login.clone()).await;
    let s = v["Session"].as_str().unwrap();
    // The wrong challenge name for a session is refused without burning it.
    fails(&app, "RespondToAuthChallenge", json!({"ClientId": SPA, "ChallengeName": "SMS_MFA", "Session": s, "ChallengeResponses": {"USERNAME": "demo", "SMS_MFA_CODE": "1"}}), "InvalidParameterException").await;
    let v = ok(&app, "RespondToAuthChallenge", json!({"ClientId": SPA, "ChallengeName": "SELECT_MFA_TYPE", "Session": s, "ChallengeResponses": {"USERNAME": "demo", "ANSWER": "SMS_MFA"}})).await;
    assert_eq!(v["ChallengeName"], "SMS_MFA");
    assert_eq!(
        v["ChallengeParameters"]["CODE_DELIVERY_DESTINATION"],
        "+*******0123"
    );
    let s = v["Session"].as_str().unwrap().to_string();
    let code = app.lock().outbox.last().unwrap().code.clone();
    let answer = |c: &str| json!({"ClientId": SPA, "ChallengeName": "SMS_MFA", "Session": s, "ChallengeResponses": {"USERNAME": "demo", "SMS_MFA_CODE": c}});
    let wrong = if code == "000000" { "111111" } else { "000000" };
    // Two wrong tries keep the session; the right code then signs in.
    fails(
        &app,
        "RespondToAuthChallenge",
        answer(wrong),
        "CodeMismatchException",
    )
    .await;
    fails(
        &app,
        "RespondToAuthChallenge",
        answer(wrong),
        "CodeMismatchException",
    )
    .await;
    let v = ok(&app, "RespondToAuthChallenge", answer(&code)).await;
    assert!(v["AuthenticationResult"]["AccessToken"].is_string());
    fails(
        &app,
        "RespondToAuthChallenge",
        answer(&code),
        "NotAuthorizedException",
    )
    .await;
    // A session belongs to its client.
    let v = ok(&app, "InitiateAuth", login).await;
    let s = v["Session"].as_str().unwrap();
    fails(&app, "RespondToAuthChallenge", json!({"ClientId": CONF, "ChallengeName": "SELECT_MFA_TYPE", "Session": s, "ChallengeResponses": {"USERNAME": "demo", "ANSWER": "SMS_MFA", "SECRET_HASH": cognito_wasm::srp::secret_hash("demo", CONF, SECRET)}}), "NotAuthorizedException").await;
}
