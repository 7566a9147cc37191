//! The sans-IO user-pool core (`cognito_wasm::cognito`) driven against this
//! project's Cognito emulator over real HTTP: USER_SRP_AUTH with real SRP
//! verification, a wrong password, refresh both ways, a confidential
//! client with SECRET_HASH (signing in by e-mail alias, so the hash must
//! use the canonical username), CUSTOM_AUTH, and the sign-up and account
//! operations.
//!
//! Needs the release emulator binary, so it is ignored by default. Run:
//! `cargo build --release -p cognito-emulator && cargo test --test
//! cognito_emulator -- --ignored` (or set COGNITO_EMULATOR_BIN).

#[allow(dead_code)]
#[path = "oauth/support.rs"]
mod support;

use cognito_wasm::cognito::{
    process_code_delivery_response, process_confirm_device_response, process_empty_response,
    process_get_user_response, process_list_devices_response, process_refresh_response,
    process_sign_up_response, Answer, AuthFlow, ChallengeName, CognitoError, HttpRequest, NextStep,
    Progress, RememberedDevice, SignIn, SignInOptions, SignedIn, UserPool,
};
use cognito_wasm::json::Json;
use cognito_wasm::jwt::decode_jwt;
use cognito_wasm::srp::generate_device_verifier;
use cognito_wasm::Error;
use hmac::{Hmac, Mac};
use support::{Browser, Response};

// From emulator/seed/default.json.
const POOL: &str = "us-east-1_LocalDemo";
const SPA: &str = "demo-spa-client";
const USER: &str = "demo";
const EMAIL: &str = "demo@example.com";
const PASSWORD: &str = "Demo-Passw0rd!";
const CONFIDENTIAL: &str = "demo-confidential-client";
const SECRET: &str = "demo-client-secret-0123456789abcdefghijklmnopqrstuv";

fn start_emulator(seed: Option<&str>) -> support::Server {
    support::start_emulator(seed.unwrap_or("emulator/seed/default.json"))
}

struct Emu {
    _server: support::Server,
    http: Browser,
}

impl Emu {
    fn new() -> Emu {
        Emu::seeded(None)
    }

    fn seeded(seed: Option<&str>) -> Emu {
        let server = start_emulator(seed);
        let http = Browser {
            port: server.port,
            cookies: Vec::new(),
        };
        Emu {
            _server: server,
            http,
        }
    }

    fn pool(&self, client: &str, secret: Option<&str>) -> UserPool {
        self.pool_of(POOL, client, secret)
    }

    fn pool_of(&self, pool: &str, client: &str, secret: Option<&str>) -> UserPool {
        let endpoint = format!("http://127.0.0.1:{}", self.http.port);
        UserPool::new(pool, client, secret, Some(&endpoint)).unwrap()
    }

    fn run(&mut self, req: &HttpRequest) -> Response {
        self.http.run(req)
    }

    /// Runs a sign-in until it needs the user or is done.
    fn drive(&mut self, s: &mut SignIn, mut req: HttpRequest) -> Result<Progress, Error> {
        loop {
            let res = self.run(&req);
            match s.process(res.status, &res.headers, &res.body, now())? {
                Progress::Send(next) => req = next,
                other => return Ok(other),
            }
        }
    }

    fn sign_in(
        &mut self,
        pool: &UserPool,
        username: &str,
        password: Option<&str>,
        flow: &AuthFlow,
    ) -> (SignIn, Result<Progress, Error>) {
        self.sign_in_device(pool, username, password, flow, None)
    }

    fn sign_in_device(
        &mut self,
        pool: &UserPool,
        username: &str,
        password: Option<&str>,
        flow: &AuthFlow,
        device: Option<&RememberedDevice>,
    ) -> (SignIn, Result<Progress, Error>) {
        let options = SignInOptions {
            username,
            password,
            flow,
            device,
            client_metadata: &[],
        };
        let (mut s, req) = SignIn::start(pool, options).unwrap();
        let r = self.drive(&mut s, req);
        (s, r)
    }

    /// The newest code the emulator "sent" to `username` for `purpose`.
    fn outbox_code(&mut self, username: &str, purpose: &str) -> String {
        let res = self.http.send(
            "GET",
            &format!("/_emulator/outbox?username={username}&purpose={purpose}"),
            &[],
            None,
        );
        let list = Json::parse(&res.body).unwrap();
        let last = list.as_array().unwrap().last().expect("a code was sent");
        last.get("code").unwrap().as_str().unwrap().to_owned()
    }
}

