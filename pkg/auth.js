// CognitoAuth: the friendly client. The protocol is the core's machines
// (src/machine, through pkg/driver.js); this class holds what only JS can:
// the storage object, `fetch`, the SRP backend, the tabs' channel and
// events, timers, and the app's listeners.
import { CognitoError, _ensureReady, _load } from "./api.js";
import { close, open, run } from "./driver.js";

const EVENTS = new Set(["signedIn", "signedOut", "tokenRefresh", "tokenRefreshFailure", "sessionExpired"]);

const inPage = () => typeof document === "object" && document !== null && typeof Worker === "function";

// SRP in a browser page, by default: one Web Worker for the page, shared by
// every CognitoAuth and started on the first sign-in, so that the 3072-bit
// exponentiations never block the page (bench/srp-worker-chromium.bench.mjs).
// If the worker cannot start (a CSP without worker-src, a bundle that left
// srp-worker.js or the .wasm behind, a worker that does not answer), SRP runs
// inline from then on: a sign-in never fails for want of a worker. The SRP
// code is imported on first use: an app that only restores sessions or uses
// the hosted UI never loads it.
let pageBackend;
let pageBackendReady;

function pageSrp() {
  pageBackendReady ??= import("./srp-offload.js").then(({ createSrpOffload }) => {
    let offload = createSrpOffload();
    const owner = new Map(); // prepared id → the offload holding its `a`
    pageBackend = {
      get mode() {
        return offload.mode;
      },
      async prepare() {
        let prepared;
        try {
          prepared = await offload.prepare();
        } catch (e) {
          if (offload.mode !== "worker") throw e;
          offload.close();
          offload = createSrpOffload({ worker: false });
          prepared = await offload.prepare();
        }
        owner.set(prepared.id, offload);
        return prepared;
      },
      answer(id, params) {
        const o = owner.get(id) ?? offload;
        owner.delete(id);
        return o.answer(id, params);
      },
      dispose(id) {
        const o = owner.get(id) ?? offload;
        owner.delete(id);
        return o.dispose(id);
      },
    };
    return pageBackend;
  });
  return pageBackendReady;
}

let inlineBackend;
function inlineSrp() {
  inlineBackend ??= import("./srp.js").then((m) => m.inlineSrp());
  return inlineBackend;
}

/** @internal Tests: the page's default SRP backend, if one was made ("worker" or "inline"). */
export function _pageSrpMode() {
  return pageBackend?.mode;
}

/** Whether `name` is a usable Web Storage here (reading it can throw in sandboxed documents). */
function webStorage(name) {
  try {
    const s = globalThis[name];
    if (!s || typeof s.getItem !== "function") return null;
    s.getItem("cognito-wasm.probe"); // Safari's private mode and blocked storage throw here
    return s;
  } catch {
    return null;
  }
}

function memoryStorage() {
  const m = new Map();
  return {
    getItem: (k) => (m.has(k) ? m.get(k) : null),
    setItem: (k, v) => void m.set(k, String(v)),
    removeItem: (k) => void m.delete(k),
  };
}

/** What the core needs to know of the `storage` option (it decides). */
function storageOption(s) {
  if (s === undefined || s === null || typeof s === "string") return s;
  const has = (m) => typeof s?.[m] === "function";
  if (typeof s === "object" && has("getItem") && has("setItem") && has("removeItem")) {
    return { adapter: true, shared: Boolean(s.shared) };
  }
  return { invalid: true };
}

function invalid(message) {
  return new CognitoError(message, "InvalidArgument");
}

/**
 * Signs users in to a Cognito user pool and keeps them signed in. See
 * index.d.ts for the options, the steps and the events.
 */
export class CognitoAuth {
  #handle;
  #env;
  #listeners = new Map();
  #channel = null;
  #asks = [];
  #timer = 0;

