//! Passkeys (Amazon Cognito Developer Guide, "Passkey sign-in"; W3C Web
//! Authentication Level 3): the `webauthn` effect, which the driver
//! performs with `navigator.credentials.get` / `create`, and the
//! operations `registerPasskey` (`StartWebAuthnRegistration` → create →
//! `CompleteWebAuthnRegistration`), `listPasskeys` (every page of
//! `ListWebAuthnCredentials`) and `deletePasskey`
//! (`DeleteWebAuthnCredential`). The sign-in's `WEB_AUTHN` challenge uses
//! the same effect (`super::signin`).

use crate::prelude::*;

use super::client::Cx;
use super::io::LocalFuture;
use super::value::{num, Obj};
use crate::cognito::{
    process_empty_response, process_list_web_authn_credentials_response,
    process_start_web_authn_registration_response,
};
use crate::json::Json;
use crate::transport::Idempotency;
use crate::Error;

/// At most this many `ListWebAuthnCredentials` pages (20 each) are read: a
/// server that keeps answering with a `NextToken` cannot loop the client.
const MAX_PAGES: usize = 50;

/// The typed error for a failed `webauthn` effect: the driver reports the
/// `DOMException` name as `code` (WebAuthn L3 §5.1.3, §5.1.4.1).
fn passkey_error(e: &Json) -> Error {
    let text = |k| e.get(k).and_then(Json::as_str).unwrap_or("");
    if text("kind") == "aborted" {
        return Error::Aborted;
    }
    let code = match text("code") {
        "NotAllowedError" | "AbortError" => "PasskeyCancelled",
        "InvalidStateError" => "PasskeyAlreadyRegistered",
        "NotSupportedError" => "PasskeyNotSupported",
        _ => "PasskeyFailed",
    };
    let reason = match text("message") {
        "" => "no description",
        m => m,
    };
    Error::Passkey {
        code,
        reason: reason.to_owned(),
    }
}

fn unusable() -> Error {
    Error::Passkey {
        code: "PasskeyFailed",
        reason: "the authenticator's answer is not a credential".to_owned(),
    }
}

impl Cx {
    /// Effect `webauthn` (`op`: `get` or `create`; `options`: the
    /// `PublicKeyCredentialRequestOptionsJSON` / `…CreationOptionsJSON` as
    /// Cognito gave it): the credential's `toJSON()` as a JSON string.
    pub(crate) fn webauthn<'a>(
        &'a self,
        op: &'static str,
        options: String,
    ) -> LocalFuture<'a, Result<String, Error>> {
        Box::pin(async move {
            let effect = Obj::new()
                .set("t", "webauthn")
                .set("op", op)
                .set("options", options);
            match self.io.effect(effect).await {
                Ok(Json::String(s)) if Json::parse(s.as_bytes()).is_some_and(|j| j.is_object()) => {
                    Ok(s)
                }
                Ok(_) => Err(unusable()),
                Err(e) => Err(passkey_error(&e)),
            }
        })
    }

    /// `registerPasskey`: a new passkey for the signed-in user.
    pub(crate) fn register_passkey<'a>(&'a self) -> LocalFuture<'a, Result<Json, Error>> {
        Box::pin(async move {
            let pool = &self.config().pool;
            let record = self.get_tokens(false).await?;
            let start = pool.start_web_authn_registration_request(&record.tokens.access_token);
            // Each call only issues a fresh challenge: safe to repeat.
            let r = self.send(&start, Idempotency::Idempotent).await?;
            let options = process_start_web_authn_registration_response(
                r.status,
                &r.headers,
                r.body.as_bytes(),
            )?;
            let credential = self.webauthn("create", options.to_json_string()).await?;
            let credential = Json::parse(credential.as_bytes()).ok_or_else(unusable)?;
            // The ceremony may have outlived the access token.
            let record = self.get_tokens(false).await?;
            let complete = pool
                .complete_web_authn_registration_request(&record.tokens.access_token, credential);
            // The challenge is single use: a repeat would be refused.
            let r = self.send(&complete, Idempotency::NonIdempotent).await?;
            process_empty_response(
                "CompleteWebAuthnRegistration",
                r.status,
                &r.headers,
                r.body.as_bytes(),
            )?;
            Ok(Json::Null)
        })
    }

    /// `listPasskeys`: every registered passkey, all pages read.
    pub(crate) fn list_passkeys<'a>(&'a self) -> LocalFuture<'a, Result<Json, Error>> {
        Box::pin(async move {
            let pool = &self.config().pool;
            let mut out = Vec::new();
            let mut next: Option<String> = None;
            for _ in 0..MAX_PAGES {
                let record = self.get_tokens(false).await?;
                let request = pool.list_web_authn_credentials_request(
                    &record.tokens.access_token,
                    20,
                    next.as_deref(),
                );
                let r = self.send(&request, Idempotency::Idempotent).await?;
                let (page, token) = process_list_web_authn_credentials_response(
                    r.status,
                    &r.headers,
                    r.body.as_bytes(),
                )?;
                out.extend(page.into_iter().map(|p| {
                    Json::from(
                        Obj::new()
                            .set("credentialId", p.credential_id)
                            .opt("friendlyName", p.friendly_name)
                            .opt("relyingPartyId", p.relying_party_id)
                            .opt("authenticatorAttachment", p.attachment)
                            .set("transports", Obj::list(&p.transports))
                            .opt("createdAt", p.created_at.map(|s| num(s * 1000.0))),
                    )
                }));
                match token {
                    Some(t) if Some(&t) != next.as_ref() => next = Some(t),
                    _ => return Ok(Json::Array(out)),
                }
            }
            Ok(Json::Array(out))
        })
    }

    /// `deletePasskey`: removes one passkey by `credentialId`.
    pub(crate) fn delete_passkey<'a>(
        &'a self,
        credential_id: String,
    ) -> LocalFuture<'a, Result<Json, Error>> {
        Box::pin(async move {
            if credential_id.is_empty() {
                return Err(Error::EmptyArgument {
                    field: "credentialId",
                });
            }
            let record = self.get_tokens(false).await?;
            let request = self
                .config()
                .pool
                .delete_web_authn_credential_request(&record.tokens.access_token, &credential_id);
            // A repeat would meet ResourceNotFoundException.
            let r = self.send(&request, Idempotency::NonIdempotent).await?;
            process_empty_response(
                "DeleteWebAuthnCredential",
                r.status,
                &r.headers,
                r.body.as_bytes(),
            )?;
            Ok(Json::Null)
        })
    }
}
