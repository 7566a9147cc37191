//! The token endpoint, `POST /oauth2/token` (Amazon Cognito Developer Guide,
//! "Token endpoint"): the authorization-code grant with PKCE (RFC 6749
//! §4.1.3, RFC 7636 §4.5), refresh (§6), client credentials (§4.4), and the
//! access token response (§5.1) or error response (§5.2).

use crate::prelude::*;

use base64ct::{Base64, Encoding};

use super::response::{failure, invalid, json_object, oauth_error};
use super::{form, HostedUi, Transaction};
use crate::http::HttpRequest;
use crate::json::Json;
use crate::Error;

const ENDPOINT: &str = "token";

/// A successful token response (RFC 6749 §5.1).
#[derive(Clone, PartialEq, Eq)]
pub struct TokenSet {
    /// `access_token`.
    pub access_token: String,
    /// `token_type`: always `Bearer` (checked, case-insensitively, §7.1).
    pub token_type: String,
    /// `expires_in`: the access token's lifetime in seconds.
    pub expires_in: Option<u64>,
    /// `id_token` (OIDC Core §3.1.3.3): when `openid` was granted. Verify it
    /// with [`crate::jwt::JwtVerifier`] before trusting it.
    pub id_token: Option<String>,
    /// `refresh_token`: on the code grant, and on refresh when the app
    /// client rotates refresh tokens.
    pub refresh_token: Option<String>,
    /// `scope`, when the server states it.
    pub scope: Option<String>,
}

/// Tokens are bearer credentials: `Debug` shows which are present only.
impl core::fmt::Debug for TokenSet {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let present = |t: &Option<String>| t.as_ref().map(|_| "<redacted>");
        f.debug_struct("TokenSet")
            .field("token_type", &self.token_type)
            .field("expires_in", &self.expires_in)
            .field("id_token", &present(&self.id_token))
            .field("refresh_token", &present(&self.refresh_token))
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

fn non_empty(field: &'static str, value: &str) -> Result<(), Error> {
    if value.is_empty() {
        Err(Error::EmptyArgument { field })
    } else {
        Ok(())
    }
}

impl HostedUi {
    /// A form POST to `path`. `client_id` is always in the body (Cognito
    /// requires it for public clients); a confidential client also
    /// authenticates with HTTP Basic (RFC 6749 §2.3.1: id and secret
    /// form-encoded, then base64), and its secret is never put in the body.
    pub(crate) fn form_post(&self, path: &str, params: &[(&str, &str)]) -> HttpRequest {
        let mut pairs = params.to_vec();
        pairs.push(("client_id", &self.client_id));
        let mut headers = vec![
            (
                "content-type",
                "application/x-www-form-urlencoded".to_owned(),
            ),
            ("accept", "application/json".to_owned()),
        ];
        if let Some(secret) = &self.client_secret {
            let mut credentials = String::new();
            form::encode_into(&self.client_id, &mut credentials);
            credentials.push(':');
            form::encode_into(secret, &mut credentials);
            headers.push((
                "authorization",
                ["Basic ", &Base64::encode_string(credentials.as_bytes())].concat(),
            ));
        }
        HttpRequest {
            method: "POST",
            url: self.endpoint(path),
            headers,
            body: Some(form::serialize(&pairs)),
        }
    }

    /// Exchanges an authorization code (RFC 6749 §4.1.3) with the
    /// transaction's PKCE verifier (RFC 7636 §4.5) and redirect URI.
    pub fn authorization_code_request(
        &self,
        code: &str,
        tx: &Transaction,
    ) -> Result<HttpRequest, Error> {
        non_empty("code", code)?;
        Ok(self.form_post(
            "/oauth2/token",
            &[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("redirect_uri", &tx.redirect_uri),
                ("code_verifier", &tx.code_verifier),
            ],
        ))
    }

    /// Refreshes tokens (RFC 6749 §6).
    pub fn refresh_token_request(&self, refresh_token: &str) -> Result<HttpRequest, Error> {
        non_empty("refreshToken", refresh_token)?;
        Ok(self.form_post(
            "/oauth2/token",
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", refresh_token),
            ],
        ))
    }

