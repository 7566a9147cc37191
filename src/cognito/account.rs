//! Account operations of the user-pool JSON API, each a request builder on
//! [`UserPool`] citing its page in the Amazon Cognito API Reference, and
//! the response processors for the outputs a UI uses. Operations with no
//! useful output are processed with [`process_empty_response`].
//!
//! Two helpers carry what they all share: unauthenticated calls name the
//! user and add `SECRET_HASH` ([`UserPool::user_call`]), authenticated ones
//! carry the user's `AccessToken`.

use crate::prelude::*;

use super::pool::{attribute_list, Body, UserPool};
use super::response::{opt_str, process_response, CodeDelivery};
use crate::http::HttpRequest;
use crate::json::Json;
use crate::srp::DeviceVerifier;
use crate::Error;

/// One MFA factor's setting (`SMSMfaSettingsType` and friends).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MfaSetting {
    /// `Enabled`.
    pub enabled: bool,
    /// `PreferredMfa`.
    pub preferred: bool,
}

impl UserPool {
    /// An unauthenticated call about `username`: `ClientId`, `Username`,
    /// `SecretHash` when the client has a secret, `ClientMetadata` if any.
    fn user_call(
        &self,
        operation: &str,
        username: &str,
        body: Body,
        metadata: &[(&str, &str)],
    ) -> HttpRequest {
        let body = body
            .str("ClientId", self.client_id())
            .str("Username", username)
            .opt("SecretHash", self.secret_hash(username).as_deref())
            .map("ClientMetadata", metadata)
            .build();
        self.request(operation, &body)
    }

    /// A call authorised by the user's access token.
    fn token_call(&self, operation: &str, access_token: &str, body: Body) -> HttpRequest {
        self.request(operation, &body.str("AccessToken", access_token).build())
    }

    /// `SignUp`: `attributes` and `validation_data` as `(name, value)`.
    pub fn sign_up_request(
        &self,
        username: &str,
        password: &str,
        attributes: &[(&str, &str)],
        validation_data: &[(&str, &str)],
        metadata: &[(&str, &str)],
    ) -> HttpRequest {
        let mut body = Body::new().str("Password", password);
        if !attributes.is_empty() {
            body = body.json("UserAttributes", attribute_list(attributes));
        }
        if !validation_data.is_empty() {
            body = body.json("ValidationData", attribute_list(validation_data));
        }
        self.user_call("SignUp", username, body, metadata)
    }

    /// `ConfirmSignUp` with the code Cognito sent.
    pub fn confirm_sign_up_request(
        &self,
        username: &str,
        code: &str,
        metadata: &[(&str, &str)],
    ) -> HttpRequest {
        let body = Body::new().str("ConfirmationCode", code);
        self.user_call("ConfirmSignUp", username, body, metadata)
    }

    /// `ResendConfirmationCode`.
    pub fn resend_confirmation_code_request(
        &self,
        username: &str,
        metadata: &[(&str, &str)],
    ) -> HttpRequest {
        self.user_call("ResendConfirmationCode", username, Body::new(), metadata)
    }

    /// `ForgotPassword`.
    pub fn forgot_password_request(
        &self,
        username: &str,
        metadata: &[(&str, &str)],
    ) -> HttpRequest {
        self.user_call("ForgotPassword", username, Body::new(), metadata)
    }

    /// `ConfirmForgotPassword`.
    pub fn confirm_forgot_password_request(
        &self,
        username: &str,
        code: &str,
        new_password: &str,
        metadata: &[(&str, &str)],
    ) -> HttpRequest {
        let body = Body::new()
            .str("ConfirmationCode", code)
            .str("Password", new_password);
        self.user_call("ConfirmForgotPassword", username, body, metadata)
    }

    /// `ChangePassword`.
    pub fn change_password_request(
        &self,
        access_token: &str,
        previous: &str,
        proposed: &str,
    ) -> HttpRequest {
        let body = Body::new()
            .str("PreviousPassword", previous)
            .str("ProposedPassword", proposed);
        self.token_call("ChangePassword", access_token, body)
    }

    /// `GetUser`.
    pub fn get_user_request(&self, access_token: &str) -> HttpRequest {
        self.token_call("GetUser", access_token, Body::new())
    }

