//! Self-service user operations of the Cognito user pools API: `SignUp`,
//! `ConfirmSignUp`, `ResendConfirmationCode`, `ForgotPassword`,
//! `ConfirmForgotPassword`, `ChangePassword`, `GetUser`,
//! `UpdateUserAttributes`, `DeleteUserAttributes`,
//! `GetUserAttributeVerificationCode`, `VerifyUserAttribute`, `DeleteUser`,
//! `GlobalSignOut`, `RevokeToken`.

use serde_json::{json, Value};

use super::auth::find_user;
use super::tokens::user_from_access_token;
use super::{
    attribute_list, attributes_json, check_password_policy, check_secret_hash, check_writable,
    client_of, Req,
};
use crate::config::new_user;
use crate::error::{ApiError, ApiResult};
use crate::model::{PendingCode, User};
use crate::store::{AppState, OutboxMessage, Store};
use crate::util::{ct_eq, hex, mask_destination, now, now_f64, random_code};

/// Sends a code for `purpose` to the user's e-mail (or phone) and returns
/// `CodeDeliveryDetails`.
pub fn send_code(
    st: &mut Store,
    pool_id: &str,
    username: &str,
    purpose: &str,
    attribute: &str,
    ttl: i64,
) -> ApiResult<Value> {
    let code = random_code(6);
    let user = st
        .user_mut(pool_id, username)
        .ok_or_else(ApiError::user_not_found)?;
    let (attr, medium) = match attribute {
        "phone_number" => ("phone_number", "SMS"),
        "email" => ("email", "EMAIL"),
        _ if user.attributes.contains_key("email") => ("email", "EMAIL"),
        _ if user.attributes.contains_key("phone_number") => ("phone_number", "SMS"),
        _ => {
            return Err(ApiError::invalid_parameter(
                "Cannot deliver a code: the user has no e-mail address or phone number.",
            ))
        }
    };
    let dest = user
        .attributes
        .get(attr)
        .cloned()
        .ok_or_else(|| ApiError::invalid_parameter(format!("The user has no {attr}.")))?;
    user.codes.insert(
        purpose.into(),
        PendingCode {
            code: code.clone(),
            expires: now() + ttl,
        },
    );
    st.send(OutboxMessage {
        time: now(),
        pool_id: pool_id.into(),
        username: username.into(),
        medium: medium.into(),
        destination: dest.clone(),
        purpose: purpose.into(),
        code,
    });
    Ok(
        json!({ "Destination": mask_destination(&dest), "DeliveryMedium": medium, "AttributeName": attr }),
    )
}

/// Consumes a code for `purpose` (single use).
fn take_code(user: &mut User, purpose: &str, given: &str) -> ApiResult<()> {
    match user.codes.get(purpose) {
        None => Err(ApiError::expired_code()),
        Some(c) if c.expires <= now() => {
            user.codes.remove(purpose);
            Err(ApiError::expired_code())
        }
        Some(c) if ct_eq(&c.code, given) => {
            user.codes.remove(purpose);
            Ok(())
        }
        Some(_) => Err(ApiError::code_mismatch()),
    }
}

fn set_password(st: &mut Store, pool_id: &str, username: &str, password: &str) -> ApiResult<()> {
    let realm = st
        .pool(pool_id)
        .map(|p| p.srp_realm().to_string())
        .unwrap_or_default();
    let v = crate::srp::new_verifier(&realm, username, password);
    let u = st
        .user_mut(pool_id, username)
        .ok_or_else(ApiError::user_not_found)?;
    u.salt = hex(&v.salt);
    u.verifier = hex(&v.verifier);
    u.modified = now_f64();
    Ok(())
}

