// Browsers, bundlers and other ESM hosts ("browser" and "default" export
// conditions). The core wasm is fetched by `await init()`: by default from
// the `.wasm` file next to the glue module (`new URL(..., import.meta.url)`,
// which bundlers such as Vite and webpack 5 rewrite), or from a URL, bytes or
// a `WebAssembly.Module` passed to `init()`. Calling the API before `init()`
// throws a CognitoError with code `NotInitialized`. The SRP module is
// fetched for a password sign-in only (and by `init()` when the app uses
// the low-level `srp` API).
import initCore, * as core from "./gen/core.js";
import { _setCore } from "./api.js";

_setCore(core, (input) => initCore(input === undefined ? undefined : { module_or_path: input }));

export * from "./public.js";
