// JwtVerifier: Cognito token verification for servers and Workers. The
// checks (aws-jwt-verify's CognitoJwtVerifier) and the JWKS cache are the
// core's (src/machine/verifier.rs); the driver fetches and runs RS256 in
// WebCrypto. Errors are CognitoErrors whose `code` is aws-jwt-verify's error
// class name without the `Error` suffix.
import { CognitoError, _ensureReady } from "./api.js";
import { open, verifyToken } from "./driver.js";

/** Verifies a user pool's ID or access tokens; see index.d.ts. */
export class JwtVerifier {
  #handle;
  #env;

  constructor(options) {
    _ensureReady();
    if (options === null || typeof options !== "object") {
      throw new CognitoError("JwtVerifier needs an options object with userPoolId, clientId and tokenUse", "InvalidArgument");
    }
    if (options.fetch !== undefined && typeof options.fetch !== "function") {
      throw new CognitoError("fetch must be a function with fetch's signature", "InvalidArgument");
    }
    const { fetch, ...plain } = options;
    this.#handle = open("openVerifier", plain).v;
    this.#env = { fetch };
  }

  /** Resolves to the token's claims; rejects with a CognitoError. */
  verify(token) {
    return verifyToken(this.#handle, token, this.#env);
  }
}