  constructor(options) {
    _ensureReady();
    if (options === null || typeof options !== "object") {
      throw invalid("CognitoAuth needs an options object with userPoolId and clientId");
    }
    if (options.fetch !== undefined && typeof options.fetch !== "function") {
      throw invalid("fetch must be a function with fetch's signature");
    }
    const srp = options.srp;
    if (srp !== undefined && srp !== null && srp !== "inline" && !(typeof srp?.prepare === "function" && typeof srp?.answer === "function")) {
      throw invalid("srp must be an SRP backend with prepare() and answer() (createSrpOffload()), or \"inline\"");
    }
    const { fetch: _f, srp: _s, storage, ...plain } = options;
    const opened = open("openClient", {
      ...plain,
      storage: storageOption(storage),
      webStorage: { session: Boolean(webStorage("sessionStorage")), local: Boolean(webStorage("localStorage")) },
    });
    this.#handle = opened.v;
    const store =
      opened.storage === "adapter"
        ? storage
        : opened.storage === "memory"
          ? memoryStorage()
          : webStorage(opened.storage === "local" ? "localStorage" : "sessionStorage");
    const backend = async (device) => {
      if (!device && typeof srp?.prepare === "function") return srp;
      if (!device && srp === undefined && inPage()) return pageSrp();
      return inlineSrp();
    };
    this.#env = {
      fetch: options.fetch,
      storage: store,
      emit: (name, detail) => this.#emit(name, detail),
      srp: async (e) => {
        if (e.op === "deviceVerifier") {
          await _load("srp");
          const { deviceVerifierAsync } = await import("./srp.js");
          const v = await deviceVerifierAsync(e.groupKey, e.key);
          return { password: v.devicePassword, salt: v.deviceSecretVerifierConfig.Salt, verifier: v.deviceSecretVerifierConfig.PasswordVerifier };
        }
        const b = await backend(e.device);
        if (e.op === "prepare") return b.prepare();
        if (e.op === "dispose") return b.dispose?.(e.id);
        const params = {
          userPoolId: options.userPoolId,
          realm: e.realm,
          password: e.password,
          challengeParameters: { SALT: e.salt, SRP_B: e.srpB, SECRET_BLOCK: e.secretBlock, USER_ID_FOR_SRP: e.userIdForSrp },
          now: e.seconds * 1000,
          unixSeconds: e.seconds,
          salt: e.salt,
          srpB: e.srpB,
          secretBlock: e.secretBlock,
          userIdForSrp: e.userIdForSrp,
        };
        return b.answer(e.id, params);
      },
      tabs: {
        listen: (e) => this.#listen(e),
        post: (e) => this.#channel?.postMessage(e.message),
        ask: (e) => this.#ask(e.ms, e.message),
        timer: (e) => this.#setTimer(e.ms),
      },
    };
    this.#background("start");
  }

  /** Runs a machine nobody awaits (the client's start, tabs' events, the refresh timer). */
  #background(method, arg) {
    run(this.#handle, method, arg ?? {}, this.#env).catch(() => {});
  }

  #listen({ channel, storage, visibility }) {
    const g = globalThis;
    if (channel && typeof g.BroadcastChannel === "function") {
      try {
        const bc = new g.BroadcastChannel(channel);
        bc.onmessage = (ev) => {
          const data = ev.data;
          if (data?.t === "session" && typeof data.r === "string" && this.#asks.length) this.#asks.shift()(data.r);
          this.#background("message", data && typeof data === "object" ? data : {});
        };
        bc.unref?.(); // Node: an open channel must not keep the process alive
        this.#channel = bc;
      } catch {}
    }
    if (storage && typeof g.addEventListener === "function") {
      g.addEventListener("storage", (ev) => this.#background("storage", { key: ev.key, oldValue: ev.oldValue, newValue: ev.newValue }));
    }
    if (visibility && typeof g.document?.addEventListener === "function") {
      g.document.addEventListener("visibilitychange", () => this.#background("visibility", { hidden: Boolean(g.document.hidden) }));
    }
    return { channel: Boolean(this.#channel), hidden: Boolean(g.document?.hidden) };
  }

  #ask(ms, message) {
    return new Promise((resolve) => {
      const answer = (r) => {
        clearTimeout(t);
        resolve(r);
      };
      const t = setTimeout(() => {
        this.#asks = this.#asks.filter((a) => a !== answer);
        resolve(null);
      }, ms);
      this.#asks.push(answer);
      this.#channel?.postMessage(message);
    });
  }

  #setTimer(ms) {
    clearTimeout(this.#timer);
    this.#timer = 0;
    if (typeof ms === "number") {
      this.#timer = setTimeout(() => this.#background("timer"), ms);
      this.#timer?.unref?.(); // Node: the timer must not keep the process alive
    }
  }

  #emit(type, detail) {
    for (const listener of [...(this.#listeners.get(type) ?? [])]) {
      try {
        listener({ type, detail });
      } catch (e) {
        // A listener's bug must not break the flow that emitted the event.
        queueMicrotask(() => {
          throw e;
        });
      }
    }
  }

  /** @internal */
  _run(method, arg) {
    return run(this.#handle, method, arg ?? {}, this.#env, arg?.signal);
  }

  /**
   * Listens to `type` (`signedIn`, `signedOut`, `tokenRefresh`,
   * `tokenRefreshFailure`, `sessionExpired`); returns a function that stops.
   */
  on(type, listener) {
    if (!EVENTS.has(type)) throw new CognitoError(`unknown event ${String(type)}`, "InvalidArgument");
    if (typeof listener !== "function") throw new CognitoError("listener must be a function", "InvalidArgument");
    if (!this.#listeners.has(type)) this.#listeners.set(type, new Set());
    this.#listeners.get(type).add(listener);
    return () => this.#listeners.get(type)?.delete(listener);
  }
}

// The promise-returning methods, each a machine of the same name with one
// options argument (documented in index.d.ts).
const METHODS = [
  // sign-in and session
  "signIn",
  "prepareSignIn",
  "confirmSignIn",
  "getTokens",
  "signOut",
  // account
  "signUp",
  "confirmSignUp",
  "resendSignUpCode",
  "forgotPassword",
  "confirmForgotPassword",
  "changePassword",
  "getUser",
  "fetchUserAttributes",
  "updateUserAttributes",
  "verifyUserAttribute",
  "sendUserAttributeVerificationCode",
  "deleteUserAttributes",
  "deleteUser",
  "setMfaPreference",
  "setUpTotp",
  "verifyTotp",
  "listDevices",
  "rememberDevice",
  "forgetDevice",
  // hosted UI
  "signInWithRedirect",
  "handleRedirectCallback",
  "getUserInfo",
];

for (const name of METHODS) {
  Object.defineProperty(CognitoAuth.prototype, name, {
    value: function (arg) {
      return this._run(name, arg);
    },
    writable: true,
    configurable: true,
  });
}

export { close as _close };
