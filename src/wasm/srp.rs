//! The low-level SRP API (`srp` in the JS package).

use crate::prelude::*;

use super::error::to_js;
use crate::srp;
use wasm_bindgen::prelude::*;

/// A client SRP key pair (`a`, `A`) for one sign-in attempt.
#[wasm_bindgen]
pub struct SrpEphemeral {
    inner: srp::EphemeralKey,
}

#[wasm_bindgen]
impl SrpEphemeral {
    /// A fresh key pair from the platform CSPRNG.
    pub fn generate() -> Result<SrpEphemeral, JsValue> {
        srp::EphemeralKey::generate()
            .map(|inner| SrpEphemeral { inner })
            .map_err(to_js)
    }

    /// The key pair for a given secret `a`, hex (for known-answer tests).
    #[wasm_bindgen(js_name = fromSecretHex)]
    pub fn from_secret_hex(a_hex: &str) -> Result<SrpEphemeral, JsValue> {
        let a = srp::Num::from_hex(a_hex)
            .ok_or_else(|| to_js(crate::Error::InvalidHex { field: "a" }))?;
        srp::EphemeralKey::from_secret(&a.to_be_bytes())
            .map(|inner| SrpEphemeral { inner })
            .map_err(to_js)
    }

    /// The key pair for a secret `a` (big-endian bytes) and its `A = g^a mod N`
    /// computed by the host's native modular exponentiation (Node's
    /// `node:crypto`); see [`srp::EphemeralKey::from_parts`].
    #[wasm_bindgen(js_name = fromParts)]
    pub fn from_parts(a: &[u8], public_a: &[u8]) -> Result<SrpEphemeral, JsValue> {
        srp::EphemeralKey::from_parts(a, public_a)
            .map(|inner| SrpEphemeral { inner })
            .map_err(to_js)
    }

    /// `SRP_A` for `InitiateAuth`: hex.
    #[wasm_bindgen(getter, js_name = publicA)]
    pub fn public_a(&self) -> String {
        self.inner.public_hex()
    }
}

/// The SRP realm of a user pool: its id after `_` (checked).
#[wasm_bindgen(js_name = srpPoolName)]
pub fn pool_name(user_pool_id: &str) -> Result<String, JsValue> {
    srp::pool_name(user_pool_id)
        .map(str::to_owned)
        .map_err(to_js)
}

/// The challenge parameters as the SRP core takes them.
fn challenge<'a>(
    salt: &'a str,
    srp_b: &'a str,
    secret_block: &'a str,
    user_id_for_srp: &'a str,
) -> srp::PasswordVerifierChallenge<'a> {
    srp::PasswordVerifierChallenge {
        salt,
        srp_b,
        secret_block,
        user_id_for_srp,
    }
}

/// Answers a `PASSWORD_VERIFIER` challenge (Cognito `RespondToAuthChallenge`,
/// `USER_SRP_AUTH`) or a `DEVICE_PASSWORD_VERIFIER` one: `realm` is the
/// pool's name ([`pool_name`]) or the device's group key. Returns `[PASSWORD_CLAIM_SIGNATURE, TIMESTAMP]`; the JS
/// layer builds the `ChallengeResponses` object.
///
/// Takes the ephemeral by value: wasm-bindgen detaches it from its JS object
/// and the secret `a` is zeroed when this returns, so it cannot be reused
/// (one `a` per sign-in attempt, RFC 5054 §2.6).
#[wasm_bindgen(js_name = srpAnswerPasswordVerifier)]
#[allow(clippy::too_many_arguments)]
pub fn answer_password_verifier(
    ephemeral: SrpEphemeral,
    realm: &str,
    password: &str,
    salt: &str,
    srp_b: &str,
    secret_block: &str,
    user_id_for_srp: &str,
    unix_seconds: f64,
) -> Result<Vec<String>, JsValue> {
    let challenge = challenge(salt, srp_b, secret_block, user_id_for_srp);
    let timestamp = srp::cognito_timestamp(unix_seconds as i64);
    let claim =
        srp::answer_password_verifier(&ephemeral.inner, realm, password, &challenge, &timestamp)
            .map_err(to_js)?;
    Ok(vec![claim.signature, claim.timestamp])
}

