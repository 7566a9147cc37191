//! The passkey operations of the Amazon Cognito user pools API reference
//! (`StartWebAuthnRegistration`, `CompleteWebAuthnRegistration`,
//! `ListWebAuthnCredentials`, `DeleteWebAuthnCredential`) and the
//! `WEB_AUTHN` sign-in challenge of `USER_AUTH` ("Passkey sign-in" in the
//! Developer Guide). Verification itself is in [`crate::webauthn`].

use serde_json::{json, Value};

use super::tokens::user_from_access_token;
use super::Req;
use crate::error::{ApiError, ApiResult};
use crate::model::{Client, User};
use crate::store::{AppState, Stage, Store};
use crate::util::{b64url, now, random_bytes};
use crate::webauthn::{self as wa, Ceremony, CeremonyKind, CHALLENGE_TTL};

/// Largest `MaxResults` of `ListWebAuthnCredentials`.
pub const MAX_RESULTS: usize = 20;

/// The WebAuthn user handle of a user: its `sub` (never the username, which
/// may be an e-mail address; §14.6.1 "User Handle Contents").
fn user_handle(user: &User) -> String {
    b64url(user.sub().as_bytes())
}

fn descriptors(user: &User, rp_id: &str) -> Vec<Value> {
    user.webauthn_credentials
        .iter()
        .filter(|c| c.relying_party_id == rp_id)
        .map(|c| json!({"type": "public-key", "id": c.credential_id, "transports": c.transports}))
        .collect()
}

fn issue(
    st: &mut Store,
    kind: CeremonyKind,
    pool_id: &str,
    client_id: &str,
    user: &User,
    rp_id: &str,
) -> String {
    let challenge = b64url(&random_bytes(32));
    st.webauthn.insert(
        challenge.clone(),
        Ceremony {
            kind,
            pool_id: pool_id.into(),
            client_id: client_id.into(),
            username: user.username.clone(),
            rp_id: rp_id.into(),
            expires: now() + CHALLENGE_TTL,
        },
    );
    challenge
}

/// Takes an issued challenge for `username` (single use: removed whether or
/// not what follows succeeds); unknown, expired or foreign challenges are
/// `WebAuthnChallengeNotFoundException`.
fn take(
    st: &mut Store,
    challenge: &str,
    kind: CeremonyKind,
    pool_id: &str,
    username: &str,
) -> ApiResult<Ceremony> {
    let c = st
        .webauthn
        .remove(challenge)
        .ok_or_else(wa::challenge_not_found)?;
    if !wa::live(&c) || c.kind != kind || c.pool_id != pool_id || c.username != username {
        return Err(wa::challenge_not_found());
    }
    Ok(c)
}

/// `StartWebAuthnRegistration`: `CredentialCreationOptions`, the
/// `PublicKeyCredentialCreationOptionsJSON` of WebAuthn §5.4 for
/// `navigator.credentials.create`.
pub fn start_registration(app: &AppState, req: &Value, origin: Option<&str>) -> ApiResult<Value> {
    let token = req.need("AccessToken")?;
    let mut st = app.lock();
    let (pool_id, username, claims) = user_from_access_token(app, &st, token)?;
    let client_id = claims["client_id"].as_str().unwrap_or("").to_string();
    let pool = st
        .pool(&pool_id)
        .ok_or_else(|| ApiError::not_found("User pool does not exist."))?;
    let config = pool.webauthn.clone();
    let pool_name = pool.name.clone();
    let rp_id = config.rp_id(origin)?;
    let user = pool
        .users
        .get(&username)
        .cloned()
        .ok_or_else(ApiError::user_not_found)?;
    let challenge = issue(
        &mut st,
        CeremonyKind::Register,
        &pool_id,
        &client_id,
        &user,
        &rp_id,
    );
    let display = user
        .attributes
        .get("email")
        .cloned()
        .unwrap_or_else(|| user.username.clone());
    Ok(json!({ "CredentialCreationOptions": {
        "challenge": challenge,
        "rp": { "id": rp_id, "name": pool_name },
        "user": { "id": user_handle(&user), "name": user.username, "displayName": display },
        "pubKeyCredParams": [{ "type": "public-key", "alg": wa::ES256 }],
        "timeout": CHALLENGE_TTL * 1000,
        "excludeCredentials": descriptors(&user, &rp_id),
        "authenticatorSelection": {
            "residentKey": "required",
            "requireResidentKey": true,
            "userVerification": config.user_verification,
        },
        "attestation": "none",
    }}))
}

