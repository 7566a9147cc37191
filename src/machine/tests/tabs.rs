//! Finding 7 of the security review: any same-origin document can listen on
//! the tabs' channel, so the refresh token never crosses it. A tab that
//! adopted a session has the tab holding the token refresh for it, and asks
//! it to revoke the token on sign-out. Each tab is its own `World` (its own
//! `sessionStorage`); the test carries the messages between them.

use super::{args, auth_result, body, error, options, World};
use crate::machine::{client_from_options, start_client_op, Client};
use crate::session::SessionRecord;
use serde_json::{json, Value};

const KEY: &str = "cognito-wasm.client.session";

/// Cognito: a password sign-in gives `r1`; a refresh rotates it to `r2`.
fn server(w: &World) -> impl FnMut(&str, &Value) -> (u16, Value) {
    let now = w.now();
    move |op, _| match op {
        "InitiateAuth" => (200, auth_result(now, 3600, Some("r1"))),
        "GetTokensFromRefreshToken" => (200, auth_result(now + 1, 3600, Some("r2"))),
        "RevokeToken" => (200, json!({})),
        _ => error("NotAuthorizedException"),
    }
}

/// A tab of its own: `sessionStorage`, a channel, started.
fn tab() -> (World, Client) {
    let mut w = World::new(|_, _| error("NotAuthorizedException"));
    w.server = Box::new(server(&w));
    w.channel = true;
    let o = options(json!({"storage": "session", "webStorage": {"session": true}}));
    let client = client_from_options(&o).unwrap();
    w.call(&client, "start", json!({})).unwrap();
    w.effects.clear();
    (w, client)
}

fn sign_in(w: &mut World, client: &Client) {
    let m = start_client_op(
        client,
        "signIn",
        args(json!({"username":"alice","password":"pw","authFlow":"USER_PASSWORD_AUTH"})),
    );
    assert_eq!(w.run(m).unwrap()["done"], true);
}

/// The messages the tab posted on the channel.
fn posted(w: &World) -> Vec<Value> {
    w.effects
        .iter()
        .filter(|e| e["t"] == "post")
        .map(|e| e["message"].clone())
        .collect()
}

fn stored(w: &World) -> SessionRecord {
    SessionRecord::from_storage_string(&w.storage[KEY]).unwrap()
}

fn carried(message: &Value) -> SessionRecord {
    SessionRecord::from_storage_string(message["r"].as_str().unwrap()).unwrap()
}

/// Tab B has adopted tab A's session, as posted on A's sign-in.
fn adopted() -> ((World, Client), (World, Client)) {
    let (mut wa, a) = tab();
    sign_in(&mut wa, &a);
    let signed_in = posted(&wa).pop().unwrap();
    assert_eq!(signed_in["t"], "signedIn");
    let (mut wb, b) = tab();
    wb.call(&b, "message", signed_in).unwrap();
    assert_eq!(wb.emitted(), ["signedIn"]);
    wa.effects.clear();
    wb.effects.clear();
    ((wa, a), (wb, b))
}

#[test]
fn the_channel_never_carries_the_refresh_token() {
    let (mut w, client) = tab();
    sign_in(&mut w, &client);
    w.call(&client, "message", json!({"t": "ask"})).unwrap();
    w.call(&client, "getTokens", json!({"forceRefresh": true}))
        .unwrap();
    let posts = posted(&w);
    let kinds: Vec<_> = posts.iter().map(|m| m["t"].clone()).collect();
    assert_eq!(kinds, ["signedIn", "session", "tokenRefresh"]);
    for m in &posts {
        let text = m.to_string();
        assert!(!text.contains("r1") && !text.contains("r2"), "{text}");
        assert_eq!(carried(m).tokens.refresh_token, None);
    }
    // This tab keeps its own (rotated) refresh token.
    assert_eq!(stored(&w).tokens.refresh_token.as_deref(), Some("r2"));
}

