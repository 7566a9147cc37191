//! The emulator's state: persisted pools/users/refresh grants plus
//! short-lived sessions (SRP exchanges, challenge sessions, authorization
//! codes, hosted-UI sign-ins) and the outbox of codes that Cognito would
//! e-mail or text.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::jwt::Keys;
use crate::model::{Client, Pool, RefreshGrant, User};
use crate::srp::ServerEphemeral;

/// How long a revocation must be remembered: Cognito's longest access-token
/// validity (1 day).
pub const REVOKE_TTL: i64 = 86_400;

impl Durable {
    /// Revokes every token of an authentication event: its refresh tokens
    /// (all rotations) now, its access tokens until they would expire.
    pub fn revoke_origin(&mut self, origin_jti: &str) {
        self.refresh.retain(|_, g| g.origin_jti != origin_jti);
        self.revoked
            .insert(origin_jti.to_string(), crate::util::now() + REVOKE_TTL);
    }

    /// Whether an authentication event was revoked.
    pub fn is_revoked(&self, origin_jti: &str) -> bool {
        self.revoked.contains_key(origin_jti)
    }
}

/// Lifetime of a challenge `Session` / `SECRET_BLOCK`: Cognito's 3 minutes.
pub const SESSION_TTL: i64 = 180;

/// The state that survives restarts when `--data-dir` is given.
#[derive(Default, Serialize, Deserialize)]
pub struct Durable {
    /// Pools by id.
    pub pools: BTreeMap<String, Pool>,
    /// Refresh tokens → what they grant.
    pub refresh: HashMap<String, RefreshGrant>,
    /// `origin_jti`s whose access tokens were revoked (RevokeToken,
    /// GlobalSignOut) → until when the entry is needed (access tokens live
    /// at most a day, so it is dropped after that).
    pub revoked: HashMap<String, i64>,
}

/// Where a challenge session stands.
#[derive(Clone)]
pub enum Stage {
    /// `PASSWORD_VERIFIER` is expected (user SRP).
    PasswordVerifier {
        /// The client's `A`.
        a: Vec<u8>,
        /// The server's `b`, `B`.
        eph: ServerEphemeral,
    },
    /// `DEVICE_SRP_AUTH` is expected.
    DeviceSrpAuth,
    /// `DEVICE_PASSWORD_VERIFIER` is expected.
    DevicePasswordVerifier {
        /// The client's `A`.
        a: Vec<u8>,
        /// The server's `b`, `B`.
        eph: ServerEphemeral,
    },
    /// Any other named challenge (`SMS_MFA`, `SOFTWARE_TOKEN_MFA`,
    /// `EMAIL_OTP`, `SMS_OTP`, `SELECT_MFA_TYPE`, `MFA_SETUP`,
    /// `NEW_PASSWORD_REQUIRED`, `CUSTOM_CHALLENGE`, `SELECT_CHALLENGE`).
    Named {
        /// The challenge name.
        name: String,
        /// A code sent to the outbox for this challenge, if any.
        code: Option<String>,
    },
}

/// One in-flight authentication.
#[derive(Clone)]
pub struct Pending {
    /// Pool id.
    pub pool_id: String,
    /// Client id the flow started with (the session is bound to it).
    pub client_id: String,
    /// Username.
    pub username: String,
    /// Expiry (Unix seconds).
    pub expires: i64,
    /// Current stage.
    pub stage: Stage,
    /// Device key presented by the client.
    pub device_key: Option<String>,
    /// Wrong answers so far.
    pub attempts: u32,
    /// An associated-but-unverified TOTP secret during `MFA_SETUP`.
    pub mfa_setup_verified: bool,
    /// The first factor was a one-time code (passwordless): skip MFA.
    pub passwordless: bool,
    /// `CUSTOM_AUTH` begun with SRP (`CHALLENGE_NAME: SRP_A`): the custom
    /// challenge follows the password verifier.
    pub custom_after_srp: bool,
}

/// A hosted-UI authorization code (single use, 5 minutes).
#[derive(Clone)]
pub struct AuthCode {
    /// Pool id.
    pub pool_id: String,
    /// Client id.
    pub client_id: String,
    /// Username.
    pub username: String,
    /// The exact `redirect_uri` of the authorization request.
    pub redirect_uri: String,
    /// PKCE `code_challenge` (S256), if sent.
    pub code_challenge: Option<String>,
    /// Granted scopes.
    pub scopes: Vec<String>,
    /// OIDC `nonce`.
    pub nonce: Option<String>,
    /// `auth_time` of the sign-in.
    pub auth_time: i64,
    /// Expiry (Unix seconds).
    pub expires: i64,
}

