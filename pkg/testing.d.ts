// `cognito-wasm/testing`: for known-answer tests only.
import type { DeviceVerifier, SrpEphemeral } from "./index.js";
import type { PreparedSrp, SrpOffload } from "./srp-offload.js";

/** An SRP ephemeral from a fixed secret `a` (hex). Never in production. */
export declare function ephemeralFromSecretHex(secretHex: string): SrpEphemeral;

/** `srp.deviceVerifier` with a fixed password and salt (hex). Never in production. */
export declare function deviceVerifierWith(options: {
  deviceGroupKey: string;
  deviceKey: string;
  password: string;
  saltHex: string;
}): DeviceVerifier;

/** Native SRP exponentiation (Node: "node:crypto") when `on` and available, else "wasm". Tests only. */
export declare function useNativeSrp(on: boolean): "node:crypto" | "wasm";

/** A prepared ephemeral from a fixed secret `a` (hex) in an SRP offload's worker (or inline). Never in production. */
export declare function offloadEphemeralFromSecretHex(offload: SrpOffload, secretHex: string): Promise<PreparedSrp>;
