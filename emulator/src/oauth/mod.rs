//! The hosted UI and OAuth 2.0 endpoints Cognito serves on a pool's domain
//! ("User pool endpoints and managed login reference" in the Cognito
//! Developer Guide): `/oauth2/authorize` (RFC 6749 §4.1 with PKCE, RFC 7636,
//! S256 required for public clients), the login and MFA forms, `/oauth2/token`
//! (authorization_code, refresh_token, client_credentials), `/oauth2/userInfo`
//! (OIDC Core §5.3), `/oauth2/revoke` (RFC 7009) and `/logout`.

pub mod page;

use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Arc;

use crate::api::auth::{check_user_password, refresh};
use crate::api::tokens::{access_token, id_token, new_refresh_token, Grant};
use crate::model::Client;
use crate::store::{AppState, AuthCode, LoginTx, OutboxMessage, WebSession};
use crate::util::{b64url, b64url_decode, ct_eq, now, random_code, random_token};

/// Lifetime of an authorization code: 5 minutes, like Cognito's.
pub const CODE_TTL: i64 = 300;
/// Lifetime of a login transaction (the login page may sit open a while).
pub const LOGIN_TTL: i64 = 3600;
/// Lifetime of the hosted-UI sign-in cookie (Cognito: 1 hour).
pub const WEB_SESSION_TTL: i64 = 3600;
/// The hosted-UI sign-in cookie.
pub const COOKIE: &str = "cognito-emulator-session";

/// Hosted-UI routes.
pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/oauth2/authorize", get(authorize))
        .route("/login", get(login_get).post(login_post))
        .route("/login/mfa", post(mfa_post))
        .route("/login/new-password", post(new_password_post))
        .route("/oauth2/token", post(token))
        .route("/oauth2/userInfo", get(userinfo).post(userinfo))
        .route("/oauth2/revoke", post(revoke))
        .route("/logout", get(logout))
}

type Params = HashMap<String, String>;

fn html(status: StatusCode, body: String) -> Response {
    let mut r = (status, Html(body)).into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

fn redirect(to: &str) -> Response {
    match HeaderValue::from_str(to) {
        Ok(v) => {
            let mut r = StatusCode::FOUND.into_response();
            r.headers_mut().insert(header::LOCATION, v);
            r.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            r
        }
        Err(_) => html(StatusCode::BAD_REQUEST, page::error("Invalid redirect.")),
    }
}

/// `redirect_uri` with query parameters appended.
fn with_query(base: &str, params: &[(&str, Option<&str>)]) -> String {
    match url::Url::parse(base) {
        Ok(mut u) => {
            {
                let mut q = u.query_pairs_mut();
                for (k, v) in params {
                    if let Some(v) = v {
                        q.append_pair(k, v);
                    }
                }
            }
            u.to_string()
        }
        Err(_) => base.to_string(),
    }
}

fn redirect_error(
    redirect_uri: &str,
    error: &str,
    description: &str,
    state: Option<&str>,
) -> Response {
    redirect(&with_query(
        redirect_uri,
        &[
            ("error", Some(error)),
            ("error_description", Some(description)),
            ("state", state),
        ],
    ))
}

fn cookie_value(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_string())
}

