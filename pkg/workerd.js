// Cloudflare Workers / workerd ("workerd" export condition). Wrangler (and
// any bundler following its rules) turns each `.wasm` import into a compiled
// `WebAssembly.Module`, instantiated synchronously on first use: `init()` is
// optional.
import coreWasm from "./gen/core_bg.wasm";
import srpWasm from "./gen/srp_bg.wasm";
import { initSync as initSrpSync } from "./gen/srp.js";
import * as core from "./gen/core.js";
import { _setCore, _setLoader } from "./api.js";
import { _setSrpBackend } from "./srp.js";
import { nativeSrpBackend } from "./srp-native.js";

_setCore(core);
_setLoader(() => core.initSync({ module: coreWasm }));
_setLoader(() => initSrpSync({ module: srpWasm }), "srp");
// With the `nodejs_compat` flag, workerd's node:crypto DiffieHellman does
// SRP's exponentiations several times faster than the wasm engine (see
// bench/srp-workerd.bench.mjs); without it, `process` is absent: wasm.
_setSrpBackend(nativeSrpBackend(globalThis.process?.getBuiltinModule?.("node:crypto")));

export * from "./public.js";
