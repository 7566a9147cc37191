//! WebAuthn relying-party verification for passkeys (Web Authentication
//! Level 3, §7.1 "Registering a New Credential" and §7.2 "Verifying an
//! Authentication Assertion"), as Cognito does for `USER_AUTH` with
//! `WEB_AUTHN` and `CompleteWebAuthnRegistration` ("Passkey sign-in" in the
//! Amazon Cognito Developer Guide). ES256 (COSE alg -7, P-256) only, the
//! algorithm every passkey provider offers; attestation is not requested
//! (`attestation: "none"`), so attestation statements are not checked.

use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, VerifyingKey};
use p256::EncodedPoint;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::util::{b64url, now};

/// How long a registration or sign-in challenge may be answered, in
/// seconds; also the `timeout` of the options (§5.4 / §5.5 `timeout`).
/// Shorter than a challenge `Session` (3 minutes) so that a late answer is
/// refused as an expired challenge rather than an expired session.
pub const CHALLENGE_TTL: i64 = 120;

/// COSE algorithm identifier of ES256 (RFC 9053 §2.1).
pub const ES256: i64 = -7;

/// A pool's passkey settings (`WebAuthnConfigurationType` of
/// `SetUserPoolMfaConfig`, plus whether `WEB_AUTHN` is an allowed first
/// factor of the pool's sign-in policy).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebAuthnConfig {
    /// `WEB_AUTHN` among the pool's `AllowedFirstAuthFactors`; when false,
    /// the passkey operations answer `WebAuthnNotEnabledException`.
    #[serde(default = "yes")]
    pub enabled: bool,
    /// `RelyingPartyId`; when unset, the host of the request's `Origin`
    /// (what a pool without a custom domain offers the page it serves).
    #[serde(default)]
    pub relying_party_id: Option<String>,
    /// `UserVerification`: `preferred` (default) or `required` (the UV flag
    /// must be set, §7.1 step 15 / §7.2 step 17).
    #[serde(default = "preferred")]
    pub user_verification: String,
}

fn yes() -> bool {
    true
}

fn preferred() -> String {
    "preferred".into()
}

impl Default for WebAuthnConfig {
    fn default() -> Self {
        WebAuthnConfig {
            enabled: true,
            relying_party_id: None,
            user_verification: preferred(),
        }
    }
}

impl WebAuthnConfig {
    /// Whether the UV flag is demanded.
    pub fn uv_required(&self) -> bool {
        self.user_verification == "required"
    }

    /// The relying-party id for a request from `origin`: the configured one,
    /// else the origin's host; neither gives
    /// `WebAuthnConfigurationMissingException`.
    pub fn rp_id(&self, origin: Option<&str>) -> Result<String, ApiError> {
        if !self.enabled {
            return Err(not_enabled());
        }
        if let Some(id) = &self.relying_party_id {
            return Ok(id.clone());
        }
        origin
            .and_then(|o| url::Url::parse(o).ok())
            .and_then(|u| u.host_str().map(str::to_string))
            .ok_or_else(|| {
                ApiError::new(
                    "WebAuthnConfigurationMissingException",
                    "No relying-party id is configured and the request has no Origin.",
                )
            })
    }
}

/// `WebAuthnNotEnabledException`.
pub fn not_enabled() -> ApiError {
    ApiError::new(
        "WebAuthnNotEnabledException",
        "Passkey authentication is not enabled for this user pool.",
    )
}

/// `WebAuthnChallengeNotFoundException`: unknown, used or expired challenge.
pub fn challenge_not_found() -> ApiError {
    ApiError::new(
        "WebAuthnChallengeNotFoundException",
        "The challenge was not found, was already used or has expired.",
    )
}

fn rp_mismatch() -> ApiError {
    ApiError::new(
        "WebAuthnRelyingPartyMismatchException",
        "The credential was made for another relying party.",
    )
}

fn not_supported(why: &str) -> ApiError {
    ApiError::new("WebAuthnCredentialNotSupportedException", why)
}

fn bad(why: &str) -> ApiError {
    ApiError::invalid_parameter(why)
}

/// A registered passkey (what `ListWebAuthnCredentials` describes, plus the
/// public key and signature counter kept for verification).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredCredential {
    /// Credential id, base64url (`CredentialId`).
    pub credential_id: String,
    /// The P-256 public key, SEC1 uncompressed point, base64url.
    pub public_key: String,
    /// The last signature counter seen (§6.1.1).
    pub sign_count: u32,
    /// `RelyingPartyId` the credential is scoped to.
    pub relying_party_id: String,
    /// `AuthenticatorTransports` reported at registration.
    #[serde(default)]
    pub transports: Vec<String>,
    /// `AuthenticatorAttachment` (`platform` / `cross-platform`), if known.
    #[serde(default)]
    pub attachment: Option<String>,
    /// `FriendlyCredentialName`.
    #[serde(default)]
    pub friendly_name: String,
    /// `CreatedAt` (Unix seconds).
    pub created: f64,
}