/// `GET /oauth2/authorize`.
async fn authorize(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(q): Query<Params>,
) -> Response {
    let get = |k: &str| q.get(k).map(String::as_str).filter(|s| !s.is_empty());
    let Some(client_id) = get("client_id") else {
        return html(
            StatusCode::BAD_REQUEST,
            page::error("Required parameter client_id is missing."),
        );
    };
    let Some((pool_id, client)) = app
        .lock()
        .client(client_id)
        .map(|(p, c)| (p.id.clone(), c.clone()))
    else {
        return html(
            StatusCode::BAD_REQUEST,
            page::error("Client does not exist (invalid client_id)."),
        );
    };
    let Some(redirect_uri) = get("redirect_uri") else {
        return html(
            StatusCode::BAD_REQUEST,
            page::error("Required parameter redirect_uri is missing."),
        );
    };
    // Only an exactly registered callback may receive anything, even errors.
    if !client.callback_urls.iter().any(|u| u == redirect_uri) {
        return html(
            StatusCode::BAD_REQUEST,
            page::error(
                "redirect_mismatch: redirect_uri is not a registered callback URL of this client.",
            ),
        );
    }
    let state = get("state");
    if get("response_type") != Some("code") {
        return redirect_error(
            redirect_uri,
            "unsupported_response_type",
            "response_type must be code",
            state,
        );
    }
    if !client.allowed_oauth_flows.iter().any(|f| f == "code") {
        return redirect_error(
            redirect_uri,
            "unauthorized_client",
            "the code flow is not enabled for this client",
            state,
        );
    }
    if let Some(idp) = get("identity_provider") {
        if idp != "COGNITO" {
            return redirect_error(
                redirect_uri,
                "invalid_request",
                "unknown identity_provider",
                state,
            );
        }
    }
    let challenge = get("code_challenge");
    match (challenge, get("code_challenge_method")) {
        (None, _) if client.secret.is_none() => {
            return redirect_error(
                redirect_uri,
                "invalid_request",
                "PKCE (code_challenge with S256) is required for public clients",
                state,
            )
        }
        (Some(c), Some("S256")) if c.len() == 43 && b64url_decode(c).is_some() => {}
        (Some(_), _) => {
            return redirect_error(
                redirect_uri,
                "invalid_request",
                "code_challenge_method must be S256 with a 43-character challenge",
                state,
            )
        }
        (None, _) => {}
    }
    let scopes: Vec<String> = match get("scope") {
        Some(s) => s
            .split(' ')
            .filter(|x| !x.is_empty())
            .map(str::to_string)
            .collect(),
        None => client.allowed_oauth_scopes.clone(),
    };
    if let Some(bad) = scopes
        .iter()
        .find(|s| !client.allowed_oauth_scopes.contains(s))
    {
        return redirect_error(
            redirect_uri,
            "invalid_scope",
            &format!("scope {bad} is not allowed for this client"),
            state,
        );
    }
    let tx = LoginTx {
        pool_id: pool_id.clone(),
        client_id: client.id.clone(),
        redirect_uri: redirect_uri.to_string(),
        state: state.map(str::to_string),
        scopes,
        code_challenge: challenge.map(str::to_string),
        nonce: get("nonce").map(str::to_string),
        login_hint: get("login_hint").map(str::to_string),
        new_password_user: None,
        mfa_user: None,
        mfa_method: None,
        mfa_code: None,
        attempts: 0,
        expires: now() + LOGIN_TTL,
    };
    let prompt = get("prompt").unwrap_or("");
    // An existing hosted-UI sign-in skips the form (single sign-on).
    let signed_in = cookie_value(&headers).and_then(|c| {
        let st = app.lock();
        st.web
            .get(&c)
            .filter(|w| w.pool_id == pool_id && w.expires > now())
            .filter(|w| {
                st.pool(&pool_id)
                    .is_some_and(|p| p.users.contains_key(&w.username))
            })
            .cloned()
    });
    match signed_in {
        Some(w) if prompt != "login" => return finish(&app, tx, &w.username, w.auth_time, None),
        None if prompt == "none" => {
            return redirect_error(
                redirect_uri,
                "login_required",
                "the user is not signed in",
                state,
            )
        }
        _ => {}
    }
    let id = random_token();
    app.lock().logins.insert(id.clone(), tx);
    redirect(&format!("/login?tx={id}"))
}

/// `GET /login?tx=…`: the login form.
async fn login_get(State(app): State<Arc<AppState>>, Query(q): Query<Params>) -> Response {
    let tx_id = q.get("tx").cloned().unwrap_or_default();
    let st = app.lock();
    let Some(tx) = st.logins.get(&tx_id).filter(|t| t.expires > now()) else {
        return html(
            StatusCode::BAD_REQUEST,
            page::error("This sign-in request has expired. Start again from the application."),
        );
    };
    let name = st
        .client(&tx.client_id)
        .map(|(_, c)| c.name.clone())
        .unwrap_or_default();
    html(
        StatusCode::OK,
        page::login(&tx_id, &name, tx.login_hint.as_deref().unwrap_or(""), None),
    )
}

#[derive(Deserialize)]
struct LoginForm {
    tx: String,
    username: String,
    password: String,
}

