//! Passkeys: the sign-in's `WEB_AUTHN` step and `registerPasskey`,
//! `listPasskeys`, `deletePasskey`, with the `webauthn` effect answered by
//! the test (a credential, or the DOMException a browser would raise).

use super::{args, auth_result, body, error, options, signed_in, World, NOW_MS};
use crate::machine::{client_from_options, start_client_op, Machine};
use serde_json::{json, Value};

type Ceremony = Box<dyn FnMut(&Value) -> Result<Value, Value>>;

const CREDENTIAL: &str = r#"{"id":"Y3JlZA","rawId":"Y3JlZA","type":"public-key","response":{"clientDataJSON":"e30","authenticatorData":"AA","signature":"AA"},"clientExtensionResults":{}}"#;
const REQUEST_OPTIONS: &str = r#"{"challenge":"Y2g","rpId":"localhost","allowCredentials":[]}"#;

/// Runs `m` to its end, answering `webauthn` effects with `ceremony`.
fn run(w: &mut World, mut m: Machine, mut ceremony: Ceremony) -> Result<Value, Value> {
    let mut input = json!({ "now": w.now_ms });
    loop {
        let out: Value =
            serde_json::from_str(&m.step(input.to_string().as_bytes()).to_json_string()).unwrap();
        match out["t"].as_str().unwrap() {
            "done" => return Ok(out["v"].clone()),
            "error" => return Err(out),
            _ => {}
        }
        w.effects.push(out.clone());
        let answer = if out["t"] == "webauthn" {
            ceremony(&out)
        } else {
            w.perform(&out)
        };
        input = match answer {
            Ok(v) => json!({"now": w.now_ms, "v": v}),
            Err(e) => json!({"now": w.now_ms, "e": e}),
        };
    }
}

fn webauthn_effects(w: &World) -> Vec<Value> {
    w.effects
        .iter()
        .filter(|e| e["t"] == "webauthn")
        .cloned()
        .collect()
}

fn dom(name: &str) -> Result<Value, Value> {
    Err(json!({"kind": "webauthn", "code": name, "message": "m"}))
}

fn passkey_server() -> impl FnMut(&str, &Value) -> (u16, Value) {
    let now = (NOW_MS / 1000.0) as i64;
    move |op, e| match op {
        "InitiateAuth" => (
            200,
            json!({"ChallengeName": "WEB_AUTHN", "Session": "S1",
                "ChallengeParameters": {"USERNAME": "alice", "CREDENTIAL_REQUEST_OPTIONS": REQUEST_OPTIONS}}),
        ),
        "RespondToAuthChallenge" if body(e)["ChallengeName"] == "WEB_AUTHN" => {
            (200, auth_result(now, 3600, Some("r1")))
        }
        _ => error("NotAuthorizedException"),
    }
}

#[test]
fn preferred_web_authn_signs_in_through_the_webauthn_effect() {
    let mut w = World::new(passkey_server());
    let client = client_from_options(&options(json!({}))).unwrap();
    let m = start_client_op(
        &client,
        "signIn",
        args(json!({"username": "alice", "preferredChallenge": "WEB_AUTHN"})),
    );
    let step = run(&mut w, m, Box::new(|_| Ok(json!(CREDENTIAL)))).unwrap();
    assert_eq!(step["done"], true, "{step}");
    assert_eq!(w.ops(), ["InitiateAuth", "RespondToAuthChallenge"]);
    assert!(
        w.effects.iter().all(|e| e["t"] != "srp"),
        "no SRP for a passkey"
    );
    let init = body(&w.effects[w.effects.iter().position(|e| e["t"] == "http").unwrap()]);
    assert_eq!(init["AuthFlow"], "USER_AUTH");
    assert_eq!(init["AuthParameters"]["PREFERRED_CHALLENGE"], "WEB_AUTHN");
    assert!(init["AuthParameters"].get("PASSWORD").is_none());
    let ceremonies = webauthn_effects(&w);
    assert_eq!(ceremonies.len(), 1);
    assert_eq!(ceremonies[0]["op"], "get");
    assert_eq!(ceremonies[0]["options"], REQUEST_OPTIONS);
    let answer = w
        .effects
        .iter()
        .filter(|e| e["t"] == "http")
        .map(body)
        .next_back()
        .unwrap();
    assert_eq!(answer["ChallengeName"], "WEB_AUTHN");
    assert_eq!(answer["Session"], "S1");
    assert_eq!(answer["ChallengeResponses"]["CREDENTIAL"], CREDENTIAL);
    assert_eq!(answer["ChallengeResponses"]["USERNAME"], "alice");
    assert!(w.storage.contains_key("cognito-wasm.client.session"));
}

