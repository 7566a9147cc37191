// The effect driver: runs a machine of the core (src/machine) to its end.
// Each step gives an effect as data; this file performs it and feeds the
// result back. It makes no protocol decision: what to send, when to retry,
// what an answer means, which session wins — all of that is in Rust.
//
// Effects and their answers (see src/machine/mod.rs):
//   http { method, url, headers, body, timeout } → { status, headers, body }
//   sleep { ms } · get { key } → string | null · set { key, value } · remove { key }
//   lock { name } → true (across tabs: Web Locks) | false (this realm only) · unlock { name }
//   listen { channel, storageKey, storage, visibility } → { channel, hidden }
//   post { message } · ask { ms, message } → a record string | null (posts message) · emit { name, detail }
//   timer { ms? } · navigate { url } → bool · location → href | null · replaceUrl { url }
//   srp { op, … } → the SRP backend's answer · verify { n, e, signature, data } → bool
// A failed effect answers { kind, message, code? }.
import { CognitoError, _core, _toError } from "./api.js";

/** The CognitoError for a machine's `{ t: "error", code, message, … }`. */
export function machineError(out) {
  const e = new CognitoError(out.message, out.code);
  for (const k of ["status", "requestId", "error", "transient"]) if (out[k] !== undefined) e[k] = out[k];
  return e;
}

/** Opens a client or verifier (`openClient` / `openVerifier`): its answer, or throws. */
export function open(kind, options) {
  const core = _core();
  let out;
  try {
    out = JSON.parse(core[kind](JSON.stringify(options)));
  } catch (e) {
    throw _toError(e);
  }
  if (out.t === "error") throw machineError(out);
  return out;
}

/** Drops a handle. */
export function close(handle) {
  try {
    _core().close(handle);
  } catch {}
}

// Response headers the core reads (`Date` for clock skew, the AWS error type
// and request id, the content type to spot HTML error pages, `Retry-After`,
// the bearer challenge). Browsers expose only what the server lists in
// `Access-Control-Expose-Headers`.
const READ_HEADERS = ["date", "content-type", "x-amzn-errortype", "x-amzn-requestid", "retry-after", "www-authenticate"];

const failure = (kind, e) => ({ kind, message: String(e?.message ?? e ?? kind), ...(e?.code ? { code: e.code } : {}) });

async function http(effect, env, signal) {
  if (signal?.aborted) throw failure("aborted");
  const timeout = AbortSignal.timeout(effect.timeout);
  const combined = signal && AbortSignal.any ? AbortSignal.any([timeout, signal]) : timeout;
  const headers = {};
  for (const [k, v] of effect.headers) headers[k] = v;
  // Tokens must never be served from or written to an HTTP cache: the
  // request's `Cache-Control: no-store` says so (workerd rejects `cache`).
  const init = { method: effect.method, headers, credentials: "omit", redirect: "manual", signal: combined };
  if (effect.body != null) init.body = effect.body;
  // Never with a foreign `this` (workerd refuses it).
  const f = env.fetch;
  try {
    const r = await (f ? f(effect.url, init) : fetch(effect.url, init));
    const out = [];
    for (const name of READ_HEADERS) {
      const v = r.headers.get(name);
      if (v !== null) out.push([name, v]);
    }
    return { status: r.status, headers: out, body: await r.text() };
  } catch (e) {
    if (signal?.aborted) throw failure("aborted");
    if (e?.name === "TimeoutError" || e?.name === "AbortError") throw failure("timeout", e);
    throw failure("network", e);
  }
}

function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(failure("aborted"));
    const t = setTimeout(resolve, ms);
    signal?.addEventListener?.("abort", () => {
      clearTimeout(t);
      reject(failure("aborted"));
    });
  });
}

