//! The account operations of `CognitoAuth` (see the "account operations"
//! section of index.d.ts): each method reads its options into a
//! [`AccountOp`], one shared runner sends it ([`Client::account`]), and the
//! core's `process_…` function reads the response, turned here into a
//! plain JS object.

use super::auth::{promise, AuthClient};
use super::value::{get, opt_bool, opt_number, opt_string, signal, string, string_map, Obj};
use crate::client::{AccountOp, Client};
use crate::cognito::{
    otpauth_uri, process_associate_software_token_response, process_code_delivery_response,
    process_empty_response, process_get_user_response, process_list_devices_response,
    process_sign_up_response, process_update_user_attributes_response,
    process_verify_software_token_response, CodeDelivery, MfaSetting,
};
use crate::session::SessionRecord;
use crate::transport::HttpResponse;
use crate::Error;
use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;
use zeroize::Zeroizing;

/// Reads a response (and the session used, for calls as the user).
type Process = Box<dyn FnOnce(&HttpResponse, Option<&SessionRecord>) -> Result<JsValue, Error>>;

/// Runs `op` (or rejects with its argument error) and processes the
/// response: the one async path of every account method.
#[inline(never)]
fn run(
    client: &Client,
    options: &JsValue,
    op: Result<AccountOp, Error>,
    process: Process,
) -> Promise {
    let (client, signal) = (client.clone(), signal(options));
    promise(async move {
        let (r, session) = client.account(op?, signal.as_ref()).await?;
        process(&r, session.as_ref())
    })
}

/// A processor for operations without output.
fn empty(operation: &'static str) -> Process {
    Box::new(move |r, _| {
        process_empty_response(operation, r.status, &r.headers, r.body.as_bytes())?;
        Ok(JsValue::UNDEFINED)
    })
}

/// A processor for operations answering with `CodeDeliveryDetails`:
/// `{ codeDelivery? }`.
fn delivery(operation: &'static str) -> Process {
    Box::new(move |r, _| {
        let d = process_code_delivery_response(operation, r.status, &r.headers, r.body.as_bytes())?;
        Ok(Obj::new()
            .opt("codeDelivery", d.as_ref().map(delivery_js))
            .into())
    })
}

/// `{ deliveryMedium, destination, attributeName }`.
fn delivery_js(d: &CodeDelivery) -> JsValue {
    Obj::new()
        .opt("deliveryMedium", d.medium.as_deref())
        .opt("destination", d.destination.as_deref())
        .opt("attributeName", d.attribute.as_deref())
        .into()
}

/// A required secret string option, zeroed after use.
fn secret(o: &JsValue, key: &'static str) -> Result<Zeroizing<String>, Error> {
    string(o, key).map(Zeroizing::new)
}

/// A required non-empty array of non-empty strings.
fn string_list(o: &JsValue, key: &'static str) -> Result<Vec<String>, Error> {
    let v = get(o, key);
    let list: Option<Vec<String>> = Array::is_array(&v)
        .then(|| {
            Array::from(&v)
                .iter()
                .map(|s| s.as_string().filter(|s| !s.is_empty()))
                .collect()
        })
        .flatten();
    list.filter(|l| !l.is_empty())
        .ok_or(Error::InvalidArgument {
            field: key,
            reason: "must be a non-empty array of strings",
        })
}

/// One factor of `setMfaPreference`: `{ enabled, preferred }` (absent:
/// unchanged; preferring a factor enables it).
fn mfa_setting(o: &JsValue, key: &'static str) -> Result<Option<MfaSetting>, Error> {
    let v = get(o, key);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    if !v.is_object() {
        return Err(Error::InvalidArgument {
            field: key,
            reason: "must be { enabled?: boolean, preferred?: boolean }",
        });
    }
    let preferred = opt_bool(&v, "preferred")?.unwrap_or(false);
    Ok(Some(MfaSetting {
        enabled: opt_bool(&v, "enabled")?.unwrap_or(true),
        preferred,
    }))
}