#[test]
fn an_adopted_session_has_no_refresh_token_and_a_holder_keeps_its_own() {
    let ((mut wa, a), (wb, _)) = adopted();
    let b_record = stored(&wb);
    assert_eq!(b_record.tokens.refresh_token, None);
    assert_eq!(
        b_record.tokens.access_token,
        stored(&wa).tokens.access_token
    );
    // A newer record for the same user, as another tab refreshed it: A
    // takes its tokens and keeps its refresh token.
    let mut newer = b_record.clone();
    newer.tokens.expires_at += 600;
    newer.tokens.access_token = super::jwt(json!({"username": "alice", "n": 2}));
    let m = json!({"t": "tokenRefresh", "r": newer.to_storage_string()});
    wa.call(&a, "message", m).unwrap();
    let kept = stored(&wa);
    assert_eq!(kept.tokens.access_token, newer.tokens.access_token);
    assert_eq!(kept.tokens.refresh_token.as_deref(), Some("r1"));
}

#[test]
fn a_tab_without_the_refresh_token_has_the_holder_refresh() {
    let ((mut wa, a), (mut wb, b)) = adopted();
    let old = stored(&wb).tokens.access_token;
    // Both tabs are within the refresh margin (120 s) of expiry.
    wa.now_ms = (stored(&wa).tokens.expires_at - 30) as f64 * 1000.0;
    wb.now_ms = wa.now_ms;

    // What B will post is carried to A, and A's answer back to B.
    let question = json!({"t": "refresh", "a": old});
    wa.call(&a, "message", question.clone()).unwrap();
    assert_eq!(wa.ops(), ["GetTokensFromRefreshToken"]);
    let answer = posted(&wa).pop().unwrap();
    assert_eq!(answer["t"], "session");
    assert_eq!(carried(&answer).tokens.refresh_token, None);
    assert_eq!(stored(&wa).tokens.refresh_token.as_deref(), Some("r2"));

    wb.answers.push_back(answer["r"].clone());
    let tokens = wb.call(&b, "getTokens", json!({})).unwrap();
    let ask = wb.effects.iter().find(|e| e["t"] == "ask").unwrap();
    assert_eq!(ask["message"], question);
    assert_eq!(
        tokens["accessToken"],
        json!(stored(&wa).tokens.access_token)
    );
    assert_ne!(tokens["accessToken"], json!(old));
    assert!(wb.ops().is_empty(), "B makes no request: {:?}", wb.ops());
    assert_eq!(wb.emitted(), ["tokenRefresh"]);
    assert!(posted(&wb).is_empty(), "B does not post A's tokens again");
    assert_eq!(stored(&wb).tokens.refresh_token, None);

    // Asked again with the old token, A answers its newer tokens and makes
    // no request.
    wa.effects.clear();
    wa.call(&a, "message", question.clone()).unwrap();
    assert!(wa.ops().is_empty());
    assert_eq!(carried(&posted(&wa)[0]), stored(&wb));
    // A tab without the refresh token does not answer, nor does a holder
    // asked without an access token.
    wb.effects.clear();
    wb.call(&b, "message", question).unwrap();
    wa.effects.clear();
    wa.call(&a, "message", json!({"t": "refresh"})).unwrap();
    assert!(posted(&wb).is_empty() && posted(&wa).is_empty());
}

#[test]
fn unanswered_the_adopted_tokens_last_until_expiry_then_end_in_that_tab_only() {
    let ((_, _), (mut wb, b)) = adopted();
    let record = stored(&wb);
    // Within the refresh margin but not expired: the tokens held.
    wb.now_ms = (record.tokens.expires_at - 30) as f64 * 1000.0;
    let tokens = wb.call(&b, "getTokens", json!({})).unwrap();
    assert_eq!(tokens["accessToken"], json!(record.tokens.access_token));
    assert!(wb.effects.iter().any(|e| e["t"] == "ask"));
    // Expired: the session ends here, and the other tabs are not told.
    wb.effects.clear();
    wb.now_ms = (record.tokens.expires_at + 1) as f64 * 1000.0;
    let e = wb.call(&b, "getTokens", json!({})).unwrap_err();
    assert_eq!(e["code"], "SessionExpired");
    assert!(!wb.storage.contains_key(KEY));
    assert_eq!(wb.emitted(), ["sessionExpired"]);
    assert!(posted(&wb).is_empty());
    assert!(wb.ops().is_empty());
}

