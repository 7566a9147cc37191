//! The hosted UI (managed login) in `CognitoAuth`: authorization code with
//! PKCE (RFC 6749 §4.1, RFC 7636), the ID-token checks of OIDC Core
//! §3.1.3.7, refresh at `/oauth2/token` (RFC 6749 §6), revocation (RFC 7009),
//! userInfo (OIDC Core §5.3) and Cognito's `/logout` (Amazon Cognito
//! Developer Guide, "User pool endpoints and managed login reference").
//!
//! Every protocol step is a [`crate::oauth`] or [`crate::jwt`] function; this
//! module sends their requests through the transport, keeps the pending
//! [`Transaction`] in the SDK's storage (one key per `state`, removed before
//! the code is exchanged, so a replayed callback is refused rather than
//! exchanged twice), verifies RS256 signatures with WebCrypto and stores the
//! session.

use super::{now, page, Client};
use crate::cognito::TokenSet as SessionTokens;
use crate::jwt::{decode_jwt, Json, Jwks, JwtError, JwtVerifier, SignatureCheck, VerifiedJwt};
use crate::oauth::{
    clean_callback_url, parse_callback_url, process_revoke_response, process_token_response,
    process_userinfo_response, validate_callback, AuthorizeOptions, HostedUi, HttpRequest,
    OAuthError, Transaction, DEFAULT_TRANSACTION_MAX_AGE,
};
use crate::session::{SessionRecord, Source};
use crate::transport::{Idempotency, LocalFuture, Transport};
use crate::Error;
use core::cell::{Cell, RefCell};
use js_sys::{Array, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    /// `crypto.subtle.importKey` (W3C Web Cryptography API §14.3.9).
    #[wasm_bindgen(catch, js_namespace = ["crypto", "subtle"], js_name = importKey)]
    fn import_key(
        format: &str,
        key: &Object,
        algorithm: &Object,
        extractable: bool,
        usages: &Array,
    ) -> Result<Promise, JsValue>;

    /// `crypto.subtle.verify` (W3C Web Cryptography API §14.3.4).
    #[wasm_bindgen(catch, js_namespace = ["crypto", "subtle"], js_name = verify)]
    fn subtle_verify(
        algorithm: &str,
        key: &JsValue,
        signature: &[u8],
        data: &[u8],
    ) -> Result<Promise, JsValue>;
}

/// Seconds of clock skew tolerated on an ID token's `exp` and `iat`.
const ID_TOKEN_GRACE: f64 = 60.0;

/// Seconds before a token with an unknown `kid` may make the JWKS be fetched
/// again (keys rotate, but a flood of made-up `kid`s must not become a flood
/// of JWKS requests).
const JWKS_REFETCH_AFTER: f64 = 30.0;

fn set(o: &Object, k: &str, v: &JsValue) {
    let _ = Reflect::set(o, &k.into(), v);
}

/// Verifies the RS256 signature of `check` with WebCrypto
/// (RSASSA-PKCS1-v1_5 with SHA-256, RFC 7518 §3.3).
#[inline(never)]
pub(crate) async fn webcrypto_rs256(check: &SignatureCheck) -> Result<bool, Error> {
    let bad_key = || {
        Error::Jwt(JwtError::JwkInvalid {
            reason: "WebCrypto refused it as an RSA public key",
        })
    };
    let jwk = Object::new();
    set(&jwk, "kty", &"RSA".into());
    set(&jwk, "n", &check.key().n.as_str().into());
    set(&jwk, "e", &check.key().e.as_str().into());
    set(&jwk, "alg", &"RS256".into());
    let algorithm = Object::new();
    set(&algorithm, "name", &"RSASSA-PKCS1-v1_5".into());
    set(&algorithm, "hash", &"SHA-256".into());
    let usages = Array::of1(&"verify".into());
    let key = import_key("jwk", &jwk, &algorithm, false, &usages).map_err(|_| bad_key())?;
    let key = JsFuture::from(key).await.map_err(|_| bad_key())?;
    let verdict = subtle_verify(
        "RSASSA-PKCS1-v1_5",
        &key,
        check.signature(),
        check.signing_input(),
    )
    .map_err(|_| Error::Jwt(JwtError::InvalidSignature))?;
    let verdict = JsFuture::from(verdict)
        .await
        .map_err(|_| Error::Jwt(JwtError::InvalidSignature))?;
    Ok(verdict.as_bool() == Some(true))
}

