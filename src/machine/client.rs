//! The shared state of one `CognitoAuth`: its configuration and what its
//! machines share between calls (the pending sign-in, the session as last
//! read, the refresh outcome, the tabs' state). Storage is the source of
//! truth; this is read again before every decision that depends on it.

use crate::prelude::*;

use super::hosted::HostedConfig;
use super::io::Io;
use super::io::LocalFuture;
use super::tabs::Tabs;
use crate::cognito::{AuthFlow, SignIn, UserPool};
use crate::session::{Keys, SessionRecord};
use crate::transport::Transport;
use crate::Error;
use alloc::rc::Rc;
use core::cell::{Cell, RefCell};

/// Where the driver keeps state (the `storage` option, resolved by the
/// machine that opens the client).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageKind {
    /// `sessionStorage`.
    Session,
    /// `localStorage` (shared by the origin's tabs).
    Local,
    /// The driver's memory.
    Memory,
    /// The app's adapter; `shared` when it says other tabs see it.
    Adapter {
        /// Whether other tabs see the same data.
        shared: bool,
    },
}

impl StorageKind {
    /// Whether other tabs of the origin see the same data.
    pub fn is_shared(self) -> bool {
        matches!(
            self,
            StorageKind::Local | StorageKind::Adapter { shared: true }
        )
    }
}

/// What a client is configured with (the `CognitoAuth` options, checked).
pub struct Config {
    /// The user pool, app client and API endpoint.
    pub pool: UserPool,
    /// Timeout, retries, extra headers.
    pub transport: Transport,
    /// Where state is kept.
    pub storage: StorageKind,
    /// Refresh when the access token expires within this many seconds.
    pub refresh_margin: i64,
    /// The flow `signIn` uses when the call names none.
    pub default_flow: AuthFlow,
    /// Confirm (remember) new devices after sign-in, as
    /// amazon-cognito-identity-js does.
    pub remember_devices: bool,
    /// Refresh before expiry on a timer (`autoRefresh`).
    pub auto_refresh: bool,
    /// Keep the session in step with other tabs (`syncTabs`).
    pub sync_tabs: bool,
    /// The hosted UI (`hostedUi` option), if configured.
    pub hosted_ui: Option<HostedConfig>,
}

/// The outcome of the last refresh, shared with the calls that waited for
/// it (one refresh serves every caller that needed one meanwhile).
#[derive(Default)]
pub(crate) struct Refreshes {
    /// Counts finished refreshes.
    pub(crate) generation: Cell<u64>,
    /// The last one's result.
    pub(crate) last: RefCell<Option<Result<SessionRecord, Error>>>,
}

/// The shared state of one client.
pub struct Inner {
    pub(crate) config: Config,
    pub(crate) keys: Keys,
    /// The sign-in waiting for `confirmSignIn`, with the username as typed.
    pub(crate) pending: RefCell<Option<(SignIn, String)>>,
    /// The session as last read or written.
    pub(crate) session: RefCell<Option<SessionRecord>>,
    pub(crate) refreshes: Refreshes,
    pub(crate) tabs: Tabs,
    /// The SRP backend's id and `A` of the ephemeral `prepareSignIn()` made.
    #[cfg(feature = "signin")]
    pub(crate) srp_ready: RefCell<Option<(String, String)>>,
    /// Set once the endpoint showed it lacks `GetTokensFromRefreshToken`:
    /// `REFRESH_TOKEN_AUTH` from then on.
    pub(crate) no_get_tokens: Cell<bool>,
}

/// One `CognitoAuth`'s state. Cheap to clone; clones share it.
#[derive(Clone)]
pub struct Client(pub(crate) Rc<Inner>);

impl Client {
    /// A client for `config`.
    pub fn new(config: Config) -> Client {
        let keys = Keys::new(config.pool.client_id());
        Client(Rc::new(Inner {
            config,
            keys,
            pending: RefCell::new(None),
            session: RefCell::new(None),
            refreshes: Refreshes::default(),
            tabs: Tabs::default(),
            #[cfg(feature = "signin")]
            srp_ready: RefCell::new(None),
            no_get_tokens: Cell::new(false),
        }))
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.0.config
    }

    /// The storage keys.
    pub fn keys(&self) -> &Keys {
        &self.0.keys
    }
}

/// A client's machine context: the client and the running machine's
/// channel.
#[derive(Clone)]
pub struct Cx {
    pub(crate) c: Client,
    pub(crate) io: Io,
}

impl Cx {
    pub(crate) fn inner(&self) -> &Inner {
        &self.c.0
    }

    pub(crate) fn config(&self) -> &Config {
        &self.c.0.config
    }

    /// Sends `request` through the configured transport.
    pub(crate) fn send<'a>(
        &'a self,
        request: &'a crate::http::HttpRequest,
        idempotency: crate::transport::Idempotency,
    ) -> super::io::LocalFuture<'a, Result<crate::http::HttpResponse, Error>> {
        self.io
            .send(&self.c.0.config.transport, request, idempotency)
    }

    /// The stored session (a corrupt record reads as none).
    pub(crate) fn load_session<'a>(
        &'a self,
    ) -> LocalFuture<'a, Result<Option<SessionRecord>, Error>> {
        Box::pin(async move {
            let stored = self.io.get(&self.c.0.keys.session()).await?;
            let record = stored
                .as_deref()
                .and_then(SessionRecord::from_storage_string);
            *self.c.0.session.borrow_mut() = record.clone();
            Ok(record)
        })
    }

    /// Stores `record` as the session; on a storage failure nothing changes.
    pub(crate) fn save_session<'a>(
        &'a self,
        record: SessionRecord,
    ) -> LocalFuture<'a, Result<(), Error>> {
        Box::pin(async move {
            self.io
                .set(&self.c.0.keys.session(), &record.to_storage_string())
                .await?;
            *self.c.0.session.borrow_mut() = Some(record);
            Ok(())
        })
    }

    /// Removes the stored session.
    pub(crate) fn clear_session<'a>(&'a self) -> LocalFuture<'a, Result<(), Error>> {
        Box::pin(async move {
            self.io.remove(&self.c.0.keys.session()).await?;
            *self.c.0.session.borrow_mut() = None;
            Ok(())
        })
    }

    /// Tells this tab's listeners and the other tabs (see [`super::tabs`]).
    pub(crate) fn emit<'a>(&'a self, name: &'a str) -> LocalFuture<'a, ()> {
        Box::pin(async move {
            self.io.emit(name, None).await;
            super::tabs::announce(self, name).await;
        })
    }
}
