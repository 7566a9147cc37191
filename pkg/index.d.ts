// Public API of cognito-wasm. Hand-written; keep in sync with pkg/api.js.

/**
 * Codes of {@link CognitoError}. The SRP core's codes (src/error.rs), the JS
 * layer's codes, and, for service errors, Cognito's `__type` verbatim (e.g.
 * `NotAuthorizedException`), hence the open `string` case.
 */
export type CognitoErrorCode =
  | "InvalidHex"
  | "InvalidBase64"
  | "InvalidSrpB"
  | "InvalidSrpU"
  | "EmptyArgument"
  | "InvalidUserPoolId"
  | "RandomUnavailable"
  | "NotInitialized"
  | "InitFailed"
  | "InvalidArgument"
  | "EphemeralAlreadyUsed"
  | "InternalError"
  | (string & {});

/** The one error type of the package; match on `code`. */
export declare class CognitoError extends Error {
  constructor(message: string, code: CognitoErrorCode, options?: { cause?: unknown });
  readonly name: "CognitoError";
  readonly code: CognitoErrorCode;
}

/** What {@link init} accepts in browsers and bundlers. */
export type InitInput =
  | string
  | URL
  | Request
  | Response
  | ArrayBuffer
  | ArrayBufferView
  | WebAssembly.Module
  | Promise<Response>;

/**
 * Loads the wasm module once; later calls resolve at once. Required in
 * browsers before any other call (otherwise: `NotInitialized`); optional in
 * Node and workerd, which load it synchronously on first use. Without
 * `input`, the `.wasm` next to the package's glue module is fetched.
 */
export declare function init(input?: InitInput): Promise<void>;

/** Whether the wasm module is loaded. */
export declare function isInitialized(): boolean;

/**
 * A client SRP key pair for one sign-in attempt (RFC 5054 SRP-6a over the
 * 3072-bit group, as Cognito's USER_SRP_AUTH uses). Single use.
 */
export interface SrpEphemeral {
  /** `SRP_A` for `InitiateAuth`'s `AuthParameters`: lowercase hex. */
  readonly publicA: string;
  /** True once `answerPasswordVerifier` used it, or after `dispose()`. */
  readonly used: boolean;
  /** Zeroes and frees the secret `a` now. */
  dispose(): void;
}

/** The `ChallengeParameters` of Cognito's `PASSWORD_VERIFIER` challenge. */
export interface PasswordVerifierChallengeParameters {
  SALT: string;
  SRP_B: string;
  SECRET_BLOCK: string;
  USER_ID_FOR_SRP: string;
  USERNAME?: string;
  [other: string]: string | undefined;
}

/** Options of {@link SrpApi.answerPasswordVerifier}. */
export interface AnswerPasswordVerifierOptions {
  /** From `srp.createEphemeral()`, whose `publicA` went into `InitiateAuth`. */
  ephemeral: SrpEphemeral;
  /** The user pool id, `<region>_<id>`; the part after `_` is the SRP realm. */
  userPoolId: string;
  password: string;
  challengeParameters: PasswordVerifierChallengeParameters;
  /** Used as `USERNAME` only if the challenge has no `USERNAME`. */
  username?: string;
  /** Required with `clientSecret`. */
  clientId?: string;
  /** For app clients with a secret: adds `SECRET_HASH`. */
  clientSecret?: string;
  /** The time to sign (`TIMESTAMP`); default now. Number = ms since the epoch. */
  now?: Date | number;
}

/** `ChallengeResponses` for `RespondToAuthChallenge` (`PASSWORD_VERIFIER`). */
export interface PasswordVerifierResponses {
  USERNAME: string;
  PASSWORD_CLAIM_SIGNATURE: string;
  PASSWORD_CLAIM_SECRET_BLOCK: string;
  TIMESTAMP: string;
  SECRET_HASH?: string;
}

/** What `ConfirmDevice` needs, plus the password the device must keep. */
export interface DeviceVerifier {
  /** Secret: store it with the device key; used for DEVICE_SRP_AUTH later. */
  devicePassword: string;
  /** Pass as `ConfirmDevice`'s `DeviceSecretVerifierConfig`. */
  deviceSecretVerifierConfig: { PasswordVerifier: string; Salt: string };
}

/** The low-level SRP API, for callers who bring their own transport. */
export interface SrpApi {
  /** A fresh ephemeral: `a` from the platform CSPRNG, `A = g^a mod N`. */
  createEphemeral(): SrpEphemeral;
  /**
   * Answers the `PASSWORD_VERIFIER` challenge. Consumes the ephemeral (a
   * second use throws `EphemeralAlreadyUsed`). Throws `InvalidSrpB` for
   * B ≡ 0 mod N, `InvalidHex`, `InvalidBase64`, `EmptyArgument`,
   * `InvalidUserPoolId`, `InvalidArgument`.
   */
  answerPasswordVerifier(options: AnswerPasswordVerifierOptions): PasswordVerifierResponses;
  /** `SECRET_HASH`: base64 HMAC-SHA256 under the client secret of username + clientId. */
  secretHash(username: string, clientId: string, clientSecret: string): string;
  /** Cognito's SRP `TIMESTAMP`, e.g. `"Tue Mar 3 09:05:07 UTC 2026"`. */
  timestamp(now?: Date | number): string;
  /** A device password, salt and verifier for `ConfirmDevice`. */
  deviceVerifier(deviceGroupKey: string, deviceKey: string): DeviceVerifier;
}

export declare const srp: SrpApi;
