//! Reading JSON API responses: a success body (a JSON object) or an error
//! in the AWS JSON 1.1 shape (Amazon Cognito API Reference, "Common
//! Errors"): the name from `x-amzn-ErrorType`, `__type` or `code`, with a
//! namespace prefix (`com.amazonaws…#`) or a `:…` suffix stripped as the
//! AWS SDKs do, and `message` (or `Message`).

use crate::prelude::*;

use super::CognitoError;
use crate::http::find_header;
use crate::json::Json;
use crate::Error;

pub(crate) fn invalid(operation: &'static str, status: u16, reason: &'static str) -> Error {
    Error::Cognito(CognitoError::InvalidResponse {
        operation,
        status,
        reason,
    })
}

/// The bare error name: `ns.model#NotAuthorizedException:http://…` →
/// `NotAuthorizedException`.
pub fn error_name(raw: &str) -> &str {
    let raw = raw.trim();
    let raw = raw.split(':').next().unwrap_or(raw);
    raw.rsplit('#').next().unwrap_or(raw).trim()
}

/// Parses the body as a JSON object; an empty success body counts as `{}`
/// (some operations document no output).
fn json_object<K: AsRef<str>, V: AsRef<str>>(
    operation: &'static str,
    status: u16,
    headers: &[(K, V)],
    body: &[u8],
) -> Result<Json, Error> {
    let trimmed = body.trim_ascii();
    let html = find_header(headers, "content-type")
        .is_some_and(|t| t.trim_start().to_ascii_lowercase().starts_with("text/html"));
    if html || trimmed.first() == Some(&b'<') {
        return Err(invalid(operation, status, "it is an HTML page, not JSON"));
    }
    if trimmed.is_empty() {
        return Ok(Json::Object(Vec::new()));
    }
    match Json::parse(trimmed) {
        Some(v) if v.is_object() => Ok(v),
        Some(_) => Err(invalid(
            operation,
            status,
            "the body is JSON but not an object",
        )),
        None => Err(invalid(
            operation,
            status,
            "the body is not valid JSON (truncated?)",
        )),
    }
}

/// The error of a non-2xx response.
fn failure<K: AsRef<str>, V: AsRef<str>>(
    operation: &'static str,
    status: u16,
    headers: &[(K, V)],
    body: &[u8],
) -> Error {
    let request_id = find_header(headers, "x-amzn-requestid").map(str::to_owned);
    let json = json_object(operation, status, headers, body);
    let field = |name: &str| {
        json.as_ref()
            .ok()
            .and_then(|j| j.get(name))
            .and_then(Json::as_str)
    };
    let code = find_header(headers, "x-amzn-errortype")
        .map(error_name)
        .filter(|c| !c.is_empty())
        .or_else(|| field("__type").map(error_name).filter(|c| !c.is_empty()))
        .or_else(|| field("code").map(error_name).filter(|c| !c.is_empty()));
    match (code, &json) {
        (Some(code), _) => Error::Cognito(CognitoError::Service {
            code: code.to_owned(),
            message: field("message")
                .or_else(|| field("Message"))
                .unwrap_or("")
                .to_owned(),
            status,
            request_id,
        }),
        (None, Err(e)) => e.clone(),
        (None, Ok(_)) => invalid(operation, status, "an error status without an error name"),
    }
}

/// Processes the response of any JSON API operation: the output object on
/// 2xx, the typed error otherwise.
pub fn process_response<K: AsRef<str>, V: AsRef<str>>(
    operation: &'static str,
    status: u16,
    headers: &[(K, V)],
    body: &[u8],
) -> Result<Json, Error> {
    if (200..300).contains(&status) {
        json_object(operation, status, headers, body)
    } else {
        Err(failure(operation, status, headers, body))
    }
}

/// A field of an output object that must be a string if present.
pub(crate) fn opt_str(
    operation: &'static str,
    json: &Json,
    key: &str,
) -> Result<Option<String>, Error> {
    match json.get(key) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(invalid(operation, 200, "a field has the wrong JSON type")),
    }
}

/// A string field that must be present.
pub(crate) fn req_str(operation: &'static str, json: &Json, key: &str) -> Result<String, Error> {
    opt_str(operation, json, key)?
        .ok_or_else(|| invalid(operation, 200, "a required field is missing"))
}

/// A `{"k": "v"}` map (`ChallengeParameters`); non-string values are
/// rejected.
pub(crate) fn str_map(
    operation: &'static str,
    json: Option<&Json>,
) -> Result<Vec<(String, String)>, Error> {
    match json {
        None | Some(Json::Null) => Ok(Vec::new()),
        Some(Json::Object(m)) => m
            .iter()
            .map(|(k, v)| match v {
                Json::String(s) => Ok((k.clone(), s.clone())),
                _ => Err(invalid(operation, 200, "a map value is not a string")),
            })
            .collect(),
        Some(_) => Err(invalid(operation, 200, "a map field is not an object")),
    }
}

/// A list of strings, or a JSON text of one (Cognito sends some lists,
/// e.g. `MFAS_CAN_SETUP`, as a string holding a JSON array).
pub(crate) fn str_list(json: Option<&Json>) -> Vec<String> {
    match json {
        Some(Json::Array(a)) => a
            .iter()
            .filter_map(Json::as_str)
            .map(str::to_owned)
            .collect(),
        Some(Json::String(s)) => str_list(Json::parse(s.as_bytes()).as_ref()),
        _ => Vec::new(),
    }
}

/// Where Cognito sent a code (`CodeDeliveryDetailsType`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CodeDelivery {
    /// `DeliveryMedium`: `SMS` or `EMAIL`.
    pub medium: Option<String>,
    /// `Destination`, masked (`d***@e***`).
    pub destination: Option<String>,
    /// `AttributeName`, e.g. `email`.
    pub attribute: Option<String>,
}

impl CodeDelivery {
    /// Reads a `CodeDeliveryDetailsType` object.
    pub(crate) fn from_json(json: &Json) -> CodeDelivery {
        let s = |k: &str| json.get(k).and_then(Json::as_str).map(str::to_owned);
        CodeDelivery {
            medium: s("DeliveryMedium"),
            destination: s("Destination"),
            attribute: s("AttributeName"),
        }
    }

    /// From the `CODE_DELIVERY_DELIVERY_MEDIUM` / `…_DESTINATION` challenge
    /// parameters of SMS_MFA, EMAIL_OTP and SMS_OTP.
    pub(crate) fn from_params(params: &[(String, String)]) -> Option<CodeDelivery> {
        let get = |k: &str| {
            params
                .iter()
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.to_owned())
        };
        let medium = get("CODE_DELIVERY_DELIVERY_MEDIUM");
        let destination = get("CODE_DELIVERY_DESTINATION");
        (medium.is_some() || destination.is_some()).then_some(CodeDelivery {
            medium,
            destination,
            attribute: None,
        })
    }
}
