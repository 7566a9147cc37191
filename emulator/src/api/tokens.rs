//! Minting Cognito-shaped ID, access and refresh tokens ("Understanding user
//! pool JSON web tokens" in the Cognito Developer Guide) and authenticating
//! requests that carry an access token.

use serde_json::{json, Map, Value};

use crate::error::{ApiError, ApiResult};
use crate::jwt::TokenError;
use crate::model::{Client, RefreshGrant, User};
use crate::store::{AppState, Store};
use crate::util::{now, random_token};

/// The scope of tokens issued through the JSON API.
pub const ADMIN_SCOPE: &str = "aws.cognito.signin.user.admin";

/// What one authentication event grants.
pub struct Grant {
    /// Scopes.
    pub scopes: Vec<String>,
    /// `auth_time`.
    pub auth_time: i64,
    /// `origin_jti`.
    pub origin_jti: String,
    /// `event_id`.
    pub event_id: String,
    /// OIDC nonce (hosted UI).
    pub nonce: Option<String>,
    /// Device key.
    pub device_key: Option<String>,
}

impl Grant {
    /// A fresh authentication event now.
    pub fn fresh(scopes: Vec<String>, nonce: Option<String>, device_key: Option<String>) -> Grant {
        Grant {
            scopes,
            auth_time: now(),
            origin_jti: uuid::Uuid::new_v4().to_string(),
            event_id: uuid::Uuid::new_v4().to_string(),
            nonce,
            device_key,
        }
    }
}

/// The access token.
pub fn access_token(
    app: &AppState,
    pool_id: &str,
    client: &Client,
    user: &User,
    g: &Grant,
) -> String {
    let iat = now();
    let mut c = Map::new();
    c.insert("sub".into(), json!(user.sub()));
    if !user.groups.is_empty() {
        c.insert("cognito:groups".into(), json!(user.groups));
    }
    if let Some(d) = &g.device_key {
        c.insert("device_key".into(), json!(d));
    }
    c.insert("iss".into(), json!(app.issuer(pool_id)));
    c.insert("client_id".into(), json!(client.id));
    c.insert("origin_jti".into(), json!(g.origin_jti));
    c.insert("event_id".into(), json!(g.event_id));
    c.insert("token_use".into(), json!("access"));
    c.insert("scope".into(), json!(g.scopes.join(" ")));
    c.insert("auth_time".into(), json!(g.auth_time));
    c.insert("exp".into(), json!(iat + client.access_token_validity));
    c.insert("iat".into(), json!(iat));
    c.insert("jti".into(), json!(uuid::Uuid::new_v4().to_string()));
    c.insert("username".into(), json!(user.username));
    app.keys.sign(&Value::Object(c))
}

/// The ID token.
pub fn id_token(app: &AppState, pool_id: &str, client: &Client, user: &User, g: &Grant) -> String {
    let iat = now();
    let mut c = Map::new();
    for (k, v) in &user.attributes {
        let val = match k.as_str() {
            "email_verified" | "phone_number_verified" => json!(v == "true"),
            _ => json!(v),
        };
        c.insert(k.clone(), val);
    }
    if !user.groups.is_empty() {
        c.insert("cognito:groups".into(), json!(user.groups));
    }
    c.insert("iss".into(), json!(app.issuer(pool_id)));
    c.insert("cognito:username".into(), json!(user.username));
    if let Some(n) = &g.nonce {
        c.insert("nonce".into(), json!(n));
    }
    c.insert("origin_jti".into(), json!(g.origin_jti));
    c.insert("aud".into(), json!(client.id));
    c.insert("event_id".into(), json!(g.event_id));
    c.insert("token_use".into(), json!("id"));
    c.insert("auth_time".into(), json!(g.auth_time));
    c.insert("exp".into(), json!(iat + client.id_token_validity));
    c.insert("iat".into(), json!(iat));
    c.insert("jti".into(), json!(uuid::Uuid::new_v4().to_string()));
    app.keys.sign(&Value::Object(c))
}