#[test]
fn select_challenge_answered_with_web_authn() {
    let now = (NOW_MS / 1000.0) as i64;
    let mut w = World::new(move |op, e| {
        let b = body(e);
        match (op, b["ChallengeName"].as_str()) {
            ("InitiateAuth", _) => (
                200,
                json!({"ChallengeName": "SELECT_CHALLENGE", "Session": "S0", "ChallengeParameters": {},
                    "AvailableChallenges": ["PASSWORD_SRP", "WEB_AUTHN"]}),
            ),
            ("RespondToAuthChallenge", Some("SELECT_CHALLENGE")) => {
                assert_eq!(b["ChallengeResponses"]["ANSWER"], "WEB_AUTHN");
                (
                    200,
                    json!({"ChallengeName": "WEB_AUTHN", "Session": "S1",
                        "ChallengeParameters": {"CREDENTIAL_REQUEST_OPTIONS": REQUEST_OPTIONS}}),
                )
            }
            ("RespondToAuthChallenge", Some("WEB_AUTHN")) => (200, auth_result(now, 3600, None)),
            _ => error("NotAuthorizedException"),
        }
    });
    let client = client_from_options(&options(json!({}))).unwrap();
    let step = w
        .call(
            &client,
            "signIn",
            json!({"username": "alice", "authFlow": "USER_AUTH"}),
        )
        .unwrap();
    assert_eq!(step["next"], "SELECT_CHALLENGE");
    assert_eq!(
        step["availableChallenges"],
        json!(["PASSWORD_SRP", "WEB_AUTHN"])
    );
    let m = start_client_op(
        &client,
        "confirmSignIn",
        args(json!({"challenge": "WEB_AUTHN"})),
    );
    let done = run(&mut w, m, Box::new(|_| Ok(json!(CREDENTIAL)))).unwrap();
    assert_eq!(done["done"], true, "{done}");
    assert_eq!(webauthn_effects(&w).len(), 1);
}

#[test]
fn a_cancelled_ceremony_is_typed_and_leaves_the_step_open() {
    let mut w = World::new(passkey_server());
    let client = client_from_options(&options(json!({}))).unwrap();
    let start = || {
        start_client_op(
            &client,
            "signIn",
            args(json!({"username": "alice", "preferredChallenge": "WEB_AUTHN"})),
        )
    };
    let e = run(&mut w, start(), Box::new(|_| dom("NotAllowedError"))).unwrap_err();
    assert_eq!(e["code"], "PasskeyCancelled", "{e}");
    assert_eq!(w.ops(), ["InitiateAuth"], "nothing answered");
    // The same challenge can still be answered.
    let done = w
        .call(&client, "confirmSignIn", json!({"credential": CREDENTIAL}))
        .unwrap();
    assert_eq!(done["done"], true);

    for (dom_name, code) in [
        ("InvalidStateError", "PasskeyAlreadyRegistered"),
        ("SecurityError", "PasskeyFailed"),
        ("AbortError", "PasskeyCancelled"),
    ] {
        let e = run(&mut w, start(), Box::new(move |_| dom(dom_name))).unwrap_err();
        assert_eq!(e["code"], code);
    }
    // An aborted effect (the call's AbortSignal) is the SDK's AbortError.
    let e = run(
        &mut w,
        start(),
        Box::new(|_| Err(json!({"kind": "aborted", "message": "m"}))),
    )
    .unwrap_err();
    assert_eq!(e["code"], "AbortError");
    // A driver answer that is not a credential object sends nothing.
    w.effects.clear();
    let e = run(&mut w, start(), Box::new(|_| Ok(json!("[1]")))).unwrap_err();
    assert_eq!(e["code"], "PasskeyFailed");
    assert_eq!(w.ops(), ["InitiateAuth"]);
}

