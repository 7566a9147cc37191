//! One session across the tabs of an origin, and the optional proactive
//! refresh. The driver only carries messages and events here; every rule is
//! below.
//!
//! - **One refresh across tabs.** A refresh runs under the lock
//!   `<prefix>refresh` (W3C Web Locks API where present, see
//!   [`super::tokens`]). Holding a cross-tab lock, the stored session is
//!   read again: if another tab refreshed meanwhile (the access token is no
//!   longer the one this refresh started from), its tokens are used and no
//!   request is made.
//! - **Broadcasts.** With a storage other tabs do not see (`sessionStorage`,
//!   the browser default), a `BroadcastChannel` named
//!   `cognito-wasm.<clientId>` (HTML Standard, "Broadcasting to other
//!   browsing contexts"; same-origin only) carries `signedIn`,
//!   `tokenRefresh` (with the session record, which the other tabs store),
//!   `signedOut` and `sessionExpired` (the other tabs clear theirs). Each
//!   tab then emits the same event to its own listeners. A new tab asks the
//!   others for their session once at start (`ask` → `session`); if one
//!   answers, it stores the session and emits `signedIn`. A tab that holds
//!   the lock and still has the tokens its refresh replaces asks too (the
//!   first answer that expires later wins, else it refreshes after 150 ms).
//!   A late refresh never replaces a newer session.
//! - **The refresh token stays in the tab that signed in.** Records on the
//!   channel carry the ID and access tokens only: any same-origin document
//!   can listen there (security review, finding 7; SECURITY.md). A tab that
//!   adopted a session therefore asks the others to refresh it (`refresh`,
//!   with the access token it holds); a tab holding a refresh token
//!   refreshes if that is still its own access token (one refresh, under
//!   the lock) and answers `session` with its tokens. With no answer in 3 s
//!   the adopted tokens are used while they last, then that tab's session
//!   ends (locally: the others may still hold theirs). A tab adopting a
//!   record for the user it holds a refresh token for keeps that token. A
//!   sign-out in a tab without the refresh token asks the others to revoke
//!   it (`signedOut` with `revoke`).
//! - **Storage events.** With `localStorage` (shared by the tabs), the
//!   `storage` event (HTML Standard, "The StorageEvent interface") on the
//!   session key tells the other tabs; they emit `signedIn` (no session
//!   before), `tokenRefresh` (changed) or `signedOut` (removed). The channel
//!   then carries only the in-lock `ask`.
//! - **Proactive refresh** (`autoRefresh: true`): a timer at expiry −
//!   `refreshMargin` − up to 10 s of jitter refreshes the session; it is
//!   paused while the page is hidden and on becoming visible the session is
//!   refreshed if due and the timer set again. Signing out stops it; a
//!   failed refresh is tried again 30 s later.
//!
//! Tab syncing is on by default with Web Storage (`syncTabs`) and off for
//! memory storage and adapters.

use crate::prelude::*;

use super::client::Cx;
use super::io::LocalFuture;
use super::value::{num, opt_bool, opt_string, Obj};
use crate::json::Json;
use crate::jwt::decode_jwt;
use crate::session::SessionRecord;
use crate::Error;
use core::cell::Cell;

/// The per-client state of the above.
#[derive(Default)]
pub struct Tabs {
    /// The driver has a `BroadcastChannel` open for this client.
    channel: Cell<bool>,
    /// Another tab has spoken on the channel.
    peers: Cell<bool>,
    /// The start-up `ask` is unanswered and nothing happened since.
    adopting: Cell<bool>,
    /// The page is hidden (no proactive refresh meanwhile).
    hidden: Cell<bool>,
    /// The next `signedOut` asks the other tabs to revoke their refresh
    /// token (this tab had none to revoke).
    revoke: Cell<bool>,
    /// Before this time (Unix seconds) a refresh asked for by another tab
    /// is made only if the tokens are due: any same-origin page can ask.
    forced_after: Cell<i64>,
}

/// A refresh asked for on the channel before the tokens are due (another
/// tab's `getTokens({ forceRefresh: true })`) is made at most this often.
const FORCED_EVERY_S: i64 = 60;

/// How long a tab without the refresh token waits for another to refresh.
const BORROW_MS: f64 = 3000.0;

/// `r` as the channel carries it: without the refresh token.
fn shareable(r: &SessionRecord) -> String {
    let mut r = r.clone();
    r.tokens.refresh_token = None;
    r.to_storage_string()
}

