//! Records read back from storage, which any script on the page (or a
//! user) can edit: the session (`src/session/record.rs`), a remembered
//! device, the token set inside a session, and a pending hosted-UI
//! transaction (`src/oauth/transaction.rs`). No panic; whatever reads back
//! writes out to a text that reads back the same.
#![no_main]

use cognito_wasm::cognito::TokenSet;
use cognito_wasm::oauth::Transaction;
use cognito_wasm::session::{DeviceRecord, SessionRecord};
use fuzz_common::text;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let s = text(data);
    if let Some(r) = SessionRecord::from_storage_string(&s) {
        let back = SessionRecord::from_storage_string(&r.to_storage_string());
        assert!(back.as_ref() == Some(&r), "session record round trip");
    }
    if let Some(d) = DeviceRecord::from_storage_string(&s) {
        let back = DeviceRecord::from_storage_string(&d.to_storage_string()).expect("device");
        assert_eq!(back.0.key, d.0.key);
        assert_eq!(back.0.group_key, d.0.group_key);
        assert_eq!(*back.0.password, *d.0.password);
    }
    if let Some(t) = TokenSet::from_storage_string(&s) {
        let back = TokenSet::from_storage_string(&t.to_storage_string());
        assert_eq!(back.as_ref(), Some(&t), "token set round trip");
    }
    if let Ok(tx) = Transaction::parse(&s) {
        let back = Transaction::parse(&tx.to_storage_string()).expect("transaction");
        assert!(back == tx, "transaction round trip");
    }
});
