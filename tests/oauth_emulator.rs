//! The sans-IO hosted-UI and JWT cores driven against this project's
//! Cognito emulator (its `/oauth2/*`, `/login` and `/logout`), with the
//! Cognito token rules: `token_use`, `aud` vs `client_id`, the pool issuer.
//!
//! Needs the release emulator binary, which `npm test` builds after
//! `cargo test`; so this test is ignored by default. Run it with
//! `cargo build --release -p cognito-emulator && cargo test --test
//! oauth_emulator -- --ignored` (or set COGNITO_EMULATOR_BIN).

// Each test file uses a different part of the shared module.
#[allow(dead_code)]
#[path = "oauth/support.rs"]
mod support;

use cognito_wasm::json::Json;
use cognito_wasm::jwt::{Jwks, JwtVerifier, TokenUse};
use cognito_wasm::oauth::{
    parse_callback_url, process_revoke_response, process_token_response, process_userinfo_response,
    validate_callback, AuthorizeOptions, HostedUi, Transaction, DEFAULT_TRANSACTION_MAX_AGE,
};
use support::{error_code, now, Browser, RsaCrate};

// From emulator/seed/default.json.
const POOL: &str = "us-east-1_LocalDemo";
const SPA: &str = "demo-spa-client";
const REDIRECT: &str = "http://127.0.0.1:8080/";
const USER: &str = "demo";
const PASSWORD: &str = "Demo-Passw0rd!";
const CONFIDENTIAL: &str = "demo-confidential-client";
const SECRET: &str = "demo-client-secret-0123456789abcdefghijklmnopqrstuv";

fn start_emulator() -> support::Server {
    support::start_emulator("emulator/seed/default.json")
}

