//! The machine boundary (`src/machine`, what `pkg/driver.js` talks to):
//! a client built from options, then operations started and stepped with
//! arbitrary effect results — HTTP responses, storage values (tampered
//! records), tab messages, lock grants, SRP results, host errors — as
//! `Machine::step` would receive them from JavaScript. No panic, and every
//! step's output is an effect, a value or an error.
//!
//! Input: NUL-separated parts. A part `@<method> <json args>` starts that
//! operation (after the previous one ends); `!<json>` fails the pending
//! effect with that error; `~<bytes>` is handed to `step` as they are;
//! any other part is the pending effect's value (JSON, else a string).
#![no_main]

use cognito_wasm::json::Json;
use cognito_wasm::machine::{client_from_options, start_client_op, start_oauth_op, Machine};
use fuzz_common::{parts, text, NOW};
use libfuzzer_sys::fuzz_target;

/// sessionStorage with tab syncing and the refresh timer on, and a hosted
/// UI: every path a stored record or another tab's message can reach.
const OPTIONS: &str = r#"{"userPoolId":"us-east-1_Fuzz","clientId":"client","endpoint":"http://127.0.0.1:9/","storage":"session","webStorage":{"session":true,"local":true},"autoRefresh":true,"hostedUi":{"domain":"https://auth.example.com","redirectUri":"https://app.example.com/cb","logoutUri":"https://app.example.com/bye","scopes":["openid"]}}"#;

/// At most this many steps per input: a machine that keeps retrying on
/// fuzzed answers must not make one input run for ever.
const MAX_STEPS: usize = 400;

fn input(now: f64, key: &str, value: &str) -> Vec<u8> {
    format!(r#"{{"now":{now},"{key}":{value}}}"#).into_bytes()
}

/// Whether `out` is one of the shapes `step` promises.
fn well_formed(out: &Json) -> bool {
    out.get("t").and_then(Json::as_str).is_some()
}

fuzz_target!(|data: &[u8]| {
    let Ok(client) = client_from_options(&Json::parse(OPTIONS.as_bytes()).expect("options")) else {
        panic!("fixed options refused");
    };
    let now_ms = NOW as f64 * 1000.0;
    let mut machine: Option<Machine> = None;
    let mut steps = 0;
    for part in parts(data) {
        if steps >= MAX_STEPS {
            return;
        }
        if let Some(start) = part.strip_prefix(b"@") {
            let start = text(start);
            let (method, args) = start.split_once(' ').unwrap_or((&start, "{}"));
            let args = Json::parse(args.as_bytes()).unwrap_or(Json::Null);
            let mut m = match method.strip_prefix("oauth.") {
                Some(op) => start_oauth_op(op, args),
                None => start_client_op(&client, method, args),
            };
            let out = m.step(&input(now_ms, "now", &now_ms.to_string())[..]);
            steps += 1;
            assert!(well_formed(&out), "first step output");
            machine = Some(m);
            continue;
        }
        let Some(m) = machine.as_mut() else {
            continue;
        };
        if m.is_done() {
            continue;
        }
        let raw;
        let bytes: &[u8] = if let Some(rest) = part.strip_prefix(b"~") {
            rest
        } else if let Some(rest) = part.strip_prefix(b"!") {
            let e = Json::parse(rest).map_or_else(
                || Json::String(text(rest)).to_json_string(),
                |j| j.to_json_string(),
            );
            raw = input(now_ms, "e", &e);
            &raw
        } else {
            let v = Json::parse(part)
                .unwrap_or_else(|| Json::String(text(part)))
                .to_json_string();
            raw = input(now_ms, "v", &v);
            &raw
        };
        let out = m.step(bytes);
        steps += 1;
        assert!(well_formed(&out), "step output");
    }
});
