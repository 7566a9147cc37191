// SRP off the main thread: a client for pkg/srp-worker.js (a module Web
// Worker running the same wasm), with the same two steps as the low-level
// API, split so that `a` and `A = g^a mod N` can be prepared before the
// PASSWORD_VERIFIER challenge arrives:
//
//   const offload = createSrpOffload();            // worker started lazily
//   const { publicA, id } = await offload.prepare(); // SRP_A for InitiateAuth
//   const { signature, timestamp } = await offload.answer(id, {
//     userPoolId, password, challengeParameters, now });
//
// Where no Worker exists (Node, workerd), the same calls run inline on the
// calling thread (`mode` says which). Errors are CognitoError: the Rust
// core's codes, `EphemeralAlreadyUsed`, and `SrpWorkerFailed` (the worker
// crashed or could not load; its prepared ephemerals are lost), `InitFailed`
// (its wasm did not load) or `TimeoutError` (no answer in `timeoutMs`; the
// worker is restarted). CognitoAuth's default backend in a page (auth.js)
// is one of these, and turns inline when the worker cannot start.
import { CognitoError, _toError } from "./api.js";
import { inlineSrp } from "./srp.js";

const DEFAULT_TIMEOUT_MS = 10_000;

function invalid(message) {
  return new CognitoError(message, "InvalidArgument");
}

/** The worker's argument record from `answer`'s options (checked here, where the error is useful). */
function answerArgs(options) {
  if (options === null || typeof options !== "object") throw invalid("answer expects an options object");
  const { userPoolId, realm, password, challengeParameters: cp, now } = options;
  if (typeof userPoolId !== "string" && typeof realm !== "string") throw invalid("userPoolId must be a string");
  if (typeof password !== "string") throw invalid("password must be a string");
  if (cp === null || typeof cp !== "object") throw invalid("challengeParameters must be the PASSWORD_VERIFIER ChallengeParameters");
  for (const k of ["SALT", "SRP_B", "SECRET_BLOCK", "USER_ID_FOR_SRP"]) {
    if (typeof cp[k] !== "string") throw invalid(`challengeParameters.${k} must be a string`);
  }
  const ms = now === undefined ? Date.now() : now instanceof Date ? now.getTime() : now;
  if (typeof ms !== "number" || !Number.isFinite(ms) || Math.abs(ms) > 8.64e15) {
    throw invalid("now must be a valid Date or a number of milliseconds since the epoch");
  }
  return {
    userPoolId,
    realm,
    password,
    salt: cp.SALT,
    srpB: cp.SRP_B,
    secretBlock: cp.SECRET_BLOCK,
    userIdForSrp: cp.USER_ID_FOR_SRP,
    unixSeconds: Math.floor(ms / 1000),
    now: ms,
  };
}

/** The worker: started on first use, restarted after a crash or a timeout. */
function workerBackend({ workerUrl, wasm, timeoutMs }) {
  let worker = null;
  let initDone = null;
  let seq = 0;
  const pending = new Map();

  const fail = (error) => {
    for (const p of pending.values()) {
      clearTimeout(p.timer);
      p.reject(error);
    }
    pending.clear();
  };
  const stop = () => {
    worker?.terminate();
    worker = null;
    initDone = null;
  };

  function post(msg, transfer) {
    return new Promise((resolve, reject) => {
      if (!worker) {
        reject(new CognitoError("the SRP worker was stopped (closed, crashed or timed out); prepare again", "SrpWorkerFailed"));
        return;
      }
      const s = ++seq;
      const timer = setTimeout(() => {
        pending.delete(s);
        // A stuck worker holds nothing we can trust: start afresh next time.
        stop();
        fail(new CognitoError("the SRP worker did not answer in time; prepare again", "TimeoutError"));
        reject(new CognitoError(`the SRP worker did not answer within ${timeoutMs} ms`, "TimeoutError"));
      }, timeoutMs);
      pending.set(s, { resolve, reject, timer });
      worker.postMessage({ ...msg, seq: s }, transfer ?? []);
    });
  }

  function start() {
    if (worker) return initDone;
    const w = new Worker(workerUrl, { type: "module", name: "cognito-wasm SRP" });
    worker = w;
    w.onmessage = ({ data }) => {
      const p = pending.get(data?.seq);
      if (!p) return;
      pending.delete(data.seq);
      clearTimeout(p.timer);
      if (data.ok) p.resolve(data.value);
      else p.reject(new CognitoError(data.error?.message ?? "SRP worker error", data.error?.code ?? "InternalError"));
    };
    const crashed = (what) => () => {
      if (worker !== w) return;
      stop();
      fail(new CognitoError(`the SRP worker ${what}; its prepared ephemerals are lost, prepare again`, "SrpWorkerFailed"));
    };
    w.onerror = (ev) => {
      ev?.preventDefault?.();
      crashed("failed")();
    };
    w.onmessageerror = crashed("sent an unreadable message");
    initDone = post({ op: "init", wasm }).catch((e) => {
      if (worker === w) stop();
      throw e.code === "InitFailed" || e.code === "TimeoutError" ? e : new CognitoError(`the SRP worker could not start: ${e.message}`, "SrpWorkerFailed");
    });
    return initDone;
  }

  const call = async (msg) => {
    await start();
    return post(msg);
  };
  return {
    mode: "worker",
    prepare: () => call({ op: "prepare" }),
    fromSecret: (aHex) => call({ op: "fromSecret", aHex }),
    answer: (id, args) => call({ op: "answer", id, args }),
    dispose: (id) => call({ op: "dispose", id }),
    warm: () => start(),
    close() {
      stop();
      fail(new CognitoError("the SRP offload was closed", "SrpWorkerFailed"));
    },
  };
}

