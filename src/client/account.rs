//! Account operations (Amazon Cognito API Reference, one page each): sign-up
//! and its confirmation, password recovery and change, the user's
//! attributes, MFA preferences and TOTP set-up, remembered devices, and
//! deleting the user.
//!
//! Requests and response processing are the core's
//! (`crate::cognito::account`); this module only sends them. Calls that act
//! as the signed-in user take the access token from [`Client::get_tokens`],
//! so an expiring token is refreshed first. Each operation declares whether
//! a lost response may be retried ([`Idempotency`]): only those that leave
//! the same state and answer the same way when repeated are; anything that
//! consumes a code, sends one, or creates or deletes something is not.

use super::Client;
use crate::cognito::{
    process_associate_software_token_response, process_code_delivery_response,
    process_empty_response, process_get_user_response, process_list_devices_response,
    process_sign_up_response, process_update_user_attributes_response,
    process_verify_software_token_response, CodeDelivery, DeviceInfo, MfaSetting, SignUpResult,
    User, UserPool,
};
use crate::oauth::HttpRequest;
use crate::transport::{HttpResponse, Idempotency, LocalFuture};
use crate::Error;
use wasm_bindgen::JsValue;

/// `(name, value)` pairs borrowed from the caller.
pub type Pairs<'a> = &'a [(&'a str, &'a str)];

/// An account request: built now (no user token needed) or from the
/// signed-in user's access token once it is known to be valid.
pub enum AccountRequest<'a> {
    /// Unauthenticated (`SignUp`, `ForgotPassword`, …).
    Public(HttpRequest),
    /// Authorised by the access token.
    Token(&'a dyn Fn(&UserPool, &str) -> HttpRequest),
}