/// The channel's name: the storage prefix without its final dot.
fn channel_name(cx: &Cx) -> String {
    let prefix = cx.inner().keys.prefix();
    prefix.strip_suffix('.').unwrap_or(prefix).to_owned()
}

impl Cx {
    /// The client's start: listens to the other tabs and the page as
    /// configured (effect `listen`, answered `{ channel, hidden }`), asks
    /// the other tabs for their session, and sets the proactive-refresh
    /// timer for a stored session.
    pub(crate) fn start<'a>(&'a self) -> LocalFuture<'a, Result<Json, Error>> {
        Box::pin(async move {
            let config = self.config();
            let tabs = &self.inner().tabs;
            let shared = config.storage.is_shared();
            let listen = Obj::new()
                .set("t", "listen")
                .opt("channel", config.sync_tabs.then(|| channel_name(self)))
                .set("storageKey", self.inner().keys.session())
                .set("storage", config.sync_tabs && shared)
                .set("visibility", config.auto_refresh);
            let answer = self.io.tell(listen).await.unwrap_or(Json::Null);
            tabs.channel
                .set(matches!(answer.get("channel"), Some(Json::Bool(true))));
            tabs.hidden
                .set(matches!(answer.get("hidden"), Some(Json::Bool(true))));
            if tabs.channel.get() {
                // Shared storage needs no adopting: the session is there.
                tabs.adopting.set(!shared);
                self.post("ask", None).await;
            }
            if config.auto_refresh {
                if let Ok(Some(_)) = self.load_session().await {
                    self.schedule(None).await;
                }
            }
            Ok(Json::Null)
        })
    }

    /// Posts `{ t, r }` on the channel, if there is one (`r` without the
    /// refresh token; `revoke` when asked of a `signedOut`).
    fn post<'a>(&'a self, t: &'a str, record: Option<&'a SessionRecord>) -> LocalFuture<'a, ()> {
        Box::pin(async move {
            let tabs = &self.inner().tabs;
            if tabs.channel.get() {
                let revoke = t == "signedOut" && tabs.revoke.take();
                let message = Obj::new()
                    .set("t", t)
                    .opt("r", record.map(shareable))
                    .opt("revoke", revoke.then_some(true));
                self.io
                    .tell(Obj::new().set("t", "post").set("message", message))
                    .await;
            }
        })
    }

    /// Has the next `signedOut` ask the other tabs to revoke their refresh
    /// token: `record`, being signed out with `revoke`, came from another
    /// tab without one.
    pub(crate) fn revoke_elsewhere(&self, record: &SessionRecord) {
        let tabs = &self.inner().tabs;
        tabs.revoke
            .set(record.tokens.refresh_token.is_none() && tabs.channel.get());
    }

    /// What another tab said (the channel's message data): store or clear,
    /// then tell this tab's listeners.
    pub(crate) fn on_message<'a>(&'a self, data: &'a Json) -> LocalFuture<'a, Result<Json, Error>> {
        Box::pin(async move {
            let tabs = &self.inner().tabs;
            let (Ok(Some(t)), r) = (opt_string(data, "t"), opt_string(data, "r").ok().flatten())
            else {
                return Ok(Json::Null);
            };
            tabs.peers.set(true);
            let current = self.load_session().await.ok().flatten();
            let record = r.as_deref().and_then(SessionRecord::from_storage_string);
            // The channel carries no refresh token: keep this tab's own for
            // the same user (and the device it is bound to).
            let record = record.map(|mut rec| {
                if let Some(cur) = current.as_ref().filter(|c| c.username == rec.username) {
                    if rec.tokens.refresh_token.is_none() && cur.tokens.refresh_token.is_some() {
                        rec.tokens.refresh_token = cur.tokens.refresh_token.clone();
                        rec.device_key = cur.device_key.clone();
                    }
                }
                rec
            });
            let holder = current
                .as_ref()
                .filter(|c| c.tokens.refresh_token.is_some());
            match (t.as_str(), record) {
                ("ask", _) => self.post("session", current.as_ref()).await,
                ("refresh", _) => {
                    // A tab without the refresh token needs fresher tokens
                    // than `a`: refresh if `a` is still this tab's access
                    // token (and due, or not forced within the last
                    // minute), else answer with the tokens held.
                    if let (Some(cur), Ok(Some(a))) = (holder, opt_string(data, "a")) {
                        let now = self.io.now();
                        let due = cur.tokens.needs_refresh(now, self.config().refresh_margin);
                        let allowed = due || now >= tabs.forced_after.get();
                        let fresh = if a == cur.tokens.access_token && allowed {
                            if !due {
                                tabs.forced_after.set(now + FORCED_EVERY_S);
                            }
                            self.refresh_shared(a).await.ok()
                        } else {
                            Some(cur.clone())
                        };
                        self.post("session", fresh.as_ref()).await;
                    }
                }
                // A record whose ID token is not this client's (or, for a
                // refresh, not the signed-in user's) is not adopted: any
                // same-origin script can post on the channel.
                (_, Some(rec))
                    if !self.belongs(&rec, current.as_ref().filter(|_| t == "tokenRefresh")) => {}
                ("session", Some(rec)) if tabs.adopting.replace(false) && current.is_none() => {
                    // (Not a guard: storing needs an await.)
                    #[allow(clippy::collapsible_match)]
                    if self.save_session(rec).await.is_ok() {
                        self.changed("signedIn").await;
                    }
                }
                (name @ ("signedIn" | "tokenRefresh"), Some(rec)) => {
                    tabs.adopting.set(false);
                    // A late refresh must not replace a newer session.
                    let newer = name == "signedIn"
                        || current.is_none_or(|cur| {
                            cur.username != rec.username
                                || rec.tokens.expires_at >= cur.tokens.expires_at
                        });
                    if newer && self.save_session(rec).await.is_ok() {
                        self.changed(name).await;
                    }
                }
                (name @ ("signedOut" | "sessionExpired"), _) => {
                    tabs.adopting.set(false);
                    // A tab without the refresh token signed out and asks
                    // for it to be revoked (best effort, as in signOut).
                    if let (Some(cur), Ok(Some(true))) = (holder, opt_bool(data, "revoke")) {
                        if name == "signedOut" {
                            self.revoke(cur).await;
                        }
                    }
                    if current.is_some() && self.clear_session().await.is_ok() {
                        self.changed(name).await;
                    }
                }
                _ => {}
            }
            Ok(Json::Null)
        })
    }

    /// Whether `rec`'s ID token is for this app client (`aud`, `token_use`
    /// id; OIDC Core §2) and, given `same_user`, about the same user
    /// (`sub`, as OIDC Core §12.2 asks of a refreshed ID token). The token is
    /// not verified here (no keys are at hand for an API session): this
    /// tells a foreign or mistaken record apart, it does not authenticate
    /// one (SECURITY.md, "The tabs' channel").
    fn belongs(&self, rec: &SessionRecord, same_user: Option<&SessionRecord>) -> bool {
        let claims = |r: &SessionRecord| decode_jwt(&r.tokens.id_token).ok().map(|j| j.claims);
        let Some(c) = claims(rec) else {
            return false;
        };
        let client = self.config().pool.client_id();
        let for_client = match c.get("aud") {
            Some(Json::String(a)) => a == client,
            Some(Json::Array(a)) => a.iter().any(|a| a.as_str() == Some(client)),
            _ => false,
        };
        let id_token = c.get("token_use").is_none_or(|u| u.as_str() == Some("id"));
        let sub = |c: &Json| c.get("sub").and_then(Json::as_str).map(str::to_owned);
        let same = same_user.is_none_or(|cur| claims(cur).is_none_or(|cc| sub(&cc) == sub(&c)));
        for_client && id_token && same
    }

    /// Another tab changed shared storage (`localStorage`): the `storage`
    /// event's `key`, `oldValue` and `newValue`.
    pub(crate) fn on_storage<'a>(
        &'a self,
        event: &'a Json,
    ) -> LocalFuture<'a, Result<Json, Error>> {
        Box::pin(async move {
            let key = opt_string(event, "key").ok().flatten();
            // `key` is null when the whole storage was cleared.
            if key.is_some_and(|k| k != self.inner().keys.session()) {
                return Ok(Json::Null);
            }
            let old = opt_string(event, "oldValue").ok().flatten();
            let new = opt_string(event, "newValue").ok().flatten();
            let name = match (old, new) {
                (None, None) => return Ok(Json::Null),
                (_, None) => "signedOut",
                (None, Some(_)) => "signedIn",
                (Some(_), Some(_)) => "tokenRefresh",
            };
            if self.load_session().await.is_ok() {
                self.changed(name).await;
            }
            Ok(Json::Null)
        })
    }

    /// Tells this tab's listeners of a change another tab made.
    fn changed<'a>(&'a self, name: &'a str) -> LocalFuture<'a, ()> {
        Box::pin(async move {
            self.io.emit(name, None).await;
            match name {
                "signedIn" | "tokenRefresh" => self.schedule(None).await,
                _ => self.cancel().await,
            }
        })
    }

    /// Asks the other tabs for tokens newer than `seen` (the session this
    /// tab has): the first answer with another access token that expires no
    /// earlier, or `None` after `ms`. Effect `ask`: the driver posts
    /// `message` — `{ t: "refresh", a }` when `refresh` (a holder
    /// refreshes), else `{ t: "ask" }` — and answers with the next `session` record, or null
    /// when the time is up. Not `exp` alone: a refresh within the second of
    /// the sign-in expires in the same second.
    fn ask<'a>(
        &'a self,
        refresh: bool,
        seen: &'a SessionRecord,
        ms: f64,
    ) -> LocalFuture<'a, Option<SessionRecord>> {
        Box::pin(async move {
            let deadline = self.io.now_f64() * 1000.0 + ms;
            loop {
                let left = deadline - self.io.now_f64() * 1000.0;
                if left <= 0.0 {
                    return None;
                }
                let old = &seen.tokens;
                let message = match refresh {
                    true => Obj::new()
                        .set("t", "refresh")
                        .set("a", old.access_token.as_str()),
                    false => Obj::new().set("t", "ask"),
                };
                let effect = Obj::new()
                    .set("t", "ask")
                    .set("ms", num(left))
                    .set("message", message);
                let answer = self.io.tell(effect).await?;
                let r = SessionRecord::from_storage_string(answer.as_str()?)?;
                if r.tokens.access_token != old.access_token
                    && r.tokens.expires_at >= old.expires_at
                {
                    return Some(r);
                }
            }
        })
    }

    /// The tokens another tab refreshed since `seen`, if any: in shared
    /// storage, or (storage the tabs do not share) from a tab that answers.
    pub(crate) fn fresher<'a>(
        &'a self,
        seen: &'a str,
    ) -> LocalFuture<'a, Option<Result<SessionRecord, Error>>> {
        Box::pin(async move {
            let stored = match self.load_session().await {
                Ok(Some(s)) => s,
                Ok(None) => return Some(Err(Error::NotSignedIn)),
                Err(e) => return Some(Err(e)),
            };
            if stored.tokens.access_token != seen {
                return Some(Ok(stored));
            }
            let tabs = &self.inner().tabs;
            if !tabs.peers.get() || !tabs.channel.get() {
                return None;
            }
            let r = self.ask(false, &stored, 150.0).await?;
            if r.username != stored.username {
                return None;
            }
            // Shared storage has the record already (or will shortly).
            if self.config().storage.is_shared() {
                *self.inner().session.borrow_mut() = Some(r.clone());
            } else if self.save_session(r.clone()).await.is_err() {
                return None;
            }
            Some(Ok(r))
        })
    }

    /// A refresh by another tab, for a tab that adopted its session and so
    /// has no refresh token (`None`: this tab refreshes itself). `seen` is
    /// the access token to replace.
    pub(crate) fn borrowed_refresh<'a>(
        &'a self,
        seen: &'a str,
    ) -> LocalFuture<'a, Option<Result<SessionRecord, Error>>> {
        Box::pin(async move {
            let tabs = &self.inner().tabs;
            if !tabs.channel.get() || self.config().storage.is_shared() {
                return None;
            }
            let stored = match self.load_session().await {
                Ok(Some(s)) if s.tokens.refresh_token.is_none() => s,
                _ => return None,
            };
            if stored.tokens.access_token != seen {
                // Newer tokens came while this call started.
                return Some(Ok(stored));
            }
            let asked = if tabs.peers.get() {
                self.ask(true, &stored, BORROW_MS).await
            } else {
                None
            };
            match asked.filter(|r| self.belongs(r, Some(&stored))) {
                Some(mut r) => {
                    r.tokens.refresh_token = None;
                    // The same tokens may have come as `tokenRefresh` already
                    // (this tab's storage, as last read or written).
                    let adopted = self.inner().session.borrow().clone();
                    if adopted.is_some_and(|a| a.tokens.access_token == r.tokens.access_token) {
                        return Some(Ok(r));
                    }
                    if let Err(e) = self.save_session(r.clone()).await {
                        return Some(Err(e));
                    }
                    self.changed("tokenRefresh").await;
                    Some(Ok(r))
                }
                // Unanswered: the adopted tokens while they last (newer
                // ones may have come as `tokenRefresh` meanwhile), then this
                // tab alone ends (the holder may just be closed).
                None => {
                    let latest = self.inner().session.borrow().clone();
                    match latest {
                        Some(r) if r.tokens.expires_at > self.io.now() => Some(Ok(r)),
                        _ => {
                            if self.clear_session().await.is_ok() {
                                self.changed("sessionExpired").await;
                            }
                            Some(Err(Error::SessionExpired))
                        }
                    }
                }
            }
        })
    }

    fn cancel<'a>(&'a self) -> LocalFuture<'a, ()> {
        Box::pin(async move {
            if self.config().auto_refresh {
                self.io.tell(Obj::new().set("t", "timer")).await;
            }
        })
    }

    /// Sets the proactive-refresh timer (effect `timer`, one per client;
    /// without `ms` it is cleared): after `delay` seconds, else at expiry −
    /// margin − jitter.
    fn schedule<'a>(&'a self, delay: Option<f64>) -> LocalFuture<'a, ()> {
        Box::pin(async move {
            let config = self.config();
            let expires_at = self
                .inner()
                .session
                .borrow()
                .as_ref()
                .map(|r| r.tokens.expires_at);
            let (true, Some(expires_at)) = (config.auto_refresh, expires_at) else {
                return;
            };
            if self.inner().tabs.hidden.get() {
                return self.cancel().await;
            }
            let mut b = [0u8; 2];
            let _ = getrandom::fill(&mut b);
            let jitter = f64::from(u16::from_le_bytes(b)) / 65_536.0 * 10.0;
            // Saturating: `expires_at` is read back from storage, which
            // anything on the page may have written (see the fuzz targets).
            let due = expires_at
                .saturating_sub(config.refresh_margin)
                .saturating_sub(self.io.now()) as f64
                - jitter;
            let ms = (delay.unwrap_or(due) * 1000.0).clamp(0.0, 2_147_483_647.0);
            self.io
                .tell(Obj::new().set("t", "timer").set("ms", num(ms)))
                .await;
        })
    }

    /// Called for every event this client emits: tells the other tabs and
    /// sets or stops the proactive-refresh timer.
    pub(crate) fn announce_event<'a>(&'a self, name: &'a str) -> LocalFuture<'a, ()> {
        Box::pin(async move {
            let live = match name {
                "signedIn" | "tokenRefresh" => true,
                "signedOut" | "sessionExpired" => false,
                _ => return,
            };
            self.inner().tabs.adopting.set(false);
            // Shared storage tells the other tabs itself (`storage` events).
            if !self.config().storage.is_shared() {
                let record = self.inner().session.borrow().clone();
                self.post(name, record.as_ref().filter(|_| live)).await;
            }
            if live {
                self.schedule(None).await
            } else {
                self.cancel().await
            }
        })
    }

    /// The proactive-refresh timer fired.
    pub(crate) fn on_timer<'a>(&'a self) -> LocalFuture<'a, Result<Json, Error>> {
        Box::pin(async move {
            // A refresh emits tokenRefresh, which sets the next timer.
            match self.get_tokens(true).await {
                Err(Error::NotSignedIn | Error::SessionExpired) | Ok(_) => {}
                Err(_) => self.schedule(Some(30.0)).await,
            }
            Ok(Json::Null)
        })
    }

    /// The page became hidden or visible.
    pub(crate) fn on_visibility<'a>(
        &'a self,
        hidden: bool,
    ) -> LocalFuture<'a, Result<Json, Error>> {
        Box::pin(async move {
            self.inner().tabs.hidden.set(hidden);
            if hidden {
                self.cancel().await;
            } else if self.get_tokens(false).await.is_ok() {
                self.schedule(None).await;
            }
            Ok(Json::Null)
        })
    }
}

/// See [`Cx::announce_event`].
pub(crate) fn announce<'a>(cx: &'a Cx, name: &'a str) -> LocalFuture<'a, ()> {
    Box::pin(async move { cx.announce_event(name).await })
}
