//! The admin operations needed to seed and inspect pools (no SigV4 check):
//! `AdminCreateUser`, `AdminSetUserPassword`, `AdminGetUser`,
//! `AdminDeleteUser`, `AdminConfirmSignUp`, `AdminUpdateUserAttributes`,
//! `CreateUserPool`, `CreateUserPoolClient`, `DescribeUserPool`,
//! `DescribeUserPoolClient` (Amazon Cognito user pools API reference).

use serde_json::{json, Value};
use std::collections::BTreeMap;

use super::account::revoke_all;
use super::{attribute_list, attributes_json, check_password_policy, check_writable, Req};
use crate::config::new_user;
use crate::error::{ApiError, ApiResult};
use crate::model::{Client, Pool, User};
use crate::store::{AppState, OutboxMessage};
use crate::util::{hex, now, now_f64, random_alnum};

fn pool_of(app: &AppState, req: &Value) -> ApiResult<Pool> {
    let id = req.need("UserPoolId")?;
    app.lock()
        .pool(id)
        .cloned()
        .ok_or_else(|| ApiError::not_found(format!("User pool {id} does not exist.")))
}

fn user_json(u: &User, attrs_key: &str) -> Value {
    let mut v = json!({
        "Username": u.username,
        "UserCreateDate": u.created,
        "UserLastModifiedDate": u.modified,
        "Enabled": u.enabled,
        "UserStatus": u.status,
        "UserMFASettingList": u.mfa_methods(),
    });
    v[attrs_key] = attributes_json(&u.attributes);
    if let Some(p) = &u.preferred_mfa {
        v["PreferredMfaSetting"] = json!(p);
    }
    v
}

/// `AdminCreateUser`: the user must set a new password at first sign-in
/// (`FORCE_CHANGE_PASSWORD`); the temporary password goes to the outbox.
pub fn admin_create_user(app: &AppState, req: &Value) -> ApiResult<Value> {
    let pool = pool_of(app, req)?;
    let username = req.need("Username")?;
    let attrs = attribute_list(req.get("UserAttributes"))?;
    for (n, _) in &attrs {
        check_writable(n)?;
    }
    let temp = match req.s("TemporaryPassword") {
        Some(p) => {
            check_password_policy(p)?;
            p.to_string()
        }
        None => format!("Tmp-{}9!", random_alnum(10)),
    };
    if pool.users.contains_key(username) {
        return Err(ApiError::new(
            "UsernameExistsException",
            "User account already exists",
        ));
    }
    let mut u = new_user(&pool, username, &temp, "FORCE_CHANGE_PASSWORD");
    for (n, v) in attrs {
        u.attributes.insert(n, v);
    }
    let out = user_json(&u, "Attributes");
    let mut st = app.lock();
    if req.s("MessageAction") != Some("SUPPRESS") {
        st.send(OutboxMessage {
            time: now(),
            pool_id: pool.id.clone(),
            username: username.into(),
            medium: "EMAIL".into(),
            destination: u.attributes.get("email").cloned().unwrap_or_default(),
            purpose: "TemporaryPassword".into(),
            code: temp,
        });
    }
    let p = st
        .pool_mut(&pool.id)
        .ok_or_else(|| ApiError::not_found("User pool does not exist."))?;
    if p.users.contains_key(username) {
        return Err(ApiError::new(
            "UsernameExistsException",
            "User account already exists",
        ));
    }
    p.users.insert(username.into(), u);
    Ok(json!({ "User": out }))
}

/// `AdminSetUserPassword`.
pub fn admin_set_user_password(app: &AppState, req: &Value) -> ApiResult<Value> {
    let pool = pool_of(app, req)?;
    let username = req.need("Username")?;
    let password = req.need("Password")?;
    let permanent = req
        .get("Permanent")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    check_password_policy(password)?;
    if !pool.users.contains_key(username) {
        return Err(ApiError::user_not_found());
    }
    let v = crate::srp::new_verifier(pool.srp_realm(), username, password);
    let mut st = app.lock();
    let u = st
        .user_mut(&pool.id, username)
        .ok_or_else(ApiError::user_not_found)?;
    u.salt = hex(&v.salt);
    u.verifier = hex(&v.verifier);
    u.status = if permanent {
        "CONFIRMED"
    } else {
        "FORCE_CHANGE_PASSWORD"
    }
    .into();
    u.modified = now_f64();
    Ok(json!({}))
}

