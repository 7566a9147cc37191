//! The user pool and app client a JSON API call goes to, and the request
//! every operation shares: `POST <endpoint>/` with
//! `Content-Type: application/x-amz-json-1.1` and
//! `X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>` (Amazon
//! Cognito API Reference, "Making API requests"; "Amazon Cognito user pools
//! API endpoints": `https://cognito-idp.<region>.amazonaws.com/`).

use crate::prelude::*;

use crate::http::HttpRequest;
use crate::json::Json;
use crate::oauth::normalize_base;
use crate::srp::{pool_name, secret_hash};
use crate::Error;

/// A user pool's app client, as the unauthenticated JSON API sees it.
#[derive(Clone, PartialEq, Eq)]
pub struct UserPool {
    endpoint: String,
    pool_id: String,
    client_id: String,
    client_secret: Option<String>,
}

impl core::fmt::Debug for UserPool {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("UserPool")
            .field("endpoint", &self.endpoint)
            .field("pool_id", &self.pool_id)
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

impl UserPool {
    /// The app client `client_id` of pool `user_pool_id` (`<region>_<id>`).
    /// `endpoint` overrides `https://cognito-idp.<region>.amazonaws.com`
    /// (a proxy or a local emulator; plain http only on loopback).
    /// `client_secret` is for confidential clients on a server only: it
    /// makes every call carry a `SECRET_HASH` ("Computing secret hash
    /// values").
    pub fn new(
        user_pool_id: &str,
        client_id: &str,
        client_secret: Option<&str>,
        endpoint: Option<&str>,
    ) -> Result<UserPool, Error> {
        pool_name(user_pool_id)?;
        if client_id.is_empty() {
            return Err(Error::EmptyArgument { field: "clientId" });
        }
        let endpoint = match endpoint.filter(|e| !e.trim().is_empty()) {
            Some(e) => normalize_base("endpoint", e)?,
            None => {
                let region = user_pool_id.split('_').next().unwrap_or("");
                if !region
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                {
                    return Err(Error::InvalidUserPoolId);
                }
                ["https://cognito-idp.", region, ".amazonaws.com"].concat()
            }
        };
        Ok(UserPool {
            endpoint,
            pool_id: user_pool_id.to_owned(),
            client_id: client_id.to_owned(),
            client_secret: client_secret.filter(|s| !s.is_empty()).map(str::to_owned),
        })
    }

    /// The normalised endpoint (no trailing slash).
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The user-pool id.
    pub fn pool_id(&self) -> &str {
        &self.pool_id
    }

    /// The app client id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// Whether the app client has a secret (calls carry `SECRET_HASH`).
    pub fn has_secret(&self) -> bool {
        self.client_secret.is_some()
    }

    /// The pool name, the SRP realm.
    pub(crate) fn realm(&self) -> &str {
        pool_name(&self.pool_id).unwrap_or("")
    }

    pub(crate) fn client_secret(&self) -> Option<&str> {
        self.client_secret.as_deref()
    }

    /// `SECRET_HASH` for `username`, when the client has a secret.
    pub fn secret_hash(&self, username: &str) -> Option<String> {
        self.client_secret
            .as_deref()
            .map(|s| secret_hash(username, &self.client_id, s))
    }

    /// The JSON API request for `operation` with a JSON object `body`.
    /// `Cache-Control: no-store` keeps tokens out of HTTP caches.
    pub fn request(&self, operation: &str, body: &Json) -> HttpRequest {
        HttpRequest {
            method: "POST",
            url: [self.endpoint.as_str(), "/"].concat(),
            headers: vec![
                ("content-type", "application/x-amz-json-1.1".to_owned()),
                (
                    "x-amz-target",
                    ["AWSCognitoIdentityProviderService.", operation].concat(),
                ),
                ("cache-control", "no-store".to_owned()),
            ],
            body: Some(body.to_json_string()),
        }
    }
}

/// Builds JSON request bodies without serde: members in insertion order,
/// absent optionals skipped.
#[derive(Default)]
pub(crate) struct Body(Vec<(String, Json)>);

impl Body {
    pub(crate) fn new() -> Body {
        Body(Vec::new())
    }

    pub(crate) fn str(mut self, key: &str, value: &str) -> Body {
        self.0
            .push((key.to_owned(), Json::String(value.to_owned())));
        self
    }

    pub(crate) fn opt(self, key: &str, value: Option<&str>) -> Body {
        match value {
            Some(v) => self.str(key, v),
            None => self,
        }
    }

    pub(crate) fn json(mut self, key: &str, value: Json) -> Body {
        self.0.push((key.to_owned(), value));
        self
    }

    pub(crate) fn bool(self, key: &str, value: bool) -> Body {
        self.json(key, Json::Bool(value))
    }

    /// A string map (`AuthParameters`, `ClientMetadata`, …), skipped if empty.
    pub(crate) fn map(self, key: &str, pairs: &[(&str, &str)]) -> Body {
        if pairs.is_empty() {
            return self;
        }
        self.json(key, string_map(pairs))
    }

    pub(crate) fn build(self) -> Json {
        Json::Object(self.0)
    }
}

/// `{"k": "v", …}`.
pub(crate) fn string_map(pairs: &[(&str, &str)]) -> Json {
    Json::Object(
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), Json::String((*v).to_owned())))
            .collect(),
    )
}

/// `[{"Name": n, "Value": v}, …]`, Cognito's `AttributeType` list.
pub(crate) fn attribute_list(attributes: &[(&str, &str)]) -> Json {
    Json::Array(
        attributes
            .iter()
            .map(|(n, v)| Body::new().str("Name", n).str("Value", v).build())
            .collect(),
    )
}
