//! One session across the tabs of an origin, and the optional proactive
//! refresh.
//!
//! - **One refresh across tabs.** Where the Web Locks API exists (browsers;
//!   W3C Web Locks API, `navigator.locks.request`), a refresh runs under the
//!   lock `cognito-wasm.<clientId>.refresh`. Inside it the stored session is
//!   read again: if another tab refreshed meanwhile (the access token is no
//!   longer the one this refresh started from), its tokens are used and no
//!   request is made. Elsewhere (Node, workerd) the in-tab single flight
//!   (`tokens.rs`) is all there is.
//! - **Broadcasts.** With a storage other tabs do not see (`sessionStorage`,
//!   the browser default), a `BroadcastChannel` named
//!   `cognito-wasm.<clientId>` (HTML Standard, "Broadcasting to other
//!   browsing contexts"; same-origin only) carries `signedIn`,
//!   `tokenRefresh` (with the session record, which the other tabs store),
//!   `signedOut` and `sessionExpired` (the other tabs clear theirs). Each tab
//!   then emits the same event to its own listeners. A new tab asks the
//!   others for their session once at start (`ask` → `session`); if one
//!   answers, it stores the session and emits `signedIn`. A tab that holds
//!   the lock and still has the tokens its refresh replaces asks too (the
//!   first answer that expires later wins, else it refreshes after 150 ms),
//!   so it uses tokens a tab just refreshed even when that tab's broadcast
//!   has not arrived yet.
//! - **Storage events.** With `localStorage` (shared by the tabs), the
//!   `storage` event (HTML Standard, "The StorageEvent interface") on the
//!   session key tells the other tabs; they emit `signedIn` (no session
//!   before), `tokenRefresh` (changed) or `signedOut` (removed; a session
//!   that expired in another tab is seen as `signedOut`). The channel then
//!   carries only the in-lock `ask`: Chromium propagates `localStorage`
//!   between tabs (processes) asynchronously, so the lock can reach a tab
//!   before the new tokens do.
//! - **Proactive refresh** (`autoRefresh: true`): a timer at expiry −
//!   `refreshMargin` − up to 10 s of jitter refreshes the session; it is
//!   paused while `document.hidden` and on `visibilitychange` to visible the
//!   session is refreshed if due and the timer set again. Signing out stops
//!   it; a failed refresh is tried again 30 s later.
//!
//! Tab syncing is on by default with Web Storage (`syncTabs` option) and off
//! for memory storage and adapters (two clients in one Node process must
//! not share a session by accident).