/// A JWKS URL and its keys once fetched (RFC 7517 §5), shared by every
/// verification of one client or verifier.
pub(crate) struct JwksCache {
    uri: String,
    keys: RefCell<Option<Jwks>>,
    fetched_at: Cell<f64>,
}

impl JwksCache {
    /// A cache for the JWKS at `uri` (nothing fetched yet).
    pub(crate) fn new(uri: String) -> JwksCache {
        JwksCache {
            uri,
            keys: RefCell::new(None),
            fetched_at: Cell::new(f64::NEG_INFINITY),
        }
    }

    async fn fetch(&self, transport: &Transport) -> Result<Jwks, Error> {
        let request = HttpRequest {
            method: "GET",
            url: self.uri.clone(),
            headers: vec![("accept", "application/json".to_owned())],
            body: None,
        };
        let r = transport
            .send(&request, Idempotency::Idempotent, None)
            .await?;
        if r.status != 200 {
            return Err(Error::Jwt(JwtError::JwksInvalid {
                reason: "the JWKS URL did not answer 200 OK",
            }));
        }
        let jwks = Jwks::parse(r.body.as_bytes())?;
        *self.keys.borrow_mut() = Some(jwks.clone());
        self.fetched_at.set(js_sys::Date::now() / 1000.0);
        Ok(jwks)
    }

