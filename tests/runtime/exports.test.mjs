// package.json `exports`: each runtime's condition resolves to its loader,
// as bundlers (esbuild here) and Node resolve them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const entry = fileURLToPath(new URL("./browser/bundle-entry.mjs", import.meta.url));

async function resolvedPkgFiles(options) {
  const r = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    format: "esm",
    logLevel: "error",
    external: ["*.wasm", "node:*"],
    ...options,
  });
  return Object.keys(r.metafile.inputs)
    .filter((f) => f.startsWith("pkg/"))
    .sort();
}

const LOADERS = ["pkg/index.js", "pkg/node.js", "pkg/workerd.js"];

// The bundle holds the shared modules and exactly one loader: the expected one.
function assertLoader(files, loader) {
  for (const shared of ["pkg/api.js", "pkg/auth.js", "pkg/driver.js", "pkg/gen/core.js"]) {
    assert.ok(files.includes(shared), `${shared} missing from ${files}`);
  }
  assert.deepEqual(
    files.filter((f) => LOADERS.includes(f)),
    [loader],
  );
}

test("exports: browser bundlers get pkg/index.js", async () => {
  assertLoader(await resolvedPkgFiles({ platform: "browser" }), "pkg/index.js");
});

test("exports: the workerd condition gets pkg/workerd.js", async () => {
  const files = await resolvedPkgFiles({ platform: "neutral", conditions: ["workerd", "worker", "browser"] });
  assertLoader(files, "pkg/workerd.js");
  assert.ok(!files.includes("pkg/srp-worker.js"), "no Web Worker script in a Workers bundle");
});

test("exports: Node gets the bundles of pkg/node.js and pkg/testing.js, built from the current sources", async () => {
  assert.equal(import.meta.resolve("cognito-wasm"), new URL("../../pkg/node.bundle.js", import.meta.url).href);
  assert.equal(import.meta.resolve("cognito-wasm/testing"), new URL("../../pkg/testing.bundle.js", import.meta.url).href);
  // A bundle older than its sources would test yesterday's code.
  const { staleNodeBundles } = await import("../../scripts/node-bundle.mjs");
  assert.deepEqual(await staleNodeBundles(), [], "run `node scripts/node-bundle.mjs` (npm run build does)");
});

test("exports: in Node, the main and testing entries share one module state", async () => {
  const { srp, CognitoError } = await import("cognito-wasm");
  const testing = await import("cognito-wasm/testing");
  // The testing entry switches the backend the main entry's srp uses: one api.js, not two.
  assert.equal(testing.useNativeSrp(false), "wasm");
  try {
    const e = testing.ephemeralFromSecretHex("00");
    assert.fail(`a zero secret was accepted: ${e.publicA}`);
  } catch (err) {
    assert.ok(err instanceof CognitoError, `not the main entry's CognitoError: ${err}`);
  } finally {
    assert.equal(testing.useNativeSrp(true), "node:crypto");
  }
  assert.equal(typeof srp.createEphemeral().publicA, "string");
});
