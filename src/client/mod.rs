//! The async driver behind `CognitoAuth`: it runs the core's flows
//! (`cognito`, `oauth`) through [`crate::transport`] and keeps their state in
//! [`crate::session::storage`]. No protocol logic lives here: each step is a
//! core request builder and a core response processor; this module only
//! sequences them, stores what they produce and tells the app (events).
//!
//! One [`Client`] is shared (`Rc`) by every promise it hands out, so
//! concurrent calls see one state: one pending sign-in, one session, at most
//! one refresh in flight ([`tokens`]).

mod account;
mod hosted; // hosted UI
mod page; // hosted UI: location and history
mod signin;
mod signout;
mod srp;
mod tabs; // session across tabs, proactive refresh
mod tokens;

pub use account::{pairs, AccountOp, AccountRequest, After, Pairs, UserRequest};
pub(crate) use hosted::{exchange_code, now_f64, token_request, JwksCache}; // hosted UI
pub use hosted::{HostedConfig, RedirectOptions}; // hosted UI
pub use signin::{SignInArgs, Step};

use crate::cognito::{AuthFlow, SignIn, UserPool};
use crate::session::storage::Storage;
use crate::session::{Keys, SessionRecord};
use crate::transport::{HttpResponse, Idempotency, LocalFuture, Transport};
use crate::{oauth::HttpRequest, Error};
use core::cell::RefCell;
use js_sys::Function;
use std::rc::Rc;
use wasm_bindgen::JsValue;

/// What a [`Client`] is configured with (the `CognitoAuth` constructor's
/// options, checked).
pub struct Config {
    /// The user pool, app client and API endpoint.
    pub pool: UserPool,
    /// Timeout, retries, extra headers, custom `fetch`.
    pub transport: Transport,
    /// Where state is kept.
    pub storage: Storage,
    /// Refresh when the access token expires within this many seconds.
    pub refresh_margin: i64,
    /// The flow `signIn` uses when the call names none.
    pub default_flow: AuthFlow,
    /// Confirm (remember) new devices automatically after sign-in, as
    /// amazon-cognito-identity-js does.
    pub remember_devices: bool,
    /// Refresh before expiry on a timer (`autoRefresh`; see [`tabs`]).
    pub auto_refresh: bool,
    /// Keep the session in step with other tabs (`syncTabs`; see [`tabs`]).
    pub sync_tabs: bool,
    /// The hosted UI (`hostedUi` option), if configured.
    pub hosted_ui: Option<HostedConfig>,
    /// Where SRP runs: `None` here; else a JS backend with `prepare()` and
    /// `answer()` (`createSrpOffload()`, a Web Worker).
    pub srp_backend: Option<JsValue>,
}

/// The shared state of one `CognitoAuth`.
pub struct Inner {
    pub(crate) config: Config,
    pub(crate) keys: Keys,
    /// The sign-in waiting for `confirmSignIn`, with the username as typed.
    pub(crate) pending: RefCell<Option<(SignIn, String)>>,
    /// The session as last read or written (storage is the source of truth
    /// and is read again before each refresh decision).
    pub(crate) session: RefCell<Option<SessionRecord>>,
    /// The refresh in flight, shared by every caller (single flight).
    pub(crate) refreshing: RefCell<Option<tokens::Flight>>,
    /// `(event name, detail)` → the JS layer's event dispatch.
    pub(crate) emit: Option<Function>,
    /// Cross-tab sync and proactive-refresh state.
    pub(crate) tabs: tabs::Tabs,
    /// The SRP ephemeral `prepareSignIn()` made for the next sign-in.
    pub(crate) srp_ready: RefCell<Option<srp::Ready>>,
    /// The backend id of the ephemeral the running sign-in sent as `SRP_A`.
    pub(crate) srp_in_use: RefCell<Option<JsValue>>,
    /// Set once this client's endpoint answered `GetTokensFromRefreshToken`
    /// with an unknown-operation error (or an unreadable 5xx, after which
    /// `REFRESH_TOKEN_AUTH` worked): use `REFRESH_TOKEN_AUTH` from then on.
    pub(crate) no_get_tokens: core::cell::Cell<bool>,
}

/// A `CognitoAuth`'s driver. Cheap to clone; clones share state.
#[derive(Clone)]
pub struct Client(pub(crate) Rc<Inner>);

/// Local time, Unix seconds.
pub(crate) fn now() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

impl Client {
    /// A client for `config`; `emit(name, detail)` receives the events
    /// (`signedIn`, `signedOut`, `tokenRefresh`, `tokenRefreshFailure`,
    /// `sessionExpired`).
    pub fn new(config: Config, emit: Option<Function>) -> Client {
        let keys = Keys::new(config.pool.client_id());
        let client = Client(Rc::new(Inner {
            config,
            keys,
            pending: RefCell::new(None),
            session: RefCell::new(None),
            refreshing: RefCell::new(None),
            emit,
            tabs: tabs::Tabs::default(),
            srp_ready: RefCell::new(None),
            srp_in_use: RefCell::new(None),
            no_get_tokens: core::cell::Cell::new(false),
        }));
        tabs::start(&client);
        client
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.0.config
    }

    /// The storage keys.
    pub fn keys(&self) -> &Keys {
        &self.0.keys
    }

    /// Sends `request` through the configured transport.
    pub fn send<'a>(
        &'a self,
        request: &'a HttpRequest,
        idempotency: Idempotency,
        signal: Option<&'a JsValue>,
    ) -> LocalFuture<'a, Result<HttpResponse, Error>> {
        self.0.config.transport.send(request, idempotency, signal)
    }

    /// Tells the app: `name` with `detail` (ignored if no listener layer),
    /// and the other tabs ([`tabs`]).
    pub(crate) fn emit(&self, name: &str, detail: &JsValue) {
        self.emit_local(name, detail);
        tabs::announce(self, name);
    }

    /// Tells this tab's listeners only.
    pub(crate) fn emit_local(&self, name: &str, detail: &JsValue) {
        if let Some(f) = &self.0.emit {
            let _ = f.call2(&JsValue::UNDEFINED, &name.into(), detail);
        }
    }

    /// The stored session, read from storage (so another tab's sign-in or
    /// refresh through shared storage is seen). A corrupt record reads as
    /// none.
    pub async fn load_session(&self) -> Result<Option<SessionRecord>, Error> {
        let stored = self.0.config.storage.get(&self.0.keys.session()).await?;
        let record = stored
            .as_deref()
            .and_then(SessionRecord::from_storage_string);
        *self.0.session.borrow_mut() = record.clone();
        Ok(record)
    }

    /// Stores `record` as the session. On a storage failure nothing changes
    /// (the previous record stays, in storage and in memory).
    pub async fn save_session(&self, record: SessionRecord) -> Result<(), Error> {
        self.0
            .config
            .storage
            .set(&self.0.keys.session(), &record.to_storage_string())
            .await?;
        *self.0.session.borrow_mut() = Some(record);
        Ok(())
    }

    /// Removes the stored session.
    pub async fn clear_session(&self) -> Result<(), Error> {
        self.0.config.storage.remove(&self.0.keys.session()).await?;
        *self.0.session.borrow_mut() = None;
        Ok(())
    }
}
