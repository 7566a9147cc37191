// CognitoAuth: the friendly client. A thin shell over the wasm `AuthClient`
// (src/js/auth.rs → src/client/): it maps errors to CognitoError and
// dispatches events. All protocol logic, transport and storage are in Rust.
import * as glue from "./gen/cognito_wasm.js";
import { _ensureReady, _toError, CognitoError } from "./api.js";
import { createSrpOffload } from "./srp-offload.js";

const EVENTS = new Set(["signedIn", "signedOut", "tokenRefresh", "tokenRefreshFailure", "sessionExpired"]);

// SRP in a browser page, by default: one Web Worker for the page, shared by
// every CognitoAuth and started on the first sign-in, so that the 3072-bit
// exponentiations never block the page (about 25 ms inline on a fast
// desktop, several times that on a phone: bench/srp-worker-chromium.bench.mjs).
// If the worker cannot start (a CSP without worker-src, a bundle that left
// srp-worker.js or the .wasm behind, a worker that does not answer), SRP runs
// inline from then on: a sign-in never fails for want of a worker.
let pageBackend;

function pageSrp() {
  if (typeof document !== "object" || document === null || typeof Worker !== "function") return undefined;
  if (pageBackend) return pageBackend;
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
}

/** @internal Tests: the page's default SRP backend, if one was made ("worker" or "inline"). */
export function _pageSrpMode() {
  return pageBackend?.mode;
}

/**
 * Signs users in to a Cognito user pool and keeps them signed in. See
 * index.d.ts for the options, the steps and the events.
 */
export class CognitoAuth {
  #core;
  #listeners = new Map();

  constructor(options) {
    _ensureReady();
    if (options === null || typeof options !== "object") {
      throw new CognitoError("CognitoAuth needs an options object with userPoolId and clientId", "InvalidArgument");
    }
    let srp = options.srp;
    if (srp === undefined) srp = pageSrp();
    else if (srp === "inline") srp = undefined;
    try {
      this.#core = new glue.AuthClient(
        srp === options.srp ? options : { ...options, srp },
        (type, detail) => this.#emit(type, detail),
      );
    } catch (e) {
      throw _toError(e);
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
    try {
      return this.#core[method](arg ?? {}).catch((e) => {
        throw _toError(e);
      });
    } catch (e) {
      return Promise.reject(_toError(e));
    }
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

// The promise-returning methods, each forwarded to the wasm method of the
// same name with one options argument (documented in index.d.ts).
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
