// JwtVerifier: Cognito token verification for servers and Workers, a thin
// shell over the wasm `JwtVerifierCore` (src/js/jwt.rs): the checks of
// aws-jwt-verify's CognitoJwtVerifier, the JWKS fetched once and cached,
// RS256 by WebCrypto. Errors are CognitoErrors whose `code` is
// aws-jwt-verify's error class name without the `Error` suffix.
import * as glue from "./gen/cognito_wasm.js";
import { _ensureReady, _toError, CognitoError } from "./api.js";

/** Verifies a user pool's ID or access tokens; see index.d.ts. */
export class JwtVerifier {
  #core;

  constructor(options) {
    _ensureReady();
    if (options === null || typeof options !== "object") {
      throw new CognitoError("JwtVerifier needs an options object with userPoolId, clientId and tokenUse", "InvalidArgument");
    }
    try {
      this.#core = new glue.JwtVerifierCore(options);
    } catch (e) {
      throw _toError(e);
    }
  }

  /** Resolves to the token's claims; rejects with a CognitoError. */
  verify(token) {
    try {
      return this.#core.verify(token).catch((e) => {
        throw _toError(e);
      });
    } catch (e) {
      return Promise.reject(_toError(e));
    }
  }
}