#[test]
fn without_webauthn_the_step_goes_to_the_app() {
    let mut w = World::new(passkey_server());
    let client = client_from_options(&options(json!({}))).unwrap();
    let m = start_client_op(
        &client,
        "signIn",
        args(json!({"username": "alice", "preferredChallenge": "WEB_AUTHN"})),
    );
    let step = run(&mut w, m, Box::new(|_| dom("NotSupportedError"))).unwrap();
    assert_eq!(step["done"], false);
    assert_eq!(step["next"], "WEB_AUTHN");
    assert_eq!(
        step["parameters"]["CREDENTIAL_REQUEST_OPTIONS"],
        REQUEST_OPTIONS
    );
    let done = w
        .call(&client, "confirmSignIn", json!({"credential": CREDENTIAL}))
        .unwrap();
    assert_eq!(done["done"], true);
}

#[test]
fn cognito_webauthn_errors_pass_through_by_name() {
    let mut w = World::new(|op, _| match op {
        "InitiateAuth" => (
            200,
            json!({"ChallengeName": "WEB_AUTHN", "Session": "S1",
                "ChallengeParameters": {"CREDENTIAL_REQUEST_OPTIONS": REQUEST_OPTIONS}}),
        ),
        _ => error("WebAuthnChallengeNotFoundException"),
    });
    let client = client_from_options(&options(json!({}))).unwrap();
    let m = start_client_op(
        &client,
        "signIn",
        args(json!({"username": "alice", "preferredChallenge": "WEB_AUTHN"})),
    );
    let e = run(&mut w, m, Box::new(|_| Ok(json!(CREDENTIAL)))).unwrap_err();
    assert_eq!(e["code"], "WebAuthnChallengeNotFoundException");
    assert_eq!(e["status"], 400);
}

fn management_server() -> impl FnMut(&str, &Value) -> (u16, Value) {
    let now = (NOW_MS / 1000.0) as i64;
    move |op, e| {
        let b = body(e);
        match op {
            "InitiateAuth" => (200, auth_result(now, 3600, Some("r1"))),
            "StartWebAuthnRegistration" => (
                200,
                json!({"CredentialCreationOptions": {"challenge": "Y2g", "rp": {"id": "localhost", "name": "P"},
                    "user": {"id": "dQ", "name": "alice", "displayName": "alice"},
                    "pubKeyCredParams": [{"type": "public-key", "alg": -7}]}}),
            ),
            "CompleteWebAuthnRegistration" => {
                assert!(b["Credential"].is_object(), "a JSON document, not a string");
                (200, json!({}))
            }
            "ListWebAuthnCredentials" => match b["NextToken"].as_str() {
                None => (
                    200,
                    json!({"Credentials": [{"CredentialId": "c1", "FriendlyCredentialName": "one",
                        "RelyingPartyId": "localhost", "AuthenticatorTransports": ["internal"],
                        "AuthenticatorAttachment": "platform", "CreatedAt": 1.7e9}],
                        "NextToken": "p2"}),
                ),
                Some("p2") => (
                    200,
                    json!({"Credentials": [{"CredentialId": "c2", "AuthenticatorTransports": [], "CreatedAt": 1.8e9}]}),
                ),
                _ => error("InvalidParameterException"),
            },
            "DeleteWebAuthnCredential" => {
                assert_eq!(b["CredentialId"], "c1");
                (200, json!({}))
            }
            _ => error("NotAuthorizedException"),
        }
    }
}

