//! Signing out (Amazon Cognito Developer Guide, "Signing out"): local by
//! default, revoking the refresh token (`RevokeToken`) so it cannot be used
//! again; with `global`, `GlobalSignOut` ends every session of the user.

use super::Client;
use crate::cognito::process_empty_response;
use crate::session::Source;
use crate::transport::Idempotency;
use crate::Error;
use wasm_bindgen::JsValue;

impl Client {
    /// Signs out. `global`: sign out everywhere first (an error from it is
    /// returned and the local session kept, so the app can retry).
    /// `revoke`: revoke the refresh token (best effort). Local state is
    /// always cleared otherwise.
    pub async fn sign_out(
        &self,
        global: bool,
        revoke: bool,
        signal: Option<&JsValue>,
    ) -> Result<(), Error> {
        self.0.pending.borrow_mut().take();
        let record = self.load_session().await?;
        if let Some(record) = &record {
            let pool = &self.0.config.pool;
            if global {
                let request = pool.global_sign_out_request(&record.tokens.access_token);
                let r = self.send(&request, Idempotency::Idempotent, signal).await?;
                match process_empty_response(
                    "GlobalSignOut",
                    r.status,
                    &r.headers,
                    r.body.as_bytes(),
                ) {
                    // An access token already revoked or expired: nothing
                    // left to end remotely.
                    Err(e) if super::tokens::ends_session(&e) => {}
                    other => other?,
                }
            } else if let (true, Some(token), Source::Api) =
                (revoke, &record.tokens.refresh_token, record.source)
            {
                let request = pool.revoke_token_request(token);
                let _ = self.send(&request, Idempotency::Idempotent, signal).await;
            } else if let (true, Some(token), Source::OAuth) =
                (revoke, &record.tokens.refresh_token, record.source)
            {
                // Hosted UI: revoke at /oauth2/revoke (RFC 7009), best effort.
                let _ = self.revoke_oauth(token, signal).await;
            }
        }
        self.clear_session().await?;
        if record.is_some() {
            self.emit("signedOut", &JsValue::UNDEFINED);
        }
        if record.is_some_and(|r| r.source == Source::OAuth) {
            // Hosted UI: end its session cookie too (Cognito's /logout).
            self.logout_redirect()?;
        }
        Ok(())
    }
}