/// `SignUp`.
pub fn sign_up(app: &AppState, req: &Value) -> ApiResult<Value> {
    let client_id = req.need("ClientId")?;
    let username = req.need("Username")?;
    let password = req.need("Password")?;
    let (pool_id, client) = client_of(app, client_id)?;
    check_secret_hash(&client, username, req.s("SecretHash"))?;
    if username.len() > 128 || username.chars().any(char::is_whitespace) {
        return Err(ApiError::invalid_parameter(
            "Username should be 1-128 characters without spaces.",
        ));
    }
    check_password_policy(password)?;
    let attrs = attribute_list(req.get("UserAttributes"))?;
    for (n, _) in &attrs {
        check_writable(n)?;
    }
    let pool = app
        .lock()
        .pool(&pool_id)
        .cloned()
        .ok_or_else(|| ApiError::not_found("User pool does not exist."))?;
    if pool.users.contains_key(username) {
        return Err(ApiError::new(
            "UsernameExistsException",
            "User already exists",
        ));
    }
    let has = |n: &str| attrs.iter().any(|(k, v)| k == n && !v.is_empty());
    // Codes go to the auto-verified attribute, which must then be present.
    if pool.auto_verified_attributes.iter().any(|a| a == "email")
        && !has("email")
        && !has("phone_number")
    {
        return Err(ApiError::invalid_parameter(
            "Attributes did not conform to the schema: email: The attribute is required",
        ));
    }
    // The verifier is computed outside the lock (it is a modular exponentiation).
    let mut user = new_user(&pool, username, password, "UNCONFIRMED");
    for (n, v) in attrs {
        user.attributes.insert(n, v);
    }
    let sub = user.sub().to_string();
    let mut st = app.lock();
    let p = st
        .pool_mut(&pool_id)
        .ok_or_else(|| ApiError::not_found("User pool does not exist."))?;
    if p.users.contains_key(username) {
        return Err(ApiError::new(
            "UsernameExistsException",
            "User already exists",
        ));
    }
    p.users.insert(username.to_string(), user);
    let details = send_code(&mut st, &pool_id, username, "SignUp", "", 86_400)?;
    Ok(json!({ "UserConfirmed": false, "CodeDeliveryDetails": details, "UserSub": sub }))
}

/// `ConfirmSignUp`.
pub fn confirm_sign_up(app: &AppState, req: &Value) -> ApiResult<Value> {
    let client_id = req.need("ClientId")?;
    let username = req.need("Username")?;
    let code = req.need("ConfirmationCode")?;
    let (pool_id, client) = client_of(app, client_id)?;
    check_secret_hash(&client, username, req.s("SecretHash"))?;
    let mut st = app.lock();
    let user = st
        .user_mut(&pool_id, username)
        .ok_or_else(ApiError::user_not_found)?;
    if user.status != "UNCONFIRMED" {
        return Err(ApiError::not_authorized(format!(
            "User cannot be confirmed. Current status is {}",
            user.status
        )));
    }
    take_code(user, "SignUp", code)?;
    user.status = "CONFIRMED".into();
    if user.attributes.contains_key("email") {
        user.attributes
            .insert("email_verified".into(), "true".into());
    }
    user.modified = now_f64();
    Ok(json!({}))
}

/// `ResendConfirmationCode`.
pub fn resend_confirmation_code(app: &AppState, req: &Value) -> ApiResult<Value> {
    let client_id = req.need("ClientId")?;
    let username = req.need("Username")?;
    let (pool_id, client) = client_of(app, client_id)?;
    check_secret_hash(&client, username, req.s("SecretHash"))?;
    let mut st = app.lock();
    let user = find_user(&st, &pool_id, &client, username)?;
    if user.status != "UNCONFIRMED" {
        return Err(ApiError::invalid_parameter("User is already confirmed."));
    }
    let details = send_code(&mut st, &pool_id, &user.username, "SignUp", "", 86_400)?;
    Ok(json!({ "CodeDeliveryDetails": details }))
}

/// `ForgotPassword`.
pub fn forgot_password(app: &AppState, req: &Value) -> ApiResult<Value> {
    let client_id = req.need("ClientId")?;
    let username = req.need("Username")?;
    let (pool_id, client) = client_of(app, client_id)?;
    check_secret_hash(&client, username, req.s("SecretHash"))?;
    let mut st = app.lock();
    let user = find_user(&st, &pool_id, &client, username).map_err(|e| {
        if e.code == "NotAuthorizedException" {
            ApiError::user_not_found()
        } else {
            e
        }
    })?;
    if !user.enabled {
        return Err(ApiError::not_authorized("User is disabled."));
    }
    let details = send_code(
        &mut st,
        &pool_id,
        &user.username,
        "ForgotPassword",
        "",
        3600,
    )?;
    Ok(json!({ "CodeDeliveryDetails": details }))
}

/// `ConfirmForgotPassword`.
pub fn confirm_forgot_password(app: &AppState, req: &Value) -> ApiResult<Value> {
    let client_id = req.need("ClientId")?;
    let username = req.need("Username")?;
    let code = req.need("ConfirmationCode")?;
    let password = req.need("Password")?;
    let (pool_id, client) = client_of(app, client_id)?;
    check_secret_hash(&client, username, req.s("SecretHash"))?;
    check_password_policy(password)?;
    let mut st = app.lock();
    let user = find_user(&st, &pool_id, &client, username)?;
    let u = st
        .user_mut(&pool_id, &user.username)
        .ok_or_else(ApiError::user_not_found)?;
    take_code(u, "ForgotPassword", code)?;
    if u.status == "RESET_REQUIRED" || u.status == "FORCE_CHANGE_PASSWORD" {
        u.status = "CONFIRMED".into();
    }
    drop(st);
    let pool = app
        .lock()
        .pool(&pool_id)
        .cloned()
        .ok_or_else(|| ApiError::not_found("User pool does not exist."))?;
    let v = crate::srp::new_verifier(pool.srp_realm(), &user.username, password);
    let mut st = app.lock();
    let u = st
        .user_mut(&pool_id, &user.username)
        .ok_or_else(ApiError::user_not_found)?;
    u.salt = hex(&v.salt);
    u.verifier = hex(&v.verifier);
    u.modified = now_f64();
    Ok(json!({}))
}

