// A module Web Worker that runs the SRP exponentiations off the page's main
// thread, with the SRP module (pkg/gen/srp_bg.wasm, the only wasm it loads) (pkg/srp-offload.js starts
// it and speaks to it). The secret `a` of each prepared ephemeral stays in
// this worker: the page only sees `A` and an opaque id.
//
// Messages in: { op: "init", wasm? } once (the wasm URL, bytes or
// WebAssembly.Module; default: the .wasm next to the glue), then
// { op: "prepare", seq } | { op: "answer", seq, id, args } |
// { op: "dispose", seq, id } | { op: "fromSecret", seq, aHex } (tests).
// Messages out: { seq, ok: true, value } or { seq, ok: false, error: { code, message } }.
import initWasm, * as glue from "./gen/srp.js";

let ready = null;
const ephemerals = new Map();
let counter = 0;

function id() {
  const r = new Uint32Array(2);
  crypto.getRandomValues(r);
  return `${++counter}.${r[0].toString(36)}${r[1].toString(36)}`;
}

function keep(handle) {
  const key = id();
  ephemerals.set(key, handle);
  return { id: key, publicA: handle.publicA };
}

function run(msg) {
  switch (msg.op) {
    case "prepare":
      return keep(glue.SrpEphemeral.generate());
    case "fromSecret":
      return keep(glue.SrpEphemeral.fromSecretHex(msg.aHex));
    case "answer": {
      const handle = ephemerals.get(msg.id);
      ephemerals.delete(msg.id); // single use, whatever the outcome
      if (!handle) {
        throw { code: "EphemeralAlreadyUsed", message: "this SRP ephemeral was already used or is unknown: prepare a new one per sign-in attempt" };
      }
      const a = msg.args;
      const realm = a.realm ?? glue.srpPoolName(a.userPoolId);
      const [signature, timestamp] = glue.srpAnswerPasswordVerifier(
        handle,
        realm,
        a.password,
        a.salt,
        a.srpB,
        a.secretBlock,
        a.userIdForSrp,
        a.unixSeconds,
      );
      return { signature, timestamp };
    }
    case "dispose": {
      ephemerals.get(msg.id)?.free();
      ephemerals.delete(msg.id);
      return true;
    }
    default:
      throw { code: "InvalidArgument", message: `unknown SRP worker operation ${String(msg.op)}` };
  }
}

self.onmessage = async ({ data: msg }) => {
  if (msg?.op === "init") {
    ready ??= initWasm(msg.wasm === undefined ? undefined : { module_or_path: msg.wasm });
    try {
      await ready;
      self.postMessage({ seq: msg.seq, ok: true, value: true });
    } catch (e) {
      ready = null;
      self.postMessage({ seq: msg.seq, ok: false, error: { code: "InitFailed", message: `SRP worker: loading the wasm module failed: ${e?.message ?? e}` } });
    }
    return;
  }
  try {
    if (!ready) throw { code: "NotInitialized", message: "SRP worker: init first" };
    await ready;
    self.postMessage({ seq: msg.seq, ok: true, value: run(msg) });
  } catch (e) {
    const code = typeof e?.code === "string" ? e.code : e instanceof WebAssembly.RuntimeError ? "InternalError" : "InternalError";
    self.postMessage({ seq: msg.seq, ok: false, error: { code, message: String(e?.message ?? e) } });
  }
};
