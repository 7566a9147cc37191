// `cognito-wasm/session`: the session and hosted-UI part of the package with
// a smaller core (see pkg/session.js). The sign-in and account methods of
// `CognitoAuth` reject with `InvalidArgument` under this entry, and the
// passkey methods (`registerPasskey`, …, `isPasskeySupported`) are absent.
export { init, isInitialized, CognitoError, CognitoAuth, JwtVerifier, oauth } from "./index.js";
export type * from "./index.js";
