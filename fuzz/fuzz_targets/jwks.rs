//! JWKS documents (`src/jwt/jwks.rs`) and key selection for a token
//! header's `kid` and `alg`. No panic; a selected key is an RSA signing key
//! for RS256 with the requested `kid`.
#![no_main]

use cognito_wasm::jwt::Jwks;
use fuzz_common::{parts, text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let p = parts(data);
    let Ok(jwks) = Jwks::parse(p[0]) else {
        return;
    };
    let kid = p.get(1).map(|k| text(k));
    let alg = p.get(2).map_or("RS256".to_owned(), |a| text(a));
    if let Ok(key) = jwks.select_rs256(kid.as_deref(), &alg) {
        assert_eq!(
            Some(key.kid.as_str()),
            kid.as_deref(),
            "selected another kid"
        );
        assert_eq!(alg, "RS256", "selected a key for {alg}");
        assert!(!key.n.is_empty() && !key.e.is_empty());
    }
});
