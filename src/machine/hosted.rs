//! The hosted UI (managed login) in `CognitoAuth`, and the token-endpoint
//! calls the server-side functions share: authorization code with PKCE (RFC
//! 6749 §4.1, RFC 7636), the ID-token checks of OIDC Core §3.1.3.7, refresh
//! at `/oauth2/token` (RFC 6749 §6), revocation (RFC 7009), userInfo (OIDC
//! Core §5.3) and Cognito's `/logout` (Amazon Cognito Developer Guide,
//! "User pool endpoints and managed login reference").
//!
//! Every protocol step is a [`crate::oauth`] or [`crate::jwt`] function;
//! this module sequences them. The pending [`Transaction`] is stored under
//! its `state` and removed before the code is exchanged, so a replayed
//! callback is refused rather than exchanged twice. The page is reached
//! through effects: `location` (its URL), `replaceUrl` (drop the callback's
//! `code` and `state`, RFC 9700 §4.2.4), `navigate`.

use crate::prelude::*;

use super::client::Cx;
use super::io::{host_error, Io, LocalFuture};
use super::value::Obj;
use crate::cognito::TokenSet as SessionTokens;
use crate::http::HttpRequest;
use crate::json::Json;
use crate::jwt::{decode_jwt, Jwks, JwtError, JwtVerifier, SignatureCheck, VerifiedJwt};
use crate::oauth::{
    clean_callback_url, parse_callback_url, process_revoke_response, process_token_response,
    process_userinfo_response, validate_callback, AuthorizeOptions, HostedUi, OAuthError,
    Transaction, DEFAULT_TRANSACTION_MAX_AGE,
};
use crate::session::{SessionRecord, Source};
use crate::transport::Idempotency;
use crate::transport::Transport;
use crate::Error;
use alloc::rc::Rc;
use base64ct::{Base64UrlUnpadded, Encoding};
use core::cell::{Cell, RefCell};
use core::sync::atomic::{AtomicU32, Ordering};

/// Seconds of clock skew tolerated on an ID token's `exp` and `iat`.
pub(crate) const ID_TOKEN_GRACE: f64 = 60.0;

/// Seconds before a token with an unknown `kid` may make the JWKS be fetched
/// again (keys rotate, but a flood of made-up `kid`s must not become a flood
/// of JWKS requests).
const JWKS_REFETCH_AFTER: f64 = 30.0;

/// Effect `verify`: the host checks an RS256 signature (RSASSA-PKCS1-v1_5
/// with SHA-256, RFC 7518 §3.3; WebCrypto `importKey` + `verify`).
fn verify_rs256<'a>(io: &'a Io, check: &'a SignatureCheck) -> LocalFuture<'a, Result<bool, Error>> {
    Box::pin(async move {
        let effect = Obj::new()
            .set("t", "verify")
            .set("n", check.key().n.as_str())
            .set("e", check.key().e.as_str())
            .set(
                "signature",
                Base64UrlUnpadded::encode_string(check.signature()),
            )
            .set(
                "data",
                String::from_utf8_lossy(check.signing_input()).into_owned(),
            );
        match io.effect(effect).await {
            Ok(v) => Ok(matches!(v, Json::Bool(true))),
            Err(e) if e.get("kind").and_then(Json::as_str) == Some("key") => {
                Err(Error::Jwt(JwtError::JwkInvalid {
                    reason: "WebCrypto refused it as an RSA public key",
                }))
            }
            Err(e) => Err(host_error(&e)),
        }
    })
}

/// Numbers every JWKS document fetched in this module instance (see
/// [`JwksCache::prepare_cached`]).
static JWKS_SERIAL: AtomicU32 = AtomicU32::new(0);

