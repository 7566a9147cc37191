//! The sans-IO user-pool core replayed against moto_server's recorded
//! answers (`tests/cognito/moto-recorded.json`, written by
//! `node tests/cognito/record-moto.mjs` against a real moto_server): each
//! sign-in flow's state machine, token refresh, the account operations'
//! processors, and every error shape moto produces. moto is an independent
//! implementation of the Cognito JSON API, so the requests the core builds
//! are compared with the requests moto accepted, and its answers must read
//! as the API Reference says.
//!
//! The SRP claim is checked against amazon-cognito-identity-js's, computed
//! over a recorded moto challenge with the same fixed secret `a`.

use std::sync::OnceLock;

use cognito_wasm::cognito::{
    error_name, parse_http_date, process_code_delivery_response, process_empty_response,
    process_get_user_response, process_refresh_response, process_response,
    process_sign_up_response, process_update_user_attributes_response, Answer, AuthFlow,
    ChallengeName, CognitoError, HttpRequest, NextStep, Progress, SignIn, SignInOptions, SignedIn,
    TokenSet, UserPool,
};
use cognito_wasm::srp::{
    answer_password_verifier, pool_name, EphemeralKey, PasswordVerifierChallenge,
};
use cognito_wasm::Error;
use serde_json::Value;

const ENDPOINT: &str = "http://127.0.0.1:5000";

fn fixture() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(|| {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/cognito/moto-recorded.json"
        );
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    })
}

