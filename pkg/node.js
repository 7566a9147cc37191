// Node ≥ 20 ("node" export condition). The wasm is read and instantiated
// synchronously on the first API call, so `init()` is optional (and harmless).
import { readFileSync } from "node:fs";
import { initSync } from "./gen/cognito_wasm.js";
import * as crypto from "node:crypto";
import { _setLoader, _setSrpBackend } from "./api.js";
import { nativeSrpBackend } from "./srp-native.js";

_setLoader(() => {
  initSync({ module: readFileSync(new URL("./gen/cognito_wasm_bg.wasm", import.meta.url)) });
});
// SRP's exponentiations through OpenSSL: faster than the wasm engine in Node
// (see bench/srp.bench.mjs), same results (tests/srp-native/).
_setSrpBackend(nativeSrpBackend(crypto));

export { init, isInitialized, CognitoError, srp } from "./api.js";
export { CognitoAuth } from "./auth.js";
export { createSrpOffload } from "./srp-offload.js";
export { JwtVerifier } from "./jwt.js";
export { oauth } from "./oauth.js";
import "./popup.js";
