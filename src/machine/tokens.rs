//! `getTokens()`: the stored tokens, refreshed when they expire within the
//! configured margin. One refresh serves every caller that needed one
//! meanwhile: a refresh runs under the lock `<prefix>refresh` (effect
//! `lock`: Web Locks across tabs where the host has them, else within this
//! realm), and a caller that waited for the lock takes the outcome of the
//! refresh that held it instead of refreshing again.
//!
//! Refresh uses `GetTokensFromRefreshToken` (refresh-token rotation, Amazon
//! Cognito API Reference) and falls back to `InitiateAuth` with
//! `REFRESH_TOKEN_AUTH` where the endpoint does not know that operation. A
//! transient failure (network, 5xx, throttling) keeps the session; only a
//! definitive rejection of the refresh token (`NotAuthorizedException`,
//! OAuth `invalid_grant`) ends it.

use crate::prelude::*;

use super::client::Cx;
use super::io::LocalFuture;
use super::value::Obj;
use crate::cognito::{process_refresh_response, CognitoError, TokenSet};
use crate::json::Json;
use crate::oauth::OAuthError;
use crate::session::{SessionRecord, Source};
use crate::transport::Idempotency;
use crate::Error;

/// Whether `e` says the refresh token itself is no good any more.
pub(crate) fn ends_session(e: &Error) -> bool {
    match e {
        Error::Cognito(CognitoError::Service { code, .. }) => code == "NotAuthorizedException",
        Error::OAuth(OAuthError::EndpointError { error, .. }) => error == "invalid_grant",
        _ => false,
    }
}