    /// `UpdateUserAttributes`; changed e-mail or phone get a code to verify.
    pub fn update_user_attributes_request(
        &self,
        access_token: &str,
        attributes: &[(&str, &str)],
        metadata: &[(&str, &str)],
    ) -> HttpRequest {
        let body = Body::new()
            .json("UserAttributes", attribute_list(attributes))
            .map("ClientMetadata", metadata);
        self.token_call("UpdateUserAttributes", access_token, body)
    }

    /// `VerifyUserAttribute`.
    pub fn verify_user_attribute_request(
        &self,
        access_token: &str,
        attribute: &str,
        code: &str,
    ) -> HttpRequest {
        let body = Body::new()
            .str("AttributeName", attribute)
            .str("Code", code);
        self.token_call("VerifyUserAttribute", access_token, body)
    }

    /// `GetUserAttributeVerificationCode`.
    pub fn get_user_attribute_verification_code_request(
        &self,
        access_token: &str,
        attribute: &str,
        metadata: &[(&str, &str)],
    ) -> HttpRequest {
        let body = Body::new()
            .str("AttributeName", attribute)
            .map("ClientMetadata", metadata);
        self.token_call("GetUserAttributeVerificationCode", access_token, body)
    }

    /// `DeleteUserAttributes`.
    pub fn delete_user_attributes_request(
        &self,
        access_token: &str,
        names: &[&str],
    ) -> HttpRequest {
        let names = names
            .iter()
            .map(|n| Json::String((*n).to_owned()))
            .collect();
        let body = Body::new().json("UserAttributeNames", Json::Array(names));
        self.token_call("DeleteUserAttributes", access_token, body)
    }

    /// `DeleteUser`.
    pub fn delete_user_request(&self, access_token: &str) -> HttpRequest {
        self.token_call("DeleteUser", access_token, Body::new())
    }

    /// `SetUserMFAPreference`: `None` leaves a factor unchanged.
    pub fn set_user_mfa_preference_request(
        &self,
        access_token: &str,
        sms: Option<MfaSetting>,
        totp: Option<MfaSetting>,
        email: Option<MfaSetting>,
    ) -> HttpRequest {
        let mut body = Body::new();
        for (key, setting) in [
            ("SMSMfaSettings", sms),
            ("SoftwareTokenMfaSettings", totp),
            ("EmailMfaSettings", email),
        ] {
            if let Some(s) = setting {
                let v = Body::new()
                    .bool("Enabled", s.enabled)
                    .bool("PreferredMfa", s.preferred)
                    .build();
                body = body.json(key, v);
            }
        }
        self.token_call("SetUserMFAPreference", access_token, body)
    }

    /// `AssociateSoftwareToken` for a signed-in user (outside sign-in's
    /// MFA_SETUP): a new TOTP secret, pending until
    /// [`UserPool::verify_software_token_request`] proves the app has it.
    pub fn associate_software_token_request(&self, access_token: &str) -> HttpRequest {
        self.token_call("AssociateSoftwareToken", access_token, Body::new())
    }

    /// `VerifySoftwareToken` with the user's access token: the first code
    /// from the authenticator app; `device_name` is `FriendlyDeviceName`.
    pub fn verify_software_token_request(
        &self,
        access_token: &str,
        code: &str,
        device_name: Option<&str>,
    ) -> HttpRequest {
        let body = Body::new()
            .str("UserCode", code)
            .opt("FriendlyDeviceName", device_name);
        self.token_call("VerifySoftwareToken", access_token, body)
    }

    /// `GlobalSignOut`: revokes every refresh token of the user.
    pub fn global_sign_out_request(&self, access_token: &str) -> HttpRequest {
        self.token_call("GlobalSignOut", access_token, Body::new())
    }

    /// `RevokeToken`: revokes a refresh token and the tokens issued from it.
    pub fn revoke_token_request(&self, refresh_token: &str) -> HttpRequest {
        let body = Body::new()
            .str("Token", refresh_token)
            .str("ClientId", self.client_id())
            .opt("ClientSecret", self.client_secret())
            .build();
        self.request("RevokeToken", &body)
    }

    /// `ConfirmDevice` with a verifier from
    /// [`crate::srp::generate_device_verifier`].
    pub fn confirm_device_request(
        &self,
        access_token: &str,
        device_key: &str,
        verifier: &DeviceVerifier,
        device_name: Option<&str>,
    ) -> HttpRequest {
        let config = Body::new()
            .str("PasswordVerifier", &verifier.verifier_b64)
            .str("Salt", &verifier.salt_b64)
            .build();
        let body = Body::new()
            .str("DeviceKey", device_key)
            .json("DeviceSecretVerifierConfig", config)
            .opt("DeviceName", device_name);
        self.token_call("ConfirmDevice", access_token, body)
    }