#[wasm_bindgen]
impl AuthClient {
    /// `signUp({ username, password, attributes, validationData,
    /// clientMetadata, signal })` → `{ userConfirmed, userSub, codeDelivery }`.
    #[wasm_bindgen(js_name = signUp)]
    pub fn sign_up(&self, o: JsValue) -> Promise {
        let pool = &self.client.config().pool;
        let op = (|| {
            Ok(AccountOp::sign_up(
                pool,
                &string(&o, "username")?,
                &secret(&o, "password")?,
                &string_map(&o, "attributes")?,
                &string_map(&o, "validationData")?,
                &string_map(&o, "clientMetadata")?,
            ))
        })();
        let process: Process = Box::new(|r, _| {
            let r = process_sign_up_response(r.status, &r.headers, r.body.as_bytes())?;
            Ok(Obj::new()
                .set("userConfirmed", r.user_confirmed)
                .opt("userSub", r.user_sub.as_deref())
                .opt("codeDelivery", r.code_delivery.as_ref().map(delivery_js))
                .into())
        });
        run(&self.client, &o, op, process)
    }

    /// `confirmSignUp({ username, code, clientMetadata, signal })`.
    #[wasm_bindgen(js_name = confirmSignUp)]
    pub fn confirm_sign_up(&self, o: JsValue) -> Promise {
        let pool = &self.client.config().pool;
        let op = (|| {
            let (user, code) = (string(&o, "username")?, secret(&o, "code")?);
            let meta = string_map(&o, "clientMetadata")?;
            Ok(AccountOp::confirm_sign_up(pool, &user, &code, &meta))
        })();
        run(&self.client, &o, op, empty("ConfirmSignUp"))
    }

    /// `resendSignUpCode({ username, clientMetadata, signal })` →
    /// `{ codeDelivery }`.
    #[wasm_bindgen(js_name = resendSignUpCode)]
    pub fn resend_sign_up_code(&self, o: JsValue) -> Promise {
        let pool = &self.client.config().pool;
        let op = (|| {
            let user = string(&o, "username")?;
            let meta = string_map(&o, "clientMetadata")?;
            Ok(AccountOp::resend_sign_up_code(pool, &user, &meta))
        })();
        run(&self.client, &o, op, delivery("ResendConfirmationCode"))
    }

    /// `forgotPassword({ username, clientMetadata, signal })` →
    /// `{ codeDelivery }`.
    #[wasm_bindgen(js_name = forgotPassword)]
    pub fn forgot_password(&self, o: JsValue) -> Promise {
        let pool = &self.client.config().pool;
        let op = (|| {
            let user = string(&o, "username")?;
            let meta = string_map(&o, "clientMetadata")?;
            Ok(AccountOp::forgot_password(pool, &user, &meta))
        })();
        run(&self.client, &o, op, delivery("ForgotPassword"))
    }

    /// `confirmForgotPassword({ username, code, newPassword, clientMetadata,
    /// signal })`.
    #[wasm_bindgen(js_name = confirmForgotPassword)]
    pub fn confirm_forgot_password(&self, o: JsValue) -> Promise {
        let pool = &self.client.config().pool;
        let op = (|| {
            let (user, code) = (string(&o, "username")?, secret(&o, "code")?);
            let password = secret(&o, "newPassword")?;
            let meta = string_map(&o, "clientMetadata")?;
            Ok(AccountOp::confirm_forgot_password(
                pool, &user, &code, &password, &meta,
            ))
        })();
        run(&self.client, &o, op, empty("ConfirmForgotPassword"))
    }

    /// `changePassword({ oldPassword, newPassword, signal })`.
    #[wasm_bindgen(js_name = changePassword)]
    pub fn change_password(&self, o: JsValue) -> Promise {
        let op = (|| {
            let old = secret(&o, "oldPassword")?;
            Ok(AccountOp::change_password(old, secret(&o, "newPassword")?))
        })();
        run(&self.client, &o, op, empty("ChangePassword"))
    }