/// A hosted-UI browser sign-in (cookie), so `/oauth2/authorize` can skip the
/// login page until `/logout`.
#[derive(Clone)]
pub struct WebSession {
    /// Pool id.
    pub pool_id: String,
    /// Username.
    pub username: String,
    /// `auth_time`.
    pub auth_time: i64,
    /// Expiry.
    pub expires: i64,
}

/// A validated `/oauth2/authorize` request waiting for the login form.
#[derive(Clone)]
pub struct LoginTx {
    /// Pool id.
    pub pool_id: String,
    /// Client id.
    pub client_id: String,
    /// The exact registered `redirect_uri`.
    pub redirect_uri: String,
    /// `state`, returned verbatim.
    pub state: Option<String>,
    /// Granted scopes.
    pub scopes: Vec<String>,
    /// PKCE S256 challenge.
    pub code_challenge: Option<String>,
    /// OIDC nonce.
    pub nonce: Option<String>,
    /// `login_hint`, pre-filled in the form.
    pub login_hint: Option<String>,
    /// Set once the password is proven and a new password is required.
    pub new_password_user: Option<String>,
    /// Set once the password is proven and an MFA code is awaited.
    pub mfa_user: Option<String>,
    /// The MFA method awaited (`SOFTWARE_TOKEN_MFA`, `SMS_MFA`, `EMAIL_OTP`).
    pub mfa_method: Option<String>,
    /// The code sent for SMS/e-mail MFA.
    pub mfa_code: Option<String>,
    /// Wrong MFA codes so far.
    pub attempts: u32,
    /// Expiry.
    pub expires: i64,
}

/// A message Cognito would have delivered by e-mail or SMS.
#[derive(Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OutboxMessage {
    /// When it was "sent" (Unix seconds).
    pub time: i64,
    /// Pool id.
    pub pool_id: String,
    /// Username.
    pub username: String,
    /// `EMAIL` or `SMS`.
    pub medium: String,
    /// The address or number.
    pub destination: String,
    /// Why: `SignUp`, `ForgotPassword`, `VerifyUserAttribute`, `SMS_MFA`, …
    pub purpose: String,
    /// The code.
    pub code: String,
}

/// All state under one lock (operations are short; SRP math runs outside).
#[derive(Default)]
pub struct Store {
    /// Persisted part.
    pub durable: Durable,
    /// Challenge sessions and SRP secret blocks.
    pub pending: HashMap<String, Pending>,
    /// Authorization codes.
    pub codes: HashMap<String, AuthCode>,
    /// Hosted-UI sign-ins by cookie value.
    pub web: HashMap<String, WebSession>,
    /// Hosted-UI login transactions (validated authorize requests).
    pub logins: HashMap<String, LoginTx>,
    /// Codes that would have been delivered.
    pub outbox: Vec<OutboxMessage>,
    /// Issued WebAuthn challenges by challenge (base64url), single use.
    pub webauthn: HashMap<String, crate::webauthn::Ceremony>,
}

impl Store {
    /// The pool and client for a client id.
    pub fn client(&self, client_id: &str) -> Option<(&Pool, &Client)> {
        self.durable
            .pools
            .values()
            .find_map(|p| p.clients.get(client_id).map(|c| (p, c)))
    }

    /// A pool by id.
    pub fn pool(&self, pool_id: &str) -> Option<&Pool> {
        self.durable.pools.get(pool_id)
    }

    /// A pool by id, mutable.
    pub fn pool_mut(&mut self, pool_id: &str) -> Option<&mut Pool> {
        self.durable.pools.get_mut(pool_id)
    }

    /// A user, mutable.
    pub fn user_mut(&mut self, pool_id: &str, username: &str) -> Option<&mut User> {
        self.durable
            .pools
            .get_mut(pool_id)
            .and_then(|p| p.users.get_mut(username))
    }

    /// Drops expired sessions and codes.
    pub fn sweep(&mut self, now: i64) {
        self.pending.retain(|_, p| p.expires > now);
        self.codes.retain(|_, c| c.expires > now);
        self.web.retain(|_, w| w.expires > now);
        self.logins.retain(|_, l| l.expires > now);
        self.webauthn.retain(|_, c| c.expires > now);
        self.durable.refresh.retain(|_, r| r.expires > now);
        self.durable.revoked.retain(|_, until| *until > now);
        if self.outbox.len() > 10_000 {
            let excess = self.outbox.len() - 10_000;
            self.outbox.drain(..excess);
        }
    }