    /// Machine-to-machine tokens (RFC 6749 §4.4) for a confidential client,
    /// e.g. scopes `["my-api/read"]` of a resource server; empty asks for all
    /// the client's allowed scopes.
    pub fn client_credentials_request(&self, scopes: &[&str]) -> Result<HttpRequest, Error> {
        if self.client_secret.is_none() {
            return Err(Error::EmptyArgument {
                field: "clientSecret",
            });
        }
        let scope = scopes.join(" ");
        let mut params = vec![("grant_type", "client_credentials")];
        if !scope.is_empty() {
            params.push(("scope", &scope));
        }
        Ok(self.form_post("/oauth2/token", &params))
    }
}

/// Processes a token endpoint response. Success is status 200 with a JSON
/// object holding a string `access_token` and `token_type` `Bearer` (RFC
/// 6749 §5.1); `id_token` is required when `expect_id_token` (a code
/// exchange with the `openid` scope, OIDC Core §3.1.3.3). Anything else is
/// an [`super::OAuthError::EndpointError`] when the body is an OAuth error
/// (§5.2), or an [`super::OAuthError::InvalidResponse`] that says why not.
pub fn process_token_response<K: AsRef<str>, V: AsRef<str>>(
    status: u16,
    headers: &[(K, V)],
    body: &[u8],
    expect_id_token: bool,
) -> Result<TokenSet, Error> {
    if status != 200 {
        return Err(failure(ENDPOINT, status, headers, body));
    }
    let json = json_object(ENDPOINT, status, headers, body)?;
    if let Some(e) = oauth_error(ENDPOINT, status, &json) {
        return Err(e);
    }
    let bad = |reason| invalid(ENDPOINT, status, reason);
    let string = |name: &str| match json.get(name) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::String(s)) if !s.is_empty() => Ok(Some(s.clone())),
        Some(_) => Err(bad("a token field is not a non-empty string")),
    };
    let access_token = string("access_token")?.ok_or(bad("access_token is missing"))?;
    let token_type = string("token_type")?.ok_or(bad("token_type is missing"))?;
    if !token_type.eq_ignore_ascii_case("bearer") {
        return Err(bad("token_type is not Bearer"));
    }
    let expires_in = match json.get("expires_in") {
        None | Some(Json::Null) => None,
        Some(v) => match v.as_f64() {
            Some(s) if s >= 0.0 && s <= u32::MAX as f64 && s == (s as u64) as f64 => Some(s as u64),
            _ => return Err(bad("expires_in is not a non-negative whole number")),
        },
    };
    let id_token = string("id_token")?;
    if expect_id_token && id_token.is_none() {
        return Err(bad("id_token is missing (was the openid scope granted?)"));
    }
    Ok(TokenSet {
        access_token,
        token_type,
        expires_in,
        id_token,
        refresh_token: string("refresh_token")?,
        scope: match json.get("scope") {
            None | Some(Json::Null) => None,
            Some(Json::String(s)) => Some(s.clone()),
            Some(_) => return Err(bad("scope is not a string")),
        },
    })
}

impl TokenSet {
    /// The session form of a token response received at local time `now`
    /// (Unix seconds) with the response's `Date` header, if any: the same
    /// expiry and clock-skew rules as the JSON API's tokens (the earlier of
    /// `expires_in` and the access token's `exp − iat`; skew from `Date`,
    /// else the access token's `iat`). On a refresh, `previous` supplies what
    /// the response may omit (RFC 6749 §6: the refresh token when not
    /// rotated; the ID token when `openid` was not re-issued). Without either
    /// an ID token is required (OIDC Core §3.1.3.3).
    pub fn into_session_tokens(
        self,
        now: i64,
        date: Option<&str>,
        previous: Option<&crate::cognito::TokenSet>,
    ) -> Result<crate::cognito::TokenSet, Error> {
        let id_token = match (self.id_token, previous) {
            (Some(t), _) => t,
            (None, Some(p)) => p.id_token.clone(),
            (None, None) => {
                return Err(invalid(
                    ENDPOINT,
                    200,
                    "id_token is missing (was the openid scope granted?)",
                ))
            }
        };
        let expires_in = self.expires_in.unwrap_or(3600);
        let (lifetime, clock_skew) =
            crate::cognito::lifetime_and_skew(&self.access_token, expires_in, now, date);
        Ok(crate::cognito::TokenSet {
            id_token,
            access_token: self.access_token,
            refresh_token: self
                .refresh_token
                .or_else(|| previous.and_then(|p| p.refresh_token.clone())),
            expires_in,
            token_type: "Bearer".to_owned(),
            expires_at: now.saturating_add(lifetime),
            clock_skew,
        })
    }
}
