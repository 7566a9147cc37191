//! `InitiateAuth`, `RespondToAuthChallenge` and `GetTokensFromRefreshToken`:
//! the sign-in state machine of "User pool authentication flow" and
//! "Authentication flows" (choice-based `USER_AUTH`, `CUSTOM_AUTH`, MFA,
//! device SRP) in the Amazon Cognito Developer Guide.

use serde_json::{json, Map, Value};

use super::tokens::{access_token, authentication_result, id_token, new_refresh_token, Grant};
use super::{check_secret_hash, client_of, opt, param, Req};
use crate::error::{ApiError, ApiResult};
use crate::model::{Client, User};
use crate::srp::{self, Verifier};
use crate::store::{AppState, OutboxMessage, Pending, Stage, Store, SESSION_TTL};
use crate::util::{
    b64, ct_eq, hex, hex_decode, mask_destination, now, random_bytes, random_code, random_token,
};

/// How far an SRP `TIMESTAMP` may be from the server's clock.
pub const TIMESTAMP_SKEW: i64 = 300;

/// `InitiateAuth`.
pub fn initiate_auth(app: &AppState, req: &Value, origin: Option<&str>) -> ApiResult<Value> {
    let client_id = req.need("ClientId")?;
    let flow = req.need("AuthFlow")?;
    let p = req.obj("AuthParameters");
    let (pool_id, client) = client_of(app, client_id)?;
    let require = |f: &str| {
        if client.allows(f) {
            Ok(())
        } else {
            Err(ApiError::invalid_parameter(format!(
                "{f} flow not enabled for this client"
            )))
        }
    };
    match flow {
        "USER_SRP_AUTH" => {
            require("USER_SRP_AUTH")?;
            let username = param(&p, "USERNAME")?;
            let a = param(&p, "SRP_A")?;
            check_secret_hash(&client, username, opt(&p, "SECRET_HASH"))?;
            start_srp(app, &pool_id, &client, username, a, opt(&p, "DEVICE_KEY"))
        }
        "USER_PASSWORD_AUTH" => {
            require("USER_PASSWORD_AUTH")?;
            let username = param(&p, "USERNAME")?;
            let password = param(&p, "PASSWORD")?;
            check_secret_hash(&client, username, opt(&p, "SECRET_HASH"))?;
            let username = check_user_password(app, &pool_id, &client, username, password)?;
            after_first_factor(app, &pool_id, &client, &username, opt(&p, "DEVICE_KEY"), false)
        }
        "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" => {
            require("REFRESH_TOKEN_AUTH")?;
            let token = param(&p, "REFRESH_TOKEN")?;
            refresh(app, &client, token, |user| {
                check_secret_hash(&client, &user.username, opt(&p, "SECRET_HASH"))
                    .or_else(|_| check_secret_hash(&client, user.sub(), opt(&p, "SECRET_HASH")))
            }, false)
        }
        "CUSTOM_AUTH" => {
            require("CUSTOM_AUTH")?;
            let username = param(&p, "USERNAME")?;
            check_secret_hash(&client, username, opt(&p, "SECRET_HASH"))?;
            if let (Some("SRP_A"), Some(a)) = (opt(&p, "CHALLENGE_NAME"), opt(&p, "SRP_A")) {
                // SRP first, then the custom challenge (what a
                // DefineAuthChallenge trigger for "SRP then custom" does).
                let out = start_srp(app, &pool_id, &client, username, a, opt(&p, "DEVICE_KEY"))?;
                if let Some(block) = out["ChallengeParameters"]["SECRET_BLOCK"].as_str() {
                    if let Some(pending) = app.lock().pending.get_mut(block) {
                        pending.custom_after_srp = true;
                    }
                }
                return Ok(out);
            }
            let mut st = app.lock();
            let user = find_user(&st, &pool_id, &client, username)?;
            check_can_sign_in(&user)?;
            custom_challenge(&mut st, &pool_id, &client, &user.username, opt(&p, "DEVICE_KEY"))
        }
        "USER_AUTH" => {
            require("USER_AUTH")?;
            let username = param(&p, "USERNAME")?;
            check_secret_hash(&client, username, opt(&p, "SECRET_HASH"))?;
            let preferred = opt(&p, "PREFERRED_CHALLENGE");
            let user = find_user(&app.lock(), &pool_id, &client, username)?;
            match preferred {
                Some(choice) => choose_first_factor(app, &pool_id, &client, &user, choice, &p, opt(&p, "DEVICE_KEY"), origin),
                None => {
                    let mut st = app.lock();
                    let available = available_first_factors(&st, &pool_id, &user);
                    let session = new_session(&mut st, &pool_id, &client, &user.username, opt(&p, "DEVICE_KEY"), Stage::Named { name: "SELECT_CHALLENGE".into(), code: None });
                    Ok(json!({
                        "ChallengeName": "SELECT_CHALLENGE",
                        "Session": session,
                        "ChallengeParameters": {},
                        "AvailableChallenges": available,
                    }))
                }
            }
        }
        "ADMIN_NO_SRP_AUTH" | "ADMIN_USER_PASSWORD_AUTH" => Err(ApiError::invalid_parameter(
            "Admin flows are used with AdminInitiateAuth, not InitiateAuth.",
        )),
        other => Err(ApiError::invalid_parameter(format!(
            "1 validation error detected: Value '{other}' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set"
        ))),
    }
}

