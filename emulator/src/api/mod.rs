//! The Cognito user-pool JSON API: `POST /` with `X-Amz-Target:
//! AWSCognitoIdentityProviderService.<Operation>` and an
//! `application/x-amz-json-1.1` body (Amazon Cognito user pools API
//! reference). SigV4 is not checked: this is a local emulator.

pub mod account;
pub mod admin;
pub mod auth;
pub mod devices;
pub mod mfa;
pub mod tokens;
pub mod webauthn;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};
use std::sync::Arc;

use crate::error::{ApiError, ApiResult};
use crate::model::Client;
use crate::store::AppState;
use crate::util::ct_eq;

/// The `X-Amz-Target` prefix of the user-pool service.
pub const TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService.";

/// Axum handler for `POST /`.
pub async fn handle(State(app): State<Arc<AppState>>, headers: HeaderMap, body: Bytes) -> Response {
    let target = headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let Some(op) = target.strip_prefix(TARGET_PREFIX).map(str::to_string) else {
        return ApiError::new(
            "UnknownOperationException",
            "Missing or unknown X-Amz-Target header.",
        )
        .into_response();
    };
    app.count(&op);
    // The page's origin: the default WebAuthn relying-party id.
    let origin = headers
        .get("origin")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let req: Value = if body.is_empty() {
        Value::Object(Map::new())
    } else {
        match serde_json::from_slice(&body) {
            Ok(v @ Value::Object(_)) => v,
            _ => {
                return ApiError::new(
                    "SerializationException",
                    "The request body is not a JSON object.",
                )
                .into_response()
            }
        }
    };
    // SRP and RSA math are CPU-bound: keep them off the async workers.
    let app2 = app.clone();
    let op2 = op.clone();
    let result =
        tokio::task::spawn_blocking(move || dispatch(&app2, &op2, &req, origin.as_deref()))
            .await
            .unwrap_or_else(|_| Err(ApiError::internal("The operation failed unexpectedly.")));
    match result {
        Ok(v) => {
            tracing::debug!(op = %op, "ok");
            let mut resp = v.to_string().into_response();
            resp.headers_mut().insert(
                "content-type",
                HeaderValue::from_static("application/x-amz-json-1.1"),
            );
            if let Ok(id) = HeaderValue::from_str(&uuid::Uuid::new_v4().to_string()) {
                resp.headers_mut().insert("x-amzn-requestid", id);
            }
            resp
        }
        Err(e) => {
            tracing::info!(op = %op, code = e.code, "{}", e.message);
            e.into_response()
        }
    }
}

/// Runs one operation; `origin` is the request's `Origin` header, if any.
pub fn dispatch(app: &AppState, op: &str, req: &Value, origin: Option<&str>) -> ApiResult<Value> {
    let r = match op {
        "InitiateAuth" => auth::initiate_auth(app, req, origin),
        "RespondToAuthChallenge" => auth::respond_to_auth_challenge(app, req, origin),
        "GetTokensFromRefreshToken" => auth::get_tokens_from_refresh_token(app, req),
        "SignUp" => account::sign_up(app, req),
        "ConfirmSignUp" => account::confirm_sign_up(app, req),
        "ResendConfirmationCode" => account::resend_confirmation_code(app, req),
        "ForgotPassword" => account::forgot_password(app, req),
        "ConfirmForgotPassword" => account::confirm_forgot_password(app, req),
        "ChangePassword" => account::change_password(app, req),
        "GetUser" => account::get_user(app, req),
        "UpdateUserAttributes" => account::update_user_attributes(app, req),
        "DeleteUserAttributes" => account::delete_user_attributes(app, req),
        "GetUserAttributeVerificationCode" => account::get_attribute_code(app, req),
        "VerifyUserAttribute" => account::verify_user_attribute(app, req),
        "DeleteUser" => account::delete_user(app, req),
        "GlobalSignOut" => account::global_sign_out(app, req),
        "RevokeToken" => account::revoke_token(app, req),
        "AssociateSoftwareToken" => mfa::associate_software_token(app, req),
        "VerifySoftwareToken" => mfa::verify_software_token(app, req),
        "SetUserMFAPreference" => mfa::set_user_mfa_preference(app, req),
        "ConfirmDevice" => devices::confirm_device(app, req),
        "GetDevice" => devices::get_device(app, req),
        "ListDevices" => devices::list_devices(app, req),
        "ForgetDevice" => devices::forget_device(app, req),
        "UpdateDeviceStatus" => devices::update_device_status(app, req),
        "StartWebAuthnRegistration" => webauthn::start_registration(app, req, origin),
        "CompleteWebAuthnRegistration" => webauthn::complete_registration(app, req),
        "ListWebAuthnCredentials" => webauthn::list_credentials(app, req),
        "DeleteWebAuthnCredential" => webauthn::delete_credential(app, req),
        "AdminCreateUser" => admin::admin_create_user(app, req),
        "AdminSetUserPassword" => admin::admin_set_user_password(app, req),
        "AdminGetUser" => admin::admin_get_user(app, req),
        "AdminDeleteUser" => admin::admin_delete_user(app, req),
        "AdminConfirmSignUp" => admin::admin_confirm_sign_up(app, req),
        "AdminUpdateUserAttributes" => admin::admin_update_user_attributes(app, req),
        "CreateUserPool" => admin::create_user_pool(app, req),
        "CreateUserPoolClient" => admin::create_user_pool_client(app, req),
        "DescribeUserPool" => admin::describe_user_pool(app, req),
        "DescribeUserPoolClient" => admin::describe_user_pool_client(app, req),
        _ => Err(ApiError::new(
            "UnknownOperationException",
            format!("The operation {op} is not supported by the emulator."),
        )),
    };
    if r.is_ok() && mutates(op) {
        app.changed();
    }
    r
}

