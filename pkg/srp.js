// The SRP module's JS side: the low-level `srp` API (callers who bring
// their own transport) and the inline SRP backend the driver uses for
// CognitoAuth's `srp` effects when no Web Worker runs them. Importing this
// module makes `init()` load the SRP wasm too (its API is synchronous).
import initSrp, * as glue from "./gen/srp.js";
import { CognitoError, _ensureReady, _load, _setAsyncLoader, _toError } from "./api.js";

_setAsyncLoader("srp", (input) => initSrp(input === undefined ? undefined : { module_or_path: input }), true);

// Runs a glue call, turning the Rust side's errors into CognitoError
// instances and traps into InternalError.
function call(fn) {
  _ensureReady("srp");
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
    return new SrpEphemeral(call(() => srpBackend.fromSecret(glue, a)));
  }
  return new SrpEphemeral(call(() => glue.SrpEphemeral.fromSecretHex(secretHex)));
}

/** A fresh SRP ephemeral (`a` from the platform CSPRNG, `A = g^a mod N`). */
function createEphemeral() {
  return new SrpEphemeral(call(() => (srpBackend ? srpBackend.generate(glue) : glue.SrpEphemeral.generate())));
}

/** `[signature, timestamp]` for an ephemeral handle (consumed), with the realm given. */
function claim(handle, realm, password, cp, seconds) {
  const answer = srpBackend ? (...args) => srpBackend.answer(glue, ...args) : glue.srpAnswerPasswordVerifier;
  return call(() => answer(handle, realm, password, cp.SALT, cp.SRP_B, cp.SECRET_BLOCK, cp.USER_ID_FOR_SRP, seconds));
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
  const realm = call(() => glue.srpPoolName(userPoolId));
  const handle = handles.get(ephemeral);
  handles.delete(ephemeral); // single use, whatever the outcome
  const [signature, timestamp] = claim(handle, realm, password, cp, seconds);
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

/**
 * @internal An SRP backend on this thread (the driver's `srp` effects):
 * `prepare()` → `{ id, publicA }`, `answer(id, { realm | userPoolId,
 * password, salt, srpB, secretBlock, userIdForSrp, unixSeconds })` →
 * `{ signature, timestamp }`, `dispose(id)`, `fromSecret(aHex)`.
 * Ephemerals are kept here by id; `a` never leaves.
 */
export function inlineSrp() {
  const held = new Map();
  let n = 0;
  const keep = (e) => {
    const id = `inline.${++n}`;
    held.set(id, e);
    return { id, publicA: e.publicA };
  };
  return {
    mode: "inline",
    async prepare() {
      await _load("srp");
      return keep(createEphemeral());
    },
    async fromSecret(aHex) {
      await _load("srp");
      return keep(_ephemeralFromSecretHex(aHex));
    },
    async answer(id, a) {
      await _load("srp");
      const ephemeral = held.get(id);
      held.delete(id);
      if (!ephemeral) {
        throw new CognitoError("this SRP ephemeral was already used or is unknown: prepare a new one per sign-in attempt", "EphemeralAlreadyUsed");
      }
      const realm = a.realm ?? call(() => glue.srpPoolName(a.userPoolId));
      const handle = handles.get(ephemeral);
      handles.delete(ephemeral);
      const cp = { SALT: a.salt, SRP_B: a.srpB, SECRET_BLOCK: a.secretBlock, USER_ID_FOR_SRP: a.userIdForSrp };
      const [signature, ts] = claim(handle, realm, a.password, cp, a.unixSeconds);
      return { signature, timestamp: ts };
    },
    async dispose(id) {
      held.get(id)?.dispose();
      held.delete(id);
    },
    close() {
      for (const e of held.values()) e.dispose();
      held.clear();
    },
  };
}

/** @internal `deviceVerifier` once the SRP module is loaded (the driver's `srp` effect). */
export async function deviceVerifierAsync(groupKey, key) {
  await _load("srp");
  return deviceVerifier(groupKey, key);
}
