// Cloudflare Workers / workerd ("workerd" export condition). Wrangler (and
// any bundler following its rules) turns the `.wasm` import into a compiled
// `WebAssembly.Module`, instantiated synchronously on the first API call:
// `init()` is optional.
import wasm from "./gen/cognito_wasm_bg.wasm";
import { initSync } from "./gen/cognito_wasm.js";
import { _setLoader, _setSrpBackend } from "./api.js";
import { nativeSrpBackend } from "./srp-native.js";

_setLoader(() => {
  initSync({ module: wasm });
});
// With the `nodejs_compat` flag, workerd's node:crypto DiffieHellman does
// SRP's exponentiations several times faster than the wasm engine (see
// bench/srp-workerd.bench.mjs); without it, `process` is absent: wasm.
_setSrpBackend(nativeSrpBackend(globalThis.process?.getBuiltinModule?.("node:crypto")));

export { init, isInitialized, CognitoError, srp } from "./api.js";
export { CognitoAuth } from "./auth.js";
export { createSrpOffload } from "./srp-offload.js";
export { JwtVerifier } from "./jwt.js";
export { oauth } from "./oauth.js";
import "./popup.js";