/// What a challenge was issued for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CeremonyKind {
    /// `StartWebAuthnRegistration` (`webauthn.create`).
    Register,
    /// A `WEB_AUTHN` sign-in challenge (`webauthn.get`).
    Authenticate,
}

/// An issued, unanswered challenge (single use, [`CHALLENGE_TTL`]).
#[derive(Clone, Debug)]
pub struct Ceremony {
    /// Registration or sign-in.
    pub kind: CeremonyKind,
    /// Pool id.
    pub pool_id: String,
    /// The app client that asked for it.
    pub client_id: String,
    /// Username.
    pub username: String,
    /// The relying-party id the options named.
    pub rp_id: String,
    /// Expiry (Unix seconds).
    pub expires: i64,
}

/// `CollectedClientData` (§5.8.1), the members checked.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientData {
    /// `webauthn.create` or `webauthn.get`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The challenge, base64url.
    pub challenge: String,
    /// The caller's origin.
    pub origin: String,
    /// Whether the call came from a cross-origin iframe.
    #[serde(default)]
    pub cross_origin: bool,
}

/// Decodes base64url with or without padding.
pub fn b64url_any(s: &str) -> Option<Vec<u8>> {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    URL_SAFE_NO_PAD.decode(s.trim_end_matches('=')).ok()
}

/// Parses `clientDataJSON` (base64url) and checks its type.
pub fn client_data(b64: &str, kind: &str) -> Result<(ClientData, Vec<u8>), ApiError> {
    let raw = b64url_any(b64).ok_or_else(|| bad("clientDataJSON is not base64url."))?;
    let cd: ClientData =
        serde_json::from_slice(&raw).map_err(|_| bad("clientDataJSON is not valid JSON."))?;
    if cd.kind != kind {
        return Err(bad("clientDataJSON has the wrong type."));
    }
    Ok((cd, raw))
}

/// The origin check of §7.1 step 9 / §7.2 step 13: the page's origin must
/// be the rp id or a subdomain of it (§5.1.4.1 / HTML "is a registrable
/// domain suffix"), over https, or over http on a loopback host (a secure
/// context for browsers). Cross-origin iframes are refused.
pub fn check_origin(cd: &ClientData, rp_id: &str) -> Result<(), ApiError> {
    let refused = || {
        ApiError::new(
            "WebAuthnOriginNotAllowedException",
            "The origin is not allowed for this relying party.",
        )
    };
    if cd.cross_origin {
        return Err(refused());
    }
    let url = url::Url::parse(&cd.origin).map_err(|_| refused())?;
    let host = url.host_str().ok_or_else(refused)?;
    let loopback = matches!(host, "localhost" | "127.0.0.1" | "[::1]");
    let secure = url.scheme() == "https" || (url.scheme() == "http" && loopback);
    let within = host == rp_id || host.ends_with(&format!(".{rp_id}"));
    if secure && within {
        Ok(())
    } else {
        Err(refused())
    }
}

/// Authenticator data (§6.1), the parts a relying party checks.
pub struct AuthData {
    /// SHA-256 of the rp id the authenticator scoped the credential to.
    pub rp_id_hash: [u8; 32],
    /// Flags: UP 0x01, UV 0x04, AT 0x40, ED 0x80.
    pub flags: u8,
    /// Signature counter.
    pub sign_count: u32,
    /// Attested credential data (§6.5.2): credential id and COSE key.
    pub attested: Option<(Vec<u8>, Vec<u8>)>,
}

/// User present.
pub const UP: u8 = 0x01;
/// User verified.
pub const UV: u8 = 0x04;
/// Attested credential data included.
pub const AT: u8 = 0x40;