/// `POST /login`: checks the password (by recomputing the SRP verifier),
/// then asks for an MFA code or completes the authorization.
async fn login_post(State(app): State<Arc<AppState>>, Form(f): Form<LoginForm>) -> Response {
    let app2 = app.clone();
    tokio::task::spawn_blocking(move || login_blocking(&app2, f))
        .await
        .unwrap_or_else(|_| {
            html(
                StatusCode::INTERNAL_SERVER_ERROR,
                page::error("Internal error."),
            )
        })
}

fn login_blocking(app: &AppState, f: LoginForm) -> Response {
    let (tx, client) = {
        let st = app.lock();
        let Some(tx) = st.logins.get(&f.tx).filter(|t| t.expires > now()).cloned() else {
            return html(
                StatusCode::BAD_REQUEST,
                page::error("This sign-in request has expired. Start again from the application."),
            );
        };
        let Some((_, c)) = st.client(&tx.client_id) else {
            return html(
                StatusCode::BAD_REQUEST,
                page::error("Client does not exist."),
            );
        };
        (tx, c.clone())
    };
    let username =
        match check_user_password(app, &tx.pool_id, &client, f.username.trim(), &f.password) {
            Ok(u) => u,
            Err(e) => {
                let msg = match e.code {
                    "UserNotConfirmedException" => "User is not confirmed.",
                    "PasswordResetRequiredException" => "Password reset required for the user.",
                    "NotAuthorizedException" if e.message == "User is disabled." => {
                        "User is disabled."
                    }
                    _ => "Incorrect username or password.",
                };
                return html(
                    StatusCode::OK,
                    page::login(&f.tx, &client.name, &f.username, Some(msg)),
                );
            }
        };
    after_password(app, &f.tx, tx, username)
}

/// After the password: a new password if required, then MFA, then the code.
fn after_password(app: &AppState, tx_id: &str, tx: LoginTx, username: String) -> Response {
    let mut st = app.lock();
    let Some(pool) = st.pool(&tx.pool_id).cloned() else {
        return html(
            StatusCode::BAD_REQUEST,
            page::error("User pool does not exist."),
        );
    };
    let Some(user) = pool.users.get(&username).cloned() else {
        return html(StatusCode::BAD_REQUEST, page::error("User does not exist."));
    };
    if user.status == "FORCE_CHANGE_PASSWORD" {
        if let Some(t) = st.logins.get_mut(tx_id) {
            t.new_password_user = Some(username);
        }
        return html(StatusCode::OK, page::new_password(tx_id, None));
    }
    let methods = user.mfa_methods();
    if pool.mfa == "ON" && methods.is_empty() {
        // Cognito would run MFA set-up here; the emulator's UI has no such page.
        return html(
            StatusCode::OK,
            page::error("This user pool requires MFA: set up a software token through the API (MFA_SETUP) first."),
        );
    }
    if pool.mfa != "OFF" && !methods.is_empty() {
        let method = user
            .preferred_mfa
            .clone()
            .filter(|p| methods.contains(&p.as_str()))
            .unwrap_or_else(|| methods[0].to_string());
        let mut code = None;
        if method != "SOFTWARE_TOKEN_MFA" {
            let sms = method == "SMS_MFA";
            let c = random_code(if sms { 6 } else { 8 });
            st.send(OutboxMessage {
                time: now(),
                pool_id: pool.id.clone(),
                username: username.clone(),
                medium: if sms { "SMS" } else { "EMAIL" }.into(),
                destination: user
                    .attributes
                    .get(if sms { "phone_number" } else { "email" })
                    .cloned()
                    .unwrap_or_default(),
                purpose: method.clone(),
                code: c.clone(),
            });
            code = Some(c);
        }
        if let Some(t) = st.logins.get_mut(tx_id) {
            t.mfa_user = Some(username);
            t.mfa_method = Some(method.clone());
            t.mfa_code = code;
        }
        return html(StatusCode::OK, page::mfa(tx_id, &method, None));
    }
    st.logins.remove(tx_id);
    drop(st);
    sign_in_and_finish(app, tx, &username)
}

#[derive(Deserialize)]
struct NewPasswordForm {
    tx: String,
    password: String,
    confirm: String,
}

