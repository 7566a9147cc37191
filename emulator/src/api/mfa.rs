//! `AssociateSoftwareToken`, `VerifySoftwareToken` (RFC 6238 TOTP) and
//! `SetUserMFAPreference` ("Adding MFA to a user pool" in the Cognito
//! Developer Guide). During `MFA_SETUP` they take the challenge `Session`
//! instead of an access token.

use serde_json::{json, Value};

use super::auth::mark_mfa_setup_verified;
use super::tokens::user_from_access_token;
use super::Req;
use crate::error::{ApiError, ApiResult};
use crate::store::{AppState, Stage, Store};
use crate::util::now;

/// The user addressed by an access token or an `MFA_SETUP` session.
fn subject(app: &AppState, st: &Store, req: &Value) -> ApiResult<(String, String)> {
    if let Some(t) = req.s("AccessToken").filter(|t| !t.is_empty()) {
        let (p, u, _) = user_from_access_token(app, st, t)?;
        return Ok((p, u));
    }
    let session = req
        .s("Session")
        .filter(|s| !s.is_empty())
        .ok_or_else(|| ApiError::invalid_parameter("AccessToken or Session is required."))?;
    match st.pending.get(session) {
        Some(p)
            if p.expires > now()
                && matches!(&p.stage, Stage::Named { name, .. } if name == "MFA_SETUP") =>
        {
            Ok((p.pool_id.clone(), p.username.clone()))
        }
        _ => Err(ApiError::not_authorized(
            "Invalid session for the user, session is expired.",
        )),
    }
}

/// `AssociateSoftwareToken`.
pub fn associate_software_token(app: &AppState, req: &Value) -> ApiResult<Value> {
    let mut st = app.lock();
    let (pool_id, username) = subject(app, &st, req)?;
    let secret = crate::totp::new_secret();
    let u = st
        .user_mut(&pool_id, &username)
        .ok_or_else(ApiError::user_not_found)?;
    u.totp_pending = Some(secret.clone());
    let mut out = json!({ "SecretCode": secret });
    if let Some(s) = req.s("Session") {
        out["Session"] = json!(s);
    }
    Ok(out)
}

/// `VerifySoftwareToken`.
pub fn verify_software_token(app: &AppState, req: &Value) -> ApiResult<Value> {
    let code = req.need("UserCode")?;
    let mut st = app.lock();
    let (pool_id, username) = subject(app, &st, req)?;
    let u = st
        .user_mut(&pool_id, &username)
        .ok_or_else(ApiError::user_not_found)?;
    let Some(secret) = u.totp_pending.clone() else {
        return Err(ApiError::new(
            "SoftwareTokenMFANotFoundException",
            "Call AssociateSoftwareToken first.",
        ));
    };
    if !crate::totp::verify(&secret, code, now()) {
        return Err(ApiError::new(
            "EnableSoftwareTokenMFAException",
            "Code mismatch",
        ));
    }
    u.totp_secret = Some(secret);
    u.totp_pending = None;
    u.totp_enabled = true;
    let mut out = json!({ "Status": "SUCCESS" });
    if let Some(s) = req.s("Session").filter(|s| !s.is_empty()) {
        mark_mfa_setup_verified(&mut st, s);
        out["Session"] = json!(s);
    }
    Ok(out)
}

/// `SetUserMFAPreference`.
pub fn set_user_mfa_preference(app: &AppState, req: &Value) -> ApiResult<Value> {
    let token = req.need("AccessToken")?;
    let mut st = app.lock();
    let (pool_id, username, _) = user_from_access_token(app, &st, token)?;
    let u = st
        .user_mut(&pool_id, &username)
        .ok_or_else(ApiError::user_not_found)?;
    for (key, method) in [
        ("SMSMfaSettings", "SMS_MFA"),
        ("SoftwareTokenMfaSettings", "SOFTWARE_TOKEN_MFA"),
        ("EmailMfaSettings", "EMAIL_OTP"),
    ] {
        let Some(s) = req.get(key) else { continue };
        let enabled = s.get("Enabled").and_then(Value::as_bool);
        let preferred = s
            .get("PreferredMfa")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if let Some(e) = enabled {
            match method {
                "SMS_MFA" => {
                    if e && !u.attributes.contains_key("phone_number") {
                        return Err(ApiError::invalid_parameter(
                            "User does not have a phone number.",
                        ));
                    }
                    u.sms_mfa_enabled = e
                }
                "SOFTWARE_TOKEN_MFA" => {
                    if e && u.totp_secret.is_none() {
                        return Err(ApiError::invalid_parameter(
                            "User has not verified software token mfa",
                        ));
                    }
                    u.totp_enabled = e
                }
                _ => u.email_mfa_enabled = e,
            }
        }
        if preferred {
            u.preferred_mfa = Some(method.into());
        } else if u.preferred_mfa.as_deref() == Some(method) && enabled == Some(false) {
            u.preferred_mfa = None;
        }
    }
    Ok(json!({}))
}