/// Borrowed `(key, value)` pairs from owned ones.
pub fn pairs(owned: &[(String, String)]) -> Vec<(&str, &str)> {
    owned
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

impl Client {
    /// Sends one account request (with a valid access token when it needs
    /// one). Boxed: every operation shares this one state machine.
    pub fn account_call<'a>(
        &'a self,
        request: AccountRequest<'a>,
        idempotency: Idempotency,
        signal: Option<&'a JsValue>,
    ) -> LocalFuture<'a, Result<HttpResponse, Error>> {
        Box::pin(async move {
            let request = match request {
                AccountRequest::Public(r) => r,
                AccountRequest::Token(build) => {
                    let record = self.get_tokens(false).await?;
                    build(&self.0.config.pool, &record.tokens.access_token)
                }
            };
            self.send(&request, idempotency, signal).await
        })
    }

    /// Sends an operation whose output is not needed.
    async fn empty_call(
        &self,
        operation: &'static str,
        request: AccountRequest<'_>,
        idempotency: Idempotency,
        signal: Option<&JsValue>,
    ) -> Result<(), Error> {
        let r = self.account_call(request, idempotency, signal).await?;
        process_empty_response(operation, r.status, &r.headers, r.body.as_bytes())
    }

    /// An unauthenticated operation answering with `CodeDeliveryDetails`.
    async fn delivery_call(
        &self,
        operation: &'static str,
        request: AccountRequest<'_>,
        signal: Option<&JsValue>,
    ) -> Result<Option<CodeDelivery>, Error> {
        // Each call sends a new code: not repeated blindly.
        let r = self
            .account_call(request, Idempotency::NonIdempotent, signal)
            .await?;
        process_code_delivery_response(operation, r.status, &r.headers, r.body.as_bytes())
    }

    /// `SignUp`: creates the user (not repeated: a retry would meet
    /// `UsernameExistsException`).
    pub async fn sign_up(
        &self,
        username: &str,
        password: &str,
        attributes: Pairs<'_>,
        validation_data: Pairs<'_>,
        metadata: Pairs<'_>,
        signal: Option<&JsValue>,
    ) -> Result<SignUpResult, Error> {
        let request = self.0.config.pool.sign_up_request(
            username,
            password,
            attributes,
            validation_data,
            metadata,
        );
        let r = self
            .account_call(
                AccountRequest::Public(request),
                Idempotency::NonIdempotent,
                signal,
            )
            .await?;
        process_sign_up_response(r.status, &r.headers, r.body.as_bytes())
    }

    /// `ConfirmSignUp` with the code sent at sign-up (single use).
    pub async fn confirm_sign_up(
        &self,
        username: &str,
        code: &str,
        metadata: Pairs<'_>,
        signal: Option<&JsValue>,
    ) -> Result<(), Error> {
        let request = self
            .0
            .config
            .pool
            .confirm_sign_up_request(username, code, metadata);
        let op = "ConfirmSignUp";
        let r = AccountRequest::Public(request);
        self.empty_call(op, r, Idempotency::NonIdempotent, signal)
            .await
    }

    /// `ResendConfirmationCode`.
    pub async fn resend_sign_up_code(
        &self,
        username: &str,
        metadata: Pairs<'_>,
        signal: Option<&JsValue>,
    ) -> Result<Option<CodeDelivery>, Error> {
        let pool = &self.0.config.pool;
        let request = pool.resend_confirmation_code_request(username, metadata);
        self.delivery_call(
            "ResendConfirmationCode",
            AccountRequest::Public(request),
            signal,
        )
        .await
    }

    /// `ForgotPassword`: a recovery code goes to the user.
    pub async fn forgot_password(
        &self,
        username: &str,
        metadata: Pairs<'_>,
        signal: Option<&JsValue>,
    ) -> Result<Option<CodeDelivery>, Error> {
        let request = self
            .0
            .config
            .pool
            .forgot_password_request(username, metadata);
        self.delivery_call("ForgotPassword", AccountRequest::Public(request), signal)
            .await
    }

    /// `ConfirmForgotPassword`: the code and the new password.
    pub async fn confirm_forgot_password(
        &self,
        username: &str,
        code: &str,
        new_password: &str,
        metadata: Pairs<'_>,
        signal: Option<&JsValue>,
    ) -> Result<(), Error> {
        let request = self.0.config.pool.confirm_forgot_password_request(
            username,
            code,
            new_password,
            metadata,
        );
        let op = "ConfirmForgotPassword";
        let r = AccountRequest::Public(request);
        self.empty_call(op, r, Idempotency::NonIdempotent, signal)
            .await
    }

    /// `ChangePassword` (not repeated: after it succeeds the previous
    /// password is wrong).
    pub async fn change_password(
        &self,
        previous: &str,
        proposed: &str,
        signal: Option<&JsValue>,
    ) -> Result<(), Error> {
        let build = |p: &UserPool, t: &str| p.change_password_request(t, previous, proposed);
        let r = AccountRequest::Token(&build);
        self.empty_call("ChangePassword", r, Idempotency::NonIdempotent, signal)
            .await
    }

    /// `GetUser`: attributes and MFA settings.
    pub async fn get_user(&self, signal: Option<&JsValue>) -> Result<User, Error> {
        let build = |p: &UserPool, t: &str| p.get_user_request(t);
        let r = self
            .account_call(
                AccountRequest::Token(&build),
                Idempotency::Idempotent,
                signal,
            )
            .await?;
        process_get_user_response(r.status, &r.headers, r.body.as_bytes())
    }

    /// `UpdateUserAttributes`: where codes to verify changed e-mail or phone
    /// attributes went (a repeat would send new codes).
    pub async fn update_user_attributes(
        &self,
        attributes: Pairs<'_>,
        metadata: Pairs<'_>,
        signal: Option<&JsValue>,
    ) -> Result<Vec<CodeDelivery>, Error> {
        let build =
            |p: &UserPool, t: &str| p.update_user_attributes_request(t, attributes, metadata);
        let r = self
            .account_call(
                AccountRequest::Token(&build),
                Idempotency::NonIdempotent,
                signal,
            )
            .await?;
        process_update_user_attributes_response(r.status, &r.headers, r.body.as_bytes())
    }

    /// `VerifyUserAttribute` with the code sent for `attribute`.
    pub async fn verify_user_attribute(
        &self,
        attribute: &str,
        code: &str,
        signal: Option<&JsValue>,
    ) -> Result<(), Error> {
        let build = |p: &UserPool, t: &str| p.verify_user_attribute_request(t, attribute, code);
        let r = AccountRequest::Token(&build);
        self.empty_call("VerifyUserAttribute", r, Idempotency::NonIdempotent, signal)
            .await
    }

    /// `GetUserAttributeVerificationCode`: sends a code for `attribute`.
    pub async fn send_user_attribute_verification_code(
        &self,
        attribute: &str,
        metadata: Pairs<'_>,
        signal: Option<&JsValue>,
    ) -> Result<Option<CodeDelivery>, Error> {
        let build = |p: &UserPool, t: &str| {
            p.get_user_attribute_verification_code_request(t, attribute, metadata)
        };
        let op = "GetUserAttributeVerificationCode";
        self.delivery_call(op, AccountRequest::Token(&build), signal)
            .await
    }

    /// `DeleteUserAttributes` (deleting again changes nothing: idempotent).
    pub async fn delete_user_attributes(
        &self,
        names: &[&str],
        signal: Option<&JsValue>,
    ) -> Result<(), Error> {
        let build = |p: &UserPool, t: &str| p.delete_user_attributes_request(t, names);
        let r = AccountRequest::Token(&build);
        self.empty_call("DeleteUserAttributes", r, Idempotency::Idempotent, signal)
            .await
    }

    /// `DeleteUser`, then the local session and the user's remembered
    /// device are removed and `signedOut` is emitted.
    pub async fn delete_user(&self, signal: Option<&JsValue>) -> Result<(), Error> {
        let build = |p: &UserPool, t: &str| p.delete_user_request(t);
        let r = AccountRequest::Token(&build);
        self.empty_call("DeleteUser", r, Idempotency::NonIdempotent, signal)
            .await?;
        self.0.pending.borrow_mut().take();
        let username = self.0.session.borrow().as_ref().map(|s| s.username.clone());
        if let Some(u) = username {
            let _ = self.0.config.storage.remove(&self.0.keys.device(&u)).await;
        }
        self.clear_session().await?;
        self.emit("signedOut", &JsValue::UNDEFINED);
        Ok(())
    }

    /// `SetUserMFAPreference`: `None` leaves a factor as it is.
    pub async fn set_mfa_preference(
        &self,
        sms: Option<MfaSetting>,
        totp: Option<MfaSetting>,
        email: Option<MfaSetting>,
        signal: Option<&JsValue>,
    ) -> Result<(), Error> {
        let build = |p: &UserPool, t: &str| p.set_user_mfa_preference_request(t, sms, totp, email);
        let r = AccountRequest::Token(&build);
        self.empty_call("SetUserMFAPreference", r, Idempotency::Idempotent, signal)
            .await
    }

    /// `AssociateSoftwareToken` for the signed-in user: the TOTP secret and
    /// the canonical username (the account of the `otpauth://` URI). Each
    /// call replaces the pending secret, so a retried call answers with the
    /// secret that counts.
    pub async fn set_up_totp(&self, signal: Option<&JsValue>) -> Result<(String, String), Error> {
        let record = self.get_tokens(false).await?;
        let pool = &self.0.config.pool;
        let request = pool.associate_software_token_request(&record.tokens.access_token);
        let r = self
            .account_call(
                AccountRequest::Public(request),
                Idempotency::Idempotent,
                signal,
            )
            .await?;
        let secret =
            process_associate_software_token_response(r.status, &r.headers, r.body.as_bytes())?;
        Ok((secret, record.username))
    }

    /// `VerifySoftwareToken` with the first code of the authenticator app:
    /// TOTP MFA becomes available (enable or prefer it with
    /// [`Client::set_mfa_preference`]).
    pub async fn verify_totp(
        &self,
        code: &str,
        device_name: Option<&str>,
        signal: Option<&JsValue>,
    ) -> Result<(), Error> {
        let build = |p: &UserPool, t: &str| p.verify_software_token_request(t, code, device_name);
        let r = self
            .account_call(
                AccountRequest::Token(&build),
                Idempotency::NonIdempotent,
                signal,
            )
            .await?;
        process_verify_software_token_response(r.status, &r.headers, r.body.as_bytes())
    }

    /// `ListDevices`: one page of at most `limit` and the next page's token.
    pub async fn list_devices(
        &self,
        limit: u8,
        pagination_token: Option<&str>,
        signal: Option<&JsValue>,
    ) -> Result<(Vec<DeviceInfo>, Option<String>), Error> {
        let build = |p: &UserPool, t: &str| p.list_devices_request(t, limit, pagination_token);
        let r = self
            .account_call(
                AccountRequest::Token(&build),
                Idempotency::Idempotent,
                signal,
            )
            .await?;
        process_list_devices_response(r.status, &r.headers, r.body.as_bytes())
    }

    /// The device key an operation is about: the one given, else this
    /// session's device.
    fn device_key(&self, key: Option<String>) -> Result<String, Error> {
        key.or_else(|| {
            let session = self.0.session.borrow();
            session.as_ref().and_then(|s| s.device_key.clone())
        })
        .ok_or(Error::InvalidArgument {
            field: "deviceKey",
            reason: "no device key given and this session has no remembered device",
        })
    }

    /// `UpdateDeviceStatus` to `remembered` (or `not_remembered`): the
    /// device given, else this session's.
    pub async fn set_device_remembered(
        &self,
        key: Option<String>,
        remembered: bool,
        signal: Option<&JsValue>,
    ) -> Result<(), Error> {
        self.load_session().await?;
        let key = self.device_key(key)?;
        let build = |p: &UserPool, t: &str| p.update_device_status_request(t, &key, remembered);
        let r = AccountRequest::Token(&build);
        self.empty_call("UpdateDeviceStatus", r, Idempotency::Idempotent, signal)
            .await
    }

    /// `ForgetDevice`: the device given, else this session's. Forgetting
    /// this session's device also drops its local record, so the next
    /// sign-in does not offer it.
    pub async fn forget_device(
        &self,
        key: Option<String>,
        signal: Option<&JsValue>,
    ) -> Result<(), Error> {
        self.load_session().await?;
        let key = self.device_key(key)?;
        let build = |p: &UserPool, t: &str| p.forget_device_request(t, &key);
        let r = AccountRequest::Token(&build);
        self.empty_call("ForgetDevice", r, Idempotency::NonIdempotent, signal)
            .await?;
        let record = self.0.session.borrow().clone();
        if let Some(mut record) = record.filter(|r| r.device_key.as_deref() == Some(&key)) {
            let device_key = self.0.keys.device(&record.username);
            self.0.config.storage.remove(&device_key).await?;
            record.device_key = None;
            self.save_session(record).await?;
        }
        Ok(())
    }
}