/// `POST /login/new-password`: the hosted UI's answer to
/// `NEW_PASSWORD_REQUIRED` (users created by an administrator).
async fn new_password_post(
    State(app): State<Arc<AppState>>,
    Form(f): Form<NewPasswordForm>,
) -> Response {
    let app2 = app.clone();
    tokio::task::spawn_blocking(move || new_password_blocking(&app2, f))
        .await
        .unwrap_or_else(|_| {
            html(
                StatusCode::INTERNAL_SERVER_ERROR,
                page::error("Internal error."),
            )
        })
}

fn new_password_blocking(app: &AppState, f: NewPasswordForm) -> Response {
    let Some(tx) = app
        .lock()
        .logins
        .get(&f.tx)
        .filter(|t| t.expires > now())
        .cloned()
    else {
        return html(
            StatusCode::BAD_REQUEST,
            page::error("This sign-in request has expired. Start again from the application."),
        );
    };
    let Some(username) = tx.new_password_user.clone() else {
        return html(
            StatusCode::BAD_REQUEST,
            page::error("No new password is pending."),
        );
    };
    if f.password != f.confirm {
        return html(
            StatusCode::OK,
            page::new_password(&f.tx, Some("Passwords do not match.")),
        );
    }
    if let Err(e) = crate::api::check_password_policy(&f.password) {
        return html(StatusCode::OK, page::new_password(&f.tx, Some(&e.message)));
    }
    let realm = match app.lock().pool(&tx.pool_id) {
        Some(p) => p.srp_realm().to_string(),
        None => {
            return html(
                StatusCode::BAD_REQUEST,
                page::error("User pool does not exist."),
            )
        }
    };
    let v = crate::srp::new_verifier(&realm, &username, &f.password);
    {
        let mut st = app.lock();
        let Some(u) = st.user_mut(&tx.pool_id, &username) else {
            return html(StatusCode::BAD_REQUEST, page::error("User does not exist."));
        };
        u.salt = crate::util::hex(&v.salt);
        u.verifier = crate::util::hex(&v.verifier);
        u.status = "CONFIRMED".into();
        u.modified = crate::util::now_f64();
    }
    app.changed();
    after_password(app, &f.tx, tx, username)
}

#[derive(Deserialize)]
struct MfaForm {
    tx: String,
    code: String,
}

/// `POST /login/mfa`.
async fn mfa_post(State(app): State<Arc<AppState>>, Form(f): Form<MfaForm>) -> Response {
    let mut st = app.lock();
    let Some(tx) = st.logins.get(&f.tx).filter(|t| t.expires > now()).cloned() else {
        return html(
            StatusCode::BAD_REQUEST,
            page::error("This sign-in request has expired. Start again from the application."),
        );
    };
    let (Some(username), Some(method)) = (tx.mfa_user.clone(), tx.mfa_method.clone()) else {
        return html(
            StatusCode::BAD_REQUEST,
            page::error("No MFA step is pending."),
        );
    };
    let user = st
        .pool(&tx.pool_id)
        .and_then(|p| p.users.get(&username))
        .cloned();
    let code = f.code.trim();
    let ok = match (&user, method.as_str()) {
        (Some(u), "SOFTWARE_TOKEN_MFA") => u
            .totp_secret
            .as_deref()
            .is_some_and(|s| crate::totp::verify(s, code, now())),
        (Some(_), _) => tx.mfa_code.as_deref().is_some_and(|c| ct_eq(c, code)),
        (None, _) => false,
    };
    if !ok {
        let attempts = tx.attempts + 1;
        if attempts >= 3 {
            st.logins.remove(&f.tx);
            return html(
                StatusCode::OK,
                page::error("Too many wrong codes. Start again from the application."),
            );
        }
        if let Some(t) = st.logins.get_mut(&f.tx) {
            t.attempts = attempts;
        }
        return html(
            StatusCode::OK,
            page::mfa(&f.tx, &method, Some("Invalid code received for user")),
        );
    }
    st.logins.remove(&f.tx);
    drop(st);
    sign_in_and_finish(&app, tx, &username)
}