/// A JWKS URL and its keys once fetched (RFC 7517 §5), shared by every
/// verification of one client or verifier. One fetch at a time (effect
/// `lock` on the URL, so concurrent verifications on a cold cache share
/// one fetch); the keys are kept when a refetch for an unknown `kid` fails.
pub struct JwksCache {
    uri: String,
    /// The keys and their document's serial number (never 0).
    keys: RefCell<Option<(Rc<Jwks>, u32)>>,
    fetched_at: Cell<f64>,
    fetches: Cell<u64>,
}

/// A token decoded against cached keys, waiting for the host's verdict on
/// its signature (see [`JwksCache::prepare_cached`]).
pub(crate) struct CachedCheck {
    /// The decoded token.
    pub(crate) jwt: crate::jwt::DecodedJwt,
    /// Its claims' JSON text.
    pub(crate) claim_text: String,
    /// The keys it was checked against.
    pub(crate) jwks: Rc<Jwks>,
    /// The index of its key in `jwks`.
    pub(crate) index: usize,
    /// A number for that key as published in that document, unique in
    /// this module instance: the host may keep the imported key under it.
    pub(crate) key_id: f64,
}

impl JwksCache {
    /// A cache for the JWKS at `uri` (nothing fetched yet).
    pub fn new(uri: String) -> JwksCache {
        JwksCache {
            uri,
            keys: RefCell::new(None),
            fetched_at: Cell::new(f64::NEG_INFINITY),
            fetches: Cell::new(0),
        }
    }

    /// Fetches the JWKS unless another verification did while this one
    /// waited for the lock.
    fn fetch<'a>(
        &'a self,
        io: &'a Io,
        transport: &'a Transport,
    ) -> LocalFuture<'a, Result<Rc<Jwks>, Error>> {
        Box::pin(async move {
            let seen = self.fetches.get();
            let lock = ["jwks ", self.uri.as_str()].concat();
            let _ = io
                .effect(Obj::new().set("t", "lock").set("name", lock.as_str()))
                .await;
            let cached = self.keys.borrow().as_ref().map(|k| k.0.clone());
            let result = match cached {
                Some(keys) if self.fetches.get() != seen => Ok(keys),
                _ => self.fetch_now(io, transport).await,
            };
            let _ = io
                .effect(Obj::new().set("t", "unlock").set("name", lock.as_str()))
                .await;
            result
        })
    }

    fn fetch_now<'a>(
        &'a self,
        io: &'a Io,
        transport: &'a Transport,
    ) -> LocalFuture<'a, Result<Rc<Jwks>, Error>> {
        Box::pin(async move {
            // Tried (even if it fails): the refetch window starts now.
            self.fetched_at.set(io.now_f64());
            let request = HttpRequest {
                method: "GET",
                url: self.uri.clone(),
                headers: vec![("accept", "application/json".to_owned())],
                body: None,
            };
            let r = io
                .send(transport, &request, Idempotency::Idempotent)
                .await?;
            if r.status != 200 {
                return Err(Error::Jwt(JwtError::JwksInvalid {
                    reason: "the JWKS URL did not answer 200 OK",
                }));
            }
            let jwks = Rc::new(Jwks::parse(r.body.as_bytes())?);
            let serial = JWKS_SERIAL.fetch_add(1, Ordering::Relaxed).wrapping_add(1);
            *self.keys.borrow_mut() = Some((jwks.clone(), serial));
            self.fetches.set(self.fetches.get() + 1);
            Ok(jwks)
        })
    }

    /// Verifies `token` with `rules` at `now` (Unix seconds): keys from the
    /// cache, fetched on first use and once more when the token's `kid` is
    /// unknown (key rotation, at most once per [`JWKS_REFETCH_AFTER`]), the
    /// signature by the host (effect `verify`), then the claims (and
    /// `nonce`, for the ID token of a code exchange).
    pub fn verify<'a>(
        &'a self,
        io: &'a Io,
        transport: &'a Transport,
        rules: &'a JwtVerifier,
        token: &'a str,
        nonce: Option<&'a str>,
    ) -> LocalFuture<'a, Result<VerifiedJwt, Error>> {
        Box::pin(async move {
            let mut fresh = false;
            loop {
                let cached = self.keys.borrow().as_ref().map(|k| k.0.clone());
                let jwks = match cached {
                    Some(j) => j,
                    None => {
                        // Malformed tokens, other algorithms and foreign
                        // issuers are refused before any key is fetched.
                        match rules.prepare(token, &Jwks::default()) {
                            Err(Error::Jwt(JwtError::KidNotFoundInJwks)) | Ok(_) => {}
                            Err(e) => return Err(e),
                        }
                        fresh = true;
                        self.fetch(io, transport).await?
                    }
                };
                match rules.prepare(token, &jwks) {
                    Err(Error::Jwt(JwtError::KidNotFoundInJwks))
                        if !fresh && io.now_f64() - self.fetched_at.get() > JWKS_REFETCH_AFTER =>
                    {
                        fresh = true;
                        // The old keys stay if the refetch fails.
                        self.fetch_now(io, transport).await?;
                    }
                    Err(e) => return Err(e),
                    Ok(check) => {
                        let valid = verify_rs256(io, &check).await?;
                        return check.accept(valid, io.now_f64(), nonce);
                    }
                }
            }
        })
    }
}