/// `AdminGetUser`.
pub fn admin_get_user(app: &AppState, req: &Value) -> ApiResult<Value> {
    let pool = pool_of(app, req)?;
    let username = req.need("Username")?;
    let u = pool
        .users
        .get(username)
        .ok_or_else(ApiError::user_not_found)?;
    Ok(user_json(u, "UserAttributes"))
}

/// `AdminDeleteUser`.
pub fn admin_delete_user(app: &AppState, req: &Value) -> ApiResult<Value> {
    let pool = pool_of(app, req)?;
    let username = req.need("Username")?;
    let mut st = app.lock();
    revoke_all(&mut st, &pool.id, username);
    st.pool_mut(&pool.id)
        .and_then(|p| p.users.remove(username))
        .map(|_| json!({}))
        .ok_or_else(ApiError::user_not_found)
}

/// `AdminConfirmSignUp`.
pub fn admin_confirm_sign_up(app: &AppState, req: &Value) -> ApiResult<Value> {
    let pool = pool_of(app, req)?;
    let username = req.need("Username")?;
    let mut st = app.lock();
    let u = st
        .user_mut(&pool.id, username)
        .ok_or_else(ApiError::user_not_found)?;
    if u.status != "UNCONFIRMED" {
        return Err(ApiError::not_authorized(format!(
            "User cannot be confirmed. Current status is {}",
            u.status
        )));
    }
    u.status = "CONFIRMED".into();
    u.codes.remove("SignUp");
    Ok(json!({}))
}

/// `AdminUpdateUserAttributes` (may set `*_verified`).
pub fn admin_update_user_attributes(app: &AppState, req: &Value) -> ApiResult<Value> {
    let pool = pool_of(app, req)?;
    let username = req.need("Username")?;
    let attrs = attribute_list(req.get("UserAttributes"))?;
    for (n, _) in &attrs {
        check_writable(n)?;
    }
    let mut st = app.lock();
    let u = st
        .user_mut(&pool.id, username)
        .ok_or_else(ApiError::user_not_found)?;
    for (n, v) in attrs {
        u.attributes.insert(n, v);
    }
    u.modified = now_f64();
    Ok(json!({}))
}

fn pool_json(p: &Pool) -> Value {
    json!({
        "Id": p.id,
        "Name": p.name,
        "Arn": format!("arn:aws:cognito-idp:{}:000000000000:userpool/{}", p.id.split('_').next().unwrap_or(""), p.id),
        "MfaConfiguration": p.mfa,
        "AutoVerifiedAttributes": p.auto_verified_attributes,
        "EstimatedNumberOfUsers": p.users.len(),
        "CreationDate": p.created,
        "LastModifiedDate": p.created,
        "DeviceConfiguration": { "ChallengeRequiredOnNewDevice": p.device_tracking, "DeviceOnlyRememberedOnUserPrompt": false },
        "Policies": { "PasswordPolicy": {
            "MinimumLength": 8, "RequireUppercase": true, "RequireLowercase": true,
            "RequireNumbers": true, "RequireSymbols": true, "TemporaryPasswordValidityDays": 7 } },
    })
}

