//! The user-pool data model: pools, app clients, users, devices, refresh
//! grants (the resources of the Amazon Cognito user pools API reference:
//! `UserPoolType`, `UserPoolClientType`, `UserType`, `DeviceType`).

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A user pool (`UserPoolType`).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Pool {
    /// `<region>_<name>`.
    pub id: String,
    /// The pool's display name.
    pub name: String,
    /// `OFF`, `ON` or `OPTIONAL` (`MfaConfiguration`).
    #[serde(default = "default_mfa")]
    pub mfa: String,
    /// Attributes verified automatically on sign-up (`AutoVerifiedAttributes`).
    #[serde(default = "default_auto_verified")]
    pub auto_verified_attributes: Vec<String>,
    /// `DeviceConfiguration.ChallengeRequiredOnNewDevice`: device tracking on.
    #[serde(default)]
    pub device_tracking: bool,
    /// The scripted `CUSTOM_AUTH` challenge (question/answer; an answer of
    /// `"$code"` means a random code sent to the outbox).
    #[serde(default)]
    pub custom_challenge: Option<CustomChallenge>,
    /// Attributes every user must have (the schema's `Required`): a
    /// `NEW_PASSWORD_REQUIRED` challenge asks for the missing ones.
    #[serde(default)]
    pub required_attributes: Vec<String>,
    /// E-mail MFA can be set up at sign-in (`MFAS_CAN_SETUP` lists
    /// `EMAIL_OTP` beside `SOFTWARE_TOKEN_MFA`).
    #[serde(default)]
    pub email_mfa_setup: bool,
    /// Passkey settings (`WebAuthnConfiguration`).
    #[serde(default)]
    pub webauthn: crate::webauthn::WebAuthnConfig,
    /// App clients by id.
    #[serde(default)]
    pub clients: BTreeMap<String, Client>,
    /// Users by username.
    #[serde(default)]
    pub users: BTreeMap<String, User>,
    /// Creation time (Unix seconds).
    #[serde(default)]
    pub created: f64,
}

fn default_mfa() -> String {
    "OPTIONAL".into()
}

fn default_auto_verified() -> Vec<String> {
    vec!["email".into()]
}

/// The scripted custom-auth challenge of a pool.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CustomChallenge {
    /// Shown to the client as the `question` challenge parameter.
    pub question: String,
    /// The expected `ANSWER`; `"$code"` sends a fresh code to the outbox.
    pub answer: String,
}

impl Pool {
    /// The pool name used as SRP realm (`us-east-1_AbC` → `AbC`).
    pub fn srp_realm(&self) -> &str {
        self.id.split_once('_').map(|(_, n)| n).unwrap_or(&self.id)
    }
}

/// An app client (`UserPoolClientType`).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Client {
    /// `ClientId`.
    pub id: String,
    /// `ClientName`.
    #[serde(default)]
    pub name: String,
    /// `ClientSecret`; `None` for a public client.
    #[serde(default)]
    pub secret: Option<String>,
    /// `ExplicitAuthFlows` (`ALLOW_USER_SRP_AUTH`, …).
    #[serde(default = "default_flows")]
    pub explicit_auth_flows: Vec<String>,
    /// `CallbackURLs`.
    #[serde(default)]
    pub callback_urls: Vec<String>,
    /// `LogoutURLs`.
    #[serde(default)]
    pub logout_urls: Vec<String>,
    /// `AllowedOAuthFlows` (`code`, `client_credentials`).
    #[serde(default = "default_oauth_flows")]
    pub allowed_oauth_flows: Vec<String>,
    /// `AllowedOAuthScopes`.
    #[serde(default = "default_scopes")]
    pub allowed_oauth_scopes: Vec<String>,
    /// `RefreshTokenRotation.Feature == ENABLED`.
    #[serde(default)]
    pub refresh_token_rotation: bool,
    /// `PreventUserExistenceErrors == ENABLED`.
    #[serde(default = "yes")]
    pub prevent_user_existence_errors: bool,
    /// `AccessTokenValidity` in seconds.
    #[serde(default = "hour")]
    pub access_token_validity: i64,
    /// `IdTokenValidity` in seconds.
    #[serde(default = "hour")]
    pub id_token_validity: i64,
    /// `RefreshTokenValidity` in seconds.
    #[serde(default = "month")]
    pub refresh_token_validity: i64,
}

fn yes() -> bool {
    true
}
fn hour() -> i64 {
    3600
}
fn month() -> i64 {
    30 * 86_400
}
fn default_flows() -> Vec<String> {
    [
        "ALLOW_USER_SRP_AUTH",
        "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
        "ALLOW_CUSTOM_AUTH",
        "ALLOW_USER_AUTH",
    ]
    .map(String::from)
    .to_vec()
}
fn default_oauth_flows() -> Vec<String> {
    vec!["code".into()]
}
fn default_scopes() -> Vec<String> {
    [
        "openid",
        "email",
        "profile",
        "phone",
        "aws.cognito.signin.user.admin",
    ]
    .map(String::from)
    .to_vec()
}

