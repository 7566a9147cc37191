// SRP off the main thread (pkg/srp-offload.js): a module Web Worker running
// the same wasm, or inline where no Worker exists (Node, workerd).
import type { PasswordVerifierChallengeParameters } from "./index.js";

/** A prepared SRP ephemeral: `SRP_A` for InitiateAuth and the id to answer with. `a` stays with the backend. */
export interface PreparedSrp {
  publicA: string;
  id: string;
}

/** The PASSWORD_VERIFIER claim: PASSWORD_CLAIM_SIGNATURE and the TIMESTAMP it signs. */
export interface SrpClaim {
  signature: string;
  timestamp: string;
}

/** What `answer` needs besides the id (as srp.answerPasswordVerifier, without the ephemeral). */
export interface SrpAnswerParams {
  userPoolId: string;
  password: string;
  challengeParameters: PasswordVerifierChallengeParameters;
  /** Milliseconds since the epoch or a Date (default: now); sets TIMESTAMP. */
  now?: number | Date;
}

export interface SrpOffloadOptions {
  /** Default true where `Worker` exists; false runs inline. */
  worker?: boolean;
  /** Default: srp-worker.js next to srp-offload.js. */
  workerUrl?: string | URL;
  /** What the worker loads; default the .wasm next to the glue. */
  wasm?: string | URL | BufferSource | WebAssembly.Module;
  /** Per call, default 10000. A timed-out worker is restarted. */
  timeoutMs?: number;
}

export interface SrpOffload {
  /** "worker" or "inline". */
  readonly mode: "worker" | "inline";
  /** A fresh ephemeral (single use). */
  prepare(): Promise<PreparedSrp>;
  /** The claim for a prepared ephemeral; consumes it. Errors: CognitoError (InvalidSrpB, EphemeralAlreadyUsed, SrpWorkerFailed, TimeoutError, …). */
  answer(id: string, params: SrpAnswerParams): Promise<SrpClaim>;
  /** Drops a prepared ephemeral that will not be used. */
  dispose(id: string): Promise<unknown>;
  /** Starts the worker and loads its wasm now. */
  warm(): Promise<unknown>;
  /** Stops the worker; pending calls fail with SrpWorkerFailed. */
  close(): void;
}

/** An SRP offload (a Web Worker in browsers, inline elsewhere). */
export declare function createSrpOffload(options?: SrpOffloadOptions): SrpOffload;
