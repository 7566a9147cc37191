//! Verification tests with tokens signed by independent RS256
//! implementations (the `rsa` crate here, Node's crypto in the fixture) and
//! verified through the two-step API with `rsa` as the host verifier.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use hmac::{Hmac, Mac};
use rsa::pkcs1v15::{Signature, SigningKey, VerifyingKey};
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer, Verifier};
use rsa::traits::PublicKeyParts;
use rsa::{BigUint, RsaPrivateKey, RsaPublicKey};
use serde_json::{json, Value};
use sha2::Sha256;
use std::sync::OnceLock;

use super::*;
use crate::json::Json;
use crate::Error;

const POOL: &str = "us-east-1_AbC123xyz";
const ISS: &str = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123xyz";
const CLIENT: &str = "client-1";
const NOW: f64 = 1_763_780_100.0;

fn key() -> &'static RsaPrivateKey {
    static KEY: OnceLock<RsaPrivateKey> = OnceLock::new();
    KEY.get_or_init(|| {
        RsaPrivateKey::from_pkcs8_pem(include_str!("testdata/test-key.pem")).expect("test key")
    })
}

fn jwks_value() -> Value {
    let pk = key().to_public_key();
    json!({"keys": [
        {"kty": "EC", "kid": "ec-key", "crv": "P-256", "x": "AA", "y": "AA"},
        {"kty": "RSA", "kid": "kid-1", "alg": "RS256", "use": "sig",
         "n": B64.encode(pk.n().to_bytes_be()), "e": B64.encode(pk.e().to_bytes_be())},
        {"kty": "RSA", "kid": "enc-key", "use": "enc", "n": "AQAB", "e": "AQAB"},
        {"kty": "RSA", "kid": "rs512-key", "alg": "RS512", "n": "AQAB", "e": "AQAB"},
        {"kty": "RSA", "kid": "no-n", "e": "AQAB"},
    ]})
}

fn jwks() -> Jwks {
    Jwks::parse(jwks_value().to_string().as_bytes()).unwrap()
}

fn seg(v: &Value) -> String {
    B64.encode(v.to_string())
}

fn sign(header: &Value, claims: &Value) -> String {
    let input = format!("{}.{}", seg(header), seg(claims));
    let sig = SigningKey::<Sha256>::new(key().clone()).sign(input.as_bytes());
    format!("{input}.{}", B64.encode(sig.to_bytes()))
}

fn id_claims() -> Value {
    json!({
        "sub": "u-1", "aud": CLIENT, "token_use": "id", "iss": ISS,
        "exp": NOW + 3600.0, "iat": NOW - 10.0, "nonce": "the-nonce",
        "cognito:groups": ["admins"], "email": "a@example.com",
    })
}

fn access_claims() -> Value {
    json!({
        "sub": "u-1", "client_id": CLIENT, "token_use": "access", "iss": ISS,
        "exp": NOW + 3600.0, "iat": NOW - 10.0, "scope": "openid email my-api/read",
    })
}

fn header() -> Value {
    json!({"kid": "kid-1", "alg": "RS256"})
}

/// The host's RS256 check, done by the `rsa` crate from the JWK's n and e.
struct RsaCrate;

impl Rs256Verifier for RsaCrate {
    fn verify_rs256(&self, key: &RsaPublicJwk, input: &[u8], sig: &[u8]) -> bool {
        let (Ok(n), Ok(e)) = (B64.decode(&key.n), B64.decode(&key.e)) else {
            return false;
        };
        let Ok(pk) = RsaPublicKey::new(BigUint::from_bytes_be(&n), BigUint::from_bytes_be(&e))
        else {
            return false;
        };
        let Ok(sig) = Signature::try_from(sig) else {
            return false;
        };
        VerifyingKey::<Sha256>::new(pk).verify(input, &sig).is_ok()
    }
}

fn id_verifier() -> JwtVerifier {
    JwtVerifier::cognito(POOL, Some(CLIENT), Some(TokenUse::Id)).unwrap()
}

fn access_verifier() -> JwtVerifier {
    JwtVerifier::cognito(POOL, Some(CLIENT), Some(TokenUse::Access)).unwrap()
}

fn verify(v: &JwtVerifier, token: &str, nonce: Option<&str>) -> Result<VerifiedJwt, Error> {
    v.verify(token, &jwks(), &RsaCrate, NOW, nonce)
}

fn code(r: Result<VerifiedJwt, Error>) -> &'static str {
    match r {
        Ok(_) => "accepted",
        Err(e) => e.code(),
    }
}

