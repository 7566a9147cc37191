//! Each sign-in step and account operation against recorded responses
//! shaped like the API Reference's examples, every error shape, the token
//! set, and a no-panic sweep. Request bodies are read back with serde_json
//! (an independent parser); SECRET_HASH is recomputed here with HMAC
//! directly.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;
use zeroize::Zeroizing;

use super::*;
use crate::Error;

type Headers = &'static [(&'static str, &'static str)];
const NO_HEADERS: Headers = &[];
const JSON_CT: Headers = &[("Content-Type", "application/x-amz-json-1.1")];

fn pool() -> UserPool {
    UserPool::new("us-east-1_Pool1", "client1", None, None).unwrap()
}

fn confidential() -> UserPool {
    UserPool::new(
        "us-east-1_Pool1",
        "client1",
        Some("secret1"),
        Some("http://127.0.0.1:9229/"),
    )
    .unwrap()
}

fn hmac_b64(key: &str, msg: &str) -> String {
    let mut m = Hmac::<Sha256>::new_from_slice(key.as_bytes()).unwrap();
    m.update(msg.as_bytes());
    STANDARD.encode(m.finalize().into_bytes())
}

/// The request's target operation and body as serde_json reads it.
fn sent(req: &HttpRequest) -> (String, Value) {
    assert_eq!(req.method, "POST");
    assert_eq!(
        req.header("content-type"),
        Some("application/x-amz-json-1.1")
    );
    assert_eq!(req.header("cache-control"), Some("no-store"));
    let target = req.header("x-amz-target").unwrap();
    let op = target
        .strip_prefix("AWSCognitoIdentityProviderService.")
        .unwrap()
        .to_owned();
    (
        op,
        serde_json::from_str(req.body.as_deref().unwrap()).unwrap(),
    )
}

/// A JWT with the given claims and a dummy signature (timing is read from
/// claims only; signatures are not checked here).
fn jwt(claims: &str) -> String {
    format!(
        "{}.{}.c2ln",
        URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256","kid":"k"}"#),
        URL_SAFE_NO_PAD.encode(claims)
    )
}

