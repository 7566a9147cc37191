//! The Amazon Cognito user-pool JSON API (Amazon Cognito API Reference),
//! sans-IO: request builders return a plain [`HttpRequest`] (`POST
//! <endpoint>/`, `X-Amz-Target: AWSCognitoIdentityProviderService.<Op>`)
//! and `process_…` functions take the status, headers and body and return
//! typed results or a typed [`CognitoError`]. Nothing here does I/O, reads
//! a clock or touches storage: time comes in as `now` (Unix seconds).
//!
//! Sign-in is the [`SignIn`] state machine (SRP, password, custom,
//! choice-based, every challenge, remembered devices); tokens are a
//! [`TokenSet`] with expiry, clock skew and refresh requests; account
//! operations are builders on [`UserPool`].

mod account;
mod challenge;
mod error;
mod passkey;
mod pool;
mod response;
mod signin;
mod tokens;
mod totp;

pub use crate::http::HttpRequest;
pub use account::{
    process_associate_software_token_response, process_code_delivery_response,
    process_confirm_device_response, process_empty_response, process_get_user_response,
    process_list_devices_response, process_sign_up_response,
    process_update_user_attributes_response, process_verify_software_token_response, DeviceInfo,
    MfaSetting, SignUpResult, User,
};
pub use challenge::{ChallengeName, NextStep};
pub use error::CognitoError;
pub use passkey::{
    process_list_web_authn_credentials_response, process_start_web_authn_registration_response,
    PasskeyInfo,
};
pub use pool::UserPool;
pub use response::{error_name, process_response, CodeDelivery};
pub use signin::{
    Answer, AuthFlow, NewDevice, PreparedSrp, Progress, RememberedDevice, SignIn, SignInOptions,
    SignedIn, SrpJob, SrpSetup,
};
pub(crate) use tokens::lifetime_and_skew;
pub use tokens::{parse_http_date, process_refresh_response, TokenSet};
pub use totp::otpauth_uri;

#[cfg(test)]
mod tests;
