// The hosted UI without storage, for servers and Workers: plain functions
// over the wasm core (src/js/oauth.rs). The app keeps `transaction` (from
// buildAuthorizeUrl) itself, e.g. in an HttpOnly cookie, until the callback.
import * as glue from "./gen/cognito_wasm.js";
import { _ensureReady, _toError } from "./api.js";

function call(f, options) {
  try {
    _ensureReady();
    return f(options ?? {});
  } catch (e) {
    throw _toError(e);
  }
}

async function callAsync(f, options) {
  try {
    _ensureReady();
    return await f(options ?? {});
  } catch (e) {
    throw _toError(e);
  }
}

export const oauth = Object.freeze({
  /** `{ url, state, transaction }` for a sign-in through the hosted UI. */
  buildAuthorizeUrl: (options) => call(glue.oauthBuildAuthorizeUrl, options),
  /** The callback URL + the stored transaction → tokens (and `customState`). */
  exchangeCode: (options) => callAsync(glue.oauthExchangeCode, options),
  /** New tokens from a refresh token (`grant_type=refresh_token`). */
  refresh: (options) => callAsync(glue.oauthRefresh, options),
  /** Machine-to-machine tokens (`grant_type=client_credentials`, HTTP Basic). */
  clientCredentials: (options) => callAsync(glue.oauthClientCredentials, options),
});