impl JwksCache {
    /// [`JwksCache::verify`]'s first step when it needs no effect, done at
    /// once: with keys cached, the token decoded and checked as far as the
    /// signature (algorithm, issuer, key by `kid`). `None` when the keys
    /// must be fetched first (none yet, or an unknown `kid` once the
    /// refetch window has passed): then the caller runs
    /// [`JwksCache::verify`]. `now`
    /// in Unix seconds. The signature verdict then goes to
    /// [`JwtVerifier::accept`].
    pub(crate) fn prepare_cached(
        &self,
        rules: &JwtVerifier,
        token: &str,
        now: f64,
    ) -> Option<Result<CachedCheck, Error>> {
        let (jwks, serial) = self.keys.borrow().clone()?;
        match rules.prepare_in(token, &jwks) {
            Err(Error::Jwt(JwtError::KidNotFoundInJwks))
                if now - self.fetched_at.get() > JWKS_REFETCH_AFTER =>
            {
                None
            }
            Err(e) => Some(Err(e)),
            // Key numbers: serial × 2^20 + index, exact in an f64 (a
            // larger index takes the effect path, which sends the key).
            Ok((index, ..)) if index >= 1 << 20 => None,
            Ok((index, jwt, claim_text)) => Some(Ok(CachedCheck {
                jwt,
                claim_text,
                jwks,
                index,
                key_id: f64::from(serial) * 1_048_576.0 + index as f64,
            })),
        }
    }
}

/// The `hostedUi` option, checked.
pub struct HostedConfig {
    /// The domain and app client.
    pub ui: HostedUi,
    /// Where the hosted UI sends the user back (an allowed callback URL).
    pub redirect_uri: String,
    /// Where `/logout` sends the user (an allowed sign-out URL).
    pub logout_uri: Option<String>,
    /// Scopes asked for by default.
    pub scopes: Vec<String>,
    /// The identity provider to go straight to by default.
    pub identity_provider: Option<String>,
    /// The rules the ID token must satisfy (issuer, audience, `token_use`).
    pub(crate) verifier: JwtVerifier,
    /// The issuer's JWKS.
    pub(crate) jwks: JwksCache,
}