/// `RespondToAuthChallenge`.
pub fn respond_to_auth_challenge(
    app: &AppState,
    req: &Value,
    origin: Option<&str>,
) -> ApiResult<Value> {
    let client_id = req.need("ClientId")?;
    let name = req.need("ChallengeName")?;
    let r = req.obj("ChallengeResponses");
    let (pool_id, client) = client_of(app, client_id)?;
    let username = param(&r, "USERNAME")?;
    match name {
        "PASSWORD_VERIFIER" => password_verifier(app, &pool_id, &client, &r, false),
        "DEVICE_PASSWORD_VERIFIER" => password_verifier(app, &pool_id, &client, &r, true),
        _ => {
            let session = req.need("Session")?;
            let mut st = app.lock();
            let pending = take_session(&mut st, session, &client, name)?;
            let user = st
                .pool(&pool_id)
                .and_then(|p| p.users.get(&pending.username))
                .cloned()
                .ok_or_else(ApiError::user_not_found)?;
            if username != user.username && username != user.sub() {
                return Err(ApiError::not_authorized("Invalid session for the user."));
            }
            check_secret_hash(&client, username, opt(&r, "SECRET_HASH"))?;
            let device_key = opt(&r, "DEVICE_KEY")
                .map(str::to_string)
                .or(pending.device_key.clone());
            drop(st);
            named_challenge(
                app, &pool_id, &client, &user, session, pending, name, &r, device_key, origin,
            )
        }
    }
}

/// `GetTokensFromRefreshToken` (rotation when the client enables it).
pub fn get_tokens_from_refresh_token(app: &AppState, req: &Value) -> ApiResult<Value> {
    let client_id = req.need("ClientId")?;
    let token = req.need("RefreshToken")?;
    let (_, client) = client_of(app, client_id)?;
    if let Some(secret) = &client.secret {
        match req.s("ClientSecret") {
            Some(s) if ct_eq(s, secret) => {}
            _ => {
                return Err(ApiError::not_authorized(format!(
                    "Unable to verify secret for client {}",
                    client.id
                )))
            }
        }
    }
    refresh(
        app,
        &client,
        token,
        |_| Ok(()),
        client.refresh_token_rotation,
    )
}

/// Uses a refresh token: new access and ID tokens; with `rotate`, a new
/// refresh token replaces the old one.
pub fn refresh(
    app: &AppState,
    client: &Client,
    token: &str,
    check: impl Fn(&User) -> ApiResult<()>,
    rotate: bool,
) -> ApiResult<Value> {
    let mut st = app.lock();
    let invalid = || ApiError::not_authorized("Invalid Refresh Token");
    let grant = st.durable.refresh.get(token).cloned().ok_or_else(invalid)?;
    if grant.expires <= now() {
        return Err(ApiError::not_authorized("Refresh Token has expired"));
    }
    if grant.client_id != client.id || st.durable.is_revoked(&grant.origin_jti) {
        return Err(invalid());
    }
    let user = st
        .pool(&grant.pool_id)
        .and_then(|p| p.users.get(&grant.username))
        .cloned()
        .ok_or_else(invalid)?;
    check(&user)?;
    if !user.enabled {
        return Err(ApiError::not_authorized("User is disabled."));
    }
    let g = Grant {
        scopes: grant.scopes.clone(),
        auth_time: grant.auth_time,
        origin_jti: grant.origin_jti.clone(),
        event_id: grant.event_id.clone(),
        nonce: None,
        device_key: grant.device_key.clone(),
    };
    let mut result = json!({
        "AccessToken": access_token(app, &grant.pool_id, client, &user, &g),
        "ExpiresIn": client.access_token_validity,
        "TokenType": "Bearer",
        "IdToken": id_token(app, &grant.pool_id, client, &user, &g),
    });
    if rotate {
        st.durable.refresh.remove(token);
        result["RefreshToken"] = json!(new_refresh_token(
            &mut st,
            &grant.pool_id,
            client,
            &user,
            &g
        ));
    }
    Ok(json!({ "ChallengeParameters": {}, "AuthenticationResult": result }))
}