/// Follows the authorize redirect to the emulator's login page and submits
/// it, as a user would; returns the redirect back to the app.
fn sign_in(browser: &mut Browser, authorize_url: &str) -> String {
    let mut url = authorize_url.to_owned();
    for _ in 0..6 {
        let res = browser.send("GET", &url, &[], None);
        if res.status != 200 {
            url = res.header("location").expect("a redirect").to_owned();
            if url.starts_with(REDIRECT) {
                return url;
            }
            continue;
        }
        let page = String::from_utf8_lossy(&res.body).into_owned();
        let tx = page
            .split("name=\"tx\" value=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("the login form")
            .to_owned();
        let form = format!("tx={tx}&username={USER}&password={PASSWORD}");
        let post = browser.send(
            "POST",
            "/login",
            &[("Content-Type", "application/x-www-form-urlencoded")],
            Some(&form),
        );
        let location = post.header("location").expect("a redirect after login");
        assert!(location.starts_with(REDIRECT), "{location}");
        return location.to_owned();
    }
    panic!("sign-in did not come back to the app");
}

#[test]
#[ignore = "needs target/release/cognito-emulator; see the file's doc comment"]
fn hosted_ui_code_flow_against_the_emulator() {
    let emulator = start_emulator();
    let base = format!("http://127.0.0.1:{}", emulator.port);
    let issuer = format!("{base}/{POOL}");
    let mut browser = Browser {
        port: emulator.port,
        cookies: Vec::new(),
    };
    let ui = HostedUi::new(&base, SPA, None).unwrap();
    let options = AuthorizeOptions {
        redirect_uri: REDIRECT,
        scopes: &["openid", "email", "profile"],
        ..Default::default()
    };

    let start = ui.authorize(&options, now()).unwrap();
    let tx = Transaction::parse(&start.transaction.to_storage_string()).unwrap();
    let callback = sign_in(&mut browser, &start.url);
    let params = parse_callback_url(&callback).unwrap();
    let code =
        validate_callback(&params, Some(&tx), now(), DEFAULT_TRANSACTION_MAX_AGE, None).unwrap();
    let exchange = ui.authorization_code_request(&code, &tx).unwrap();
    let res = browser.run(&exchange);
    let tokens = process_token_response(res.status, &res.headers, &res.body, true).unwrap();
    let refresh = tokens.refresh_token.clone().expect("a refresh token");

    // Cognito's token rules, with the emulator's issuer.
    let res = browser.send("GET", &format!("{issuer}/.well-known/jwks.json"), &[], None);
    let jwks = Jwks::parse(&res.body).unwrap();
    let t = now() as f64;
    let id_rules = JwtVerifier::cognito(POOL, Some(SPA), Some(TokenUse::Id))
        .unwrap()
        .with_issuer(&issuer)
        .with_grace_seconds(5.0);
    let access_rules = JwtVerifier::cognito(POOL, Some(SPA), Some(TokenUse::Access))
        .unwrap()
        .with_issuer(&issuer)
        .with_grace_seconds(5.0);
    let id_token = tokens.id_token.as_deref().unwrap();
    let id = id_rules
        .verify(id_token, &jwks, &RsaCrate, t, Some(&tx.nonce))
        .unwrap();
    let sub = id
        .claims
        .get("sub")
        .and_then(Json::as_str)
        .unwrap()
        .to_owned();
    assert!(access_rules
        .verify(&tokens.access_token, &jwks, &RsaCrate, t, None)
        .is_ok());
    let swapped = id_rules.verify(&tokens.access_token, &jwks, &RsaCrate, t, None);
    assert_eq!(swapped.unwrap_err().code(), "CognitoJwtInvalidTokenUse");
    let wrong_nonce = id_rules.verify(id_token, &jwks, &RsaCrate, t, Some("not-it"));
    assert_eq!(wrong_nonce.unwrap_err().code(), "JwtInvalidNonce");
    let aws_issuer = JwtVerifier::cognito(POOL, Some(SPA), None).unwrap();
    let foreign = aws_issuer.verify(id_token, &jwks, &RsaCrate, t, None);
    assert_eq!(foreign.unwrap_err().code(), "JwtInvalidIssuer");

    // userInfo, refresh, and the code used twice.
    let res = browser.run(&ui.userinfo_request(&tokens.access_token).unwrap());
    process_userinfo_response(res.status, &res.headers, &res.body, Some(&sub)).unwrap();
    let res = browser.run(&ui.refresh_token_request(&refresh).unwrap());
    let refreshed = process_token_response(res.status, &res.headers, &res.body, false).unwrap();
    assert!(access_rules
        .verify(
            &refreshed.access_token,
            &jwks,
            &RsaCrate,
            now() as f64,
            None
        )
        .is_ok());
    let res = browser.run(&exchange);
    let again = process_token_response(res.status, &res.headers, &res.body, true).unwrap_err();
    assert_eq!(error_code(again), "invalid_grant");

    // A second sign-in whose verifier does not match its challenge.
    let second = ui.authorize(&options, now()).unwrap();
    let callback = sign_in(&mut browser, &second.url);
    let params = parse_callback_url(&callback).unwrap();
    let code = validate_callback(
        &params,
        Some(&second.transaction),
        now(),
        DEFAULT_TRANSACTION_MAX_AGE,
        None,
    )
    .unwrap();
    let forged = Transaction {
        code_verifier: tx.code_verifier.clone(),
        ..second.transaction.clone()
    };
    let res = browser.run(&ui.authorization_code_request(&code, &forged).unwrap());
    let refused = process_token_response(res.status, &res.headers, &res.body, true).unwrap_err();
    assert_eq!(error_code(refused), "invalid_grant");

    // Revocation ends the refresh token.
    let res = browser.run(&ui.revoke_request(&refresh).unwrap());
    process_revoke_response(res.status, &res.headers, &res.body).unwrap();
    let res = browser.run(&ui.refresh_token_request(&refresh).unwrap());
    let revoked = process_token_response(res.status, &res.headers, &res.body, false).unwrap_err();
    assert_eq!(error_code(revoked), "invalid_grant");

    // Client credentials for the confidential client, HTTP Basic.
    let server = HostedUi::new(&base, CONFIDENTIAL, Some(SECRET)).unwrap();
    let res = browser.run(&server.client_credentials_request(&[]).unwrap());
    let cc = process_token_response(res.status, &res.headers, &res.body, false).unwrap();
    assert!(cc.id_token.is_none() && cc.refresh_token.is_none());
    let wrong = HostedUi::new(&base, CONFIDENTIAL, Some("wrong-secret")).unwrap();
    let res = browser.run(&wrong.client_credentials_request(&[]).unwrap());
    let refused = process_token_response(res.status, &res.headers, &res.body, false).unwrap_err();
    assert_eq!(error_code(refused), "invalid_client");

    // Cognito's logout form lands on the logout URI.
    let res = browser.send("GET", &ui.logout_url(REDIRECT).unwrap(), &[], None);
    assert_eq!(res.header("location"), Some(REDIRECT));

    drop(emulator);
}