fn auth_result(expires_in: u32, iat: i64, exp: i64, refresh: bool) -> String {
    let access = jwt(&format!(
        r#"{{"sub":"s","username":"alice","iat":{iat},"exp":{exp},"token_use":"access"}}"#
    ));
    let refresh = if refresh {
        r#","RefreshToken":"r1""#
    } else {
        ""
    };
    format!(
        r#"{{"AuthenticationResult":{{"AccessToken":"{access}","IdToken":"{}","ExpiresIn":{expires_in},"TokenType":"Bearer"{refresh}}},"ChallengeParameters":{{}}}}"#,
        jwt(r#"{"sub":"s"}"#)
    )
}

const NOW: i64 = 1_763_780_000;

#[test]
fn requests_go_to_the_regional_endpoint_or_a_loopback_one() {
    let req = pool().get_user_request("at");
    assert_eq!(req.url, "https://cognito-idp.us-east-1.amazonaws.com/");
    let (op, body) = sent(&req);
    assert_eq!(op, "GetUser");
    assert_eq!(body, serde_json::json!({"AccessToken": "at"}));
    assert_eq!(
        confidential()
            .request("X", &crate::json::Json::Object(vec![]))
            .url,
        "http://127.0.0.1:9229/"
    );
    let e =
        UserPool::new("us-east-1_P", "c", None, Some("http://cognito.example.com")).unwrap_err();
    assert_eq!(e.code(), "InsecureUrl");
    assert_eq!(
        UserPool::new("nounderscore", "c", None, None).unwrap_err(),
        Error::InvalidUserPoolId
    );
    assert_eq!(
        UserPool::new("us-east-1_P", "", None, None)
            .unwrap_err()
            .code(),
        "EmptyArgument"
    );
    assert_eq!(
        UserPool::new("US EAST_P", "c", None, None).unwrap_err(),
        Error::InvalidUserPoolId
    );
    assert!(!format!("{:?}", confidential()).contains("secret1"));
}

fn service(e: Error) -> (String, String, u16, Option<String>) {
    match e {
        Error::Cognito(CognitoError::Service {
            code,
            message,
            status,
            request_id,
        }) => (code, message, status, request_id),
        other => panic!("not a service error: {other:?}"),
    }
}

#[test]
fn error_names_come_from_header_type_or_code_without_namespace_or_suffix() {
    let h: Headers = &[
        (
            "X-Amzn-ErrorType",
            "NotAuthorizedException:http://internal.amazon.com/coral/com.amazon.coral.service/",
        ),
        ("x-amzn-RequestId", "req-1"),
    ];
    let (code, msg, status, id) = service(
        process_response(
            "InitiateAuth",
            400,
            h,
            br#"{"__type":"Other","message":"Incorrect username or password."}"#,
        )
        .unwrap_err(),
    );
    assert_eq!(
        (code.as_str(), msg.as_str(), status, id.as_deref()),
        (
            "NotAuthorizedException",
            "Incorrect username or password.",
            400,
            Some("req-1")
        )
    );

    let body = br#"{"__type":"com.amazonaws.cognito.identity.idp.model#CodeMismatchException","Message":"bad code"}"#;
    let (code, msg, ..) =
        service(process_response("ConfirmSignUp", 400, JSON_CT, body).unwrap_err());
    assert_eq!(
        (code.as_str(), msg.as_str()),
        ("CodeMismatchException", "bad code")
    );

    let (code, msg, ..) = service(
        process_response("X", 400, NO_HEADERS, br#"{"code":"UserNotFoundException"}"#).unwrap_err(),
    );
    assert_eq!((code.as_str(), msg.as_str()), ("UserNotFoundException", ""));

    // The header names the error even when a proxy replaced the body.
    let h: Headers = &[
        ("x-amzn-errortype", "TooManyRequestsException"),
        ("content-type", "text/html"),
    ];
    let e = process_response("X", 429, h, b"<html>slow down</html>").unwrap_err();
    assert!(e.is_transient());
    assert_eq!(service(e).0, "TooManyRequestsException");
    assert_eq!(error_name("  aws#Foo:bar "), "Foo");
}

fn invalid_reason(e: Error) -> &'static str {
    match e {
        Error::Cognito(CognitoError::InvalidResponse { reason, .. }) => reason,
        other => panic!("not InvalidResponse: {other:?}"),
    }
}

#[test]
fn unreadable_bodies_are_their_own_errors() {
    let html: Headers = &[("content-type", "text/html; charset=utf-8")];
    let e = process_response(
        "GetUser",
        502,
        html,
        b"<html><body>Bad Gateway</body></html>",
    )
    .unwrap_err();
    assert!(invalid_reason(e.clone()).contains("HTML"));
    assert!(e.is_transient(), "a gateway page is worth retrying");
    let e = process_response("GetUser", 200, NO_HEADERS, b"\n <!DOCTYPE html>").unwrap_err();
    assert!(invalid_reason(e.clone()).contains("HTML"));
    assert!(!e.is_transient());
    let e = process_response("GetUser", 200, JSON_CT, br#"{"Username":"al"#).unwrap_err();
    assert!(invalid_reason(e).contains("truncated"));
    let e = process_response("GetUser", 200, JSON_CT, b"[1]").unwrap_err();
    assert!(invalid_reason(e).contains("not an object"));
    let e = process_response("GetUser", 400, JSON_CT, br#"{"message":"no name"}"#).unwrap_err();
    assert!(invalid_reason(e).contains("without an error name"));
    let e = process_response("GetUser", 400, JSON_CT, br#"{"__type":"#).unwrap_err();
    assert!(invalid_reason(e).contains("truncated"));
    // An empty 2xx body is an empty output (GlobalSignOut and friends).
    assert!(process_empty_response("GlobalSignOut", 200, NO_HEADERS, b"").is_ok());
}

#[test]
fn transient_versus_definitive() {
    let svc = |code: &str, status| {
        Error::Cognito(CognitoError::Service {
            code: code.into(),
            message: String::new(),
            status,
            request_id: None,
        })
    };
    for (code, status) in [
        ("TooManyRequestsException", 400),
        ("InternalErrorException", 500),
        ("LimitExceededException", 400),
        ("Whatever", 503),
        ("Whatever", 429),
    ] {
        assert!(svc(code, status).is_transient(), "{code} {status}");
    }
    for (code, status) in [
        ("NotAuthorizedException", 400),
        ("UserNotFoundException", 400),
        ("CodeMismatchException", 400),
        ("ResourceNotFoundException", 400),
    ] {
        assert!(!svc(code, status).is_transient(), "{code}");
    }
    assert!(Error::Cognito(CognitoError::Network {
        reason: "offline".into()
    })
    .is_transient());
    assert!(!Error::Cognito(CognitoError::NoResult {
        operation: "InitiateAuth"
    })
    .is_transient());
    assert!(!Error::InvalidSrpB.is_transient());
}

fn start(
    pool: &UserPool,
    flow: &AuthFlow,
    password: Option<&str>,
    device: Option<&RememberedDevice>,
) -> (SignIn, HttpRequest) {
    SignIn::start(
        pool,
        SignInOptions {
            username: "Alice@Example.com",
            password,
            flow,
            device,
            client_metadata: &[],
        },
    )
    .unwrap()
}

fn next(p: Progress) -> NextStep {
    match p {
        Progress::Next(n) => n,
        other => panic!("not Next: {other:?}"),
    }
}
fn send(p: Progress) -> HttpRequest {
    match p {
        Progress::Send(r) => r,
        other => panic!("not Send: {other:?}"),
    }
}
fn done(p: Progress) -> SignedIn {
    match p {
        Progress::Done(d) => d,
        other => panic!("not Done: {other:?}"),
    }
}

const VERIFIER: &str = r#"{"ChallengeName":"PASSWORD_VERIFIER","ChallengeParameters":{"SALT":"a1b2c3","SRP_B":"abcdef0123456789abcdef0123456789","SECRET_BLOCK":"AAECAwQ=","USERNAME":"alice-canonical","USER_ID_FOR_SRP":"alice-canonical"}}"#;

#[test]
fn user_srp_auth_answers_the_verifier_with_the_canonical_username() {
    let p = confidential();
    let (mut s, req) = start(&p, &AuthFlow::UserSrp, Some("pw"), None);
    let (op, body) = sent(&req);
    assert_eq!(op, "InitiateAuth");
    assert_eq!(body["AuthFlow"], "USER_SRP_AUTH");
    assert_eq!(body["ClientId"], "client1");
    let params = &body["AuthParameters"];
    assert_eq!(params["USERNAME"], "Alice@Example.com");
    assert_eq!(
        params["SECRET_HASH"],
        hmac_b64("secret1", "Alice@Example.comclient1")
    );
    let a = params["SRP_A"].as_str().unwrap();
    assert!(a.len() > 700 && a.bytes().all(|b| b.is_ascii_hexdigit()));
    assert!(body.get("ClientMetadata").is_none());

    let req = send(s.process(200, JSON_CT, VERIFIER.as_bytes(), NOW).unwrap());
    let (op, body) = sent(&req);
    assert_eq!(op, "RespondToAuthChallenge");
    assert_eq!(body["ChallengeName"], "PASSWORD_VERIFIER");
    let r = &body["ChallengeResponses"];
    assert_eq!(r["USERNAME"], "alice-canonical");
    assert_eq!(
        r["SECRET_HASH"],
        hmac_b64("secret1", "alice-canonicalclient1")
    );
    assert_eq!(r["PASSWORD_CLAIM_SECRET_BLOCK"], "AAECAwQ=");
    assert_eq!(r["TIMESTAMP"], crate::srp::cognito_timestamp(NOW));
    assert_eq!(
        STANDARD
            .decode(r["PASSWORD_CLAIM_SIGNATURE"].as_str().unwrap())
            .unwrap()
            .len(),
        32
    );
    assert!(r.get("DEVICE_KEY").is_none());
    assert_eq!(s.username(), "alice-canonical");

    let d = done(
        s.process(
            200,
            JSON_CT,
            auth_result(3600, NOW, NOW + 3600, true).as_bytes(),
            NOW,
        )
        .unwrap(),
    );
    assert_eq!(d.tokens.refresh_token.as_deref(), Some("r1"));
    assert_eq!(d.new_device, None);
    // Finished: nothing more to process or answer.
    assert_eq!(
        s.answer(Answer::Code("1")).unwrap_err().code(),
        "CognitoWrongAnswer"
    );
}

#[test]
fn wrong_password_is_notauthorized_and_not_transient() {
    let (mut s, _) = start(&pool(), &AuthFlow::UserSrp, Some("pw"), None);
    let _ = send(s.process(200, JSON_CT, VERIFIER.as_bytes(), NOW).unwrap());
    let e = s
        .process(
            400,
            &[("x-amzn-ErrorType", "NotAuthorizedException")],
            br#"{"__type":"NotAuthorizedException","message":"Incorrect username or password."}"#,
            NOW,
        )
        .unwrap_err();
    assert!(!e.is_transient());
    assert_eq!(service(e).0, "NotAuthorizedException");
}

#[test]
fn bad_srp_parameters_are_typed_errors() {
    let (mut s, _) = start(&pool(), &AuthFlow::UserSrp, Some("pw"), None);
    let zero_b = VERIFIER.replace("abcdef0123456789abcdef0123456789", "0");
    assert_eq!(
        s.process(200, JSON_CT, zero_b.as_bytes(), NOW).unwrap_err(),
        Error::InvalidSrpB
    );
    let (mut s, _) = start(&pool(), &AuthFlow::UserSrp, Some("pw"), None);
    let no_salt = VERIFIER.replace(r#""SALT":"a1b2c3","#, "");
    assert_eq!(
        s.process(200, JSON_CT, no_salt.as_bytes(), NOW)
            .unwrap_err()
            .code(),
        "EmptyArgument"
    );
}

#[test]
fn user_password_auth_and_the_empty_result() {
    let (mut s, req) = start(&pool(), &AuthFlow::UserPassword, Some("pw"), None);
    let (_, body) = sent(&req);
    assert_eq!(body["AuthFlow"], "USER_PASSWORD_AUTH");
    assert_eq!(body["AuthParameters"]["PASSWORD"], "pw");
    assert!(body["AuthParameters"].get("SECRET_HASH").is_none());
    let e = s
        .process(200, JSON_CT, br#"{"ChallengeParameters":{}}"#, NOW)
        .unwrap_err();
    assert_eq!(
        e,
        Error::Cognito(CognitoError::NoResult {
            operation: "InitiateAuth"
        })
    );
    assert_eq!(
        SignIn::start(
            &pool(),
            SignInOptions {
                username: "u",
                password: None,
                flow: &AuthFlow::UserPassword,
                device: None,
                client_metadata: &[]
            }
        )
        .unwrap_err()
        .code(),
        "EmptyArgument"
    );
}

#[test]
fn unknown_challenge_is_refused() {
    let (mut s, _) = start(&pool(), &AuthFlow::UserPassword, Some("pw"), None);
    let e = s
        .process(
            200,
            JSON_CT,
            br#"{"ChallengeName":"ADMIN_NO_SRP_AUTH","Session":"s"}"#,
            NOW,
        )
        .unwrap_err();
    assert_eq!(
        e,
        Error::Cognito(CognitoError::UnexpectedChallenge {
            name: "ADMIN_NO_SRP_AUTH".into()
        })
    );
}

#[test]
fn new_password_required_lists_required_attributes() {
    let (mut s, _) = start(&confidential(), &AuthFlow::UserPassword, Some("tmp"), None);
    let resp = r#"{"ChallengeName":"NEW_PASSWORD_REQUIRED","Session":"S1","ChallengeParameters":{"USER_ID_FOR_SRP":"alice","requiredAttributes":"[\"userAttributes.name\",\"userAttributes.family_name\"]","userAttributes":"{\"email_verified\":\"true\",\"email\":\"a@example.com\"}","USERNAME":"alice"}}"#;
    let n = next(s.process(200, JSON_CT, resp.as_bytes(), NOW).unwrap());
    assert_eq!(n.challenge, ChallengeName::NewPasswordRequired);
    assert_eq!(n.required_attributes, ["name", "family_name"]);
    assert!(n
        .user_attributes
        .contains(&("email".into(), "a@example.com".into())));
    assert_eq!(
        s.answer(Answer::Code("1")).unwrap_err().code(),
        "CognitoWrongAnswer"
    );
    let req = s
        .answer(Answer::NewPassword {
            password: "New-Passw0rd!",
            attributes: &[("name", "Al"), ("family_name", "Ice")],
        })
        .unwrap();
    let (op, body) = sent(&req);
    assert_eq!(op, "RespondToAuthChallenge");
    assert_eq!(body["Session"], "S1");
    let r = &body["ChallengeResponses"];
    assert_eq!(r["NEW_PASSWORD"], "New-Passw0rd!");
    assert_eq!(r["userAttributes.name"], "Al");
    assert_eq!(r["userAttributes.family_name"], "Ice");
    assert_eq!(r["USERNAME"], "alice");
    assert_eq!(r["SECRET_HASH"], hmac_b64("secret1", "aliceclient1"));
}

#[test]
fn mfa_codes_select_mfa_type_and_code_delivery() {
    let (mut s, _) = start(&pool(), &AuthFlow::UserPassword, Some("pw"), None);
    let resp = r#"{"ChallengeName":"SELECT_MFA_TYPE","Session":"S1","ChallengeParameters":{"MFAS_CAN_CHOOSE":"[\"SMS_MFA\",\"SOFTWARE_TOKEN_MFA\"]","USERNAME":"alice"}}"#;
    let n = next(s.process(200, JSON_CT, resp.as_bytes(), NOW).unwrap());
    assert_eq!(n.mfa_types, ["SMS_MFA", "SOFTWARE_TOKEN_MFA"]);
    let (_, body) = sent(&s.answer(Answer::MfaType("SMS_MFA")).unwrap());
    assert_eq!(body["ChallengeName"], "SELECT_MFA_TYPE");
    assert_eq!(body["ChallengeResponses"]["ANSWER"], "SMS_MFA");

    let resp = r#"{"ChallengeName":"SMS_MFA","Session":"S2","ChallengeParameters":{"CODE_DELIVERY_DELIVERY_MEDIUM":"SMS","CODE_DELIVERY_DESTINATION":"+*******1234","USERNAME":"alice"}}"#;
    let n = next(s.process(200, JSON_CT, resp.as_bytes(), NOW).unwrap());
    let cd = n.code_delivery.unwrap();
    assert_eq!(
        (cd.medium.as_deref(), cd.destination.as_deref()),
        (Some("SMS"), Some("+*******1234"))
    );
    let (_, body) = sent(&s.answer(Answer::Code("123456")).unwrap());
    assert_eq!(body["Session"], "S2");
    assert_eq!(body["ChallengeResponses"]["SMS_MFA_CODE"], "123456");

    // A mistyped code: Cognito's error, and the same step is answered again
    // in the same session.
    let e = s
        .process(
            400,
            NO_HEADERS,
            br#"{"__type":"CodeMismatchException","message":"Invalid code"}"#,
            NOW,
        )
        .unwrap_err();
    assert!(!e.is_transient());
    assert_eq!(service(e).0, "CodeMismatchException");
    let (_, body) = sent(&s.answer(Answer::Code("123457")).unwrap());
    assert_eq!(body["Session"], "S2");
    assert_eq!(body["ChallengeResponses"]["SMS_MFA_CODE"], "123457");
    // Any other refusal ends the flow.
    let e = s
        .process(
            400,
            NO_HEADERS,
            br#"{"__type":"NotAuthorizedException","message":"Invalid session"}"#,
            NOW,
        )
        .unwrap_err();
    assert_eq!(service(e).0, "NotAuthorizedException");
    assert_eq!(
        s.answer(Answer::Code("1")).unwrap_err().code(),
        "CognitoWrongAnswer"
    );

    for (name, key) in [
        ("SOFTWARE_TOKEN_MFA", "SOFTWARE_TOKEN_MFA_CODE"),
        ("EMAIL_OTP", "EMAIL_OTP_CODE"),
        ("SMS_OTP", "SMS_OTP_CODE"),
    ] {
        let (mut s, _) = start(&pool(), &AuthFlow::UserPassword, Some("pw"), None);
        let resp = format!(
            r#"{{"ChallengeName":"{name}","Session":"S","ChallengeParameters":{{"USERNAME":"alice"}}}}"#
        );
        let n = next(s.process(200, JSON_CT, resp.as_bytes(), NOW).unwrap());
        assert_eq!(n.challenge.as_str(), name);
        let (_, body) = sent(&s.answer(Answer::Code("654321")).unwrap());
        assert_eq!(body["ChallengeName"], name);
        assert_eq!(body["ChallengeResponses"][key], "654321");
    }
}

#[test]
fn mfa_setup_associates_verifies_and_continues() {
    let (mut s, _) = start(&pool(), &AuthFlow::UserPassword, Some("pw"), None);
    let resp = r#"{"ChallengeName":"MFA_SETUP","Session":"S1","ChallengeParameters":{"MFAS_CAN_SETUP":"[\"SOFTWARE_TOKEN_MFA\"]","USERNAME":"alice"}}"#;
    let n = next(s.process(200, JSON_CT, resp.as_bytes(), NOW).unwrap());
    assert_eq!(n.mfa_types, ["SOFTWARE_TOKEN_MFA"]);
    let (op, body) = sent(&s.answer(Answer::SetUpTotp).unwrap());
    assert_eq!(op, "AssociateSoftwareToken");
    assert_eq!(body, serde_json::json!({"Session": "S1"}));
    let n = next(
        s.process(
            200,
            JSON_CT,
            br#"{"SecretCode":"JBSWY3DPEHPK3PXP","Session":"S2"}"#,
            NOW,
        )
        .unwrap(),
    );
    assert_eq!(n.totp_secret.as_deref(), Some("JBSWY3DPEHPK3PXP"));
    let (op, body) = sent(&s.answer(Answer::Code("111111")).unwrap());
    assert_eq!(op, "VerifySoftwareToken");
    assert_eq!(
        body,
        serde_json::json!({"Session": "S2", "UserCode": "111111"})
    );
    // A rejected code can be retried.
    assert!(s
        .process(200, JSON_CT, br#"{"Status":"ERROR","Session":"S3"}"#, NOW)
        .is_err());
    let _ = s.answer(Answer::Code("222222")).unwrap();
    let req = send(
        s.process(200, JSON_CT, br#"{"Status":"SUCCESS","Session":"S4"}"#, NOW)
            .unwrap(),
    );
    let (op, body) = sent(&req);
    assert_eq!(op, "RespondToAuthChallenge");
    assert_eq!(body["ChallengeName"], "MFA_SETUP");
    assert_eq!(body["Session"], "S4");
    assert_eq!(body["ChallengeResponses"]["USERNAME"], "alice");
    done(
        s.process(
            200,
            JSON_CT,
            auth_result(3600, NOW, NOW + 3600, true).as_bytes(),
            NOW,
        )
        .unwrap(),
    );
}

#[test]
fn mfa_setup_by_email() {
    let (mut s, _) = start(&pool(), &AuthFlow::UserPassword, Some("pw"), None);
    let resp = r#"{"ChallengeName":"MFA_SETUP","Session":"S1","ChallengeParameters":{"MFAS_CAN_SETUP":"[\"SOFTWARE_TOKEN_MFA\",\"EMAIL_OTP\"]","USERNAME":"alice"}}"#;
    let n = next(s.process(200, JSON_CT, resp.as_bytes(), NOW).unwrap());
    assert_eq!(n.mfa_types, ["SOFTWARE_TOKEN_MFA", "EMAIL_OTP"]);
    let (_, body) = sent(&s.answer(Answer::SetUpEmail("a@example.com")).unwrap());
    assert_eq!(body["ChallengeName"], "MFA_SETUP");
    assert_eq!(body["Session"], "S1");
    assert_eq!(
        body["ChallengeResponses"],
        serde_json::json!({"USERNAME": "alice", "EMAIL": "a@example.com"})
    );
    let resp = r#"{"ChallengeName":"EMAIL_OTP","Session":"S2","ChallengeParameters":{"CODE_DELIVERY_DELIVERY_MEDIUM":"EMAIL","CODE_DELIVERY_DESTINATION":"a***@e***"}}"#;
    let n = next(s.process(200, JSON_CT, resp.as_bytes(), NOW).unwrap());
    assert_eq!(n.challenge, ChallengeName::EmailOtp);
}

#[test]
fn otpauth_uri_is_percent_encoded() {
    assert_eq!(
        otpauth_uri("My App", "a@b.c", "JBSWY3DPEHPK3PXP"),
        "otpauth://totp/My%20App:a%40b.c?secret=JBSWY3DPEHPK3PXP&issuer=My%20App"
    );
}

#[test]
fn custom_auth_with_and_without_srp() {
    let (mut s, req) = start(&pool(), &AuthFlow::Custom, None, None);
    let (_, body) = sent(&req);
    assert_eq!(body["AuthFlow"], "CUSTOM_AUTH");
    assert!(body["AuthParameters"].get("SRP_A").is_none());
    let resp = r#"{"ChallengeName":"CUSTOM_CHALLENGE","Session":"S1","ChallengeParameters":{"question":"2+2?","USERNAME":"alice"}}"#;
    let n = next(s.process(200, JSON_CT, resp.as_bytes(), NOW).unwrap());
    assert!(n.parameters.contains(&("question".into(), "2+2?".into())));
    let (_, body) = sent(&s.answer(Answer::Custom("4")).unwrap());
    assert_eq!(body["ChallengeResponses"]["ANSWER"], "4");

    let (mut s, req) = SignIn::start(
        &pool(),
        SignInOptions {
            username: "alice",
            password: Some("pw"),
            flow: &AuthFlow::CustomWithSrp,
            device: None,
            client_metadata: &[("k", "v")],
        },
    )
    .unwrap();
    let (_, body) = sent(&req);
    assert_eq!(body["AuthParameters"]["CHALLENGE_NAME"], "SRP_A");
    assert!(body["AuthParameters"]["SRP_A"].is_string());
    assert_eq!(body["ClientMetadata"], serde_json::json!({"k": "v"}));
    let req = send(s.process(200, JSON_CT, VERIFIER.as_bytes(), NOW).unwrap());
    assert_eq!(sent(&req).1["ClientMetadata"]["k"], "v");
    let n = next(s.process(200, JSON_CT, resp.as_bytes(), NOW).unwrap());
    assert_eq!(n.challenge, ChallengeName::CustomChallenge);
}

#[test]
fn user_auth_select_challenge_and_preferred() {
    let flow = AuthFlow::UserAuth { preferred: None };
    let (mut s, req) = start(&pool(), &flow, None, None);
    let (_, body) = sent(&req);
    assert_eq!(body["AuthFlow"], "USER_AUTH");
    assert!(body["AuthParameters"].get("PREFERRED_CHALLENGE").is_none());
    let resp = r#"{"ChallengeName":"SELECT_CHALLENGE","Session":"S1","AvailableChallenges":["PASSWORD_SRP","PASSWORD","EMAIL_OTP","WEB_AUTHN"],"ChallengeParameters":{}}"#;
    let n = next(s.process(200, JSON_CT, resp.as_bytes(), NOW).unwrap());
    assert_eq!(
        n.available_challenges,
        ["PASSWORD_SRP", "PASSWORD", "EMAIL_OTP", "WEB_AUTHN"]
    );
    assert_eq!(
        s.answer(Answer::Select {
            challenge: ChallengeName::PasswordSrp,
            password: None
        })
        .unwrap_err()
        .code(),
        "EmptyArgument"
    );
    let (_, body) = sent(
        &s.answer(Answer::Select {
            challenge: ChallengeName::PasswordSrp,
            password: Some("pw"),
        })
        .unwrap(),
    );
    assert_eq!(body["ChallengeName"], "SELECT_CHALLENGE");
    assert_eq!(body["ChallengeResponses"]["ANSWER"], "PASSWORD_SRP");
    assert!(body["ChallengeResponses"]["SRP_A"].is_string());
    let _ = send(s.process(200, JSON_CT, VERIFIER.as_bytes(), NOW).unwrap());

    let (mut s, _) = start(&pool(), &flow, None, None);
    let _ = next(s.process(200, JSON_CT, resp.as_bytes(), NOW).unwrap());
    let (_, body) = sent(
        &s.answer(Answer::Select {
            challenge: ChallengeName::EmailOtp,
            password: None,
        })
        .unwrap(),
    );
    assert_eq!(
        body["ChallengeResponses"],
        serde_json::json!({"USERNAME": "Alice@Example.com", "ANSWER": "EMAIL_OTP"})
    );

    for (preferred, key) in [
        (ChallengeName::Password, "PASSWORD"),
        (ChallengeName::PasswordSrp, "SRP_A"),
    ] {
        let (_, req) = start(
            &pool(),
            &AuthFlow::UserAuth {
                preferred: Some(preferred),
            },
            Some("pw"),
            None,
        );
        let (_, body) = sent(&req);
        assert_eq!(
            body["AuthParameters"]["PREFERRED_CHALLENGE"],
            preferred.as_str()
        );
        assert!(body["AuthParameters"][key].is_string());
    }
    let (mut s, _) = start(
        &pool(),
        &AuthFlow::UserAuth {
            preferred: Some(ChallengeName::WebAuthn),
        },
        None,
        None,
    );
    let resp = r#"{"ChallengeName":"WEB_AUTHN","Session":"S","ChallengeParameters":{"CREDENTIAL_REQUEST_OPTIONS":"{}"}}"#;
    let _ = next(s.process(200, JSON_CT, resp.as_bytes(), NOW).unwrap());
    let (_, body) = sent(&s.answer(Answer::WebAuthn("{\"id\":\"x\"}")).unwrap());
    assert_eq!(body["ChallengeResponses"]["CREDENTIAL"], "{\"id\":\"x\"}");
}

#[test]
fn remembered_device_srp() {
    let device = RememberedDevice {
        key: "us-east-1_dev1".into(),
        group_key: "grp".into(),
        password: Zeroizing::new("devpw".into()),
    };
    let (mut s, req) = start(&pool(), &AuthFlow::UserSrp, Some("pw"), Some(&device));
    assert_eq!(
        sent(&req).1["AuthParameters"]["DEVICE_KEY"],
        "us-east-1_dev1"
    );
    let req = send(s.process(200, JSON_CT, VERIFIER.as_bytes(), NOW).unwrap());
    assert_eq!(
        sent(&req).1["ChallengeResponses"]["DEVICE_KEY"],
        "us-east-1_dev1"
    );
    let req = send(s.process(200, JSON_CT, br#"{"ChallengeName":"DEVICE_SRP_AUTH","Session":"S2","ChallengeParameters":{"USERNAME":"alice"}}"#, NOW).unwrap());
    let (_, body) = sent(&req);
    assert_eq!(body["ChallengeName"], "DEVICE_SRP_AUTH");
    assert!(body["ChallengeResponses"]["SRP_A"].is_string());
    assert_eq!(body["ChallengeResponses"]["DEVICE_KEY"], "us-east-1_dev1");
    let dpv = VERIFIER.replace("PASSWORD_VERIFIER", "DEVICE_PASSWORD_VERIFIER");
    let (_, body) = sent(&send(s.process(200, JSON_CT, dpv.as_bytes(), NOW).unwrap()));
    assert_eq!(body["ChallengeName"], "DEVICE_PASSWORD_VERIFIER");
    assert!(body["ChallengeResponses"]["PASSWORD_CLAIM_SIGNATURE"].is_string());
    let with_device = auth_result(3600, NOW, NOW + 3600, true).replace(
        r#""TokenType""#,
        r#""NewDeviceMetadata":{"DeviceKey":"k2","DeviceGroupKey":"g2"},"TokenType""#,
    );
    let d = done(
        s.process(200, JSON_CT, with_device.as_bytes(), NOW)
            .unwrap(),
    );
    assert_eq!(
        d.new_device,
        Some(NewDevice {
            key: "k2".into(),
            group_key: "g2".into()
        })
    );

    // Without a device, DEVICE_SRP_AUTH cannot be answered; a stale device
    // is dropped and sign-in starts again.
    let (mut s, _) = start(&pool(), &AuthFlow::UserSrp, Some("pw"), Some(&device));
    let stale = s
        .process(
            400,
            NO_HEADERS,
            br#"{"__type":"ResourceNotFoundException","message":"Device does not exist."}"#,
            NOW,
        )
        .unwrap_err();
    assert!(s.is_stale_device(&stale));
    assert!(!s.is_stale_device(&Error::InvalidSrpB));
    let (_, body) = sent(&s.restart_without_device().unwrap());
    assert!(!s.is_stale_device(&stale), "no device any more");
    assert!(body["AuthParameters"].get("DEVICE_KEY").is_none());
    let e = s
        .process(
            200,
            JSON_CT,
            br#"{"ChallengeName":"DEVICE_SRP_AUTH","ChallengeParameters":{}}"#,
            NOW,
        )
        .unwrap_err();
    assert_eq!(e.code(), "CognitoUnexpectedChallenge");
}

#[test]
fn token_expiry_skew_and_storage() {
    // ExpiresIn 3600 but the token itself lives 300 s: the shorter wins.
    let body = auth_result(3600, NOW + 50, NOW + 350, true);
    let (mut s, _) = start(&pool(), &AuthFlow::UserPassword, Some("pw"), None);
    let t = done(s.process(200, JSON_CT, body.as_bytes(), NOW).unwrap()).tokens;
    assert_eq!(t.expires_at, NOW + 300);
    assert_eq!(t.clock_skew, 50, "iat when there is no Date header");
    assert!(!t.needs_refresh(NOW, 60));
    assert!(t.needs_refresh(NOW + 241, 60));

    // The Date header wins over iat: RFC 7231's example date.
    let date: Headers = &[("Date", "Sun, 06 Nov 1994 08:49:37 GMT")];
    let (mut s, _) = start(&pool(), &AuthFlow::UserPassword, Some("pw"), None);
    let t = done(
        s.process(
            200,
            date,
            auth_result(60, NOW, NOW + 3600, false).as_bytes(),
            NOW,
        )
        .unwrap(),
    )
    .tokens;
    assert_eq!(t.clock_skew, 784_111_777 - NOW);
    assert_eq!(t.expires_at, NOW + 60);
    assert_eq!(t.refresh_token, None);

    let stored = t.to_storage_string();
    assert!(serde_json::from_str::<Value>(&stored).is_ok());
    assert_eq!(TokenSet::from_storage_string(&stored), Some(t.clone()));
    assert_eq!(TokenSet::from_storage_string("{\"id\":1}"), None);
    assert_eq!(TokenSet::from_storage_string("garbage"), None);
    assert!(!format!("{t:?}").contains(&t.access_token));
}

#[test]
fn http_dates() {
    // Values from `date -u -d '…' +%s` (GNU coreutils).
    assert_eq!(
        parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
        Some(784_111_777)
    );
    assert_eq!(
        parse_http_date("Sat, 22 Nov 2025 04:50:32 GMT"),
        Some(1_763_787_032)
    );
    assert_eq!(
        parse_http_date("Thu, 29 Feb 2024 23:59:59 GMT"),
        Some(1_709_251_199)
    );
    for bad in [
        "",
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994",
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sun, 6 Nov 1994 08:49:37 GMT",
        "Sun, 06 Foo 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 25:49:37 GMT",
        "Sun, 06 Nov 1994 08:49 GMT",
        "Sun, 06 Nov +994 08:49:37 GMT",
    ] {
        assert_eq!(parse_http_date(bad), None, "{bad}");
    }
}

#[test]
fn refresh_requests_and_responses() {
    let p = confidential();
    let (op, body) = sent(&p.get_tokens_from_refresh_token_request("r1", Some("dk")));
    assert_eq!(op, "GetTokensFromRefreshToken");
    assert_eq!(
        body,
        serde_json::json!({"RefreshToken": "r1", "ClientId": "client1", "ClientSecret": "secret1", "DeviceKey": "dk"})
    );
    let (op, body) = sent(&p.refresh_token_auth_request("r1", "alice", None));
    assert_eq!(op, "InitiateAuth");
    assert_eq!(body["AuthFlow"], "REFRESH_TOKEN_AUTH");
    assert_eq!(
        body["AuthParameters"],
        serde_json::json!({"REFRESH_TOKEN": "r1", "SECRET_HASH": hmac_b64("secret1", "aliceclient1")})
    );

    let (mut s, _) = start(&pool(), &AuthFlow::UserPassword, Some("pw"), None);
    let old = done(
        s.process(
            200,
            JSON_CT,
            auth_result(3600, NOW, NOW + 3600, true).as_bytes(),
            NOW,
        )
        .unwrap(),
    )
    .tokens;
    // Without rotation the old refresh token is kept; with it, replaced.
    let t = process_refresh_response(
        "InitiateAuth",
        200,
        JSON_CT,
        auth_result(3600, NOW + 10, NOW + 3610, false).as_bytes(),
        NOW + 10,
        &old,
    )
    .unwrap();
    assert_eq!(t.refresh_token.as_deref(), Some("r1"));
    let rotated = auth_result(3600, NOW, NOW + 3600, true).replace("\"r1\"", "\"r2\"");
    let t = process_refresh_response(
        "GetTokensFromRefreshToken",
        200,
        JSON_CT,
        rotated.as_bytes(),
        NOW,
        &old,
    )
    .unwrap();
    assert_eq!(t.refresh_token.as_deref(), Some("r2"));
    let e = process_refresh_response("GetTokensFromRefreshToken", 200, JSON_CT, b"{}", NOW, &old)
        .unwrap_err();
    assert_eq!(e.code(), "CognitoNoResult");
    let e = process_refresh_response(
        "InitiateAuth",
        400,
        NO_HEADERS,
        br#"{"__type":"NotAuthorizedException","message":"Refresh Token has expired"}"#,
        NOW,
        &old,
    )
    .unwrap_err();
    assert!(
        !e.is_transient(),
        "an expired refresh token ends the session"
    );
    let e = process_refresh_response("InitiateAuth", 503, NO_HEADERS, b"", NOW, &old).unwrap_err();
    assert!(e.is_transient(), "a 503 keeps the session");
    // A mistyped AuthenticationResult is not tokens.
    let bad = r#"{"AuthenticationResult":{"AccessToken":5,"IdToken":"x"}}"#;
    assert_eq!(
        process_refresh_response("InitiateAuth", 200, JSON_CT, bad.as_bytes(), NOW, &old)
            .unwrap_err()
            .code(),
        "CognitoInvalidResponse"
    );
}

#[test]
fn account_operations() {
    let p = confidential();
    let hash = hmac_b64("secret1", "bobclient1");
    let cases: Vec<(HttpRequest, &str, Value)> = vec![
        (
            p.sign_up_request(
                "bob",
                "pw",
                &[("email", "b@x.io")],
                &[("k", "v")],
                &[("m", "1")],
            ),
            "SignUp",
            serde_json::json!({"Password": "pw", "UserAttributes": [{"Name": "email", "Value": "b@x.io"}],
                "ValidationData": [{"Name": "k", "Value": "v"}], "ClientId": "client1", "Username": "bob",
                "SecretHash": hash, "ClientMetadata": {"m": "1"}}),
        ),
        (
            p.confirm_sign_up_request("bob", "123", &[]),
            "ConfirmSignUp",
            serde_json::json!({"ConfirmationCode": "123", "ClientId": "client1", "Username": "bob", "SecretHash": hash}),
        ),
        (
            p.resend_confirmation_code_request("bob", &[]),
            "ResendConfirmationCode",
            serde_json::json!({"ClientId": "client1", "Username": "bob", "SecretHash": hash}),
        ),
        (
            p.forgot_password_request("bob", &[]),
            "ForgotPassword",
            serde_json::json!({"ClientId": "client1", "Username": "bob", "SecretHash": hash}),
        ),
        (
            p.confirm_forgot_password_request("bob", "123", "np", &[]),
            "ConfirmForgotPassword",
            serde_json::json!({"ConfirmationCode": "123", "Password": "np", "ClientId": "client1", "Username": "bob", "SecretHash": hash}),
        ),
        (
            p.change_password_request("at", "old", "new"),
            "ChangePassword",
            serde_json::json!({"PreviousPassword": "old", "ProposedPassword": "new", "AccessToken": "at"}),
        ),
        (
            p.update_user_attributes_request("at", &[("name", "B")], &[]),
            "UpdateUserAttributes",
            serde_json::json!({"UserAttributes": [{"Name": "name", "Value": "B"}], "AccessToken": "at"}),
        ),
        (
            p.verify_user_attribute_request("at", "email", "1"),
            "VerifyUserAttribute",
            serde_json::json!({"AttributeName": "email", "Code": "1", "AccessToken": "at"}),
        ),
        (
            p.get_user_attribute_verification_code_request("at", "email", &[]),
            "GetUserAttributeVerificationCode",
            serde_json::json!({"AttributeName": "email", "AccessToken": "at"}),
        ),
        (
            p.delete_user_attributes_request("at", &["name", "x"]),
            "DeleteUserAttributes",
            serde_json::json!({"UserAttributeNames": ["name", "x"], "AccessToken": "at"}),
        ),
        (
            p.delete_user_request("at"),
            "DeleteUser",
            serde_json::json!({"AccessToken": "at"}),
        ),
        (
            p.set_user_mfa_preference_request(
                "at",
                None,
                Some(MfaSetting {
                    enabled: true,
                    preferred: true,
                }),
                Some(MfaSetting {
                    enabled: false,
                    preferred: false,
                }),
            ),
            "SetUserMFAPreference",
            serde_json::json!({"SoftwareTokenMfaSettings": {"Enabled": true, "PreferredMfa": true},
                "EmailMfaSettings": {"Enabled": false, "PreferredMfa": false}, "AccessToken": "at"}),
        ),
        (
            p.global_sign_out_request("at"),
            "GlobalSignOut",
            serde_json::json!({"AccessToken": "at"}),
        ),
        (
            p.revoke_token_request("r1"),
            "RevokeToken",
            serde_json::json!({"Token": "r1", "ClientId": "client1", "ClientSecret": "secret1"}),
        ),
        (
            p.list_devices_request("at", 99, Some("pt")),
            "ListDevices",
            serde_json::json!({"Limit": 60, "PaginationToken": "pt", "AccessToken": "at"}),
        ),
        (
            p.forget_device_request("at", "dk"),
            "ForgetDevice",
            serde_json::json!({"DeviceKey": "dk", "AccessToken": "at"}),
        ),
        (
            p.update_device_status_request("at", "dk", false),
            "UpdateDeviceStatus",
            serde_json::json!({"DeviceKey": "dk", "DeviceRememberedStatus": "not_remembered", "AccessToken": "at"}),
        ),
    ];
    for (req, op, expected) in cases {
        let (got_op, body) = sent(&req);
        assert_eq!(got_op, op);
        assert_eq!(body, expected, "{op}");
    }
    let v = crate::srp::device_verifier_with("g", "k", Zeroizing::new("pw".into()), &[1, 2, 3])
        .unwrap();
    let (_, body) = sent(&p.confirm_device_request("at", "k", &v, Some("Chrome")));
    assert_eq!(body["DeviceSecretVerifierConfig"]["Salt"], v.salt_b64);
    assert_eq!(
        body["DeviceSecretVerifierConfig"]["PasswordVerifier"],
        v.verifier_b64
    );
    assert_eq!(body["DeviceName"], "Chrome");
}

#[test]
fn account_responses() {
    let r = process_sign_up_response(200, JSON_CT, br#"{"UserConfirmed":false,"UserSub":"u-1","CodeDeliveryDetails":{"AttributeName":"email","DeliveryMedium":"EMAIL","Destination":"b***@x.io"}}"#).unwrap();
    assert!(!r.user_confirmed);
    assert_eq!(r.user_sub.as_deref(), Some("u-1"));
    assert_eq!(r.code_delivery.unwrap().attribute.as_deref(), Some("email"));
    let e = process_sign_up_response(
        400,
        NO_HEADERS,
        br#"{"__type":"UsernameExistsException","message":"User already exists"}"#,
    )
    .unwrap_err();
    assert_eq!(service(e).0, "UsernameExistsException");
    let cd = process_code_delivery_response(
        "ForgotPassword",
        200,
        JSON_CT,
        br#"{"CodeDeliveryDetails":{"DeliveryMedium":"SMS"}}"#,
    )
    .unwrap();
    assert_eq!(cd.unwrap().medium.as_deref(), Some("SMS"));
    let list = process_update_user_attributes_response(
        200,
        JSON_CT,
        br#"{"CodeDeliveryDetailsList":[{"AttributeName":"email"}]}"#,
    )
    .unwrap();
    assert_eq!(list.len(), 1);
    let u = process_get_user_response(200, JSON_CT, br#"{"Username":"bob","UserAttributes":[{"Name":"sub","Value":"u-1"},{"Name":"email","Value":"b@x.io"}],"PreferredMfaSetting":"SOFTWARE_TOKEN_MFA","UserMFASettingList":["SOFTWARE_TOKEN_MFA"]}"#).unwrap();
    assert_eq!(u.username, "bob");
    assert_eq!(u.attributes[1], ("email".into(), "b@x.io".into()));
    assert_eq!(u.mfa_settings, ["SOFTWARE_TOKEN_MFA"]);
    assert_eq!(
        process_get_user_response(200, JSON_CT, b"{}")
            .unwrap_err()
            .code(),
        "CognitoInvalidResponse"
    );
    assert!(process_confirm_device_response(
        200,
        JSON_CT,
        br#"{"UserConfirmationNecessary":true}"#
    )
    .unwrap());
    let (devices, next) = process_list_devices_response(200, JSON_CT, br#"{"Devices":[{"DeviceKey":"dk","DeviceAttributes":[{"Name":"device_name","Value":"Chrome"}],"DeviceLastAuthenticatedDate":1.7637e9}],"PaginationToken":"p2"}"#).unwrap();
    assert_eq!(devices[0].key, "dk");
    assert_eq!(devices[0].last_authenticated, Some(1.7637e9));
    assert_eq!(next.as_deref(), Some("p2"));
}

#[test]
fn no_panics_on_mutated_responses() {
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut rand = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let samples = [
        VERIFIER.to_owned(),
        auth_result(3600, NOW, NOW + 3600, true),
        r#"{"ChallengeName":"NEW_PASSWORD_REQUIRED","Session":"S","ChallengeParameters":{"requiredAttributes":"[\"userAttributes.name\"]","userAttributes":"{\"a\":\"b\"}"}}"#.to_owned(),
        r#"{"ChallengeName":"SELECT_CHALLENGE","AvailableChallenges":["EMAIL_OTP"],"ChallengeParameters":{"MFAS_CAN_CHOOSE":"[\"SMS_MFA\"]"}}"#.to_owned(),
        r#"{"__type":"a#B:c","message":"m"}"#.to_owned(),
    ];
    for _ in 0..3000 {
        let mut body = samples[(rand() % samples.len() as u64) as usize]
            .clone()
            .into_bytes();
        for _ in 0..(rand() % 4) {
            let i = (rand() % body.len() as u64) as usize;
            match rand() % 3 {
                0 => body[i] = rand() as u8,
                1 => body.truncate(i),
                _ => {
                    body.remove(i);
                }
            }
            if body.is_empty() {
                break;
            }
        }
        let status = [200u16, 400, 500][(rand() % 3) as usize];
        let (mut s, _) = start(&pool(), &AuthFlow::UserPassword, Some("pw"), None);
        let _ = s.process(status, JSON_CT, &body, NOW);
        let _ = process_get_user_response(status, JSON_CT, &body);
        let _ = process_list_devices_response(status, JSON_CT, &body);
        let _ = process_sign_up_response(status, JSON_CT, &body);
        if let Ok(text) = core::str::from_utf8(&body) {
            let _ = TokenSet::from_storage_string(text);
            let _ = parse_http_date(text);
        }
    }
}

#[test]
fn totp_setup_for_a_signed_in_user() {
    // AssociateSoftwareToken / VerifySoftwareToken with an access token
    // (API Reference: AccessToken instead of Session, FriendlyDeviceName).
    let p = confidential();
    let (op, body) = sent(&p.associate_software_token_request("at"));
    assert_eq!(op, "AssociateSoftwareToken");
    assert_eq!(body, serde_json::json!({ "AccessToken": "at" }));
    let (op, body) = sent(&p.verify_software_token_request("at", "123456", Some("phone")));
    assert_eq!(op, "VerifySoftwareToken");
    assert_eq!(
        body,
        serde_json::json!({ "UserCode": "123456", "FriendlyDeviceName": "phone", "AccessToken": "at" })
    );
    let (_, body) = sent(&p.verify_software_token_request("at", "123456", None));
    assert!(body.get("FriendlyDeviceName").is_none());

    let secret = process_associate_software_token_response(
        200,
        JSON_CT,
        br#"{"SecretCode":"JBSWY3DPEHPK3PXP"}"#,
    )
    .unwrap();
    assert_eq!(secret, "JBSWY3DPEHPK3PXP");
    for bad in [&b"{}"[..], br#"{"SecretCode":7}"#] {
        let e = process_associate_software_token_response(200, JSON_CT, bad).unwrap_err();
        assert_eq!(e.code(), "CognitoInvalidResponse");
    }
    let e = process_associate_software_token_response(
        400,
        NO_HEADERS,
        br#"{"__type":"NotAuthorizedException","message":"Access Token has been revoked"}"#,
    )
    .unwrap_err();
    assert_eq!(service(e).0, "NotAuthorizedException");

    process_verify_software_token_response(200, JSON_CT, br#"{"Status":"SUCCESS"}"#).unwrap();
    for refused in [&br#"{"Status":"ERROR"}"#[..], b"{}"] {
        let e = process_verify_software_token_response(200, JSON_CT, refused).unwrap_err();
        assert_eq!(service(e).0, "EnableSoftwareTokenMFAException");
    }
    let e = process_verify_software_token_response(
        400,
        NO_HEADERS,
        br#"{"__type":"CodeMismatchException","message":"Invalid code"}"#,
    )
    .unwrap_err();
    assert_eq!(service(e).0, "CodeMismatchException");
}

/// The first known-answer vector of `tests/vectors/srp.json`
/// (amazon-cognito-identity-js, fixed `a` and clock).
fn srp_vector() -> Value {
    let all: Value = serde_json::from_str(include_str!("../../tests/vectors/srp.json")).unwrap();
    all["srp"][0].clone()
}

fn vector_challenge(v: &Value) -> String {
    serde_json::json!({
        "ChallengeName": "PASSWORD_VERIFIER",
        "Session": "S1",
        "ChallengeParameters": {
            "SALT": v["salt"], "SRP_B": v["srpB"], "SECRET_BLOCK": v["secretBlock"],
            "USERNAME": v["userIdForSrp"], "USER_ID_FOR_SRP": v["userIdForSrp"],
        }
    })
    .to_string()
}

fn start_srp(pool: &UserPool, srp: SrpSetup, password: &str) -> (SignIn, HttpRequest) {
    SignIn::start_with_srp(
        pool,
        SignInOptions {
            username: "alice",
            password: Some(password),
            flow: &AuthFlow::UserSrp,
            device: None,
            client_metadata: &[],
        },
        srp,
    )
    .unwrap()
}

fn vector_key(v: &Value) -> crate::srp::EphemeralKey {
    let a = crate::srp::Num::from_hex(v["a"].as_str().unwrap()).unwrap();
    crate::srp::EphemeralKey::from_secret(&a.to_be_bytes()).unwrap()
}

#[test]
fn prepared_ephemeral_is_sent_and_answers_inline_or_offloaded() {
    let v = srp_vector();
    let pool = UserPool::new(v["userPoolId"].as_str().unwrap(), "client1", None, None).unwrap();
    let password = v["password"].as_str().unwrap();
    let now = v["unixSeconds"].as_i64().unwrap();
    let challenge = vector_challenge(&v);

    // Prepared, inline: the prepared A is SRP_A and the claim is the vector's.
    let setup = SrpSetup {
        prepared: Some(PreparedSrp::Local(Box::new(vector_key(&v)))),
        offload: false,
        remote_only: false,
    };
    let (mut s, req) = start_srp(&pool, setup, password);
    assert_eq!(sent(&req).1["AuthParameters"]["SRP_A"], v["srpA"]);
    let req = send(s.process(200, JSON_CT, challenge.as_bytes(), now).unwrap());
    let r = &sent(&req).1["ChallengeResponses"];
    assert_eq!(r["PASSWORD_CLAIM_SIGNATURE"], v["signature"]);
    assert_eq!(r["TIMESTAMP"], v["timestamp"]);

    // Prepared, offloaded: the job carries the challenge; computing it gives
    // the vector's claim, and answer_srp sends it.
    let setup = SrpSetup {
        prepared: Some(PreparedSrp::Local(Box::new(vector_key(&v)))),
        offload: true,
        remote_only: false,
    };
    let (mut s, _) = start_srp(&pool, setup, password);
    let Progress::Compute(job) = s.process(200, JSON_CT, challenge.as_bytes(), now).unwrap() else {
        panic!("not Compute")
    };
    assert!(s.awaits_srp() && !s.awaits_answer());
    assert_eq!(job.public_a, v["srpA"].as_str().unwrap());
    assert_eq!(job.pool_name, pool.realm());
    assert_eq!(job.salt, v["salt"].as_str().unwrap());
    assert_eq!(job.srp_b, v["srpB"].as_str().unwrap());
    assert_eq!(job.user_id_for_srp, v["userIdForSrp"].as_str().unwrap());
    assert_eq!(job.timestamp, v["timestamp"].as_str().unwrap());
    assert_eq!(&job.password[..], password);
    let debug = format!("{job:?}");
    assert!(!debug.contains(password), "no password in Debug");
    let claim = job.compute().unwrap();
    assert_eq!(claim.signature, v["signature"].as_str().unwrap());
    // A response arriving while the claim is computed is refused.
    assert_eq!(
        s.process(200, JSON_CT, b"{}", now).unwrap_err().code(),
        "CognitoWrongAnswer"
    );
    let req = s.answer_srp(&claim.signature, &claim.timestamp).unwrap();
    let (op, body) = sent(&req);
    assert_eq!(op, "RespondToAuthChallenge");
    assert_eq!(body["ChallengeName"], "PASSWORD_VERIFIER");
    assert_eq!(body["Session"], "S1");
    let r = &body["ChallengeResponses"];
    assert_eq!(r["USERNAME"], v["userIdForSrp"]);
    assert_eq!(r["PASSWORD_CLAIM_SIGNATURE"], v["signature"]);
    assert_eq!(r["PASSWORD_CLAIM_SECRET_BLOCK"], v["secretBlock"]);
    assert_eq!(r["TIMESTAMP"], v["timestamp"]);
    // Once only.
    assert_eq!(
        s.answer_srp(&claim.signature, &claim.timestamp)
            .unwrap_err()
            .code(),
        "CognitoWrongAnswer"
    );
}

#[test]
fn remote_ephemeral_hands_the_claim_to_the_caller() {
    let p = confidential();
    let remote_a = "abcdef".repeat(64);
    let setup = SrpSetup {
        prepared: Some(PreparedSrp::Remote {
            public_a: remote_a.clone(),
        }),
        offload: false, // a remote `a` is always offloaded
        remote_only: false,
    };
    let (mut s, req) = start_srp(&p, setup, "pw");
    assert_eq!(sent(&req).1["AuthParameters"]["SRP_A"], remote_a.as_str());
    // answer_srp before the challenge is refused.
    assert_eq!(
        s.answer_srp("c2ln", "t").unwrap_err().code(),
        "CognitoWrongAnswer"
    );
    let Progress::Compute(job) = s.process(200, JSON_CT, VERIFIER.as_bytes(), NOW).unwrap() else {
        panic!("not Compute")
    };
    assert!(job.ephemeral.is_none());
    assert_eq!(job.public_a, remote_a);
    assert_eq!(job.secret_block, "AAECAwQ=");
    assert_eq!(job.timestamp, crate::srp::cognito_timestamp(NOW));
    assert_eq!(
        job.compute().unwrap_err().code(),
        "CognitoUnexpectedChallenge"
    );
    assert_eq!(
        s.answer_srp("", "t").unwrap_err(),
        Error::EmptyArgument {
            field: "PASSWORD_CLAIM_SIGNATURE"
        }
    );
    let (_, body) = sent(
        &s.answer_srp("c2lnbmF0dXJl", "Mon Jan 1 00:00:00 UTC 2024")
            .unwrap(),
    );
    let r = &body["ChallengeResponses"];
    assert_eq!(r["PASSWORD_CLAIM_SIGNATURE"], "c2lnbmF0dXJl");
    assert_eq!(r["TIMESTAMP"], "Mon Jan 1 00:00:00 UTC 2024");
    assert_eq!(r["PASSWORD_CLAIM_SECRET_BLOCK"], "AAECAwQ=");
    assert_eq!(r["USERNAME"], "alice-canonical");
    assert_eq!(
        r["SECRET_HASH"],
        hmac_b64("secret1", "alice-canonicalclient1")
    );
    let d = done(
        s.process(
            200,
            JSON_CT,
            auth_result(3600, NOW, NOW + 3600, true).as_bytes(),
            NOW,
        )
        .unwrap(),
    );
    assert_eq!(d.tokens.refresh_token.as_deref(), Some("r1"));
}

#[test]
fn prepared_ephemeral_is_single_use_and_device_srp_stays_inline() {
    let device = RememberedDevice {
        key: "us-east-1_dev1".into(),
        group_key: "grp".into(),
        password: Zeroizing::new("devpw".into()),
    };
    let remote_a = "1234".repeat(96);
    let (mut s, req) = SignIn::start_with_srp(
        &pool(),
        SignInOptions {
            username: "alice",
            password: Some("pw"),
            flow: &AuthFlow::UserSrp,
            device: Some(&device),
            client_metadata: &[],
        },
        SrpSetup {
            prepared: Some(PreparedSrp::Remote {
                public_a: remote_a.clone(),
            }),
            offload: true,
            remote_only: false,
        },
    )
    .unwrap();
    assert_eq!(sent(&req).1["AuthParameters"]["SRP_A"], remote_a.as_str());
    // A stale device: the restart draws a fresh (local) ephemeral, whose
    // claim is still handed out (offload) with the key to compute it.
    let (_, body) = sent(&s.restart_without_device().unwrap());
    let fresh = body["AuthParameters"]["SRP_A"].as_str().unwrap().to_owned();
    assert_ne!(fresh, remote_a);
    let Progress::Compute(job) = s.process(200, JSON_CT, VERIFIER.as_bytes(), NOW).unwrap() else {
        panic!("not Compute")
    };
    assert_eq!(job.public_a, fresh);
    let claim = job.compute().unwrap();
    let _ = s.answer_srp(&claim.signature, &claim.timestamp).unwrap();

    // With the device kept: DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER are
    // answered inline even when the user's claim is offloaded.
    let (mut s, _) = SignIn::start_with_srp(
        &pool(),
        SignInOptions {
            username: "alice",
            password: Some("pw"),
            flow: &AuthFlow::UserSrp,
            device: Some(&device),
            client_metadata: &[],
        },
        SrpSetup {
            prepared: None,
            offload: true,
            remote_only: false,
        },
    )
    .unwrap();
    let Progress::Compute(job) = s.process(200, JSON_CT, VERIFIER.as_bytes(), NOW).unwrap() else {
        panic!("not Compute")
    };
    let claim = job.compute().unwrap();
    let req = s.answer_srp(&claim.signature, &claim.timestamp).unwrap();
    assert_eq!(
        sent(&req).1["ChallengeResponses"]["DEVICE_KEY"],
        "us-east-1_dev1"
    );
    let req = send(s.process(200, JSON_CT, br#"{"ChallengeName":"DEVICE_SRP_AUTH","Session":"S2","ChallengeParameters":{"USERNAME":"alice"}}"#, NOW).unwrap());
    assert!(sent(&req).1["ChallengeResponses"]["SRP_A"].is_string());
    let dpv = VERIFIER.replace("PASSWORD_VERIFIER", "DEVICE_PASSWORD_VERIFIER");
    let (_, body) = sent(&send(s.process(200, JSON_CT, dpv.as_bytes(), NOW).unwrap()));
    assert_eq!(body["ChallengeName"], "DEVICE_PASSWORD_VERIFIER");
    assert!(body["ChallengeResponses"]["PASSWORD_CLAIM_SIGNATURE"].is_string());
}

/// Regression (found while writing the `cognito_response` fuzz target's
/// access-token input): `exp` and `iat` beyond i64 overflowed the lifetime
/// `exp − iat` and the skew `iat − now` (a panic where overflow is checked,
/// a wrapped expiry elsewhere). They now saturate, and the lifetime stays
/// within `ExpiresIn`.
#[test]
fn access_token_times_beyond_i64_do_not_overflow() {
    let now = 1_764_547_200;
    for claims in [
        r#"{"exp":1e19,"iat":-1}"#,
        r#"{"exp":1e19,"iat":-1e19}"#,
        r#"{"exp":1,"iat":-1e19}"#,
        r#"{"exp":-1e300,"iat":-1e300}"#,
        r#"{"exp":1e28,"iat":1.9e28}"#,
        r#"{"exp":1e28,"iat":1e28}"#,
    ] {
        let body = format!(
            r#"{{"AuthenticationResult":{{"AccessToken":"{}","IdToken":"i","ExpiresIn":3600}}}}"#,
            jwt(claims)
        );
        let previous = TokenSet {
            id_token: "i".into(),
            access_token: "a".into(),
            refresh_token: Some("r".into()),
            expires_in: 3600,
            token_type: "Bearer".into(),
            expires_at: now,
            clock_skew: 0,
        };
        let no_date: &[(&str, &str)] = &[("content-type", "application/x-amz-json-1.1")];
        let t = process_refresh_response(
            "GetTokensFromRefreshToken",
            200,
            no_date,
            body.as_bytes(),
            now,
            &previous,
        )
        .unwrap();
        assert!(t.expires_at <= now + 3600, "{claims}: {}", t.expires_at);
        // What is stored reads back the same (a skew of ~2^63 did not).
        let back = TokenSet::from_storage_string(&t.to_storage_string());
        assert!(back.as_ref() == Some(&t), "{claims}: {:?}", t.clock_skew);
    }
}