#[test]
fn a_sign_out_without_the_refresh_token_has_the_holder_revoke_it() {
    let ((mut wa, a), (mut wb, b)) = adopted();
    wb.call(&b, "signOut", json!({})).unwrap();
    assert!(wb.ops().is_empty());
    let out = posted(&wb);
    assert_eq!(out, [json!({"t": "signedOut", "revoke": true})]);
    wa.call(&a, "message", out[0].clone()).unwrap();
    assert_eq!(wa.ops(), ["RevokeToken"]);
    let revoke = wa.effects.iter().find(|e| e["t"] == "http").unwrap();
    assert_eq!(body(revoke)["Token"], "r1");
    assert!(!wa.storage.contains_key(KEY));
    assert_eq!(wa.emitted(), ["signedOut"]);

    // Without `revoke` (asked so, or from a tab that revoked its own).
    let ((mut wa, a), (mut wb, b)) = adopted();
    wb.call(&b, "signOut", json!({"revoke": false})).unwrap();
    assert_eq!(posted(&wb), [json!({"t": "signedOut"})]);
    wa.call(&a, "message", posted(&wb)[0].clone()).unwrap();
    assert!(wa.ops().is_empty());
    assert!(!wa.storage.contains_key(KEY));
    // The holder signing out revokes its own and asks nothing of others.
    let ((mut wa, a), _) = adopted();
    wa.call(&a, "signOut", json!({})).unwrap();
    assert_eq!(wa.ops(), ["RevokeToken"]);
    assert_eq!(posted(&wa), [json!({"t": "signedOut"})]);
}

#[test]
fn a_page_asking_for_refreshes_gets_at_most_one_a_minute_before_expiry() {
    let ((mut wa, a), _) = adopted();
    let ask = |w: &World| json!({"t": "refresh", "a": stored(w).tokens.access_token});
    // Not due: the first ask is a forced refresh (another tab's
    // forceRefresh); asks within the next minute are answered, not made.
    let q = ask(&wa);
    wa.call(&a, "message", q).unwrap();
    assert_eq!(wa.ops(), ["GetTokensFromRefreshToken"]);
    for _ in 0..5 {
        wa.now_ms += 10_000.0;
        let q = ask(&wa);
        wa.call(&a, "message", q).unwrap();
    }
    assert_eq!(wa.ops().len(), 1, "{:?}", wa.ops());
    assert_eq!(
        carried(posted(&wa).last().unwrap()).tokens.access_token,
        stored(&wa).tokens.access_token
    );
    // A minute on, one more.
    wa.now_ms += 11_000.0;
    let q = ask(&wa);
    wa.call(&a, "message", q).unwrap();
    assert_eq!(wa.ops().len(), 2);
    let q = ask(&wa);
    wa.call(&a, "message", q).unwrap();
    assert_eq!(wa.ops().len(), 2);
    // Due (within the margin of expiry): refreshed whenever asked.
    wa.now_ms = (stored(&wa).tokens.expires_at - 30) as f64 * 1000.0;
    let q = ask(&wa);
    wa.call(&a, "message", q).unwrap();
    assert_eq!(wa.ops().len(), 3);
}

#[test]
fn a_refresh_in_the_same_second_as_the_sign_in_is_taken() {
    // The holder refreshed within the second of its sign-in: new tokens, the
    // same expiry. Compared by `exp` alone they looked stale, and the tab
    // that asked waited for nothing and ended its session.
    let (_, (mut wb, b)) = adopted();
    let old = stored(&wb);
    wb.now_ms = (old.tokens.expires_at - 30) as f64 * 1000.0;
    let mut fresh = old.clone();
    fresh.tokens.access_token = super::jwt(
        json!({"sub":"s1","username":"alice","exp":old.tokens.expires_at,"token_use":"access","jti":"2"}),
    );
    // First the tab's own tokens come back (a slow answer), then the new ones.
    wb.answers.push_back(json!(old.to_storage_string()));
    wb.answers.push_back(json!(fresh.to_storage_string()));
    let tokens = wb.call(&b, "getTokens", json!({})).unwrap();
    assert_eq!(tokens["accessToken"], json!(fresh.tokens.access_token));
    assert_eq!(stored(&wb).tokens.access_token, fresh.tokens.access_token);
    assert_eq!(wb.emitted(), ["tokenRefresh"]);
}