/// Finds a user for sign-in; unknown users are `NotAuthorizedException` when
/// the client prevents user-existence errors, else `UserNotFoundException`.
pub fn find_user(st: &Store, pool_id: &str, client: &Client, username: &str) -> ApiResult<User> {
    let pool = st
        .pool(pool_id)
        .ok_or_else(|| ApiError::not_found("User pool does not exist."))?;
    pool.users
        .get(username)
        .or_else(|| pool.users.values().find(|u| u.sub() == username))
        .or_else(|| {
            pool.users.values().find(|u| {
                u.attributes.get("email").map(String::as_str) == Some(username)
                    && u.attributes.get("email_verified").map(String::as_str) == Some("true")
            })
        })
        .cloned()
        .ok_or_else(|| {
            if client.prevent_user_existence_errors {
                ApiError::bad_credentials()
            } else {
                ApiError::user_not_found()
            }
        })
}

/// Errors for users that may not sign in whatever the password.
pub fn check_can_sign_in(user: &User) -> ApiResult<()> {
    if !user.enabled {
        return Err(ApiError::not_authorized("User is disabled."));
    }
    Ok(())
}

/// After the password is proven: status-dependent errors.
fn check_status_after_password(user: &User) -> ApiResult<()> {
    match user.status.as_str() {
        "UNCONFIRMED" => Err(ApiError::new(
            "UserNotConfirmedException",
            "User is not confirmed.",
        )),
        "RESET_REQUIRED" => Err(ApiError::new(
            "PasswordResetRequiredException",
            "Password reset required for the user",
        )),
        _ => Ok(()),
    }
}

/// Checks a password by recomputing the SRP verifier; returns the username.
pub fn check_user_password(
    app: &AppState,
    pool_id: &str,
    client: &Client,
    username: &str,
    password: &str,
) -> ApiResult<String> {
    let (user, realm) = {
        let st = app.lock();
        let user = find_user(&st, pool_id, client, username)?;
        let realm = st
            .pool(pool_id)
            .map(|p| p.srp_realm().to_string())
            .unwrap_or_default();
        (user, realm)
    };
    check_can_sign_in(&user)?;
    let v = user_verifier(&user)?;
    if !srp::check_password(&realm, &user.username, password, &v) {
        return Err(ApiError::bad_credentials());
    }
    check_status_after_password(&user)?;
    Ok(user.username)
}

fn user_verifier(user: &User) -> ApiResult<Verifier> {
    match (hex_decode(&user.salt), hex_decode(&user.verifier)) {
        (Some(salt), Some(verifier)) => Ok(Verifier { salt, verifier }),
        _ => Err(ApiError::internal("The stored verifier is corrupt.")),
    }
}

fn new_session(
    st: &mut Store,
    pool_id: &str,
    client: &Client,
    username: &str,
    device_key: Option<&str>,
    stage: Stage,
) -> String {
    let id = b64(&random_bytes(48));
    st.pending.insert(
        id.clone(),
        Pending {
            pool_id: pool_id.into(),
            client_id: client.id.clone(),
            username: username.into(),
            expires: now() + SESSION_TTL,
            stage,
            device_key: device_key.map(str::to_string),
            attempts: 0,
            mfa_setup_verified: false,
            passwordless: false,
            custom_after_srp: false,
        },
    );
    id
}

fn take_session(st: &mut Store, session: &str, client: &Client, name: &str) -> ApiResult<Pending> {
    let expired = || ApiError::not_authorized("Invalid session for the user, session is expired.");
    let p = st.pending.remove(session).ok_or_else(expired)?;
    if p.expires <= now() {
        return Err(expired());
    }
    if p.client_id != client.id {
        return Err(ApiError::not_authorized("Invalid session for the user."));
    }
    match &p.stage {
        Stage::Named { name: n, .. } if n == name => Ok(p),
        Stage::DeviceSrpAuth if name == "DEVICE_SRP_AUTH" => Ok(p),
        _ => {
            // A wrong challenge name does not burn the session.
            st.pending.insert(session.to_string(), p);
            Err(ApiError::invalid_parameter(format!(
                "Invalid challenge name {name} for this session."
            )))
        }
    }
}