/// Parses authenticator data.
pub fn auth_data(bytes: &[u8]) -> Result<AuthData, ApiError> {
    let short = || bad("authenticatorData is too short.");
    let rp_id_hash: [u8; 32] = bytes
        .get(..32)
        .and_then(|s| s.try_into().ok())
        .ok_or_else(short)?;
    let flags = *bytes.get(32).ok_or_else(short)?;
    let count: [u8; 4] = bytes
        .get(33..37)
        .and_then(|s| s.try_into().ok())
        .ok_or_else(short)?;
    let attested = if flags & AT != 0 {
        // aaguid (16) | credentialIdLength (2) | credentialId | COSE key
        let len = bytes.get(53..55).ok_or_else(short)?;
        let len = u16::from_be_bytes([len[0], len[1]]) as usize;
        let id = bytes.get(55..55 + len).ok_or_else(short)?.to_vec();
        let key = bytes.get(55 + len..).ok_or_else(short)?.to_vec();
        Some((id, key))
    } else {
        None
    };
    Ok(AuthData {
        rp_id_hash,
        flags,
        sign_count: u32::from_be_bytes(count),
        attested,
    })
}

fn map_get(m: &[(ciborium::Value, ciborium::Value)], key: i64) -> Option<&ciborium::Value> {
    m.iter().find_map(|(k, v)| match k.as_integer() {
        Some(i) if i128::from(i) == i128::from(key) => Some(v),
        _ => None,
    })
}

/// A COSE_Key (RFC 9052 §7, RFC 9053 §7.1.1) as a P-256 verifying key:
/// kty 2 (EC2), alg -7 (ES256), crv 1 (P-256). Anything else is
/// `WebAuthnCredentialNotSupportedException`.
pub fn cose_es256(cose: &[u8]) -> Result<VerifyingKey, ApiError> {
    let v: ciborium::Value = ciborium::de::from_reader(cose)
        .map_err(|_| bad("The credential public key is not CBOR."))?;
    let m = v
        .as_map()
        .ok_or_else(|| bad("The credential public key is not a COSE key."))?;
    let int = |k| map_get(m, k).and_then(|v| v.as_integer()).map(i128::from);
    if int(1) != Some(2) || int(3) != Some(ES256 as i128) || int(-1) != Some(1) {
        return Err(not_supported("Only ES256 (P-256) passkeys are supported."));
    }
    let coord = |k| {
        map_get(m, k)
            .and_then(|v| v.as_bytes())
            .filter(|b| b.len() == 32)
            .cloned()
            .ok_or_else(|| bad("The credential public key has a bad coordinate."))
    };
    let (x, y) = (coord(-2)?, coord(-3)?);
    let point = EncodedPoint::from_affine_coordinates(
        p256::FieldBytes::from_slice(&x),
        p256::FieldBytes::from_slice(&y),
        false,
    );
    VerifyingKey::from_encoded_point(&point)
        .map_err(|_| bad("The credential public key is not on the curve."))
}

/// The checks common to both ceremonies on authenticator data: rp id hash
/// (§7.1 step 13 / §7.2 step 15), user presence and, as configured, user
/// verification.
fn check_flags(ad: &AuthData, rp_id: &str, uv_required: bool) -> Result<(), ApiError> {
    let want: [u8; 32] = Sha256::digest(rp_id.as_bytes()).into();
    if ad.rp_id_hash != want {
        return Err(rp_mismatch());
    }
    if ad.flags & UP == 0 {
        return Err(ApiError::not_authorized("The user was not present."));
    }
    if uv_required && ad.flags & UV == 0 {
        return Err(ApiError::not_authorized(
            "The user pool requires user verification.",
        ));
    }
    Ok(())
}

fn field<'a>(v: &'a serde_json::Value, path: &[&str]) -> Result<&'a str, ApiError> {
    let mut cur = v;
    for p in path {
        cur = cur
            .get(*p)
            .ok_or_else(|| bad("The credential is missing a member."))?;
    }
    cur.as_str()
        .ok_or_else(|| bad("The credential has a member of the wrong type."))
}

/// The challenge a `RegistrationResponseJSON` / `AuthenticationResponseJSON`
/// answers (read before the ceremony is looked up).
pub fn challenge_of(credential: &serde_json::Value, kind: &str) -> Result<String, ApiError> {
    if credential.get("type").and_then(|t| t.as_str()) != Some("public-key") {
        return Err(not_supported("The credential type must be public-key."));
    }
    let (cd, _) = client_data(field(credential, &["response", "clientDataJSON"])?, kind)?;
    Ok(cd.challenge)
}