/// Starts a hosted-UI sign-in session (cookie) and completes the request.
fn sign_in_and_finish(app: &AppState, tx: LoginTx, username: &str) -> Response {
    let sid = random_token();
    let auth_time = now();
    app.lock().web.insert(
        sid.clone(),
        WebSession {
            pool_id: tx.pool_id.clone(),
            username: username.into(),
            auth_time,
            expires: now() + WEB_SESSION_TTL,
        },
    );
    finish(app, tx, username, auth_time, Some(&sid))
}

/// Issues a single-use code and redirects to the registered callback.
fn finish(
    app: &AppState,
    tx: LoginTx,
    username: &str,
    auth_time: i64,
    new_cookie: Option<&str>,
) -> Response {
    let code = uuid::Uuid::new_v4().to_string();
    app.lock().codes.insert(
        code.clone(),
        AuthCode {
            pool_id: tx.pool_id.clone(),
            client_id: tx.client_id.clone(),
            username: username.into(),
            redirect_uri: tx.redirect_uri.clone(),
            code_challenge: tx.code_challenge.clone(),
            scopes: tx.scopes.clone(),
            nonce: tx.nonce.clone(),
            auth_time,
            expires: now() + CODE_TTL,
        },
    );
    let mut r = redirect(&with_query(
        &tx.redirect_uri,
        &[("code", Some(&code)), ("state", tx.state.as_deref())],
    ));
    if let Some(sid) = new_cookie {
        if let Ok(v) = HeaderValue::from_str(&format!(
            "{COOKIE}={sid}; Path=/; HttpOnly; SameSite=Lax; Max-Age={WEB_SESSION_TTL}"
        )) {
            r.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    r
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    let mut r = (
        status,
        Json(json!({ "error": error, "error_description": description })),
    )
        .into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if status == StatusCode::UNAUTHORIZED {
        r.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"cognito\""),
        );
    }
    r
}

/// Authenticates the client at the token/revoke endpoints (RFC 6749 §2.3.1:
/// HTTP Basic or `client_secret` in the body; public clients send only
/// `client_id`).
fn authenticate_client(
    app: &AppState,
    headers: &HeaderMap,
    form: &Params,
) -> Result<(String, Client), Box<Response>> {
    let invalid = || {
        Box::new(oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "client authentication failed",
        ))
    };
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(crate::util::b64_decode)
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| {
            let (id, secret) = s.split_once(':')?;
            let dec = |x: &str| {
                url::form_urlencoded::parse(format!("a={x}").as_bytes())
                    .next()
                    .map(|(_, v)| v.into_owned())
            };
            Some((dec(id)?, dec(secret)?))
        });
    let (client_id, secret) = match basic {
        Some((id, s)) => (id, Some(s)),
        None => match form.get("client_id") {
            Some(id) => (id.clone(), form.get("client_secret").cloned()),
            None => return Err(invalid()),
        },
    };
    let Some((pool_id, client)) = app
        .lock()
        .client(&client_id)
        .map(|(p, c)| (p.id.clone(), c.clone()))
    else {
        return Err(invalid());
    };
    match (&client.secret, secret) {
        (Some(expected), Some(given)) if ct_eq(expected, &given) => Ok((pool_id, client)),
        (None, None) => Ok((pool_id, client)),
        _ => Err(invalid()),
    }
}

/// `POST /oauth2/token`.
async fn token(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    Form(form): Form<Params>,
) -> Response {
    let app2 = app.clone();
    tokio::task::spawn_blocking(move || token_blocking(&app2, &headers, &form))
        .await
        .unwrap_or_else(|_| {
            oauth_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "server_error",
                "internal error",
            )
        })
}