    /// `ListDevices`, a page of at most `limit` (Cognito allows 60).
    pub fn list_devices_request(
        &self,
        access_token: &str,
        limit: u8,
        pagination_token: Option<&str>,
    ) -> HttpRequest {
        let body = Body::new()
            .json("Limit", Json::Number(crate::error::decimal(limit.min(60))))
            .opt("PaginationToken", pagination_token);
        self.token_call("ListDevices", access_token, body)
    }

    /// `ForgetDevice`.
    pub fn forget_device_request(&self, access_token: &str, device_key: &str) -> HttpRequest {
        let body = Body::new().str("DeviceKey", device_key);
        self.token_call("ForgetDevice", access_token, body)
    }

    /// `UpdateDeviceStatus`: remembered or not.
    pub fn update_device_status_request(
        &self,
        access_token: &str,
        device_key: &str,
        remembered: bool,
    ) -> HttpRequest {
        let status = if remembered {
            "remembered"
        } else {
            "not_remembered"
        };
        let body = Body::new()
            .str("DeviceKey", device_key)
            .str("DeviceRememberedStatus", status);
        self.token_call("UpdateDeviceStatus", access_token, body)
    }
}

/// Processes an operation whose output the SDK does not need
/// (ConfirmSignUp, ConfirmForgotPassword, ChangePassword, VerifyUserAttribute,
/// DeleteUserAttributes, DeleteUser, SetUserMFAPreference, GlobalSignOut,
/// RevokeToken, ForgetDevice, UpdateDeviceStatus).
pub fn process_empty_response<K: AsRef<str>, V: AsRef<str>>(
    operation: &'static str,
    status: u16,
    headers: &[(K, V)],
    body: &[u8],
) -> Result<(), Error> {
    process_response(operation, status, headers, body).map(|_| ())
}

/// Processes `AssociateSoftwareToken`: the base32 `SecretCode` (show it
/// as a QR code with [`super::otpauth_uri`]).
pub fn process_associate_software_token_response<K: AsRef<str>, V: AsRef<str>>(
    status: u16,
    headers: &[(K, V)],
    body: &[u8],
) -> Result<String, Error> {
    let op = "AssociateSoftwareToken";
    let json = process_response(op, status, headers, body)?;
    super::response::req_str(op, &json, "SecretCode")
}

/// Processes `VerifySoftwareToken`: `Status` must be `SUCCESS`; `ERROR`
/// (or none) is the code being refused, reported as Cognito's
/// `EnableSoftwareTokenMFAException` so callers match one name.
pub fn process_verify_software_token_response<K: AsRef<str>, V: AsRef<str>>(
    status: u16,
    headers: &[(K, V)],
    body: &[u8],
) -> Result<(), Error> {
    let json = process_response("VerifySoftwareToken", status, headers, body)?;
    if json.get("Status").and_then(Json::as_str) == Some("SUCCESS") {
        return Ok(());
    }
    Err(Error::Cognito(super::CognitoError::Service {
        code: "EnableSoftwareTokenMFAException".to_owned(),
        message: "the TOTP code was not accepted".to_owned(),
        status,
        request_id: None,
    }))
}

/// `SignUp` output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignUpResult {
    /// `UserConfirmed`: false means a code must be confirmed first.
    pub user_confirmed: bool,
    /// `UserSub`.
    pub user_sub: Option<String>,
    /// `CodeDeliveryDetails`.
    pub code_delivery: Option<CodeDelivery>,
}

/// Processes `SignUp`.
pub fn process_sign_up_response<K: AsRef<str>, V: AsRef<str>>(
    status: u16,
    headers: &[(K, V)],
    body: &[u8],
) -> Result<SignUpResult, Error> {
    let op = "SignUp";
    let json = process_response(op, status, headers, body)?;
    Ok(SignUpResult {
        user_confirmed: json.get("UserConfirmed") == Some(&Json::Bool(true)),
        user_sub: opt_str(op, &json, "UserSub")?,
        code_delivery: json.get("CodeDeliveryDetails").map(CodeDelivery::from_json),
    })
}

