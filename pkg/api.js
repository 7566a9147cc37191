// The public JS API, shared by every runtime entry (index.js, node.js,
// workerd.js). It checks and converts arguments, calls the wasm-bindgen glue
// in ./gen/ and maps errors to CognitoError; all protocol logic is in Rust.
//
// The entries differ only in how the wasm is loaded: they call
// `_setLoader()` with a synchronous loader (Node, workerd) or leave it unset
// (browsers: `await init()` first).
import * as glue from "./gen/cognito_wasm.js";

/**
 * The one error type of the package. `code` is stable: the Rust core's
 * `Error::code()` (e.g. `InvalidSrpB`), one of the JS layer's codes
 * (`NotInitialized`, `InvalidArgument`, `EphemeralAlreadyUsed`,
 * `InternalError`), or, for service errors, Cognito's `__type` verbatim.
 */
export class CognitoError extends Error {
  constructor(message, code, options) {
    super(message, options);
    this.name = "CognitoError";
    this.code = code;
  }
}

let ready = false;
let loadSync = null;
let pending = null;

/** @internal Registers the entry's synchronous loader (Node, workerd). */
export function _setLoader(fn) {
  loadSync = fn;
}

function ensureReady() {
  if (ready) return;
  if (loadSync) {
    loadSync();
    ready = true;
    return;
  }
  throw new CognitoError(
    "cognito-wasm is not initialized: `await init()` once before calling the API " +
      "(in browsers the wasm module is fetched asynchronously)",
    "NotInitialized",
  );
}

/**
 * Loads the wasm module once. `input` (browsers and bundlers): omitted (the
 * `.wasm` next to the glue module, resolved from `import.meta.url`), a URL or
 * string, a `Request`/`Response`, the bytes, or a compiled `WebAssembly.Module`.
 */
export function init(input) {
  if (ready) return Promise.resolve();
  if (input === undefined && loadSync) {
    try {
      ensureReady();
      return Promise.resolve();
    } catch (e) {
      return Promise.reject(e);
    }
  }
  pending ??= glue
    .default(input === undefined ? undefined : { module_or_path: input })
    .then(() => {
      ready = true;
    })
    .catch((e) => {
      pending = null;
      throw new CognitoError(`cognito-wasm: loading the wasm module failed: ${e?.message ?? e}`, "InitFailed", {
        cause: e,
      });
    });
  return pending;
}

/** Whether the wasm module is loaded (always true after `await init()`). */
export function isInitialized() {
  return ready;
}

/**
 * @internal Turns what the wasm side threw or rejected with (a JS Error with
 * `name === "CognitoError"`, `code` and optional `status`, `requestId`,
 * `error`, `transient`) into a CognitoError, and a wasm trap into
 * InternalError. Other values pass through.
 */
export function _toError(e) {
  if (e instanceof CognitoError) return e;
  if (e && e.name === "CognitoError") {
    const err = new CognitoError(e.message, e.code ?? "InternalError");
    for (const k of ["status", "requestId", "error", "transient"]) if (e[k] !== undefined) err[k] = e[k];
    return err;
  }
  if (typeof WebAssembly !== "undefined" && e instanceof WebAssembly.RuntimeError) {
    return new CognitoError(`internal error in the wasm module (${e.message}); please report it`, "InternalError", {
      cause: e,
    });
  }
  return e;
}

/** @internal Loads the wasm if the entry can (Node, workerd) or throws NotInitialized. */
export function _ensureReady() {
  ensureReady();
}

// Runs a glue call, turning the Rust side's errors into CognitoError instances
// and traps into InternalError.
function call(fn) {
  ensureReady();
  try {
    return fn();
  } catch (e) {
    throw _toError(e);
  }
}

function invalid(message) {
  return new CognitoError(message, "InvalidArgument");
}

function requireString(value, name) {
  if (typeof value !== "string") {
    throw invalid(`${name} must be a string, got ${value === null ? "null" : typeof value}`);
  }
  return value;
}