fn with(mut base: Value, key: &str, value: Value) -> Value {
    base[key] = value;
    base
}

fn without(mut base: Value, key: &str) -> Value {
    base.as_object_mut().unwrap().remove(key);
    base
}

#[test]
fn valid_id_and_access_tokens_are_accepted() {
    let id = sign(&header(), &id_claims());
    let ok = verify(&id_verifier(), &id, Some("the-nonce")).unwrap();
    assert_eq!(
        ok.claims.get("email").and_then(Json::as_str),
        Some("a@example.com")
    );
    assert_eq!(ok.header.kid.as_deref(), Some("kid-1"));
    let access = sign(&header(), &access_claims());
    assert!(verify(&access_verifier(), &access, None).is_ok());
    // token_use unset accepts either; client id unset skips that check.
    let any = JwtVerifier::cognito(POOL, None, None).unwrap();
    assert!(verify(&any, &id, None).is_ok());
    assert!(verify(&any, &access, None).is_ok());
    // The global issuer form is accepted, as aws-jwt-verify does.
    let global = with(
        id_claims(),
        "iss",
        json!("https://issuer-cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC123xyz"),
    );
    assert!(verify(&id_verifier(), &sign(&header(), &global), None).is_ok());
}

#[test]
fn two_step_api_exposes_what_webcrypto_needs() {
    let token = sign(&header(), &id_claims());
    let check = id_verifier().prepare(&token, &jwks()).unwrap();
    let mut parts = token.split('.');
    let expected_input = format!("{}.{}", parts.next().unwrap(), parts.next().unwrap());
    assert_eq!(check.signing_input(), expected_input.as_bytes());
    assert_eq!(
        check.signature(),
        B64.decode(parts.next().unwrap()).unwrap()
    );
    let jwk = &jwks_value()["keys"][1];
    assert_eq!(check.key().n, jwk["n"].as_str().unwrap());
    assert_eq!(check.key().e, jwk["e"].as_str().unwrap());
    assert_eq!(
        code(check.clone().accept(false, NOW, None)),
        "JwtInvalidSignature"
    );
    assert!(check.accept(true, NOW, Some("the-nonce")).is_ok());
}

#[test]
fn node_signed_fixture_verifies() {
    let fixture: Value = serde_json::from_str(include_str!("testdata/node-signed.json")).unwrap();
    let keys = Jwks::parse(fixture["jwks"].to_string().as_bytes()).unwrap();
    let token = fixture["token"].as_str().unwrap();
    let v = JwtVerifier::cognito(
        "eu-west-1_NodeTest1",
        Some("node-client"),
        Some(TokenUse::Id),
    )
    .unwrap()
    .with_groups(&["staff"]);
    let ok = v
        .verify(
            token,
            &keys,
            &RsaCrate,
            1_763_780_100.0,
            Some("n-0S6_WzA2Mj"),
        )
        .unwrap();
    assert_eq!(
        ok.claims.get("cognito:username").and_then(Json::as_str),
        Some("zoë")
    );
    // One flipped payload character and the same signature no longer holds.
    let mut bytes = token.as_bytes().to_vec();
    let i = token.find('.').unwrap() + 5;
    bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(bytes).unwrap();
    let r = v.verify(&tampered, &keys, &RsaCrate, 1_763_780_100.0, None);
    assert!(matches!(
        r.unwrap_err().code(),
        "JwtInvalidSignature" | "JwtParse"
    ));
}

