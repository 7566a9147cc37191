//! The sans-IO hosted-UI and JWT cores driven against oidc-provider (npm), a
//! certified OpenID provider, mounted on Cognito's paths with PKCE required
//! (tests/oauth/oidc-provider.mjs): authorization code + PKCE, `iss` in the
//! callback, ID-token verification with its nonce, userInfo, refresh,
//! revocation, code replay, a wrong verifier, and client credentials with
//! HTTP Basic. The provider runs on a free 127.0.0.1 port and is killed when
//! the test ends, pass or fail. Needs `npm ci` (node_modules/oidc-provider).

// Each test file uses a different part of the shared module.
#[allow(dead_code)]
#[path = "oauth/support.rs"]
mod support;

use std::process::Command;

use cognito_wasm::json::Json;
use cognito_wasm::jwt::{Jwks, JwtVerifier};
use cognito_wasm::oauth::{
    parse_callback_url, process_revoke_response, process_token_response, process_userinfo_response,
    validate_callback, AuthorizeOptions, HostedUi, Transaction, DEFAULT_TRANSACTION_MAX_AGE,
};
use support::{error_code, now, start_server, Browser, RsaCrate};

const REDIRECT: &str = "https://app.example/cb";

fn start_provider() -> support::Server {
    let mut cmd = Command::new("node");
    cmd.arg("tests/oauth/oidc-provider.mjs");
    start_server(cmd, |line| {
        line.strip_prefix("{\"port\":")?
            .strip_suffix('}')?
            .parse()
            .ok()
    })
}

