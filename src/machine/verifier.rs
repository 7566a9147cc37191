//! `JwtVerifier`: verifies Cognito tokens on a server or in a Worker, with
//! no storage, as aws-jwt-verify's `CognitoJwtVerifier` does (same checks,
//! same error names). The JWKS is fetched through the `http` effect and
//! cached per verifier; RS256 is the host's (`verify` effect).
//!
//! With the keys cached, a verification needs no machine: [`Verifier::begin`]
//! decodes and checks the token up to its signature in one call, the host
//! verifies the signature, and [`Pending::finish`] checks the claims. Every
//! other case (keys to fetch, an unknown `kid` that may be a rotation) runs
//! the `verify` machine.

use crate::prelude::*;

use super::hosted::{CachedCheck, JwksCache};
use super::io::Io;
use super::io::LocalFuture;
use crate::json::Json;
use crate::jwt::JwtVerifier;
use crate::transport::Transport;
use crate::Error;
use alloc::rc::Rc;

/// One verifier: its rules, its JWKS cache and its transport.
pub struct Verifier {
    pub(crate) rules: JwtVerifier,
    pub(crate) jwks: JwksCache,
    pub(crate) transport: Transport,
}

/// A verification begun on cached keys, waiting for the signature verdict.
pub struct Pending {
    verifier: Rc<Verifier>,
    check: CachedCheck,
}

impl Verifier {
    /// `verify(token)` → the token's claims.
    pub(crate) fn verify<'a>(
        &'a self,
        io: &'a Io,
        token: &'a str,
    ) -> LocalFuture<'a, Result<Json, Error>> {
        Box::pin(async move {
            let v = self
                .jwks
                .verify(io, &self.transport, &self.rules, token, None)
                .await?;
            Ok(v.claims)
        })
    }

    /// `verify(token)` at `now_ms` (the host's clock) without a machine:
    /// `None` when it needs one (keys to fetch), else the token's failure or
    /// the signature check to make.
    pub fn begin(self: &Rc<Self>, token: &str, now_ms: f64) -> Option<Result<Pending, Error>> {
        let check = self
            .jwks
            .prepare_cached(&self.rules, token, now_ms / 1000.0)?;
        Some(check.map(|check| Pending {
            verifier: self.clone(),
            check,
        }))
    }
}

impl Pending {
    /// The host's name for the key (the same number for the same key of
    /// the same JWKS document, while this module instance lives).
    pub fn key_id(&self) -> f64 {
        self.check.key_id
    }

    /// The key: RS256's RSA public key as published (`n`, `e`, base64url).
    pub fn key(&self) -> crate::jwt::RsaPublicJwk {
        self.check.jwks.rsa_key(self.check.index)
    }

    /// The bytes the signature covers (`header.payload`, ASCII).
    pub fn signing_input(&self) -> &str {
        &self.check.jwt.signing_input
    }

    /// The signature bytes.
    pub fn signature(&self) -> &[u8] {
        &self.check.jwt.signature
    }