fn client_json(pool_id: &str, c: &Client) -> Value {
    let mut v = json!({
        "UserPoolId": pool_id,
        "ClientId": c.id,
        "ClientName": c.name,
        "ExplicitAuthFlows": c.explicit_auth_flows,
        "CallbackURLs": c.callback_urls,
        "LogoutURLs": c.logout_urls,
        "AllowedOAuthFlows": c.allowed_oauth_flows,
        "AllowedOAuthScopes": c.allowed_oauth_scopes,
        "AllowedOAuthFlowsUserPoolClient": !c.allowed_oauth_flows.is_empty(),
        "SupportedIdentityProviders": ["COGNITO"],
        "PreventUserExistenceErrors": if c.prevent_user_existence_errors { "ENABLED" } else { "LEGACY" },
        "AccessTokenValidity": c.access_token_validity / 60,
        "IdTokenValidity": c.id_token_validity / 60,
        "RefreshTokenValidity": c.refresh_token_validity / 86_400,
        "TokenValidityUnits": { "AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "days" },
        "RefreshTokenRotation": { "Feature": if c.refresh_token_rotation { "ENABLED" } else { "DISABLED" }, "RetryGracePeriodSeconds": 0 },
        "EnableTokenRevocation": true,
    });
    if let Some(s) = &c.secret {
        v["ClientSecret"] = json!(s);
    }
    v
}

/// `CreateUserPool`.
pub fn create_user_pool(app: &AppState, req: &Value) -> ApiResult<Value> {
    let name = req.need("PoolName")?;
    let id = format!("us-east-1_{}", random_alnum(9));
    let mfa = req.s("MfaConfiguration").unwrap_or("OFF").to_string();
    if !["OFF", "ON", "OPTIONAL"].contains(&mfa.as_str()) {
        return Err(ApiError::invalid_parameter(
            "MfaConfiguration is OFF, ON or OPTIONAL.",
        ));
    }
    let pool = Pool {
        id: id.clone(),
        name: name.into(),
        mfa,
        auto_verified_attributes: req
            .get("AutoVerifiedAttributes")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
        device_tracking: req
            .get("DeviceConfiguration")
            .and_then(|d| d.get("ChallengeRequiredOnNewDevice"))
            .and_then(Value::as_bool)
            .unwrap_or(false),
        custom_challenge: None,
        required_attributes: Vec::new(),
        email_mfa_setup: false,
        webauthn: Default::default(),
        clients: BTreeMap::new(),
        users: BTreeMap::new(),
        created: now_f64(),
    };
    let out = pool_json(&pool);
    app.lock().durable.pools.insert(id, pool);
    Ok(json!({ "UserPool": out }))
}

fn strings(v: Option<&Value>) -> Option<Vec<String>> {
    v.and_then(Value::as_array).map(|a| {
        a.iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect()
    })
}

/// `CreateUserPoolClient`.
pub fn create_user_pool_client(app: &AppState, req: &Value) -> ApiResult<Value> {
    let pool = pool_of(app, req)?;
    let name = req.need("ClientName")?;
    let secret = req
        .get("GenerateSecret")
        .and_then(Value::as_bool)
        .unwrap_or(false)
        .then(|| random_alnum(51));
    let mut c = Client::new(random_alnum(26), name.into(), secret);
    if let Some(f) = strings(req.get("ExplicitAuthFlows")) {
        for flow in &f {
            if !flow.starts_with("ALLOW_") {
                return Err(ApiError::invalid_parameter(format!(
                    "Unsupported ExplicitAuthFlows value {flow}."
                )));
            }
        }
        c.explicit_auth_flows = f;
    }
    if let Some(v) = strings(req.get("CallbackURLs")) {
        c.callback_urls = v;
    }
    if let Some(v) = strings(req.get("LogoutURLs")) {
        c.logout_urls = v;
    }
    if let Some(v) = strings(req.get("AllowedOAuthFlows")) {
        c.allowed_oauth_flows = v;
    }
    if let Some(v) = strings(req.get("AllowedOAuthScopes")) {
        c.allowed_oauth_scopes = v;
    }
    if let Some(s) = req.s("PreventUserExistenceErrors") {
        c.prevent_user_existence_errors = s == "ENABLED";
    }
    if let Some(r) = req.get("RefreshTokenRotation") {
        c.refresh_token_rotation = r.s("Feature") == Some("ENABLED");
    }
    let out = client_json(&pool.id, &c);
    let mut st = app.lock();
    st.pool_mut(&pool.id)
        .ok_or_else(|| ApiError::not_found("User pool does not exist."))?
        .clients
        .insert(c.id.clone(), c);
    Ok(json!({ "UserPoolClient": out }))
}

/// `DescribeUserPool`.
pub fn describe_user_pool(app: &AppState, req: &Value) -> ApiResult<Value> {
    Ok(json!({ "UserPool": pool_json(&pool_of(app, req)?) }))
}

/// `DescribeUserPoolClient`.
pub fn describe_user_pool_client(app: &AppState, req: &Value) -> ApiResult<Value> {
    let pool = pool_of(app, req)?;
    let id = req.need("ClientId")?;
    let c = pool
        .clients
        .get(id)
        .ok_or_else(|| ApiError::not_found(format!("User pool client {id} does not exist.")))?;
    Ok(json!({ "UserPoolClient": client_json(&pool.id, c) }))
}