/// `ChangePassword`.
pub fn change_password(app: &AppState, req: &Value) -> ApiResult<Value> {
    let token = req.need("AccessToken")?;
    let previous = req.need("PreviousPassword")?;
    let proposed = req.need("ProposedPassword")?;
    let (pool_id, username, _) = user_from_access_token(app, &app.lock(), token)?;
    let (user, realm) = {
        let st = app.lock();
        let pool = st
            .pool(&pool_id)
            .ok_or_else(|| ApiError::not_found("User pool does not exist."))?;
        (
            pool.users
                .get(&username)
                .cloned()
                .ok_or_else(ApiError::user_not_found)?,
            pool.srp_realm().to_string(),
        )
    };
    let v = crate::srp::Verifier {
        salt: crate::util::hex_decode(&user.salt).unwrap_or_default(),
        verifier: crate::util::hex_decode(&user.verifier).unwrap_or_default(),
    };
    if !crate::srp::check_password(&realm, &username, previous, &v) {
        return Err(ApiError::bad_credentials());
    }
    check_password_policy(proposed)?;
    set_password(&mut app.lock(), &pool_id, &username, proposed)?;
    Ok(json!({}))
}

/// `GetUser`.
pub fn get_user(app: &AppState, req: &Value) -> ApiResult<Value> {
    let token = req.need("AccessToken")?;
    let st = app.lock();
    let (pool_id, username, _) = user_from_access_token(app, &st, token)?;
    let user = st
        .pool(&pool_id)
        .and_then(|p| p.users.get(&username))
        .ok_or_else(ApiError::user_not_found)?;
    let mut out = json!({
        "Username": user.username,
        "UserAttributes": attributes_json(&user.attributes),
        "UserMFASettingList": user.mfa_methods(),
    });
    if let Some(p) = &user.preferred_mfa {
        out["PreferredMfaSetting"] = json!(p);
    }
    Ok(out)
}

/// `UpdateUserAttributes`: changing `email`/`phone_number` un-verifies it and
/// sends a code.
pub fn update_user_attributes(app: &AppState, req: &Value) -> ApiResult<Value> {
    let token = req.need("AccessToken")?;
    let attrs = attribute_list(req.get("UserAttributes"))?;
    for (n, _) in &attrs {
        check_writable(n)?;
        if n.ends_with("_verified") {
            return Err(ApiError::invalid_parameter(format!(
                "Cannot modify {n} with an access token."
            )));
        }
    }
    let mut st = app.lock();
    let (pool_id, username, _) = user_from_access_token(app, &st, token)?;
    let u = st
        .user_mut(&pool_id, &username)
        .ok_or_else(ApiError::user_not_found)?;
    let mut to_verify = vec![];
    for (n, v) in attrs {
        if (n == "email" || n == "phone_number") && u.attributes.get(&n) != Some(&v) {
            u.attributes.insert(format!("{n}_verified"), "false".into());
            to_verify.push(n.clone());
        }
        u.attributes.insert(n, v);
    }
    u.modified = now_f64();
    let mut list = vec![];
    for n in to_verify {
        list.push(send_code(
            &mut st,
            &pool_id,
            &username,
            &format!("VerifyUserAttribute:{n}"),
            &n,
            86_400,
        )?);
    }
    Ok(json!({ "CodeDeliveryDetailsList": list }))
}

/// `DeleteUserAttributes`.
pub fn delete_user_attributes(app: &AppState, req: &Value) -> ApiResult<Value> {
    let token = req.need("AccessToken")?;
    let names: Vec<String> = req
        .get("UserAttributeNames")
        .and_then(Value::as_array)
        .ok_or_else(|| ApiError::missing("userAttributeNames"))?
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    for n in &names {
        check_writable(n)?;
    }
    let mut st = app.lock();
    let (pool_id, username, _) = user_from_access_token(app, &st, token)?;
    let u = st
        .user_mut(&pool_id, &username)
        .ok_or_else(ApiError::user_not_found)?;
    for n in names {
        u.attributes.remove(&n);
    }
    u.modified = now_f64();
    Ok(json!({}))
}