/**
 * An SRP offload. Options: `worker` (default: true where `Worker` exists;
 * false forces inline), `workerUrl` (default pkg/srp-worker.js next to this
 * module), `wasm` (what the worker loads: URL, bytes or WebAssembly.Module;
 * default the .wasm next to the glue), `timeoutMs` (default 10000).
 */
export function createSrpOffload(options = {}) {
  const useWorker = (options.worker ?? true) && typeof Worker === "function";
  let backend;
  if (useWorker) {
    const workerUrl = options.workerUrl ?? new URL("./srp-worker.js", import.meta.url);
    const wasm = options.wasm ?? new URL("./gen/srp_bg.wasm", import.meta.url).href;
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!(timeoutMs > 0)) throw invalid("timeoutMs must be a positive number");
    backend = workerBackend({ workerUrl, wasm: wasm instanceof URL ? wasm.href : wasm, timeoutMs });
  } else {
    backend = inlineSrp();
  }
  const guard = async (fn) => {
    try {
      return await fn();
    } catch (e) {
      throw _toError(e);
    }
  };
  const offload = {
    /** "worker" or "inline". */
    get mode() {
      return backend.mode;
    },
    /** A fresh ephemeral: `{ publicA, id }`; `a` stays with the backend. Single use. */
    prepare: () => guard(() => backend.prepare()),
    /**
     * The PASSWORD_VERIFIER claim for a prepared ephemeral:
     * `{ signature, timestamp }` (PASSWORD_CLAIM_SIGNATURE, TIMESTAMP).
     * Options as srp.answerPasswordVerifier: `userPoolId`, `password`,
     * `challengeParameters`, `now`. Consumes the ephemeral.
     */
    answer: (id, params) =>
      guard(() => {
        if (typeof id !== "string") throw invalid("id must be the id returned by prepare()");
        return backend.answer(id, answerArgs(params));
      }),
    /** Drops a prepared ephemeral that will not be used. */
    dispose: (id) => guard(() => backend.dispose(String(id))),
    /** Starts the worker (and loads its wasm) now, e.g. when a sign-in form is shown. */
    warm: () => guard(async () => (backend.warm ? backend.warm() : undefined)),
    /** Stops the worker; pending calls fail with SrpWorkerFailed. */
    close: () => backend.close(),
  };
  backends.set(offload, { backend, guard });
  return offload;
}

// Each offload's backend, for the testing entry's fixed-secret hook only:
// the object an app gets has no way to choose `a`.
const backends = new WeakMap();

/**
 * @internal For `cognito-wasm/testing` only: an ephemeral from a fixed `a`
 * (hex) in `offload`'s backend. A fixed `a` defeats SRP.
 */
export function _offloadFromSecretHex(offload, aHex) {
  const b = backends.get(offload);
  if (!b) throw invalid("offload must be a createSrpOffload() result");
  return b.guard(() => b.backend.fromSecret(aHex));
}
