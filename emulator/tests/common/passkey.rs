//! A software authenticator for the passkey tests: makes registration and
//! assertion responses as WebAuthn §6 lays them out (authenticator data,
//! a "none" attestation object, a COSE ES256 key, DER signatures over
//! authenticatorData ‖ SHA-256(clientDataJSON)), signed with a P-256 key
//! held by the test.

#![allow(dead_code)]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ciborium::Value as Cbor;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

pub fn b64u(b: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(b)
}

pub fn unb64u(s: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD.decode(s).unwrap()
}

fn cbor(v: &Cbor) -> Vec<u8> {
    let mut out = vec![];
    ciborium::ser::into_writer(v, &mut out).unwrap();
    out
}

/// One credential on a software authenticator.
pub struct Authenticator {
    pub key: SigningKey,
    pub id: Vec<u8>,
    /// The rp id the authenticator hashes into its data (normally the one
    /// the options name; a test may force another).
    pub rp_id: Option<String>,
    pub counter: u32,
    pub uv: bool,
    /// COSE alg written into the key (-7 normally).
    pub alg: i64,
}

impl Authenticator {
    pub fn new() -> Self {
        let id: [u8; 16] = rand::random();
        Authenticator {
            key: SigningKey::random(&mut rand::rngs::OsRng),
            id: id.to_vec(),
            rp_id: None,
            counter: 0,
            uv: true,
            alg: -7,
        }
    }

    fn cose_key(&self) -> Vec<u8> {
        let p = self.key.verifying_key().to_encoded_point(false);
        let i = |n: i64| Cbor::Integer(n.into());
        cbor(&Cbor::Map(vec![
            (i(1), i(2)),
            (i(3), i(self.alg)),
            (i(-1), i(1)),
            (i(-2), Cbor::Bytes(p.x().unwrap().to_vec())),
            (i(-3), Cbor::Bytes(p.y().unwrap().to_vec())),
        ]))
    }

    fn auth_data(&self, rp_id: &str, attested: bool) -> Vec<u8> {
        let rp = self.rp_id.as_deref().unwrap_or(rp_id);
        let mut d = Sha256::digest(rp.as_bytes()).to_vec();
        let mut flags = 0x01 | if self.uv { 0x04 } else { 0 };
        if attested {
            flags |= 0x40;
        }
        d.push(flags);
        d.extend_from_slice(&self.counter.to_be_bytes());
        if attested {
            d.extend_from_slice(&[0u8; 16]);
            d.extend_from_slice(&(self.id.len() as u16).to_be_bytes());
            d.extend_from_slice(&self.id);
            d.extend_from_slice(&self.cose_key());
        }
        d
    }

    /// `navigator.credentials.create` for `options`
    /// (PublicKeyCredentialCreationOptionsJSON) from a page on `origin`:
    /// the RegistrationResponseJSON.
    pub fn create(&self, options: &Value, origin: &str) -> Value {
        let rp_id = options["rp"]["id"].as_str().unwrap();
        let cd = json!({"type": "webauthn.create", "challenge": options["challenge"],
            "origin": origin, "crossOrigin": false})
        .to_string();
        let att = cbor(&Cbor::Map(vec![
            (Cbor::Text("fmt".into()), Cbor::Text("none".into())),
            (Cbor::Text("attStmt".into()), Cbor::Map(vec![])),
            (
                Cbor::Text("authData".into()),
                Cbor::Bytes(self.auth_data(rp_id, true)),
            ),
        ]));
        json!({"id": b64u(&self.id), "rawId": b64u(&self.id), "type": "public-key",
            "authenticatorAttachment": "platform", "clientExtensionResults": {},
            "response": {"clientDataJSON": b64u(cd.as_bytes()), "attestationObject": b64u(&att),
                "transports": ["internal"]}})
    }

    /// `navigator.credentials.get` for `options`
    /// (PublicKeyCredentialRequestOptionsJSON) from a page on `origin`:
    /// the AuthenticationResponseJSON. Advances the counter.
    pub fn get(&mut self, options: &Value, origin: &str, user_handle: &str) -> Value {
        self.counter += 1;
        let rp_id = options["rpId"].as_str().unwrap();
        let cd = json!({"type": "webauthn.get", "challenge": options["challenge"],
            "origin": origin, "crossOrigin": false})
        .to_string();
        let ad = self.auth_data(rp_id, false);
        let mut msg = ad.clone();
        msg.extend_from_slice(&Sha256::digest(cd.as_bytes()));
        let sig: Signature = self.key.sign(&msg);
        json!({"id": b64u(&self.id), "rawId": b64u(&self.id), "type": "public-key",
            "authenticatorAttachment": "platform", "clientExtensionResults": {},
            "response": {"clientDataJSON": b64u(cd.as_bytes()), "authenticatorData": b64u(&ad),
                "signature": b64u(sig.to_der().as_bytes()), "userHandle": user_handle}})
    }
}