#[test]
fn each_claim_rejection_has_its_code() {
    let id = id_verifier();
    let acc = access_verifier();
    let n = Some("the-nonce");
    let cases: Vec<(&str, &JwtVerifier, Value, Option<&str>, &str)> = vec![
        (
            "wrong iss",
            &id,
            with(
                id_claims(),
                "iss",
                json!("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other"),
            ),
            n,
            "JwtInvalidIssuer",
        ),
        (
            "no iss",
            &id,
            without(id_claims(), "iss"),
            n,
            "JwtInvalidIssuer",
        ),
        (
            "wrong aud",
            &id,
            with(id_claims(), "aud", json!("client-2")),
            n,
            "CognitoJwtInvalidClientId",
        ),
        (
            "aud array",
            &id,
            with(id_claims(), "aud", json!([CLIENT])),
            n,
            "CognitoJwtInvalidClientId",
        ),
        (
            "no aud",
            &id,
            without(id_claims(), "aud"),
            n,
            "CognitoJwtInvalidClientId",
        ),
        (
            "wrong client_id",
            &acc,
            with(access_claims(), "client_id", json!("client-2")),
            None,
            "CognitoJwtInvalidClientId",
        ),
        (
            "access as id",
            &id,
            access_claims(),
            None,
            "CognitoJwtInvalidTokenUse",
        ),
        (
            "id as access",
            &acc,
            id_claims(),
            None,
            "CognitoJwtInvalidTokenUse",
        ),
        (
            "no token_use",
            &id,
            without(id_claims(), "token_use"),
            n,
            "CognitoJwtInvalidTokenUse",
        ),
        (
            "odd token_use",
            &id,
            with(id_claims(), "token_use", json!("refresh")),
            n,
            "CognitoJwtInvalidTokenUse",
        ),
        (
            "wrong nonce",
            &id,
            with(id_claims(), "nonce", json!("other")),
            n,
            "JwtInvalidNonce",
        ),
        (
            "no nonce",
            &id,
            without(id_claims(), "nonce"),
            n,
            "JwtInvalidNonce",
        ),
        (
            "expired",
            &id,
            with(id_claims(), "exp", json!(NOW - 1.0)),
            n,
            "JwtExpired",
        ),
        (
            "not yet valid",
            &id,
            with(id_claims(), "nbf", json!(NOW + 60.0)),
            n,
            "JwtNotBefore",
        ),
        (
            "issued in future",
            &id,
            with(id_claims(), "iat", json!(NOW + 60.0)),
            n,
            "JwtIssuedInFuture",
        ),
        (
            "oidc without iat",
            &id,
            without(id_claims(), "iat"),
            n,
            "JwtMissingClaim",
        ),
        (
            "oidc without exp",
            &id,
            without(id_claims(), "exp"),
            n,
            "JwtMissingClaim",
        ),
        (
            "exp a string",
            &id,
            with(id_claims(), "exp", json!("soon")),
            n,
            "JwtParse",
        ),
        (
            "iss a number",
            &id,
            with(id_claims(), "iss", json!(7)),
            n,
            "JwtParse",
        ),
        (
            "aud an object",
            &id,
            with(id_claims(), "aud", json!({})),
            n,
            "JwtParse",
        ),
        ("valid", &id, id_claims(), n, "accepted"),
        (
            "expired exactly now",
            &id,
            with(id_claims(), "exp", json!(NOW)),
            n,
            "accepted",
        ),
    ];
    for (name, v, claims, nonce, want) in cases {
        let token = sign(&header(), &claims);
        assert_eq!(code(verify(v, &token, nonce)), want, "{name}");
    }
}

#[test]
fn grace_groups_and_scopes() {
    let expired = sign(&header(), &with(id_claims(), "exp", json!(NOW - 30.0)));
    assert_eq!(code(verify(&id_verifier(), &expired, None)), "JwtExpired");
    let lenient = id_verifier().with_grace_seconds(60.0);
    assert_eq!(code(verify(&lenient, &expired, None)), "accepted");
    let early = sign(&header(), &with(id_claims(), "nbf", json!(NOW + 30.0)));
    assert_eq!(code(verify(&lenient, &early, None)), "accepted");

    let id = sign(&header(), &id_claims());
    let admins = id_verifier().with_groups(&["staff", "admins"]);
    assert_eq!(code(verify(&admins, &id, None)), "accepted");
    let staff = id_verifier().with_groups(&["staff"]);
    assert_eq!(code(verify(&staff, &id, None)), "CognitoJwtInvalidGroup");

    let access = sign(&header(), &access_claims());
    let read = access_verifier().with_scopes(&["my-api/read"]);
    assert_eq!(code(verify(&read, &access, None)), "accepted");
    let write = access_verifier().with_scopes(&["my-api/write"]);
    assert_eq!(code(verify(&write, &access, None)), "JwtInvalidScope");
    let no_scope = sign(&header(), &without(access_claims(), "scope"));
    assert_eq!(code(verify(&read, &no_scope, None)), "JwtInvalidScope");

    let multi = access_verifier().with_client_ids(&["x", CLIENT]);
    assert_eq!(code(verify(&multi, &access, None)), "accepted");

    let emulator = JwtVerifier::cognito(POOL, Some(CLIENT), Some(TokenUse::Access))
        .unwrap()
        .with_issuer("http://127.0.0.1:9229/us-east-1_AbC123xyz/");
    let local = sign(
        &header(),
        &with(
            access_claims(),
            "iss",
            json!("http://127.0.0.1:9229/us-east-1_AbC123xyz"),
        ),
    );
    assert_eq!(code(verify(&emulator, &local, None)), "accepted");
    assert_eq!(code(verify(&emulator, &access, None)), "JwtInvalidIssuer");
}