async function storage(effect, env) {
  const s = env.storage;
  try {
    if (effect.t === "get") {
      const v = await s.getItem(effect.key);
      return typeof v === "string" ? v : null;
    }
    if (effect.t === "set") await s.setItem(effect.key, effect.value);
    else await s.removeItem(effect.key);
    return null;
  } catch (e) {
    throw failure("storage", { message: e?.name ?? String(e) });
  }
}

// RS256 (RSASSA-PKCS1-v1_5 with SHA-256): WebCrypto, unless the entry sets
// the host's own (Node's: node:crypto, synchronous, less CPU per check).
const webCrypto = {
  key: (n, e) =>
    crypto.subtle.importKey("jwk", { kty: "RSA", n, e, alg: "RS256" }, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, [
      "verify",
    ]),
  verify: (key, signature, data) => crypto.subtle.verify("RSASSA-PKCS1-v1_5", key, signature, data),
};
let rs256 = webCrypto;

/** @internal The RS256 backend: `{ key(n, e), verify(key, signature, data) }`, each maybe async. */
export function _setRs256Backend(backend) {
  rs256 = backend ?? webCrypto;
  keys.clear();
  numbered.clear();
}

// RS256 public keys imported once per (n, e): importKey costs more than verify.
const keys = new Map();
const utf8 = new TextEncoder();