/// Whether Cognito lets an app client call `op` (unauthenticated or with
/// the user's access token). Every other operation (`Admin*`,
/// `DescribeUserPoolClient`, `CreateUserPool`, `ListUsers`, …) needs IAM
/// credentials at Cognito, so the emulator refuses it to browser pages on
/// other origins (see [`crate::access`]); unknown names count as those.
pub fn is_app_client_operation(op: &str) -> bool {
    matches!(
        op,
        "InitiateAuth"
            | "RespondToAuthChallenge"
            | "GetTokensFromRefreshToken"
            | "SignUp"
            | "ConfirmSignUp"
            | "ResendConfirmationCode"
            | "ForgotPassword"
            | "ConfirmForgotPassword"
            | "ChangePassword"
            | "GetUser"
            | "UpdateUserAttributes"
            | "DeleteUserAttributes"
            | "GetUserAttributeVerificationCode"
            | "VerifyUserAttribute"
            | "DeleteUser"
            | "GlobalSignOut"
            | "RevokeToken"
            | "AssociateSoftwareToken"
            | "VerifySoftwareToken"
            | "SetUserMFAPreference"
            | "ConfirmDevice"
            | "GetDevice"
            | "ListDevices"
            | "ForgetDevice"
            | "UpdateDeviceStatus"
            | "StartWebAuthnRegistration"
            | "CompleteWebAuthnRegistration"
            | "ListWebAuthnCredentials"
            | "DeleteWebAuthnCredential"
    )
}

fn mutates(op: &str) -> bool {
    !matches!(
        op,
        "GetUser"
            | "GetDevice"
            | "ListDevices"
            | "ListWebAuthnCredentials"
            | "AdminGetUser"
            | "DescribeUserPool"
            | "DescribeUserPoolClient"
    )
}

/// Typed access to request members.
pub trait Req {
    /// A string member, if present and a string.
    fn s(&self, key: &str) -> Option<&str>;
    /// A required non-empty string member.
    fn need(&self, key: &str) -> ApiResult<&str>;
    /// An object member (`AuthParameters`, …) or an empty map.
    fn obj(&self, key: &str) -> Map<String, Value>;
}

impl Req for Value {
    fn s(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Value::as_str)
    }
    fn need(&self, key: &str) -> ApiResult<&str> {
        match self.s(key) {
            Some(v) if !v.is_empty() => Ok(v),
            _ => Err(ApiError::missing(&lower_first(key))),
        }
    }
    fn obj(&self, key: &str) -> Map<String, Value> {
        self.get(key)
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    }
}

/// Required parameter inside `AuthParameters` / `ChallengeResponses`.
pub fn param<'a>(m: &'a Map<String, Value>, key: &str) -> ApiResult<&'a str> {
    match m.get(key).and_then(Value::as_str) {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(ApiError::invalid_parameter(format!(
            "Missing required parameter {key}"
        ))),
    }
}

