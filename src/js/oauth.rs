//! The standalone hosted-UI functions for servers and Workers (pkg/oauth.js):
//! `buildAuthorizeUrl`, `exchangeCode`, `refresh`, `clientCredentials`. No
//! storage: the caller keeps the transaction string (e.g. in an HttpOnly
//! cookie) between the authorize redirect and the callback.

use super::auth::{promise, transport};
use super::hosted::string_list;
use super::value::{opt_string, string, Obj};
use crate::client::{exchange_code, token_request, JwksCache};
use crate::jwt::JwtVerifier;
use crate::oauth::{AuthorizeOptions, HostedUi, TokenSet};
use crate::Error;
use js_sys::Promise;
use wasm_bindgen::prelude::*;

/// `{ domain, clientId, clientSecret }` → the hosted UI.
fn ui(o: &JsValue) -> Result<HostedUi, Error> {
    HostedUi::new(
        &string(o, "domain")?,
        &string(o, "clientId")?,
        opt_string(o, "clientSecret")?.as_deref(),
    )
}

/// A token response as a JS object.
fn tokens_js(t: &TokenSet, custom_state: Option<String>) -> JsValue {
    Obj::new()
        .set("accessToken", t.access_token.as_str())
        .set("tokenType", t.token_type.as_str())
        .opt("expiresIn", t.expires_in.map(|s| s as f64))
        .opt("idToken", t.id_token.as_deref())
        .opt("refreshToken", t.refresh_token.as_deref())
        .opt("scope", t.scope.as_deref())
        .opt("customState", custom_state)
        .into()
}

/// `buildAuthorizeUrl({ domain, clientId, redirectUri, scopes,
/// identityProvider, idpIdentifier, loginHint, prompt, lang, customState })`
/// → `{ url, state, transaction }`; keep `transaction` for `exchangeCode`.
#[wasm_bindgen(js_name = oauthBuildAuthorizeUrl)]
pub fn build_authorize_url(o: JsValue) -> Result<JsValue, JsValue> {
    let run = || -> Result<JsValue, Error> {
        let scopes = string_list(&o, "scopes")?.unwrap_or_default();
        let scopes: Vec<&str> = scopes.iter().map(String::as_str).collect();
        let (redirect, idp, idp_id, hint, prompt, lang, custom) = (
            string(&o, "redirectUri")?,
            opt_string(&o, "identityProvider")?,
            opt_string(&o, "idpIdentifier")?,
            opt_string(&o, "loginHint")?,
            opt_string(&o, "prompt")?,
            opt_string(&o, "lang")?,
            opt_string(&o, "customState")?,
        );
        let a = ui(&o)?.authorize(
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
            crate::client::now_f64() as u64,
        )?;
        Ok(Obj::new()
            .set("url", a.url)
            .set("state", a.transaction.state.as_str())
            .set("transaction", a.transaction.to_storage_string())
            .into())
    };
    run().map_err(super::error::to_js)
}

/// `exchangeCode({ domain, clientId, clientSecret, url, transaction,
/// userPoolId | issuer, jwksUri, tokenRules })` → the tokens and
/// `customState`. With `userPoolId` or `issuer`, the ID token is verified
/// (signature, `iss`, `aud`, `token_use`, `exp`, `iat`, `nonce`).
#[wasm_bindgen(js_name = oauthExchangeCode)]
pub fn exchange(o: JsValue) -> Promise {
    promise(async move {
        let ui = ui(&o)?;
        let t = transport(&o)?;
        let url = string(&o, "url")?;
        let tx = string(&o, "transaction")?;
        let pool = opt_string(&o, "userPoolId")?;
        let issuer = opt_string(&o, "issuer")?;
        let rules = match (&issuer, &pool) {
            (Some(i), _) if opt_string(&o, "tokenRules")?.as_deref() == Some("oidc") => {
                Some(JwtVerifier::oidc(i, ui.client_id()))
            }
            (_, Some(p)) => {
                let v =
                    JwtVerifier::cognito(p, Some(ui.client_id()), Some(crate::jwt::TokenUse::Id))?;
                Some(match &issuer {
                    Some(i) => v.with_issuer(i),
                    None => v,
                })
            }
            (Some(i), None) => Some(JwtVerifier::oidc(i, ui.client_id())),
            (None, None) => None,
        }
        .map(|v| v.with_grace_seconds(60.0));
        let jwks = rules.as_ref().map(|r| {
            let default = [r.issuer().unwrap_or(""), "/.well-known/jwks.json"].concat();
            opt_string(&o, "jwksUri").map(|u| JwksCache::new(u.unwrap_or(default)))
        });
        let jwks = jwks.transpose()?;
        let id_rules = rules.as_ref().zip(jwks.as_ref());
        let (tokens, custom) = exchange_code(&t, &ui, &url, &tx, id_rules).await?;
        Ok(tokens_js(&tokens, custom))
    })
}

/// `refresh({ domain, clientId, clientSecret, refreshToken })` → new tokens
/// (RFC 6749 §6).
#[wasm_bindgen(js_name = oauthRefresh)]
pub fn refresh(o: JsValue) -> Promise {
    promise(async move {
        let request = ui(&o)?.refresh_token_request(&string(&o, "refreshToken")?)?;
        let tokens = token_request(&transport(&o)?, &request).await?;
        Ok(tokens_js(&tokens, None))
    })
}

/// `clientCredentials({ domain, clientId, clientSecret, scopes })` → an
/// access token for machine-to-machine calls (RFC 6749 §4.4).
#[wasm_bindgen(js_name = oauthClientCredentials)]
pub fn client_credentials(o: JsValue) -> Promise {
    promise(async move {
        let scopes = string_list(&o, "scopes")?.unwrap_or_default();
        let scopes: Vec<&str> = scopes.iter().map(String::as_str).collect();
        let request = ui(&o)?.client_credentials_request(&scopes)?;
        let tokens = token_request(&transport(&o)?, &request).await?;
        Ok(tokens_js(&tokens, None))
    })
}