function b64url(s) {
  const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((s.length + 3) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function rs256Key(n, e) {
  const id = `${e}.${n}`;
  let key = keys.get(id);
  if (!key) {
    try {
      key = await rs256.key(n, e);
    } catch (e) {
      throw failure("key", e);
    }
    if (keys.size > 64) keys.clear();
    keys.set(id, key);
  }
  return key;
}

async function verify(effect) {
  const key = await rs256Key(effect.n, effect.e);
  return rs256.verify(key, b64url(effect.signature), utf8.encode(effect.data));
}

// The same keys under the numbers the core gives them (`verifyBegin`).
const numbered = new Map();

/**
 * `JwtVerifier.verify(token)` on verifier `handle`. With the keys cached
 * the core checks the token in one call (`verifyBegin`), this verifies the
 * signature it names, and the core checks the claims (`verifyFinish`);
 * otherwise (keys to fetch) the `verify` machine runs with `env`.
 */
export async function verifyToken(handle, token, env) {
  const core = _core();
  let check;
  try {
    check = typeof token === "string" ? core.verifyBegin(handle, token, Date.now()) : "";
  } catch (e) {
    throw _toError(e);
  }
  if (check === "") return run(handle, "verify", token, env);
  check = JSON.parse(check);
  if (check.t === "error") throw machineError(check);
  let valid;
  try {
    let key = numbered.get(check.key);
    if (!key) {
      const { n, e } = JSON.parse(core.verifyKey(check.id));
      key = await rs256Key(n, e);
      if (numbered.size > 64) numbered.clear();
      numbered.set(check.key, key);
    }
    // The signing input is the token's first `len` characters (base64url
    // and a dot: ASCII, so characters are bytes).
    const data = utf8.encode(token.slice(0, check.len));
    valid = await rs256.verify(key, core.verifySignature(check.id), data);
  } catch {
    // The machine meets the same failure and words it as the core does.
    close(check.id);
    return run(handle, "verify", token, env);
  }
  let out;
  try {
    out = JSON.parse(core.verifyFinish(check.id, valid === true, Date.now()));
  } catch (e) {
    throw _toError(e);
  }
  if (out.t === "error") throw machineError(out);
  return out.v;
}

// Locks within this realm, where there are no Web Locks: one queue per name.
const queues = new Map();

function localLock(name) {
  const prev = queues.get(name) ?? Promise.resolve();
  let release;
  const held = new Promise((r) => (release = r));
  const next = prev.then(() => held);
  queues.set(name, next);
  next.then(() => {
    if (queues.get(name) === next) queues.delete(name);
  });
  return prev.then(() => release);
}

/** Takes lock `name`: Web Locks where present (across tabs), else this realm's. `[release, acrossTabs]`. */
async function lock(name) {
  const locks = globalThis.navigator?.locks;
  if (typeof locks?.request === "function") {
    let release;
    const held = new Promise((r) => (release = r));
    try {
      const granted = await new Promise((resolve, reject) => {
        locks.request(name, () => (resolve(true), held)).catch(reject);
      });
      if (granted) return [release, true];
    } catch {}
  }
  return [await localLock(name), false];
}

// Effects of optional modules (pkg/passkey.js: `webauthn`), registered by
// the entries that include them.
export const effects = {};

const page = () => (typeof document === "object" && document !== null ? globalThis : null);

async function perform(effect, env, signal, held) {
  switch (effect.t) {
    case "http":
      return http(effect, env, signal);
    case "sleep":
      return sleep(effect.ms, signal);
    case "get":
    case "set":
    case "remove":
      return storage(effect, env);
    case "lock": {
      const [release, acrossTabs] = await lock(effect.name);
      held.set(effect.name, release);
      return acrossTabs;
    }
    case "unlock":
      held.get(effect.name)?.();
      held.delete(effect.name);
      return null;
    case "emit":
      env.emit?.(effect.name, effect.detail);
      return null;
    case "navigate": {
      const location = page()?.location;
      if (typeof location?.assign !== "function") return false;
      location.assign(effect.url);
      return true;
    }
    case "location":
      return page()?.location?.href ?? null;
    case "replaceUrl": {
      const history = page()?.history;
      try {
        history?.replaceState(history.state, "", effect.url);
      } catch {}
      return null;
    }
    case "verify":
      return verify(effect);
    case "srp":
      try {
        return await env.srp(effect);
      } catch (e) {
        throw failure("srp", _toError(e));
      }
    case "listen":
    case "post":
    case "ask":
    case "timer":
      return env.tabs?.[effect.t]?.(effect) ?? null;
    default:
      if (effects[effect.t]) return effects[effect.t](effect, signal);
      throw failure("unknown", { message: `unknown effect ${effect.t}` });
  }
}

/**
 * Runs `method` with `args` on `handle` (0: the server-side oauth
 * functions) to its end, performing its effects with `env` ({ fetch,
 * storage, emit, srp, tabs }); `signal` aborts its requests and waits.
 */
export async function run(handle, method, args, env = {}, signal) {
  const core = _core();
  let id;
  try {
    id = core.start(handle, method, JSON.stringify(args ?? {}));
  } catch (e) {
    throw _toError(e);
  }
  const held = new Map();
  let input = { now: Date.now() };
  let finished = false;
  try {
    for (;;) {
      let out;
      try {
        out = JSON.parse(core.step(id, JSON.stringify(input)));
      } catch (e) {
        throw _toError(e);
      }
      if (out.t === "done" || out.t === "error") {
        finished = true; // the core dropped it
        if (out.t === "done") return out.v;
        throw machineError(out);
      }
      try {
        const v = await perform(out, env, signal, held);
        input = { now: Date.now(), v: v ?? null };
      } catch (e) {
        input = { now: Date.now(), e: e?.kind ? e : failure("unknown", e) };
      }
    }
  } finally {
    // An abandoned machine is dropped (its secrets zeroed); its locks released.
    for (const release of held.values()) release();
    if (!finished) close(id);
  }
}

/** Runs a machine that needs no effect (e.g. building a URL) synchronously: its value, or throws. */
export function runSync(handle, method, args) {
  const core = _core();
  let out;
  try {
    const id = core.start(handle, method, JSON.stringify(args ?? {}));
    out = JSON.parse(core.step(id, JSON.stringify({ now: Date.now() })));
    if (out.t !== "done" && out.t !== "error") {
      close(id);
      throw new CognitoError(`internal error: ${method} wanted an effect`, "InternalError");
    }
  } catch (e) {
    throw _toError(e);
  }
  if (out.t === "error") throw machineError(out);
  return out.v;
}