function nonEmpty(value, name) {
  requireString(value, name);
  if (value === "") throw new CognitoError(`${name} must not be empty`, "EmptyArgument");
  return value;
}

function unixSeconds(now) {
  const ms = now === undefined ? Date.now() : now instanceof Date ? now.getTime() : now;
  if (typeof ms !== "number" || !Number.isFinite(ms) || Math.abs(ms) > 8.64e15) {
    throw invalid("now must be a valid Date or a number of milliseconds since the epoch");
  }
  return Math.floor(ms / 1000);
}

// The glue handle of each live ephemeral; deleted when it is used, so a second
// use is detected here rather than by the glue's null-pointer check.
const handles = new WeakMap();

/**
 * A client SRP key pair for one sign-in attempt. `publicA` is `SRP_A` for
 * `InitiateAuth`. Single use: `answerPasswordVerifier` consumes it.
 */
class SrpEphemeral {
  constructor(handle) {
    handles.set(this, handle);
    /** `SRP_A`: lowercase hex. */
    this.publicA = handle.publicA;
    Object.freeze(this);
  }

  /** Whether the ephemeral was used (or disposed) and can no longer answer. */
  get used() {
    return !handles.has(this);
  }

  /** Zeroes and frees the secret now instead of when it is used or collected. */
  dispose() {
    const h = handles.get(this);
    handles.delete(this);
    h?.free();
  }

  [Symbol.dispose ?? Symbol.for("Symbol.dispose")]() {
    this.dispose();
  }
}

function wrapEphemeral(handle) {
  return new SrpEphemeral(handle);
}

// The host's native modular exponentiation for SRP (Node: pkg/srp-native.js,
// registered by the entry), and whether it is used (it is, once registered).
let nativeSrp = null;
let srpBackend = null;

/** @internal Registers a native SRP backend (see pkg/srp-native.js) and uses it. */
export function _setSrpBackend(backend) {
  nativeSrp = backend ?? null;
  srpBackend = nativeSrp;
}

/**
 * @internal For the testing entry and benches: use the native backend (if
 * one is registered) or the wasm engine. Returns the backend now in use
 * ("node:crypto", "wasm").
 */
export function _useNativeSrp(on) {
  srpBackend = on ? nativeSrp : null;
  return srpBackend?.name ?? "wasm";
}

