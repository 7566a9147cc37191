// Node ≥ 20 ("node" export condition). The wasm modules are read and
// instantiated synchronously on first use, so `init()` is optional (and
// harmless).
import { initSync as initSrpSync } from "./gen/srp.js";
import * as core from "./gen/core.js";
import { _setCore, _setLoader } from "./api.js";
import { _setSrpBackend } from "./srp.js";
import { _setRs256Backend } from "./driver.js";
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

const read = (file) => builtin("node:fs").readFileSync(new URL(`./gen/${file}`, import.meta.url));
_setCore(core);
_setLoader(() => core.initSync({ module: read("core_bg.wasm") }));
_setLoader(() => initSrpSync({ module: read("srp_bg.wasm") }), "srp");
// SRP's exponentiations through OpenSSL: faster than the wasm engine in Node
// (see bench/srp.bench.mjs), same results (tests/srp-native/).
_setSrpBackend(nativeSrpBackend(builtin("node:crypto")));
// JwtVerifier's RS256 through node:crypto's synchronous verify (OpenSSL, as
// WebCrypto in Node, without its job queue): less CPU per token
// (bench/edge.bench.mjs).
{
  const c = builtin("node:crypto");
  _setRs256Backend({
    key: (n, e) => c.createPublicKey({ key: { kty: "RSA", n, e }, format: "jwk" }),
    verify: (key, signature, data) => c.verify("sha256", data, key, signature),
  });
}

export * from "./public.js";
