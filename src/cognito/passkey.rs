//! Passkey management requests and responses (Amazon Cognito API
//! Reference: `StartWebAuthnRegistration`, `CompleteWebAuthnRegistration`,
//! `ListWebAuthnCredentials`, `DeleteWebAuthnCredential`). The WebAuthn
//! ceremonies between them are the host's (`navigator.credentials`); the
//! options and credentials cross as JSON (WebAuthn Level 3 §5.1.8,
//! `PublicKeyCredentialCreationOptionsJSON` / `RegistrationResponseJSON`).

use crate::prelude::*;

use super::pool::{Body, UserPool};
use super::response::{invalid, opt_str, process_response};
use crate::http::HttpRequest;
use crate::json::Json;
use crate::Error;

/// One registered passkey (`WebAuthnCredentialDescription`).
#[derive(Debug, Clone, PartialEq)]
pub struct PasskeyInfo {
    /// `CredentialId` (base64url).
    pub credential_id: String,
    /// `FriendlyCredentialName`.
    pub friendly_name: Option<String>,
    /// `RelyingPartyId`.
    pub relying_party_id: Option<String>,
    /// `AuthenticatorAttachment` (`platform`, `cross-platform`).
    pub attachment: Option<String>,
    /// `AuthenticatorTransports`.
    pub transports: Vec<String>,
    /// `CreatedAt`, Unix seconds.
    pub created_at: Option<f64>,
}

impl UserPool {
    fn passkey_call(&self, operation: &str, access_token: &str, body: Body) -> HttpRequest {
        self.request(operation, &body.str("AccessToken", access_token).build())
    }

    /// `StartWebAuthnRegistration` for the signed-in user.
    pub fn start_web_authn_registration_request(&self, access_token: &str) -> HttpRequest {
        self.passkey_call("StartWebAuthnRegistration", access_token, Body::new())
    }

    /// `CompleteWebAuthnRegistration` with the `RegistrationResponseJSON`
    /// the authenticator made (`Credential`, a JSON document).
    pub fn complete_web_authn_registration_request(
        &self,
        access_token: &str,
        credential: Json,
    ) -> HttpRequest {
        let body = Body::new().json("Credential", credential);
        self.passkey_call("CompleteWebAuthnRegistration", access_token, body)
    }

    /// `ListWebAuthnCredentials`, a page of at most `max` (Cognito allows 20).
    pub fn list_web_authn_credentials_request(
        &self,
        access_token: &str,
        max: u8,
        next_token: Option<&str>,
    ) -> HttpRequest {
        let body = Body::new()
            .json("MaxResults", Json::Number(max.clamp(1, 20).to_string()))
            .opt("NextToken", next_token);
        self.passkey_call("ListWebAuthnCredentials", access_token, body)
    }

    /// `DeleteWebAuthnCredential`.
    pub fn delete_web_authn_credential_request(
        &self,
        access_token: &str,
        credential_id: &str,
    ) -> HttpRequest {
        let body = Body::new().str("CredentialId", credential_id);
        self.passkey_call("DeleteWebAuthnCredential", access_token, body)
    }
}

/// Processes `StartWebAuthnRegistration`: the `CredentialCreationOptions`
/// document, to hand to `navigator.credentials.create` as JSON.
pub fn process_start_web_authn_registration_response<K: AsRef<str>, V: AsRef<str>>(
    status: u16,
    headers: &[(K, V)],
    body: &[u8],
) -> Result<Json, Error> {
    let op = "StartWebAuthnRegistration";
    let json = process_response(op, status, headers, body)?;
    match json.get("CredentialCreationOptions") {
        Some(o) if o.is_object() => Ok(o.clone()),
        _ => Err(invalid(op, status, "a required field is missing")),
    }
}

/// Processes `ListWebAuthnCredentials`: the page and the `NextToken`.
pub fn process_list_web_authn_credentials_response<K: AsRef<str>, V: AsRef<str>>(
    status: u16,
    headers: &[(K, V)],
    body: &[u8],
) -> Result<(Vec<PasskeyInfo>, Option<String>), Error> {
    let op = "ListWebAuthnCredentials";
    let json = process_response(op, status, headers, body)?;
    let items = json
        .get("Credentials")
        .and_then(Json::as_array)
        .unwrap_or(&[]);
    let text = |c: &Json, k| c.get(k).and_then(Json::as_str).map(str::to_owned);
    let list = items
        .iter()
        .filter_map(|c| {
            Some(PasskeyInfo {
                credential_id: text(c, "CredentialId")?,
                friendly_name: text(c, "FriendlyCredentialName"),
                relying_party_id: text(c, "RelyingPartyId"),
                attachment: text(c, "AuthenticatorAttachment"),
                transports: c
                    .get("AuthenticatorTransports")
                    .and_then(Json::as_array)
                    .unwrap_or(&[])
                    .iter()
                    .filter_map(|t| t.as_str().map(str::to_owned))
                    .collect(),
                created_at: c.get("CreatedAt").and_then(Json::as_f64),
            })
        })
        .collect();
    Ok((list, opt_str(op, &json, "NextToken")?))
}
