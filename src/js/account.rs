//! The account operations of `CognitoAuth` (see the "account operations"
//! section of index.d.ts): read the options object, call the driver
//! (`crate::client` account operations), and return plain JS objects.

use super::auth::{promise, AuthClient};
use super::value::{get, opt_bool, opt_number, opt_string, signal, string, string_map, Obj};
use crate::client::pairs;
use crate::cognito::{otpauth_uri, CodeDelivery, MfaSetting};
use crate::Error;
use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;
use zeroize::Zeroizing;

/// `{ deliveryMedium, destination, attributeName }`.
fn delivery_js(d: &CodeDelivery) -> JsValue {
    Obj::new()
        .opt("deliveryMedium", d.medium.as_deref())
        .opt("destination", d.destination.as_deref())
        .opt("attributeName", d.attribute.as_deref())
        .into()
}

/// `{ codeDelivery? }`.
fn delivery_result(d: Option<CodeDelivery>) -> JsValue {
    Obj::new()
        .opt("codeDelivery", d.as_ref().map(delivery_js))
        .into()
}

/// A required secret string option, zeroed after use.
fn secret(o: &JsValue, key: &'static str) -> Result<Zeroizing<String>, Error> {
    string(o, key).map(Zeroizing::new)
}

/// A required non-empty array of strings.
fn string_list(o: &JsValue, key: &'static str) -> Result<Vec<String>, Error> {
    let v = get(o, key);
    let bad = Error::InvalidArgument {
        field: key,
        reason: "must be a non-empty array of strings",
    };
    if !Array::is_array(&v) {
        return Err(bad);
    }
    let list: Vec<String> = Array::from(&v)
        .iter()
        .map(|s| s.as_string().filter(|s| !s.is_empty()))
        .collect::<Option<_>>()
        .ok_or(bad.clone())?;
    if list.is_empty() {
        return Err(bad);
    }
    Ok(list)
}

/// One factor of `setMfaPreference`: `{ enabled, preferred }` (absent:
/// unchanged).
fn mfa_setting(o: &JsValue, key: &'static str) -> Result<Option<MfaSetting>, Error> {
    let v = get(o, key);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    if !v.is_object() {
        return Err(Error::InvalidArgument {
            field: key,
            reason: "must be { enabled: boolean, preferred?: boolean }",
        });
    }
    let preferred = opt_bool(&v, "preferred")?.unwrap_or(false);
    Ok(Some(MfaSetting {
        // Preferring a factor enables it.
        enabled: opt_bool(&v, "enabled")?.unwrap_or(preferred),
        preferred,
    }))
}

#[wasm_bindgen]
impl AuthClient {
    /// `signUp({ username, password, attributes, validationData,
    /// clientMetadata, signal })` → `{ userConfirmed, userSub, codeDelivery }`.
    #[wasm_bindgen(js_name = signUp)]
    pub fn sign_up(&self, o: JsValue) -> Promise {
        let c = self.client.clone();
        promise(async move {
            let (attrs, data) = (
                string_map(&o, "attributes")?,
                string_map(&o, "validationData")?,
            );
            let meta = string_map(&o, "clientMetadata")?;
            let r = c
                .sign_up(
                    &string(&o, "username")?,
                    &secret(&o, "password")?,
                    &pairs(&attrs),
                    &pairs(&data),
                    &pairs(&meta),
                    signal(&o).as_ref(),
                )
                .await?;
            Ok(Obj::new()
                .set("userConfirmed", r.user_confirmed)
                .opt("userSub", r.user_sub.as_deref())
                .opt("codeDelivery", r.code_delivery.as_ref().map(delivery_js))
                .into())
        })
    }

