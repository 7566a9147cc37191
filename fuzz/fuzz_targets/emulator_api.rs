//! The emulator's JSON API (`emulator/src/api`): the request body of any
//! operation, read as `handle` reads it (a JSON object, else a
//! `SerializationException`) and dispatched against the default seed.
//! No panic in any operation; errors carry a Cognito error code.
//!
//! Input: `<Operation>` NUL `<body>`, then more `<Operation>` NUL `<body>`
//! pairs run against the same state (sign up, then confirm, …).
#![no_main]

use cognito_emulator::api::dispatch;
use cognito_emulator::config::{load_seed, DEFAULT_SEED};
use cognito_emulator::jwt::Keys;
use cognito_emulator::store::{AppState, Durable};
use fuzz_common::{parts, text};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use std::sync::OnceLock;

/// The seeded state, serialised once (the seed computes SRP verifiers).
fn seed() -> &'static str {
    static SEED: OnceLock<String> = OnceLock::new();
    SEED.get_or_init(|| {
        serde_json::to_string(&load_seed(DEFAULT_SEED).expect("default seed")).expect("seed")
    })
}

const KEY: &str = include_str!("../../emulator/tests/fixtures/test-signing-key.pem");

fuzz_target!(|data: &[u8]| {
    let durable: Durable = serde_json::from_str(seed()).expect("seed round trip");
    let keys = Keys::from_pem(KEY).expect("test key");
    let app = AppState::new(durable, keys, "http://127.0.0.1:9".into(), None, None);
    let p = parts(data);
    for pair in p.chunks(2) {
        let op = text(pair[0]);
        let body = pair.get(1).copied().unwrap_or(&[]);
        let req: Value = if body.is_empty() {
            Value::Object(Default::default())
        } else {
            match serde_json::from_slice(body) {
                Ok(v @ Value::Object(_)) => v,
                _ => continue,
            }
        };
        // The page origin the WebAuthn operations check (a loopback page).
        if let Err(e) = dispatch(&app, &op, &req, Some("http://127.0.0.1:8080")) {
            assert!(!e.code.is_empty());
        }
    }
});
