// Passkeys for the full entries (index.js, node.js, workerd.js via
// public.js): the `webauthn` effect the sign-in and passkey machines emit,
// performed with `navigator.credentials` (W3C Web Authentication Level 3),
// and the CognitoAuth methods `registerPasskey`, `listPasskeys`,
// `deletePasskey`. Kept out of auth.js and driver.js so that the session
// entry (`cognito-wasm/session`, no sign-in machines) carries none of it.
//
// The machine decides what to ask; this module only converts between the
// options/credential JSON Cognito speaks (§5.1.8 `…OptionsJSON`,
// `RegistrationResponseJSON`, `AuthenticationResponseJSON`) and the
// browser's binary objects, with the browser's own `parse…FromJSON` and
// `toJSON()` where they exist and a guarded fallback where they do not
// (credentials made by password-manager extensions may lack `toJSON`,
// `getTransports` or `getPublicKey`).

import { CognitoAuth } from "./auth.js";
import { effects } from "./driver.js";

const PKC = () => globalThis.PublicKeyCredential;

/** Whether this runtime can create and use passkeys (WebAuthn). */
export function isPasskeySupported() {
  const c = globalThis.navigator?.credentials;
  return typeof PKC() === "function" && typeof c?.get === "function" && typeof c?.create === "function";
}

const fromB64u = (s) => {
  const bin = atob(String(s).replace(/-/g, "+").replace(/_/g, "/") + "===".slice((String(s).length + 3) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
};

const toB64u = (buf) => {
  const bytes = buf instanceof ArrayBuffer ? new Uint8Array(buf) : new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
};

const ids = (list) => (Array.isArray(list) ? list.map((c) => ({ ...c, id: fromB64u(c.id) })) : undefined);

function creationOptions(o) {
  if (typeof PKC().parseCreationOptionsFromJSON === "function") return PKC().parseCreationOptionsFromJSON(o);
  return { ...o, challenge: fromB64u(o.challenge), user: { ...o.user, id: fromB64u(o.user.id) }, excludeCredentials: ids(o.excludeCredentials) };
}

function requestOptions(o) {
  if (typeof PKC().parseRequestOptionsFromJSON === "function") return PKC().parseRequestOptionsFromJSON(o);
  return { ...o, challenge: fromB64u(o.challenge), allowCredentials: ids(o.allowCredentials) };
}

// Calls an optional method; a missing or throwing one gives undefined.
const maybe = (o, name) => {
  try {
    return typeof o?.[name] === "function" ? o[name]() : undefined;
  } catch {
    return undefined;
  }
};

/** The credential as RegistrationResponseJSON / AuthenticationResponseJSON (§5.1.8). */
export function credentialJSON(cred) {
  const native = maybe(cred, "toJSON");
  if (native && typeof native === "object" && native.response) return native;
  const r = cred.response;
  const response = { clientDataJSON: toB64u(r.clientDataJSON) };
  if (r.attestationObject) {
    response.attestationObject = toB64u(r.attestationObject);
    const transports = maybe(r, "getTransports");
    if (Array.isArray(transports)) response.transports = transports;
    const data = maybe(r, "getAuthenticatorData");
    if (data) response.authenticatorData = toB64u(data);
    const key = maybe(r, "getPublicKey");
    if (key) response.publicKey = toB64u(key);
    const alg = maybe(r, "getPublicKeyAlgorithm");
    if (typeof alg === "number") response.publicKeyAlgorithm = alg;
  } else {
    response.authenticatorData = toB64u(r.authenticatorData);
    response.signature = toB64u(r.signature);
    if (r.userHandle) response.userHandle = toB64u(r.userHandle);
  }
  const out = { id: cred.id, rawId: toB64u(cred.rawId), type: cred.type, response, clientExtensionResults: maybe(cred, "getClientExtensionResults") ?? {} };
  if (cred.authenticatorAttachment) out.authenticatorAttachment = cred.authenticatorAttachment;
  return out;
}

// A failed ceremony as the machine reads it: the DOMException's name as `code`.
const failed = (code, message) => ({ kind: "webauthn", code, message });

/** Performs a `webauthn` effect ({ op: "get" | "create", options }): the credential's JSON string. */
async function webauthn(effect, signal) {
  if (!isPasskeySupported()) throw failed("NotSupportedError", "this runtime has no WebAuthn");
  try {
    const json = JSON.parse(effect.options);
    const create = effect.op === "create";
    const publicKey = create ? creationOptions(json) : requestOptions(json);
    const cred = await navigator.credentials[create ? "create" : "get"]({ publicKey, ...(signal ? { signal } : {}) });
    if (!cred) throw failed("NotAllowedError", "no credential was returned");
    return JSON.stringify(credentialJSON(cred));
  } catch (e) {
    if (e?.kind) throw e;
    throw failed(e?.name ?? "Error", String(e?.message ?? e));
  }
}

effects.webauthn = webauthn;

for (const name of ["registerPasskey", "listPasskeys"]) {
  Object.defineProperty(CognitoAuth.prototype, name, {
    value: function (options) {
      return this._run(name, options);
    },
    writable: true,
    configurable: true,
  });
}

Object.defineProperty(CognitoAuth.prototype, "deletePasskey", {
  value: function (credentialId, options) {
    return this._run("deletePasskey", { ...options, credentialId });
  },
  writable: true,
  configurable: true,
});