/// `CompleteWebAuthnRegistration`: verifies the `Credential`
/// (`RegistrationResponseJSON`) and stores the passkey.
pub fn complete_registration(app: &AppState, req: &Value) -> ApiResult<Value> {
    let token = req.need("AccessToken")?;
    let credential = match req.get("Credential") {
        Some(Value::String(s)) => serde_json::from_str(s)
            .map_err(|_| ApiError::invalid_parameter("Credential is not JSON."))?,
        Some(v @ Value::Object(_)) => v.clone(),
        _ => return Err(ApiError::missing("credential")),
    };
    let challenge = wa::challenge_of(&credential, "webauthn.create")?;
    let mut st = app.lock();
    let (pool_id, username, claims) = user_from_access_token(app, &st, token)?;
    let config = st
        .pool(&pool_id)
        .map(|p| p.webauthn.clone())
        .unwrap_or_default();
    if !config.enabled {
        return Err(wa::not_enabled());
    }
    let ceremony = take(
        &mut st,
        &challenge,
        CeremonyKind::Register,
        &pool_id,
        &username,
    )?;
    if claims["client_id"].as_str() != Some(ceremony.client_id.as_str()) {
        return Err(ApiError::new(
            "WebAuthnClientMismatchException",
            "The registration was started by another app client.",
        ));
    }
    let new = wa::verify_registration(&credential, &ceremony, &challenge, config.uv_required())?;
    let taken = st.pool(&pool_id).is_some_and(|p| {
        p.users.values().any(|u| {
            u.webauthn_credentials
                .iter()
                .any(|c| c.credential_id == new.credential_id)
        })
    });
    if taken {
        return Err(ApiError::invalid_parameter(
            "This passkey is already registered.",
        ));
    }
    let user = st
        .user_mut(&pool_id, &username)
        .ok_or_else(ApiError::user_not_found)?;
    user.webauthn_credentials.push(new);
    Ok(json!({}))
}

/// `ListWebAuthnCredentials`: `Credentials` (`WebAuthnCredentialDescription`),
/// `MaxResults` at a time, with an opaque `NextToken`.
pub fn list_credentials(app: &AppState, req: &Value) -> ApiResult<Value> {
    let token = req.need("AccessToken")?;
    let max = match req.get("MaxResults") {
        None | Some(Value::Null) => MAX_RESULTS,
        Some(v) => match v.as_u64() {
            Some(n @ 1..=20) => n as usize,
            _ => {
                return Err(ApiError::invalid_parameter(
                    "MaxResults must be between 1 and 20.",
                ))
            }
        },
    };
    let start = match req.s("NextToken") {
        None => 0,
        Some(t) => wa::b64url_any(t)
            .and_then(|b| String::from_utf8(b).ok())
            .and_then(|s| s.strip_prefix("at:").and_then(|n| n.parse::<usize>().ok()))
            .ok_or_else(|| ApiError::invalid_parameter("NextToken is not valid."))?,
    };
    let st = app.lock();
    let (pool_id, username, _) = user_from_access_token(app, &st, token)?;
    let user = st
        .pool(&pool_id)
        .and_then(|p| p.users.get(&username))
        .ok_or_else(ApiError::user_not_found)?;
    let all = &user.webauthn_credentials;
    let page: Vec<Value> = all
        .iter()
        .skip(start)
        .take(max)
        .map(|c| {
            let mut d = json!({
                "CredentialId": c.credential_id,
                "FriendlyCredentialName": c.friendly_name,
                "RelyingPartyId": c.relying_party_id,
                "AuthenticatorTransports": c.transports,
                "CreatedAt": c.created,
            });
            if let Some(a) = &c.attachment {
                d["AuthenticatorAttachment"] = json!(a);
            }
            d
        })
        .collect();
    let mut out = json!({ "Credentials": page });
    if start + max < all.len() {
        out["NextToken"] = json!(b64url(format!("at:{}", start + max).as_bytes()));
    }
    Ok(out)
}

