//! Every public operation, by name: reads its arguments (JSON), starts its
//! machine, and shapes its value as the JS API documents it (index.d.ts).
//! The sign-in and account operations are in [`super::ops_signin`].

use crate::prelude::*;

use super::client::{Client, Cx};
use super::hosted::{exchange_code, token_call, JwksCache, RedirectOptions, ID_TOKEN_GRACE};
use super::io::LocalFuture;
use super::options::transport;
use super::value::{num, opt_bool, opt_string, string, string_list, Obj};
use super::verifier::Verifier;
use super::{Io, Machine};
use crate::json::Json;
use crate::jwt::JwtVerifier;
use crate::oauth::{AuthorizeOptions, HostedUi, TokenSet};
use crate::session::SessionRecord;
use crate::Error;
use alloc::rc::Rc;

/// `{ idToken, accessToken, refreshToken, expiresAt (ms), tokenType, username }`.
pub(super) fn tokens_json(record: &SessionRecord) -> Json {
    let t = &record.tokens;
    Obj::new()
        .set("idToken", t.id_token.as_str())
        .set("accessToken", t.access_token.as_str())
        .opt("refreshToken", t.refresh_token.as_deref())
        .set("expiresAt", num((t.expires_at as f64) * 1000.0))
        .set("tokenType", t.token_type.as_str())
        .set("username", record.username.as_str())
        .into()
}

fn redirect_options(o: &Json) -> Result<RedirectOptions, Error> {
    Ok(RedirectOptions {
        scopes: string_list(o, "scopes")?,
        identity_provider: opt_string(o, "identityProvider")?,
        idp_identifier: opt_string(o, "idpIdentifier")?,
        login_hint: opt_string(o, "loginHint")?,
        prompt: opt_string(o, "prompt")?,
        lang: opt_string(o, "lang")?,
        custom_state: opt_string(o, "customState")?,
    })
}

pub(super) fn unknown(method: &str) -> Error {
    let _ = method;
    Error::InvalidArgument {
        field: "method",
        reason: if cfg!(feature = "signin") {
            "unknown operation"
        } else {
            "not in cognito-wasm/session; import \"cognito-wasm\" for sign-in and account operations"
        },
    }
}

/// Runs `CognitoAuth`'s `method` with `args` (its options object; for
/// `handleRedirectCallback` also a URL string) on `client`. Also the
/// client's events: `start`, `message` (a tab's), `storage` (a storage
/// event), `timer`, `visibility`.
pub fn start_client_op(client: &Client, method: &str, args: Json) -> Machine {
    let client = client.clone();
    let method = method.to_owned();
    Machine::start(move |io| async move {
        let cx = Cx { c: client, io };
        let o = &args;
        match method.as_str() {
            "getTokens" => {
                let force = opt_bool(o, "forceRefresh")?.unwrap_or(false);
                Ok(tokens_json(&cx.get_tokens(force).await?))
            }
            "signOut" => {
                let global = opt_bool(o, "global")?.unwrap_or(false);
                let revoke = opt_bool(o, "revoke")?.unwrap_or(true);
                let forget = opt_bool(o, "forgetDevice")?.unwrap_or(false);
                cx.sign_out(global, revoke, forget)
                    .await
                    .map(|_| Json::Null)
            }
            "signInWithRedirect" => {
                let options = redirect_options(o)?;
                let go = opt_bool(o, "navigate")?.unwrap_or(true);
                Ok(cx.sign_in_with_redirect(options, go).await?.into())
            }
            "handleRedirectCallback" => {
                let url = match o {
                    Json::String(u) => Some(u.clone()),
                    _ => opt_string(o, "url")?,
                };
                let (record, custom) = cx.handle_redirect_callback(url).await?;
                Ok(Obj::new()
                    .set("tokens", tokens_json(&record))
                    .opt("customState", custom)
                    .into())
            }
            "getUserInfo" => cx.get_user_info().await,
            "start" => cx.start().await,
            "message" => cx.on_message(o).await,
            "storage" => cx.on_storage(o).await,
            "timer" => cx.on_timer().await,
            "visibility" => {
                cx.on_visibility(matches!(o.get("hidden"), Some(Json::Bool(true))))
                    .await
            }
            #[cfg(feature = "signin")]
            m => super::ops_signin::run(&cx, m, o).await,
            #[cfg(not(feature = "signin"))]
            m => Err(unknown(m)),
        }
    })
}

/// Runs `JwtVerifier.verify(token)` (`args` is the token).
pub fn start_verifier_op(verifier: &Rc<Verifier>, args: Json) -> Machine {
    let verifier = verifier.clone();
    Machine::start(move |io| async move {
        let Json::String(token) = args else {
            return Err(Error::InvalidArgument {
                field: "token",
                reason: "must be a string",
            });
        };
        verifier.verify(&io, &token).await
    })
}

/// `{ domain, clientId, clientSecret }` → the hosted UI.
fn ui(o: &Json) -> Result<HostedUi, Error> {
    HostedUi::new(
        &string(o, "domain")?,
        &string(o, "clientId")?,
        opt_string(o, "clientSecret")?.as_deref(),
    )
}