/// Processes ResendConfirmationCode, ForgotPassword and
/// GetUserAttributeVerificationCode: where the code went.
pub fn process_code_delivery_response<K: AsRef<str>, V: AsRef<str>>(
    operation: &'static str,
    status: u16,
    headers: &[(K, V)],
    body: &[u8],
) -> Result<Option<CodeDelivery>, Error> {
    let json = process_response(operation, status, headers, body)?;
    Ok(json.get("CodeDeliveryDetails").map(CodeDelivery::from_json))
}

/// Processes UpdateUserAttributes: where verification codes went.
pub fn process_update_user_attributes_response<K: AsRef<str>, V: AsRef<str>>(
    status: u16,
    headers: &[(K, V)],
    body: &[u8],
) -> Result<Vec<CodeDelivery>, Error> {
    let json = process_response("UpdateUserAttributes", status, headers, body)?;
    let list = json.get("CodeDeliveryDetailsList").and_then(Json::as_array);
    Ok(list
        .unwrap_or(&[])
        .iter()
        .map(CodeDelivery::from_json)
        .collect())
}

/// `GetUser` output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// `Username` (canonical).
    pub username: String,
    /// `UserAttributes` as `(name, value)`.
    pub attributes: Vec<(String, String)>,
    /// `PreferredMfaSetting`.
    pub preferred_mfa: Option<String>,
    /// `UserMFASettingList`.
    pub mfa_settings: Vec<String>,
}

/// `[{"Name","Value"}]` as pairs; malformed entries are skipped.
fn name_values(json: Option<&Json>) -> Vec<(String, String)> {
    let items = json.and_then(Json::as_array).unwrap_or(&[]);
    items
        .iter()
        .filter_map(|a| {
            let n = a.get("Name")?.as_str()?;
            let v = a.get("Value").and_then(Json::as_str).unwrap_or("");
            Some((n.to_owned(), v.to_owned()))
        })
        .collect()
}

/// Processes `GetUser`.
pub fn process_get_user_response<K: AsRef<str>, V: AsRef<str>>(
    status: u16,
    headers: &[(K, V)],
    body: &[u8],
) -> Result<User, Error> {
    let op = "GetUser";
    let json = process_response(op, status, headers, body)?;
    Ok(User {
        username: super::response::req_str(op, &json, "Username")?,
        attributes: name_values(json.get("UserAttributes")),
        preferred_mfa: opt_str(op, &json, "PreferredMfaSetting")?,
        mfa_settings: super::response::str_list(json.get("UserMFASettingList")),
    })
}

/// Processes `ConfirmDevice`: `UserConfirmationNecessary` (then ask the
/// user whether to remember the device, and call UpdateDeviceStatus).
pub fn process_confirm_device_response<K: AsRef<str>, V: AsRef<str>>(
    status: u16,
    headers: &[(K, V)],
    body: &[u8],
) -> Result<bool, Error> {
    let json = process_response("ConfirmDevice", status, headers, body)?;
    Ok(json.get("UserConfirmationNecessary") == Some(&Json::Bool(true)))
}

/// A device of `ListDevices` (`DeviceType`).
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceInfo {
    /// `DeviceKey`.
    pub key: String,
    /// `DeviceAttributes` (e.g. `device_name`).
    pub attributes: Vec<(String, String)>,
    /// `DeviceLastAuthenticatedDate`, seconds since the epoch.
    pub last_authenticated: Option<f64>,
}

/// Processes `ListDevices`: the page and the next `PaginationToken`.
pub fn process_list_devices_response<K: AsRef<str>, V: AsRef<str>>(
    status: u16,
    headers: &[(K, V)],
    body: &[u8],
) -> Result<(Vec<DeviceInfo>, Option<String>), Error> {
    let op = "ListDevices";
    let json = process_response(op, status, headers, body)?;
    let devices = json.get("Devices").and_then(Json::as_array).unwrap_or(&[]);
    let devices = devices
        .iter()
        .filter_map(|d| {
            Some(DeviceInfo {
                key: d.get("DeviceKey")?.as_str()?.to_owned(),
                attributes: name_values(d.get("DeviceAttributes")),
                last_authenticated: d.get("DeviceLastAuthenticatedDate").and_then(Json::as_f64),
            })
        })
        .collect();
    Ok((devices, opt_str(op, &json, "PaginationToken")?))
}