use super::{now, Client, Inner};
use crate::session::SessionRecord;
use crate::transport::LocalFuture;
use crate::Error;
use core::cell::{Cell, RefCell};
use js_sys::{Array, Function, Promise, Reflect};
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(f: &JsValue, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

/// The per-client state of the above.
#[derive(Default)]
pub(crate) struct Tabs {
    /// The `BroadcastChannel`, when syncing a storage the tabs do not share.
    channel: RefCell<Option<JsValue>>,
    /// Another tab has spoken on the channel.
    peers: Cell<bool>,
    /// The start-up `ask` is unanswered and nothing happened since.
    adopting: Cell<bool>,
    /// Resolves an in-lock `ask` with the first session answered that
    /// expires later than the given time.
    waiter: RefCell<Option<(Function, i64)>>,
    /// The proactive-refresh timer.
    timer: RefCell<Option<JsValue>>,
    /// While a lock is requested: what the grant calls, and what it returns
    /// (the lock is held until that promise resolves).
    lock: RefCell<Option<(Function, Promise)>>,
}

fn get(v: &JsValue, key: &str) -> JsValue {
    if !v.is_object() && !v.is_function() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(v, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

/// Calls `target[method](arg)` if it is a function.
fn call(target: &JsValue, method: &str, arg: &JsValue) -> Option<JsValue> {
    get(target, method)
        .dyn_into::<Function>()
        .ok()?
        .call1(target, arg)
        .ok()
}

/// Node keeps a process alive for open channels and timers: `unref()` them
/// (absent elsewhere).
fn unref(v: &JsValue) {
    let _ = get(v, "unref").dyn_into::<Function>().map(|f| f.call0(v));
}

/// A JS function calling `f` with this client while it exists. (Every
/// callback here is this one closure type: each type costs wasm bytes.)
fn js_fn(weak: Weak<Inner>, f: fn(Client, JsValue) -> JsValue) -> JsValue {
    Closure::<dyn FnMut(JsValue) -> JsValue>::new(move |e: JsValue| match weak.upgrade() {
        Some(inner) => f(Client(inner), e),
        None => JsValue::UNDEFINED,
    })
    .into_js_value()
}

/// `target.addEventListener(event, …)` calling `f` with this client while
/// it exists.
fn listen(target: &JsValue, event: &str, weak: Weak<Inner>, f: fn(Client, JsValue) -> JsValue) {
    let cb = js_fn(weak, f);
    let add = get(target, "addEventListener").dyn_into::<Function>();
    if let Ok(add) = add {
        let _ = add.call2(target, &event.into(), &cb);
    }
}

/// Runs `f` in the background. (Boxed, one instance for every caller: each
/// generic instance costs wasm bytes.)
#[inline(never)]
fn spawn(f: LocalFuture<'static, ()>) {
    wasm_bindgen_futures::spawn_local(f)
}

/// `getTokens`, boxed for the same reason.
#[inline(never)]
fn tokens(c: &Client, force: bool) -> LocalFuture<'_, Result<SessionRecord, Error>> {
    Box::pin(c.get_tokens(force))
}

/// Sets up syncing and the proactive refresh for a new client.
pub(super) fn start(c: &Client) {
    let config = &c.0.config;
    let global = js_sys::global();
    let weak = Rc::downgrade(&c.0);
    if config.sync_tabs {
        let shared = config.storage.is_shared();
        if shared {
            listen(&global, "storage", weak.clone(), on_storage);
        }
        if let Ok(ctor) = get(&global, "BroadcastChannel").dyn_into::<Function>() {
            let prefix = c.0.keys.prefix();
            let name = JsValue::from(prefix.strip_suffix('.').unwrap_or(prefix));
            if let Ok(channel) = Reflect::construct(&ctor, &Array::of1(&name)) {
                listen(&channel, "message", weak.clone(), on_message);
                unref(&channel);
                *c.0.tabs.channel.borrow_mut() = Some(channel);
                // Shared storage needs no adopting: the session is there.
                c.0.tabs.adopting.set(!shared);
                post(c, "ask", None);
            }
        }
    }
    if config.auto_refresh {
        listen(
            &get(&global, "document"),
            "visibilitychange",
            weak,
            on_visibility,
        );
        let c = c.clone();
        spawn(Box::pin(async move {
            if let Ok(Some(_)) = c.load_session().await {
                schedule(&c, None);
            }
        }));
    }
}

/// Posts `{ t, r }` on the channel, if any.
fn post(c: &Client, t: &str, record: Option<&SessionRecord>) {
    if let Some(channel) = &*c.0.tabs.channel.borrow() {
        let m = js_sys::Object::new();
        let _ = Reflect::set(&m, &"t".into(), &t.into());
        if let Some(r) = record {
            let _ = Reflect::set(&m, &"r".into(), &r.to_storage_string().into());
        }
        call(channel, "postMessage", &m);
    }
}

/// Called for every event this client emits: tells the other tabs and sets
/// or stops the proactive-refresh timer.
pub(super) fn announce(c: &Client, name: &str) {
    let live = match name {
        "signedIn" | "tokenRefresh" => true,
        "signedOut" | "sessionExpired" => false,
        _ => return,
    };
    c.0.tabs.adopting.set(false);
    // Shared storage tells the other tabs itself (`storage` events).
    if !c.0.config.storage.is_shared() {
        let record = c.0.session.borrow().clone();
        post(c, name, record.as_ref().filter(|_| live));
    }
    if live {
        schedule(c, None)
    } else {
        cancel(c)
    }
}

/// What another tab said: store or clear, then tell this tab's listeners.
fn on_message(c: Client, event: JsValue) -> JsValue {
    let data = get(&event, "data");
    let (Some(t), r) = (get(&data, "t").as_string(), get(&data, "r").as_string()) else {
        return JsValue::UNDEFINED;
    };
    spawn(Box::pin(async move {
        let tabs = &c.0.tabs;
        tabs.peers.set(true);
        let record = r.as_deref().and_then(SessionRecord::from_storage_string);
        let current = c.load_session().await.ok().flatten();
        match (t.as_str(), record) {
            ("ask", _) => post(&c, "session", current.as_ref()),
            ("session", Some(rec)) => {
                let after = tabs.waiter.borrow().as_ref().map(|w| w.1);
                if after.is_some_and(|after| rec.tokens.expires_at > after) {
                    if let Some((resolve, _)) = tabs.waiter.borrow_mut().take() {
                        let _ = resolve.call1(&JsValue::UNDEFINED, &r.unwrap_or_default().into());
                    }
                } else if tabs.adopting.replace(false)
                    && current.is_none()
                    && c.save_session(rec).await.is_ok()
                {
                    changed(&c, "signedIn");
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
                if newer && c.save_session(rec).await.is_ok() {
                    changed(&c, name);
                }
            }
            (name @ ("signedOut" | "sessionExpired"), _) => {
                tabs.adopting.set(false);
                if current.is_some() && c.clear_session().await.is_ok() {
                    changed(&c, name);
                }
            }
            _ => {}
        }
    }));
    JsValue::UNDEFINED
}

/// Another tab changed shared storage (`localStorage`).
fn on_storage(c: Client, event: JsValue) -> JsValue {
    let key = get(&event, "key").as_string();
    // `key` is null when the whole storage was cleared.
    if key.is_some_and(|k| k != c.0.keys.session()) {
        return JsValue::UNDEFINED;
    }
    let name = match (
        get(&event, "oldValue").as_string(),
        get(&event, "newValue").as_string(),
    ) {
        (None, None) => return JsValue::UNDEFINED,
        (_, None) => "signedOut",
        (None, Some(_)) => "signedIn",
        (Some(_), Some(_)) => "tokenRefresh",
    };
    spawn(Box::pin(async move {
        if c.load_session().await.is_ok() {
            changed(&c, name);
        }
    }));
    JsValue::UNDEFINED
}

/// Tells this tab's listeners of a change another tab made.
fn changed(c: &Client, name: &str) {
    c.emit_local(name, &JsValue::UNDEFINED);
    match name {
        "signedIn" | "tokenRefresh" => schedule(c, None),
        _ => cancel(c),
    }
}

/// Asks the other tabs for their session: the first answer that expires
/// after `after`, or `None` after `ms`. (The answer travels after the
/// answering tab's writes: storage shared between tabs may reach this tab
/// later than the lock does.)
async fn ask(c: &Client, after: i64, ms: f64) -> Option<SessionRecord> {
    let p = Promise::new(&mut |resolve, _| {
        set_timeout(&resolve, ms);
        *c.0.tabs.waiter.borrow_mut() = Some((resolve, after));
    });
    post(c, "ask", None);
    let answer = JsFuture::from(p).await.ok();
    c.0.tabs.waiter.borrow_mut().take();
    SessionRecord::from_storage_string(&answer?.as_string()?)
}

/// The access token of the session as last read: the one a refresh
/// decided on now replaces. (Read when the refresh is decided, not when it
/// starts: another tab's tokens may arrive in between.)
pub(super) fn seen(c: &Client) -> Option<String> {
    let session = c.0.session.borrow();
    session.as_ref().map(|r| r.tokens.access_token.clone())
}

/// The refresh behind `getTokens`, under the cross-tab lock where there is
/// one: holding it, another tab's fresh tokens (not `seen`) are used if
/// there are any.
pub(super) async fn refresh(c: &Client, seen: Option<String>) -> Result<SessionRecord, Error> {
    let release = lock(c).await;
    let fresher = match release {
        Some(_) => fresher(c, seen).await,
        None => None,
    };
    let result = match fresher {
        Some(r) => r,
        None => c.refresh().await,
    };
    if let Some(release) = release {
        let _ = release.call0(&JsValue::UNDEFINED);
    }
    result
}

/// Takes the Web Lock `<prefix>refresh` (W3C Web Locks API,
/// `LockManager.request`): resolves once it is held, to the function that
/// releases it; `None` where there are no Web Locks or the request failed.
#[inline(never)]
fn lock(c: &Client) -> LocalFuture<'static, Option<Function>> {
    let locks = get(&get(&js_sys::global(), "navigator"), "locks");
    let (mut grant, mut release) = (None, None);
    let held = Promise::new(&mut |resolve, _| release = Some(resolve));
    let granted = Promise::new(&mut |resolve, _| grant = Some(resolve));
    let name = JsValue::from(c.0.keys.prefix().to_owned() + "refresh");
    let request = get(&locks, "request").dyn_into::<Function>();
    let (Ok(request), Some(grant), Some(release)) = (request, grant, release) else {
        return Box::pin(async { None });
    };
    // The lock is held until `held` resolves, i.e. until `release` is called.
    *c.0.tabs.lock.borrow_mut() = Some((grant, held));
    let callback = js_fn(Rc::downgrade(&c.0), on_granted);
    let Ok(requested) = request.call2(&locks, &name, &callback) else {
        return Box::pin(async { None });
    };
    // A request that fails (rejects) before the grant: no lock.
    let race = Promise::race(&Array::of2(&granted, &Promise::resolve(&requested)));
    Box::pin(async move { JsFuture::from(race).await.ok().map(|_| release) })
}

fn on_granted(c: Client, _lock: JsValue) -> JsValue {
    match c.0.tabs.lock.borrow_mut().take() {
        Some((grant, held)) => {
            let _ = grant.call0(&JsValue::UNDEFINED);
            held.into()
        }
        None => JsValue::UNDEFINED,
    }
}

/// The tokens another tab refreshed since `seen`, if any: in shared
/// storage, or (storage the tabs do not share) from a tab that answers.
#[inline(never)]
fn fresher(
    c: &Client,
    seen: Option<String>,
) -> LocalFuture<'_, Option<Result<SessionRecord, Error>>> {
    Box::pin(async move {
        let seen = seen?;
        let stored = match c.load_session().await {
            Ok(Some(s)) => s,
            Ok(None) => return Some(Err(Error::NotSignedIn)),
            Err(e) => return Some(Err(e)),
        };
        if stored.tokens.access_token != seen {
            return Some(Ok(stored));
        }
        if !c.0.tabs.peers.get() || c.0.tabs.channel.borrow().is_none() {
            return None;
        }
        let r = ask(c, stored.tokens.expires_at, 150.0).await?;
        if r.username != stored.username {
            return None;
        }
        // Shared storage has the record already (or will shortly).
        if c.0.config.storage.is_shared() {
            *c.0.session.borrow_mut() = Some(r.clone());
        } else if c.save_session(r.clone()).await.is_err() {
            return None;
        }
        Some(Ok(r))
    })
}

fn cancel(c: &Client) {
    if let Some(id) = c.0.tabs.timer.borrow_mut().take() {
        clear_timeout(&id);
    }
}

fn hidden() -> bool {
    get(&get(&js_sys::global(), "document"), "hidden").is_truthy()
}

/// Sets the proactive-refresh timer: after `delay` seconds, else at expiry −
/// margin − jitter.
fn schedule(c: &Client, delay: Option<f64>) {
    cancel(c);
    let config = &c.0.config;
    let expires_at = c.0.session.borrow().as_ref().map(|r| r.tokens.expires_at);
    let (true, false, Some(expires_at)) = (config.auto_refresh, hidden(), expires_at) else {
        return;
    };
    let due = (expires_at - config.refresh_margin - now()) as f64 - js_sys::Math::random() * 10.0;
    let ms = (delay.unwrap_or(due) * 1000.0).clamp(0.0, 2_147_483_647.0);
    let id = set_timeout(&js_fn(Rc::downgrade(&c.0), on_timer), ms);
    unref(&id);
    *c.0.tabs.timer.borrow_mut() = Some(id);
}

fn on_timer(c: Client, _: JsValue) -> JsValue {
    spawn(Box::pin(async move {
        // A refresh emits tokenRefresh, which sets the next timer.
        match tokens(&c, true).await {
            Err(Error::NotSignedIn | Error::SessionExpired) | Ok(_) => {}
            Err(_) => schedule(&c, Some(30.0)),
        }
    }));
    JsValue::UNDEFINED
}

fn on_visibility(c: Client, _event: JsValue) -> JsValue {
    if hidden() {
        cancel(&c);
        return JsValue::UNDEFINED;
    }
    spawn(Box::pin(async move {
        if tokens(&c, false).await.is_ok() {
            schedule(&c, None);
        }
    }));
    JsValue::UNDEFINED
}
