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
  | "PasskeyCancelled"
  | "PasskeyAlreadyRegistered"
  | "PasskeyNotSupported"
  | "PasskeyFailed"
  | "WebAuthnChallengeNotFoundException"
  | "WebAuthnRelyingPartyMismatchException"
  | "WebAuthnOriginNotAllowedException"
  | "WebAuthnCredentialNotSupportedException"
  | "WebAuthnNotEnabledException"
  | "WebAuthnClientMismatchException"
  | "WebAuthnConfigurationMissingException"
  | (string & {});

/** The one error type of the package; match on `code`. */
export declare class CognitoError extends Error {
  constructor(message: string, code: CognitoErrorCode, options?: { cause?: unknown });
  readonly name: "CognitoError";
  readonly code: CognitoErrorCode;
  /** HTTP status of a Cognito service error or an OAuth endpoint error. */
  readonly status?: number;
  /** `x-amzn-RequestId` of a Cognito service error, when the response had one. */
  readonly requestId?: string;
  /** The OAuth `error` (RFC 6749 §5.2), e.g. `invalid_grant`, of an endpoint error. */
  readonly error?: string;
  /** Whether trying again later may succeed (network, timeout, throttling, 5xx). */
  readonly transient?: boolean;
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

// ===================================================================
// CognitoAuth
// ===================================================================

/** Storage for session state: a name, or any object with these methods (sync or async). */
export type StorageOption =
  | "session"
  | "local"
  | "memory"
  | {
      getItem(key: string): string | null | Promise<string | null>;
      setItem(key: string, value: string): void | Promise<void>;
      removeItem(key: string): void | Promise<void>;
      /** True when other tabs see the same data (like localStorage). */
      shared?: boolean;
    };

/** `CognitoAuth` options. */
export interface CognitoAuthOptions {
  /** `<region>_<id>`; the region is taken from it. */
  userPoolId: string;
  /** The app client id. */
  clientId: string;
  /** Confidential clients only (servers, Workers): every call carries SECRET_HASH. */
  clientSecret?: string;
  /** API endpoint override (a proxy or the local emulator); plain http only on loopback. */
  endpoint?: string;
  /**
   * Where tokens, device keys and hosted-UI transactions are kept, under keys
   * starting with `cognito-wasm.<clientId>.`. Default: `"session"` where
   * `sessionStorage` exists, else `"memory"`.
   */
  storage?: StorageOption;
  /** Per-attempt request timeout, ms (default 15000). */
  timeout?: number;
  /**
   * Retries for throttling (any operation) and 5xx / lost responses
   * (idempotent operations): a count, `false`, or the backoff (full jitter).
   * A `Retry-After` on the answer is waited, up to `maxDelay`.
   * Default: 3 retries, 100 ms base, 5000 ms cap.
   */
  retry?: number | false | { maxRetries?: number; baseDelay?: number; maxDelay?: number };
  /** Headers added to every request to the Cognito API endpoint (not to the hosted UI or the JWKS URL). */
  headers?: Record<string, string>;
  /** A fetch to use instead of the global one. */
  fetch?: typeof fetch;
  /** Refresh when the access token expires within this many seconds (default 120). */
  refreshMargin?: number;
  /** The flow `signIn` uses when it names none (default `USER_SRP_AUTH`). */
  authFlow?: AuthFlow;
  /** Confirm new devices after sign-in (remembered devices), default true. */
  rememberDevices?: boolean;
  /**
   * Where SRP runs. By default, in a browser page: a Web Worker running the
   * same wasm, one per page, started on the first sign-in, so the page is
   * never blocked; if it cannot start (CSP, missing file), inline from then
   * on. Elsewhere (Node, Workers, Deno, Web Workers): this thread.
   * `"inline"`: this thread, always. Or any backend with `prepare` / `answer`
   * (/ `dispose`), e.g. `createSrpOffload({ workerUrl })`.
   */
  srp?:
    | "inline"
    | (Pick<import("./srp-offload.js").SrpOffload, "prepare" | "answer"> &
        Partial<Pick<import("./srp-offload.js").SrpOffload, "dispose">>);
}

/** Sign-in flows. `CUSTOM_WITH_SRP` is CUSTOM_AUTH starting with SRP. */
export type AuthFlow = "USER_SRP_AUTH" | "USER_PASSWORD_AUTH" | "CUSTOM_AUTH" | "CUSTOM_WITH_SRP" | "USER_AUTH";

/** Challenges a sign-in may stop at for the user. */
export type ChallengeName =
  | "SMS_MFA"
  | "SOFTWARE_TOKEN_MFA"
  | "EMAIL_OTP"
  | "SMS_OTP"
  | "SELECT_MFA_TYPE"
  | "MFA_SETUP"
  | "NEW_PASSWORD_REQUIRED"
  | "CUSTOM_CHALLENGE"
  | "SELECT_CHALLENGE"
  | "PASSWORD"
  | "PASSWORD_SRP"
  | "WEB_AUTHN";

/** Tokens of the signed-in user. */
export interface Tokens {
  idToken: string;
  accessToken: string;
  refreshToken?: string;
  /** When the access token expires, ms since the epoch, local clock. */
  expiresAt: number;
  tokenType: string;
  /** The canonical username (the access token's `username` claim). */
  username: string;
}

/** Options of `signIn`. */
export interface SignInOptions {
  username: string;
  password?: string;
  authFlow?: AuthFlow;
  /** USER_AUTH: the first factor to try. */
  preferredChallenge?: "PASSWORD" | "PASSWORD_SRP" | "EMAIL_OTP" | "SMS_OTP" | "WEB_AUTHN";
  clientMetadata?: Record<string, string>;
  signal?: AbortSignal;
}

/** Signed in. */
export interface SignInDone {
  done: true;
  tokens: Tokens;
}

/** The user must answer `next` with `confirmSignIn`. */
export interface SignInNext {
  done: false;
  next: ChallengeName;
  /** Where a code was sent (SMS_MFA, EMAIL_OTP, SMS_OTP). */
  codeDelivery?: { deliveryMedium?: string; destination?: string; attributeName?: string };
  /** SELECT_MFA_TYPE / MFA_SETUP: the factors to choose from. */
  mfaTypes: string[];
  /** NEW_PASSWORD_REQUIRED: attributes the user must give. */
  requiredAttributes: string[];
  /** NEW_PASSWORD_REQUIRED: the user's current attributes. */
  userAttributes: Record<string, string>;
  /** SELECT_CHALLENGE: the challenges to choose from. */
  availableChallenges: string[];
  /** MFA_SETUP after choosing TOTP: the secret, and a URI for a QR code. */
  totpSecret?: string;
  otpauthUri?: string;
  /** Cognito's ChallengeParameters, verbatim (CUSTOM_CHALLENGE's public ones). */
  parameters: Record<string, string>;
}

export type SignInStep = SignInDone | SignInNext;

/** An answer to `SignInNext`. */
export type SignInAnswer = (
  | { code: string }
  | { newPassword: string; attributes?: Record<string, string> }
  | { mfaType: "SMS_MFA" | "SOFTWARE_TOKEN_MFA" | "EMAIL_OTP"; email?: string }
  | { answer: string }
  | { challenge: ChallengeName; password?: string }
  | { credential: string }
) & { signal?: AbortSignal };

/** Events of `CognitoAuth.on`. */
export type CognitoAuthEvent = "signedIn" | "signedOut" | "tokenRefresh" | "tokenRefreshFailure" | "sessionExpired";

/**
 * Signs users in to a Cognito user pool and keeps them signed in. Every
 * method returns a promise that rejects with a {@link CognitoError}.
 */
export declare class CognitoAuth {
  constructor(options: CognitoAuthOptions);
  /** Listens to an event; returns a function that removes the listener. */
  on(type: CognitoAuthEvent, listener: (event: { type: CognitoAuthEvent; detail?: unknown }) => void): () => void;
  /** Starts a sign-in (SRP by default). */
  signIn(options: SignInOptions): Promise<SignInStep>;
  /** Answers the pending step. */
  confirmSignIn(answer: SignInAnswer): Promise<SignInStep>;
  /** Valid tokens; refreshed (once, shared by concurrent callers) when near expiry. */
  getTokens(options?: { forceRefresh?: boolean }): Promise<Tokens>;
  /**
   * Computes the next sign-in's SRP ephemeral (`a`, `A = g^a`) now, e.g. when
   * the sign-in form is shown, so less is left after Cognito's challenge.
   * Single use; in the `srp` backend when one is configured.
   */
  prepareSignIn(): Promise<void>;
  /**
   * Local sign-out revoking the refresh token; `global` signs out everywhere.
   * `forgetDevice`: also `ForgetDevice` this browser's remembered device and
   * remove its keys (otherwise they outlive sign-out, so the next sign-in
   * here skips device MFA). Default false.
   */
  signOut(options?: { global?: boolean; revoke?: boolean; forgetDevice?: boolean; signal?: AbortSignal }): Promise<void>;
}

// ---- CognitoAuth: account operations (interface merged into the class) ----

/** Where Cognito sent a code (`CodeDeliveryDetailsType`). */
export interface CodeDelivery {
  /** `SMS` or `EMAIL`. */
  deliveryMedium?: string;
  /** Masked, e.g. `d***@e***`. */
  destination?: string;
  /** The attribute the code verifies, e.g. `email`. */
  attributeName?: string;
}

/** Options every account operation takes. */
export interface AccountCallOptions {
  signal?: AbortSignal;
}

/** `ClientMetadata` for the pool's Lambda triggers. */
export interface WithClientMetadata {
  clientMetadata?: Record<string, string>;
}

/** Options of `signUp`. */
export interface SignUpOptions extends AccountCallOptions, WithClientMetadata {
  username: string;
  password: string;
  /** User attributes, e.g. `{ email: "jo@example.com", name: "Jo" }`. */
  attributes?: Record<string, string>;
  /** `ValidationData` for the pre-sign-up trigger. */
  validationData?: Record<string, string>;
}

/** The result of `signUp`. */
export interface SignUpResult {
  /** False: confirm the code sent (`confirmSignUp`) before signing in. */
  userConfirmed: boolean;
  userSub?: string;
  codeDelivery?: CodeDelivery;
}

/** `GetUser`: the signed-in user. */
export interface CognitoUser {
  /** The canonical username. */
  username: string;
  attributes: Record<string, string>;
  /** Enabled MFA factors: `SMS_MFA`, `SOFTWARE_TOKEN_MFA`, `EMAIL_OTP`. */
  mfaSettings: string[];
  preferredMfa?: string;
}

/** One factor of `setMfaPreference`. */
export interface MfaFactorPreference {
  /** Default true (a factor named without `enabled` is enabled). */
  enabled?: boolean;
  /** Default false. */
  preferred?: boolean;
}

/** A device of `listDevices`. */
export interface CognitoDevice {
  deviceKey: string;
  /** `DeviceAttributes` (`device_name`, `device_status`, …). */
  attributes: Record<string, string>;
  /** `device_name`, if set. */
  name?: string;
  /** Last sign-in from the device, ms since the epoch. */
  lastAuthenticated?: number;
}

export interface CognitoAuth {
  /** `SignUp`. Not retried on a lost response (it creates the user). */
  signUp(options: SignUpOptions): Promise<SignUpResult>;
  /** `ConfirmSignUp` with the code sent at sign-up. */
  confirmSignUp(options: { username: string; code: string } & AccountCallOptions & WithClientMetadata): Promise<void>;
  /** `ResendConfirmationCode`. */
  resendSignUpCode(options: { username: string } & AccountCallOptions & WithClientMetadata): Promise<{ codeDelivery?: CodeDelivery }>;
  /** `ForgotPassword`: sends a recovery code. */
  forgotPassword(options: { username: string } & AccountCallOptions & WithClientMetadata): Promise<{ codeDelivery?: CodeDelivery }>;
  /** `ConfirmForgotPassword`: the code and the new password. */
  confirmForgotPassword(
    options: { username: string; code: string; newPassword: string } & AccountCallOptions & WithClientMetadata,
  ): Promise<void>;
  /** `ChangePassword` for the signed-in user. */
  changePassword(options: { oldPassword: string; newPassword: string } & AccountCallOptions): Promise<void>;
  /** `GetUser`: attributes and MFA settings of the signed-in user. */
  getUser(options?: AccountCallOptions): Promise<CognitoUser>;
  /** The signed-in user's attributes, `{ name: value }`. */
  fetchUserAttributes(options?: AccountCallOptions): Promise<Record<string, string>>;
  /** `UpdateUserAttributes`; changed e-mail / phone wait for `verifyUserAttribute`. */
  updateUserAttributes(
    options: { attributes: Record<string, string> } & AccountCallOptions & WithClientMetadata,
  ): Promise<{ codeDeliveryList: CodeDelivery[] }>;
  /** `VerifyUserAttribute` with the code sent for it. */
  verifyUserAttribute(options: { attributeName: string; code: string } & AccountCallOptions): Promise<void>;
  /** `GetUserAttributeVerificationCode`: sends a (new) code for the attribute. */
  sendUserAttributeVerificationCode(
    options: { attributeName: string } & AccountCallOptions & WithClientMetadata,
  ): Promise<{ codeDelivery?: CodeDelivery }>;
  /** `DeleteUserAttributes`. */
  deleteUserAttributes(options: { attributeNames: string[] } & AccountCallOptions): Promise<void>;
  /** `DeleteUser`; then the local session is cleared and `signedOut` emitted. */
  deleteUser(options?: AccountCallOptions): Promise<void>;
  /** `SetUserMFAPreference`; an absent factor is left unchanged. */
  setMfaPreference(
    options: { sms?: MfaFactorPreference; totp?: MfaFactorPreference; email?: MfaFactorPreference } & AccountCallOptions,
  ): Promise<void>;
  /**
   * `AssociateSoftwareToken` for the signed-in user: the secret and an
   * `otpauth://` URI for a QR code (issuer default `AWSCognito`). Finish with `verifyTotp`.
   */
  setUpTotp(options?: { issuer?: string } & AccountCallOptions): Promise<{ secret: string; otpauthUri: string }>;
  /** `VerifySoftwareToken` with the app's first code; then enable TOTP with `setMfaPreference`. */
  verifyTotp(options: { code: string; deviceName?: string } & AccountCallOptions): Promise<void>;
  /** `ListDevices`: a page (at most `limit`, default and maximum 60). */
  listDevices(
    options?: { limit?: number; paginationToken?: string } & AccountCallOptions,
  ): Promise<{ devices: CognitoDevice[]; paginationToken?: string }>;
  /** `UpdateDeviceStatus`: this session's device unless `deviceKey` is given. */
  rememberDevice(options?: { deviceKey?: string; remembered?: boolean } & AccountCallOptions): Promise<void>;
  /** `ForgetDevice`: this session's device (and its local record) unless `deviceKey` is given. */
  forgetDevice(options?: { deviceKey?: string } & AccountCallOptions): Promise<void>;
}

// ---- CognitoAuth: passkeys (not in `cognito-wasm/session`) ----

/** A passkey of `listPasskeys` (`WebAuthnCredentialDescription`). */
export interface Passkey {
  /** `CredentialId`, base64url: the argument of `deletePasskey`. */
  credentialId: string;
  /** `FriendlyCredentialName`. */
  friendlyName?: string;
  /** `RelyingPartyId` the passkey is scoped to. */
  relyingPartyId?: string;
  /** `platform` (this device) or `cross-platform` (a security key, a phone). */
  authenticatorAttachment?: string;
  /** `AuthenticatorTransports` (`internal`, `usb`, `hybrid`, …). */
  transports: string[];
  /** Registration time, ms since the epoch. */
  createdAt?: number;
}

/**
 * Passkeys (Cognito "Passkey sign-in", Essentials tier). Sign in with one by
 * `signIn({ username, preferredChallenge: "WEB_AUTHN" })`, or by answering
 * `SELECT_CHALLENGE` with `{ challenge: "WEB_AUTHN" }`: the browser's
 * passkey prompt runs inside the call. Ceremony failures reject with
 * `PasskeyCancelled` (`NotAllowedError`: dismissed, timed out, no passkey),
 * `PasskeyAlreadyRegistered` (`InvalidStateError`), `PasskeyNotSupported`
 * or `PasskeyFailed`; Cognito's refusals keep their names
 * (`WebAuthnOriginNotAllowedException`, …). Where the runtime has no
 * WebAuthn, sign-in returns the `WEB_AUTHN` step (its
 * `CREDENTIAL_REQUEST_OPTIONS` parameter) for `confirmSignIn({ credential })`.
 */
export interface CognitoAuth {
  /** `StartWebAuthnRegistration` → `navigator.credentials.create` → `CompleteWebAuthnRegistration`. */
  registerPasskey(options?: AccountCallOptions): Promise<void>;
  /** `ListWebAuthnCredentials`: every page. */
  listPasskeys(options?: AccountCallOptions): Promise<Passkey[]>;
  /** `DeleteWebAuthnCredential`. */
  deletePasskey(credentialId: string, options?: AccountCallOptions): Promise<void>;
}

/** Whether this runtime can create and use passkeys (WebAuthn in a browser). */
export declare function isPasskeySupported(): boolean;

// ---- CognitoAuth: hosted UI ----

/**
 * The hosted UI (managed login), `hostedUi` option: authorization code with
 * PKCE (S256), `state` and `nonce`. `domain` is the user-pool domain
 * (`<prefix>.auth.<region>.amazoncognito.com`, a custom domain, or an
 * emulator's `http://127.0.0.1:…`); `redirectUri` and `logoutUri` must be
 * among the app client's callback and sign-out URLs. `scopes` default to
 * none, which Cognito reads as all the client's allowed scopes (an ID token
 * needs `openid`). The ID token is checked against `issuer` (default
 * `<endpoint>/<userPoolId>`, Cognito's issuer) with keys from `jwksUri`
 * (default `<issuer>/.well-known/jwks.json`); `tokenRules: "oidc"` is for a
 * generic OpenID provider, whose ID tokens have no `token_use`.
 */
export interface HostedUiOptions {
  domain: string;
  redirectUri: string;
  logoutUri?: string | null;
  scopes?: string[];
  identityProvider?: string;
  issuer?: string;
  jwksUri?: string;
  tokenRules?: "cognito" | "oidc";
}

export interface CognitoAuthOptions {
  hostedUi?: HostedUiOptions;
}

/** Per sign-in options of `signInWithRedirect` / `signInWithPopup`. */
export interface RedirectSignInOptions {
  /** Instead of the configured scopes. */
  scopes?: string[];
  /** Go straight to this provider (`Google`, a SAML/OIDC name, `COGNITO`). */
  identityProvider?: string;
  idpIdentifier?: string;
  loginHint?: string;
  /** `login` forces the form; `none` is a silent check; `consent`. */
  prompt?: string;
  lang?: string;
  /** Returned by `handleRedirectCallback`; kept locally, never sent. */
  customState?: string;
  /** Navigate to the hosted UI (default true where there is a page). */
  navigate?: boolean;
}

/** A finished hosted-UI sign-in. */
export interface RedirectSignInResult {
  tokens: Tokens;
  customState?: string;
}

/** Options of `signInWithPopup`. */
export interface PopupSignInOptions extends Omit<RedirectSignInOptions, "navigate"> {
  /** Give up after this many ms (default 300000): code `PopupTimeout`. */
  timeout?: number;
  /** `window.open` features (default a 480×640 window). */
  features?: string;
}

export interface CognitoAuth {
  /**
   * Starts a hosted-UI sign-in: stores the transaction (verifier, state,
   * nonce) in the SDK's storage and navigates to `/oauth2/authorize`;
   * resolves to that URL (with `navigate: false`, only that).
   */
  signInWithRedirect(options?: RedirectSignInOptions): Promise<string>;
  /**
   * Finishes the sign-in on the redirect page (default URL: `location.href`,
   * cleaned from the address bar): codes `OAuthStateMissing`,
   * `OAuthUnknownState` (replayed, another tab's, never started),
   * `OAuthStateMismatch` (not the pending sign-in's), `OAuthTransactionExpired`,
   * `OAuthCallbackError` (the hosted UI's `error`), `OAuthEndpointError`,
   * `OAuthInvalidResponse`, and aws-jwt-verify's names for a bad ID token
   * (`JwtInvalidSignature`, `JwtExpired`, `JwtInvalidIssuer`,
   * `CognitoJwtInvalidClientId`, …, plus `JwtInvalidNonce`). In a sign-in
   * popup it hands the URL to the opener and resolves to `{ forwarded: true }`.
   */
  handleRedirectCallback(url?: string | { url?: string; signal?: AbortSignal }): Promise<RedirectSignInResult>;
  /**
   * Signs in through the hosted UI in a popup; the redirect page (which
   * calls `handleRedirectCallback`) hands the callback back. Codes
   * `PopupBlocked`, `PopupClosed`, `PopupTimeout`, or the callback's.
   */
  signInWithPopup(options?: PopupSignInOptions): Promise<RedirectSignInResult>;
  /** The user's claims from `/oauth2/userInfo` (needs the `openid` scope). */
  getUserInfo(options?: { signal?: AbortSignal }): Promise<Record<string, unknown> & { sub: string }>;
}

/** Transport options shared by the server-side exports. */
export interface ServerTransportOptions {
  fetch?: typeof fetch;
  timeout?: number;
  retry?: number | false | { maxRetries?: number; baseDelay?: number; maxDelay?: number };
  headers?: Record<string, string>;
}

/** Options of {@link JwtVerifier} (aws-jwt-verify's CognitoJwtVerifier's). */
export interface JwtVerifierOptions extends ServerTransportOptions {
  userPoolId: string;
  /** The accepted app client id(s); `null` skips the check. */
  clientId: string | string[] | null;
  /** `"id"`, `"access"`, or `null` for either. */
  tokenUse: "id" | "access" | null;
  /** The `iss` to require, when not Cognito's (`https://cognito-idp.<region>.amazonaws.com/<poolId>`). */
  issuer?: string;
  /** Issuer base of an emulator or proxy: the issuer is `<endpoint>/<userPoolId>`. */
  endpoint?: string;
  /** Default `<issuer>/.well-known/jwks.json`. */
  jwksUri?: string;
  /** At least one of these `cognito:groups`. */
  groups?: string[];
  /** At least one of these scopes. */
  scope?: string[];
  /** Clock skew tolerated on `exp` / `nbf`, seconds (default 0). */
  graceSeconds?: number;
}

/**
 * Verifies Cognito ID or access tokens without storage (servers, Workers):
 * aws-jwt-verify's checks; the JWKS is fetched once and cached; RS256 by
 * WebCrypto. Rejects with a {@link CognitoError} whose `code` is
 * aws-jwt-verify's error name without `Error` (`JwtExpired`,
 * `JwtInvalidSignature`, `CognitoJwtInvalidClientId`, …).
 */
export declare class JwtVerifier {
  constructor(options: JwtVerifierOptions);
  verify(token: string): Promise<Record<string, unknown> & { sub: string; iss: string; exp: number }>;
}

/** A hosted-UI domain and app client, for the server-side functions. */
export interface OAuthClientOptions extends ServerTransportOptions {
  domain: string;
  clientId: string;
  /** Sent with HTTP Basic (RFC 6749 §2.3.1), never in a body. */
  clientSecret?: string;
}

/** A token endpoint response. */
export interface OAuthTokens {
  accessToken: string;
  tokenType: string;
  expiresIn?: number;
  idToken?: string;
  refreshToken?: string;
  scope?: string;
  customState?: string;
}

/** The hosted UI as plain functions with no storage (servers, Workers). */
export interface OAuthApi {
  /** Keep `transaction` (e.g. in an HttpOnly cookie) for `exchangeCode`. */
  buildAuthorizeUrl(options: OAuthClientOptions & Omit<RedirectSignInOptions, "navigate"> & { redirectUri: string }): {
    url: string;
    state: string;
    transaction: string;
  };
  /**
   * Checks the callback `url` against `transaction`, exchanges the code,
   * and verifies the ID token (with its nonce) by `userPoolId` or `issuer`: one of them is required unless `verifyIdToken: false`.
   */
  exchangeCode(options: OAuthClientOptions & {
    url: string;
    transaction: string;
    userPoolId?: string;
    issuer?: string;
    jwksUri?: string;
    tokenRules?: "cognito" | "oidc";
    /** `false` skips every ID-token check, nonce included (neither userPoolId nor issuer given): say so explicitly. */
    verifyIdToken?: false;
  }): Promise<OAuthTokens>;
  refresh(options: OAuthClientOptions & { refreshToken: string }): Promise<OAuthTokens>;
  /** Machine-to-machine (`client_credentials`); needs `clientSecret`. */
  clientCredentials(options: OAuthClientOptions & { scopes?: string[] }): Promise<OAuthTokens>;
}

export declare const oauth: OAuthApi;

// ---- CognitoAuth: session, refresh, tabs ----

/**
 * Session options. The session is kept in step across the tabs of an
 * origin: a refresh runs under the Web Lock `cognito-wasm.<clientId>.refresh`
 * (where `navigator.locks` exists), so tabs at expiry make one request; with
 * `sessionStorage` a `BroadcastChannel` named `cognito-wasm.<clientId>` tells
 * the other tabs of `signedIn`, `tokenRefresh` (with the session, which they
 * store), `signedOut` and `sessionExpired`, and they emit the same events; a
 * new tab asks the open ones for their session and emits `signedIn` if one
 * answers; with `localStorage` the `storage` event does the same (a session
 * that expired in another tab is seen as `signedOut`). A transient refresh
 * failure (network, timeout, 5xx, throttling) keeps the session and emits
 * `tokenRefreshFailure` (detail: the error code); a rejected refresh token
 * (`NotAuthorizedException`) clears it and emits `sessionExpired`.
 * `expiresAt` is on the local clock (from the token lifetime), so a skewed
 * device clock does not move the refresh.
 */
export interface CognitoAuthOptions {
  /**
   * Refresh on a timer at expiry − `refreshMargin` − up to 10 s of jitter,
   * paused while `document.hidden` (refreshed if due on becoming visible),
   * stopped by `signOut`; a failed attempt is retried after 30 s. Default false.
   */
  autoRefresh?: boolean;
  /**
   * Keep the session in step with other tabs (see above). Default: true with
   * `"session"` / `"local"` storage, false with `"memory"` and adapters.
   */
  syncTabs?: boolean;
}

// SRP off the main thread: pkg/srp-offload.d.ts.
export { createSrpOffload } from "./srp-offload.js";
export type { PreparedSrp, SrpAnswerParams, SrpClaim, SrpOffload, SrpOffloadOptions } from "./srp-offload.js";
