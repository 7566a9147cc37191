// The native SRP path in workerd: with `nodejs_compat`, pkg/workerd.js uses
// workerd's node:crypto DiffieHellman for the exponentiations. Every SRP
// vector (amazon-cognito-identity-js) gives the same A and claim through it
// and through the wasm engine, and the runtime tests' shared cases (errors,
// vectors) pass with it as the default. Without the flag the wasm engine is
// used (tests/runtime/workerd.test.mjs).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, copyFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { loadSrpVectors } from "../helpers/vectors.mjs";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const TMP = fileURLToPath(new URL("../.tmp/", import.meta.url));
let mf;
let outDir;

before(async () => {
  mkdirSync(TMP, { recursive: true });
  outDir = mkdtempSync(join(TMP, "worker-native-"));
  await build({
    entryPoints: [join(HERE, "worker.mjs")],
    outfile: join(outDir, "worker.js"),
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    external: ["node:*"],
    logLevel: "error",
    plugins: [
      {
        name: "wasm-module",
        setup(b) {
          b.onResolve({ filter: /\.wasm$/ }, (args) => {
            const src = join(args.resolveDir, args.path);
            copyFileSync(src, join(outDir, basename(src)));
            return { path: `./${basename(src)}`, external: true };
          });
        },
      },
    ],
  });
  mf = new Miniflare({
    modules: true,
    scriptPath: join(outDir, "worker.js"),
    modulesRoot: outDir,
    modulesRules: [
      { type: "ESModule", include: ["**/*.js"] },
      { type: "CompiledWasm", include: ["**/*.wasm"] },
    ],
    compatibilityDate: "2025-01-01",
    compatibilityFlags: ["nodejs_compat"],
    cf: false,
    host: "127.0.0.1",
  });
  await mf.ready;
});

after(async () => {
  await mf?.dispose();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
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