impl HostedConfig {
    /// `issuer` is the `iss` of the pool's tokens; keys come from
    /// `jwks_uri`, by default `<issuer>/.well-known/jwks.json`. `oidc`: the
    /// provider is a generic OpenID provider, whose ID tokens carry no
    /// `token_use` (OIDC Core §3.1.3.7 rules only).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        ui: HostedUi,
        redirect_uri: String,
        logout_uri: Option<String>,
        scopes: Vec<String>,
        identity_provider: Option<String>,
        pool_id: &str,
        issuer: &str,
        jwks_uri: Option<String>,
        oidc: bool,
    ) -> Result<HostedConfig, Error> {
        let issuer = issuer.trim_end_matches('/');
        let client_id = ui.client_id().to_owned();
        let verifier = if oidc {
            JwtVerifier::oidc(issuer, &client_id)
        } else {
            JwtVerifier::cognito(pool_id, Some(&client_id), Some(crate::jwt::TokenUse::Id))?
                .with_issuer(issuer)
        };
        let default_jwks = [issuer, "/.well-known/jwks.json"].concat();
        Ok(HostedConfig {
            ui,
            redirect_uri,
            logout_uri,
            scopes,
            identity_provider,
            verifier: verifier.with_grace_seconds(ID_TOKEN_GRACE),
            jwks: JwksCache::new(jwks_uri.unwrap_or(default_jwks)),
        })
    }
}

/// What `signInWithRedirect` may override for one sign-in.
#[derive(Default)]
pub struct RedirectOptions {
    /// Scopes instead of the configured ones.
    pub scopes: Option<Vec<String>>,
    /// `identity_provider`.
    pub identity_provider: Option<String>,
    /// `idp_identifier`.
    pub idp_identifier: Option<String>,
    /// `login_hint`.
    pub login_hint: Option<String>,
    /// `prompt`.
    pub prompt: Option<String>,
    /// `lang`.
    pub lang: Option<String>,
    /// The app's own data, handed back by the callback.
    pub custom_state: Option<String>,
}

fn not_configured() -> Error {
    Error::InvalidArgument {
        field: "hostedUi",
        reason: "configure hostedUi { domain, redirectUri } to use the hosted UI",
    }
}

/// What a token-endpoint call gives: the response, when it arrived (local
/// Unix seconds), its `Date` header, and the verified ID token if checked.
pub(crate) struct TokenCall {
    pub(crate) tokens: crate::oauth::TokenSet,
    pub(crate) received: i64,
    pub(crate) date: Option<String>,
    pub(crate) id: Option<VerifiedJwt>,
}

/// Sends a token-endpoint request (code, refresh, client credentials),
/// reads the response (RFC 6749 §5.1, §5.2) and, with `id_rules`, verifies
/// the ID token it carries (with `nonce` after a code exchange, OIDC Core
/// §3.1.3.7).
pub(crate) fn token_call<'a>(
    io: &'a Io,
    transport: &'a Transport,
    request: &'a HttpRequest,
    id_rules: Option<(&'a JwtVerifier, &'a JwksCache)>,
    nonce: Option<&'a str>,
    expect_id_token: bool,
) -> LocalFuture<'a, Result<TokenCall, Error>> {
    Box::pin(async move {
        let r = io
            .send(transport, request, Idempotency::NonIdempotent)
            .await?;
        let received = io.now();
        let tokens =
            process_token_response(r.status, &r.headers, r.body.as_bytes(), expect_id_token)?;
        let mut id = None;
        if let (Some((rules, jwks)), Some(token)) = (id_rules, &tokens.id_token) {
            id = Some(jwks.verify(io, transport, rules, token, nonce).await?);
        }
        Ok(TokenCall {
            tokens,
            received,
            date: r.header("date").map(str::to_owned),
            id,
        })
    })
}

/// The server-side code exchange (no storage: the transaction comes back
/// from wherever the caller kept it, e.g. an HttpOnly cookie): the callback
/// checked against `stored_transaction`, the code exchanged, and the ID
/// token verified with its nonce when `id_rules` are given. Returns the
/// token response and the app's custom state.
pub(crate) async fn exchange_code(
    io: &Io,
    transport: &Transport,
    ui: &HostedUi,
    callback_url: &str,
    stored_transaction: &str,
    id_rules: Option<(&JwtVerifier, &JwksCache)>,
) -> Result<(crate::oauth::TokenSet, Option<String>), Error> {
    let params = parse_callback_url(callback_url)?;
    let tx = Transaction::parse(stored_transaction)?;
    let issuer = id_rules.and_then(|(rules, _)| rules.issuer());
    let code = validate_callback(
        &params,
        Some(&tx),
        io.now() as u64,
        DEFAULT_TRANSACTION_MAX_AGE,
        issuer,
    )?;
    let request = ui.authorization_code_request(&code, &tx)?;
    let expect_id = id_rules.is_some();
    let call = token_call(
        io,
        transport,
        &request,
        id_rules,
        Some(&tx.nonce),
        expect_id,
    )
    .await?;
    Ok((call.tokens, tx.app_state))
}

