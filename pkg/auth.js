// CognitoAuth: the friendly client. A thin shell over the wasm `AuthClient`
// (src/js/auth.rs → src/client/): it maps errors to CognitoError and
// dispatches events. All protocol logic, transport and storage are in Rust.
import * as glue from "./gen/cognito_wasm.js";
import { _ensureReady, _toError, CognitoError } from "./api.js";

const EVENTS = new Set(["signedIn", "signedOut", "tokenRefresh", "tokenRefreshFailure", "sessionExpired"]);

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
    try {
      this.#core = new glue.AuthClient(options, (type, detail) => this.#emit(type, detail));
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
