//! Account operations (Amazon Cognito API Reference, one page each): sign-up
//! and its confirmation, password recovery and change, the user's
//! attributes, MFA preferences and TOTP set-up, remembered devices, and
//! deleting the user.
//!
//! Each operation is an [`AccountOp`]: its request (the core's builder in
//! `crate::cognito::account`), whether a lost response may be retried
//! ([`Idempotency`]: only operations that leave the same state and answer
//! the same way when repeated; anything that consumes a code, sends one,
//! or creates or deletes something is not), and what the session does
//! after it. [`Cx::account`] runs them all: calls that act as the
//! signed-in user take the access token from `getTokens`, so an expiring
//! token is refreshed first.

use crate::prelude::*;

use super::client::Cx;
use super::io::LocalFuture;
use crate::cognito::{process_empty_response, MfaSetting, UserPool};
use crate::http::{HttpRequest, HttpResponse};
use crate::session::SessionRecord;
use crate::transport::Idempotency;
use crate::Error;
use zeroize::Zeroizing;

/// Builds a request from the signed-in user's session (its access token,
/// its device).
pub type UserRequest = Box<dyn FnOnce(&UserPool, &SessionRecord) -> Result<HttpRequest, Error>>;

/// `(name, value)` pairs, owned.
pub type Pairs = Vec<(String, String)>;

/// Borrowed `(key, value)` pairs from owned ones.
pub fn pairs(owned: &[(String, String)]) -> Vec<(&str, &str)> {
    owned
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// How an account request is authorised.
pub enum AccountRequest {
    /// Unauthenticated (`SignUp`, `ForgotPassword`, …): built at once.
    Public(HttpRequest),
    /// As the signed-in user: built once valid tokens are at hand.
    User(UserRequest),
}

/// What the local state does after a successful operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum After {
    /// Nothing.
    Nothing,
    /// The user is gone (`DeleteUser`): clear the session and the user's
    /// remembered device, emit `signedOut`.
    SignedOut,
    /// A device was forgotten (`ForgetDevice`): if it is this session's
    /// (`None`: it is), drop its local record (kept under the canonical
    /// username) so the next sign-in does not offer it. A copy kept under an
    /// alias the user typed is found stale at its next use: Cognito answers
    /// `ResourceNotFoundException` and sign-in starts again without it.
    DeviceForgotten(Option<String>),
}

/// One account operation, ready for [`Client::account`].
pub struct AccountOp {
    /// The request.
    pub request: AccountRequest,
    /// Whether a lost response may be retried.
    pub idempotency: Idempotency,
    /// The local follow-up.
    pub after: After,
}

use Idempotency::{Idempotent, NonIdempotent};

fn public(request: HttpRequest, idempotency: Idempotency) -> AccountOp {
    AccountOp {
        request: AccountRequest::Public(request),
        idempotency,
        after: After::Nothing,
    }
}

fn user(
    build: impl FnOnce(&UserPool, &str) -> HttpRequest + 'static,
    idempotency: Idempotency,
) -> AccountOp {
    AccountOp {
        request: AccountRequest::User(Box::new(move |p, s| Ok(build(p, &s.tokens.access_token)))),
        idempotency,
        after: After::Nothing,
    }
}

/// The device an operation is about: the one given, else the session's.
fn device(key: Option<String>, session: &SessionRecord) -> Result<String, Error> {
    key.or_else(|| session.device_key.clone())
        .ok_or(Error::InvalidArgument {
            field: "deviceKey",
            reason: "no device key given and this session has no remembered device",
        })
}

impl AccountOp {
    /// `SignUp` (not repeated: a retry would meet `UsernameExistsException`).
    pub fn sign_up(
        pool: &UserPool,
        username: &str,
        password: &str,
        attributes: &Pairs,
        validation_data: &Pairs,
        metadata: &Pairs,
    ) -> AccountOp {
        let r = pool.sign_up_request(
            username,
            password,
            &pairs(attributes),
            &pairs(validation_data),
            &pairs(metadata),
        );
        public(r, NonIdempotent)
    }

    /// `ConfirmSignUp` with the code sent at sign-up (single use).
    pub fn confirm_sign_up(pool: &UserPool, username: &str, code: &str, metadata: &Pairs) -> Self {
        let r = pool.confirm_sign_up_request(username, code, &pairs(metadata));
        public(r, NonIdempotent)
    }

    /// `ResendConfirmationCode` (each call sends a new code).
    pub fn resend_sign_up_code(pool: &UserPool, username: &str, metadata: &Pairs) -> Self {
        let r = pool.resend_confirmation_code_request(username, &pairs(metadata));
        public(r, NonIdempotent)
    }

    /// `ForgotPassword` (each call sends a new code).
    pub fn forgot_password(pool: &UserPool, username: &str, metadata: &Pairs) -> Self {
        public(
            pool.forgot_password_request(username, &pairs(metadata)),
            NonIdempotent,
        )
    }

    /// `ConfirmForgotPassword`: the code (single use) and the new password.
    pub fn confirm_forgot_password(
        pool: &UserPool,
        username: &str,
        code: &str,
        new_password: &str,
        metadata: &Pairs,
    ) -> Self {
        let r =
            pool.confirm_forgot_password_request(username, code, new_password, &pairs(metadata));
        public(r, NonIdempotent)
    }

    /// `ChangePassword` (not repeated: once it succeeds the previous
    /// password is wrong).
    pub fn change_password(previous: Zeroizing<String>, proposed: Zeroizing<String>) -> Self {
        user(
            move |p, t| p.change_password_request(t, &previous, &proposed),
            NonIdempotent,
        )
    }

    /// `GetUser`.
    pub fn get_user() -> Self {
        user(|p, t| p.get_user_request(t), Idempotent)
    }

