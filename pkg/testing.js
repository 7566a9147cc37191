// `cognito-wasm/testing`: entry points for known-answer tests only. Never use
// them in production: a fixed SRP secret defeats the protocol. Import the
// main entry ("cognito-wasm") too, which loads the wasm for this runtime.
import { _deviceVerifierWith, _ephemeralFromSecretHex, _useNativeSrp } from "./srp.js";
import { _offloadFromSecretHex } from "./srp-offload.js";

/**
 * An SRP ephemeral from a fixed secret `a` (hex), e.g. the `a` of a vector
 * produced with amazon-cognito-identity-js. For tests only.
 */
export function ephemeralFromSecretHex(secretHex) {
  return _ephemeralFromSecretHex(secretHex);
}

/**
 * `srp.deviceVerifier` with a fixed device password and salt (hex bytes,
 * leading zero bytes kept). For tests only.
 */
export function deviceVerifierWith({ deviceGroupKey, deviceKey, password, saltHex }) {
  if (typeof saltHex !== "string" || !/^([0-9a-fA-F]{2})*$/.test(saltHex)) {
    throw new TypeError("saltHex must be an even-length hex string");
  }
  const salt = new Uint8Array(saltHex.length / 2);
  for (let i = 0; i < salt.length; i++) salt[i] = parseInt(saltHex.slice(2 * i, 2 * i + 2), 16);
  return _deviceVerifierWith(deviceGroupKey, deviceKey, password, salt);
}

/**
 * Use the host's native SRP exponentiation (Node: OpenSSL through
 * `node:crypto`) when `on` and the runtime entry registered one, else the
 * wasm engine. Returns the backend in use: "node:crypto" or "wasm". For
 * tests and benches comparing the two.
 */
export function useNativeSrp(on) {
  return _useNativeSrp(Boolean(on));
}

/**
 * A prepared ephemeral from a fixed secret `a` (hex) in an SRP offload
 * (`createSrpOffload()`), in its worker or inline: `{ id, publicA }`, for
 * `offload.answer`. For tests only.
 */
export function offloadEphemeralFromSecretHex(offload, secretHex) {
  return _offloadFromSecretHex(offload, secretHex);
}
