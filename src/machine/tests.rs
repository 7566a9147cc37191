//! The machines' protocol decisions, natively: each test plays the driver
//! with a scripted server (a fake one is fine here: the flows themselves are
//! proven against the emulator and moto by the JS suites) and checks the
//! effects a machine asks for and what it decides.

use super::{start_client_op, start_oauth_op, Machine};
use crate::json::Json;
use crate::machine::client_from_options;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};
use std::collections::BTreeMap;

const NOW_MS: f64 = 1_763_780_000_000.0;
const POOL: &str = "us-east-1_Pool";
const ISSUER: &str = "http://127.0.0.1:9/us-east-1_Pool";

type Server = Box<dyn FnMut(&str, &Value) -> (u16, Value)>;

/// The driver's side: storage, clock, server, and every effect seen.
struct World {
    now_ms: f64,
    storage: BTreeMap<String, String>,
    server: Server,
    effects: Vec<Value>,
    /// The driver has a tabs' channel (`listen` answers so).
    channel: bool,
    /// The answers to `ask` effects, in order (then null: nobody answered).
    answers: std::collections::VecDeque<Value>,
}

fn jwt(claims: Value) -> String {
    let b = |v: Value| URL_SAFE_NO_PAD.encode(v.to_string());
    [
        b(json!({"alg":"RS256","kid":"k1"})),
        b(claims),
        "c2ln".to_owned(),
    ]
    .join(".")
}

/// An `AuthenticationResult` whose access token lives `life` seconds.
fn auth_result(now: i64, life: i64, refresh: Option<&str>) -> Value {
    let access =
        jwt(json!({"sub":"s1","username":"alice","iat":now,"exp":now + life,"token_use":"access"}));
    let id = jwt(json!({"sub":"s1","aud":"client","token_use":"id","iat":now,"exp":now + life}));
    let mut r =
        json!({"AccessToken": access, "IdToken": id, "ExpiresIn": life, "TokenType": "Bearer"});
    if let Some(t) = refresh {
        r["RefreshToken"] = json!(t);
    }
    json!({"AuthenticationResult": r, "ChallengeParameters": {}})
}

fn error(name: &str) -> (u16, Value) {
    (400, json!({"__type": name, "message": "no"}))
}

/// The operation an http effect calls (`X-Amz-Target`), or its URL path.
fn operation(effect: &Value) -> String {
    let headers = effect["headers"].as_array().cloned().unwrap_or_default();
    for h in headers {
        if h[0]
            .as_str()
            .unwrap_or("")
            .eq_ignore_ascii_case("x-amz-target")
        {
            let t = h[1].as_str().unwrap_or("");
            return t.rsplit('.').next().unwrap_or(t).to_owned();
        }
    }
    let url = effect["url"].as_str().unwrap_or("");
    url.split("://")
        .nth(1)
        .and_then(|r| r.find('/').map(|i| r[i..].to_owned()))
        .unwrap_or_default()
}

fn body(effect: &Value) -> Value {
    serde_json::from_str(effect["body"].as_str().unwrap_or("null")).unwrap_or(Value::Null)
}

impl World {
    fn new(server: impl FnMut(&str, &Value) -> (u16, Value) + 'static) -> World {
        World {
            now_ms: NOW_MS,
            storage: BTreeMap::new(),
            server: Box::new(server),
            effects: Vec::new(),
            channel: false,
            answers: Default::default(),
        }
    }

    fn now(&self) -> i64 {
        (self.now_ms / 1000.0) as i64
    }