    /// `UpdateUserAttributes` (changed e-mail or phone get codes: a repeat
    /// would send new ones).
    pub fn update_user_attributes(attributes: Pairs, metadata: Pairs) -> Self {
        user(
            move |p, t| p.update_user_attributes_request(t, &pairs(&attributes), &pairs(&metadata)),
            NonIdempotent,
        )
    }

    /// `VerifyUserAttribute` with the code sent for `attribute`.
    pub fn verify_user_attribute(attribute: String, code: Zeroizing<String>) -> Self {
        user(
            move |p, t| p.verify_user_attribute_request(t, &attribute, &code),
            NonIdempotent,
        )
    }

    /// `GetUserAttributeVerificationCode` (sends a code).
    pub fn send_user_attribute_verification_code(attribute: String, metadata: Pairs) -> Self {
        user(
            move |p, t| {
                p.get_user_attribute_verification_code_request(t, &attribute, &pairs(&metadata))
            },
            NonIdempotent,
        )
    }

    /// `DeleteUserAttributes` (deleting again changes nothing).
    pub fn delete_user_attributes(names: Vec<String>) -> Self {
        user(
            move |p, t| {
                let names: Vec<&str> = names.iter().map(String::as_str).collect();
                p.delete_user_attributes_request(t, &names)
            },
            Idempotent,
        )
    }

    /// `DeleteUser`; then signed out.
    pub fn delete_user() -> Self {
        AccountOp {
            after: After::SignedOut,
            ..user(|p, t| p.delete_user_request(t), NonIdempotent)
        }
    }

    /// `SetUserMFAPreference`; `None` leaves a factor as it is.
    pub fn set_mfa_preference(
        sms: Option<MfaSetting>,
        totp: Option<MfaSetting>,
        email: Option<MfaSetting>,
    ) -> Self {
        user(
            move |p, t| p.set_user_mfa_preference_request(t, sms, totp, email),
            Idempotent,
        )
    }

    /// `AssociateSoftwareToken` for the signed-in user. Each call replaces
    /// the pending secret, so a retried call answers with the one that
    /// counts.
    pub fn associate_software_token() -> Self {
        user(|p, t| p.associate_software_token_request(t), Idempotent)
    }

    /// `VerifySoftwareToken` with the authenticator app's first code.
    pub fn verify_software_token(code: Zeroizing<String>, device_name: Option<String>) -> Self {
        user(
            move |p, t| p.verify_software_token_request(t, &code, device_name.as_deref()),
            NonIdempotent,
        )
    }

    /// `ListDevices`: a page of at most `limit`.
    pub fn list_devices(limit: u8, pagination_token: Option<String>) -> Self {
        user(
            move |p, t| p.list_devices_request(t, limit, pagination_token.as_deref()),
            Idempotent,
        )
    }

    /// `UpdateDeviceStatus`: the device given, else this session's.
    pub fn set_device_remembered(key: Option<String>, remembered: bool) -> Self {
        AccountOp {
            request: AccountRequest::User(Box::new(move |p, s| {
                let key = device(key, s)?;
                Ok(p.update_device_status_request(&s.tokens.access_token, &key, remembered))
            })),
            idempotency: Idempotent,
            after: After::Nothing,
        }
    }

    /// `ForgetDevice`: the device given, else this session's (whose local
    /// record is dropped too).
    pub fn forget_device(key: Option<String>) -> Self {
        let forgotten = key.clone();
        AccountOp {
            request: AccountRequest::User(Box::new(move |p, s| {
                let key = device(key, s)?;
                Ok(p.forget_device_request(&s.tokens.access_token, &key))
            })),
            // A repeat would meet ResourceNotFoundException.
            idempotency: NonIdempotent,
            after: After::DeviceForgotten(forgotten),
        }
    }
}

impl Cx {
    /// Runs one account operation: the response (for the core's
    /// `process_…` function) and, for calls as the user, the session used.
    /// Operations with a local follow-up ([`After`]) are checked here, and
    /// the follow-up done only when Cognito accepted them.
    pub(crate) fn account<'a>(
        &'a self,
        op: AccountOp,
    ) -> LocalFuture<'a, Result<(HttpResponse, Option<SessionRecord>), Error>> {
        Box::pin(async move {
            let (request, session) = match op.request {
                AccountRequest::Public(r) => (r, None),
                AccountRequest::User(build) => {
                    let record = self.get_tokens(false).await?;
                    (build(&self.config().pool, &record)?, Some(record))
                }
            };
            let r = self.send(&request, op.idempotency).await?;
            let record = match (&op.after, session) {
                (After::Nothing, s) | (_, s @ None) => return Ok((r, s)),
                (_, Some(record)) => record,
            };
            let operation = match op.after {
                After::SignedOut => "DeleteUser",
                _ => "ForgetDevice",
            };
            process_empty_response(operation, r.status, &r.headers, r.body.as_bytes())?;
            self.after(op.after, record.clone()).await?;
            Ok((r, Some(record)))
        })
    }

    fn after<'a>(
        &'a self,
        after: After,
        mut record: SessionRecord,
    ) -> LocalFuture<'a, Result<(), Error>> {
        Box::pin(async move {
            let device_key = self.inner().keys.device(&record.username);
            match after {
                After::SignedOut => {
                    self.inner().pending.borrow_mut().take();
                    let _ = self.io.remove(&device_key).await;
                    self.clear_session().await?;
                    self.emit("signedOut").await;
                }
                After::DeviceForgotten(key) => {
                    if record.device_key.is_some() && (key.is_none() || key == record.device_key) {
                        self.io.remove(&device_key).await?;
                        record.device_key = None;
                        self.save_session(record).await?;
                    }
                }
                After::Nothing => {}
            }
            Ok(())
        })
    }
}