/// Verifies a `RegistrationResponseJSON` (§7.1) against an issued ceremony:
/// the new credential to store.
pub fn verify_registration(
    credential: &serde_json::Value,
    ceremony: &Ceremony,
    challenge: &str,
    uv_required: bool,
) -> Result<StoredCredential, ApiError> {
    let (cd, _) = client_data(
        field(credential, &["response", "clientDataJSON"])?,
        "webauthn.create",
    )?;
    if cd.challenge != challenge {
        return Err(challenge_not_found());
    }
    check_origin(&cd, &ceremony.rp_id)?;
    let att = b64url_any(field(credential, &["response", "attestationObject"])?)
        .ok_or_else(|| bad("attestationObject is not base64url."))?;
    let att: ciborium::Value = ciborium::de::from_reader(att.as_slice())
        .map_err(|_| bad("attestationObject is not CBOR."))?;
    let auth_bytes = att
        .as_map()
        .and_then(|m| {
            m.iter()
                .find(|(k, _)| k.as_text() == Some("authData"))
                .and_then(|(_, v)| v.as_bytes())
        })
        .ok_or_else(|| bad("attestationObject has no authData."))?;
    let ad = auth_data(auth_bytes)?;
    check_flags(&ad, &ceremony.rp_id, uv_required)?;
    let (id, cose) = ad
        .attested
        .as_ref()
        .ok_or_else(|| bad("The authenticator data has no attested credential."))?;
    let raw_id =
        b64url_any(field(credential, &["rawId"])?).ok_or_else(|| bad("rawId is not base64url."))?;
    if &raw_id != id {
        return Err(bad("rawId does not match the attested credential id."));
    }
    let key = cose_es256(cose)?;
    let transports = credential
        .pointer("/response/transports")
        .and_then(|t| t.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let attachment = credential
        .get("authenticatorAttachment")
        .and_then(|a| a.as_str())
        .map(str::to_string);
    Ok(StoredCredential {
        credential_id: b64url(id),
        public_key: b64url(key.to_encoded_point(false).as_bytes()),
        sign_count: ad.sign_count,
        relying_party_id: ceremony.rp_id.clone(),
        friendly_name: match attachment.as_deref() {
            Some("platform") => "Passkey on this device".into(),
            _ => "Passkey".into(),
        },
        transports,
        attachment,
        created: crate::util::now_f64(),
    })
}

/// Verifies an `AuthenticationResponseJSON` (§7.2) made with `stored`
/// against the issued `challenge` for `rp_id`: the new signature counter.
/// `user_handle` is the user's WebAuthn id (base64url of the `sub`).
pub fn verify_assertion(
    credential: &serde_json::Value,
    stored: &StoredCredential,
    rp_id: &str,
    challenge: &str,
    user_handle: &str,
    uv_required: bool,
) -> Result<u32, ApiError> {
    let (cd, cd_raw) = client_data(
        field(credential, &["response", "clientDataJSON"])?,
        "webauthn.get",
    )?;
    if cd.challenge != challenge {
        return Err(challenge_not_found());
    }
    check_origin(&cd, rp_id)?;
    if stored.relying_party_id != rp_id {
        return Err(rp_mismatch());
    }
    if let Some(h) = credential
        .pointer("/response/userHandle")
        .and_then(|h| h.as_str())
        .filter(|h| !h.is_empty())
    {
        if b64url_any(h) != b64url_any(user_handle) {
            return Err(ApiError::not_authorized(
                "The passkey belongs to another user.",
            ));
        }
    }
    let ad_raw = b64url_any(field(credential, &["response", "authenticatorData"])?)
        .ok_or_else(|| bad("authenticatorData is not base64url."))?;
    let ad = auth_data(&ad_raw)?;
    check_flags(&ad, rp_id, uv_required)?;
    let sig = b64url_any(field(credential, &["response", "signature"])?)
        .ok_or_else(|| bad("signature is not base64url."))?;
    let sig = Signature::from_der(&sig)
        .map_err(|_| ApiError::not_authorized("The passkey signature is not valid."))?;
    let point = b64url_any(&stored.public_key)
        .and_then(|p| VerifyingKey::from_sec1_bytes(&p).ok())
        .ok_or_else(|| ApiError::internal("The stored passkey is corrupt."))?;
    // §7.2 step 20: the signature is over authenticatorData || SHA-256(clientDataJSON).
    let mut signed = ad_raw.clone();
    signed.extend_from_slice(&Sha256::digest(&cd_raw));
    point
        .verify(&signed, &sig)
        .map_err(|_| ApiError::not_authorized("The passkey signature is not valid."))?;
    // §7.2 step 21 / §6.1.1: a counter that does not grow signals a
    // possibly cloned authenticator; both zero means the authenticator
    // keeps no counter.
    if (ad.sign_count != 0 || stored.sign_count != 0) && ad.sign_count <= stored.sign_count {
        return Err(ApiError::not_authorized(
            "The passkey signature counter did not increase.",
        ));
    }
    Ok(ad.sign_count)
}

/// Whether a ceremony is still answerable.
pub fn live(c: &Ceremony) -> bool {
    c.expires > now()
}