impl Client {
    /// A client with Cognito's defaults.
    pub fn new(id: String, name: String, secret: Option<String>) -> Client {
        Client {
            id,
            name,
            secret,
            explicit_auth_flows: default_flows(),
            callback_urls: vec![],
            logout_urls: vec![],
            allowed_oauth_flows: default_oauth_flows(),
            allowed_oauth_scopes: default_scopes(),
            refresh_token_rotation: false,
            prevent_user_existence_errors: true,
            access_token_validity: hour(),
            id_token_validity: hour(),
            refresh_token_validity: month(),
        }
    }

    /// Whether `ALLOW_<flow>` is among the explicit auth flows.
    pub fn allows(&self, flow: &str) -> bool {
        let want = format!("ALLOW_{flow}");
        self.explicit_auth_flows.iter().any(|f| f == &want)
    }
}

/// A code sent to the outbox and awaited back.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PendingCode {
    /// The code.
    pub code: String,
    /// Expiry (Unix seconds).
    pub expires: i64,
}

/// A user (`UserType`). Passwords are kept only as SRP verifiers.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// `Username`.
    pub username: String,
    /// Attributes, including `sub`.
    pub attributes: BTreeMap<String, String>,
    /// SRP salt (hex).
    pub salt: String,
    /// SRP verifier `v` (hex).
    pub verifier: String,
    /// `UNCONFIRMED`, `CONFIRMED`, `FORCE_CHANGE_PASSWORD`, `RESET_REQUIRED`.
    pub status: String,
    /// `Enabled`.
    pub enabled: bool,
    /// Group names (`cognito:groups`).
    #[serde(default)]
    pub groups: Vec<String>,
    /// Creation time.
    pub created: f64,
    /// Last modification time.
    pub modified: f64,
    /// Confirmed TOTP secret (base32).
    #[serde(default)]
    pub totp_secret: Option<String>,
    /// A TOTP secret associated but not yet verified.
    #[serde(default)]
    pub totp_pending: Option<String>,
    /// Software-token MFA enabled.
    #[serde(default)]
    pub totp_enabled: bool,
    /// SMS MFA enabled.
    #[serde(default)]
    pub sms_mfa_enabled: bool,
    /// Email MFA enabled.
    #[serde(default)]
    pub email_mfa_enabled: bool,
    /// `PreferredMfaSetting`.
    #[serde(default)]
    pub preferred_mfa: Option<String>,
    /// Outstanding codes by purpose (`signup`, `forgot`, `verify:<attr>`).
    #[serde(default)]
    pub codes: BTreeMap<String, PendingCode>,
    /// Tokens issued before this time are invalid (GlobalSignOut).
    #[serde(default)]
    pub tokens_valid_after: i64,
    /// Remembered devices by device key.
    #[serde(default)]
    pub devices: BTreeMap<String, Device>,
    /// Registered passkeys (`ListWebAuthnCredentials`).
    #[serde(default)]
    pub webauthn_credentials: Vec<crate::webauthn::StoredCredential>,
}

impl User {
    /// The `sub` attribute.
    pub fn sub(&self) -> &str {
        self.attributes.get("sub").map(String::as_str).unwrap_or("")
    }

    /// MFA methods the user has enabled, in Cognito's names.
    pub fn mfa_methods(&self) -> Vec<&'static str> {
        let mut v = vec![];
        if self.sms_mfa_enabled {
            v.push("SMS_MFA");
        }
        if self.totp_enabled && self.totp_secret.is_some() {
            v.push("SOFTWARE_TOKEN_MFA");
        }
        if self.email_mfa_enabled {
            v.push("EMAIL_OTP");
        }
        v
    }
}

/// A tracked device (`DeviceType`) with its SRP verifier.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Device {
    /// `DeviceKey` (`<region>_<uuid>`).
    pub key: String,
    /// `DeviceGroupKey`, the device SRP realm.
    pub group_key: String,
    /// Device SRP salt (hex), once confirmed.
    #[serde(default)]
    pub salt: Option<String>,
    /// Device SRP verifier (hex), once confirmed.
    #[serde(default)]
    pub verifier: Option<String>,
    /// `device_name` attribute.
    #[serde(default)]
    pub name: Option<String>,
    /// `remembered` or `not_remembered`.
    #[serde(default)]
    pub status: String,
    /// Creation time.
    pub created: f64,
    /// Last authentication.
    pub last_auth: f64,
}

/// What a refresh token stands for.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefreshGrant {
    /// Pool id.
    pub pool_id: String,
    /// Client id.
    pub client_id: String,
    /// Username.
    pub username: String,
    /// `origin_jti` shared by all tokens of this authentication.
    pub origin_jti: String,
    /// `event_id` of this authentication.
    pub event_id: String,
    /// Original `auth_time`.
    pub auth_time: i64,
    /// Scopes granted.
    pub scopes: Vec<String>,
    /// Device key, if any.
    #[serde(default)]
    pub device_key: Option<String>,
    /// Expiry (Unix seconds).
    pub expires: i64,
}
