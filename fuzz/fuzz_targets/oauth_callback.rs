//! Callback URLs of the hosted UI (`src/oauth/callback.rs`): parsing, the
//! "is this a callback" test, cleaning the address bar, and the checks
//! against a stored transaction. No panic; a cleaned URL carries no
//! response parameter any more, and cleaning twice changes nothing.
#![no_main]

use cognito_wasm::oauth::{
    clean_callback_url, is_callback_url, parse_callback_url, validate_callback, Transaction,
};
use fuzz_common::{parts, text, NOW};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let p = parts(data);
    let url = text(p[0]);
    let _ = is_callback_url(&url);
    let cleaned = clean_callback_url(&url);
    if let Ok(c) = parse_callback_url(&cleaned) {
        assert!(
            c.code.is_none() && c.state.is_none() && c.error.is_none() && c.iss.is_none(),
            "a response parameter survived cleaning: {cleaned:?}"
        );
    }
    assert_eq!(
        clean_callback_url(&cleaned),
        cleaned,
        "cleaning is idempotent"
    );
    let Ok(params) = parse_callback_url(&url) else {
        return;
    };
    // The pending transaction: fixed, or read from the input's second part
    // (a tampered storage value).
    let stored = p.get(1).map(|s| text(s));
    let tx = match stored.as_deref() {
        Some(s) => Transaction::parse(s).ok(),
        None => Some(Transaction {
            state: "s".repeat(43),
            nonce: "n".repeat(43),
            code_verifier: "v".repeat(43),
            redirect_uri: "https://app.example.com/cb".into(),
            created_at: NOW as u64 - 10,
            app_state: None,
        }),
    };
    let r = validate_callback(
        &params,
        tx.as_ref(),
        NOW as u64,
        600,
        Some("https://auth.example.com"),
    );
    if let Ok(code) = r {
        assert!(!code.is_empty());
        assert_eq!(
            params.state.as_deref(),
            tx.as_ref().map(|t| t.state.as_str())
        );
        assert!(params.error.is_none(), "an error callback gave a code");
    }
});
