//! Device tracking: `ConfirmDevice`, `GetDevice`, `ListDevices`,
//! `ForgetDevice`, `UpdateDeviceStatus` ("Working with user devices in your
//! user pool" in the Cognito Developer Guide). Devices carry their own SRP
//! verifier used by `DEVICE_SRP_AUTH`.

use serde_json::{json, Value};

use super::tokens::user_from_access_token;
use super::Req;
use crate::error::{ApiError, ApiResult};
use crate::model::Device;
use crate::store::{AppState, Store};
use crate::util::{b64_decode, hex, now_f64, random_bytes};

/// A new, unconfirmed device for a pool.
pub fn new_device(pool_id: &str) -> Device {
    let region = pool_id.split('_').next().unwrap_or("local");
    Device {
        key: format!("{region}_{}", uuid::Uuid::new_v4()),
        group_key: format!("-{}", crate::util::b64url(&random_bytes(9))),
        salt: None,
        verifier: None,
        name: None,
        status: "not_remembered".into(),
        created: now_f64(),
        last_auth: now_f64(),
    }
}

fn device_json(d: &Device) -> Value {
    let mut attrs = vec![json!({ "Name": "device_status", "Value": d.status })];
    if let Some(n) = &d.name {
        attrs.push(json!({ "Name": "device_name", "Value": n }));
    }
    json!({
        "DeviceKey": d.key,
        "DeviceAttributes": attrs,
        "DeviceCreateDate": d.created,
        "DeviceLastModifiedDate": d.last_auth,
        "DeviceLastAuthenticatedDate": d.last_auth,
    })
}

/// `ConfirmDevice`: stores the device verifier (`Salt` and `PasswordVerifier`
/// are base64 of big-endian numbers).
pub fn confirm_device(app: &AppState, req: &Value) -> ApiResult<Value> {
    let token = req.need("AccessToken")?;
    let key = req.need("DeviceKey")?;
    let cfg = req
        .get("DeviceSecretVerifierConfig")
        .cloned()
        .unwrap_or_default();
    let salt = cfg.s("Salt").and_then(b64_decode);
    let verifier = cfg.s("PasswordVerifier").and_then(b64_decode);
    let (Some(salt), Some(verifier)) = (salt, verifier) else {
        return Err(ApiError::invalid_parameter(
            "DeviceSecretVerifierConfig needs base64 Salt and PasswordVerifier.",
        ));
    };
    let mut st = app.lock();
    let d = token_device_mut(app, &mut st, token, key)?;
    d.salt = Some(hex(&salt));
    d.verifier = Some(hex(&verifier));
    d.name = req.s("DeviceName").map(str::to_string);
    d.status = "remembered".into();
    Ok(json!({ "UserConfirmationNecessary": false }))
}

/// `GetDevice`.
pub fn get_device(app: &AppState, req: &Value) -> ApiResult<Value> {
    let token = req.need("AccessToken")?;
    let key = req.need("DeviceKey")?;
    let st = app.lock();
    let (pool_id, username, _) = user_from_access_token(app, &st, token)?;
    let d = st
        .pool(&pool_id)
        .and_then(|p| p.users.get(&username))
        .and_then(|u| u.devices.get(key))
        .ok_or_else(|| ApiError::not_found("Device does not exist."))?;
    Ok(json!({ "Device": device_json(d) }))
}

/// `ListDevices`.
pub fn list_devices(app: &AppState, req: &Value) -> ApiResult<Value> {
    let token = req.need("AccessToken")?;
    let st = app.lock();
    let (pool_id, username, _) = user_from_access_token(app, &st, token)?;
    let devices: Vec<Value> = st
        .pool(&pool_id)
        .and_then(|p| p.users.get(&username))
        .map(|u| {
            u.devices
                .values()
                .filter(|d| d.verifier.is_some())
                .map(device_json)
                .collect()
        })
        .unwrap_or_default();
    Ok(json!({ "Devices": devices }))
}

/// `ForgetDevice`.
pub fn forget_device(app: &AppState, req: &Value) -> ApiResult<Value> {
    let key = req.need("DeviceKey")?;
    let token = req.need("AccessToken")?;
    let mut st = app.lock();
    let (pool_id, username, _) = user_from_access_token(app, &st, token)?;
    let u = st
        .user_mut(&pool_id, &username)
        .ok_or_else(ApiError::user_not_found)?;
    u.devices
        .remove(key)
        .map(|_| json!({}))
        .ok_or_else(|| ApiError::not_found("Device does not exist."))
}

/// `UpdateDeviceStatus`.
pub fn update_device_status(app: &AppState, req: &Value) -> ApiResult<Value> {
    let token = req.need("AccessToken")?;
    let key = req.need("DeviceKey")?;
    let status = req.s("DeviceRememberedStatus").unwrap_or("remembered");
    if status != "remembered" && status != "not_remembered" {
        return Err(ApiError::invalid_parameter(
            "DeviceRememberedStatus is remembered or not_remembered.",
        ));
    }
    let mut st = app.lock();
    let d = token_device_mut(app, &mut st, token, key)?;
    d.status = status.into();
    Ok(json!({}))
}

/// The device `key` of the user an access token belongs to, for the device
/// operations that change it (`ConfirmDevice`, `UpdateDeviceStatus`).
fn token_device_mut<'a>(
    app: &AppState,
    st: &'a mut Store,
    token: &str,
    key: &str,
) -> ApiResult<&'a mut Device> {
    let (pool_id, username, _) = user_from_access_token(app, st, token)?;
    st.user_mut(&pool_id, &username)
        .ok_or_else(ApiError::user_not_found)?
        .devices
        .get_mut(key)
        .ok_or_else(|| ApiError::not_found("Device does not exist."))
}