/// At most this many hosted-UI sign-ins wait for their callback at once
/// (tabs that started one each); older ones are dropped.
const MAX_PENDING: usize = 16;

/// A `state` of the form this SDK makes: 32 random bytes, base64url, 43
/// characters.
fn is_our_state(state: &str) -> bool {
    state.len() == 43
        && state
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The index of pending transactions (`state:created_at`, space-separated,
/// oldest first) after `done` finished and `new` started at `now`, and the
/// states to remove: older than the allowed age (abandoned: their callback
/// never came) or beyond the newest [`MAX_PENDING`]. Entries not of our form
/// (tampered storage) are dropped without touching what they name.
fn prune_index<'i>(
    index: &'i str,
    now: u64,
    new: Option<&str>,
    done: Option<&str>,
) -> (String, Vec<&'i str>) {
    let mut kept = Vec::new();
    let mut dropped = Vec::new();
    for entry in index.split(' ').rev() {
        let Some((state, at)) = entry.split_once(':') else {
            continue;
        };
        if !is_our_state(state) || Some(state) == done || Some(state) == new {
            continue;
        }
        let fresh = at
            .parse::<u64>()
            .is_ok_and(|at| now.saturating_sub(at) <= DEFAULT_TRANSACTION_MAX_AGE);
        if fresh && kept.len() + 1 < MAX_PENDING {
            kept.push(entry);
        } else {
            dropped.push(state);
        }
    }
    kept.reverse();
    let mut out = kept.join(" ");
    if let Some(state) = new {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(state);
        out.push(':');
        out.push_str(&crate::error::decimal(now));
    }
    (out, dropped)
}

impl Cx {
    fn hosted(&self) -> Result<&HostedConfig, Error> {
        self.config().hosted_ui.as_ref().ok_or_else(not_configured)
    }

    /// Rewrites the index of pending sign-ins ([`prune_index`], kept under
    /// `oauth.pending`) and removes the abandoned transactions it names:
    /// storage has no listing, so without the index an abandoned
    /// `oauth.<state>` would stay for ever. Returns whether a sign-in is
    /// still waiting: a callback whose state is unknown then was not sent by
    /// one of them (forged), which is told apart from a replay.
    fn track<'a>(
        &'a self,
        new: Option<&'a str>,
        done: Option<&'a str>,
    ) -> LocalFuture<'a, Result<bool, Error>> {
        Box::pin(async move {
            let keys = &self.inner().keys;
            let key = keys.transaction("pending");
            let old = self.io.get(&key).await?;
            let old = old.as_deref().unwrap_or_default();
            let (index, dropped) = prune_index(old, self.io.now() as u64, new, done);
            for state in dropped {
                self.io.remove(&keys.transaction(state)).await?;
            }
            // Unchanged (a callback not of ours): nothing written.
            if index != old {
                match index.is_empty() {
                    true => self.io.remove(&key).await?,
                    false => self.io.set(&key, &index).await?,
                }
            }
            Ok(!index.is_empty())
        })
    }

    fn navigate<'a>(&'a self, url: &'a str) -> LocalFuture<'a, ()> {
        Box::pin(async move {
            self.io
                .tell(Obj::new().set("t", "navigate").set("url", url))
                .await;
        })
    }

    /// Starts a hosted-UI sign-in: stores the transaction under its state,
    /// navigates the page to the authorize URL when `go` (and there is a
    /// page) and returns that URL.
    pub(crate) fn sign_in_with_redirect<'a>(
        &'a self,
        o: RedirectOptions,
        go: bool,
    ) -> LocalFuture<'a, Result<String, Error>> {
        Box::pin(async move {
            let h = self.hosted()?;
            let scopes = o.scopes.as_ref().unwrap_or(&h.scopes);
            let scopes: Vec<&str> = scopes.iter().map(String::as_str).collect();
            let options = AuthorizeOptions {
                redirect_uri: &h.redirect_uri,
                scopes: &scopes,
                identity_provider: o
                    .identity_provider
                    .as_deref()
                    .or(h.identity_provider.as_deref()),
                idp_identifier: o.idp_identifier.as_deref(),
                login_hint: o.login_hint.as_deref(),
                prompt: o.prompt.as_deref(),
                lang: o.lang.as_deref(),
                app_state: o.custom_state.as_deref(),
            };
            let a = h.ui.authorize(&options, self.io.now() as u64)?;
            let state = &a.transaction.state;
            self.io
                .set(
                    &self.inner().keys.transaction(state),
                    &a.transaction.to_storage_string(),
                )
                .await?;
            self.track(Some(state), None).await?;
            if go {
                self.navigate(&a.url).await;
            }
            Ok(a.url)
        })
    }

    /// Finishes a hosted-UI sign-in from its callback URL (`None`: the
    /// page's): the transaction is taken out of storage first (single use),
    /// the callback checked against it, the code exchanged, the ID token
    /// verified (signature, `iss`, `aud`, `token_use`, `exp`, `iat`,
    /// `nonce`) and the session stored. When the URL is the page's, the page
    /// loses its response parameters first, whatever the outcome. Returns
    /// the session and the app's custom state.
    pub(crate) fn handle_redirect_callback<'a>(
        &'a self,
        url: Option<String>,
    ) -> LocalFuture<'a, Result<(SessionRecord, Option<String>), Error>> {
        Box::pin(async move {
            let location = self.io.tell(Obj::new().set("t", "location")).await;
            let href = location.and_then(|v| v.as_str().map(str::to_owned));
            let url = url
                .or_else(|| href.clone())
                .ok_or(Error::EmptyArgument { field: "url" })?;
            if href.as_deref() == Some(url.as_str()) {
                let clean = clean_callback_url(&url);
                self.io
                    .tell(Obj::new().set("t", "replaceUrl").set("url", clean))
                    .await;
            }
            let h = self.hosted()?;
            let params = parse_callback_url(&url)?;
            let mut tx = None;
            if let Some(state) = params.state.as_deref().filter(|s| !s.is_empty()) {
                // Only a state of the form this SDK makes is looked up:
                // anything else from the URL never becomes part of a key.
                let key = self.inner().keys.transaction(state);
                let stored = if is_our_state(state) {
                    self.io.get(&key).await?
                } else {
                    None
                };
                if stored.is_some() {
                    self.io.remove(&key).await?;
                }
                let waiting = self.track(None, Some(state)).await?;
                if let Some(stored) = stored {
                    tx = Some(Transaction::parse(&stored)?);
                } else if waiting {
                    // A sign-in is waiting here, and this is not its callback.
                    return Err(OAuthError::StateMismatch.into());
                }
            }
            let code = validate_callback(
                &params,
                tx.as_ref(),
                self.io.now() as u64,
                DEFAULT_TRANSACTION_MAX_AGE,
                h.verifier.issuer(),
            )?;
            let tx = tx.ok_or(OAuthError::UnknownState)?;
            let request = h.ui.authorization_code_request(&code, &tx)?;
            let transport = &self.config().transport;
            let rules = Some((&h.verifier, &h.jwks));
            let call =
                token_call(&self.io, transport, &request, rules, Some(&tx.nonce), true).await?;
            let id = call.id.ok_or(JwtError::Parse {
                reason: "the token response has no ID token",
            })?;
            let sub = id.claims.get("sub").and_then(Json::as_str).unwrap_or("");
            let session =
                call.tokens
                    .into_session_tokens(call.received, call.date.as_deref(), None)?;
            let record = SessionRecord::new(session, sub, Source::OAuth, None);
            self.save_session(record.clone()).await?;
            self.emit("signedIn").await;
            Ok((record, tx.app_state))
        })
    }

    /// Refresh at `/oauth2/token` (`grant_type=refresh_token`, RFC 6749 §6);
    /// a new ID token is verified as the first one was (without a nonce).
    pub(crate) fn refresh_oauth<'a>(
        &'a self,
        record: &'a SessionRecord,
        refresh_token: &'a str,
    ) -> LocalFuture<'a, Result<SessionTokens, Error>> {
        Box::pin(async move {
            let h = self.hosted()?;
            let request = h.ui.refresh_token_request(refresh_token)?;
            let transport = &self.config().transport;
            let rules = Some((&h.verifier, &h.jwks));
            let call = token_call(&self.io, transport, &request, rules, None, false).await?;
            // A new ID token must be about the same user (OIDC Core §12.2).
            let sub = |t: &str| {
                let claims = decode_jwt(t).ok()?.claims;
                claims.get("sub").and_then(Json::as_str).map(str::to_owned)
            };
            if let Some(id) = &call.id {
                let new = id.claims.get("sub").and_then(Json::as_str);
                if new.is_none() || new.map(str::to_owned) != sub(&record.tokens.id_token) {
                    return Err(Error::OAuth(OAuthError::InvalidResponse {
                        endpoint: "token",
                        status: 200,
                        reason: "the new ID token is about another user (sub)",
                    }));
                }
            }
            call.tokens.into_session_tokens(
                call.received,
                call.date.as_deref(),
                Some(&record.tokens),
            )
        })
    }

    /// Revokes a hosted-UI session's refresh token at `/oauth2/revoke` (RFC
    /// 7009).
    pub(crate) fn revoke_oauth<'a>(
        &'a self,
        refresh_token: &'a str,
    ) -> LocalFuture<'a, Result<(), Error>> {
        Box::pin(async move {
            let h = self.hosted()?;
            let request = h.ui.revoke_request(refresh_token)?;
            let r = self.send(&request, Idempotency::Idempotent).await?;
            process_revoke_response(r.status, &r.headers, r.body.as_bytes())
        })
    }

    /// After a hosted-UI session's local sign-out: navigates to Cognito's
    /// `/logout?client_id=…&logout_uri=…` (which ends the hosted UI's own
    /// session cookie) when a logout URI is configured.
    pub(crate) fn logout_redirect<'a>(&'a self) -> LocalFuture<'a, Result<(), Error>> {
        Box::pin(async move {
            if let Some(h) = &self.config().hosted_ui {
                if let Some(uri) = &h.logout_uri {
                    let url = h.ui.logout_url(uri)?;
                    self.navigate(&url).await;
                }
            }
            Ok(())
        })
    }

    /// The signed-in user's attributes from `/oauth2/userInfo` (OIDC Core
    /// §5.3); `sub` must be the ID token's.
    pub(crate) fn get_user_info<'a>(&'a self) -> LocalFuture<'a, Result<Json, Error>> {
        Box::pin(async move {
            let h = self.hosted()?;
            let record = self.get_tokens(false).await?;
            let request = h.ui.userinfo_request(&record.tokens.access_token)?;
            let r = self.send(&request, Idempotency::Idempotent).await?;
            let sub = decode_jwt(&record.tokens.id_token).ok().and_then(|j| {
                j.claims
                    .get("sub")
                    .and_then(Json::as_str)
                    .map(str::to_owned)
            });
            process_userinfo_response(r.status, &r.headers, r.body.as_bytes(), sub.as_deref())
        })
    }
}
