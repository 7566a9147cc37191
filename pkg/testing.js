// `cognito-wasm/testing`: entry points for known-answer tests only. Never use
// them in production: a fixed SRP secret defeats the protocol. Import the
// main entry ("cognito-wasm") too, which loads the wasm for this runtime.
import { _ephemeralFromSecretHex } from "./api.js";

/**
 * An SRP ephemeral from a fixed secret `a` (hex), e.g. the `a` of a vector
 * produced with amazon-cognito-identity-js. For tests only.
 */
export function ephemeralFromSecretHex(secretHex) {
  return _ephemeralFromSecretHex(secretHex);
}
