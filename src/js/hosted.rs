//! The hosted-UI methods of `AuthClient` (`signInWithRedirect`,
//! `handleRedirectCallback`, `getUserInfo`) and the `hostedUi` option. The
//! flow itself, the page's `location` and `history` included, is in
//! [`crate::client`]; this file reads options and shapes results.

use super::auth::{promise, tokens_js, AuthClient};
use super::value::{get, opt_bool, opt_string, signal, string, Obj};
use crate::client::{HostedConfig, RedirectOptions};
use crate::cognito::UserPool;
use crate::oauth::HostedUi;
use crate::Error;
use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;

/// An optional array of strings.
pub(super) fn string_list(o: &JsValue, key: &'static str) -> Result<Option<Vec<String>>, Error> {
    let v = get(o, key);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    let bad = Error::InvalidArgument {
        field: key,
        reason: "must be an array of strings",
    };
    let a = v.dyn_into::<Array>().map_err(|_| bad.clone())?;
    a.iter()
        .map(|s| s.as_string().ok_or(bad.clone()))
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

/// The `hostedUi` option: `{ domain, redirectUri, logoutUri, scopes,
/// identityProvider, issuer, jwksUri, tokenRules }`. The ID token's issuer is
/// `issuer`, else `<endpoint>/<userPoolId>` (Cognito's issuer on AWS's
/// default endpoint, and an emulator's on its own).
pub(super) fn hosted_config(
    options: &JsValue,
    pool: &UserPool,
) -> Result<Option<HostedConfig>, Error> {
    let h = get(options, "hostedUi");
    if h.is_undefined() || h.is_null() {
        return Ok(None);
    }
    let secret = opt_string(options, "clientSecret")?;
    let ui = HostedUi::new(&string(&h, "domain")?, pool.client_id(), secret.as_deref())?;
    let issuer = match opt_string(&h, "issuer")? {
        Some(i) => i,
        None => [pool.endpoint(), pool.pool_id()].join("/"),
    };
    let oidc = match opt_string(&h, "tokenRules")?.as_deref() {
        None | Some("cognito") => false,
        Some("oidc") => true,
        Some(_) => {
            return Err(Error::InvalidArgument {
                field: "tokenRules",
                reason: "must be \"cognito\" or \"oidc\"",
            })
        }
    };
    HostedConfig::new(
        ui,
        string(&h, "redirectUri")?,
        opt_string(&h, "logoutUri")?,
        string_list(&h, "scopes")?.unwrap_or_default(),
        opt_string(&h, "identityProvider")?,
        pool.pool_id(),
        &issuer,
        opt_string(&h, "jwksUri")?,
        oidc,
    )
    .map(Some)
}

#[wasm_bindgen]
impl AuthClient {
    /// `signInWithRedirect({ scopes, identityProvider, idpIdentifier,
    /// loginHint, prompt, lang, customState, navigate })` → the authorize
    /// URL; navigates to it unless `navigate: false` or there is no page.
    #[wasm_bindgen(js_name = signInWithRedirect)]
    pub fn sign_in_with_redirect(&self, o: JsValue) -> Promise {
        let client = self.client.clone();
        promise(async move {
            let options = RedirectOptions {
                scopes: string_list(&o, "scopes")?,
                identity_provider: opt_string(&o, "identityProvider")?,
                idp_identifier: opt_string(&o, "idpIdentifier")?,
                login_hint: opt_string(&o, "loginHint")?,
                prompt: opt_string(&o, "prompt")?,
                lang: opt_string(&o, "lang")?,
                custom_state: opt_string(&o, "customState")?,
            };
            let go = opt_bool(&o, "navigate")?.unwrap_or(true);
            Ok(client.sign_in_with_redirect(options, go).await?.into())
        })
    }

    /// `handleRedirectCallback(url | { url, signal })` (default:
    /// `location.href`) → `{ tokens, customState }`. The page's URL loses
    /// its response parameters whatever the outcome.
    #[wasm_bindgen(js_name = handleRedirectCallback)]
    pub fn handle_redirect_callback(&self, o: JsValue) -> Promise {
        let client = self.client.clone();
        promise(async move {
            let url = match o.as_string() {
                Some(u) => Some(u),
                None => opt_string(&o, "url")?,
            };
            let (record, custom) = client
                .handle_redirect_callback(url, signal(&o).as_ref())
                .await?;
            Ok(Obj::new()
                .set("tokens", tokens_js(&record))
                .opt("customState", custom)
                .into())
        })
    }

    /// `getUserInfo()` → the `/oauth2/userInfo` claims.
    #[wasm_bindgen(js_name = getUserInfo)]
    pub fn get_user_info(&self, o: JsValue) -> Promise {
        let client = self.client.clone();
        promise(async move {
            let text = client.get_user_info(signal(&o).as_ref()).await?;
            js_sys::JSON::parse(&text).map_err(|_| Error::InvalidArgument {
                field: "userInfo",
                reason: "unreadable",
            })
        })
    }
}