fn now() -> i64 {
    support::now() as i64
}

fn next(p: Result<Progress, Error>) -> NextStep {
    match p {
        Ok(Progress::Next(n)) => n,
        other => panic!("expected a challenge: {other:?}"),
    }
}

fn done(p: Result<Progress, Error>) -> SignedIn {
    match p {
        Ok(Progress::Done(d)) => d,
        other => panic!("not signed in: {other:?}"),
    }
}

fn service_code(e: &Error) -> &str {
    match e {
        Error::Cognito(CognitoError::Service { code, .. }) => code,
        other => panic!("not a Cognito service error: {other:?}"),
    }
}

fn claim(token: &str, name: &str) -> String {
    let claims = decode_jwt(token).unwrap().claims;
    claims.get(name).and_then(Json::as_str).unwrap().to_owned()
}

#[test]
#[ignore = "needs the release emulator binary (see the module docs)"]
fn user_srp_auth_refresh_and_global_sign_out() {
    let mut emu = Emu::new();
    let pool = emu.pool(SPA, None);
    let (_, r) = emu.sign_in(&pool, USER, Some(PASSWORD), &AuthFlow::UserSrp);
    let signed_in = done(r);
    let tokens = signed_in.tokens;
    assert_eq!(claim(&tokens.access_token, "username"), USER);
    assert_eq!(claim(&tokens.access_token, "token_use"), "access");
    assert_eq!(claim(&tokens.id_token, "email"), EMAIL);
    assert!(!tokens.needs_refresh(now(), 60));
    assert!(tokens.needs_refresh(now(), tokens.expires_in as i64 + 5));
    assert!(
        tokens.clock_skew.abs() <= 5,
        "same machine: {}",
        tokens.clock_skew
    );
    assert!(tokens.refresh_token.is_some());

    let res = emu.run(&pool.get_user_request(&tokens.access_token));
    let user = process_get_user_response(res.status, &res.headers, &res.body).unwrap();
    assert_eq!(user.username, USER);
    assert!(user.attributes.contains(&("email".into(), EMAIL.into())));

    // Refresh both ways; the old refresh token is kept (no rotation).
    let refresh = tokens.refresh_token.clone().unwrap();
    let res = emu.run(&pool.refresh_token_auth_request(&refresh, USER, None));
    let t1 = process_refresh_response(
        "InitiateAuth",
        res.status,
        &res.headers,
        &res.body,
        now(),
        &tokens,
    )
    .unwrap();
    assert_eq!(t1.refresh_token.as_deref(), Some(refresh.as_str()));
    assert_eq!(claim(&t1.access_token, "username"), USER);
    let res = emu.run(&pool.get_tokens_from_refresh_token_request(&refresh, None));
    let t2 = process_refresh_response(
        "GetTokensFromRefreshToken",
        res.status,
        &res.headers,
        &res.body,
        now(),
        &t1,
    )
    .unwrap();
    assert_eq!(claim(&t2.access_token, "username"), USER);

    // GlobalSignOut: refresh becomes a definitive NotAuthorizedException.
    let res = emu.run(&pool.global_sign_out_request(&t2.access_token));
    process_empty_response("GlobalSignOut", res.status, &res.headers, &res.body).unwrap();
    let res = emu.run(&pool.refresh_token_auth_request(&refresh, USER, None));
    let e = process_refresh_response(
        "InitiateAuth",
        res.status,
        &res.headers,
        &res.body,
        now(),
        &t2,
    )
    .unwrap_err();
    assert_eq!(service_code(&e), "NotAuthorizedException");
    assert!(!e.is_transient());
}

#[test]
#[ignore = "needs the release emulator binary (see the module docs)"]
fn wrong_password_is_not_authorized() {
    let mut emu = Emu::new();
    let pool = emu.pool(SPA, None);
    for flow in [AuthFlow::UserSrp, AuthFlow::UserPassword] {
        let (_, r) = emu.sign_in(&pool, USER, Some("Wrong-Passw0rd!"), &flow);
        let e = r.unwrap_err();
        assert_eq!(service_code(&e), "NotAuthorizedException", "{flow:?}");
        assert!(!e.is_transient());
    }
}