    /// Performs one effect: its value, or its failure.
    fn perform(&mut self, e: &Value) -> Result<Value, Value> {
        let key = e["key"].as_str().unwrap_or("").to_owned();
        Ok(match e["t"].as_str().unwrap() {
            "http" => {
                let op = operation(e);
                let (status, body) = (self.server)(&op, e);
                let text = match body {
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                json!({"status": status, "headers": [["content-type", "application/x-amz-json-1.1"]], "body": text})
            }
            "sleep" => {
                self.now_ms += e["ms"].as_f64().unwrap();
                Value::Null
            }
            "get" => self.storage.get(&key).map_or(Value::Null, |v| json!(v)),
            "set" => {
                self.storage
                    .insert(key, e["value"].as_str().unwrap().to_owned());
                Value::Null
            }
            "remove" => {
                self.storage.remove(&key);
                Value::Null
            }
            "lock" => json!(false),
            "listen" => json!({"channel": self.channel, "hidden": false}),
            "ask" => {
                if let Some(ms) = e["ms"].as_f64() {
                    self.now_ms += if self.answers.is_empty() { ms } else { 1.0 };
                }
                self.answers.pop_front().unwrap_or(Value::Null)
            }
            "navigate" => json!(true),
            "verify" => json!(true),
            "srp" => match e["op"].as_str().unwrap() {
                "prepare" => {
                    let n = self.effects.len();
                    json!({"id": format!("e{n}"), "publicA": format!("a{n}")})
                }
                "answer" => {
                    json!({"signature": "c2ln", "timestamp": "Mon Jan 1 00:00:00 UTC 2024"})
                }
                "deviceVerifier" => {
                    json!({"password": "pw", "salt": "c2FsdA==", "verifier": "dg=="})
                }
                _ => Value::Null,
            },
            _ => Value::Null,
        })
    }

    /// Runs `client`'s `method` with `arg` to its end.
    fn call(&mut self, client: &super::Client, method: &str, arg: Value) -> Result<Value, Value> {
        self.run(start_client_op(client, method, args(arg)))
    }

    /// Runs `m` to its end: its value, or its error object.
    fn run(&mut self, mut m: Machine) -> Result<Value, Value> {
        let first = json!({ "now": self.now_ms });
        self.drive(&mut m, first)
    }

    /// Feeds `m` the input `first`, then performs its effects to its end.
    fn drive(&mut self, m: &mut Machine, first: Value) -> Result<Value, Value> {
        let mut input = first;
        loop {
            let out = m.step(input.to_string().as_bytes()).to_json_string();
            let out: Value = serde_json::from_str(&out).unwrap();
            match out["t"].as_str().unwrap() {
                "done" => return Ok(out["v"].clone()),
                "error" => return Err(out),
                _ => {}
            }
            self.effects.push(out.clone());
            input = match self.perform(&out) {
                Ok(v) => json!({"now": self.now_ms, "v": v}),
                Err(e) => json!({"now": self.now_ms, "e": e}),
            };
        }
    }

    /// Starts `m` and performs its effects up to its `lock`, left waiting.
    fn until_lock(&mut self, m: &mut Machine) {
        let mut input = json!({ "now": self.now_ms });
        loop {
            let out = m.step(input.to_string().as_bytes()).to_json_string();
            let out: Value = serde_json::from_str(&out).unwrap();
            if out["t"] == "lock" {
                return;
            }
            input = json!({"now": self.now_ms, "v": self.perform(&out).unwrap()});
        }
    }

    /// Grants the lock `m` waits for (within this realm) and runs it on.
    fn after_lock(&mut self, m: &mut Machine) -> Result<Value, Value> {
        let granted = json!({"now": self.now_ms, "v": false});
        self.drive(m, granted)
    }

    fn ops(&self) -> Vec<String> {
        self.effects
            .iter()
            .filter(|e| e["t"] == "http")
            .map(operation)
            .collect()
    }

    fn emitted(&self) -> Vec<String> {
        self.effects
            .iter()
            .filter(|e| e["t"] == "emit")
            .map(|e| e["name"].as_str().unwrap().to_owned())
            .collect()
    }
}

fn options(extra: Value) -> Json {
    let mut o = json!({"userPoolId": POOL, "clientId": "client", "endpoint": "http://127.0.0.1:9/", "storage": "memory"});
    for (k, v) in extra.as_object().unwrap() {
        o[k] = v.clone();
    }
    Json::parse(o.to_string().as_bytes()).unwrap()
}

fn args(v: Value) -> Json {
    Json::parse(v.to_string().as_bytes()).unwrap()
}

/// A client signed in with `USER_PASSWORD_AUTH` (tokens for an hour).
fn signed_in(world: &mut World) -> super::Client {
    let client = client_from_options(&options(json!({}))).unwrap();
    let m = start_client_op(
        &client,
        "signIn",
        args(json!({"username":"alice","password":"pw","authFlow":"USER_PASSWORD_AUTH"})),
    );
    let step = world.run(m).unwrap();
    assert_eq!(step["done"], true);
    world.effects.clear();
    client
}

fn password_server(now: i64) -> impl FnMut(&str, &Value) -> (u16, Value) {
    move |op, _| match op {
        "InitiateAuth" => (200, auth_result(now, 3600, Some("r1"))),
        _ => error("NotAuthorizedException"),
    }
}

#[test]
fn refresh_falls_back_to_refresh_token_auth_once_and_remembers() {
    let now = (NOW_MS / 1000.0) as i64;
    let mut w = World::new(move |op, e| match op {
        "InitiateAuth" if body(e)["AuthFlow"] == "USER_PASSWORD_AUTH" => {
            (200, auth_result(now, 3600, Some("r1")))
        }
        "GetTokensFromRefreshToken" => error("UnknownOperationException"),
        "InitiateAuth" => (200, auth_result(now + 3590, 3600, None)),
        _ => error("InternalErrorException"),
    });
    let client = signed_in(&mut w);
    w.now_ms += 3_590_000.0; // within the refresh margin
    let tokens = w.call(&client, "getTokens", json!({})).unwrap();
    assert_eq!(w.ops(), ["GetTokensFromRefreshToken", "InitiateAuth"]);
    assert_eq!(
        tokens["refreshToken"], "r1",
        "a refresh without rotation keeps the refresh token"
    );
    assert_eq!(w.emitted(), ["tokenRefresh"]);
    w.effects.clear();
    w.call(&client, "getTokens", json!({"forceRefresh": true}))
        .unwrap();
    assert_eq!(
        w.ops(),
        ["InitiateAuth"],
        "the unknown operation is not tried again"
    );
}

#[test]
fn only_a_rejected_refresh_token_ends_the_session() {
    let now = (NOW_MS / 1000.0) as i64;
    let answer = alloc::rc::Rc::new(std::cell::Cell::new(500u16));
    let a = answer.clone();
    let mut w = World::new(move |op, e| match op {
        "InitiateAuth" if body(e)["AuthFlow"] == "USER_PASSWORD_AUTH" => {
            (200, auth_result(now, 3600, Some("r1")))
        }
        _ if a.get() == 500 => (500, json!("<html>down</html>")),
        _ => error("NotAuthorizedException"),
    });
    let client = signed_in(&mut w);
    let key = "cognito-wasm.client.session";
    let force = || args(json!({"forceRefresh": true}));
    let e = w
        .run(start_client_op(&client, "getTokens", force()))
        .unwrap_err();
    assert_eq!(e["transient"], true, "{e}");
    assert!(
        w.storage.contains_key(key),
        "a server error keeps the session"
    );
    assert_eq!(w.emitted(), ["tokenRefreshFailure"]);
    answer.set(400);
    w.effects.clear();
    let e = w
        .run(start_client_op(&client, "getTokens", force()))
        .unwrap_err();
    assert_eq!(e["code"], "SessionExpired");
    assert!(
        !w.storage.contains_key(key),
        "a rejected refresh token ends it"
    );
    assert_eq!(w.emitted(), ["sessionExpired"]);
    let e = w.call(&client, "getTokens", json!({})).unwrap_err();
    assert_eq!(e["code"], "NotSignedIn");
}

#[test]
fn a_caller_that_waited_for_the_lock_takes_the_refresh_that_held_it() {
    let now = (NOW_MS / 1000.0) as i64;
    let mut w = World::new(move |op, e| match op {
        "InitiateAuth" if body(e)["AuthFlow"] == "USER_PASSWORD_AUTH" => {
            (200, auth_result(now, 3600, Some("r1")))
        }
        "GetTokensFromRefreshToken" => (200, auth_result(now, 3600, Some("r2"))),
        _ => error("NotAuthorizedException"),
    });
    let client = signed_in(&mut w);
    let force = || args(json!({"forceRefresh": true}));
    // B reads the session and asks for the lock; A holds it meanwhile.
    let mut b = start_client_op(&client, "getTokens", force());
    w.until_lock(&mut b);
    let a = w
        .run(start_client_op(&client, "getTokens", force()))
        .unwrap();
    assert_eq!(w.ops(), ["GetTokensFromRefreshToken"]);
    // Granted now: B uses A's outcome, no second request.
    let b_tokens = w.after_lock(&mut b).unwrap();
    assert_eq!(a["accessToken"], b_tokens["accessToken"]);
    assert_eq!(w.ops().len(), 1);
}

fn record(world: &World, expires_in: i64) -> String {
    record_with(world, expires_in, None)
}

/// A stored session whose ID token has `id_claims` (else the usual ones).
fn record_with(world: &World, expires_in: i64, id_claims: Option<Value>) -> String {
    let now = world.now();
    let mut result = auth_result(now, expires_in, Some("r9"))["AuthenticationResult"].clone();
    if let Some(claims) = id_claims {
        result["IdToken"] = json!(jwt(claims));
    }
    let tokens = crate::cognito::TokenSet::from_result(
        "InitiateAuth",
        &Json::parse(result.to_string().as_bytes()).unwrap(),
        now,
        None,
    )
    .unwrap();
    crate::session::SessionRecord::new(tokens, "alice", crate::session::Source::Api, None)
        .to_storage_string()
}

#[test]
fn a_late_refresh_from_another_tab_never_replaces_a_newer_session() {
    let now = (NOW_MS / 1000.0) as i64;
    let mut w = World::new(password_server(now));
    let client = signed_in(&mut w);
    let key = "cognito-wasm.client.session";
    let mine = w.storage[key].clone();
    let older = record(&w, 1800);
    w.call(&client, "message", json!({"t": "tokenRefresh", "r": older}))
        .unwrap();
    assert_eq!(w.storage[key], mine, "an older record is ignored");
    assert!(w.emitted().is_empty());
    let newer = record(&w, 7200);
    w.call(&client, "message", json!({"t": "tokenRefresh", "r": newer}))
        .unwrap();
    assert_eq!(w.storage[key], newer);
    assert_eq!(w.emitted(), ["tokenRefresh"]);
    w.effects.clear();
    w.call(&client, "message", json!({"t": "signedOut"}))
        .unwrap();
    assert!(!w.storage.contains_key(key));
    assert_eq!(w.emitted(), ["signedOut"]);
    // Garbage from the channel changes nothing.
    w.call(&client, "message", json!({"t": 5, "r": []}))
        .unwrap();
}

/// Finding 7 of the security review (in part): any same-origin script can
/// post on the tabs' channel, so a record is adopted only if its ID token is
/// this client's, and a refresh only if it is about the same user.
#[test]
fn a_posted_session_of_another_client_or_user_is_not_adopted() {
    let now = (NOW_MS / 1000.0) as i64;
    let mut w = World::new(password_server(now));
    let client = signed_in(&mut w);
    let key = "cognito-wasm.client.session";
    let mine = w.storage[key].clone();
    let id = |aud: Value, sub: &str, token_use: &str| {
        Some(json!({"sub": sub, "aud": aud, "token_use": token_use}))
    };
    for (t, claims) in [
        ("signedIn", id(json!("other-client"), "s1", "id")),
        ("signedIn", id(json!(["other-client"]), "s1", "id")),
        ("signedIn", id(json!("client"), "s1", "access")),
        ("signedIn", Some(json!({"sub": "s1"}))),
        ("tokenRefresh", id(json!("client"), "mallory", "id")),
    ] {
        let forged = record_with(&w, 7200, claims.clone());
        w.call(&client, "message", json!({"t": t, "r": forged}))
            .unwrap();
        assert_eq!(w.storage[key], mine, "{t} {claims:?} is ignored");
        assert!(w.emitted().is_empty(), "{t} {claims:?}");
    }
    // The same user's refresh, and another user's sign-in, are adopted.
    let refreshed = record_with(&w, 7200, id(json!(["client"]), "s1", "id"));
    w.call(
        &client,
        "message",
        json!({"t": "tokenRefresh", "r": refreshed}),
    )
    .unwrap();
    assert_eq!(w.storage[key], refreshed);
    let other_user = record_with(&w, 7200, id(json!("client"), "s2", "id"));
    w.call(
        &client,
        "message",
        json!({"t": "signedIn", "r": other_user}),
    )
    .unwrap();
    assert_eq!(w.storage[key], other_user);
    assert_eq!(w.emitted(), ["tokenRefresh", "signedIn"]);
}

fn hosted_options() -> Json {
    options(
        json!({"hostedUi": {"domain": "https://auth.example.com", "redirectUri": "https://app.example.com/cb", "logoutUri": "https://app.example.com/bye", "scopes": ["openid"]}}),
    )
}

/// A token endpoint and JWKS for the hosted UI; the ID token carries the
/// nonce of the transaction stored under `state`.
fn hosted_server(
    nonce: alloc::rc::Rc<std::cell::RefCell<String>>,
    now: i64,
) -> impl FnMut(&str, &Value) -> (u16, Value) {
    move |op, _| match op {
        "/oauth2/token" => {
            let id = jwt(
                json!({"sub":"s1","iss":ISSUER,"aud":"client","token_use":"id","iat":now,"exp":now+3600,"nonce":*nonce.borrow(),"cognito:username":"alice"}),
            );
            let access = jwt(
                json!({"sub":"s1","iss":ISSUER,"client_id":"client","token_use":"access","iat":now,"exp":now+3600,"username":"alice"}),
            );
            (
                200,
                json!({"id_token": id, "access_token": access, "refresh_token": "r1", "token_type": "Bearer", "expires_in": 3600}),
            )
        }
        "/us-east-1_Pool/.well-known/jwks.json" => (
            200,
            json!({"keys": [{"kty":"RSA","kid":"k1","alg":"RS256","use":"sig","n":"sXch","e":"AQAB"}]}),
        ),
        "/oauth2/revoke" => (200, json!({})),
        _ => (404, json!({})),
    }
}

/// The value of `name` in a query or form string.
fn param_of(text: &str, name: &str) -> String {
    let start = [name, "="].concat();
    let at = text.find(&start).unwrap() + start.len();
    text[at..].split('&').next().unwrap().to_owned()
}

/// Starts a hosted-UI sign-in without navigating: its `state`, the server
/// set to put the transaction's nonce in its ID token.
fn start_redirect(
    w: &mut World,
    client: &super::Client,
    nonce: &std::cell::RefCell<String>,
) -> String {
    let m = start_client_op(
        client,
        "signInWithRedirect",
        args(json!({"navigate": false})),
    );
    let url = w.run(m).unwrap();
    let state = param_of(url.as_str().unwrap(), "state");
    let stored = &w.storage[&format!("cognito-wasm.client.oauth.{state}")];
    *nonce.borrow_mut() = param_of(stored, "nonce");
    state
}

/// A hosted-UI client and its server, at `NOW_MS`: the world, the client,
/// the nonce the server puts in its ID tokens, and the time in seconds.
fn hosted_world() -> (
    World,
    super::Client,
    alloc::rc::Rc<std::cell::RefCell<String>>,
    i64,
) {
    let now = (NOW_MS / 1000.0) as i64;
    let nonce = alloc::rc::Rc::new(std::cell::RefCell::new(String::new()));
    let w = World::new(hosted_server(nonce.clone(), now));
    let client = client_from_options(&hosted_options()).unwrap();
    (w, client, nonce, now)
}

#[test]
fn a_replayed_callback_is_refused_and_a_forged_one_told_apart() {
    let (mut w, client, nonce, _) = hosted_world();
    let state = start_redirect(&mut w, &client, &nonce);
    assert!(
        !w.effects.iter().any(|e| e["t"] == "navigate"),
        "navigate: false"
    );
    // A callback with another state while this sign-in waits: forged.
    let forged =
        "https://app.example.com/cb?code=c&state=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    let e = w
        .call(&client, "handleRedirectCallback", json!(forged))
        .unwrap_err();
    assert_eq!(e["code"], "OAuthStateMismatch", "{e}");
    assert!(w.ops().is_empty(), "no code exchanged for a forged state");
    let callback = format!("https://app.example.com/cb?code=c&state={state}");
    let done = w
        .call(&client, "handleRedirectCallback", json!(callback.clone()))
        .unwrap();
    assert_eq!(done["tokens"]["username"], "alice");
    assert_eq!(
        w.ops(),
        ["/oauth2/token", "/us-east-1_Pool/.well-known/jwks.json"]
    );
    assert!(
        w.effects.iter().any(|e| e["t"] == "verify"),
        "the ID token's signature is checked"
    );
    w.effects.clear();
    let e = w
        .call(&client, "handleRedirectCallback", json!(callback))
        .unwrap_err();
    assert_eq!(e["code"], "OAuthUnknownState", "{e}");
    assert!(w.ops().is_empty(), "a replayed code is not exchanged again");
}

#[test]
fn a_wrong_nonce_or_signature_is_refused() {
    let now = (NOW_MS / 1000.0) as i64;
    let nonce = alloc::rc::Rc::new(std::cell::RefCell::new("not-the-nonce".to_owned()));
    let mut w = World::new(hosted_server(nonce, now));
    let client = client_from_options(&hosted_options()).unwrap();
    let url = w
        .call(&client, "signInWithRedirect", json!({"navigate": false}))
        .unwrap();
    let state = url
        .as_str()
        .unwrap()
        .split("state=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap()
        .to_owned();
    let callback = format!("https://app.example.com/cb?code=c&state={state}");
    let e = w
        .call(&client, "handleRedirectCallback", json!(callback))
        .unwrap_err();
    assert_eq!(e["code"], "JwtInvalidNonce", "{e}");
    assert!(!w.storage.contains_key("cognito-wasm.client.session"));
}

#[test]
fn sign_out_revokes_the_way_the_session_was_made() {
    let now = (NOW_MS / 1000.0) as i64;
    let mut w = World::new(move |op, e| match op {
        "InitiateAuth" if body(e)["AuthFlow"] == "USER_PASSWORD_AUTH" => {
            (200, auth_result(now, 3600, Some("r1")))
        }
        "RevokeToken" | "GlobalSignOut" => (200, json!({})),
        _ => error("InternalErrorException"),
    });
    let client = signed_in(&mut w);
    w.call(&client, "signOut", json!({})).unwrap();
    assert_eq!(w.ops(), ["RevokeToken"]);
    assert_eq!(w.emitted(), ["signedOut"]);
    let client = signed_in(&mut w);
    w.call(&client, "signOut", json!({"global": true})).unwrap();
    assert_eq!(w.ops(), ["GlobalSignOut"]);
    // Signed out already: nothing to send, no event.
    w.effects.clear();
    w.call(&client, "signOut", json!({})).unwrap();
    assert!(w.ops().is_empty() && w.emitted().is_empty());

    // A hosted-UI session: /oauth2/revoke, then Cognito's /logout.
    let nonce = alloc::rc::Rc::new(std::cell::RefCell::new(String::new()));
    let mut w = World::new(hosted_server(nonce.clone(), now));
    let client = client_from_options(&hosted_options()).unwrap();
    let state = start_redirect(&mut w, &client, &nonce);
    let callback = format!("https://app.example.com/cb?code=c&state={state}");
    w.call(&client, "handleRedirectCallback", json!(callback))
        .unwrap();
    w.effects.clear();
    w.call(&client, "signOut", json!({})).unwrap();
    assert_eq!(w.ops(), ["/oauth2/revoke"]);
    let nav: Vec<&Value> = w.effects.iter().filter(|e| e["t"] == "navigate").collect();
    assert_eq!(nav.len(), 1);
    assert!(nav[0]["url"]
        .as_str()
        .unwrap()
        .starts_with("https://auth.example.com/logout?"));
}

#[test]
fn only_safe_requests_are_retried() {
    let now = (NOW_MS / 1000.0) as i64;
    let calls = alloc::rc::Rc::new(std::cell::Cell::new(0));
    let c = calls.clone();
    let mut w = World::new(move |op, _| {
        c.set(c.get() + 1);
        match (op, c.get()) {
            ("InitiateAuth", 1) => error("TooManyRequestsException"),
            ("InitiateAuth", _) => (200, auth_result(now, 3600, Some("r1"))),
            ("GetUser", n) if n % 2 == 1 => (503, json!({"__type": "InternalErrorException"})),
            ("GetUser", _) => (200, json!({"Username": "alice", "UserAttributes": []})),
            ("ChangePassword", _) => (503, json!({"__type": "InternalErrorException"})),
            _ => error("NotAuthorizedException"),
        }
    });
    let client = client_from_options(&options(json!({}))).unwrap();
    let m = start_client_op(
        &client,
        "signIn",
        args(json!({"username":"alice","password":"pw","authFlow":"USER_PASSWORD_AUTH"})),
    );
    w.run(m).unwrap();
    assert_eq!(
        w.ops(),
        ["InitiateAuth", "InitiateAuth"],
        "throttling is retried, even for a sign-in"
    );
    assert_eq!(w.effects.iter().filter(|e| e["t"] == "sleep").count(), 1);
    w.effects.clear();
    let user = w.call(&client, "getUser", json!({})).unwrap();
    assert_eq!(user["username"], "alice");
    assert_eq!(
        w.ops(),
        ["GetUser", "GetUser"],
        "a read is retried after a 5xx"
    );
    w.effects.clear();
    let e = w
        .call(
            &client,
            "changePassword",
            json!({"oldPassword":"a","newPassword":"b"}),
        )
        .unwrap_err();
    assert_eq!(e["status"], 503);
    assert_eq!(w.ops(), ["ChangePassword"], "a change is never sent twice");
}

fn device_record() -> String {
    crate::session::DeviceRecord(crate::cognito::RememberedDevice {
        key: "us-east-1_dev1".to_owned(),
        group_key: "group1".to_owned(),
        password: zeroize::Zeroizing::new("devpw".to_owned()),
    })
    .to_storage_string()
}

const CHALLENGE: &str = r#"{"ChallengeName":"PASSWORD_VERIFIER","Session":"s","ChallengeParameters":{"SALT":"a1","SRP_B":"b2","SECRET_BLOCK":"AAEC","USERNAME":"alice","USER_ID_FOR_SRP":"alice"}}"#;

#[test]
fn a_remembered_device_signs_in_with_its_own_srp_through_effects() {
    let now = (NOW_MS / 1000.0) as i64;
    let mut w = World::new(move |op, e| {
        let b = body(e);
        match (op, b["ChallengeName"].as_str()) {
            ("InitiateAuth", _) => (200, serde_json::from_str(CHALLENGE).unwrap()),
            ("RespondToAuthChallenge", Some("PASSWORD_VERIFIER")) => (
                200,
                json!({"ChallengeName":"DEVICE_SRP_AUTH","Session":"s2","ChallengeParameters":{"USERNAME":"alice"}}),
            ),
            ("RespondToAuthChallenge", Some("DEVICE_SRP_AUTH")) => (
                200,
                json!({"ChallengeName":"DEVICE_PASSWORD_VERIFIER","Session":"s3","ChallengeParameters":{"SALT":"c3","SRP_B":"d4","SECRET_BLOCK":"AAED","USERNAME":"alice"}}),
            ),
            ("RespondToAuthChallenge", Some("DEVICE_PASSWORD_VERIFIER")) => {
                (200, auth_result(now, 3600, Some("r1")))
            }
            _ => error("NotAuthorizedException"),
        }
    });
    w.storage.insert(
        "cognito-wasm.client.device.alice".to_owned(),
        device_record(),
    );
    let client = client_from_options(&options(json!({}))).unwrap();
    let step = w
        .call(
            &client,
            "signIn",
            json!({"username":"alice","password":"pw"}),
        )
        .unwrap();
    assert_eq!(step["done"], true, "{step}");
    let srp: Vec<&Value> = w.effects.iter().filter(|e| e["t"] == "srp").collect();
    let kinds: Vec<(&str, bool)> = srp
        .iter()
        .map(|e| (e["op"].as_str().unwrap(), e["device"] == true))
        .collect();
    assert_eq!(
        kinds,
        [
            ("prepare", false),
            ("answer", false),
            ("prepare", true),
            ("answer", true)
        ]
    );
    assert_eq!(srp[1]["realm"], "Pool", "the user proves the pool's realm");
    assert_eq!(srp[3]["realm"], "group1", "the device proves its group's");
    assert_eq!(srp[3]["userIdForSrp"], "us-east-1_dev1");
    assert_eq!(srp[3]["password"], "devpw");
    assert!(!srp
        .iter()
        .any(|e| e["password"] == "pw" && e["device"] == true));
}

#[test]
fn a_stale_device_is_forgotten_and_the_sign_in_started_again() {
    let now = (NOW_MS / 1000.0) as i64;
    let mut w = World::new(move |op, e| {
        let b = body(e);
        let with_device = b["AuthParameters"]["DEVICE_KEY"].is_string();
        match op {
            "InitiateAuth" if with_device => error("ResourceNotFoundException"),
            "InitiateAuth" => (200, serde_json::from_str(CHALLENGE).unwrap()),
            "RespondToAuthChallenge" => (200, auth_result(now, 3600, Some("r1"))),
            _ => error("NotAuthorizedException"),
        }
    });
    w.storage.insert(
        "cognito-wasm.client.device.alice".to_owned(),
        device_record(),
    );
    let client = client_from_options(&options(json!({"rememberDevices": false}))).unwrap();
    let step = w
        .call(
            &client,
            "signIn",
            json!({"username":"alice","password":"pw"}),
        )
        .unwrap();
    assert_eq!(step["done"], true, "{step}");
    assert_eq!(
        w.ops(),
        ["InitiateAuth", "InitiateAuth", "RespondToAuthChallenge"]
    );
    assert!(!w.storage.contains_key("cognito-wasm.client.device.alice"));
    let prepares = w
        .effects
        .iter()
        .filter(|e| e["t"] == "srp" && e["op"] == "prepare")
        .count();
    assert_eq!(prepares, 2, "a fresh ephemeral for the restart");
}

#[test]
fn a_mistyped_code_leaves_the_step_waiting() {
    let mut w = World::new(move |op, e| {
        match (
            op,
            body(e)["ChallengeResponses"]["SOFTWARE_TOKEN_MFA_CODE"].as_str(),
        ) {
            ("InitiateAuth", _) => (
                200,
                json!({"ChallengeName":"SOFTWARE_TOKEN_MFA","Session":"s","ChallengeParameters":{"USERNAME":"alice"}}),
            ),
            ("RespondToAuthChallenge", Some("111111")) => error("CodeMismatchException"),
            ("RespondToAuthChallenge", Some(_)) => {
                (200, auth_result((NOW_MS / 1000.0) as i64, 3600, Some("r1")))
            }
            _ => error("NotAuthorizedException"),
        }
    });
    let client = client_from_options(&options(json!({}))).unwrap();
    let m = start_client_op(
        &client,
        "signIn",
        args(json!({"username":"alice","password":"pw","authFlow":"USER_PASSWORD_AUTH"})),
    );
    assert_eq!(w.run(m).unwrap()["next"], "SOFTWARE_TOKEN_MFA");
    let e = w
        .call(&client, "confirmSignIn", json!({"code": "111111"}))
        .unwrap_err();
    assert_eq!(e["code"], "CodeMismatchException");
    let step = w
        .call(&client, "confirmSignIn", json!({"code": "222222"}))
        .unwrap();
    assert_eq!(step["done"], true);
    let e = w
        .call(&client, "confirmSignIn", json!({"code": "3"}))
        .unwrap_err();
    assert_eq!(e["code"], "NoSignInInProgress");
}

#[test]
fn bad_input_at_the_boundary_is_a_typed_error() {
    let mut w = World::new(|_, _| (200, json!({})));
    // Options and arguments.
    assert!(client_from_options(&Json::Null).is_err());
    let e = client_from_options(&options(json!({"storage": "disk"})))
        .err()
        .unwrap();
    assert_eq!(e.code(), "InvalidArgument");
    let client = client_from_options(&options(json!({}))).unwrap();
    let e = w
        .call(&client, "signIn", json!({"username": 5}))
        .unwrap_err();
    assert_eq!(e["code"], "InvalidArgument");
    let e = w.call(&client, "noSuchMethod", json!({})).unwrap_err();
    assert_eq!(e["code"], "InvalidArgument");
    // A driver that answers garbage, or steps a finished machine.
    let mut m = start_client_op(&client, "getTokens", args(json!({})));
    let out = m.step(b"{").to_json_string();
    assert!(out.contains("\"t\":\"get\""), "{out}");
    let out = m
        .step(br#"{"now":1,"v":{"not":"a string"}}"#)
        .to_json_string();
    assert!(out.contains("NotSignedIn"), "{out}");
    let out = m.step(br#"{"now":1,"v":null}"#).to_json_string();
    assert!(out.contains("\"t\":\"error\""), "{out}");
    // A malformed Cognito answer.
    let mut w = World::new(|_, _| (200, json!("{\"AuthenticationResult\":")));
    let m = start_client_op(
        &client,
        "signIn",
        args(json!({"username":"alice","password":"pw","authFlow":"USER_PASSWORD_AUTH"})),
    );
    let e = w.run(m).unwrap_err();
    assert_eq!(e["transient"], false, "{e}");
    // A driver whose effects fail: a network fault is transient, nothing stored.
    let mut m = start_client_op(
        &client,
        "signIn",
        args(json!({"username":"alice","password":"pw","authFlow":"USER_PASSWORD_AUTH"})),
    );
    let mut input = json!({"now": NOW_MS});
    let out = loop {
        let out: Value =
            serde_json::from_str(&m.step(input.to_string().as_bytes()).to_json_string()).unwrap();
        if out["t"] == "error" || out["t"] == "done" {
            break out;
        }
        input = if out["t"] == "http" {
            json!({"now": NOW_MS, "e": {"kind": "network", "message": "reset"}})
        } else {
            json!({"now": NOW_MS, "v": null})
        };
    };
    assert_eq!(out["code"], "NetworkError");
    assert_eq!(out["transient"], true);
}

#[test]
fn the_server_side_authorize_url_needs_no_effect() {
    let mut m = start_oauth_op(
        "buildAuthorizeUrl",
        args(
            json!({"domain":"https://auth.example.com","clientId":"client","redirectUri":"https://app.example.com/cb","scopes":["openid"]}),
        ),
    );
    let out: Value =
        serde_json::from_str(&m.step(br#"{"now":1763780000000}"#).to_json_string()).unwrap();
    assert_eq!(out["t"], "done");
    let url = out["v"]["url"].as_str().unwrap();
    assert!(url.starts_with("https://auth.example.com/oauth2/authorize?"));
    assert!(url.contains("code_challenge_method=S256"));
    assert!(m.is_done());
}

#[test]
fn a_verifier_needs_its_token_use_and_trusts_keys_over_https_only() {
    use crate::machine::verifier_from_options;
    let v = |o: Value| {
        verifier_from_options(&args(o))
            .map(|_| ())
            .map_err(|e| e.code())
    };
    let base = || json!({"userPoolId": POOL, "clientId": "client"});
    let with = |k: &str, val: Value| {
        let mut o = base();
        o[k] = val;
        o
    };
    // Finding 4 of the security review: no silent "either token".
    assert_eq!(v(base()), Err("InvalidArgument"));
    assert_eq!(v(with("tokenUse", json!(null))), Ok(()));
    assert_eq!(v(with("tokenUse", json!("access"))), Ok(()));
    // Finding 6: issuer, endpoint and JWKS over plain http only on loopback.
    for key in ["issuer", "endpoint", "jwksUri"] {
        let mut o = with("tokenUse", json!("id"));
        o[key] = json!("http://keys.example.com/x");
        assert_eq!(v(o.clone()), Err("InsecureUrl"), "{key}");
        o[key] = json!("http://127.0.0.1:9/x");
        assert_eq!(v(o.clone()), Ok(()), "{key}");
        o[key] = json!("https://keys.example.com/x");
        assert_eq!(v(o), Ok(()), "{key}");
    }
    let hosted = |issuer: &str| {
        client_from_options(&options(json!({"hostedUi": {"domain": "https://auth.example.com", "redirectUri": "https://app.example.com/cb", "issuer": issuer}}))).map(|_| ()).map_err(|e| e.code())
    };
    assert_eq!(hosted("http://idp.example.com/pool"), Err("InsecureUrl"));
    assert_eq!(hosted("https://idp.example.com/pool"), Ok(()));
}

#[test]
fn concurrent_verifications_on_a_cold_cache_fetch_the_jwks_once() {
    use crate::machine::{start_verifier_op, verifier_from_options};
    let v = alloc::rc::Rc::new(verifier_from_options(&args(json!({"userPoolId": POOL, "clientId": "client", "tokenUse": "access", "endpoint": "http://127.0.0.1:9/"}))).unwrap());
    let now = (NOW_MS / 1000.0) as i64;
    let token = jwt(
        json!({"sub":"s1","iss":ISSUER,"client_id":"client","token_use":"access","iat":now,"exp":now+3600}),
    );
    let mut w = World::new(|op, _| match op {
        "/us-east-1_Pool/.well-known/jwks.json" => (
            200,
            json!({"keys": [{"kty":"RSA","kid":"k1","alg":"RS256","use":"sig","n":"sXch","e":"AQAB"}]}),
        ),
        _ => (404, json!({})),
    });
    // A asks for the lock on the JWKS and waits; B runs to its end meanwhile.
    let mut a = start_verifier_op(&v, args(json!(token.clone())));
    w.until_lock(&mut a);
    let claims = w
        .run(start_verifier_op(&v, args(json!(token.clone()))))
        .unwrap();
    assert_eq!(claims["sub"], "s1");
    assert_eq!(w.after_lock(&mut a).unwrap()["sub"], "s1");
    assert_eq!(
        w.ops(),
        ["/us-east-1_Pool/.well-known/jwks.json"],
        "one fetch for both"
    );
    // A made-up kid within the penalty window: no refetch, the known keys stay.
    let other_kid = {
        let b = |v: Value| URL_SAFE_NO_PAD.encode(v.to_string());
        [
            b(json!({"alg":"RS256","kid":"made-up"})),
            token.split('.').nth(1).unwrap().to_owned(),
            "c2ln".to_owned(),
        ]
        .join(".")
    };
    let e = w
        .run(start_verifier_op(&v, args(json!(other_kid))))
        .unwrap_err();
    assert_eq!(e["code"], "KidNotFoundInJwks");
    assert_eq!(w.ops().len(), 1, "no refetch within the penalty window");
    assert_eq!(
        w.run(start_verifier_op(&v, args(json!(token)))).unwrap()["sub"],
        "s1"
    );
}

#[test]
fn the_review_s_low_findings_on_the_hosted_ui() {
    let now = (NOW_MS / 1000.0) as i64;
    // Finding 5: no silent "skip every ID-token check" on a server exchange.
    let mut w = World::new(|_, _| (500, json!({})));
    let m = start_oauth_op(
        "exchangeCode",
        args(
            json!({"domain": "https://auth.example.com", "clientId": "client", "url": "https://app.example.com/cb?code=c&state=s", "transaction": "v=1"}),
        ),
    );
    let e = w.run(m).unwrap_err();
    assert_eq!(e["code"], "InvalidArgument", "{e}");
    assert!(w.ops().is_empty());

    // A state from the URL that is not of our making is never a storage key.
    let client = client_from_options(&hosted_options()).unwrap();
    let cb = "https://app.example.com/cb?code=c&state=..%2F..%2Fsession";
    let e = w
        .call(&client, "handleRedirectCallback", json!(cb))
        .unwrap_err();
    assert_eq!(e["code"], "OAuthUnknownState", "{e}");
    assert!(
        !w.effects
            .iter()
            .any(|e| e["t"] == "get" && e["key"].as_str().unwrap().contains("..")),
        "{:?}",
        w.effects
    );

    // The `headers` option goes to the user-pool API only, not to the
    // hosted-UI domain or the JWKS host.
    let nonce = alloc::rc::Rc::new(std::cell::RefCell::new(String::new()));
    let mut w = World::new(hosted_server(nonce.clone(), now));
    let mut o = hosted_options();
    if let Json::Object(m) = &mut o {
        m.push(("headers".to_owned(), args(json!({"x-proxy-key": "secret"}))));
    }
    let client = client_from_options(&o).unwrap();
    let state = start_redirect(&mut w, &client, &nonce);
    let callback = format!("https://app.example.com/cb?code=c&state={state}");
    w.call(&client, "handleRedirectCallback", json!(callback))
        .unwrap();
    let sent_key = |e: &Value| {
        e["headers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h[0] == "x-proxy-key")
    };
    let https: Vec<&Value> = w.effects.iter().filter(|e| e["t"] == "http").collect();
    assert_eq!(https.len(), 2);
    assert!(
        https.iter().all(|e| !sent_key(e)),
        "not to the token endpoint or the JWKS host"
    );

    // OIDC Core §12.2: a refresh whose new ID token is about another user
    // is refused, and the session kept.
    *nonce.borrow_mut() = String::new();
    let mut w2 = World::new(move |op, _| match op {
        "/oauth2/token" => {
            let id = jwt(
                json!({"sub":"someone-else","iss":ISSUER,"aud":"client","token_use":"id","iat":now,"exp":now+3600}),
            );
            let access = jwt(
                json!({"sub":"someone-else","iss":ISSUER,"client_id":"client","token_use":"access","iat":now,"exp":now+3600,"username":"mallory"}),
            );
            (
                200,
                json!({"id_token": id, "access_token": access, "token_type": "Bearer", "expires_in": 3600}),
            )
        }
        "/us-east-1_Pool/.well-known/jwks.json" => (
            200,
            json!({"keys": [{"kty":"RSA","kid":"k1","alg":"RS256","use":"sig","n":"sXch","e":"AQAB"}]}),
        ),
        _ => (404, json!({})),
    });
    w2.storage = w.storage.clone();
    let e = w2
        .call(&client, "getTokens", json!({"forceRefresh": true}))
        .unwrap_err();
    assert_eq!(e["code"], "OAuthInvalidResponse", "{e}");
    assert_eq!(
        w2.storage.get("cognito-wasm.client.session"),
        w.storage.get("cognito-wasm.client.session")
    );
}

/// Regression (a tampered stored session, as the `machine` and
/// `stored_records` fuzz targets feed): an `expiresAt` far outside i64
/// overflowed the proactive-refresh timer's arithmetic; the timer is now set
/// at once (the session is long expired).
#[test]
fn a_stored_expiry_beyond_i64_sets_the_timer_without_overflow() {
    for expires_at in ["-1e300", "1e300"] {
        let mut w = World::new(|_, _| error("NotAuthorizedException"));
        let tokens = format!(
            r#"{{"id":"i","access":"a","refresh":"r","expiresIn":3600,"type":"Bearer","expiresAt":{expires_at},"skew":0}}"#
        );
        let record = json!({"v": 1, "source": "api", "username": "alice", "tokens": tokens});
        w.storage
            .insert("cognito-wasm.client.session".to_owned(), record.to_string());
        let client = client_from_options(&options(json!({"autoRefresh": true}))).unwrap();
        w.call(&client, "start", json!({})).unwrap();
        let timer = w
            .effects
            .iter()
            .find(|e| e["t"] == "timer")
            .unwrap_or_else(|| panic!("no timer for {expires_at}: {:?}", w.effects));
        let ms = timer["ms"].as_f64().unwrap();
        assert!((0.0..=2_147_483_647.0).contains(&ms), "{ms}");
    }
}

/// Passkey sign-in and management: the `webauthn` effect.
mod passkey;

/// Tabs sharing a session over the channel without the refresh token.
mod tabs;

#[test]
fn abandoned_hosted_ui_transactions_are_purged() {
    let (mut w, client, nonce, _) = hosted_world();
    let oauth_keys = |w: &World| {
        w.storage
            .keys()
            .filter(|k| k.starts_with("cognito-wasm.client.oauth."))
            .cloned()
            .collect::<Vec<_>>()
    };
    // Two sign-ins started and abandoned (the user closed the hosted UI).
    let first = start_redirect(&mut w, &client, &nonce);
    let second = start_redirect(&mut w, &client, &nonce);
    assert!(oauth_keys(&w).contains(&format!("cognito-wasm.client.oauth.{first}")));
    assert!(oauth_keys(&w).contains(&format!("cognito-wasm.client.oauth.{second}")));
    // 31 minutes later (past the 30-minute limit) a new sign-in starts: the
    // abandoned ones are removed, the new one is kept.
    w.now_ms += 31.0 * 60_000.0;
    let third = start_redirect(&mut w, &client, &nonce);
    let left = oauth_keys(&w);
    assert!(
        !left
            .iter()
            .any(|k| k.ends_with(&first) || k.ends_with(&second)),
        "{left:?}"
    );
    assert!(
        left.contains(&format!("cognito-wasm.client.oauth.{third}")),
        "{left:?}"
    );
    // Its callback completes; nothing of the hosted UI's is left in storage.
    let callback = format!("https://app.example.com/cb?code=c&state={third}");
    w.call(&client, "handleRedirectCallback", json!(callback))
        .unwrap();
    assert_eq!(oauth_keys(&w), Vec::<String>::new());
}

#[test]
fn pending_hosted_ui_transactions_are_capped() {
    let (mut w, client, nonce, now) = hosted_world();
    let states: Vec<String> = (0..40)
        .map(|_| start_redirect(&mut w, &client, &nonce))
        .collect();
    let stored = |s: &String| {
        w.storage
            .contains_key(&format!("cognito-wasm.client.oauth.{s}"))
    };
    let kept: Vec<bool> = states.iter().map(stored).collect();
    assert_eq!(kept.iter().filter(|k| **k).count(), 16, "{kept:?}");
    assert!(kept[24..].iter().all(|k| *k), "the newest 16 are kept");
    // A tampered index: a name not of our form is neither removed nor kept,
    // garbage is dropped, and the index is rewritten clean.
    w.storage
        .insert("cognito-wasm.client.oauth.y".into(), "kept".into());
    w.storage.insert(
        "cognito-wasm.client.oauth.pending".into(),
        "y:1 x :: ../session:1".into(),
    );
    let last = start_redirect(&mut w, &client, &nonce);
    assert_eq!(w.storage["cognito-wasm.client.oauth.y"], "kept");
    assert_eq!(
        w.storage["cognito-wasm.client.oauth.pending"],
        format!("{last}:{now}")
    );
}
