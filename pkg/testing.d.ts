// `cognito-wasm/testing`: for known-answer tests only.
import type { SrpEphemeral } from "./index.js";

/** An SRP ephemeral from a fixed secret `a` (hex). Never in production. */
export declare function ephemeralFromSecretHex(secretHex: string): SrpEphemeral;