#[test]
#[ignore = "needs the release emulator binary (see the module docs)"]
fn confidential_client_secret_hash_with_canonical_username() {
    let mut emu = Emu::new();
    let pool = emu.pool(CONFIDENTIAL, Some(SECRET));
    // By e-mail alias: the challenge names the user "demo", and the SRP
    // response's SECRET_HASH must be computed with that.
    let (s, r) = emu.sign_in(&pool, EMAIL, Some(PASSWORD), &AuthFlow::UserSrp);
    let d = done(r);
    assert_eq!(s.username(), USER);
    assert_eq!(claim(&d.tokens.access_token, "client_id"), CONFIDENTIAL);
    let refresh = d.tokens.refresh_token.clone().unwrap();
    let username = claim(&d.tokens.access_token, "username");
    let res = emu.run(&pool.refresh_token_auth_request(&refresh, &username, None));
    process_refresh_response(
        "InitiateAuth",
        res.status,
        &res.headers,
        &res.body,
        now(),
        &d.tokens,
    )
    .unwrap();
    let res = emu.run(&pool.get_tokens_from_refresh_token_request(&refresh, None));
    process_refresh_response(
        "GetTokensFromRefreshToken",
        res.status,
        &res.headers,
        &res.body,
        now(),
        &d.tokens,
    )
    .unwrap();

    // The wrong secret is refused.
    let wrong = emu.pool(CONFIDENTIAL, Some("not-the-secret"));
    let (_, r) = emu.sign_in(&wrong, USER, Some(PASSWORD), &AuthFlow::UserPassword);
    assert_eq!(service_code(&r.unwrap_err()), "NotAuthorizedException");
}

#[test]
#[ignore = "needs the release emulator binary (see the module docs)"]
fn custom_auth_with_srp_first() {
    let mut emu = Emu::new();
    let pool = emu.pool(SPA, None);
    let (mut s, r) = emu.sign_in(&pool, USER, Some(PASSWORD), &AuthFlow::CustomWithSrp);
    let step = match r.unwrap() {
        Progress::Next(n) => n,
        other => panic!("expected CUSTOM_CHALLENGE: {other:?}"),
    };
    assert_eq!(step.challenge, ChallengeName::CustomChallenge);
    let wrong = s.answer(Answer::Custom("000000")).unwrap();
    let e = emu.drive(&mut s, wrong);
    // A wrong answer: Cognito's error or the challenge again.
    assert!(e.is_err() || matches!(e, Ok(Progress::Next(_))), "{e:?}");
    if e.is_err() {
        let (s2, r) = emu.sign_in(&pool, USER, Some(PASSWORD), &AuthFlow::CustomWithSrp);
        assert!(matches!(r, Ok(Progress::Next(_))));
        s = s2;
    }
    let code = emu.outbox_code(USER, "CUSTOM_CHALLENGE");
    let req = s.answer(Answer::Custom(&code)).unwrap();
    done(emu.drive(&mut s, req));
}