    /// `confirmSignUp({ username, code, clientMetadata, signal })`.
    #[wasm_bindgen(js_name = confirmSignUp)]
    pub fn confirm_sign_up(&self, o: JsValue) -> Promise {
        let c = self.client.clone();
        promise(async move {
            let meta = string_map(&o, "clientMetadata")?;
            let (user, code) = (string(&o, "username")?, secret(&o, "code")?);
            c.confirm_sign_up(&user, &code, &pairs(&meta), signal(&o).as_ref())
                .await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// `resendSignUpCode({ username, clientMetadata, signal })` →
    /// `{ codeDelivery }`.
    #[wasm_bindgen(js_name = resendSignUpCode)]
    pub fn resend_sign_up_code(&self, o: JsValue) -> Promise {
        let c = self.client.clone();
        promise(async move {
            let meta = string_map(&o, "clientMetadata")?;
            let user = string(&o, "username")?;
            let d = c
                .resend_sign_up_code(&user, &pairs(&meta), signal(&o).as_ref())
                .await?;
            Ok(delivery_result(d))
        })
    }

    /// `forgotPassword({ username, clientMetadata, signal })` →
    /// `{ codeDelivery }`.
    #[wasm_bindgen(js_name = forgotPassword)]
    pub fn forgot_password(&self, o: JsValue) -> Promise {
        let c = self.client.clone();
        promise(async move {
            let meta = string_map(&o, "clientMetadata")?;
            let user = string(&o, "username")?;
            let d = c
                .forgot_password(&user, &pairs(&meta), signal(&o).as_ref())
                .await?;
            Ok(delivery_result(d))
        })
    }

    /// `confirmForgotPassword({ username, code, newPassword, clientMetadata,
    /// signal })`.
    #[wasm_bindgen(js_name = confirmForgotPassword)]
    pub fn confirm_forgot_password(&self, o: JsValue) -> Promise {
        let c = self.client.clone();
        promise(async move {
            let meta = string_map(&o, "clientMetadata")?;
            let (user, code) = (string(&o, "username")?, secret(&o, "code")?);
            let password = secret(&o, "newPassword")?;
            let s = signal(&o);
            c.confirm_forgot_password(&user, &code, &password, &pairs(&meta), s.as_ref())
                .await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// `changePassword({ oldPassword, newPassword, signal })`.
    #[wasm_bindgen(js_name = changePassword)]
    pub fn change_password(&self, o: JsValue) -> Promise {
        let c = self.client.clone();
        promise(async move {
            let (old, new) = (secret(&o, "oldPassword")?, secret(&o, "newPassword")?);
            c.change_password(&old, &new, signal(&o).as_ref()).await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// `getUser({ signal })` → `{ username, attributes, mfaSettings,
    /// preferredMfa }`.
    #[wasm_bindgen(js_name = getUser)]
    pub fn get_user(&self, o: JsValue) -> Promise {
        let c = self.client.clone();
        promise(async move {
            let u = c.get_user(signal(&o).as_ref()).await?;
            Ok(Obj::new()
                .set("username", u.username.as_str())
                .set("attributes", Obj::map(&u.attributes))
                .set("mfaSettings", Obj::list(&u.mfa_settings))
                .opt("preferredMfa", u.preferred_mfa.as_deref())
                .into())
        })
    }

    /// `fetchUserAttributes({ signal })` → `{ name: value }`.
    #[wasm_bindgen(js_name = fetchUserAttributes)]
    pub fn fetch_user_attributes(&self, o: JsValue) -> Promise {
        let c = self.client.clone();
        promise(async move {
            let u = c.get_user(signal(&o).as_ref()).await?;
            Ok(Obj::map(&u.attributes))
        })
    }

    /// `updateUserAttributes({ attributes, clientMetadata, signal })` →
    /// `{ codeDeliveryList }` (the attributes waiting for verification).
    #[wasm_bindgen(js_name = updateUserAttributes)]
    pub fn update_user_attributes(&self, o: JsValue) -> Promise {
        let c = self.client.clone();
        promise(async move {
            let attrs = string_map(&o, "attributes")?;
            if attrs.is_empty() {
                return Err(Error::EmptyArgument {
                    field: "attributes",
                });
            }
            let meta = string_map(&o, "clientMetadata")?;
            let list = c
                .update_user_attributes(&pairs(&attrs), &pairs(&meta), signal(&o).as_ref())
                .await?;
            let list: Array = list.iter().map(delivery_js).collect();
            Ok(Obj::new().set("codeDeliveryList", list).into())
        })
    }

    /// `verifyUserAttribute({ attributeName, code, signal })`.
    #[wasm_bindgen(js_name = verifyUserAttribute)]
    pub fn verify_user_attribute(&self, o: JsValue) -> Promise {
        let c = self.client.clone();
        promise(async move {
            let (name, code) = (string(&o, "attributeName")?, secret(&o, "code")?);
            c.verify_user_attribute(&name, &code, signal(&o).as_ref())
                .await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// `sendUserAttributeVerificationCode({ attributeName, clientMetadata,
    /// signal })` → `{ codeDelivery }`.
    #[wasm_bindgen(js_name = sendUserAttributeVerificationCode)]
    pub fn send_user_attribute_verification_code(&self, o: JsValue) -> Promise {
        let c = self.client.clone();
        promise(async move {
            let meta = string_map(&o, "clientMetadata")?;
            let name = string(&o, "attributeName")?;
            let d = c
                .send_user_attribute_verification_code(&name, &pairs(&meta), signal(&o).as_ref())
                .await?;
            Ok(delivery_result(d))
        })
    }

    /// `deleteUserAttributes({ attributeNames, signal })`.
    #[wasm_bindgen(js_name = deleteUserAttributes)]
    pub fn delete_user_attributes(&self, o: JsValue) -> Promise {
        let c = self.client.clone();
        promise(async move {
            let names = string_list(&o, "attributeNames")?;
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            c.delete_user_attributes(&names, signal(&o).as_ref())
                .await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// `deleteUser({ signal })`: then signed out (`signedOut`).
    #[wasm_bindgen(js_name = deleteUser)]
    pub fn delete_user(&self, o: JsValue) -> Promise {
        let c = self.client.clone();
        promise(async move {
            c.delete_user(signal(&o).as_ref()).await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// `setMfaPreference({ sms, totp, email, signal })`, each factor
    /// `{ enabled, preferred }` or absent (unchanged).
    #[wasm_bindgen(js_name = setMfaPreference)]
    pub fn set_mfa_preference(&self, o: JsValue) -> Promise {
        let c = self.client.clone();
        promise(async move {
            let sms = mfa_setting(&o, "sms")?;
            let totp = mfa_setting(&o, "totp")?;
            let email = mfa_setting(&o, "email")?;
            c.set_mfa_preference(sms, totp, email, signal(&o).as_ref())
                .await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// `setUpTotp({ issuer, signal })` → `{ secret, otpauthUri }`.
    #[wasm_bindgen(js_name = setUpTotp)]
    pub fn set_up_totp(&self, o: JsValue) -> Promise {
        let c = self.client.clone();
        promise(async move {
            let issuer = opt_string(&o, "issuer")?;
            let (secret, username) = c.set_up_totp(signal(&o).as_ref()).await?;
            let issuer = issuer.as_deref().unwrap_or("AWSCognito");
            let uri = otpauth_uri(issuer, &username, &secret);
            Ok(Obj::new()
                .set("secret", secret.as_str())
                .set("otpauthUri", uri.as_str())
                .into())
        })
    }

    /// `verifyTotp({ code, deviceName, signal })`.
    #[wasm_bindgen(js_name = verifyTotp)]
    pub fn verify_totp(&self, o: JsValue) -> Promise {
        let c = self.client.clone();
        promise(async move {
            let code = secret(&o, "code")?;
            let name = opt_string(&o, "deviceName")?;
            c.verify_totp(&code, name.as_deref(), signal(&o).as_ref())
                .await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// `listDevices({ limit, paginationToken, signal })` → `{ devices:
    /// [{ deviceKey, attributes, name, lastAuthenticated }], paginationToken }`.
    #[wasm_bindgen(js_name = listDevices)]
    pub fn list_devices(&self, o: JsValue) -> Promise {
        let c = self.client.clone();
        promise(async move {
            let limit = opt_number(&o, "limit")?.map_or(60, |n| n.clamp(1.0, 60.0) as u8);
            let token = opt_string(&o, "paginationToken")?;
            let (devices, next) = c
                .list_devices(limit, token.as_deref(), signal(&o).as_ref())
                .await?;
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
        })
    }

    /// `rememberDevice({ deviceKey, remembered, signal })`: this session's
    /// device unless `deviceKey` names another; `remembered: false` marks it
    /// not remembered.
    #[wasm_bindgen(js_name = rememberDevice)]
    pub fn remember_device(&self, o: JsValue) -> Promise {
        let c = self.client.clone();
        promise(async move {
            let key = opt_string(&o, "deviceKey")?;
            let remembered = opt_bool(&o, "remembered")?.unwrap_or(true);
            c.set_device_remembered(key, remembered, signal(&o).as_ref())
                .await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// `forgetDevice({ deviceKey, signal })`: this session's device unless
    /// `deviceKey` names another.
    #[wasm_bindgen(js_name = forgetDevice)]
    pub fn forget_device(&self, o: JsValue) -> Promise {
        let c = self.client.clone();
        promise(async move {
            let key = opt_string(&o, "deviceKey")?;
            c.forget_device(key, signal(&o).as_ref()).await?;
            Ok(JsValue::UNDEFINED)
        })
    }
}
