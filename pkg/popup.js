// CognitoAuth.signInWithPopup: the hosted-UI sign-in in a popup window. The
// protocol (transaction, callback checks, exchange, ID-token checks) is the
// wasm core's signInWithRedirect / handleRedirectCallback; this file only
// does the window part: open the popup inside the user's click, hand the
// callback URL from the popup's redirect page to the opener (postMessage,
// and a BroadcastChannel for when the opener reference is cut, e.g. by
// Cross-Origin-Opener-Policy), and give up on a closed window or a timeout.
import { CognitoAuth } from "./auth.js";
import { CognitoError } from "./api.js";

const POPUP_NAME = "cognito-wasm-popup";
const CHANNEL = "cognito-wasm.popup";
const MESSAGE = "cognito-wasm:callback";

const PENDING = Symbol.for("cognito-wasm.popup-pending");

const forward = CognitoAuth.prototype.handleRedirectCallback;

// Whether this page is a sign-in popup's redirect page: by the window name
// (which some browsers clear after a cross-site navigation), or by an opener
// of this origin waiting for a popup sign-in.
function isPopup(w) {
  if (w.name === POPUP_NAME) return true;
  try {
    return Boolean(w.opener && w.opener !== w && w.opener[PENDING]);
  } catch {
    return false;
  }
}

// In the popup: hand the callback to the opener instead of handling it.
CognitoAuth.prototype.handleRedirectCallback = function (arg) {
  const w = globalThis.window;
  if (w && arg === undefined && isPopup(w)) {
    const data = { type: MESSAGE, url: w.location.href };
    try {
      w.opener?.postMessage(data, w.location.origin);
    } catch {}
    try {
      const bc = new BroadcastChannel(CHANNEL);
      bc.postMessage(data);
      bc.close();
    } catch {}
    history.replaceState(history.state, "", w.location.origin + w.location.pathname);
    setTimeout(() => w.close(), 0);
    return Promise.resolve({ forwarded: true });
  }
  return forward.call(this, arg);
};

CognitoAuth.prototype.signInWithPopup = function (options = {}) {
  const { timeout = 300_000, features = "popup,width=480,height=640", ...rest } = options ?? {};
  const w = globalThis.window;
  // Opened now, while the click's user activation lasts; pointed at the
  // hosted UI once the transaction is stored.
  const popup = w?.open?.("about:blank", POPUP_NAME, features);
  if (!popup) {
    return Promise.reject(new CognitoError("the sign-in popup was blocked; call signInWithPopup from a click handler", "PopupBlocked"));
  }
  return new Promise((resolve, reject) => {
    let bc = null;
    let timer = 0;
    let poll = 0;
    // The `state` of this sign-in: a callback URL with any other state was
    // not sent by its popup (any page of this origin, or one another site
    // opened under the popup's window name, can post one) and is ignored
    // rather than allowed to cancel the sign-in.
    let state = null;
    w[PENDING] = true;
    const done = (f, v) => {
      w[PENDING] = false;
      clearTimeout(timer);
      clearInterval(poll);
      w.removeEventListener("message", onMessage);
      bc?.close();
      f(v);
    };
    const receive = (data) => {
      if (data?.type !== MESSAGE || typeof data.url !== "string" || state === null) return;
      let theirs;
      try {
        theirs = new URL(data.url).searchParams.get("state");
      } catch {
        return;
      }
      if (theirs !== state) return;
      done(resolve, forward.call(this, data.url));
    };
    const onMessage = (e) => {
      if (e.origin === w.location.origin && e.source === popup) receive(e.data);
    };
    w.addEventListener("message", onMessage);
    try {
      bc = new BroadcastChannel(CHANNEL);
      bc.onmessage = (e) => receive(e.data);
    } catch {}
    timer = setTimeout(() => {
      popup.close();
      done(reject, new CognitoError("the sign-in popup did not finish in time", "PopupTimeout"));
    }, timeout);
    // A closed window: wait a moment for a message still in flight.
    poll = setInterval(() => {
      if (popup.closed) {
        clearInterval(poll);
        setTimeout(() => done(reject, new CognitoError("the sign-in popup was closed before signing in", "PopupClosed")), 500);
      }
    }, 250);
    this.signInWithRedirect({ ...rest, navigate: false }).then(
      (url) => {
        state = new URL(url).searchParams.get("state");
        popup.location.assign(url);
      },
      (e) => {
        popup.close();
        done(reject, e);
      },
    );
  }).then((p) => p);
};