/// Optional parameter inside `AuthParameters` / `ChallengeResponses`.
pub fn opt<'a>(m: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    m.get(key).and_then(Value::as_str).filter(|s| !s.is_empty())
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Looks up an app client: `(pool id, client)`.
pub fn client_of(app: &AppState, client_id: &str) -> ApiResult<(String, Client)> {
    let st = app.lock();
    st.client(client_id)
        .map(|(p, c)| (p.id.clone(), c.clone()))
        .ok_or_else(|| ApiError::not_found(format!("User pool client {client_id} does not exist.")))
}

/// Enforces `SECRET_HASH` for clients with a secret ("Computing secret hash
/// values" in the Cognito Developer Guide).
pub fn check_secret_hash(client: &Client, username: &str, provided: Option<&str>) -> ApiResult<()> {
    let Some(secret) = &client.secret else {
        return Ok(());
    };
    let Some(provided) = provided.filter(|s| !s.is_empty()) else {
        return Err(ApiError::not_authorized(format!(
            "Client {} is configured with secret but SECRET_HASH was not received",
            client.id
        )));
    };
    let expected = cognito_wasm::srp::secret_hash(username, &client.id, secret);
    if ct_eq(&expected, provided) {
        Ok(())
    } else {
        Err(ApiError::not_authorized(format!(
            "Unable to verify secret hash for client {}",
            client.id
        )))
    }
}

/// Validates a password against Cognito's default policy (8+ characters,
/// upper, lower, digit, symbol): `InvalidPasswordException`.
pub fn check_password_policy(pw: &str) -> ApiResult<()> {
    let mut missing = vec![];
    if pw.chars().count() < 8 {
        missing.push("Password not long enough");
    }
    if !pw.chars().any(|c| c.is_lowercase()) {
        missing.push("Password must have lowercase characters");
    }
    if !pw.chars().any(|c| c.is_uppercase()) {
        missing.push("Password must have uppercase characters");
    }
    if !pw.chars().any(|c| c.is_ascii_digit()) {
        missing.push("Password must have numeric characters");
    }
    if !pw
        .chars()
        .any(|c| "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ".contains(c))
    {
        missing.push("Password must have symbol characters");
    }
    if pw.len() > 256 {
        missing.push("Password is too long");
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(ApiError::new(
            "InvalidPasswordException",
            format!("Password did not conform with policy: {}", missing[0]),
        ))
    }
}

/// `[{Name, Value}]` → pairs.
pub fn attribute_list(v: Option<&Value>) -> ApiResult<Vec<(String, String)>> {
    let Some(Value::Array(items)) = v else {
        return Ok(vec![]);
    };
    items
        .iter()
        .map(|a| match (a.s("Name"), a.s("Value")) {
            (Some(n), v) if !n.is_empty() => Ok((n.to_string(), v.unwrap_or("").to_string())),
            _ => Err(ApiError::invalid_parameter("Each attribute needs a Name.")),
        })
        .collect()
}

/// Attributes as Cognito returns them: `[{Name, Value}]`.
pub fn attributes_json(attrs: &std::collections::BTreeMap<String, String>) -> Value {
    Value::Array(
        attrs
            .iter()
            .map(|(k, v)| serde_json::json!({ "Name": k, "Value": v }))
            .collect(),
    )
}

/// Attributes a client may not write directly.
pub fn check_writable(name: &str) -> ApiResult<()> {
    const STANDARD: &[&str] = &[
        "address",
        "birthdate",
        "email",
        "email_verified",
        "family_name",
        "gender",
        "given_name",
        "locale",
        "middle_name",
        "name",
        "nickname",
        "phone_number",
        "phone_number_verified",
        "picture",
        "preferred_username",
        "profile",
        "updated_at",
        "website",
        "zoneinfo",
    ];
    if name == "sub" {
        return Err(ApiError::invalid_parameter(
            "Cannot modify the non-mutable attribute sub",
        ));
    }
    if STANDARD.contains(&name) || name.starts_with("custom:") || name.starts_with("dev:") {
        Ok(())
    } else {
        Err(ApiError::invalid_parameter(format!(
            "Attribute does not exist in the schema: {name}"
        )))
    }
}
