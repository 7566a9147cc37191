// Cloudflare Workers / workerd ("workerd" export condition). Wrangler (and
// any bundler following its rules) turns the `.wasm` import into a compiled
// `WebAssembly.Module`, instantiated synchronously on the first API call:
// `init()` is optional.
import wasm from "./gen/cognito_wasm_bg.wasm";
import { initSync } from "./gen/cognito_wasm.js";
import { _setLoader } from "./api.js";

_setLoader(() => {
  initSync({ module: wasm });
});

export { init, isInitialized, CognitoError, srp } from "./api.js";
export { CognitoAuth } from "./auth.js";
export { createSrpOffload } from "./srp-offload.js";
export { JwtVerifier } from "./jwt.js";
export { oauth } from "./oauth.js";
import "./popup.js";