/// `GetUserAttributeVerificationCode`.
pub fn get_attribute_code(app: &AppState, req: &Value) -> ApiResult<Value> {
    let token = req.need("AccessToken")?;
    let attr = req.need("AttributeName")?;
    if attr != "email" && attr != "phone_number" {
        return Err(ApiError::invalid_parameter(format!(
            "{attr} cannot be verified."
        )));
    }
    let mut st = app.lock();
    let (pool_id, username, _) = user_from_access_token(app, &st, token)?;
    let details = send_code(
        &mut st,
        &pool_id,
        &username,
        &format!("VerifyUserAttribute:{attr}"),
        attr,
        86_400,
    )?;
    Ok(json!({ "CodeDeliveryDetails": details }))
}

/// `VerifyUserAttribute`.
pub fn verify_user_attribute(app: &AppState, req: &Value) -> ApiResult<Value> {
    let token = req.need("AccessToken")?;
    let attr = req.need("AttributeName")?;
    let code = req.need("Code")?;
    let mut st = app.lock();
    let (pool_id, username, _) = user_from_access_token(app, &st, token)?;
    let u = st
        .user_mut(&pool_id, &username)
        .ok_or_else(ApiError::user_not_found)?;
    take_code(u, &format!("VerifyUserAttribute:{attr}"), code)?;
    u.attributes
        .insert(format!("{attr}_verified"), "true".into());
    Ok(json!({}))
}

/// `DeleteUser`.
pub fn delete_user(app: &AppState, req: &Value) -> ApiResult<Value> {
    let token = req.need("AccessToken")?;
    let mut st = app.lock();
    let (pool_id, username, _) = user_from_access_token(app, &st, token)?;
    revoke_all(&mut st, &pool_id, &username);
    if let Some(p) = st.pool_mut(&pool_id) {
        p.users.remove(&username);
    }
    Ok(json!({}))
}

/// Revokes every refresh token (and, by `origin_jti`, access token) of a user.
pub fn revoke_all(st: &mut Store, pool_id: &str, username: &str) {
    let origins: Vec<String> = st
        .durable
        .refresh
        .values()
        .filter(|g| g.pool_id == pool_id && g.username == username)
        .map(|g| g.origin_jti.clone())
        .collect();
    st.durable
        .refresh
        .retain(|_, g| !(g.pool_id == pool_id && g.username == username));
    for o in origins {
        st.durable.revoke_origin(&o);
    }
    if let Some(u) = st.user_mut(pool_id, username) {
        u.tokens_valid_after = now();
    }
}

/// `GlobalSignOut`: all refresh tokens and the access tokens they minted stop
/// working.
pub fn global_sign_out(app: &AppState, req: &Value) -> ApiResult<Value> {
    let token = req.need("AccessToken")?;
    let mut st = app.lock();
    let (pool_id, username, claims) = user_from_access_token(app, &st, token)?;
    if let Some(o) = claims["origin_jti"].as_str() {
        st.durable.revoke_origin(o);
    }
    revoke_all(&mut st, &pool_id, &username);
    Ok(json!({}))
}

/// `RevokeToken`: revokes a refresh token and the tokens minted from it.
pub fn revoke_token(app: &AppState, req: &Value) -> ApiResult<Value> {
    let token = req.need("Token")?;
    let client_id = req.need("ClientId")?;
    let (_, client) = client_of(app, client_id)?;
    if let Some(secret) = &client.secret {
        if !req.s("ClientSecret").is_some_and(|s| ct_eq(s, secret)) {
            return Err(ApiError::not_authorized(format!(
                "Unable to verify secret for client {client_id}"
            )));
        }
    }
    revoke_refresh(app, &client.id, token).map(|_| json!({}))
}

/// Revokes a refresh token issued to `client_id` (RFC 7009 semantics: an
/// unknown token is not an error).
pub fn revoke_refresh(app: &AppState, client_id: &str, token: &str) -> ApiResult<()> {
    let mut st = app.lock();
    match st.durable.refresh.get(token) {
        Some(g) if g.client_id != client_id => Err(ApiError::new(
            "UnauthorizedException",
            "The refresh token was not issued to this client.",
        )),
        Some(g) => {
            let origin = g.origin_jti.clone();
            st.durable.refresh.remove(token);
            st.durable.revoke_origin(&origin);
            Ok(())
        }
        None if token.split('.').count() == 3 => Err(ApiError::new(
            "UnsupportedTokenTypeException",
            "Only refresh tokens can be revoked.",
        )),
        None => Ok(()),
    }
}