fn start_srp(
    app: &AppState,
    pool_id: &str,
    client: &Client,
    username: &str,
    a_hex: &str,
    device_key: Option<&str>,
) -> ApiResult<Value> {
    let a = srp::parse_a(a_hex)
        .map_err(|_| ApiError::invalid_parameter("SRP_A is not a valid SRP public value."))?;
    let user = find_user(&app.lock(), pool_id, client, username)?;
    check_can_sign_in(&user)?;
    let v = user_verifier(&user)?;
    let eph = srp::server_ephemeral(&v.verifier);
    let big_b = eph.big_b.clone();
    let mut st = app.lock();
    // The SECRET_BLOCK is an opaque random handle, single-use, bound to the
    // client and the user, expiring with the session.
    let block = new_session(
        &mut st,
        pool_id,
        client,
        &user.username,
        device_key,
        Stage::PasswordVerifier { a, eph },
    );
    Ok(json!({
        "ChallengeName": "PASSWORD_VERIFIER",
        "ChallengeParameters": {
            "SALT": hex(&v.salt),
            "SECRET_BLOCK": block,
            "SRP_B": hex(&big_b),
            "USERNAME": user.username,
            "USER_ID_FOR_SRP": user.username,
        },
    }))
}

fn password_verifier(
    app: &AppState,
    pool_id: &str,
    client: &Client,
    r: &Map<String, Value>,
    device: bool,
) -> ApiResult<Value> {
    let username = param(r, "USERNAME")?;
    let block = param(r, "PASSWORD_CLAIM_SECRET_BLOCK")?;
    let signature = param(r, "PASSWORD_CLAIM_SIGNATURE")?;
    let timestamp = param(r, "TIMESTAMP")?;
    check_secret_hash(client, username, opt(r, "SECRET_HASH"))?;
    let pending = {
        let mut st = app.lock();
        st.pending.remove(block)
    }
    .filter(|p| p.expires > now() && p.client_id == client.id)
    .ok_or_else(|| {
        ApiError::not_authorized(
            "Invalid SECRET_BLOCK: it is unknown, used, expired or for another client.",
        )
    })?;
    let (user, realm) = {
        let st = app.lock();
        let pool = st
            .pool(pool_id)
            .ok_or_else(|| ApiError::not_found("User pool does not exist."))?;
        let user = pool
            .users
            .get(&pending.username)
            .cloned()
            .ok_or_else(ApiError::bad_credentials)?;
        (user, pool.srp_realm().to_string())
    };
    if username != user.username && username != user.sub() {
        return Err(ApiError::not_authorized("Incorrect username or password."));
    }
    let ts = srp::parse_timestamp(timestamp).ok_or_else(|| {
        ApiError::invalid_parameter("TIMESTAMP is not of the form 'Tue Mar 3 04:05:06 UTC 2026'.")
    })?;
    if (ts - now()).abs() > TIMESTAMP_SKEW {
        return Err(ApiError::not_authorized(
            "TIMESTAMP is too far from the current time.",
        ));
    }
    let (a, eph, verifier, realm, user_id, device_key) = match (&pending.stage, device) {
        (Stage::PasswordVerifier { a, eph }, false) => (
            a.clone(),
            eph.clone(),
            user_verifier(&user)?.verifier,
            realm,
            user.username.clone(),
            pending.device_key.clone(),
        ),
        (Stage::DevicePasswordVerifier { a, eph }, true) => {
            let key = pending.device_key.clone().unwrap_or_default();
            let d = user.devices.get(&key).ok_or_else(|| {
                ApiError::new("ResourceNotFoundException", "Device does not exist.")
            })?;
            let v = d
                .verifier
                .as_deref()
                .and_then(hex_decode)
                .ok_or_else(|| ApiError::not_authorized("Device is not confirmed."))?;
            (
                a.clone(),
                eph.clone(),
                v,
                d.group_key.clone(),
                key.clone(),
                Some(key),
            )
        }
        _ => {
            return Err(ApiError::invalid_parameter(
                "The SECRET_BLOCK belongs to another challenge.",
            ))
        }
    };
    let key = srp::server_key(&a, &eph, &verifier).map_err(|_| ApiError::bad_credentials())?;
    if !srp::check_claim(&key, &realm, &user_id, block, timestamp, signature) {
        return Err(ApiError::bad_credentials());
    }
    check_can_sign_in(&user)?;
    check_status_after_password(&user)?;
    if device {
        let mut st = app.lock();
        return authentication_result(app, &mut st, pool_id, client, &user.username, device_key);
    }
    let dk = opt(r, "DEVICE_KEY").map(str::to_string).or(device_key);
    if pending.custom_after_srp {
        let mut st = app.lock();
        return custom_challenge(&mut st, pool_id, client, &user.username, dk.as_deref());
    }
    after_first_factor(app, pool_id, client, &user.username, dk.as_deref(), false)
}

