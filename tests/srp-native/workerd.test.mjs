// The native SRP path in workerd: with `nodejs_compat`, pkg/workerd.js uses
// workerd's node:crypto DiffieHellman for the exponentiations. Every SRP
// vector (amazon-cognito-identity-js) gives the same A and claim through it
// and through the wasm engine, and the runtime tests' shared cases (errors,
// vectors) pass with it as the default. Without the flag the wasm engine is
// used (tests/runtime/workerd.test.mjs).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadSrpVectors } from "../helpers/vectors.mjs";
import { startWorker } from "../helpers/workerd.mjs";

const HERE = fileURLToPath(new URL(".", import.meta.url));
let mf;
let worker;

before(async () => {
  worker = await startWorker({ entry: join(HERE, "worker.mjs"), prefix: "worker-native-", compatibilityFlags: ["nodejs_compat"], external: ["node:*"] });
  mf = worker.mf;
});

after(async () => {
  await worker?.dispose();
});

test("workerd + nodejs_compat: every SRP vector, native and wasm, gives amazon-cognito-identity-js's A and claim", async () => {
  const cases = loadSrpVectors().srp;
  const run = async (native) => {
    const res = await mf.dispatchFetch("http://localhost/vectors", { method: "POST", body: JSON.stringify({ cases, native }) });
    assert.equal(res.status, 200);
    return res.json();
  };
  const native = await run(true);
  const wasm = await run(false);
  assert.equal(native.backend, "node:crypto");
  assert.equal(wasm.backend, "wasm");
  for (const [i, v] of cases.entries()) {
    for (const r of [native.out[i], wasm.out[i]]) {
      assert.deepEqual(r, { name: v.name, A: v.srpA, signature: v.signature, timestamp: v.timestamp });
    }
  }
});

test("workerd + nodejs_compat: the shared runtime cases pass with the native default", async () => {
  const res = await mf.dispatchFetch("http://localhost/run", { method: "POST", body: JSON.stringify(loadSrpVectors()) });
  assert.equal(res.status, 200);
  const results = await res.json();
  const failed = results.filter((r) => !r.ok);
  assert.ok(results.length > 100, `${results.length} results`);
  assert.deepEqual(failed, []);
});