    /// Verifies `token` with `rules` at `now` (Unix seconds): keys from the
    /// cache, fetched on first use and once more when the token's `kid` is
    /// unknown (key rotation), the signature by WebCrypto, then the claims
    /// (and `nonce`, for the ID token of a code exchange).
    /// Boxed, so its callers share one state machine (wasm size).
    pub(crate) fn verify<'a>(
        &'a self,
        transport: &'a Transport,
        rules: &'a JwtVerifier,
        token: &'a str,
        now: f64,
        nonce: Option<&'a str>,
    ) -> LocalFuture<'a, Result<VerifiedJwt, Error>> {
        Box::pin(self.verify_inner(transport, rules, token, now, nonce))
    }

    async fn verify_inner(
        &self,
        transport: &Transport,
        rules: &JwtVerifier,
        token: &str,
        now: f64,
        nonce: Option<&str>,
    ) -> Result<VerifiedJwt, Error> {
        let mut fresh = false;
        loop {
            let cached = self.keys.borrow().clone();
            let jwks = match cached {
                Some(j) => j,
                None => {
                    // Malformed tokens, other algorithms and foreign
                    // issuers are refused before any key is fetched (an
                    // empty key set fails only at key selection).
                    match rules.prepare(token, &Jwks::default()) {
                        Err(Error::Jwt(JwtError::KidNotFoundInJwks)) | Ok(_) => {}
                        Err(e) => return Err(e),
                    }
                    fresh = true;
                    self.fetch(transport).await?
                }
            };
            match rules.prepare(token, &jwks) {
                Err(Error::Jwt(JwtError::KidNotFoundInJwks))
                    if !fresh && now - self.fetched_at.get() > JWKS_REFETCH_AFTER =>
                {
                    self.keys.borrow_mut().take();
                }
                Err(e) => return Err(e),
                Ok(check) => {
                    let valid = webcrypto_rs256(&check).await?;
                    return check.accept(valid, now, nonce);
                }
            }
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
    /// `issuer` is the `iss` of the pool's tokens (Cognito's
    /// `https://cognito-idp.<region>.amazonaws.com/<poolId>`, or an
    /// emulator's); keys come from `jwks_uri`, by default
    /// `<issuer>/.well-known/jwks.json` (Cognito's JWKS URL). `oidc`: the
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
        let mut default_jwks = issuer.to_owned();
        default_jwks.push_str("/.well-known/jwks.json");
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

impl Client {
    fn hosted(&self) -> Result<&HostedConfig, Error> {
        self.0.config.hosted_ui.as_ref().ok_or_else(not_configured)
    }

    /// The key of the state of the sign-in this storage started last: a
    /// callback whose state is unknown while one is pending was not sent by
    /// this sign-in (forged), which is told apart from a replay.
    fn pending_key(&self) -> String {
        self.0.keys.transaction("pending")
    }

    /// Starts a hosted-UI sign-in: stores the transaction under its state,
    /// navigates the page to the authorize URL when `go` (and there is a
    /// page) and returns that URL.
    pub async fn sign_in_with_redirect(
        &self,
        o: RedirectOptions,
        go: bool,
    ) -> Result<String, Error> {
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
        let a = h.ui.authorize(&options, now() as u64)?;
        let storage = &self.0.config.storage;
        let state = &a.transaction.state;
        storage
            .set(
                &self.0.keys.transaction(state),
                &a.transaction.to_storage_string(),
            )
            .await?;
        storage.set(&self.pending_key(), state).await?;
        if go {
            page::navigate(&a.url);
        }
        Ok(a.url)
    }

    /// Finishes a hosted-UI sign-in from its callback URL (`None`: the
    /// page's): the transaction is taken out of storage first (single use),
    /// the callback checked against it, the code exchanged, the ID token
    /// verified (signature, `iss`, `aud`, `token_use`, `exp`, `iat`,
    /// `nonce`) and the session stored. When the URL is the page's, the page
    /// loses its response parameters first, whatever the outcome. Returns
    /// the session and the app's custom state.
    pub async fn handle_redirect_callback(
        &self,
        url: Option<String>,
        signal: Option<&JsValue>,
    ) -> Result<(SessionRecord, Option<String>), Error> {
        let href = page::location_href();
        let url = url
            .or_else(|| href.clone())
            .ok_or(Error::EmptyArgument { field: "url" })?;
        if href.as_deref() == Some(url.as_str()) {
            page::replace_url(&clean_callback_url(&url));
        }
        let h = self.hosted()?;
        let params = parse_callback_url(&url)?;
        let storage = &self.0.config.storage;
        let mut tx = None;
        if let Some(state) = params.state.as_deref().filter(|s| !s.is_empty()) {
            let key = self.0.keys.transaction(state);
            let stored = storage.get(&key).await?;
            let pending = storage.get(&self.pending_key()).await?;
            if let Some(stored) = stored {
                storage.remove(&key).await?;
                if pending.as_deref() == Some(state) {
                    storage.remove(&self.pending_key()).await?;
                }
                tx = Some(Transaction::parse(&stored)?);
            } else if pending.is_some() {
                // A sign-in is waiting here, and this is not its callback.
                return Err(OAuthError::StateMismatch.into());
            }
        }
        let expected_issuer = h.verifier_issuer();
        let code = validate_callback(
            &params,
            tx.as_ref(),
            now() as u64,
            DEFAULT_TRANSACTION_MAX_AGE,
            expected_issuer.as_deref(),
        )?;
        let tx = tx.ok_or(OAuthError::UnknownState)?;
        let request = h.ui.authorization_code_request(&code, &tx)?;
        let transport = &self.0.config.transport;
        let rules = Some((&h.verifier, &h.jwks));
        let call = token_call(transport, &request, signal, rules, Some(&tx.nonce), true).await?;
        let id = call.id.ok_or(JwtError::Parse {
            reason: "the token response has no ID token",
        })?;
        let sub = id.claims.get("sub").and_then(Json::as_str).unwrap_or("");
        let session = call
            .tokens
            .into_session_tokens(call.received, call.date.as_deref(), None)?;
        let record = SessionRecord::new(session, sub, Source::OAuth, None);
        self.save_session(record.clone()).await?;
        self.emit("signedIn", &JsValue::UNDEFINED);
        Ok((record, tx.app_state))
    }

    /// Refresh at `/oauth2/token` (`grant_type=refresh_token`, RFC 6749 §6);
    /// a new ID token is verified as the first one was (without a nonce).
    pub(super) async fn refresh_oauth(
        &self,
        record: &SessionRecord,
        refresh_token: &str,
    ) -> Result<SessionTokens, Error> {
        let h = self.hosted()?;
        let request = h.ui.refresh_token_request(refresh_token)?;
        let transport = &self.0.config.transport;
        let rules = Some((&h.verifier, &h.jwks));
        let call = token_call(transport, &request, None, rules, None, false).await?;
        call.tokens
            .into_session_tokens(call.received, call.date.as_deref(), Some(&record.tokens))
    }

    /// Revokes a hosted-UI session's refresh token at `/oauth2/revoke` (RFC
    /// 7009); errors are returned for the caller to ignore or report.
    pub(super) async fn revoke_oauth(
        &self,
        refresh_token: &str,
        signal: Option<&JsValue>,
    ) -> Result<(), Error> {
        let h = self.hosted()?;
        let request = h.ui.revoke_request(refresh_token)?;
        let r = self.send(&request, Idempotency::Idempotent, signal).await?;
        process_revoke_response(r.status, &r.headers, r.body.as_bytes())
    }

    /// After a hosted-UI session's local sign-out: navigates to Cognito's
    /// `/logout?client_id=…&logout_uri=…` (which ends the hosted UI's own
    /// session cookie) when a logout URI is configured and there is a page
    /// to navigate.
    pub(super) fn logout_redirect(&self) -> Result<(), Error> {
        if let Some(h) = &self.0.config.hosted_ui {
            if let Some(uri) = &h.logout_uri {
                page::navigate(&h.ui.logout_url(uri)?);
            }
        }
        Ok(())
    }

    /// The signed-in user's attributes from `/oauth2/userInfo` (OIDC Core
    /// §5.3), as JSON text; `sub` must be the ID token's.
    pub async fn get_user_info(&self, signal: Option<&JsValue>) -> Result<String, Error> {
        let h = self.hosted()?;
        let record = self.get_tokens(false).await?;
        let request = h.ui.userinfo_request(&record.tokens.access_token)?;
        let r = self.send(&request, Idempotency::Idempotent, signal).await?;
        let sub = decode_jwt(&record.tokens.id_token).ok().and_then(|j| {
            j.claims
                .get("sub")
                .and_then(Json::as_str)
                .map(str::to_owned)
        });
        let info =
            process_userinfo_response(r.status, &r.headers, r.body.as_bytes(), sub.as_deref())?;
        Ok(info.to_json_string())
    }
}

impl HostedConfig {
    /// The issuer a callback's `iss` (RFC 9207) must equal, when sent.
    fn verifier_issuer(&self) -> Option<String> {
        self.verifier.issuer().map(str::to_owned)
    }
}

/// Local time, Unix seconds with fractions.
pub(crate) fn now_f64() -> f64 {
    js_sys::Date::now() / 1000.0
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
/// §3.1.3.7). Boxed: one state machine for every caller (wasm size).
pub(crate) fn token_call<'a>(
    transport: &'a Transport,
    request: &'a HttpRequest,
    signal: Option<&'a JsValue>,
    id_rules: Option<(&'a JwtVerifier, &'a JwksCache)>,
    nonce: Option<&'a str>,
    expect_id_token: bool,
) -> LocalFuture<'a, Result<TokenCall, Error>> {
    Box::pin(async move {
        let r = transport
            .send(request, Idempotency::NonIdempotent, signal)
            .await?;
        let received = now();
        let tokens =
            process_token_response(r.status, &r.headers, r.body.as_bytes(), expect_id_token)?;
        let mut id = None;
        if let (Some((rules, jwks)), Some(token)) = (id_rules, &tokens.id_token) {
            id = Some(
                jwks.verify(transport, rules, token, now_f64(), nonce)
                    .await?,
            );
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
        now() as u64,
        DEFAULT_TRANSACTION_MAX_AGE,
        issuer,
    )?;
    let request = ui.authorization_code_request(&code, &tx)?;
    let expect_id = id_rules.is_some();
    let call = token_call(
        transport,
        &request,
        None,
        id_rules,
        Some(&tx.nonce),
        expect_id,
    )
    .await?;
    Ok((call.tokens, tx.app_state))
}

/// A token-endpoint request without an ID token check (refresh, client
/// credentials on a server).
pub(crate) async fn token_request(
    transport: &Transport,
    request: &HttpRequest,
) -> Result<crate::oauth::TokenSet, Error> {
    Ok(token_call(transport, request, None, None, None, false)
        .await?
        .tokens)
}
