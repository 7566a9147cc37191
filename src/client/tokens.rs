//! `getTokens()`: the stored tokens, refreshed when they expire within the
//! configured margin. One refresh at a time per `CognitoAuth`: concurrent
//! callers share the refresh in flight (single flight), so a hundred
//! parallel calls at expiry make one request.
//!
//! Refresh uses `GetTokensFromRefreshToken` (refresh-token rotation, Amazon
//! Cognito API Reference) and falls back to `InitiateAuth` with
//! `REFRESH_TOKEN_AUTH` where the endpoint does not know that operation. A
//! transient failure (network, 5xx, throttling) keeps the session; only a
//! definitive rejection of the refresh token (`NotAuthorizedException`,
//! OAuth `invalid_grant`) ends it.

use super::{now, Client};
use crate::cognito::{process_refresh_response, CognitoError};
use crate::oauth::OAuthError;
use crate::session::{SessionRecord, Source};
use crate::transport::Idempotency;
use crate::Error;
use core::cell::RefCell;
use js_sys::Promise;
use std::rc::Rc;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

/// The outcome slot of the refresh in flight; its promise resolves once the
/// slot is filled, so every waiter reads the same result.
pub(crate) type Flight = (Promise, Rc<RefCell<Option<Result<SessionRecord, Error>>>>);

/// Whether `e` says the refresh token itself is no good any more.
pub(crate) fn ends_session(e: &Error) -> bool {
    match e {
        Error::Cognito(CognitoError::Service { code, .. }) => code == "NotAuthorizedException",
        Error::OAuth(OAuthError::EndpointError { error, .. }) => error == "invalid_grant",
        _ => false,
    }
}

impl Client {
    /// Valid tokens: the stored ones, or refreshed ones when they expire
    /// within the margin (or when `force` is set).
    pub async fn get_tokens(&self, force: bool) -> Result<SessionRecord, Error> {
        let record = self.load_session().await?.ok_or(Error::NotSignedIn)?;
        if !force
            && !record
                .tokens
                .needs_refresh(now(), self.0.config.refresh_margin)
        {
            return Ok(record);
        }
        self.refresh_shared().await
    }

    /// Joins the refresh in flight, or starts one.
    pub(crate) async fn refresh_shared(&self) -> Result<SessionRecord, Error> {
        let existing = self.0.refreshing.borrow().clone();
        let (promise, slot) = match existing {
            Some(flight) => flight,
            None => {
                let slot = Rc::new(RefCell::new(None));
                let (me, out) = (self.clone(), slot.clone());
                let seen = super::tabs::seen(self); // the tokens this refresh replaces
                let promise = future_to_promise(async move {
                    let result = super::tabs::refresh(&me, seen).await; // under the cross-tab lock
                    *out.borrow_mut() = Some(result);
                    me.0.refreshing.borrow_mut().take();
                    Ok(JsValue::UNDEFINED)
                });
                *self.0.refreshing.borrow_mut() = Some((promise.clone(), slot.clone()));
                (promise, slot)
            }
        };
        let _ = JsFuture::from(promise).await;
        let result = slot.borrow().clone();
        result.unwrap_or(Err(Error::NotSignedIn))
    }

    /// One refresh: request, store, tell the app.
    pub(super) async fn refresh(&self) -> Result<SessionRecord, Error> {
        let record = self.load_session().await?.ok_or(Error::NotSignedIn)?;
        let Some(refresh_token) = record.tokens.refresh_token.clone() else {
            return Err(Error::SessionExpired);
        };
        let result = match record.source {
            Source::Api => self.refresh_api(&record, &refresh_token).await,
            Source::OAuth => self.refresh_oauth(&record, &refresh_token).await,
        };
        match result {
            Ok(tokens) => {
                let fresh = SessionRecord { tokens, ..record };
                self.save_session(fresh.clone()).await?;
                self.emit("tokenRefresh", &JsValue::UNDEFINED);
                Ok(fresh)
            }
            Err(e) if ends_session(&e) => {
                // Only a definitive rejection ends the session.
                let _ = self.clear_session().await;
                self.emit("sessionExpired", &JsValue::UNDEFINED);
                Err(Error::SessionExpired)
            }
            Err(e) => {
                // The same code as the rejected error's (Cognito's name
                // verbatim for a service error).
                let code = match &e {
                    Error::Cognito(CognitoError::Service { code, .. }) => code.as_str(),
                    _ => e.code(),
                };
                self.emit("tokenRefreshFailure", &code.into());
                Err(e)
            }
        }
    }

    async fn refresh_api(
        &self,
        record: &SessionRecord,
        refresh_token: &str,
    ) -> Result<crate::cognito::TokenSet, Error> {
        let pool = &self.0.config.pool;
        let device = record.device_key.as_deref();
        // An unreadable 5xx from GetTokensFromRefreshToken (a server that
        // lacks it may just crash): REFRESH_TOKEN_AUTH is tried once, but if
        // that fails too, this first, transient error is the one reported.
        let mut first = None;
        if !self.0.no_get_tokens.get() {
            let request = pool.get_tokens_from_refresh_token_request(refresh_token, device);
            let r = self
                .send(&request, Idempotency::NonIdempotent, None)
                .await?;
            let op = "GetTokensFromRefreshToken";
            match process_refresh_response(
                op,
                r.status,
                &r.headers,
                r.body.as_bytes(),
                now(),
                &record.tokens,
            ) {
                Err(Error::Cognito(c)) if c.is_unknown_operation() => {
                    self.0.no_get_tokens.set(true)
                }
                Err(Error::Cognito(c)) if c.is_unreadable_server_error() => {
                    first = Some(Error::Cognito(c))
                }
                other => return other,
            }
        }
        let request = pool.refresh_token_auth_request(refresh_token, &record.username, device);
        let result = match self.send(&request, Idempotency::NonIdempotent, None).await {
            Ok(r) => process_refresh_response(
                "InitiateAuth",
                r.status,
                &r.headers,
                r.body.as_bytes(),
                now(),
                &record.tokens,
            ),
            Err(e) => Err(e),
        };
        match (result, first) {
            (Err(_), Some(first)) => Err(first),
            (Ok(tokens), Some(_)) => {
                self.0.no_get_tokens.set(true);
                Ok(tokens)
            }
            (result, None) => result,
        }
    }
}