#[test]
#[ignore = "needs the release emulator binary (see the module docs)"]
fn sign_up_confirm_and_account_operations() {
    let mut emu = Emu::new();
    let pool = emu.pool(SPA, None);
    let (user, pw) = ("newbie", "Newbie-Passw0rd!");
    let req = pool.sign_up_request(user, pw, &[("email", "newbie@example.com")], &[], &[]);
    let res = emu.run(&req);
    let r = process_sign_up_response(res.status, &res.headers, &res.body).unwrap();
    assert!(!r.user_confirmed);
    assert_eq!(r.code_delivery.unwrap().medium.as_deref(), Some("EMAIL"));
    let res = emu.run(&req);
    let e = process_sign_up_response(res.status, &res.headers, &res.body).unwrap_err();
    assert_eq!(service_code(&e), "UsernameExistsException");

    let (_, r) = emu.sign_in(&pool, user, Some(pw), &AuthFlow::UserSrp);
    assert_eq!(service_code(&r.unwrap_err()), "UserNotConfirmedException");

    let res = emu.run(&pool.confirm_sign_up_request(user, "000000", &[]));
    let e =
        process_empty_response("ConfirmSignUp", res.status, &res.headers, &res.body).unwrap_err();
    assert_eq!(service_code(&e), "CodeMismatchException");
    let code = emu.outbox_code(user, "SignUp");
    let res = emu.run(&pool.confirm_sign_up_request(user, &code, &[]));
    process_empty_response("ConfirmSignUp", res.status, &res.headers, &res.body).unwrap();

    let (_, r) = emu.sign_in(&pool, user, Some(pw), &AuthFlow::UserSrp);
    let at = done(r).tokens.access_token;
    let new_pw = "Changed-Passw0rd!";
    let res = emu.run(&pool.change_password_request(&at, pw, new_pw));
    process_empty_response("ChangePassword", res.status, &res.headers, &res.body).unwrap();
    let (_, r) = emu.sign_in(&pool, user, Some(new_pw), &AuthFlow::UserPassword);
    done(r);

    let res = emu.run(&pool.update_user_attributes_request(&at, &[("name", "New Bie")], &[]));
    process_empty_response("UpdateUserAttributes", res.status, &res.headers, &res.body).unwrap();
    let res = emu.run(&pool.get_user_request(&at));
    let u = process_get_user_response(res.status, &res.headers, &res.body).unwrap();
    assert!(u.attributes.contains(&("name".into(), "New Bie".into())));

    let res = emu.run(&pool.forgot_password_request(user, &[]));
    let cd = process_code_delivery_response("ForgotPassword", res.status, &res.headers, &res.body)
        .unwrap();
    assert!(cd.is_some());
    let code = emu.outbox_code(user, "ForgotPassword");
    let reset_pw = "Reset-Passw0rd!";
    let res = emu.run(&pool.confirm_forgot_password_request(user, &code, reset_pw, &[]));
    process_empty_response("ConfirmForgotPassword", res.status, &res.headers, &res.body).unwrap();
    let (_, r) = emu.sign_in(&pool, user, Some(reset_pw), &AuthFlow::UserSrp);
    let at = done(r).tokens.access_token;

    let res = emu.run(&pool.delete_user_request(&at));
    process_empty_response("DeleteUser", res.status, &res.headers, &res.body).unwrap();
    let (_, r) = emu.sign_in(&pool, user, Some(reset_pw), &AuthFlow::UserPassword);
    let e = r.unwrap_err();
    assert!(
        ["UserNotFoundException", "NotAuthorizedException"].contains(&service_code(&e)),
        "{e:?}"
    );
}

const SEED: &str = "tests/cognito/seed.json";

/// RFC 6238 TOTP (SHA-1, 6 digits, 30 s) for a base32 secret (RFC 4648),
/// written here from the RFCs, independent of the emulator's.
fn totp(secret_b32: &str, unix: i64) -> String {
    let mut key = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in secret_b32.trim_end_matches('=').bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a',
            b'2'..=b'7' => c - b'2' + 26,
            _ => panic!("not base32: {secret_b32}"),
        };
        acc = (acc << 5) | u32::from(v);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            key.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(&key).unwrap();
    mac.update(&((unix / 30) as u64).to_be_bytes());
    let h = mac.finalize().into_bytes();
    let o = usize::from(h[19] & 15);
    let n = u32::from_be_bytes([h[o] & 0x7f, h[o + 1], h[o + 2], h[o + 3]]);
    format!("{:06}", n % 1_000_000)
}

#[test]
fn totp_matches_rfc_6238_appendix_b() {
    // The RFC's SHA-1 seed "12345678901234567890" in base32; 8-digit
    // values there, of which the last 6 digits are the 6-digit codes.
    let secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    assert_eq!(totp(secret, 59), "287082");
    assert_eq!(totp(secret, 1_111_111_109), "081804");
    assert_eq!(totp(secret, 2_000_000_000), "279037");
}