/** @internal For the testing entry: an ephemeral from a fixed secret `a`. */
export function _ephemeralFromSecretHex(secretHex) {
  requireString(secretHex, "secretHex");
  if (srpBackend && /^[0-9a-fA-F]+$/.test(secretHex)) {
    const hex = secretHex.length % 2 ? "0" + secretHex : secretHex;
    const a = new Uint8Array(hex.length / 2);
    for (let i = 0; i < a.length; i++) a[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
    return wrapEphemeral(call(() => srpBackend.fromSecret(glue, a)));
  }
  return wrapEphemeral(call(() => glue.SrpEphemeral.fromSecretHex(secretHex)));
}

/** A fresh SRP ephemeral (`a` from the platform CSPRNG, `A = g^a mod N`). */
function createEphemeral() {
  return wrapEphemeral(call(() => (srpBackend ? srpBackend.generate(glue) : glue.SrpEphemeral.generate())));
}

/**
 * Answers Cognito's `PASSWORD_VERIFIER` challenge (USER_SRP_AUTH): returns
 * the `ChallengeResponses` for `RespondToAuthChallenge`.
 */
function answerPasswordVerifier(options) {
  if (options === null || typeof options !== "object") throw invalid("answerPasswordVerifier expects an options object");
  const { ephemeral, userPoolId, password, challengeParameters: cp, username, clientId, clientSecret, now } = options;
  if (!(ephemeral instanceof SrpEphemeral)) {
    throw invalid("ephemeral must come from srp.createEphemeral()");
  }
  if (!handles.has(ephemeral)) {
    throw new CognitoError(
      "this SRP ephemeral was already used: create a new one (and a new InitiateAuth) per sign-in attempt",
      "EphemeralAlreadyUsed",
    );
  }
  requireString(userPoolId, "userPoolId");
  requireString(password, "password");
  if (cp === null || typeof cp !== "object") {
    throw invalid("challengeParameters must be the ChallengeParameters object of the PASSWORD_VERIFIER challenge");
  }
  for (const k of ["SALT", "SRP_B", "SECRET_BLOCK", "USER_ID_FOR_SRP"]) {
    requireString(cp[k], `challengeParameters.${k}`);
  }
  // The USERNAME Cognito wants back (and that SECRET_HASH covers) is the one it
  // sent in the challenge; `username` is a fallback for callers who drop it.
  const user = requireString(cp.USERNAME ?? username ?? cp.USER_ID_FOR_SRP, "username");
  if (clientSecret !== undefined) {
    nonEmpty(clientId, "clientId");
    nonEmpty(clientSecret, "clientSecret");
  }
  const seconds = unixSeconds(now);
  const handle = handles.get(ephemeral);
  handles.delete(ephemeral); // single use, whatever the outcome
  const answer = srpBackend
    ? (...args) => srpBackend.answer(glue, ...args)
    : (...args) => glue.srpAnswerPasswordVerifier(...args);
  const [signature, timestamp] = call(() =>
    answer(
      handle,
      userPoolId,
      password,
      cp.SALT,
      cp.SRP_B,
      cp.SECRET_BLOCK,
      cp.USER_ID_FOR_SRP,
      seconds,
    ),
  );
  const responses = {
    USERNAME: user,
    PASSWORD_CLAIM_SIGNATURE: signature,
    PASSWORD_CLAIM_SECRET_BLOCK: cp.SECRET_BLOCK,
    TIMESTAMP: timestamp,
  };
  if (clientSecret !== undefined) responses.SECRET_HASH = secretHash(user, clientId, clientSecret);
  return responses;
}

/** `SECRET_HASH`: base64 HMAC-SHA256(clientSecret, username + clientId). */
function secretHash(username, clientId, clientSecret) {
  nonEmpty(username, "username");
  nonEmpty(clientId, "clientId");
  nonEmpty(clientSecret, "clientSecret");
  return call(() => glue.secretHash(username, clientId, clientSecret));
}

/** Cognito's SRP `TIMESTAMP` string for `now` (default: the current time). */
function timestamp(now) {
  const seconds = unixSeconds(now);
  return call(() => glue.srpTimestamp(seconds));
}

/**
 * A device password and `DeviceSecretVerifierConfig` for `ConfirmDevice`,
 * from `NewDeviceMetadata` (`DeviceGroupKey`, `DeviceKey`).
 */
function deviceVerifier(deviceGroupKey, deviceKey) {
  nonEmpty(deviceGroupKey, "deviceGroupKey");
  nonEmpty(deviceKey, "deviceKey");
  const [devicePassword, Salt, PasswordVerifier] = call(() => glue.generateDeviceVerifier(deviceGroupKey, deviceKey));
  return { devicePassword, deviceSecretVerifierConfig: { PasswordVerifier, Salt } };
}

/** @internal For the testing entry: a device verifier from a fixed password and salt. */
export function _deviceVerifierWith(deviceGroupKey, deviceKey, password, salt) {
  nonEmpty(deviceGroupKey, "deviceGroupKey");
  nonEmpty(deviceKey, "deviceKey");
  nonEmpty(password, "password");
  if (!(salt instanceof Uint8Array)) throw invalid("salt must be a Uint8Array");
  const [devicePassword, Salt, PasswordVerifier] = call(() =>
    glue.deviceVerifierWith(deviceGroupKey, deviceKey, password, salt),
  );
  return { devicePassword, deviceSecretVerifierConfig: { PasswordVerifier, Salt } };
}

/** The low-level SRP API, for callers who bring their own transport. */
export const srp = Object.freeze({ createEphemeral, answerPasswordVerifier, secretHash, timestamp, deviceVerifier });
