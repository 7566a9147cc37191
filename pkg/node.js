// Node ≥ 20 ("node" export condition). The wasm is read and instantiated
// synchronously on the first API call, so `init()` is optional (and harmless).
import { initSync } from "./gen/cognito_wasm.js";
import { _setLoader, _setSrpBackend } from "./api.js";
import { nativeSrpBackend } from "./srp-native.js";

// Built-ins through process.getBuiltinModule (Node ≥ 20.16, Deno ≥ 2.1)
// rather than `import … from "node:fs"` / "node:crypto": no ES module facade
// is built for them, which saves several milliseconds of a fresh process's
// first sign-in (bench/srp.bench.mjs).
function builtin(id) {
  const mod = globalThis.process?.getBuiltinModule?.(id);
  if (!mod) throw new Error(`cognito-wasm needs Node.js 20.16 or later (process.getBuiltinModule("${id}"))`);
  return mod;
}

_setLoader(() => {
  const bytes = builtin("node:fs").readFileSync(new URL("./gen/cognito_wasm_bg.wasm", import.meta.url));
  initSync({ module: bytes });
});
// SRP's exponentiations through OpenSSL: faster than the wasm engine in Node
// (see bench/srp.bench.mjs), same results (tests/srp-native/).
_setSrpBackend(nativeSrpBackend(builtin("node:crypto")));

export { init, isInitialized, CognitoError, srp } from "./api.js";
export { CognitoAuth } from "./auth.js";
export { createSrpOffload } from "./srp-offload.js";
export { JwtVerifier } from "./jwt.js";
export { oauth } from "./oauth.js";
import "./popup.js";