/// A token response as the server-side functions return it.
fn token_set_json(t: &TokenSet, custom_state: Option<String>) -> Json {
    Obj::new()
        .set("accessToken", t.access_token.as_str())
        .set("tokenType", t.token_type.as_str())
        .opt("expiresIn", t.expires_in.map(|s| num(s as f64)))
        .opt("idToken", t.id_token.as_deref())
        .opt("refreshToken", t.refresh_token.as_deref())
        .opt("scope", t.scope.as_deref())
        .opt("customState", custom_state)
        .into()
}

fn build_authorize_url<'a>(io: &'a Io, o: &'a Json) -> LocalFuture<'a, Result<Json, Error>> {
    Box::pin(async move {
        let scopes = string_list(o, "scopes")?.unwrap_or_default();
        let scopes: Vec<&str> = scopes.iter().map(String::as_str).collect();
        let (redirect, idp, idp_id, hint, prompt, lang, custom) = (
            string(o, "redirectUri")?,
            opt_string(o, "identityProvider")?,
            opt_string(o, "idpIdentifier")?,
            opt_string(o, "loginHint")?,
            opt_string(o, "prompt")?,
            opt_string(o, "lang")?,
            opt_string(o, "customState")?,
        );
        let a = ui(o)?.authorize(
            &AuthorizeOptions {
                redirect_uri: &redirect,
                scopes: &scopes,
                identity_provider: idp.as_deref(),
                idp_identifier: idp_id.as_deref(),
                login_hint: hint.as_deref(),
                prompt: prompt.as_deref(),
                lang: lang.as_deref(),
                app_state: custom.as_deref(),
            },
            io.now() as u64,
        )?;
        Ok(Obj::new()
            .set("url", a.url)
            .set("state", a.transaction.state.as_str())
            .set("transaction", a.transaction.to_storage_string())
            .into())
    })
}

/// `exchangeCode`: with `userPoolId` or `issuer`, the ID token is verified
/// (signature, `iss`, `aud`, `token_use`, `exp`, `iat`, `nonce`).
fn exchange<'a>(io: &'a Io, o: &'a Json) -> LocalFuture<'a, Result<Json, Error>> {
    Box::pin(async move {
        let ui = ui(o)?;
        let t = transport(o)?;
        let url = string(o, "url")?;
        let tx = string(o, "transaction")?;
        let pool = opt_string(o, "userPoolId")?;
        let issuer = super::options::secure_url(o, "issuer")?;
        let oidc = opt_string(o, "tokenRules")?.as_deref() == Some("oidc");
        let rules = match (&issuer, &pool) {
            (Some(i), _) if oidc => Some(JwtVerifier::oidc(i, ui.client_id())),
            (_, Some(p)) => {
                let v =
                    JwtVerifier::cognito(p, Some(ui.client_id()), Some(crate::jwt::TokenUse::Id))?;
                Some(match &issuer {
                    Some(i) => v.with_issuer(i),
                    None => v,
                })
            }
            (Some(i), None) => Some(JwtVerifier::oidc(i, ui.client_id())),
            // Skipping every ID-token check (nonce included) must be said.
            (None, None) if matches!(o.get("verifyIdToken"), Some(Json::Bool(false))) => None,
            (None, None) => {
                return Err(Error::InvalidArgument {
                    field: "userPoolId",
                    reason: "give userPoolId or issuer, so that the ID token and its nonce are checked (or verifyIdToken: false)",
                })
            }
        }
        .map(|v| v.with_grace_seconds(ID_TOKEN_GRACE));
        let jwks_uri = super::options::secure_url(o, "jwksUri")?;
        let jwks = rules.as_ref().map(|r| {
            let default = [r.issuer().unwrap_or(""), "/.well-known/jwks.json"].concat();
            JwksCache::new(jwks_uri.unwrap_or(default))
        });
        let id_rules = rules.as_ref().zip(jwks.as_ref());
        let (tokens, custom) = exchange_code(io, &t, &ui, &url, &tx, id_rules).await?;
        Ok(token_set_json(&tokens, custom))
    })
}

/// Runs the server-side `oauth.<method>(args)`: `buildAuthorizeUrl`,
/// `exchangeCode`, `refresh`, `clientCredentials`.
pub fn start_oauth_op(method: &str, args: Json) -> Machine {
    let method = method.to_owned();
    Machine::start(move |io| async move {
        let o = &args;
        match method.as_str() {
            "buildAuthorizeUrl" => build_authorize_url(&io, o).await,
            "exchangeCode" => exchange(&io, o).await,
            "refresh" | "clientCredentials" => {
                let ui = ui(o)?;
                let request = if method == "refresh" {
                    ui.refresh_token_request(&string(o, "refreshToken")?)?
                } else {
                    let scopes = string_list(o, "scopes")?.unwrap_or_default();
                    let scopes: Vec<&str> = scopes.iter().map(String::as_str).collect();
                    ui.client_credentials_request(&scopes)?
                };
                let t = transport(o)?;
                let call = token_call(&io, &t, &request, None, None, false).await?;
                Ok(token_set_json(&call.tokens, None))
            }
            m => Err(unknown(m)),
        }
    })
}