#[test]
fn register_passkey_runs_start_create_complete() {
    let mut w = World::new(management_server());
    let client = signed_in(&mut w);
    let m = start_client_op(&client, "registerPasskey", args(json!({})));
    let v = run(&mut w, m, Box::new(|_| Ok(json!(CREDENTIAL)))).unwrap();
    assert_eq!(v, Value::Null);
    assert_eq!(
        w.ops(),
        ["StartWebAuthnRegistration", "CompleteWebAuthnRegistration"]
    );
    let create = &webauthn_effects(&w)[0];
    assert_eq!(create["op"], "create");
    let opts: Value = serde_json::from_str(create["options"].as_str().unwrap()).unwrap();
    assert_eq!(opts["rp"]["id"], "localhost");
    assert_eq!(opts["challenge"], "Y2g");
    let complete = w
        .effects
        .iter()
        .filter(|e| e["t"] == "http")
        .map(body)
        .next_back()
        .unwrap();
    let sent: Value = serde_json::from_str(CREDENTIAL).unwrap();
    assert_eq!(complete["Credential"], sent);
    assert!(complete["AccessToken"].is_string());

    // Already registered on this authenticator: typed, nothing completed.
    w.effects.clear();
    let m = start_client_op(&client, "registerPasskey", args(json!({})));
    let e = run(&mut w, m, Box::new(|_| dom("InvalidStateError"))).unwrap_err();
    assert_eq!(e["code"], "PasskeyAlreadyRegistered");
    assert_eq!(w.ops(), ["StartWebAuthnRegistration"]);

    // Not signed in: no request at all.
    let fresh = client_from_options(&options(json!({"storage": "memory"}))).unwrap();
    let mut w2 = World::new(management_server());
    let m = start_client_op(&fresh, "registerPasskey", args(json!({})));
    let e = run(&mut w2, m, Box::new(|_| Ok(json!(CREDENTIAL)))).unwrap_err();
    assert_eq!(e["code"], "NotSignedIn");
    assert!(w2.ops().is_empty());
}

#[test]
fn list_passkeys_reads_every_page_and_delete_sends_the_id() {
    let mut w = World::new(management_server());
    let client = signed_in(&mut w);
    let list = w.call(&client, "listPasskeys", json!({})).unwrap();
    assert_eq!(
        w.ops(),
        ["ListWebAuthnCredentials", "ListWebAuthnCredentials"]
    );
    assert_eq!(
        list,
        json!([
            {"credentialId": "c1", "friendlyName": "one", "relyingPartyId": "localhost",
             "authenticatorAttachment": "platform", "transports": ["internal"], "createdAt": 1_700_000_000_000u64},
            {"credentialId": "c2", "transports": [], "createdAt": 1_800_000_000_000u64}
        ])
    );
    w.effects.clear();
    assert_eq!(
        w.call(&client, "deletePasskey", json!({"credentialId": "c1"}))
            .unwrap(),
        Value::Null
    );
    assert_eq!(w.ops(), ["DeleteWebAuthnCredential"]);
    w.effects.clear();
    let e = w
        .call(&client, "deletePasskey", json!({"credentialId": ""}))
        .unwrap_err();
    assert_eq!(e["code"], "EmptyArgument");
    assert!(w.ops().is_empty());
}

#[test]
fn a_server_repeating_its_next_token_does_not_loop_the_client() {
    let now = (NOW_MS / 1000.0) as i64;
    let mut w = World::new(move |op, _| match op {
        "InitiateAuth" => (200, auth_result(now, 3600, Some("r1"))),
        "ListWebAuthnCredentials" => (
            200,
            json!({"Credentials": [{"CredentialId": "c"}], "NextToken": "same"}),
        ),
        _ => error("NotAuthorizedException"),
    });
    let client = signed_in(&mut w);
    let list = w.call(&client, "listPasskeys", json!({})).unwrap();
    assert_eq!(w.ops().len(), 2, "the repeated token ends the listing");
    assert_eq!(list.as_array().unwrap().len(), 2);
}