#[test]
#[ignore = "needs the release emulator binary (see the module docs)"]
fn remembered_device_signs_in_with_device_srp() {
    let mut emu = Emu::seeded(Some(SEED));
    let pool = emu.pool_of("us-east-1_SdkDevices", "devices-client", None);
    let (user, pw) = ("dana", "Dana-Passw0rd!");
    let (_, r) = emu.sign_in(&pool, user, Some(pw), &AuthFlow::UserSrp);
    let first = done(r);
    let new = first.new_device.expect("the pool tracks devices");
    let at = first.tokens.access_token;

    let verifier = generate_device_verifier(&new.group_key, &new.key).unwrap();
    let res = emu.run(&pool.confirm_device_request(&at, &new.key, &verifier, Some("test")));
    assert!(!process_confirm_device_response(res.status, &res.headers, &res.body).unwrap());
    let device = RememberedDevice {
        key: new.key.clone(),
        group_key: new.group_key.clone(),
        password: verifier.password.clone(),
    };

    // PASSWORD_VERIFIER → DEVICE_SRP_AUTH → DEVICE_PASSWORD_VERIFIER, all
    // answered by the state machine, verified for real by the emulator.
    let (_, r) = emu.sign_in_device(&pool, user, Some(pw), &AuthFlow::UserSrp, Some(&device));
    let second = done(r);
    assert_eq!(second.new_device, None, "a known device is not new");

    let mut wrong = device.clone();
    wrong.password = "not-the-device-password".to_owned().into();
    let (_, r) = emu.sign_in_device(&pool, user, Some(pw), &AuthFlow::UserSrp, Some(&wrong));
    assert_eq!(service_code(&r.unwrap_err()), "NotAuthorizedException");

    let at = second.tokens.access_token.clone();
    let res = emu.run(&pool.list_devices_request(&at, 10, None));
    let (devices, _) = process_list_devices_response(res.status, &res.headers, &res.body).unwrap();
    assert!(devices.iter().any(|d| d.key == new.key));
    let refresh = second.tokens.refresh_token.clone().unwrap();
    let res = emu.run(&pool.refresh_token_auth_request(&refresh, user, Some(&new.key)));
    process_refresh_response(
        "InitiateAuth",
        res.status,
        &res.headers,
        &res.body,
        now(),
        &second.tokens,
    )
    .unwrap();

    let res = emu.run(&pool.update_device_status_request(&at, &new.key, false));
    process_empty_response("UpdateDeviceStatus", res.status, &res.headers, &res.body).unwrap();
    let res = emu.run(&pool.forget_device_request(&at, &new.key));
    process_empty_response("ForgetDevice", res.status, &res.headers, &res.body).unwrap();
    let res = emu.run(&pool.list_devices_request(&at, 10, None));
    let (devices, _) = process_list_devices_response(res.status, &res.headers, &res.body).unwrap();
    assert!(!devices.iter().any(|d| d.key == new.key));
}

#[test]
#[ignore = "needs the release emulator binary (see the module docs)"]
fn user_auth_choice_based() {
    let mut emu = Emu::seeded(Some(SEED));
    let pool = emu.pool_of("us-east-1_SdkDevices", "devices-client", None);
    let (user, pw) = ("dana", "Dana-Passw0rd!");
    let flow = AuthFlow::UserAuth { preferred: None };
    let (mut s, r) = emu.sign_in(&pool, user, None, &flow);
    let step = next(r);
    assert_eq!(step.challenge, ChallengeName::SelectChallenge);
    assert!(
        step.available_challenges.iter().any(|c| c == "EMAIL_OTP"),
        "{step:?}"
    );
    let req = s
        .answer(Answer::Select {
            challenge: ChallengeName::EmailOtp,
            password: None,
        })
        .unwrap();
    let step = next(emu.drive(&mut s, req));
    assert_eq!(step.challenge, ChallengeName::EmailOtp);
    assert_eq!(step.code_delivery.unwrap().medium.as_deref(), Some("EMAIL"));
    let code = emu.outbox_code(user, "EMAIL_OTP");
    let req = s.answer(Answer::Code(&code)).unwrap();
    done(emu.drive(&mut s, req));

    let (mut s, r) = emu.sign_in(&pool, user, None, &flow);
    next(r);
    let req = s
        .answer(Answer::Select {
            challenge: ChallengeName::PasswordSrp,
            password: Some(pw),
        })
        .unwrap();
    done(emu.drive(&mut s, req));

    for preferred in [ChallengeName::Password, ChallengeName::PasswordSrp] {
        let flow = AuthFlow::UserAuth {
            preferred: Some(preferred),
        };
        let (_, r) = emu.sign_in(&pool, user, Some(pw), &flow);
        done(r);
        let (_, r) = emu.sign_in(&pool, user, Some("Wrong-Passw0rd!"), &flow);
        assert_eq!(service_code(&r.unwrap_err()), "NotAuthorizedException");
    }
}

