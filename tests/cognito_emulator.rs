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

use std::path::PathBuf;
use std::process::Command;

use cognito_wasm::cognito::{
    process_code_delivery_response, process_empty_response, process_get_user_response,
    process_refresh_response, process_sign_up_response, Answer, AuthFlow, ChallengeName,
    CognitoError, HttpRequest, Progress, SignIn, SignInOptions, SignedIn, UserPool,
};
use cognito_wasm::jwt::{decode_jwt, Json};
use cognito_wasm::Error;
use support::{start_server, Browser, Response};

// From emulator/seed/default.json.
const POOL: &str = "us-east-1_LocalDemo";
const SPA: &str = "demo-spa-client";
const USER: &str = "demo";
const EMAIL: &str = "demo@example.com";
const PASSWORD: &str = "Demo-Passw0rd!";
const CONFIDENTIAL: &str = "demo-confidential-client";
const SECRET: &str = "demo-client-secret-0123456789abcdefghijklmnopqrstuv";

fn start_emulator() -> support::Server {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let bin = std::env::var_os("COGNITO_EMULATOR_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target/release/cognito-emulator"));
    assert!(
        bin.exists(),
        "{} is missing: cargo build --release -p cognito-emulator",
        bin.display()
    );
    let mut cmd = Command::new(bin);
    cmd.args(["--port", "0", "--host", "127.0.0.1"]);
    start_server(cmd, |line| {
        line.strip_prefix("listening on http://127.0.0.1:")?
            .split(|c: char| !c.is_ascii_digit())
            .next()?
            .parse()
            .ok()
    })
}

struct Emu {
    _server: support::Server,
    http: Browser,
}

impl Emu {
    fn new() -> Emu {
        let server = start_emulator();
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
        let endpoint = format!("http://127.0.0.1:{}", self.http.port);
        UserPool::new(POOL, client, secret, Some(&endpoint)).unwrap()
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
        let options = SignInOptions {
            username,
            password,
            flow,
            device: None,
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
