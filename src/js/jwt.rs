//! `JwtVerifierCore`, the wasm side of the JS `JwtVerifier` (pkg/jwt.js):
//! verifies Cognito tokens on a server or in a Worker, with no storage, as
//! aws-jwt-verify's `CognitoJwtVerifier` does (same checks, same error
//! names). The JWKS is fetched through the transport and cached per
//! verifier; RS256 is checked by WebCrypto.

use super::auth::{promise, transport};
use super::error::to_js;
use super::hosted::string_list;
use super::value::{get, opt_number, opt_string, string};
use crate::client::{now_f64, JwksCache};
use crate::jwt::{JwtVerifier, TokenUse};
use crate::transport::Transport;
use crate::Error;
use js_sys::Promise;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// One verifier: its rules, its JWKS cache and how it fetches.
#[wasm_bindgen(js_name = JwtVerifierCore)]
pub struct JwtVerifierCore {
    rules: JwtVerifier,
    jwks: Rc<JwksCache>,
    transport: Transport,
}

/// `clientId`: a string, an array of strings, or `null` (no client check,
/// aws-jwt-verify's `clientId: null`); it must be given.
fn client_ids(o: &JsValue) -> Result<Option<Vec<String>>, Error> {
    let v = get(o, "clientId");
    if v.is_null() {
        return Ok(None);
    }
    if v.is_string() {
        return Ok(Some(vec![string(o, "clientId")?]));
    }
    string_list(o, "clientId")?
        .filter(|l| !l.is_empty())
        .map(Some)
        .ok_or(Error::EmptyArgument { field: "clientId" })
}

fn rules(o: &JsValue) -> Result<(JwtVerifier, String), Error> {
    let pool = string(o, "userPoolId")?;
    let token_use = match opt_string(o, "tokenUse")?.as_deref() {
        None => None,
        Some("id") => Some(TokenUse::Id),
        Some("access") => Some(TokenUse::Access),
        Some(_) => {
            return Err(Error::InvalidArgument {
                field: "tokenUse",
                reason: "must be \"id\", \"access\" or null",
            })
        }
    };
    let mut v = JwtVerifier::cognito(&pool, None, token_use)?;
    if let Some(ids) = client_ids(o)? {
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        v = v.with_client_ids(&ids);
    }
    // The issuer: given, or `<endpoint>/<userPoolId>` (an emulator's, or a
    // proxy's), or AWS's.
    let issuer = match (opt_string(o, "issuer")?, opt_string(o, "endpoint")?) {
        (Some(i), _) => Some(i),
        (None, Some(e)) => Some([e.trim_end_matches('/'), &pool].join("/")),
        _ => None,
    };
    if let Some(i) = &issuer {
        v = v.with_issuer(i);
    }
    if let Some(g) = string_list(o, "groups")? {
        let g: Vec<&str> = g.iter().map(String::as_str).collect();
        v = v.with_groups(&g);
    }
    if let Some(s) = string_list(o, "scope")? {
        let s: Vec<&str> = s.iter().map(String::as_str).collect();
        v = v.with_scopes(&s);
    }
    if let Some(g) = opt_number(o, "graceSeconds")? {
        v = v.with_grace_seconds(g);
    }
    let jwks_uri = match opt_string(o, "jwksUri")? {
        Some(u) => u,
        None => [v.issuer().unwrap_or(""), "/.well-known/jwks.json"].concat(),
    };
    Ok((v, jwks_uri))
}

#[wasm_bindgen(js_class = JwtVerifierCore)]
impl JwtVerifierCore {
    /// `new JwtVerifier({ userPoolId, clientId, tokenUse, issuer, endpoint,
    /// jwksUri, groups, scope, graceSeconds, fetch, timeout, retry })`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<JwtVerifierCore, JsValue> {
        let (rules, jwks_uri) = rules(&options).map_err(to_js)?;
        Ok(JwtVerifierCore {
            rules,
            jwks: Rc::new(JwksCache::new(jwks_uri)),
            transport: transport(&options).map_err(to_js)?,
        })
    }

    /// `verify(token)` → the token's claims, or a rejection whose `code` is
    /// aws-jwt-verify's error name without `Error`.
    pub fn verify(&self, token: JsValue) -> Promise {
        let (rules, jwks, transport) = (
            self.rules.clone(),
            self.jwks.clone(),
            self.transport.clone(),
        );
        promise(async move {
            let token = token.as_string().ok_or(Error::InvalidArgument {
                field: "token",
                reason: "must be a string",
            })?;
            let v = jwks
                .verify(&transport, &rules, &token, now_f64(), None)
                .await?;
            js_sys::JSON::parse(&v.claims.to_json_string()).map_err(|_| Error::InvalidArgument {
                field: "token",
                reason: "its claims could not be read",
            })
        })
    }
}