/// What follows a proven first factor: a new password, device SRP, MFA, or
/// tokens.
pub fn after_first_factor(
    app: &AppState,
    pool_id: &str,
    client: &Client,
    username: &str,
    device_key: Option<&str>,
    passwordless: bool,
) -> ApiResult<Value> {
    let mut st = app.lock();
    let pool = st
        .pool(pool_id)
        .ok_or_else(|| ApiError::not_found("User pool does not exist."))?
        .clone();
    let user = pool
        .users
        .get(username)
        .cloned()
        .ok_or_else(ApiError::user_not_found)?;
    // A device key Cognito does not know (forgotten, or from another pool):
    // clients drop it and start again (amazon-cognito-identity-js, Amplify).
    if let (Some(dk), true) = (device_key, pool.device_tracking) {
        if !user.devices.contains_key(dk) {
            return Err(ApiError::not_found("Device does not exist."));
        }
    }
    if user.status == "FORCE_CHANGE_PASSWORD" {
        let mut attrs = user.attributes.clone();
        attrs.remove("sub");
        let required: Vec<String> = missing_required(&pool, &user.attributes, None)
            .map(|a| format!("userAttributes.{a}"))
            .collect();
        let session = new_session(
            &mut st,
            pool_id,
            client,
            username,
            device_key,
            Stage::Named {
                name: "NEW_PASSWORD_REQUIRED".into(),
                code: None,
            },
        );
        return Ok(json!({
            "ChallengeName": "NEW_PASSWORD_REQUIRED",
            "Session": session,
            "ChallengeParameters": {
                "USER_ID_FOR_SRP": username,
                "requiredAttributes": serde_json::to_string(&required).unwrap_or_else(|_| "[]".into()),
                "userAttributes": serde_json::to_string(&attrs).unwrap_or_else(|_| "{}".into()),
            },
        }));
    }
    if let Some(dk) = device_key {
        let remembered = user
            .devices
            .get(dk)
            .is_some_and(|d| d.verifier.is_some() && d.status == "remembered");
        if pool.device_tracking && remembered {
            let session = new_session(
                &mut st,
                pool_id,
                client,
                username,
                Some(dk),
                Stage::DeviceSrpAuth,
            );
            return Ok(json!({
                "ChallengeName": "DEVICE_SRP_AUTH",
                "Session": session,
                "ChallengeParameters": { "USERNAME": username },
            }));
        }
    }
    if !passwordless && pool.mfa != "OFF" {
        let methods = user.mfa_methods();
        if methods.is_empty() && pool.mfa == "ON" {
            let session = new_session(
                &mut st,
                pool_id,
                client,
                username,
                device_key,
                Stage::Named {
                    name: "MFA_SETUP".into(),
                    code: None,
                },
            );
            let can = if pool.email_mfa_setup {
                "[\"SOFTWARE_TOKEN_MFA\",\"EMAIL_OTP\"]"
            } else {
                "[\"SOFTWARE_TOKEN_MFA\"]"
            };
            return Ok(json!({
                "ChallengeName": "MFA_SETUP",
                "Session": session,
                "ChallengeParameters": { "MFAS_CAN_SETUP": can },
            }));
        }
        let chosen = match &user.preferred_mfa {
            Some(p) if methods.contains(&p.as_str()) => Some(p.clone()),
            _ if methods.len() == 1 => Some(methods[0].to_string()),
            _ => None,
        };
        if let Some(m) = chosen {
            return Ok(mfa_challenge(
                &mut st, pool_id, client, &user, device_key, &m, false,
            ));
        }
        if methods.len() > 1 {
            let session = new_session(
                &mut st,
                pool_id,
                client,
                username,
                device_key,
                Stage::Named {
                    name: "SELECT_MFA_TYPE".into(),
                    code: None,
                },
            );
            return Ok(json!({
                "ChallengeName": "SELECT_MFA_TYPE",
                "Session": session,
                "ChallengeParameters": { "MFAS_CAN_CHOOSE": serde_json::to_string(&methods).unwrap_or_default() },
            }));
        }
    }
    authentication_result(
        app,
        &mut st,
        pool_id,
        client,
        username,
        device_key.map(str::to_string),
    )
}