#[test]
#[ignore = "needs the release emulator binary (see the module docs)"]
fn mfa_setup_then_totp_sign_in() {
    let mut emu = Emu::seeded(Some(SEED));
    let pool = emu.pool_of("us-east-1_SdkMfa", "mfa-client", None);
    let (user, pw) = ("newt", "Newt-Passw0rd!");
    let (mut s, r) = emu.sign_in(&pool, user, Some(pw), &AuthFlow::UserSrp);
    let step = next(r);
    assert_eq!(step.challenge, ChallengeName::MfaSetup);
    assert!(
        step.mfa_types.iter().any(|t| t == "SOFTWARE_TOKEN_MFA"),
        "{step:?}"
    );
    let req = s.answer(Answer::SetUpTotp).unwrap();
    let step = next(emu.drive(&mut s, req));
    let secret = step
        .totp_secret
        .expect("AssociateSoftwareToken's SecretCode");
    let uri = cognito_wasm::cognito::otpauth_uri("SdkMfa", user, &secret);
    assert!(uri.starts_with("otpauth://totp/SdkMfa:newt?secret="));
    // A wrong first code is refused and can be retried.
    let bad = if totp(&secret, now()) == "000000" {
        "111111"
    } else {
        "000000"
    };
    let req = s.answer(Answer::Code(bad)).unwrap();
    assert!(emu.drive(&mut s, req).is_err());
    let req = s.answer(Answer::Code(&totp(&secret, now()))).unwrap();
    done(emu.drive(&mut s, req));

    let (mut s, r) = emu.sign_in(&pool, user, Some(pw), &AuthFlow::UserSrp);
    let step = next(r);
    assert_eq!(step.challenge, ChallengeName::SoftwareTokenMfa);
    let req = s.answer(Answer::Code(&totp(&secret, now()))).unwrap();
    done(emu.drive(&mut s, req));
}

#[test]
#[ignore = "needs the release emulator binary (see the module docs)"]
fn new_password_required_then_email_otp() {
    let mut emu = Emu::seeded(Some(SEED));
    let pool = emu.pool_of("us-east-1_SdkMfa", "mfa-client", None);
    let (mut s, r) = emu.sign_in(&pool, "force", Some("Temp-Passw0rd!"), &AuthFlow::UserSrp);
    let step = next(r);
    assert_eq!(step.challenge, ChallengeName::NewPasswordRequired);
    assert!(
        step.user_attributes.iter().any(|(k, _)| k == "email"),
        "{step:?}"
    );
    let req = s
        .answer(Answer::NewPassword {
            password: "Final-Passw0rd!",
            attributes: &[],
        })
        .unwrap();
    let step = next(emu.drive(&mut s, req));
    assert_eq!(step.challenge, ChallengeName::EmailOtp);
    let code = emu.outbox_code("force", "EMAIL_OTP");
    let req = s.answer(Answer::Code(&code)).unwrap();
    done(emu.drive(&mut s, req));
}

#[test]
#[ignore = "needs the release emulator binary (see the module docs)"]
fn select_mfa_type_then_sms_mfa() {
    let mut emu = Emu::seeded(Some(SEED));
    let pool = emu.pool_of("us-east-1_SdkMfa", "mfa-client", None);
    let (mut s, r) = emu.sign_in(
        &pool,
        "multi",
        Some("Multi-Passw0rd!"),
        &AuthFlow::UserPassword,
    );
    let step = next(r);
    assert_eq!(step.challenge, ChallengeName::SelectMfaType);
    assert!(step.mfa_types.iter().any(|t| t == "SMS_MFA"), "{step:?}");
    let req = s.answer(Answer::MfaType("SMS_MFA")).unwrap();
    let step = next(emu.drive(&mut s, req));
    assert_eq!(step.challenge, ChallengeName::SmsMfa);
    assert_eq!(step.code_delivery.unwrap().medium.as_deref(), Some("SMS"));
    let req = s.answer(Answer::Code("000000")).unwrap();
    let e = emu.drive(&mut s, req).unwrap_err();
    assert_eq!(service_code(&e), "CodeMismatchException");
    let (mut s, r) = emu.sign_in(
        &pool,
        "multi",
        Some("Multi-Passw0rd!"),
        &AuthFlow::UserPassword,
    );
    next(r);
    let req = s.answer(Answer::MfaType("SMS_MFA")).unwrap();
    next(emu.drive(&mut s, req));
    let code = emu.outbox_code("multi", "SMS_MFA");
    let req = s.answer(Answer::Code(&code)).unwrap();
    done(emu.drive(&mut s, req));
}