    /// Given the host's verdict on the signature, at `now_ms`: the claims
    /// as checked, in the token's own JSON text (which `JSON.parse` reads as
    /// the core did: the same values, the last of duplicate names), or why
    /// the token is refused.
    pub fn finish(self, signature_valid: bool, now_ms: f64) -> Result<String, Error> {
        let rules = &self.verifier.rules;
        rules.accept(self.check.jwt, signature_valid, now_ms / 1000.0, None)?;
        Ok(self.check.claim_text)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{start_verifier_op, verifier_from_options, Machine};
    use super::Verifier;
    use crate::json::Json;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    use serde_json::{json, Value};
    use std::rc::Rc;

    const NOW_MS: f64 = 1_763_780_000_000.0;
    const ISSUER: &str = "http://127.0.0.1:9/us-east-1_Pool";
    const JWKS_PATH: &str = "http://127.0.0.1:9/us-east-1_Pool/.well-known/jwks.json";

    fn token(header: Value, claims: Value) -> String {
        let b = |v: Value| URL_SAFE_NO_PAD.encode(v.to_string());
        [b(header), b(claims), "c2ln".to_owned()].join(".")
    }

    fn verifier() -> Rc<Verifier> {
        let o = json!({"userPoolId": "us-east-1_Pool", "clientId": "client", "tokenUse": "access", "endpoint": "http://127.0.0.1:9/"});
        Rc::new(verifier_from_options(&Json::parse(o.to_string().as_bytes()).unwrap()).unwrap())
    }

    /// Runs the `verify` machine at `now_ms`, answering its effects (the
    /// JWKS `keys`, every signature `valid`): its value or error code, and
    /// the JWKS fetches it made.
    fn machine(
        v: &Rc<Verifier>,
        token: &str,
        now_ms: f64,
        keys: &Value,
        valid: bool,
    ) -> (Result<Value, String>, usize) {
        let mut m: Machine = start_verifier_op(v, Json::String(token.to_owned()));
        let mut input = json!({ "now": now_ms });
        let mut fetches = 0;
        loop {
            let out: Value =
                serde_json::from_str(&m.step(input.to_string().as_bytes()).to_json_string())
                    .unwrap();
            let answer = match out["t"].as_str().unwrap() {
                "done" => return (Ok(out["v"].clone()), fetches),
                "error" => return (Err(out["code"].as_str().unwrap().to_owned()), fetches),
                "http" => {
                    assert_eq!(out["url"], JWKS_PATH);
                    fetches += 1;
                    json!({"status": 200, "headers": [], "body": keys.to_string()})
                }
                "verify" => json!(valid),
                "lock" => json!(false),
                _ => Value::Null,
            };
            input = json!({ "now": now_ms, "v": answer });
        }
    }

    /// The same verification in one call when it needs no effect: `None`
    /// when the machine is needed, else its value or error code.
    fn one_call(
        v: &Rc<Verifier>,
        token: &str,
        now_ms: f64,
        valid: bool,
    ) -> Option<Result<Value, String>> {
        let code = |e: crate::Error| e.code().to_owned();
        Some(match v.begin(token, now_ms)? {
            Err(e) => Err(code(e)),
            Ok(p) => p
                .finish(valid, now_ms)
                .map(|text| serde_json::from_str(&text).unwrap())
                .map_err(code),
        })
    }

    #[test]
    fn cached_keys_verify_in_one_call_as_the_machine_does() {
        let v = verifier();
        let now = NOW_MS / 1000.0;
        let keys = json!({"keys": [
            {"kty":"RSA","kid":"k1","alg":"RS256","use":"sig","n":"sXch","e":"AQAB"},
            {"kty":"RSA","kid":"enc","use":"enc","n":"sXch","e":"AQAB"}
        ]});
        let rs256 = |kid: &str| json!({"alg":"RS256","kid":kid});
        let claims = json!({"sub":"s1","iss":ISSUER,"client_id":"client","token_use":"access","iat":now,"exp":now + 3600.0,"scope":"a b"});
        let good = token(rs256("k1"), claims.clone());

        // Nothing cached: the machine fetches the keys.
        assert!(v.begin(&good, NOW_MS).is_none());
        let (first, fetches) = machine(&v, &good, NOW_MS, &keys, true);
        assert_eq!((first.unwrap()["sub"].clone(), fetches), (json!("s1"), 1));

        let with = |name: &str, value: Value| {
            let mut c = claims.clone();
            c[name] = value;
            token(rs256("k1"), c)
        };
        let cases = [
            good.clone(),
            with("exp", json!(now - 1.0)),
            with("nbf", json!(now + 60.0)),
            with("iss", json!("https://elsewhere.example.com/pool")),
            with("client_id", json!("other")),
            with("token_use", json!("id")),
            with("exp", json!("soon")),
            token(json!({"alg":"none","kid":"k1"}), claims.clone()),
            token(json!({"alg":"HS256","kid":"k1"}), claims.clone()),
            token(rs256("enc"), claims.clone()),
            token(rs256("made-up"), claims.clone()),
            [good.as_str(), "x"].join("."),
            good.replacen('.', ".!", 1),
            "not a token".to_owned(),
        ];
        for t in &cases {
            for valid in [true, false] {
                let (expected, fetches) = machine(&v, t, NOW_MS, &keys, valid);
                assert_eq!(fetches, 0, "{t}");
                assert_eq!(
                    one_call(&v, t, NOW_MS, valid),
                    Some(expected),
                    "{t} {valid}"
                );
            }
        }

        // What the host is told: the signature, the signed text, the key.
        let p = v.begin(&good, NOW_MS).unwrap().unwrap();
        let signed = good.rsplit_once('.').unwrap().0;
        assert_eq!((p.signing_input(), p.signature()), (signed, &b"sig"[..]));
        assert_eq!((p.key().n.as_str(), p.key().e.as_str()), ("sXch", "AQAB"));
        let key_before = p.key_id();
        assert_eq!(
            v.begin(&good, NOW_MS).unwrap().unwrap().key_id(),
            key_before
        );

        // An unknown kid past the refetch window needs the machine (which
        // refetches); the key of the new document gets a new number, so an
        // imported key is never used for another document's key.
        let later = NOW_MS + 31_000.0;
        let unknown = token(rs256("k2"), claims.clone());
        assert!(v.begin(&unknown, later).is_none());
        let (e, fetches) = machine(&v, &unknown, later, &keys, true);
        assert_eq!((e, fetches), (Err("KidNotFoundInJwks".to_owned()), 1));
        assert_eq!(
            one_call(&v, &unknown, later, true),
            Some(Err("KidNotFoundInJwks".to_owned()))
        );
        let p = v.begin(&good, later).unwrap().unwrap();
        assert_ne!(p.key_id(), key_before);
    }
}
