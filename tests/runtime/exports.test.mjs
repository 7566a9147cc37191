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

test("exports: browser bundlers get pkg/index.js", async () => {
  assert.deepEqual(await resolvedPkgFiles({ platform: "browser" }), ["pkg/api.js", "pkg/gen/cognito_wasm.js", "pkg/index.js"]);
});

test("exports: the workerd condition gets pkg/workerd.js", async () => {
  const files = await resolvedPkgFiles({ platform: "neutral", conditions: ["workerd", "worker", "browser"] });
  assert.deepEqual(files, ["pkg/api.js", "pkg/gen/cognito_wasm.js", "pkg/workerd.js"]);
});

test("exports: Node gets pkg/node.js", async () => {
  assert.equal(import.meta.resolve("cognito-wasm"), new URL("../../pkg/node.js", import.meta.url).href);
  assert.equal(import.meta.resolve("cognito-wasm/testing"), new URL("../../pkg/testing.js", import.meta.url).href);
});