#[test]
fn signature_and_algorithm_attacks_are_refused() {
    let v = id_verifier();
    let good = sign(&header(), &id_claims());
    let (input, sig) = good.rsplit_once('.').unwrap();

    // Claims swapped under a valid signature.
    let forged_claims = with(id_claims(), "sub", json!("admin"));
    let forged = format!("{}.{}.{sig}", seg(&header()), seg(&forged_claims));
    assert_eq!(code(verify(&v, &forged, None)), "JwtInvalidSignature");

    // A corrupted signature.
    let mut raw = B64.decode(sig).unwrap();
    raw[10] ^= 1;
    let bad_sig = format!("{input}.{}", B64.encode(&raw));
    assert_eq!(code(verify(&v, &bad_sig, None)), "JwtInvalidSignature");

    // alg none, with and without a signature segment.
    let none_header = json!({"kid": "kid-1", "alg": "none"});
    let none = format!("{}.{}.", seg(&none_header), seg(&id_claims()));
    assert_eq!(code(verify(&v, &none, None)), "JwtParse");
    let none_signed = format!("{}.{}.{sig}", seg(&none_header), seg(&id_claims()));
    assert_eq!(
        code(verify(&v, &none_signed, None)),
        "JwtInvalidSignatureAlgorithm"
    );
    let no_alg = format!(
        "{}.{}.{sig}",
        seg(&json!({"kid": "kid-1"})),
        seg(&id_claims())
    );
    assert_eq!(
        code(verify(&v, &no_alg, None)),
        "JwtInvalidSignatureAlgorithm"
    );

    // HS256 keyed with the public modulus: the classic key-confusion forgery.
    let hs_header = json!({"kid": "kid-1", "alg": "HS256"});
    let hs_input = format!("{}.{}", seg(&hs_header), seg(&id_claims()));
    let n = jwks_value()["keys"][1]["n"].as_str().unwrap().to_owned();
    let mut mac = Hmac::<Sha256>::new_from_slice(n.as_bytes()).unwrap();
    mac.update(hs_input.as_bytes());
    let hs = format!("{hs_input}.{}", B64.encode(mac.finalize().into_bytes()));
    assert_eq!(code(verify(&v, &hs, None)), "JwtInvalidSignatureAlgorithm");
}

#[test]
fn key_selection_errors() {
    let v = id_verifier();
    let cases = [
        (
            json!({"kid": "unknown", "alg": "RS256"}),
            "KidNotFoundInJwks",
        ),
        (json!({"alg": "RS256"}), "KidNotFoundInJwks"),
        (json!({"kid": "", "alg": "RS256"}), "KidNotFoundInJwks"),
        (json!({"kid": "ec-key", "alg": "RS256"}), "JwkValidation"),
        (json!({"kid": "enc-key", "alg": "RS256"}), "JwkValidation"),
        (
            json!({"kid": "rs512-key", "alg": "RS256"}),
            "JwtInvalidSignatureAlgorithm",
        ),
        (json!({"kid": "no-n", "alg": "RS256"}), "JwkValidation"),
        (json!({"kid": 5, "alg": "RS256"}), "JwtParse"),
        (json!({"kid": "kid-1", "alg": 256}), "JwtParse"),
    ];
    for (h, want) in cases {
        let token = sign(&h, &id_claims());
        assert_eq!(code(verify(&v, &token, None)), want, "{h}");
    }
}

#[test]
fn malformed_tokens_are_parse_errors() {
    let good = sign(&header(), &id_claims());
    let (h, rest) = good.split_once('.').unwrap();
    let (p, s) = rest.split_once('.').unwrap();
    let cases = [
        String::new(),
        "abc".into(),
        format!("{h}.{p}"),
        format!("{h}.{p}.{s}.x"),
        format!("{h}.{p}.{s}.x.y"),
        format!(".{p}.{s}"),
        format!("{h}..{s}"),
        format!("{h}.{p}!.{s}"),
        format!("{h}.{p}.{s}+/"),
        format!("{}.{p}.{s}", B64.encode("not json")),
        format!("{}.{p}.{s}", B64.encode("[1]")),
        format!("{h}.{}.{s}", B64.encode("{\"a\":")),
        format!("{h}.{}.{s}", B64.encode("\"claims\"")),
        format!("{h}.{}.{s}", B64.encode([0xff, 0xfe])),
        format!("{h} .{p}.{s}"),
    ];
    for t in cases {
        assert_eq!(code(verify(&id_verifier(), &t, None)), "JwtParse", "{t:?}");
    }
    // Padding and unused trailing bits are tolerated as aws-jwt-verify does;
    // the signing input is the text as sent, so nothing else changes.
    let padded = format!("{h}.{p}.{s}==");
    assert!(decode_jwt(&padded).is_ok());
}