/// The pool's required attributes that neither the user has nor a
/// `NEW_PASSWORD_REQUIRED` answer (`userAttributes.<name>`) gives.
fn missing_required<'a>(
    pool: &'a crate::model::Pool,
    attributes: &'a std::collections::BTreeMap<String, String>,
    answer: Option<&'a Map<String, Value>>,
) -> impl Iterator<Item = &'a String> + 'a {
    pool.required_attributes.iter().filter(move |a| {
        !attributes.contains_key(a.as_str())
            && !answer.is_some_and(|r| r.contains_key(&format!("userAttributes.{a}")))
    })
}

/// Issues an MFA (or one-time-code) challenge, sending the code if needed.
fn mfa_challenge(
    st: &mut Store,
    pool_id: &str,
    client: &Client,
    user: &User,
    device_key: Option<&str>,
    method: &str,
    passwordless: bool,
) -> Value {
    let (code, params) = match method {
        "SMS_MFA" | "SMS_OTP" | "EMAIL_OTP" => {
            let sms = method != "EMAIL_OTP";
            let dest = user
                .attributes
                .get(if sms { "phone_number" } else { "email" })
                .cloned()
                .unwrap_or_default();
            let code = random_code(if sms { 6 } else { 8 });
            st.send(OutboxMessage {
                time: now(),
                pool_id: pool_id.into(),
                username: user.username.clone(),
                medium: if sms { "SMS" } else { "EMAIL" }.into(),
                destination: dest.clone(),
                purpose: method.into(),
                code: code.clone(),
            });
            (
                Some(code),
                json!({
                    "CODE_DELIVERY_DELIVERY_MEDIUM": if sms { "SMS" } else { "EMAIL" },
                    "CODE_DELIVERY_DESTINATION": mask_destination(&dest),
                }),
            )
        }
        _ => (None, json!({})),
    };
    let session = new_session(
        st,
        pool_id,
        client,
        &user.username,
        device_key,
        Stage::Named {
            name: method.into(),
            code,
        },
    );
    if let Some(p) = st.pending.get_mut(&session) {
        p.passwordless = passwordless;
    }
    json!({ "ChallengeName": method, "Session": session, "ChallengeParameters": params })
}

fn custom_challenge(
    st: &mut Store,
    pool_id: &str,
    client: &Client,
    username: &str,
    device_key: Option<&str>,
) -> ApiResult<Value> {
    let script = st
        .pool(pool_id)
        .and_then(|p| p.custom_challenge.clone())
        .ok_or_else(|| {
            ApiError::new(
                "InvalidLambdaResponseException",
                "No custom challenge is configured for this pool.",
            )
        })?;
    let user = st
        .pool(pool_id)
        .and_then(|p| p.users.get(username))
        .cloned()
        .ok_or_else(ApiError::user_not_found)?;
    let expected = if script.answer == "$code" {
        let code = random_code(6);
        st.send(OutboxMessage {
            time: now(),
            pool_id: pool_id.into(),
            username: username.into(),
            medium: "EMAIL".into(),
            destination: user.attributes.get("email").cloned().unwrap_or_default(),
            purpose: "CUSTOM_CHALLENGE".into(),
            code: code.clone(),
        });
        code
    } else {
        script.answer.clone()
    };
    let session = new_session(
        st,
        pool_id,
        client,
        username,
        device_key,
        Stage::Named {
            name: "CUSTOM_CHALLENGE".into(),
            code: Some(expected),
        },
    );
    Ok(json!({
        "ChallengeName": "CUSTOM_CHALLENGE",
        "Session": session,
        "ChallengeParameters": { "USERNAME": username, "question": script.question },
    }))
}

fn available_first_factors(st: &Store, pool_id: &str, user: &User) -> Vec<&'static str> {
    let mut v = vec!["PASSWORD", "PASSWORD_SRP"];
    // "Passkey sign-in": offered once the user has registered a passkey and
    // the pool allows WEB_AUTHN as a first factor.
    let webauthn_on = st.pool(pool_id).is_some_and(|p| p.webauthn.enabled);
    if webauthn_on && !user.webauthn_credentials.is_empty() {
        v.push("WEB_AUTHN");
    }
    if user.attributes.contains_key("email") {
        v.push("EMAIL_OTP");
    }
    if user.attributes.contains_key("phone_number") {
        v.push("SMS_OTP");
    }
    v
}

