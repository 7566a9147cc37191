//! Token, revoke, userInfo and logout steps against recorded responses,
//! and one whole code flow played against a scripted server.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

use super::*;
use crate::http::HttpRequest;
use crate::Error;

/// Response headers as the process functions take them.
type Headers = &'static [(&'static str, &'static str)];

const NO_HEADERS: Headers = &[];
const JSON: Headers = &[("Content-Type", "application/json;charset=UTF-8")];
const HTML: Headers = &[("content-type", "text/html; charset=utf-8")];

fn public() -> HostedUi {
    HostedUi::new(
        "https://example.auth.us-east-1.amazoncognito.com/",
        "pubclient",
        None,
    )
    .unwrap()
}

fn confidential() -> HostedUi {
    HostedUi::new(
        "example.auth.us-east-1.amazoncognito.com",
        "conf client",
        Some("s3cr:et/+"),
    )
    .unwrap()
}

/// A form body read back by serde_urlencoded (an independent decoder).
fn form_of(req: &HttpRequest) -> HashMap<String, String> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(req.body.as_deref().unwrap()).unwrap();
    let n = pairs.len();
    let map: HashMap<_, _> = pairs.into_iter().collect();
    assert_eq!(map.len(), n, "no parameter twice");
    map
}

fn tx() -> Transaction {
    Transaction {
        state: "s".into(),
        nonce: "n".into(),
        code_verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".into(),
        redirect_uri: "https://app.example/cb".into(),
        created_at: 0,
        app_state: None,
    }
}