    /// `getUser({ signal })` → `{ username, attributes, mfaSettings,
    /// preferredMfa }`.
    #[wasm_bindgen(js_name = getUser)]
    pub fn get_user(&self, o: JsValue) -> Promise {
        let process: Process = Box::new(|r, _| {
            let u = process_get_user_response(r.status, &r.headers, r.body.as_bytes())?;
            Ok(Obj::new()
                .set("username", u.username.as_str())
                .set("attributes", Obj::map(&u.attributes))
                .set("mfaSettings", Obj::list(&u.mfa_settings))
                .opt("preferredMfa", u.preferred_mfa.as_deref())
                .into())
        });
        run(&self.client, &o, Ok(AccountOp::get_user()), process)
    }

    /// `fetchUserAttributes({ signal })` → `{ name: value }`.
    #[wasm_bindgen(js_name = fetchUserAttributes)]
    pub fn fetch_user_attributes(&self, o: JsValue) -> Promise {
        let process: Process = Box::new(|r, _| {
            let u = process_get_user_response(r.status, &r.headers, r.body.as_bytes())?;
            Ok(Obj::map(&u.attributes))
        });
        run(&self.client, &o, Ok(AccountOp::get_user()), process)
    }

    /// `updateUserAttributes({ attributes, clientMetadata, signal })` →
    /// `{ codeDeliveryList }` (the attributes waiting for verification).
    #[wasm_bindgen(js_name = updateUserAttributes)]
    pub fn update_user_attributes(&self, o: JsValue) -> Promise {
        let op = (|| {
            let attrs = string_map(&o, "attributes")?;
            if attrs.is_empty() {
                return Err(Error::EmptyArgument {
                    field: "attributes",
                });
            }
            let meta = string_map(&o, "clientMetadata")?;
            Ok(AccountOp::update_user_attributes(attrs, meta))
        })();
        let process: Process = Box::new(|r, _| {
            let list =
                process_update_user_attributes_response(r.status, &r.headers, r.body.as_bytes())?;
            let list: Array = list.iter().map(delivery_js).collect();
            Ok(Obj::new().set("codeDeliveryList", list).into())
        });
        run(&self.client, &o, op, process)
    }

    /// `verifyUserAttribute({ attributeName, code, signal })`.
    #[wasm_bindgen(js_name = verifyUserAttribute)]
    pub fn verify_user_attribute(&self, o: JsValue) -> Promise {
        let op = (|| {
            let name = string(&o, "attributeName")?;
            Ok(AccountOp::verify_user_attribute(name, secret(&o, "code")?))
        })();
        run(&self.client, &o, op, empty("VerifyUserAttribute"))
    }

    /// `sendUserAttributeVerificationCode({ attributeName, clientMetadata,
    /// signal })` → `{ codeDelivery }`.
    #[wasm_bindgen(js_name = sendUserAttributeVerificationCode)]
    pub fn send_user_attribute_verification_code(&self, o: JsValue) -> Promise {
        let op = (|| {
            let name = string(&o, "attributeName")?;
            let meta = string_map(&o, "clientMetadata")?;
            Ok(AccountOp::send_user_attribute_verification_code(name, meta))
        })();
        run(
            &self.client,
            &o,
            op,
            delivery("GetUserAttributeVerificationCode"),
        )
    }

    /// `deleteUserAttributes({ attributeNames, signal })`.
    #[wasm_bindgen(js_name = deleteUserAttributes)]
    pub fn delete_user_attributes(&self, o: JsValue) -> Promise {
        let op = string_list(&o, "attributeNames").map(AccountOp::delete_user_attributes);
        run(&self.client, &o, op, empty("DeleteUserAttributes"))
    }

    /// `deleteUser({ signal })`: then signed out (`signedOut`).
    #[wasm_bindgen(js_name = deleteUser)]
    pub fn delete_user(&self, o: JsValue) -> Promise {
        run(
            &self.client,
            &o,
            Ok(AccountOp::delete_user()),
            empty("DeleteUser"),
        )
    }

    /// `setMfaPreference({ sms, totp, email, signal })`, each factor
    /// `{ enabled, preferred }` or absent (unchanged).
    #[wasm_bindgen(js_name = setMfaPreference)]
    pub fn set_mfa_preference(&self, o: JsValue) -> Promise {
        let op = (|| {
            let sms = mfa_setting(&o, "sms")?;
            let totp = mfa_setting(&o, "totp")?;
            Ok(AccountOp::set_mfa_preference(
                sms,
                totp,
                mfa_setting(&o, "email")?,
            ))
        })();
        run(&self.client, &o, op, empty("SetUserMFAPreference"))
    }

