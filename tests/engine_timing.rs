//! Native timing of a full client SRP login through the public API (A, key,
//! signature). Not a pass/fail test: run it explicitly, in release mode:
//! `cargo test --release --test engine_timing -- --ignored --nocapture`.

use cognito_wasm::srp::{answer_password_verifier, EphemeralKey, PasswordVerifierChallenge};
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

#[test]
#[ignore = "timing, not a check: run with --ignored --nocapture in release"]
fn full_login_median() {
    // A B that is a valid group element: 2^1000 mod N, hex (any B ≠ 0 mod N
    // costs the same).
    let b_hex = format!("1{}", "0".repeat(250));
    let challenge = PasswordVerifierChallenge {
        salt: "a1b2c3d4e5f60718293a4b5c6d7e8f90",
        srp_b: &b_hex,
        secret_block: "AAECAwQFBgcICQ==",
        user_id_for_srp: "alice",
    };
    let mut full = Vec::new();
    let mut prepared = Vec::new();
    for _ in 0..30 {
        let t0 = Instant::now();
        let key = EphemeralKey::generate().unwrap();
        let t1 = Instant::now();
        let claim = answer_password_verifier(
            &key,
            "AbC123",
            "Passw0rd!",
            &challenge,
            "Sun Nov 22 04:00:00 UTC 2026",
        )
        .unwrap();
        let t2 = Instant::now();
        assert_eq!(claim.signature.len(), 44);
        full.push((t2 - t0).as_secs_f64() * 1e3);
        prepared.push((t2 - t1).as_secs_f64() * 1e3);
    }
    println!(
        "native full login median {:.2} ms; after the challenge with A prepared {:.2} ms",
        median(full),
        median(prepared)
    );
}