/// Registers a new refresh token for the grant.
pub fn new_refresh_token(
    st: &mut Store,
    pool_id: &str,
    client: &Client,
    user: &User,
    g: &Grant,
) -> String {
    let token = random_token();
    st.durable.refresh.insert(
        token.clone(),
        RefreshGrant {
            pool_id: pool_id.into(),
            client_id: client.id.clone(),
            username: user.username.clone(),
            origin_jti: g.origin_jti.clone(),
            event_id: g.event_id.clone(),
            auth_time: g.auth_time,
            scopes: g.scopes.clone(),
            device_key: g.device_key.clone(),
            expires: now() + client.refresh_token_validity,
        },
    );
    token
}

/// `AuthenticationResult` for a fresh sign-in via the JSON API.
pub fn authentication_result(
    app: &AppState,
    st: &mut Store,
    pool_id: &str,
    client: &Client,
    username: &str,
    device_key: Option<String>,
) -> ApiResult<Value> {
    let pool = st
        .pool(pool_id)
        .ok_or_else(|| ApiError::not_found("User pool does not exist."))?;
    let device_tracking = pool.device_tracking;
    let user = pool
        .users
        .get(username)
        .cloned()
        .ok_or_else(ApiError::user_not_found)?;
    let known_device = device_key
        .as_ref()
        .filter(|k| user.devices.contains_key(k.as_str()))
        .cloned();
    let g = Grant::fresh(vec![ADMIN_SCOPE.into()], None, known_device.clone());
    let mut result = json!({
        "AccessToken": access_token(app, pool_id, client, &user, &g),
        "ExpiresIn": client.access_token_validity,
        "TokenType": "Bearer",
        "RefreshToken": new_refresh_token(st, pool_id, client, &user, &g),
        "IdToken": id_token(app, pool_id, client, &user, &g),
    });
    if let Some(k) = &known_device {
        if let Some(d) = st
            .user_mut(pool_id, username)
            .and_then(|u| u.devices.get_mut(k))
        {
            d.last_auth = crate::util::now_f64();
        }
    } else if device_tracking {
        let d = crate::api::devices::new_device(pool_id);
        result["NewDeviceMetadata"] = json!({ "DeviceKey": d.key, "DeviceGroupKey": d.group_key });
        if let Some(u) = st.user_mut(pool_id, username) {
            u.devices.insert(d.key.clone(), d);
        }
    }
    Ok(json!({ "ChallengeParameters": {}, "AuthenticationResult": result }))
}

/// The user an access token belongs to: `(pool id, username, claims)`.
pub fn user_from_access_token(
    app: &AppState,
    st: &Store,
    token: &str,
) -> ApiResult<(String, String, Value)> {
    let claims = app.keys.verify(token).map_err(|e| match e {
        TokenError::Expired => ApiError::not_authorized("Access Token has expired"),
        _ => ApiError::not_authorized("Invalid Access Token"),
    })?;
    if claims["token_use"] != "access" {
        return Err(ApiError::not_authorized("Invalid Access Token"));
    }
    let origin = claims["origin_jti"].as_str().unwrap_or("");
    if st.durable.is_revoked(origin) {
        return Err(ApiError::not_authorized("Access Token has been revoked"));
    }
    let iss = claims["iss"].as_str().unwrap_or("");
    let pool_id = iss.rsplit('/').next().unwrap_or("").to_string();
    let username = claims["username"].as_str().unwrap_or("").to_string();
    let user = st
        .pool(&pool_id)
        .and_then(|p| p.users.get(&username))
        .ok_or_else(ApiError::user_not_found)?;
    if claims["iat"].as_i64().unwrap_or(0) < user.tokens_valid_after {
        return Err(ApiError::not_authorized("Access Token has been revoked"));
    }
    if !user.enabled {
        return Err(ApiError::not_authorized("User is disabled."));
    }
    let scopes = claims["scope"].as_str().unwrap_or("");
    if !scopes.split(' ').any(|s| s == ADMIN_SCOPE) {
        return Err(ApiError::not_authorized(
            "Access Token does not have required scopes",
        ));
    }
    Ok((pool_id, username, claims))
}