/// Follows the authorization request through oidc-provider's login and
/// consent pages, as a user would, to the redirect back to the app.
fn sign_in(browser: &mut Browser, authorize_url: &str, user: &str) -> String {
    let mut url = authorize_url.to_owned();
    for _ in 0..12 {
        let res = browser.send("GET", &url, &[], None);
        let page = if res.status == 200 {
            String::from_utf8_lossy(&res.body).into_owned()
        } else {
            let location = res.header("location").expect("a redirect").to_owned();
            if location.starts_with(REDIRECT) {
                return location;
            }
            url = location;
            continue;
        };
        let action = page
            .split("action=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("a form")
            .to_owned();
        let form = if page.contains("name=\"login\"") {
            format!("prompt=login&login={user}&password=any")
        } else {
            "prompt=consent".to_owned()
        };
        let post = browser.send(
            "POST",
            &action,
            &[("Content-Type", "application/x-www-form-urlencoded")],
            Some(&form),
        );
        url = post
            .header("location")
            .expect("a redirect after the form")
            .to_owned();
        if url.starts_with(REDIRECT) {
            return url;
        }
    }
    panic!("sign-in did not come back to the app");
}

#[test]
fn code_flow_with_pkce_refresh_revoke_and_client_credentials() {
    let provider = start_provider();
    let issuer = format!("http://127.0.0.1:{}", provider.port);
    let mut browser = Browser {
        port: provider.port,
        cookies: Vec::new(),
    };
    let ui = HostedUi::new(&issuer, "spa", None).unwrap();
    let options = AuthorizeOptions {
        redirect_uri: REDIRECT,
        scopes: &["openid", "email", "offline_access"],
        prompt: Some("consent"),
        ..Default::default()
    };

    // Authorization code + PKCE, through the provider's login and consent.
    let start = ui.authorize(&options, now()).unwrap();
    let stored = start.transaction.to_storage_string();
    let callback = sign_in(&mut browser, &start.url, "alice");
    let tx = Transaction::parse(&stored).unwrap();
    let params = parse_callback_url(&callback).unwrap();
    assert_eq!(params.iss.as_deref(), Some(issuer.as_str()), "RFC 9207 iss");
    let code = validate_callback(
        &params,
        Some(&tx),
        now(),
        DEFAULT_TRANSACTION_MAX_AGE,
        Some(&issuer),
    )
    .unwrap();
    let wrong_iss = validate_callback(
        &params,
        Some(&tx),
        now(),
        DEFAULT_TRANSACTION_MAX_AGE,
        Some("https://other.example"),
    );
    assert_eq!(wrong_iss.unwrap_err().code(), "OAuthIssuerMismatch");

    let exchange = ui.authorization_code_request(&code, &tx).unwrap();
    let res = browser.run(&exchange);
    let tokens = process_token_response(res.status, &res.headers, &res.body, true).unwrap();
    let refresh = tokens.refresh_token.clone().expect("a refresh token");

    // The ID token, verified against the provider's JWKS with the nonce.
    let jwks_res = browser.send("GET", &format!("{issuer}/.well-known/jwks.json"), &[], None);
    let jwks = Jwks::parse(&jwks_res.body).unwrap();
    let verifier = JwtVerifier::oidc(&issuer, "spa").with_grace_seconds(5.0);
    let id_token = tokens.id_token.as_deref().unwrap();
    let t = now() as f64;
    let id = verifier
        .verify(id_token, &jwks, &RsaCrate, t, Some(&tx.nonce))
        .unwrap();
    assert_eq!(id.claims.get("sub").and_then(Json::as_str), Some("alice"));
    let replayed = verifier.verify(id_token, &jwks, &RsaCrate, t, Some("another-nonce"));
    assert_eq!(replayed.unwrap_err().code(), "JwtInvalidNonce");
    let other_client =
        JwtVerifier::oidc(&issuer, "not-spa").verify(id_token, &jwks, &RsaCrate, t, None);
    assert_eq!(
        other_client.unwrap_err().code(),
        "CognitoJwtInvalidClientId"
    );

    // userInfo with the access token.
    let res = browser.run(&ui.userinfo_request(&tokens.access_token).unwrap());
    let info =
        process_userinfo_response(res.status, &res.headers, &res.body, Some("alice")).unwrap();
    assert_eq!(
        info.get("email").and_then(Json::as_str),
        Some("alice@example.com")
    );

    // Refresh.
    let res = browser.run(&ui.refresh_token_request(&refresh).unwrap());
    let refreshed = process_token_response(res.status, &res.headers, &res.body, false).unwrap();
    assert_ne!(refreshed.access_token, tokens.access_token);
    let refresh = refreshed.refresh_token.unwrap_or(refresh);

    // Revocation, after which the refresh token no longer works.
    let res = browser.run(&ui.revoke_request(&refresh).unwrap());
    process_revoke_response(res.status, &res.headers, &res.body).unwrap();
    let res = browser.run(&ui.refresh_token_request(&refresh).unwrap());
    let revoked = process_token_response(res.status, &res.headers, &res.body, false).unwrap_err();
    assert_eq!(error_code(revoked), "invalid_grant");

    // The same code a second time is refused by the server.
    let res = browser.run(&exchange);
    let again = process_token_response(res.status, &res.headers, &res.body, true).unwrap_err();
    assert_eq!(error_code(again), "invalid_grant");

    // RFC 6749 §4.1.2: the server revokes what the replayed code issued.
    let res = browser.run(&ui.userinfo_request(&tokens.access_token).unwrap());
    let after = process_userinfo_response(res.status, &res.headers, &res.body, None).unwrap_err();
    assert_eq!(error_code(after), "invalid_token");

    // A second sign-in (session kept) whose verifier does not match the
    // challenge: the server must refuse the exchange (RFC 7636 §4.6).
    let second = ui.authorize(&options, now()).unwrap();
    let callback = sign_in(&mut browser, &second.url, "alice");
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
        code_verifier: start.transaction.code_verifier.clone(),
        ..second.transaction.clone()
    };
    let res = browser.run(&ui.authorization_code_request(&code, &forged).unwrap());
    let refused = process_token_response(res.status, &res.headers, &res.body, true).unwrap_err();
    assert_eq!(error_code(refused), "invalid_grant");

    // Machine to machine: client credentials with HTTP Basic; the secret has
    // characters RFC 6749 §2.3.1 form-encodes, which the provider decodes.
    let secret = "m2m secret/+:%&=~-0123456789abcdef0123456789";
    let m2m = HostedUi::new(&issuer, "m2m", Some(secret)).unwrap();
    let res = browser.run(&m2m.client_credentials_request(&["api:read"]).unwrap());
    let cc = process_token_response(res.status, &res.headers, &res.body, false).unwrap();
    assert_eq!(cc.scope.as_deref(), Some("api:read"));
    let wrong = HostedUi::new(&issuer, "m2m", Some("wrong")).unwrap();
    let res = browser.run(&wrong.client_credentials_request(&["api:read"]).unwrap());
    let refused = process_token_response(res.status, &res.headers, &res.body, false).unwrap_err();
    assert_eq!(error_code(refused), "invalid_client");

    drop(provider);
}