    /// Records a code in the outbox and prints it on the console.
    pub fn send(&mut self, msg: OutboxMessage) {
        tracing::info!(
            target: "outbox",
            "{} code for {} ({} {}): {}",
            msg.purpose, msg.username, msg.medium, msg.destination, msg.code
        );
        self.outbox.push(msg);
    }
}

/// Shared application state.
pub struct AppState {
    store: Mutex<Store>,
    /// Token signing keys.
    pub keys: Keys,
    /// The emulator's own URL (`http://127.0.0.1:PORT`), for hosted-UI links.
    pub base_url: String,
    /// Issuer base; a pool's `iss` is `<issuer_base>/<poolId>`.
    pub issuer_base: String,
    /// Where state is persisted, if anywhere.
    pub data_dir: Option<PathBuf>,
    /// JSON-API requests received, by operation (`GET /_emulator/stats`).
    pub stats: Mutex<BTreeMap<String, u64>>,
    /// Other endpoints' requests, by name (`GET /_emulator/http-stats`):
    /// `jwks`, `oauth2/token:<grant_type>`, `oauth2/revoke`.
    pub http_stats: Mutex<BTreeMap<String, u64>>,
    /// Fault-mode rules (`/_emulator/faults`).
    pub faults: crate::faults::Faults,
    /// Held while a snapshot is taken and written: the writer task and the
    /// final write at shutdown share one temporary file, and a snapshot
    /// taken earlier must not land after a later one.
    persisting: Mutex<()>,
    dirty: tokio::sync::Notify,
}

impl AppState {
    /// New state.
    pub fn new(
        durable: Durable,
        keys: Keys,
        base_url: String,
        issuer_base: Option<String>,
        data_dir: Option<PathBuf>,
    ) -> Arc<AppState> {
        let issuer_base = issuer_base
            .unwrap_or_else(|| base_url.clone())
            .trim_end_matches('/')
            .to_string();
        Arc::new(AppState {
            store: Mutex::new(Store {
                durable,
                ..Store::default()
            }),
            keys,
            base_url,
            issuer_base,
            data_dir,
            stats: Mutex::new(BTreeMap::new()),
            http_stats: Mutex::new(BTreeMap::new()),
            faults: crate::faults::Faults::default(),
            persisting: Mutex::new(()),
            dirty: tokio::sync::Notify::new(),
        })
    }

    /// Counts one JSON-API request for `operation`.
    pub fn count(&self, operation: &str) {
        let mut stats = self.stats.lock().unwrap_or_else(|e| e.into_inner());
        *stats.entry(operation.to_string()).or_insert(0) += 1;
    }

    /// Counts one request to a non-JSON-API endpoint (`GET /_emulator/http-stats`).
    pub fn count_http(&self, name: &str) {
        let mut stats = self.http_stats.lock().unwrap_or_else(|e| e.into_inner());
        *stats.entry(name.to_string()).or_insert(0) += 1;
    }

    /// Locks the store (a poisoned lock is recovered: the data stays usable).
    pub fn lock(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The `iss` of a pool's tokens.
    pub fn issuer(&self, pool_id: &str) -> String {
        format!("{}/{}", self.issuer_base, pool_id)
    }

    /// Marks durable state as changed (the writer task persists it).
    pub fn changed(&self) {
        if self.data_dir.is_some() {
            self.dirty.notify_one();
        }
    }

    /// Writes the durable state to the data dir now (atomically).
    pub fn persist(&self) -> std::io::Result<()> {
        let Some(dir) = &self.data_dir else {
            return Ok(());
        };
        let _one_at_a_time = self.persisting.lock().unwrap_or_else(|e| e.into_inner());
        let json = {
            let st = self.lock();
            serde_json::to_vec_pretty(&st.durable)?
        };
        write_atomic(&dir.join("state.json"), &json)
    }

    /// Drops expired sessions, codes and refresh grants every 30 seconds.
    pub async fn sweeper(self: Arc<Self>) {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(30));
        loop {
            tick.tick().await;
            self.lock().sweep(crate::util::now());
        }
    }

    /// The background writer: persists after changes, coalescing bursts.
    pub async fn writer(self: Arc<Self>) {
        loop {
            self.dirty.notified().await;
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            let me = self.clone();
            let r = tokio::task::spawn_blocking(move || me.persist()).await;
            if let Ok(Err(e)) | Err(e) = r.map_err(std::io::Error::other) {
                tracing::error!("persisting state failed: {e}");
            }
        }
    }
}

/// Writes a file so that a crash leaves either the old or the new content:
/// write a temporary file, fsync it, rename over the target, fsync the dir.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    let tmp = dir.join(format!(
        ".{}.tmp",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("state")
    ));
    {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path)?;
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}