fn token_blocking(app: &AppState, headers: &HeaderMap, form: &Params) -> Response {
    app.count_http(match form.get("grant_type").map(String::as_str) {
        Some("authorization_code") => "oauth2/token:authorization_code",
        Some("refresh_token") => "oauth2/token:refresh_token",
        Some("client_credentials") => "oauth2/token:client_credentials",
        _ => "oauth2/token:other",
    });
    let (pool_id, client) = match authenticate_client(app, headers, form) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let grant = |e: &str| oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", e);
    match form.get("grant_type").map(String::as_str) {
        Some("authorization_code") => {
            let Some(code) = form.get("code") else {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    "code is required",
                );
            };
            let mut st = app.lock();
            // Single use: the code is removed whatever happens next.
            let Some(ac) = st.codes.remove(code).filter(|c| c.expires > now()) else {
                return grant("the code is invalid, expired or already used");
            };
            if ac.client_id != client.id || ac.pool_id != pool_id {
                return grant("the code was issued to another client");
            }
            if form.get("redirect_uri") != Some(&ac.redirect_uri) {
                return grant("redirect_uri does not match the authorization request");
            }
            if let Some(challenge) = &ac.code_challenge {
                let Some(verifier) = form.get("code_verifier") else {
                    return grant("code_verifier is required");
                };
                if !(43..=128).contains(&verifier.len())
                    || !ct_eq(&b64url(&Sha256::digest(verifier.as_bytes())), challenge)
                {
                    return grant("PKCE verification failed");
                }
            }
            let Some(user) = st
                .pool(&pool_id)
                .and_then(|p| p.users.get(&ac.username))
                .cloned()
            else {
                return grant("the user no longer exists");
            };
            let g = Grant {
                scopes: ac.scopes.clone(),
                auth_time: ac.auth_time,
                origin_jti: uuid::Uuid::new_v4().to_string(),
                event_id: uuid::Uuid::new_v4().to_string(),
                nonce: ac.nonce.clone(),
                device_key: None,
            };
            let mut out = json!({
                "access_token": access_token(app, &pool_id, &client, &user, &g),
                "refresh_token": new_refresh_token(&mut st, &pool_id, &client, &user, &g),
                "expires_in": client.access_token_validity,
                "token_type": "Bearer",
            });
            if ac.scopes.iter().any(|s| s == "openid") {
                out["id_token"] = json!(id_token(app, &pool_id, &client, &user, &g));
            }
            drop(st);
            app.changed();
            token_response(out)
        }
        Some("refresh_token") => {
            let Some(rt) = form.get("refresh_token") else {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_request",
                    "refresh_token is required",
                );
            };
            match refresh(app, &client, rt, |_| Ok(()), client.refresh_token_rotation) {
                Ok(v) => {
                    let r = &v["AuthenticationResult"];
                    let mut out = json!({
                        "access_token": r["AccessToken"],
                        "id_token": r["IdToken"],
                        "expires_in": r["ExpiresIn"],
                        "token_type": "Bearer",
                    });
                    if let Some(n) = r.get("RefreshToken") {
                        out["refresh_token"] = n.clone();
                    }
                    app.changed();
                    token_response(out)
                }
                Err(e) => grant(&e.message),
            }
        }
        Some("client_credentials") => {
            if client.secret.is_none()
                || !client
                    .allowed_oauth_flows
                    .iter()
                    .any(|f| f == "client_credentials")
            {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "unauthorized_client",
                    "client_credentials is not enabled for this client",
                );
            }
            let scopes: Vec<String> = match form.get("scope") {
                Some(s) => s
                    .split(' ')
                    .filter(|x| !x.is_empty())
                    .map(str::to_string)
                    .collect(),
                None => client.allowed_oauth_scopes.clone(),
            };
            if scopes
                .iter()
                .any(|s| !client.allowed_oauth_scopes.contains(s))
            {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_scope",
                    "a requested scope is not allowed for this client",
                );
            }
            let iat = now();
            let claims = json!({
                "sub": client.id,
                "token_use": "access",
                "scope": scopes.join(" "),
                "auth_time": iat,
                "iss": app.issuer(&pool_id),
                "exp": iat + client.access_token_validity,
                "iat": iat,
                "version": 2,
                "jti": uuid::Uuid::new_v4().to_string(),
                "client_id": client.id,
            });
            token_response(json!({
                "access_token": app.keys.sign(&claims),
                "expires_in": client.access_token_validity,
                "token_type": "Bearer",
            }))
        }
        _ => oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "grant_type must be authorization_code, refresh_token or client_credentials",
        ),
    }
}

fn token_response(v: Value) -> Response {
    let mut r = Json(v).into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r.headers_mut()
        .insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    r
}