    /// `setUpTotp({ issuer, signal })` → `{ secret, otpauthUri }`.
    #[wasm_bindgen(js_name = setUpTotp)]
    pub fn set_up_totp(&self, o: JsValue) -> Promise {
        let issuer = opt_string(&o, "issuer");
        let op = match &issuer {
            Ok(_) => Ok(AccountOp::associate_software_token()),
            Err(e) => Err(e.clone()),
        };
        let issuer = issuer.ok().flatten();
        let process: Process = Box::new(move |r, session| {
            let secret =
                process_associate_software_token_response(r.status, &r.headers, r.body.as_bytes())?;
            let account = session.map_or("", |s| s.username.as_str());
            let uri = otpauth_uri(issuer.as_deref().unwrap_or("AWSCognito"), account, &secret);
            Ok(Obj::new()
                .set("secret", secret.as_str())
                .set("otpauthUri", uri.as_str())
                .into())
        });
        run(&self.client, &o, op, process)
    }

    /// `verifyTotp({ code, deviceName, signal })`.
    #[wasm_bindgen(js_name = verifyTotp)]
    pub fn verify_totp(&self, o: JsValue) -> Promise {
        let op = (|| {
            let code = secret(&o, "code")?;
            let name = opt_string(&o, "deviceName")?;
            Ok(AccountOp::verify_software_token(code, name))
        })();
        let process: Process = Box::new(|r, _| {
            process_verify_software_token_response(r.status, &r.headers, r.body.as_bytes())?;
            Ok(JsValue::UNDEFINED)
        });
        run(&self.client, &o, op, process)
    }

    /// `listDevices({ limit, paginationToken, signal })` → `{ devices:
    /// [{ deviceKey, attributes, name, lastAuthenticated }], paginationToken }`.
    #[wasm_bindgen(js_name = listDevices)]
    pub fn list_devices(&self, o: JsValue) -> Promise {
        let op = (|| {
            let limit = opt_number(&o, "limit")?.map_or(60, |n| n.clamp(1.0, 60.0) as u8);
            let token = opt_string(&o, "paginationToken")?;
            Ok(AccountOp::list_devices(limit, token))
        })();
        let process: Process = Box::new(|r, _| {
            let (devices, next) =
                process_list_devices_response(r.status, &r.headers, r.body.as_bytes())?;
            let list: Array = devices
                .iter()
                .map(|d| {
                    let name = d.attributes.iter().find(|(k, _)| k == "device_name");
                    JsValue::from(
                        Obj::new()
                            .set("deviceKey", d.key.as_str())
                            .set("attributes", Obj::map(&d.attributes))
                            .opt("name", name.map(|(_, v)| v.as_str()))
                            .opt(
                                "lastAuthenticated",
                                d.last_authenticated.map(|s| s * 1000.0),
                            ),
                    )
                })
                .collect();
            Ok(Obj::new()
                .set("devices", list)
                .opt("paginationToken", next.as_deref())
                .into())
        });
        run(&self.client, &o, op, process)
    }

    /// `rememberDevice({ deviceKey, remembered, signal })`: this session's
    /// device unless `deviceKey` names another; `remembered: false` marks it
    /// not remembered.
    #[wasm_bindgen(js_name = rememberDevice)]
    pub fn remember_device(&self, o: JsValue) -> Promise {
        let op = (|| {
            let key = opt_string(&o, "deviceKey")?;
            let remembered = opt_bool(&o, "remembered")?.unwrap_or(true);
            Ok(AccountOp::set_device_remembered(key, remembered))
        })();
        run(&self.client, &o, op, empty("UpdateDeviceStatus"))
    }

    /// `forgetDevice({ deviceKey, signal })`: this session's device unless
    /// `deviceKey` names another.
    #[wasm_bindgen(js_name = forgetDevice)]
    pub fn forget_device(&self, o: JsValue) -> Promise {
        let op = opt_string(&o, "deviceKey").map(AccountOp::forget_device);
        run(&self.client, &o, op, empty("ForgetDevice"))
    }
}
