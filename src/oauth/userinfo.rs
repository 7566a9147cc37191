//! The userInfo endpoint, `GET /oauth2/userInfo` (OIDC Core §5.3; Amazon
//! Cognito Developer Guide, "userInfo endpoint"): the signed-in user's
//! attributes, for an access token with the `openid` scope.

use crate::prelude::*;

use super::response::{failure, invalid, json_object};
use super::{HostedUi, OAuthError};
use crate::http::{find_header, HttpRequest};
use crate::json::Json;
use crate::Error;

const ENDPOINT: &str = "userInfo";

impl HostedUi {
    /// The userInfo request, with the access token as a Bearer credential
    /// (RFC 6750 §2.1), never in the URL.
    pub fn userinfo_request(&self, access_token: &str) -> Result<HttpRequest, Error> {
        if access_token.is_empty() {
            return Err(Error::EmptyArgument {
                field: "accessToken",
            });
        }
        Ok(HttpRequest {
            method: "GET",
            url: self.endpoint("/oauth2/userInfo"),
            headers: vec![
                ("authorization", ["Bearer ", access_token].concat()),
                ("accept", "application/json".to_owned()),
            ],
            body: None,
        })
    }
}

/// The `error` and `error_description` auth-params of a `WWW-Authenticate:
/// Bearer …` challenge (RFC 6750 §3).
fn bearer_challenge(value: &str) -> Option<(String, Option<String>)> {
    let (scheme, params) = value.trim().split_once(' ').unwrap_or((value.trim(), ""));
    if !scheme.eq_ignore_ascii_case("bearer") {
        return None;
    }
    let param = |name: &str| {
        // Auth-params are `name="quoted"` or `name=token`, comma-separated;
        // error codes and descriptions exclude `"` and `\` (RFC 6749 §5.2).
        params.split(',').find_map(|p| {
            let (k, v) = p.trim().split_once('=')?;
            (k.trim().eq_ignore_ascii_case(name)).then(|| v.trim().trim_matches('"').to_owned())
        })
    };
    Some((param("error")?, param("error_description")))
}

/// Processes a userInfo response (OIDC Core §5.3.2): a JSON object with a
/// string `sub`, which must equal the ID token's `sub` when `expected_sub`
/// is given (§5.3.2: otherwise the response must not be used). Errors come
/// from the JSON body or the `WWW-Authenticate` challenge (§5.3.3, RFC 6750
/// §3), e.g. `invalid_token` for an expired or revoked access token.
pub fn process_userinfo_response<K: AsRef<str>, V: AsRef<str>>(
    status: u16,
    headers: &[(K, V)],
    body: &[u8],
    expected_sub: Option<&str>,
) -> Result<Json, Error> {
    if status != 200 {
        if let Some((error, description)) =
            find_header(headers, "www-authenticate").and_then(bearer_challenge)
        {
            return Err(Error::OAuth(OAuthError::EndpointError {
                endpoint: ENDPOINT,
                status,
                error,
                description,
            }));
        }
        return Err(failure(ENDPOINT, status, headers, body));
    }
    let json = json_object(ENDPOINT, status, headers, body)?;
    match json.get("sub").and_then(Json::as_str) {
        None | Some("") => Err(invalid(ENDPOINT, status, "sub is missing")),
        Some(sub) if expected_sub.is_some_and(|e| e != sub) => Err(invalid(
            ENDPOINT,
            status,
            "sub is not the signed-in user's (ID token sub)",
        )),
        Some(_) => Ok(json),
    }
}