#[allow(clippy::too_many_arguments)]
fn choose_first_factor(
    app: &AppState,
    pool_id: &str,
    client: &Client,
    user: &User,
    choice: &str,
    p: &Map<String, Value>,
    device_key: Option<&str>,
    origin: Option<&str>,
) -> ApiResult<Value> {
    check_can_sign_in(user)?;
    if choice == "WEB_AUTHN" {
        let enabled = app.lock().pool(pool_id).is_some_and(|p| p.webauthn.enabled);
        if !enabled {
            return Err(crate::webauthn::not_enabled());
        }
    }
    let available = available_first_factors(&app.lock(), pool_id, user);
    if !available.contains(&choice) {
        return Err(ApiError::invalid_parameter(format!(
            "The challenge {choice} is not available for this user."
        )));
    }
    match choice {
        "PASSWORD" => {
            let password = param(p, "PASSWORD")?;
            let username = check_user_password(app, pool_id, client, &user.username, password)?;
            after_first_factor(app, pool_id, client, &username, device_key, false)
        }
        "PASSWORD_SRP" => start_srp(
            app,
            pool_id,
            client,
            &user.username,
            param(p, "SRP_A")?,
            device_key,
        ),
        "WEB_AUTHN" => {
            let mut st = app.lock();
            let (stage, params) =
                super::webauthn::sign_in_challenge(&mut st, pool_id, client, user, origin)?;
            let session = new_session(&mut st, pool_id, client, &user.username, device_key, stage);
            Ok(json!({
                "ChallengeName": "WEB_AUTHN",
                "Session": session,
                "ChallengeParameters": params,
            }))
        }
        _ => {
            let mut st = app.lock();
            Ok(mfa_challenge(
                &mut st, pool_id, client, user, device_key, choice, true,
            ))
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn named_challenge(
    app: &AppState,
    pool_id: &str,
    client: &Client,
    user: &User,
    session: &str,
    pending: Pending,
    name: &str,
    r: &Map<String, Value>,
    device_key: Option<String>,
    origin: Option<&str>,
) -> ApiResult<Value> {
    let dk = device_key.as_deref();
    let expected_code = match &pending.stage {
        Stage::Named { code, .. } => code.clone(),
        _ => None,
    };
    match name {
        "NEW_PASSWORD_REQUIRED" => {
            let new_pw = param(r, "NEW_PASSWORD")?;
            super::check_password_policy(new_pw)?;
            let mut st = app.lock();
            let missing = st.pool(pool_id).and_then(|p| {
                missing_required(p, &user.attributes, Some(r))
                    .next()
                    .cloned()
            });
            if let Some(a) = missing {
                // Cognito keeps the session: the same step can be answered again.
                st.pending.insert(session.to_string(), pending);
                return Err(ApiError::invalid_parameter(format!(
                    "Invalid attributes given, {a} is missing"
                )));
            }
            let realm = st
                .pool(pool_id)
                .map(|p| p.srp_realm().to_string())
                .unwrap_or_default();
            let v = srp::new_verifier(&realm, &user.username, new_pw);
            let u = st
                .user_mut(pool_id, &user.username)
                .ok_or_else(ApiError::user_not_found)?;
            for (k, val) in r {
                if let (Some(attr), Some(val)) = (k.strip_prefix("userAttributes."), val.as_str()) {
                    super::check_writable(attr)?;
                    u.attributes.insert(attr.to_string(), val.to_string());
                }
            }
            u.salt = hex(&v.salt);
            u.verifier = hex(&v.verifier);
            u.status = "CONFIRMED".into();
            u.modified = crate::util::now_f64();
            drop(st);
            after_first_factor(app, pool_id, client, &user.username, dk, false)
        }
        "SMS_MFA" | "EMAIL_OTP" | "SMS_OTP" | "SOFTWARE_TOKEN_MFA" | "CUSTOM_CHALLENGE" => {
            let key = match name {
                "SMS_MFA" => "SMS_MFA_CODE",
                "EMAIL_OTP" => "EMAIL_OTP_CODE",
                "SMS_OTP" => "SMS_OTP_CODE",
                "SOFTWARE_TOKEN_MFA" => "SOFTWARE_TOKEN_MFA_CODE",
                _ => "ANSWER",
            };
            let answer = param(r, key)?;
            let ok = if name == "SOFTWARE_TOKEN_MFA" {
                user.totp_secret
                    .as_deref()
                    .is_some_and(|s| crate::totp::verify(s, answer, now()))
            } else {
                expected_code.as_deref().is_some_and(|c| ct_eq(c, answer))
            };
            if !ok {
                // A wrong answer keeps the session for another try, up to three.
                if pending.attempts + 1 < 3 {
                    let mut p = pending;
                    p.attempts += 1;
                    app.lock().pending.insert(session.to_string(), p);
                }
                return Err(if name == "CUSTOM_CHALLENGE" {
                    ApiError::not_authorized("Incorrect answer.")
                } else {
                    ApiError::code_mismatch()
                });
            }
            let mut st = app.lock();
            authentication_result(app, &mut st, pool_id, client, &user.username, device_key)
        }
        "SELECT_MFA_TYPE" => {
            let answer = param(r, "ANSWER")?;
            if !user.mfa_methods().contains(&answer) {
                return Err(ApiError::invalid_parameter(format!(
                    "{answer} is not an MFA type enabled for the user."
                )));
            }
            let mut st = app.lock();
            Ok(mfa_challenge(
                &mut st, pool_id, client, user, dk, answer, false,
            ))
        }
        "MFA_SETUP" if r.contains_key("EMAIL") => {
            // E-mail MFA set up at sign-in: the address is stored (verified
            // by the code that follows) and e-mail MFA enabled; the answer is
            // an EMAIL_OTP challenge.
            let email = param(r, "EMAIL")?.to_string();
            let mut st = app.lock();
            if !st.pool(pool_id).is_some_and(|p| p.email_mfa_setup) {
                return Err(ApiError::invalid_parameter(
                    "MFA_SETUP: EMAIL_OTP is not among MFAS_CAN_SETUP.",
                ));
            }
            let Some(u) = st
                .pool_mut(pool_id)
                .and_then(|p| p.users.get_mut(&user.username))
            else {
                return Err(ApiError::not_found("User does not exist."));
            };
            u.attributes.insert("email".into(), email);
            u.attributes.insert("email_verified".into(), "true".into());
            u.email_mfa_enabled = true;
            let user = u.clone();
            Ok(mfa_challenge(
                &mut st,
                pool_id,
                client,
                &user,
                dk,
                "EMAIL_OTP",
                false,
            ))
        }
        "MFA_SETUP" => {
            if !pending.mfa_setup_verified {
                return Err(ApiError::invalid_parameter("MFA_SETUP: call AssociateSoftwareToken and VerifySoftwareToken with the session first."));
            }
            let mut st = app.lock();
            authentication_result(app, &mut st, pool_id, client, &user.username, device_key)
        }
        "SELECT_CHALLENGE" => {
            let answer = param(r, "ANSWER")?;
            choose_first_factor(app, pool_id, client, user, answer, r, dk, origin)
        }
        "WEB_AUTHN" => {
            let answer = param(r, "CREDENTIAL")?;
            super::webauthn::answer_sign_in(app, pool_id, user, expected_code.as_deref(), answer)?;
            // A passkey is a complete sign-in ("Passkey sign-in"): no MFA after it.
            let mut st = app.lock();
            authentication_result(app, &mut st, pool_id, client, &user.username, device_key)
        }
        "DEVICE_SRP_AUTH" => {
            let a = srp::parse_a(param(r, "SRP_A")?).map_err(|_| {
                ApiError::invalid_parameter("SRP_A is not a valid SRP public value.")
            })?;
            let dkey = param(r, "DEVICE_KEY")?.to_string();
            let d = user
                .devices
                .get(&dkey)
                .cloned()
                .ok_or_else(|| ApiError::not_found("Device does not exist."))?;
            let (salt, v) = match (
                d.salt.as_deref().and_then(hex_decode),
                d.verifier.as_deref().and_then(hex_decode),
            ) {
                (Some(s), Some(v)) => (s, v),
                _ => return Err(ApiError::not_authorized("Device is not confirmed.")),
            };
            let eph = srp::server_ephemeral(&v);
            let big_b = eph.big_b.clone();
            let mut st = app.lock();
            let block = new_session(
                &mut st,
                pool_id,
                client,
                &user.username,
                Some(&dkey),
                Stage::DevicePasswordVerifier { a, eph },
            );
            Ok(json!({
                "ChallengeName": "DEVICE_PASSWORD_VERIFIER",
                "Session": block,
                "ChallengeParameters": {
                    "SALT": hex(&salt),
                    "SECRET_BLOCK": block,
                    "SRP_B": hex(&big_b),
                    "USERNAME": user.username,
                    "DEVICE_KEY": dkey,
                },
            }))
        }
        other => Err(ApiError::invalid_parameter(format!(
            "Unsupported challenge {other}."
        ))),
    }
}

/// Marks an `MFA_SETUP` session as having a verified software token.
pub fn mark_mfa_setup_verified(st: &mut Store, session: &str) -> bool {
    match st.pending.get_mut(session) {
        Some(p) if matches!(&p.stage, Stage::Named { name, .. } if name == "MFA_SETUP") => {
            p.mfa_setup_verified = true;
            true
        }
        _ => false,
    }
}

/// An opaque token usable as a fresh `Session` after MFA association.
pub fn fresh_session_id() -> String {
    random_token()
}