impl Cx {
    /// Valid tokens: the stored ones, or refreshed ones when they expire
    /// within the margin (or when `force` is set).
    pub(crate) fn get_tokens<'a>(
        &'a self,
        force: bool,
    ) -> LocalFuture<'a, Result<SessionRecord, Error>> {
        Box::pin(async move {
            let record = self.load_session().await?.ok_or(Error::NotSignedIn)?;
            let margin = self.config().refresh_margin;
            if !force && !record.tokens.needs_refresh(self.io.now(), margin) {
                return Ok(record);
            }
            self.refresh_shared(record.tokens.access_token).await
        })
    }

    /// A refresh of the session whose access token is `seen`, or the
    /// outcome of the one that ran while this call waited for the lock.
    pub(crate) fn refresh_shared<'a>(
        &'a self,
        seen: String,
    ) -> LocalFuture<'a, Result<SessionRecord, Error>> {
        Box::pin(async move {
            // A tab that adopted another tab's session has no refresh token.
            if let Some(r) = self.borrowed_refresh(&seen).await {
                return r;
            }
            let refreshes = &self.inner().refreshes;
            let generation = refreshes.generation.get();
            let lock = [self.inner().keys.prefix(), "refresh"].concat();
            let answer = self
                .io
                .effect(Obj::new().set("t", "lock").set("name", lock.as_str()))
                .await;
            let cross_tab = matches!(answer, Ok(Json::Bool(true)));
            let result = if refreshes.generation.get() != generation {
                refreshes
                    .last
                    .borrow()
                    .clone()
                    .unwrap_or(Err(Error::NotSignedIn))
            } else {
                let fresher = if cross_tab {
                    self.fresher(&seen).await
                } else {
                    None
                };
                let result = match fresher {
                    Some(r) => r,
                    None => self.refresh().await,
                };
                *refreshes.last.borrow_mut() = Some(result.clone());
                refreshes.generation.set(generation + 1);
                result
            };
            let _ = self
                .io
                .effect(Obj::new().set("t", "unlock").set("name", lock.as_str()))
                .await;
            result
        })
    }

    /// One refresh: request, store, tell the app.
    pub(crate) fn refresh<'a>(&'a self) -> LocalFuture<'a, Result<SessionRecord, Error>> {
        Box::pin(async move {
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
                    self.emit("tokenRefresh").await;
                    Ok(fresh)
                }
                Err(e) if ends_session(&e) => {
                    // Only a definitive rejection ends the session.
                    let _ = self.clear_session().await;
                    self.emit("sessionExpired").await;
                    Err(Error::SessionExpired)
                }
                Err(e) => {
                    // The same code as the rejected error's (Cognito's name
                    // verbatim for a service error).
                    let code = match &e {
                        Error::Cognito(CognitoError::Service { code, .. }) => code.as_str(),
                        _ => e.code(),
                    };
                    self.io.emit("tokenRefreshFailure", Some(code)).await;
                    Err(e)
                }
            }
        })
    }

    fn refresh_api<'a>(
        &'a self,
        record: &'a SessionRecord,
        refresh_token: &'a str,
    ) -> LocalFuture<'a, Result<TokenSet, Error>> {
        Box::pin(async move {
            let pool = &self.config().pool;
            let device = record.device_key.as_deref();
            let no_get_tokens = &self.inner().no_get_tokens;
            // An unreadable 5xx from GetTokensFromRefreshToken (a server that
            // lacks it may just crash): REFRESH_TOKEN_AUTH is tried once, but if
            // that fails too, this first, transient error is the one reported.
            let mut first = None;
            if !no_get_tokens.get() {
                let request = pool.get_tokens_from_refresh_token_request(refresh_token, device);
                let r = self.send(&request, Idempotency::NonIdempotent).await?;
                let op = "GetTokensFromRefreshToken";
                let now = self.io.now();
                match process_refresh_response(
                    op,
                    r.status,
                    &r.headers,
                    r.body.as_bytes(),
                    now,
                    &record.tokens,
                ) {
                    Err(Error::Cognito(c)) if c.is_unknown_operation() => no_get_tokens.set(true),
                    Err(Error::Cognito(c)) if c.is_unreadable_server_error() => {
                        first = Some(Error::Cognito(c))
                    }
                    other => return other,
                }
            }
            let request = pool.refresh_token_auth_request(refresh_token, &record.username, device);
            let result = match self.send(&request, Idempotency::NonIdempotent).await {
                Ok(r) => process_refresh_response(
                    "InitiateAuth",
                    r.status,
                    &r.headers,
                    r.body.as_bytes(),
                    self.io.now(),
                    &record.tokens,
                ),
                Err(e) => Err(e),
            };
            match (result, first) {
                (Err(_), Some(first)) => Err(first),
                (Ok(tokens), Some(_)) => {
                    no_get_tokens.set(true);
                    Ok(tokens)
                }
                (result, None) => result,
            }
        })
    }

    /// Revokes `record`'s refresh token, if it has one (best effort):
    /// `RevokeToken` for an API session, `/oauth2/revoke` (RFC 7009) for a
    /// hosted-UI one.
    pub(crate) fn revoke<'a>(&'a self, record: &'a SessionRecord) -> LocalFuture<'a, ()> {
        Box::pin(async move {
            let Some(token) = record.tokens.refresh_token.as_deref() else {
                return;
            };
            match record.source {
                Source::Api => {
                    let request = self.config().pool.revoke_token_request(token);
                    let _ = self.send(&request, Idempotency::Idempotent).await;
                }
                Source::OAuth => {
                    let _ = self.revoke_oauth(token).await;
                }
            }
        })
    }

    /// Signs out. `global`: sign out everywhere first (an error from it is
    /// returned and the local session kept, so the app can retry).
    /// `revoke`: revoke the refresh token ([`Cx::revoke`]), or have the tab
    /// that holds it revoke it (a tab that adopted the session has none).
    /// `forget_device`: the remembered device ends too, at Cognito
    /// (`ForgetDevice`, best effort) and here (its keys removed), so a later
    /// sign-in on this browser asks for MFA again (Cognito "Working with
    /// user devices"); without it the device keys outlive sign-out.
    /// Local state is always cleared otherwise; a hosted-UI session then
    /// ends at Cognito's `/logout` too.
    pub(crate) fn sign_out<'a>(
        &'a self,
        global: bool,
        revoke: bool,
        forget_device: bool,
    ) -> LocalFuture<'a, Result<(), Error>> {
        Box::pin(async move {
            self.inner().pending.borrow_mut().take();
            let mut record = self.load_session().await?;
            if let Some(r) = record.take_if(|_| forget_device) {
                record = Some(self.forget_device_on_sign_out(r).await?);
            }
            if let Some(record) = &record {
                if global {
                    let pool = &self.config().pool;
                    let request = pool.global_sign_out_request(&record.tokens.access_token);
                    let r = self.send(&request, Idempotency::Idempotent).await?;
                    let op = "GlobalSignOut";
                    match crate::cognito::process_empty_response(
                        op,
                        r.status,
                        &r.headers,
                        r.body.as_bytes(),
                    ) {
                        // An access token already revoked or expired: nothing
                        // left to end remotely.
                        Err(e) if ends_session(&e) => {}
                        other => other?,
                    }
                } else if revoke {
                    self.revoke(record).await;
                    self.revoke_elsewhere(record);
                }
            }
            self.clear_session().await?;
            if record.is_some() {
                self.emit("signedOut").await;
            }
            if record.is_some_and(|r| r.source == Source::OAuth) {
                self.logout_redirect().await?;
            }
            Ok(())
        })
    }

    /// `ForgetDevice` with valid tokens (refreshed if due), then the local
    /// device record removed whatever Cognito answered: without its keys
    /// the device cannot be used from here again. Returns the session to
    /// sign out: `record`, or its refresh made for the call.
    fn forget_device_on_sign_out<'a>(
        &'a self,
        mut record: SessionRecord,
    ) -> LocalFuture<'a, Result<SessionRecord, Error>> {
        Box::pin(async move {
            if let Some(key) = record.device_key.clone() {
                if let Ok(fresh) = self.get_tokens(false).await {
                    record = fresh;
                }
                let access = &record.tokens.access_token;
                let request = self.config().pool.forget_device_request(access, &key);
                let _ = self.send(&request, Idempotency::NonIdempotent).await;
            }
            let key = self.inner().keys.device(&record.username);
            self.io.remove(&key).await?;
            Ok(record)
        })
    }
}