/// `DeleteWebAuthnCredential`.
pub fn delete_credential(app: &AppState, req: &Value) -> ApiResult<Value> {
    let token = req.need("AccessToken")?;
    let id = req.need("CredentialId")?;
    let mut st = app.lock();
    let (pool_id, username, _) = user_from_access_token(app, &st, token)?;
    let user = st
        .user_mut(&pool_id, &username)
        .ok_or_else(ApiError::user_not_found)?;
    let before = user.webauthn_credentials.len();
    user.webauthn_credentials.retain(|c| c.credential_id != id);
    if user.webauthn_credentials.len() == before {
        return Err(ApiError::not_found("The credential does not exist."));
    }
    Ok(json!({}))
}

/// The `WEB_AUTHN` challenge: the session stage (its code is the issued
/// challenge) and `ChallengeParameters` with `CREDENTIAL_REQUEST_OPTIONS`,
/// a `PublicKeyCredentialRequestOptionsJSON` (§5.5) as a JSON string.
pub fn sign_in_challenge(
    st: &mut Store,
    pool_id: &str,
    client: &Client,
    user: &User,
    origin: Option<&str>,
) -> ApiResult<(Stage, Value)> {
    let config = st
        .pool(pool_id)
        .map(|p| p.webauthn.clone())
        .unwrap_or_default();
    let rp_id = config.rp_id(origin)?;
    let challenge = issue(
        st,
        CeremonyKind::Authenticate,
        pool_id,
        &client.id,
        user,
        &rp_id,
    );
    let options = json!({
        "challenge": challenge,
        "timeout": CHALLENGE_TTL * 1000,
        "rpId": rp_id,
        "allowCredentials": descriptors(user, &rp_id),
        "userVerification": config.user_verification,
    });
    Ok((
        Stage::Named {
            name: "WEB_AUTHN".into(),
            code: Some(challenge),
        },
        json!({ "USERNAME": user.username, "CREDENTIAL_REQUEST_OPTIONS": options.to_string() }),
    ))
}

/// Verifies the `CREDENTIAL` answer (`AuthenticationResponseJSON` as a JSON
/// string) to the session's challenge and records the new counter.
pub fn answer_sign_in(
    app: &AppState,
    pool_id: &str,
    user: &User,
    challenge: Option<&str>,
    answer: &str,
) -> ApiResult<()> {
    let credential: Value = serde_json::from_str(answer)
        .map_err(|_| ApiError::invalid_parameter("CREDENTIAL is not JSON."))?;
    let mut st = app.lock();
    let ceremony = take(
        &mut st,
        challenge.unwrap_or(""),
        CeremonyKind::Authenticate,
        pool_id,
        &user.username,
    )?;
    let config = st
        .pool(pool_id)
        .map(|p| p.webauthn.clone())
        .unwrap_or_default();
    if !config.enabled {
        return Err(wa::not_enabled());
    }
    let id = credential
        .get("rawId")
        .or_else(|| credential.get("id"))
        .and_then(Value::as_str)
        .and_then(wa::b64url_any)
        .map(|b| b64url(&b))
        .ok_or_else(|| ApiError::invalid_parameter("The credential has no id."))?;
    let stored = user
        .webauthn_credentials
        .iter()
        .find(|c| c.credential_id == id)
        .cloned()
        .ok_or_else(|| ApiError::not_authorized("The passkey is not registered for this user."))?;
    let count = wa::verify_assertion(
        &credential,
        &stored,
        &ceremony.rp_id,
        challenge.unwrap_or(""),
        &user_handle(user),
        config.uv_required(),
    )?;
    if let Some(u) = st.user_mut(pool_id, &user.username) {
        if let Some(c) = u
            .webauthn_credentials
            .iter_mut()
            .find(|c| c.credential_id == id)
        {
            c.sign_count = count;
        }
    }
    app.changed();
    Ok(())
}
