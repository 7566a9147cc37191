//! Cognito JSON-API errors: HTTP 400 with `{"__type", "message"}` and the
//! `x-amzn-ErrorType` header, as described in "Common Errors" of the Amazon
//! Cognito user pools API reference.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// An error the JSON API returns, named with Cognito's own exception code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// Cognito's error name, e.g. `NotAuthorizedException`.
    pub code: &'static str,
    /// A human-readable message in the spirit of Cognito's.
    pub message: String,
}

impl ApiError {
    /// An error with the given Cognito code and message.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
    /// `NotAuthorizedException`.
    pub fn not_authorized(message: impl Into<String>) -> Self {
        Self::new("NotAuthorizedException", message)
    }
    /// `NotAuthorizedException` "Incorrect username or password.", which
    /// Cognito also returns for unknown users when user-existence errors are
    /// prevented.
    pub fn bad_credentials() -> Self {
        Self::not_authorized("Incorrect username or password.")
    }
    /// `InvalidParameterException`.
    pub fn invalid_parameter(message: impl Into<String>) -> Self {
        Self::new("InvalidParameterException", message)
    }
    /// `InvalidParameterException` for a missing required member (the AWS
    /// validation message format).
    pub fn missing(member: &str) -> Self {
        Self::invalid_parameter(format!(
            "1 validation error detected: Value null at '{member}' failed to satisfy constraint: Member must not be null"
        ))
    }
    /// `ResourceNotFoundException`.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new("ResourceNotFoundException", message)
    }
    /// `UserNotFoundException` "User does not exist.".
    pub fn user_not_found() -> Self {
        Self::new("UserNotFoundException", "User does not exist.")
    }
    /// `CodeMismatchException`.
    pub fn code_mismatch() -> Self {
        Self::new(
            "CodeMismatchException",
            "Invalid code provided, please try again.",
        )
    }
    /// `ExpiredCodeException`.
    pub fn expired_code() -> Self {
        Self::new(
            "ExpiredCodeException",
            "Invalid code provided, please request a code again.",
        )
    }
    /// `InternalErrorException` (HTTP 500).
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new("InternalErrorException", message)
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ApiError {}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = if self.code == "InternalErrorException" {
            StatusCode::INTERNAL_SERVER_ERROR
        } else {
            StatusCode::BAD_REQUEST
        };
        let body = serde_json::json!({ "__type": self.code, "message": self.message });
        let mut resp = (status, body.to_string()).into_response();
        let h = resp.headers_mut();
        h.insert(
            "content-type",
            HeaderValue::from_static("application/x-amz-json-1.1"),
        );
        if let Ok(v) = HeaderValue::from_str(&format!("{}:", self.code)) {
            h.insert("x-amzn-errortype", v);
        }
        resp
    }
}

/// Result of a JSON-API operation.
pub type ApiResult<T> = Result<T, ApiError>;
