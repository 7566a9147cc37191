//! cognito-emulator: a local Amazon Cognito user pool. It speaks the
//! user-pool JSON API with real SRP verification, signs RS256 tokens,
//! serves JWKS and OpenID discovery at Cognito's paths, runs the hosted UI
//! (`/oauth2/*`, `/login`, `/logout`), and keeps codes that Cognito would
//! e-mail or text in an outbox (`GET /_emulator/outbox`). Browser pages on
//! other sites are kept out by [`access`] (Host check, CORS allow-list).
//! Tests can make it misbehave on purpose with [`faults`].

pub mod access;
pub mod api;
pub mod config;
pub mod error;
pub mod faults;
pub mod jwt;
pub mod model;
pub mod oauth;
pub mod srp;
pub mod store;
pub mod totp;
pub mod util;
pub mod webauthn;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use std::sync::Arc;
use tower_http::limit::RequestBodyLimitLayer;

use store::AppState;

/// Largest request body accepted (Cognito's API payloads are small).
pub const MAX_BODY: usize = 64 * 1024;

/// The HTTP application with the default [`access::Access`]: loopback
/// `Host` names only, CORS for the registered callback and sign-out origins.
pub fn router(app: Arc<AppState>) -> Router {
    router_with_access(app, access::Access::default())
}

/// The HTTP application with `--allow-origin` / `--host-alias` settings.
pub fn router_with_access(app: Arc<AppState>, access: access::Access) -> Router {
    let gate = access::Gate {
        app: app.clone(),
        access: Arc::new(access),
    };
    Router::new()
        .route("/", post(api::handle))
        .route("/{pool_id}/.well-known/jwks.json", get(jwks))
        .route(
            "/{pool_id}/.well-known/openid-configuration",
            get(openid_configuration),
        )
        .route("/_emulator/health", get(health))
        .route("/_emulator/outbox", get(outbox))
        .route("/_emulator/stats", get(stats))
        .route("/_emulator/http-stats", get(http_stats))
        .route(
            "/_emulator/faults",
            get(faults::list).post(faults::add).delete(faults::clear),
        )
        .merge(oauth::routes())
        // Inside the access gate: faults strike only requests it let in.
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            faults::inject,
        ))
        .layer(axum::middleware::map_response(date_header))
        .layer(RequestBodyLimitLayer::new(MAX_BODY))
        // Outermost: a refused request reaches nothing else.
        .layer(axum::middleware::from_fn_with_state(gate, access::gate))
        .with_state(app)
}

async fn health(State(app): State<Arc<AppState>>) -> Response {
    let st = app.lock();
    Json(serde_json::json!({
        "status": "ok",
        "pools": st.durable.pools.keys().collect::<Vec<_>>(),
    }))
    .into_response()
}

/// `GET /_emulator/stats`: `{ "operations": { "<Operation>": count } }`,
/// the JSON-API requests received since start (with or without success), so
/// tests can count requests at the server, e.g. that many concurrent
/// refreshes made one `GetTokensFromRefreshToken`.
async fn stats(State(app): State<Arc<AppState>>) -> Response {
    let stats = app.stats.lock().unwrap_or_else(|e| e.into_inner()).clone();
    Json(serde_json::json!({ "operations": stats })).into_response()
}

/// `GET /_emulator/http-stats`: `{ "requests": { "<name>": count } }` for
/// the endpoints outside the JSON API: `jwks` (JWKS downloads),
/// `oauth2/token:<grant_type>` and `oauth2/revoke`, so tests can count, e.g.,
/// that a fresh Worker isolate fetched no JWKS or many requests made one refresh.
async fn http_stats(State(app): State<Arc<AppState>>) -> Response {
    let stats = app
        .http_stats
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    Json(serde_json::json!({ "requests": stats })).into_response()
}

/// With `--clock-offset`, the `Date` header (RFC 9110 §6.6.1) tells the
/// emulator's clock, not the system's (hyper adds the system one otherwise).
async fn date_header(mut r: Response) -> Response {
    if util::clock_offset() != 0 {
        if let Ok(v) = HeaderValue::from_str(&util::http_date(util::now())) {
            r.headers_mut().insert(axum::http::header::DATE, v);
        }
    }
    r
}

#[derive(Deserialize)]
struct OutboxQuery {
    username: Option<String>,
    purpose: Option<String>,
}

/// `GET /_emulator/outbox[?username=&purpose=]`: codes that would have been
/// delivered, oldest first.
async fn outbox(State(app): State<Arc<AppState>>, Query(q): Query<OutboxQuery>) -> Response {
    let st = app.lock();
    let items: Vec<_> = st
        .outbox
        .iter()
        .filter(|m| q.username.as_ref().is_none_or(|u| &m.username == u))
        .filter(|m| q.purpose.as_ref().is_none_or(|p| &m.purpose == p))
        .collect();
    Json(serde_json::json!(items)).into_response()
}

fn pool_exists(app: &AppState, pool_id: &str) -> bool {
    app.lock().pool(pool_id).is_some()
}

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        Json(serde_json::json!({"message": "User pool not found"})),
    )
        .into_response()
}

async fn jwks(State(app): State<Arc<AppState>>, Path(pool_id): Path<String>) -> Response {
    if !pool_exists(&app, &pool_id) {
        return not_found();
    }
    app.count_http("jwks");
    let mut r = Json(app.keys.jwks()).into_response();
    r.headers_mut()
        .insert("cache-control", HeaderValue::from_static("max-age=3600"));
    r
}

/// OpenID Connect Discovery 1.0 §3, with the endpoints Cognito publishes.
async fn openid_configuration(
    State(app): State<Arc<AppState>>,
    Path(pool_id): Path<String>,
) -> Response {
    if !pool_exists(&app, &pool_id) {
        return not_found();
    }
    let base = &app.base_url;
    Json(serde_json::json!({
        "authorization_endpoint": format!("{base}/oauth2/authorize"),
        "end_session_endpoint": format!("{base}/logout"),
        "id_token_signing_alg_values_supported": ["RS256"],
        "issuer": app.issuer(&pool_id),
        "jwks_uri": format!("{}/.well-known/jwks.json", app.issuer(&pool_id)),
        "response_types_supported": ["code"],
        "revocation_endpoint": format!("{base}/oauth2/revoke"),
        "scopes_supported": ["openid", "email", "phone", "profile"],
        "subject_types_supported": ["public"],
        "token_endpoint": format!("{base}/oauth2/token"),
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "userinfo_endpoint": format!("{base}/oauth2/userInfo"),
        "code_challenge_methods_supported": ["S256"],
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
    }))
    .into_response()
}