/// One recorded request and moto's answer.
struct Exchange {
    name: String,
    operation: String,
    request: Value,
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Exchange {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// When moto answered (its `Date` header), Unix seconds.
    fn now(&self) -> i64 {
        parse_http_date(self.header("date").unwrap()).unwrap()
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap()
    }
}

fn ex(name: &str) -> Exchange {
    let e = &fixture()["exchanges"][name];
    assert!(e.is_object(), "no recorded exchange {name}");
    Exchange {
        name: name.to_owned(),
        operation: e["operation"].as_str().unwrap().to_owned(),
        request: e["request"].clone(),
        status: e["status"].as_u64().unwrap() as u16,
        headers: e["headers"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
            .collect(),
        body: e["body"].as_str().unwrap().to_owned(),
    }
}

fn names() -> Vec<String> {
    fixture()["exchanges"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect()
}

fn pool_field(which: &str, field: &str) -> &'static str {
    fixture()["pools"][which][field].as_str().unwrap()
}

/// The recorded pool's public client, or its confidential one.
fn pool(which: &str, confidential: bool) -> UserPool {
    let id = pool_field(which, "poolId");
    if confidential {
        let client = pool_field(which, "confidentialClientId");
        let secret = pool_field(which, "clientSecret");
        UserPool::new(id, client, Some(secret), Some(ENDPOINT)).unwrap()
    } else {
        UserPool::new(id, pool_field(which, "clientId"), None, Some(ENDPOINT)).unwrap()
    }
}

/// The operation a request targets and its body.
fn sent(req: &HttpRequest) -> (String, Value) {
    assert_eq!(req.url, format!("{ENDPOINT}/"));
    assert_eq!(
        req.header("content-type"),
        Some("application/x-amz-json-1.1")
    );
    let op = req
        .header("x-amz-target")
        .unwrap()
        .strip_prefix("AWSCognitoIdentityProviderService.")
        .unwrap()
        .to_owned();
    (
        op,
        serde_json::from_str(req.body.as_deref().unwrap()).unwrap(),
    )
}

/// Removes the members that are random per run from the parameter maps.
fn without(mut body: Value, random: &[&str]) -> Value {
    for map in ["AuthParameters", "ChallengeResponses"] {
        if let Some(m) = body.get_mut(map).and_then(Value::as_object_mut) {
            for k in random {
                m.remove(*k);
            }
        }
    }
    body
}

/// The request the core built is the one moto accepted (minus the SRP
/// values that are random per run, which must be present).
fn assert_request(req: &HttpRequest, e: &Exchange, random: &[&str]) {
    let (op, body) = sent(req);
    assert_eq!(op, e.operation, "{}", e.name);
    for map in ["AuthParameters", "ChallengeResponses"] {
        if let Some(m) = body.get(map) {
            for k in random {
                assert!(m.get(*k).is_some(), "{}: {k} missing", e.name);
            }
        }
    }
    assert_eq!(
        without(body, random),
        without(e.request.clone(), random),
        "{}",
        e.name
    );
}

fn process(s: &mut SignIn, e: &Exchange) -> Result<Progress, Error> {
    s.process(e.status, &e.headers, e.body.as_bytes(), e.now())
}

fn send(p: Progress) -> HttpRequest {
    match p {
        Progress::Send(r) => r,
        other => panic!("expected a request, got {other:?}"),
    }
}

fn next(p: Progress) -> NextStep {
    match p {
        Progress::Next(n) => n,
        other => panic!("expected a step, got {other:?}"),
    }
}

fn done(p: Progress) -> SignedIn {
    match p {
        Progress::Done(d) => d,
        other => panic!("expected tokens, got {other:?}"),
    }
}

fn start(
    pool: &UserPool,
    username: &str,
    password: Option<&str>,
    flow: AuthFlow,
) -> (SignIn, HttpRequest) {
    SignIn::start(
        pool,
        SignInOptions {
            username,
            password,
            flow: &flow,
            device: None,
            client_metadata: &[],
        },
    )
    .unwrap()
}

/// `(code, message, status, request id)` of a service error.
fn service(e: Error) -> (String, String, u16, Option<String>) {
    match e {
        Error::Cognito(CognitoError::Service {
            code,
            message,
            status,
            request_id,
        }) => (code, message, status, request_id),
        other => panic!("expected a service error, got {other:?}"),
    }
}

/// The tokens match moto's answer and its clock.
fn assert_tokens(t: &TokenSet, e: &Exchange, username: &str) {
    let r = &e.json()["AuthenticationResult"];
    assert_eq!(t.access_token, r["AccessToken"].as_str().unwrap());
    assert_eq!(t.id_token, r["IdToken"].as_str().unwrap());
    assert_eq!(t.refresh_token.as_deref(), r["RefreshToken"].as_str());
    assert_eq!(t.token_type, "Bearer");
    assert_eq!(t.expires_in, r["ExpiresIn"].as_u64().unwrap());
    // Received at moto's Date: no skew, expiry ExpiresIn (= exp − iat) later.
    assert_eq!(t.clock_skew, 0);
    assert_eq!(t.expires_at, e.now() + 3600);
    let claims = jwt_claims(&t.access_token);
    assert_eq!(claims["username"], username);
    // moto's issuer is the AWS URL of the pool, whatever the endpoint.
    let iss = claims["iss"].as_str().unwrap();
    assert!(
        iss.starts_with("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_"),
        "{iss}"
    );
}

fn jwt_claims(jwt: &str) -> Value {
    use base64::Engine;
    let part = jwt.split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

const SRP_RANDOM: &[&str] = &["SRP_A"];
const CLAIM_RANDOM: &[&str] = &["PASSWORD_CLAIM_SIGNATURE", "TIMESTAMP"];

/// Runs USER_SRP_AUTH through InitiateAuth and PASSWORD_VERIFIER with the
/// recorded answers; returns the state and what the verifier answered.
fn srp(
    pool: &UserPool,
    username: &str,
    password: &str,
    initiate: &str,
    verifier: &str,
) -> (SignIn, Result<Progress, Error>) {
    let (mut s, req) = start(pool, username, Some(password), AuthFlow::UserSrp);
    let init = ex(initiate);
    assert_request(&req, &init, SRP_RANDOM);
    let (_, body) = sent(&req);
    let a = body["AuthParameters"]["SRP_A"].as_str().unwrap();
    assert!(a.len() > 500 && a.bytes().all(|b| b.is_ascii_hexdigit()));
    let respond = send(process(&mut s, &init).unwrap());
    let verify = ex(verifier);
    assert_request(&respond, &verify, CLAIM_RANDOM);
    let (_, body) = sent(&respond);
    let r = &body["ChallengeResponses"];
    // moto's SECRET_BLOCK (a UUID, not base64) is echoed verbatim.
    let block = init.json()["ChallengeParameters"]["SECRET_BLOCK"].clone();
    assert_eq!(r["PASSWORD_CLAIM_SECRET_BLOCK"], block);
    assert_eq!(r["PASSWORD_CLAIM_SIGNATURE"].as_str().unwrap().len(), 44);
    let result = process(&mut s, &verify);
    (s, result)
}

#[test]
fn srp_claim_over_a_moto_challenge_matches_amazon_cognito_identity_js() {
    let k = &fixture()["identityJs"];
    let s = |key: &str| k[key].as_str().unwrap();
    let a: Vec<u8> = (0..s("a").len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s("a")[i..i + 2], 16).unwrap())
        .collect();
    let key = EphemeralKey::from_secret(&a).unwrap();
    assert_eq!(key.public_hex(), s("srpA"), "A for the same a");
    let p = &k["challengeParameters"];
    let param = |key: &str| p[key].as_str().unwrap();
    let claim = answer_password_verifier(
        &key,
        pool_name(s("poolId")).unwrap(),
        s("password"),
        &PasswordVerifierChallenge {
            salt: param("SALT"),
            srp_b: param("SRP_B"),
            secret_block: param("SECRET_BLOCK"),
            user_id_for_srp: param("USER_ID_FOR_SRP"),
        },
        k["claim"]["TIMESTAMP"].as_str().unwrap(),
    )
    .unwrap();
    assert!(
        param("SECRET_BLOCK").contains('-'),
        "moto's block is a UUID"
    );
    assert_eq!(
        claim.signature,
        k["claim"]["PASSWORD_CLAIM_SIGNATURE"].as_str().unwrap()
    );
    assert_eq!(
        claim.secret_block,
        k["claim"]["PASSWORD_CLAIM_SECRET_BLOCK"].as_str().unwrap()
    );
}

#[test]
fn user_srp_auth() {
    let (_, result) = srp(
        &pool("main", false),
        "alice",
        pool_field("main", "password"),
        "srp.initiate",
        "srp.respond",
    );
    let signed_in = done(result.unwrap());
    assert_eq!(signed_in.new_device, None, "moto tracks no devices");
    assert_tokens(&signed_in.tokens, &ex("srp.respond"), "alice");
}

#[test]
fn user_srp_auth_confidential_client_sends_the_secret_hash_moto_accepted() {
    let (_, result) = srp(
        &pool("main", true),
        "alice",
        pool_field("main", "password"),
        "srp.confidential.initiate",
        "srp.confidential.respond",
    );
    assert_tokens(
        &done(result.unwrap()).tokens,
        &ex("srp.confidential.respond"),
        "alice",
    );
    // A wrong secret's hash: moto says NotAuthorizedException.
    let e = ex("srp.confidential.bad_secret_hash");
    let (code, _, status, id) = service(
        SignIn::start(
            &pool("main", true),
            SignInOptions {
                username: "alice",
                password: Some("x"),
                flow: &AuthFlow::UserSrp,
                device: None,
                client_metadata: &[],
            },
        )
        .map(|(mut s, _)| process(&mut s, &e).unwrap_err())
        .unwrap(),
    );
    assert_eq!((code.as_str(), status), ("NotAuthorizedException", 400));
    assert_eq!(id.as_deref(), e.header("x-amzn-requestid"));
}

#[test]
fn user_password_auth() {
    let e = ex("password.ok");
    let (mut s, req) = start(
        &pool("main", false),
        "bob",
        Some(pool_field("main", "password")),
        AuthFlow::UserPassword,
    );
    assert_request(&req, &e, &[]);
    assert_tokens(&done(process(&mut s, &e).unwrap()).tokens, &e, "bob");
}

#[test]
fn new_password_required_after_srp_and_a_refused_password_answered_again() {
    let fresh = pool_field("main", "freshUsername");
    let (mut s, result) = srp(
        &pool("main", false),
        fresh,
        pool_field("main", "tempPassword"),
        "new_password.initiate",
        "new_password.verifier",
    );
    let step = next(result.unwrap());
    assert_eq!(step.challenge, ChallengeName::NewPasswordRequired);
    assert!(step.required_attributes.is_empty());
    let answer = |s: &mut SignIn, password| {
        s.answer(Answer::NewPassword {
            password,
            attributes: &[],
        })
        .unwrap()
    };
    let weak = ex("new_password.weak");
    assert_request(&answer(&mut s, "short"), &weak, &[]);
    let (code, message, status, _) = service(process(&mut s, &weak).unwrap_err());
    assert_eq!((code.as_str(), status), ("InvalidPasswordException", 400));
    assert!(message.contains("password policy"));
    assert!(
        s.awaits_answer(),
        "the policy's refusal can be answered again"
    );
    let ok = ex("new_password.respond");
    assert_request(&answer(&mut s, "N3w!password"), &ok, &[]);
    assert_tokens(&done(process(&mut s, &ok).unwrap()).tokens, &ok, fresh);
}

#[test]
fn mfa_setup_with_totp_then_software_token_mfa() {
    let mfa = pool("mfa", false);
    let password = pool_field("mfa", "password");
    let (mut s, result) = srp(
        &mfa,
        "tina",
        password,
        "mfa_setup.initiate",
        "mfa_setup.verifier",
    );
    let step = next(result.unwrap());
    assert_eq!(step.challenge, ChallengeName::MfaSetup);
    // moto sends a Python list repr, not Cognito's JSON text: no factors
    // can be read from it, and the raw value is kept for the app.
    assert!(step.mfa_types.is_empty());
    assert_eq!(
        step.parameters,
        vec![(
            "MFAS_CAN_SETUP".to_owned(),
            "['SOFTWARE_TOKEN_MFA']".to_owned()
        )]
    );
    let assoc = ex("mfa_setup.associate");
    assert_request(&s.answer(Answer::SetUpTotp).unwrap(), &assoc, &[]);
    let step = next(process(&mut s, &assoc).unwrap());
    assert_eq!(step.totp_secret.as_deref(), Some("asdfasdfasdf"));
    // A wrong first code: CodeMismatchException, and the code may be typed again.
    let wrong = ex("mfa_setup.verify_wrong");
    let code = |e: &Exchange| e.request["UserCode"].as_str().unwrap().to_owned();
    assert_request(&s.answer(Answer::Code(&code(&wrong))).unwrap(), &wrong, &[]);
    let (name, ..) = service(process(&mut s, &wrong).unwrap_err());
    assert_eq!(name, "CodeMismatchException");
    assert!(s.awaits_answer());
    let verify = ex("mfa_setup.verify");
    assert_request(
        &s.answer(Answer::Code(&code(&verify))).unwrap(),
        &verify,
        &[],
    );
    let respond = ex("mfa_setup.respond");
    assert_request(&send(process(&mut s, &verify).unwrap()), &respond, &[]);
    assert_tokens(
        &done(process(&mut s, &respond).unwrap()).tokens,
        &respond,
        "tina",
    );

    // The next sign-in: SOFTWARE_TOKEN_MFA, a wrong code, then the right one.
    let (mut s, result) = srp(&mfa, "tina", password, "totp.initiate", "totp.verifier");
    let step = next(result.unwrap());
    assert_eq!(step.challenge, ChallengeName::SoftwareTokenMfa);
    let mfa_code = |e: &Exchange| {
        e.request["ChallengeResponses"]["SOFTWARE_TOKEN_MFA_CODE"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let wrong = ex("totp.wrong");
    assert_request(
        &s.answer(Answer::Code(&mfa_code(&wrong))).unwrap(),
        &wrong,
        &[],
    );
    let (name, message, ..) = service(process(&mut s, &wrong).unwrap_err());
    assert_eq!(
        (name.as_str(), message.as_str()),
        ("CodeMismatchException", "MFA Code Mismatch")
    );
    assert!(s.awaits_answer());
    let ok = ex("totp.respond");
    assert_request(&s.answer(Answer::Code(&mfa_code(&ok))).unwrap(), &ok, &[]);
    assert_tokens(&done(process(&mut s, &ok).unwrap()).tokens, &ok, "tina");
}

#[test]
fn sms_mfa() {
    let init = ex("sms.initiate");
    let (mut s, req) = start(
        &pool("main", false),
        "carl",
        Some(pool_field("main", "password")),
        AuthFlow::UserPassword,
    );
    assert_request(&req, &init, &[]);
    let step = next(process(&mut s, &init).unwrap());
    assert_eq!(step.challenge, ChallengeName::SmsMfa);
    assert_eq!(step.code_delivery, None, "moto names no destination");
    let ok = ex("sms.respond");
    assert_request(&s.answer(Answer::Code("123456")).unwrap(), &ok, &[]);
    assert_tokens(&done(process(&mut s, &ok).unwrap()).tokens, &ok, "carl");
}

#[test]
fn custom_auth_answered_with_nothing_is_no_result() {
    let e = ex("custom.initiate");
    let (mut s, req) = start(&pool("main", false), "alice", None, AuthFlow::Custom);
    assert_request(&req, &e, &[]);
    assert_eq!(
        process(&mut s, &e).unwrap_err(),
        Error::Cognito(CognitoError::NoResult {
            operation: "InitiateAuth"
        })
    );
}

#[test]
fn user_auth_is_refused_by_moto_with_its_validation_error() {
    let e = ex("user_auth.initiate");
    let (mut s, req) = start(
        &pool("main", false),
        "alice",
        None,
        AuthFlow::UserAuth { preferred: None },
    );
    assert_request(&req, &e, &[]);
    let (code, message, status, _) = service(process(&mut s, &e).unwrap_err());
    assert_eq!((code.as_str(), status), ("InvalidParameterException", 400));
    assert!(message.contains("USER_AUTH"));
}

#[test]
fn refresh_falls_back_from_moto_s_crash_page_to_refresh_token_auth() {
    let public = pool("main", false);
    let signed_in = ex("password.ok");
    let previous = {
        let (mut s, _) = start(&public, "bob", Some("x"), AuthFlow::UserPassword);
        done(process(&mut s, &signed_in).unwrap()).tokens
    };
    let refresh = previous.refresh_token.clone().unwrap();
    // GetTokensFromRefreshToken: moto lacks it and answers an HTML 500.
    let e = ex("refresh.get_tokens");
    assert_request(
        &public.get_tokens_from_refresh_token_request(&refresh, None),
        &e,
        &[],
    );
    let err = process_refresh_response(
        "GetTokensFromRefreshToken",
        e.status,
        &e.headers,
        e.body.as_bytes(),
        e.now(),
        &previous,
    )
    .unwrap_err();
    let Error::Cognito(c) = &err else {
        panic!("{err:?}")
    };
    assert!(
        matches!(c, CognitoError::InvalidResponse { status: 500, .. }),
        "{c:?}"
    );
    assert!(c.is_unreadable_server_error() && c.is_transient());
    assert!(!c.is_unknown_operation());
    // REFRESH_TOKEN_AUTH works; moto does not rotate, the old refresh token is kept.
    let e = ex("refresh.refresh_token_auth");
    assert_request(
        &public.refresh_token_auth_request(&refresh, "bob", None),
        &e,
        &[],
    );
    let t = process_refresh_response(
        "InitiateAuth",
        e.status,
        &e.headers,
        e.body.as_bytes(),
        e.now(),
        &previous,
    )
    .unwrap();
    assert_eq!(t.refresh_token.as_deref(), Some(refresh.as_str()));
    assert_ne!(t.access_token, previous.access_token);
    assert_eq!(t.expires_at, e.now() + 3600);
    // A confidential client's REFRESH_TOKEN_AUTH carries the SECRET_HASH moto checked.
    let conf = pool("main", true);
    let signed = ex("password.confidential");
    let prev = {
        let (mut s, req) = start(
            &conf,
            "dora",
            Some(pool_field("main", "password")),
            AuthFlow::UserPassword,
        );
        assert_request(&req, &signed, &[]);
        done(process(&mut s, &signed).unwrap()).tokens
    };
    let e = ex("refresh.confidential");
    let token = prev.refresh_token.clone().unwrap();
    assert_request(
        &conf.refresh_token_auth_request(&token, "dora", None),
        &e,
        &[],
    );
    assert!(process_refresh_response(
        "InitiateAuth",
        e.status,
        &e.headers,
        e.body.as_bytes(),
        e.now(),
        &prev
    )
    .is_ok());
    // After GlobalSignOut the refresh token is revoked: definitive.
    let e = ex("refresh.revoked");
    let (code, message, ..) = service(
        process_refresh_response(
            "InitiateAuth",
            e.status,
            &e.headers,
            e.body.as_bytes(),
            e.now(),
            &previous,
        )
        .unwrap_err(),
    );
    assert_eq!(
        (code.as_str(), message.as_str()),
        ("NotAuthorizedException", "Refresh Token has been revoked")
    );
}

#[test]
fn unknown_operation_errors_are_told_apart_from_crash_pages() {
    let recorded = ex("password.wrong");
    for code in [
        "UnknownOperationException",
        "InvalidAction",
        "NotImplemented",
    ] {
        let body = format!(r#"{{"__type":"{code}","message":""}}"#);
        let Err(Error::Cognito(c)) = process_response(
            "GetTokensFromRefreshToken",
            400,
            NO_HEADERS,
            body.as_bytes(),
        ) else {
            panic!()
        };
        assert!(
            c.is_unknown_operation() && !c.is_unreadable_server_error(),
            "{code}"
        );
    }
    let Err(Error::Cognito(c)) = process_response(
        "InitiateAuth",
        recorded.status,
        &recorded.headers,
        recorded.body.as_bytes(),
    ) else {
        panic!()
    };
    assert!(!c.is_unknown_operation() && !c.is_unreadable_server_error());
}

const NO_HEADERS: &[(&str, &str)] = &[];

#[test]
fn account_requests_are_what_moto_accepted_and_its_answers_read() {
    let public = pool("main", false);
    let password = pool_field("main", "password");
    let access = ex("password.ok").json()["AuthenticationResult"]["AccessToken"]
        .as_str()
        .unwrap()
        .to_owned();

    let e = ex("sign_up");
    assert_request(
        &public.sign_up_request(
            "newuser",
            password,
            &[("email", "newuser@example.com")],
            &[],
            &[],
        ),
        &e,
        &[],
    );
    let r = process_sign_up_response(e.status, &e.headers, e.body.as_bytes()).unwrap();
    let json = e.json();
    assert!(!r.user_confirmed);
    assert_eq!(r.user_sub.as_deref(), json["UserSub"].as_str());
    let d = r.code_delivery.unwrap();
    assert_eq!(
        d.medium.as_deref(),
        json["CodeDeliveryDetails"]["DeliveryMedium"].as_str()
    );
    assert_eq!(
        d.destination.as_deref(),
        json["CodeDeliveryDetails"]["Destination"].as_str()
    );
    assert_eq!(
        d.attribute.as_deref(),
        json["CodeDeliveryDetails"]["AttributeName"].as_str()
    );

    let e = ex("confirm_sign_up");
    assert_request(
        &public.confirm_sign_up_request("newuser", "123456", &[]),
        &e,
        &[],
    );
    process_empty_response("ConfirmSignUp", e.status, &e.headers, e.body.as_bytes()).unwrap();

    let e = ex("resend_confirmation_code");
    assert_request(
        &public.resend_confirmation_code_request("newuser", &[]),
        &e,
        &[],
    );

    let e = ex("forgot_password");
    assert_request(&public.forgot_password_request("newuser", &[]), &e, &[]);
    let d =
        process_code_delivery_response("ForgotPassword", e.status, &e.headers, e.body.as_bytes())
            .unwrap()
            .unwrap();
    assert_eq!(d.medium.as_deref(), Some("SMS"));

    let e = ex("confirm_forgot_password");
    assert_request(
        &public.confirm_forgot_password_request("newuser", "123456", "Rec0vered!pw", &[]),
        &e,
        &[],
    );
    process_empty_response(
        "ConfirmForgotPassword",
        e.status,
        &e.headers,
        e.body.as_bytes(),
    )
    .unwrap();

    let e = ex("get_user");
    assert_request(&public.get_user_request(&access), &e, &[]);
    let u = process_get_user_response(e.status, &e.headers, e.body.as_bytes()).unwrap();
    assert_eq!(u.username, "bob");
    let attrs: Vec<(&str, &str)> = u
        .attributes
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert!(attrs.contains(&("email", "bob@example.com")), "{attrs:?}");
    assert!(attrs.iter().any(|(k, v)| *k == "sub" && v.len() == 36));
    assert!(u.mfa_settings.is_empty());

    let e = ex("update_user_attributes");
    assert_request(
        &public.update_user_attributes_request(&access, &[("name", "Bob")], &[]),
        &e,
        &[],
    );
    assert!(
        process_update_user_attributes_response(e.status, &e.headers, e.body.as_bytes())
            .unwrap()
            .is_empty()
    );

    let e = ex("change_password");
    assert_request(
        &public.change_password_request(&access, password, "Chang3d!pw"),
        &e,
        &[],
    );
    process_empty_response("ChangePassword", e.status, &e.headers, e.body.as_bytes()).unwrap();

    let e = ex("global_sign_out");
    assert_request(&public.global_sign_out_request(&access), &e, &[]);
    process_empty_response("GlobalSignOut", e.status, &e.headers, e.body.as_bytes()).unwrap();

    let e = ex("revoke_token");
    let refresh = ex("password.ok").json()["AuthenticationResult"]["RefreshToken"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_request(&public.revoke_token_request(&refresh), &e, &[]);

    for (name, op) in [
        ("verify_user_attribute", "VerifyUserAttribute"),
        ("delete_user", "DeleteUser"),
        ("revoke_token", "RevokeToken"),
        ("resend_confirmation_code", "ResendConfirmationCode"),
    ] {
        // What moto lacks: an HTML 500, a typed, transient error.
        let e = ex(name);
        let err = process_empty_response(op, e.status, &e.headers, e.body.as_bytes()).unwrap_err();
        assert_eq!(
            err,
            Error::Cognito(CognitoError::InvalidResponse {
                operation: op,
                status: 500,
                reason: "it is an HTML page, not JSON"
            }),
            "{name}"
        );
        let Error::Cognito(c) = err else {
            unreachable!()
        };
        assert!(c.is_transient(), "{name}");
    }
    let e = ex("verify_user_attribute");
    assert_request(
        &public.verify_user_attribute_request(&access, "email", "123456"),
        &e,
        &[],
    );
    let e = ex("delete_user");
    assert_request(&public.delete_user_request(&access), &e, &[]);
}

#[test]
fn every_recorded_error_reads_as_moto_named_it() {
    let mut seen = 0;
    for name in names() {
        let e = ex(&name);
        if e.status < 400
            || e.header("content-type")
                .is_some_and(|t| t.starts_with("text/html"))
        {
            continue;
        }
        seen += 1;
        let json = e.json();
        let type_name = json["__type"].as_str().unwrap();
        // moto sends the name twice: header and body.
        assert_eq!(e.header("x-amzn-errortype"), Some(type_name), "{name}");
        let op: &'static str = Box::leak(e.operation.clone().into_boxed_str());
        let read = |headers: &[(String, String)], body: &str| {
            service(process_response(op, e.status, headers, body.as_bytes()).unwrap_err())
        };
        let (code, message, status, id) = read(&e.headers, &e.body);
        assert_eq!(code, type_name, "{name}");
        assert_eq!(message, json["message"].as_str().unwrap(), "{name}");
        assert_eq!(status, e.status, "{name}");
        assert_eq!(id.as_deref(), e.header("x-amzn-requestid"), "{name}");
        assert!(!error_is_transient(&e), "{name}");

        // The same error in the other shapes AWS front ends use.
        let no_header: Vec<(String, String)> = e
            .headers
            .iter()
            .filter(|(k, _)| k != "x-amzn-errortype")
            .cloned()
            .collect();
        let prefixed = format!("com.amazonaws.cognito.identity.idp.model#{type_name}");
        let body_prefixed = e.body.replace(
            &format!("\"__type\": \"{type_name}\""),
            &format!("\"__type\": \"{prefixed}\""),
        );
        assert_ne!(body_prefixed, e.body, "{name}");
        let header_suffixed: Vec<(String, String)> = e
            .headers
            .iter()
            .map(|(k, v)| {
                if k == "x-amzn-errortype" {
                    (
                        k.clone(),
                        format!("{v}:http://internal.amazon.com/coral/com.amazon.coral.validate/"),
                    )
                } else {
                    (k.clone(), v.clone())
                }
            })
            .collect();
        let body_code = format!(r#"{{"code": "{type_name}", "message": "m"}}"#);
        for (shape, headers, body) in [
            ("body only", &no_header, e.body.as_str()),
            ("namespaced __type", &no_header, body_prefixed.as_str()),
            ("header with suffix", &header_suffixed, e.body.as_str()),
            (
                "header, namespaced body",
                &e.headers,
                body_prefixed.as_str(),
            ),
            ("code member", &no_header, body_code.as_str()),
        ] {
            assert_eq!(read(headers, body).0, type_name, "{name}: {shape}");
        }
        assert_eq!(error_name(&prefixed), type_name);
    }
    assert!(seen >= 15, "only {seen} error exchanges recorded");
}

fn error_is_transient(e: &Exchange) -> bool {
    match process_response("X", e.status, &e.headers, e.body.as_bytes()) {
        Err(Error::Cognito(c)) => c.is_transient(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn every_recorded_answer_is_processed_without_panic_when_cut_short() {
    // Truncated at every length: a typed result, never a panic.
    let public = pool("main", false);
    for name in names() {
        let e = ex(&name);
        for cut in 0..e.body.len().min(400) {
            let body = &e.body.as_bytes()[..cut];
            let _ = process_response("InitiateAuth", e.status, &e.headers, body);
            let mut s = start(&public, "alice", Some("pw"), AuthFlow::UserPassword).0;
            let _ = s.process(e.status, &e.headers, body, e.now());
        }
    }
}
