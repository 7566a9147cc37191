// The package's shared state, for every runtime entry (index.js, node.js,
// workerd.js): loading the wasm modules, and the one error type.
//
// Two modules: the core (the protocol machines: pkg/gen/core_bg.wasm, or
// pkg/gen/session_bg.wasm without the sign-in and account machines for the
// `cognito-wasm/session` entry) and the SRP module (pkg/gen/srp_bg.wasm),
// which only a password or device sign-in and the low-level `srp` API need.
// Each entry registers its core glue (`_setCore`) and says how modules load:
// synchronously on first use (Node, workerd: `_setLoader`) or fetched by
// `await init()` (browsers). `init()` loads the core, and the SRP module too
// when the app imports `srp` (pkg/srp.js registers itself); `CognitoAuth`
// fetches the SRP module itself on its first password sign-in.

/**
 * The one error type of the package. `code` is stable: the Rust core's
 * `Error::code()` (e.g. `InvalidSrpB`), one of the JS layer's codes
 * (`NotInitialized`, `InvalidArgument`, `EphemeralAlreadyUsed`,
 * `InternalError`), or, for service errors, Cognito's `__type` verbatim.
 */
export class CognitoError extends Error {
  constructor(message, code, options) {
    super(message, options);
    this.name = "CognitoError";
    this.code = code;
  }
}

// Per module: { sync, load (async), ready, pending }.
const modules = new Map();

function entry(name) {
  if (!modules.has(name)) modules.set(name, { ready: false, pending: null, sync: null, load: null, eager: false });
  return modules.get(name);
}

let coreGlue = null;

/**
 * @internal The entry's core glue (wasm-bindgen's module for core_bg.wasm
 * or session_bg.wasm) and, in browsers, how `init()` fetches it.
 */
export function _setCore(glue, load) {
  coreGlue = glue;
  if (load) entry("core").load = load;
}

/** @internal The core glue, loaded (or NotInitialized). */
export function _core() {
  _ensureReady();
  return coreGlue;
}

/** @internal Registers a module's synchronous loader (Node, workerd). */
export function _setLoader(fn, name = "core") {
  entry(name).sync = fn;
}

/**
 * @internal Registers a module's asynchronous loader (browsers); `eager`:
 * `init()` loads it too (the app imported an API that needs it synchronously).
 */
export function _setAsyncLoader(name, load, eager) {
  const m = entry(name);
  m.load = load;
  m.eager ||= eager;
}

/** @internal Loads `name` now if it can (a sync loader), else throws NotInitialized. */
export function _ensureReady(name = "core") {
  const m = entry(name);
  if (m.ready) return;
  if (m.sync) {
    m.sync();
    m.ready = true;
    return;
  }
  throw new CognitoError(
    "cognito-wasm is not initialized: `await init()` once before calling the API " +
      "(in browsers the wasm module is fetched asynchronously)",
    "NotInitialized",
  );
}

/** @internal Loads `name` (async where needed); resolves once it can be used. */
export function _load(name, input) {
  const m = entry(name);
  if (m.ready) return Promise.resolve();
  if (m.sync && input === undefined) {
    try {
      _ensureReady(name);
      return Promise.resolve();
    } catch (e) {
      return Promise.reject(_toError(e));
    }
  }
  if (!m.load) return Promise.reject(new CognitoError(`cognito-wasm: no loader for the ${name} module`, "InitFailed"));
  m.pending ??= Promise.resolve()
    .then(() => m.load(input))
    .then(() => {
      m.ready = true;
    })
    .catch((e) => {
      m.pending = null;
      throw new CognitoError(`cognito-wasm: loading the wasm module failed: ${e?.message ?? e}`, "InitFailed", { cause: e });
    });
  return m.pending;
}

/**
 * Loads the wasm once. `input` (browsers and bundlers): omitted (the
 * `.wasm` next to the glue module, resolved from `import.meta.url`), a URL or
 * string, a `Request`/`Response`, the bytes, or a compiled `WebAssembly.Module`.
 * Also loads the SRP module when the app uses the low-level `srp` API.
 */
export function init(input) {
  const extra = [...modules].filter(([n, m]) => n !== "core" && m.eager).map(([n]) => _load(n));
  return Promise.all([_load("core", input), ...extra]).then(() => undefined);
}

/** Whether the wasm module is loaded (always true after `await init()`). */
export function isInitialized() {
  return entry("core").ready;
}

/**
 * @internal Turns what the wasm side threw (a JS Error with `name ===
 * "CognitoError"` and `code`) into a CognitoError, and a wasm trap into
 * InternalError. Other values pass through.
 */
export function _toError(e) {
  if (e instanceof CognitoError) return e;
  if (e && e.name === "CognitoError") {
    const err = new CognitoError(e.message, e.code ?? "InternalError");
    for (const k of ["status", "requestId", "error", "transient"]) if (e[k] !== undefined) err[k] = e[k];
    return err;
  }
  if (typeof WebAssembly !== "undefined" && e instanceof WebAssembly.RuntimeError) {
    return new CognitoError(`internal error in the wasm module (${e.message}); please report it`, "InternalError", {
      cause: e,
    });
  }
  return e;
}
