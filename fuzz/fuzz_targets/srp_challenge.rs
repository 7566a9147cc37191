//! SRP challenge parameters (`src/srp/`): a `PASSWORD_VERIFIER` challenge's
//! `SALT`, `SRP_B`, `SECRET_BLOCK` and `USER_ID_FOR_SRP` as a server (or a
//! man in the middle) could send them, answered with a fixed ephemeral key.
//! No panic; a claim is produced only for a `SRP_B` that is not 0 mod N.
#![no_main]

use cognito_wasm::srp::{answer_password_verifier, EphemeralKey, PasswordVerifierChallenge};
use fuzz_common::{parts, text};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fuzz_target!(|data: &[u8]| {
    let p = parts(data);
    let field = |i: usize| p.get(i).map(|s| text(s)).unwrap_or_default();
    let (salt, srp_b, secret_block, user) = (field(0), field(1), field(2), field(3));
    // One fixed key: making it costs an exponentiation, and a fixed one
    // keeps crashes reproducible.
    static KEY: OnceLock<EphemeralKey> = OnceLock::new();
    let key = KEY.get_or_init(|| EphemeralKey::from_secret(&[7; 32]).expect("fixed secret"));
    let challenge = PasswordVerifierChallenge {
        salt: &salt,
        srp_b: &srp_b,
        secret_block: &secret_block,
        user_id_for_srp: &user,
    };
    let timestamp = "Mon Dec 1 00:00:00 UTC 2025";
    if let Ok(claim) = answer_password_verifier(key, "Fuzz", "Passw0rd!", &challenge, timestamp) {
        assert_eq!(claim.secret_block, secret_block);
        assert!(!srp_b.trim_start_matches('0').is_empty(), "B = 0 accepted");
    }
});