/// Cognito's SRP `TIMESTAMP` for a time in seconds since the epoch.
#[wasm_bindgen(js_name = srpTimestamp)]
pub fn timestamp(unix_seconds: f64) -> String {
    srp::cognito_timestamp(unix_seconds as i64)
}

/// `SECRET_HASH` for an app client with a secret.
#[wasm_bindgen(js_name = secretHash)]
pub fn secret_hash(username: &str, client_id: &str, client_secret: &str) -> String {
    srp::secret_hash(username, client_id, client_secret)
}

/// A device password, salt and verifier for `ConfirmDevice`:
/// `[password, saltBase64, verifierBase64]`.
#[wasm_bindgen(js_name = generateDeviceVerifier)]
pub fn generate_device_verifier(
    device_group_key: &str,
    device_key: &str,
) -> Result<Vec<String>, JsValue> {
    let v = srp::generate_device_verifier(device_group_key, device_key).map_err(to_js)?;
    Ok(vec![String::clone(&v.password), v.salt_b64, v.verifier_b64])
}

/// [`generate_device_verifier`] with a given device password and salt bytes,
/// for known-answer tests only (the `cognito-wasm/testing` entry): returns
/// `[password, saltBase64, verifierBase64]`.
#[wasm_bindgen(js_name = deviceVerifierWith)]
pub fn device_verifier_with(
    device_group_key: &str,
    device_key: &str,
    password: &str,
    salt: &[u8],
) -> Result<Vec<String>, JsValue> {
    let v = srp::device_verifier_with(
        device_group_key,
        device_key,
        zeroize::Zeroizing::new(password.to_owned()),
        salt,
    )
    .map_err(to_js)?;
    Ok(vec![String::clone(&v.password), v.salt_b64, v.verifier_b64])
}

/// A `PASSWORD_VERIFIER` answer in steps, for a host's native modular
/// exponentiation (see [`srp::SplitClaim`]): `x`, then `base(g^x)` and
/// `exponent`, then `finish(S)`. Byte arrays are big-endian.
#[wasm_bindgen]
pub struct SrpSplit {
    inner: srp::SplitClaim,
}

/// Step 1 of [`SrpSplit`]: the same checks and errors as
/// [`answer_password_verifier`]; consumes the ephemeral (single use).
#[wasm_bindgen(js_name = srpSplitBegin)]
#[allow(clippy::too_many_arguments)]
pub fn split_begin(
    ephemeral: SrpEphemeral,
    realm: &str,
    password: &str,
    salt: &str,
    srp_b: &str,
    secret_block: &str,
    user_id_for_srp: &str,
    unix_seconds: f64,
) -> Result<SrpSplit, JsValue> {
    let challenge = challenge(salt, srp_b, secret_block, user_id_for_srp);
    let timestamp = srp::cognito_timestamp(unix_seconds as i64);
    srp::SplitClaim::begin(ephemeral.inner, realm, password, &challenge, &timestamp)
        .map(|inner| SrpSplit { inner })
        .map_err(to_js)
}

#[wasm_bindgen]
impl SrpSplit {
    /// `x`, the exponent of `g^x` (32 bytes, secret).
    pub fn x(&self) -> Vec<u8> {
        self.inner.x().to_vec()
    }

    /// `(B − k·g^x) mod N` (384 bytes) for the host's `g^x`.
    pub fn base(&self, g_x: &[u8]) -> Vec<u8> {
        self.inner.base(g_x).to_vec()
    }

    /// `a + u·x`, the exponent of `S` (secret).
    pub fn exponent(&self) -> Vec<u8> {
        self.inner.exponent().to_vec()
    }

    /// `base^(a + u·x) mod N` here, when the host cannot compute it.
    #[wasm_bindgen(js_name = powHere)]
    pub fn pow_here(&self, base: &[u8]) -> Vec<u8> {
        self.inner.pow_here(base).to_vec()
    }

    /// The claim from `S`: `[PASSWORD_CLAIM_SIGNATURE, TIMESTAMP]`.
    pub fn finish(&self, s: &[u8]) -> Result<Vec<String>, JsValue> {
        let claim = self.inner.finish(s).map_err(to_js)?;
        Ok(vec![claim.signature, claim.timestamp])
    }
}
