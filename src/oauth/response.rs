//! Reading endpoint responses: JSON bodies and OAuth error bodies (RFC 6749
//! §5.2), shared by the token, revoke and userInfo endpoints.

use crate::prelude::*;

use super::OAuthError;
use crate::http::find_header;
use crate::json::Json;
use crate::Error;

pub(crate) fn invalid(endpoint: &'static str, status: u16, reason: &'static str) -> Error {
    Error::OAuth(OAuthError::InvalidResponse {
        endpoint,
        status,
        reason,
    })
}

/// Parses a body that must be a JSON object, explaining the usual ways it
/// is not: an HTML page (a proxy, a wrong domain, a login page) or a
/// truncated or otherwise broken body.
pub(crate) fn json_object<K: AsRef<str>, V: AsRef<str>>(
    endpoint: &'static str,
    status: u16,
    headers: &[(K, V)],
    body: &[u8],
) -> Result<Json, Error> {
    let content_type = find_header(headers, "content-type").unwrap_or("");
    let trimmed = body.trim_ascii_start();
    if content_type
        .trim_start()
        .to_ascii_lowercase()
        .starts_with("text/html")
        || trimmed.first() == Some(&b'<')
    {
        return Err(invalid(endpoint, status, "it is an HTML page, not JSON"));
    }
    if trimmed.is_empty() {
        return Err(invalid(endpoint, status, "the body is empty"));
    }
    match Json::parse(body) {
        Some(v) if v.is_object() => Ok(v),
        Some(_) => Err(invalid(
            endpoint,
            status,
            "the body is JSON but not an object",
        )),
        None => Err(invalid(
            endpoint,
            status,
            "the body is not valid JSON (truncated?)",
        )),
    }
}

/// The OAuth error in a JSON error body (RFC 6749 §5.2: `error` a string,
/// `error_description` an optional string), if it is one.
pub(crate) fn oauth_error(endpoint: &'static str, status: u16, body: &Json) -> Option<Error> {
    let error = body.get("error")?.as_str()?;
    Some(Error::OAuth(OAuthError::EndpointError {
        endpoint,
        status,
        error: error.to_owned(),
        description: body
            .get("error_description")
            .and_then(Json::as_str)
            .map(str::to_owned),
    }))
}

/// The error of a failed (non-2xx) response: the OAuth error in its JSON
/// body, or why there is none.
pub(crate) fn failure<K: AsRef<str>, V: AsRef<str>>(
    endpoint: &'static str,
    status: u16,
    headers: &[(K, V)],
    body: &[u8],
) -> Error {
    match json_object(endpoint, status, headers, body) {
        Ok(json) => oauth_error(endpoint, status, &json).unwrap_or_else(|| {
            invalid(
                endpoint,
                status,
                "an error status without an OAuth error body",
            )
        }),
        Err(e) => e,
    }
}