#[test]
fn jwks_shape_errors() {
    let cases: &[&str] = &[
        "",
        "<html></html>",
        "[]",
        "{}",
        r#"{"keys": {}}"#,
        r#"{"keys": [1]}"#,
        r#"{"keys": [{"kid": "a"}]}"#,
        r#"{"keys": [{"kty": "RSA", "kid": 1}]}"#,
        r#"{"keys": [{"kty": "RSA", "n": null}]}"#,
        r#"{"keys": [{"kty": "RSA", "e": "AQAB""#,
    ];
    for c in cases {
        assert_eq!(
            Jwks::parse(c.as_bytes()).unwrap_err().code(),
            "JwksValidation",
            "{c}"
        );
    }
    assert_eq!(Jwks::parse(br#"{"keys": []}"#).unwrap().keys.len(), 0);
}

#[test]
fn verifier_rejects_bad_pool_ids() {
    for bad in [
        "",
        "us-east-1",
        "_abc",
        "us-east-1_",
        "us-east-1_a/b",
        "US-EAST-1_abc",
    ] {
        assert_eq!(
            JwtVerifier::cognito(bad, None, None).unwrap_err().code(),
            "InvalidUserPoolId",
            "{bad}"
        );
    }
}

#[test]
fn generic_openid_provider_id_tokens() {
    let issuer = "http://127.0.0.1:4010";
    let v = JwtVerifier::oidc("http://127.0.0.1:4010/", "spa");
    let claims = json!({
        "iss": issuer, "sub": "u", "aud": ["spa", "other"], "azp": "spa",
        "exp": NOW + 60.0, "iat": NOW, "nonce": "n1",
    });
    let good = sign(&header(), &claims);
    assert_eq!(code(verify(&v, &good, Some("n1"))), "accepted");
    assert_eq!(code(verify(&v, &good, Some("n2"))), "JwtInvalidNonce");
    let wrong_aud = sign(&header(), &with(claims.clone(), "aud", json!("other")));
    assert_eq!(
        code(verify(&v, &wrong_aud, Some("n1"))),
        "CognitoJwtInvalidClientId"
    );
    let wrong_iss = sign(&header(), &with(claims.clone(), "iss", json!(ISS)));
    assert_eq!(code(verify(&v, &wrong_iss, Some("n1"))), "JwtInvalidIssuer");
    // The Cognito verifier refuses the same token: it has no token_use.
    let cognito = JwtVerifier::cognito(POOL, Some("spa"), None)
        .unwrap()
        .with_issuer(issuer);
    assert_eq!(
        code(verify(&cognito, &good, Some("n1"))),
        "CognitoJwtInvalidTokenUse"
    );
}

#[test]
fn a_broken_clock_fails_closed() {
    let token = sign(&header(), &id_claims());
    let check = id_verifier().prepare(&token, &jwks()).unwrap();
    for now in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        assert_eq!(
            code(check.clone().accept(true, now, None)),
            "JwtExpired",
            "{now}"
        );
    }
}

/// Fuzzing regression (fuzz target `jwks`): a key without `alg` was handed
/// out for a token header of another algorithm; only RS256 gets a key.
#[test]
fn a_key_without_alg_is_selected_for_rs256_only() {
    let doc = br#"{"keys":[{"kid":"k1","kty":"RSA","e":"AQAB","n":"zqOYE3NC0tL6ySOyaYWhCHYk3RH3V3VDm-ICKkNRo1"}]}"#;
    let jwks = Jwks::parse(doc).unwrap();
    assert_eq!(jwks.select_rs256(Some("k1"), "RS256").unwrap().kid, "k1");
    for alg in ["RS2g56\"}]}", "HS256", "none", ""] {
        assert!(
            matches!(
                jwks.select_rs256(Some("k1"), alg),
                Err(Error::Jwt(JwtError::InvalidSignatureAlgorithm))
            ),
            "{alg:?}"
        );
    }
}
