//! JWT decode and claims (`src/jwt/`): a token assembled from the input's
//! header, claims and signature parts (base64url-encoded here, so the
//! fuzzer works on the JSON inside), and the raw input as a token. The
//! signature check is stubbed to pass so the claim rules are reached.
//! No panic; an accepted token has this pool's issuer, a `token_use` the
//! verifier allows, and has not expired.
#![no_main]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use cognito_wasm::json::Json;
use cognito_wasm::jwt::{decode_jwt, Jwks, JwtVerifier, Rs256Verifier, RsaPublicJwk, TokenUse};
use fuzz_common::{parts, pick, text, NOW};
use libfuzzer_sys::fuzz_target;

/// Every signature verifies: the claims are what is fuzzed here.
struct Accept;

impl Rs256Verifier for Accept {
    fn verify_rs256(&self, _: &RsaPublicJwk, _: &[u8], _: &[u8]) -> bool {
        true
    }
}

const JWKS: &str =
    r#"{"keys":[{"kty":"RSA","kid":"k1","use":"sig","alg":"RS256","n":"sXch","e":"AQAB"}]}"#;
const POOL: &str = "us-east-1_Fuzz";

fuzz_target!(|data: &[u8]| {
    let _ = decode_jwt(&text(data));
    let p = parts(data);
    let seg = |i: usize| URL_SAFE_NO_PAD.encode(p.get(i).copied().unwrap_or(b"{}"));
    let token = format!("{}.{}.{}", seg(1), seg(2), seg(3));
    let jwks = Jwks::parse(JWKS.as_bytes()).expect("fixed JWKS");
    let token_use = match pick(p[0], 3) {
        0 => Some(TokenUse::Id),
        1 => Some(TokenUse::Access),
        _ => None,
    };
    let verifier = JwtVerifier::cognito(POOL, Some("client"), token_use)
        .expect("fixed pool")
        .with_grace_seconds(5.0)
        .with_groups(&["admin"])
        .with_scopes(&["openid"]);
    let nonce = p[0].get(1).is_some_and(|b| b & 1 == 1).then_some("n0");
    let now = NOW as f64;
    let Ok(v) = verifier.verify(&token, &jwks, &Accept, now, nonce) else {
        return;
    };
    let claim = |k: &str| v.claims.get(k);
    let iss = claim("iss").and_then(Json::as_str).unwrap_or("");
    assert!(
        iss.ends_with(POOL) && iss.starts_with("https://"),
        "issuer {iss}"
    );
    let exp = claim("exp")
        .and_then(Json::as_f64)
        .expect("an accepted token has exp");
    assert!(exp + 5.0 > now, "expired token accepted");
    let use_ = claim("token_use").and_then(Json::as_str);
    match token_use {
        Some(TokenUse::Id) => assert_eq!(use_, Some("id")),
        Some(TokenUse::Access) => assert_eq!(use_, Some("access")),
        None => assert!(matches!(use_, Some("id" | "access")), "token_use {use_:?}"),
    }
});