#[test]
fn code_exchange_request_for_a_public_client() {
    let req = public()
        .authorization_code_request("the code", &tx())
        .unwrap();
    assert_eq!(req.method, "POST");
    assert_eq!(
        req.url,
        "https://example.auth.us-east-1.amazoncognito.com/oauth2/token"
    );
    assert_eq!(
        req.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(req.header("authorization"), None);
    let body = form_of(&req);
    assert_eq!(body["grant_type"], "authorization_code");
    assert_eq!(body["code"], "the code");
    assert_eq!(body["redirect_uri"], "https://app.example/cb");
    assert_eq!(
        body["code_verifier"],
        "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    );
    assert_eq!(body["client_id"], "pubclient");
    assert_eq!(body.len(), 5);
    assert!(
        !format!("{req:?}").contains("the code"),
        "Debug hides the body"
    );
    assert_eq!(
        public()
            .authorization_code_request("", &tx())
            .unwrap_err()
            .code(),
        "EmptyArgument"
    );
}

#[test]
fn confidential_clients_use_basic_auth_and_never_put_the_secret_in_the_body() {
    let ui = confidential();
    let reqs = [
        ui.authorization_code_request("c", &tx()).unwrap(),
        ui.refresh_token_request("r").unwrap(),
        ui.client_credentials_request(&["api/read", "api/write"])
            .unwrap(),
        ui.revoke_request("r").unwrap(),
    ];
    for req in &reqs {
        let auth = req.header("authorization").unwrap();
        let decoded = STANDARD
            .decode(auth.strip_prefix("Basic ").unwrap())
            .unwrap();
        let decoded = String::from_utf8(decoded).unwrap();
        // RFC 6749 §2.3.1: form-encode id and secret, then join with ':'.
        let (id, secret) = decoded.split_once(':').unwrap();
        let id: String = serde_urlencoded::from_str::<Vec<(String, String)>>(&format!("x={id}"))
            .unwrap()[0]
            .1
            .clone();
        let secret: String =
            serde_urlencoded::from_str::<Vec<(String, String)>>(&format!("x={secret}")).unwrap()[0]
                .1
                .clone();
        assert_eq!((id.as_str(), secret.as_str()), ("conf client", "s3cr:et/+"));
        let body = req.body.as_deref().unwrap();
        assert!(!body.contains("s3cr"), "{body}");
        assert!(!form_of(req).contains_key("client_secret"));
    }
    let cc = form_of(&reqs[2]);
    assert_eq!(cc["grant_type"], "client_credentials");
    assert_eq!(cc["scope"], "api/read api/write");
    let refresh = form_of(&reqs[1]);
    assert_eq!(refresh["grant_type"], "refresh_token");
    assert_eq!(refresh["refresh_token"], "r");
    assert_eq!(refresh["client_id"], "conf client");
    let revoke = form_of(&reqs[3]);
    assert_eq!(
        reqs[3].url,
        "https://example.auth.us-east-1.amazoncognito.com/oauth2/revoke"
    );
    assert_eq!(revoke["token"], "r");
    // client_credentials needs a secret; refresh and revoke need a token.
    assert_eq!(
        public().client_credentials_request(&[]).unwrap_err().code(),
        "EmptyArgument"
    );
    assert_eq!(
        public().refresh_token_request("").unwrap_err().code(),
        "EmptyArgument"
    );
    assert_eq!(
        public().revoke_request("").unwrap_err().code(),
        "EmptyArgument"
    );
    assert!(!form_of(&ui.client_credentials_request(&[]).unwrap()).contains_key("scope"));
}

/// Bodies shaped as Cognito's token endpoint sends them (Developer Guide,
/// "Token endpoint" examples) and as proxies break them.
const COGNITO_TOKENS: &str = r#"{"id_token":"eyJraWQ.eyJzdWIi.c2ln","access_token":"eyJraWQ.eyJhY2Nl.c2ln","refresh_token":"eyJjdHkiOiJKV1QiLCJlbmMi","expires_in":3600,"token_type":"Bearer"}"#;

#[test]
fn token_responses() {
    let ok = process_token_response(200, JSON, COGNITO_TOKENS.as_bytes(), true).unwrap();
    assert_eq!(ok.access_token, "eyJraWQ.eyJhY2Nl.c2ln");
    assert_eq!(ok.id_token.as_deref(), Some("eyJraWQ.eyJzdWIi.c2ln"));
    assert_eq!(
        ok.refresh_token.as_deref(),
        Some("eyJjdHkiOiJKV1QiLCJlbmMi")
    );
    assert_eq!(ok.expires_in, Some(3600));
    assert!(!format!("{ok:?}").contains("eyJ"), "Debug hides tokens");

    let m2m =
        br#"{"access_token":"a.b.c","expires_in":3600,"token_type":"bearer","scope":"api/read"}"#;
    let cc = process_token_response(200, NO_HEADERS, m2m, false).unwrap();
    assert_eq!(
        (cc.id_token, cc.refresh_token, cc.scope.as_deref()),
        (None, None, Some("api/read"))
    );

    let endpoint_error = |status: u16, error: &str, description: Option<&str>| {
        Error::OAuth(OAuthError::EndpointError {
            endpoint: "token",
            status,
            error: error.into(),
            description: description.map(Into::into),
        })
    };
    assert_eq!(
        process_token_response(400, JSON, br#"{"error":"invalid_grant"}"#, true).unwrap_err(),
        endpoint_error(400, "invalid_grant", None)
    );
    assert_eq!(
        process_token_response(
            401,
            JSON,
            br#"{"error":"invalid_client","error_description":"Client authentication failed"}"#,
            false
        )
        .unwrap_err(),
        endpoint_error(401, "invalid_client", Some("Client authentication failed"))
    );
    assert_eq!(
        process_token_response(200, JSON, br#"{"error":"invalid_request"}"#, false).unwrap_err(),
        endpoint_error(200, "invalid_request", None)
    );

    let invalid: &[(u16, Headers, &str, bool)] = &[
        (
            200,
            HTML,
            "<!DOCTYPE html><html><body>Sign in</body></html>",
            false,
        ),
        (
            502,
            HTML,
            "<html><body>502 Bad Gateway</body></html>",
            false,
        ),
        (200, NO_HEADERS, "  <html>", false),
        (
            200,
            JSON,
            &COGNITO_TOKENS[..COGNITO_TOKENS.len() - 20],
            true,
        ),
        (200, JSON, "", false),
        (200, JSON, "[]", false),
        (200, JSON, "null", false),
        (500, JSON, r#"{"message":"Internal server error"}"#, false),
        (400, JSON, r#"{"error":42}"#, false),
        (
            200,
            JSON,
            r#"{"token_type":"Bearer","expires_in":3600}"#,
            false,
        ),
        (
            200,
            JSON,
            r#"{"access_token":"a","expires_in":3600}"#,
            false,
        ),
        (
            200,
            JSON,
            r#"{"access_token":"a","token_type":"mac"}"#,
            false,
        ),
        (
            200,
            JSON,
            r#"{"access_token":"a","token_type":"DPoP"}"#,
            false,
        ),
        (
            200,
            JSON,
            r#"{"access_token":"","token_type":"Bearer"}"#,
            false,
        ),
        (
            200,
            JSON,
            r#"{"access_token":7,"token_type":"Bearer"}"#,
            false,
        ),
        (
            200,
            JSON,
            r#"{"access_token":"a","token_type":"Bearer","expires_in":"3600"}"#,
            false,
        ),
        (
            200,
            JSON,
            r#"{"access_token":"a","token_type":"Bearer","expires_in":-1}"#,
            false,
        ),
        (
            200,
            JSON,
            r#"{"access_token":"a","token_type":"Bearer","expires_in":1.5}"#,
            false,
        ),
        (
            200,
            JSON,
            r#"{"access_token":"a","token_type":"Bearer","expires_in":1e400}"#,
            false,
        ),
        (
            200,
            JSON,
            r#"{"access_token":"a","token_type":"Bearer","refresh_token":{}}"#,
            false,
        ),
        (
            200,
            JSON,
            r#"{"access_token":"a","token_type":"Bearer"}"#,
            true,
        ),
    ];
    for (status, headers, body, expect_id) in invalid {
        let err =
            process_token_response(*status, headers, body.as_bytes(), *expect_id).unwrap_err();
        assert_eq!(err.code(), "OAuthInvalidResponse", "{status} {body}");
        assert!(!err.to_string().contains("eyJ"), "no token in messages");
    }
}

#[test]
fn revoke_responses() {
    assert!(process_revoke_response(200, NO_HEADERS, b"").is_ok());
    assert!(process_revoke_response(200, JSON, b"{}").is_ok());
    let e =
        process_revoke_response(400, JSON, br#"{"error":"unsupported_token_type"}"#).unwrap_err();
    assert_eq!(e.code(), "OAuthEndpointError");
    assert!(e.to_string().contains("unsupported_token_type"));
    assert_eq!(
        process_revoke_response(503, HTML, b"<html>")
            .unwrap_err()
            .code(),
        "OAuthInvalidResponse"
    );
}

#[test]
fn userinfo_request_and_responses() {
    let req = public().userinfo_request("acc.ess.token").unwrap();
    assert_eq!(req.method, "GET");
    assert_eq!(
        req.url,
        "https://example.auth.us-east-1.amazoncognito.com/oauth2/userInfo"
    );
    assert_eq!(req.header("authorization"), Some("Bearer acc.ess.token"));
    assert!(req.body.is_none() && !req.url.contains("acc.ess"));
    assert_eq!(
        public().userinfo_request("").unwrap_err().code(),
        "EmptyArgument"
    );

    let body = br#"{"sub":"248289761001","email_verified":"true","email":"janedoe@example.com","username":"janedoe"}"#;
    let info = process_userinfo_response(200, JSON, body, Some("248289761001")).unwrap();
    assert_eq!(
        info.get("email").and_then(crate::json::Json::as_str),
        Some("janedoe@example.com")
    );
    assert!(process_userinfo_response(200, JSON, body, None).is_ok());
    let code = |status, headers, body: &[u8], sub| {
        process_userinfo_response(status, headers, body, sub)
            .unwrap_err()
            .code()
    };
    assert_eq!(
        code(200, JSON, body, Some("someone-else")),
        "OAuthInvalidResponse"
    );
    assert_eq!(
        code(200, JSON, br#"{"email":"x"}"#, None),
        "OAuthInvalidResponse"
    );
    assert_eq!(
        code(200, JSON, br#"{"sub":1}"#, None),
        "OAuthInvalidResponse"
    );
    assert_eq!(code(200, HTML, b"<html>", None), "OAuthInvalidResponse");

    let challenge = [(
        "WWW-Authenticate",
        r#"Bearer error="invalid_token", error_description="Access token has been revoked""#,
    )];
    assert_eq!(
        process_userinfo_response(401, &challenge, b"", None).unwrap_err(),
        Error::OAuth(OAuthError::EndpointError {
            endpoint: "userInfo",
            status: 401,
            error: "invalid_token".into(),
            description: Some("Access token has been revoked".into()),
        })
    );
    let json_error = br#"{"error":"invalid_token","error_description":"Access token is expired"}"#;
    assert_eq!(code(400, JSON, json_error, None), "OAuthEndpointError");
    let realm_only = [("www-authenticate", r#"Bearer realm="example""#)];
    assert_eq!(code(401, &realm_only, b"", None), "OAuthInvalidResponse");
}

#[test]
fn logout_url() {
    let url = public()
        .logout_url("https://app.example/signed-out?x=1")
        .unwrap();
    assert_eq!(
        url,
        "https://example.auth.us-east-1.amazoncognito.com/logout?client_id=pubclient&logout_uri=https%3A%2F%2Fapp.example%2Fsigned-out%3Fx%3D1"
    );
    assert_eq!(
        public().logout_url("not a url").unwrap_err().code(),
        "InvalidUrl"
    );
}

/// A whole browser flow against a scripted authorization server that checks
/// what a real one checks: the state comes back, and the verifier sent with
/// the code hashes to the challenge sent with the authorization request.
#[test]
fn whole_code_flow_with_pkce_checked_by_the_server() {
    let ui = public();
    let opts = AuthorizeOptions {
        redirect_uri: "https://app.example/cb",
        scopes: &["openid", "email"],
        app_state: Some("/orders/7"),
        ..Default::default()
    };
    let start = ui.authorize(&opts, 5_000).unwrap();
    let stored = start.transaction.to_storage_string();

    // The server side of /oauth2/authorize.
    let q: HashMap<String, String> =
        serde_urlencoded::from_str(start.url.split_once('?').unwrap().1).unwrap();
    let issued_code = "SplxlOBeZQQYbYS6WxSbIA";
    let callback = format!(
        "https://app.example/cb?code={issued_code}&state={}",
        q["state"]
    );

    // Back in the app.
    let params = parse_callback_url(&callback).unwrap();
    let tx = Transaction::parse(&stored).unwrap();
    let code =
        validate_callback(&params, Some(&tx), 5_030, DEFAULT_TRANSACTION_MAX_AGE, None).unwrap();
    assert_eq!(code, issued_code);
    assert_eq!(tx.app_state.as_deref(), Some("/orders/7"));
    assert_eq!(clean_callback_url(&callback), "https://app.example/cb");
    let req = ui.authorization_code_request(&code, &tx).unwrap();

    // The server side of /oauth2/token: RFC 7636 §4.6.
    let body = form_of(&req);
    let recomputed = URL_SAFE_NO_PAD.encode(Sha256::digest(body["code_verifier"].as_bytes()));
    assert_eq!(recomputed, q["code_challenge"]);
    assert_eq!(body["redirect_uri"], q["redirect_uri"]);
    assert_eq!(body["code"], issued_code);

    // The same callback a second time finds no transaction (it was removed).
    let again = validate_callback(&params, None, 5_031, DEFAULT_TRANSACTION_MAX_AGE, None);
    assert_eq!(again.unwrap_err().code(), "OAuthUnknownState");
    // A transaction from another sign-in (another tab) does not match.
    let other = ui.authorize(&opts, 5_000).unwrap().transaction;
    let cross = validate_callback(
        &params,
        Some(&other),
        5_030,
        DEFAULT_TRANSACTION_MAX_AGE,
        None,
    );
    assert_eq!(cross.unwrap_err().code(), "OAuthStateMismatch");
}

/// Nothing may panic on any input: every parser and processor is fed
/// random bytes and random mutations of valid inputs (a small xorshift
/// generator keeps the run reproducible and fast).
#[test]
fn no_panics_on_arbitrary_input() {
    use crate::json::Json;
    use crate::jwt::{decode_jwt, Jwks, JwtVerifier};
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let samples: [&[u8]; 6] = [
        COGNITO_TOKENS.as_bytes(),
        b"https://app.example/cb?code=abc&state=xyz&error=e&error_description=d+e%20f#frag",
        b"eyJraWQiOiJrIiwiYWxnIjoiUlMyNTYifQ.eyJpc3MiOiJ4IiwiZXhwIjoxLjVlMywiYXVkIjpbImEiXX0.c2ln",
        br#"{"keys":[{"kty":"RSA","kid":"k","n":"AQAB","e":"AQAB","use":"sig"}]}"#,
        b"v=1&state=s&nonce=n&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk&redirect_uri=x%3Ay&created_at=1",
        br#"[{"a":"\ud83d\ude00\u0000","b":-0.5e-7,"c":[true,false,null]}]"#,
    ];
    let alphabet = b"{}[]\":,.-+eE0123456789\\u%&=?#abcdefXYZ_~ \t\n<>\xff\xc3";
    let verifier = JwtVerifier::cognito("us-east-1_x", Some("a"), None).unwrap();
    let keys = Jwks::parse(samples[3]).unwrap();
    for round in 0..20_000u32 {
        let mut input: Vec<u8> = if round % 4 == 0 {
            (0..next() % 64)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect()
        } else {
            samples[(next() % samples.len() as u64) as usize].to_vec()
        };
        for _ in 0..=(next() % 4) {
            if input.is_empty() {
                break;
            }
            let i = (next() % input.len() as u64) as usize;
            match next() % 3 {
                0 => input[i] = alphabet[(next() % alphabet.len() as u64) as usize],
                1 => {
                    input.remove(i);
                }
                _ => input.truncate(i),
            }
        }
        let text = String::from_utf8_lossy(&input);
        let _ = Json::parse(&input).map(|j| j.to_json_string());
        let _ = Jwks::parse(&input);
        let _ = decode_jwt(&text);
        let _ = verifier.prepare(&text, &keys);
        let _ = parse_callback_url(&text);
        let _ = clean_callback_url(&text);
        let _ = Transaction::parse(&text);
        let _ = HostedUi::new(&text, "c", None);
        let _ = public().logout_url(&text);
        for status in [200, 400] {
            let _ = process_token_response(status, JSON, &input, true);
            let _ =
                process_userinfo_response(status, &[("www-authenticate", &*text)], &input, None);
            let _ = process_revoke_response(status, HTML, &input);
        }
    }
}

/// A JWT-shaped token whose claims are `claims` (unsigned: timing only).
fn unsigned_jwt(claims: &str) -> String {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    format!(
        "{}.{}.sig",
        URL_SAFE_NO_PAD.encode(br#"{"alg":"RS256"}"#),
        URL_SAFE_NO_PAD.encode(claims)
    )
}

#[test]
fn token_responses_become_session_tokens() {
    let oauth = |id: Option<&str>, refresh: Option<&str>, expires_in| TokenSet {
        access_token: unsigned_jwt(r#"{"iat":1000,"exp":1600}"#),
        token_type: "Bearer".into(),
        expires_in,
        id_token: id.map(str::to_owned),
        refresh_token: refresh.map(str::to_owned),
        scope: None,
    };
    // exp − iat (600) is shorter than expires_in: it wins; skew from iat.
    let t = oauth(Some("id1"), Some("r1"), Some(3600))
        .into_session_tokens(2_000, None, None)
        .unwrap();
    assert_eq!((t.expires_at, t.clock_skew), (2_600, -1_000));
    assert_eq!(
        (t.id_token.as_str(), t.refresh_token.as_deref()),
        ("id1", Some("r1"))
    );
    // The Date header gives the skew when present (RFC 9110 §6.6.1).
    let t = oauth(Some("id1"), None, Some(60))
        .into_session_tokens(784_111_700, Some("Sun, 06 Nov 1994 08:49:37 GMT"), None)
        .unwrap();
    assert_eq!((t.expires_at, t.clock_skew), (784_111_760, 77));
    // A refresh keeps the previous refresh token (no rotation) and ID token.
    let fresh = oauth(None, None, None)
        .into_session_tokens(2_000, None, Some(&t))
        .unwrap();
    assert_eq!(fresh.id_token, "id1");
    assert_eq!(fresh.refresh_token, t.refresh_token);
    assert_eq!(fresh.expires_in, 3600);
    // A code exchange without an ID token cannot make a session.
    let err = oauth(None, Some("r"), Some(60))
        .into_session_tokens(0, None, None)
        .unwrap_err();
    assert_eq!(err.code(), "OAuthInvalidResponse");
}

#[test]
fn endpoint_failures_worth_retrying_are_transient() {
    let endpoint = |status: u16, error: &str| {
        crate::Error::OAuth(OAuthError::EndpointError {
            endpoint: "token",
            status,
            error: error.into(),
            description: None,
        })
    };
    let unreadable = |status: u16| {
        crate::Error::OAuth(OAuthError::InvalidResponse {
            endpoint: "token",
            status,
            reason: "not JSON",
        })
    };
    for e in [
        endpoint(503, "whatever"),
        endpoint(429, "slow_down"),
        endpoint(400, "temporarily_unavailable"),
        endpoint(400, "server_error"),
        unreadable(502),
        unreadable(503),
        unreadable(429),
    ] {
        assert!(e.is_transient(), "{}", e.message());
    }
    for e in [
        endpoint(400, "invalid_grant"),
        endpoint(401, "invalid_client"),
        unreadable(200),
        unreadable(400),
        crate::Error::OAuth(OAuthError::StateMismatch),
    ] {
        assert!(!e.is_transient(), "{}", e.message());
    }
}

/// Regression, as `cognito::tests::access_token_times_beyond_i64_do_not_overflow`
/// for the hosted UI's token responses.
#[test]
fn access_token_times_beyond_i64_do_not_overflow() {
    let now = 1_764_547_200;
    for claims in [
        r#"{"exp":1e19,"iat":-1}"#,
        r#"{"exp":1,"iat":-1e19}"#,
        // The fuzz target `oauth_response`'s crash: a skew that did not
        // survive storage.
        r#"{"exp":179662148184467440737095516169,"iat":19223372036854775807796617889}"#,
    ] {
        let t = TokenSet {
            access_token: unsigned_jwt(claims),
            token_type: "Bearer".into(),
            id_token: Some("i".into()),
            refresh_token: None,
            expires_in: Some(3600),
            scope: None,
        };
        let s = t.into_session_tokens(now, None, None).unwrap();
        assert!(s.expires_at <= now + 3600, "{claims}: {}", s.expires_at);
        let back = crate::cognito::TokenSet::from_storage_string(&s.to_storage_string());
        assert!(back.as_ref() == Some(&s), "{claims}: {}", s.clock_skew);
    }
}