/// `GET|POST /oauth2/userInfo` (OIDC Core §5.3; Bearer access token).
async fn userinfo(State(app): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    let bad = |d: &str| {
        let mut r = (
            StatusCode::UNAUTHORIZED,
            Json(json!({ "error": "invalid_token", "error_description": d })),
        )
            .into_response();
        r.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer error=\"invalid_token\""),
        );
        r
    };
    let Some(token) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    else {
        return bad("Access token is missing");
    };
    let Ok(claims) = app.keys.verify(token) else {
        return bad("Access token is expired or invalid");
    };
    if claims["token_use"] != "access" {
        return bad("Access token is invalid");
    }
    let scopes = claims["scope"].as_str().unwrap_or("");
    if !scopes
        .split(' ')
        .any(|s| s == "openid" || s == "aws.cognito.signin.user.admin")
    {
        return bad("Access token does not have the openid scope");
    }
    let st = app.lock();
    if st
        .durable
        .is_revoked(claims["origin_jti"].as_str().unwrap_or(""))
    {
        return bad("Access token has been revoked");
    }
    let pool_id = claims["iss"]
        .as_str()
        .unwrap_or("")
        .rsplit('/')
        .next()
        .unwrap_or("")
        .to_string();
    let Some(user) = st
        .pool(&pool_id)
        .and_then(|p| p.users.get(claims["username"].as_str().unwrap_or("")))
    else {
        return bad("User does not exist");
    };
    let mut out = serde_json::Map::new();
    for (k, v) in &user.attributes {
        out.insert(k.clone(), json!(v));
    }
    out.insert("username".into(), json!(user.username));
    Json(Value::Object(out)).into_response()
}

/// `POST /oauth2/revoke` (RFC 7009).
async fn revoke(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    Form(form): Form<Params>,
) -> Response {
    app.count_http("oauth2/revoke");
    let (_, client) = match authenticate_client(&app, &headers, &form) {
        Ok(c) => c,
        Err(r) => return *r,
    };
    let Some(token) = form.get("token") else {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "token is required",
        );
    };
    match crate::api::account::revoke_refresh(&app, &client.id, token) {
        Ok(()) => {
            app.changed();
            StatusCode::OK.into_response()
        }
        Err(e) if e.code == "UnsupportedTokenTypeException" => oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_token_type",
            "only refresh tokens can be revoked",
        ),
        Err(_) => oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_request",
            "the token was not issued to this client",
        ),
    }
}

/// `GET /logout?client_id&logout_uri` (or `redirect_uri` + `response_type`
/// to sign in again): ends the hosted-UI session.
async fn logout(
    State(app): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(q): Query<Params>,
) -> Response {
    let Some(client) = q
        .get("client_id")
        .and_then(|id| app.lock().client(id).map(|(_, c)| c.clone()))
    else {
        return html(
            StatusCode::BAD_REQUEST,
            page::error("Client does not exist (invalid client_id)."),
        );
    };
    let target = if let Some(uri) = q.get("logout_uri") {
        if !client.logout_urls.contains(uri) {
            return html(
                StatusCode::BAD_REQUEST,
                page::error("logout_uri is not a registered sign-out URL of this client."),
            );
        }
        uri.clone()
    } else if let (Some(uri), Some(_)) = (q.get("redirect_uri"), q.get("response_type")) {
        if !client.callback_urls.contains(uri) {
            return html(
                StatusCode::BAD_REQUEST,
                page::error("redirect_mismatch: redirect_uri is not a registered callback URL."),
            );
        }
        let mut pairs: Vec<(&str, Option<&str>)> = vec![];
        for k in [
            "client_id",
            "redirect_uri",
            "response_type",
            "scope",
            "state",
            "code_challenge",
            "code_challenge_method",
            "nonce",
        ] {
            pairs.push((k, q.get(k).map(String::as_str)));
        }
        format!(
            "/oauth2/authorize?{}",
            with_query("http://x/", &pairs)
                .split_once('?')
                .map(|(_, q)| q)
                .unwrap_or("")
        )
    } else {
        return html(
            StatusCode::BAD_REQUEST,
            page::error("Required String parameter 'logout_uri' is not present."),
        );
    };
    if let Some(sid) = cookie_value(&headers) {
        app.lock().web.remove(&sid);
    }
    let mut r = redirect(&target);
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"
    )) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    r
}
