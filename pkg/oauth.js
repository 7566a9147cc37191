// The hosted UI without storage, for servers and Workers: the core's
// machines (src/machine/ops.rs) run by the driver. The app keeps
// `transaction` (from buildAuthorizeUrl) itself, e.g. in an HttpOnly
// cookie, until the callback.
import { CognitoError } from "./api.js";
import { run, runSync } from "./driver.js";

function call(method, options) {
  const o = options ?? {};
  if (o.fetch !== undefined && typeof o.fetch !== "function") {
    return Promise.reject(new CognitoError("fetch must be a function with fetch's signature", "InvalidArgument"));
  }
  const { fetch, ...plain } = o;
  return run(0, method, plain, { fetch });
}

export const oauth = Object.freeze({
  /** `{ url, state, transaction }` for a sign-in through the hosted UI. */
  buildAuthorizeUrl: (options) => runSync(0, "buildAuthorizeUrl", options ?? {}),
  /** The callback URL + the stored transaction → tokens (and `customState`). */
  exchangeCode: (options) => call("exchangeCode", options),
  /** New tokens from a refresh token (`grant_type=refresh_token`). */
  refresh: (options) => call("refresh", options),
  /** Machine-to-machine tokens (`grant_type=client_credentials`, HTTP Basic). */
  clientCredentials: (options) => call("clientCredentials", options),
});
