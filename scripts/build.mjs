#!/usr/bin/env node
// `npm run build`: Rust → wasm32 → wasm-bindgen glue → wasm-opt → pkg/gen/,
// then a size report against the browser payload budget.
//
// Steps (each fails the build on a non-zero exit):
//   1. cargo build --profile wasm --target wasm32-unknown-unknown -p cognito-wasm
//   2. .tools/wasm-bindgen-<ver>/bin/wasm-bindgen --target web --out-dir pkg/gen
//      (<ver> is the `=X.Y.Z` pin in Cargo.toml; scripts/setup.sh installs it)
//      then esbuild minifies the generated glue
//   3. node_modules/.bin/wasm-opt -Oz with the features rustc's output uses
//   4. raw + gzip sizes of the wasm and of the whole browser payload
//
// Respects CARGO_TARGET_DIR (relative paths are taken from the repo root).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, statSync, mkdirSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const CRATE = "cognito_wasm";
const BUDGET_GZIP = 35 * 1024; // whole browser payload, gzip

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: "inherit", ...opts });
  if (r.error) throw r.error;
  if (r.status !== 0) {
    console.error(`build: ${cmd} ${args.join(" ")} exited with ${r.status}`);
    process.exit(r.status ?? 1);
  }
}

function wasmBindgenVersion() {
  const toml = readFileSync(join(ROOT, "Cargo.toml"), "utf8");
  const m = toml.match(/^wasm-bindgen\s*=\s*(?:\{[^}]*version\s*=\s*)?"=([0-9.]+)"/m);
  if (!m) throw new Error("build: Cargo.toml must pin wasm-bindgen to an exact version (=X.Y.Z)");
  return m[1];
}

const targetDir = resolve(ROOT, process.env.CARGO_TARGET_DIR ?? "target");

// 1. Rust → wasm.
console.log("[build] cargo build --profile wasm --target wasm32-unknown-unknown");
run("cargo", ["build", "--profile", "wasm", "--target", "wasm32-unknown-unknown", "-p", "cognito-wasm"], {
  env: { ...process.env, CARGO_TARGET_DIR: targetDir },
});
const rawWasm = join(targetDir, "wasm32-unknown-unknown", "wasm", `${CRATE}.wasm`);

// 2. wasm-bindgen, the CLI matching the crate's pin.
const wbVersion = wasmBindgenVersion();
const wasmBindgen = join(ROOT, ".tools", `wasm-bindgen-${wbVersion}`, "bin", "wasm-bindgen");
if (!existsSync(wasmBindgen)) {
  console.log(`[build] wasm-bindgen ${wbVersion} missing: running scripts/setup.sh`);
  run("bash", ["scripts/setup.sh"]);
}
const outDir = join(ROOT, "pkg", "gen");
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
console.log(`[build] wasm-bindgen ${wbVersion} --target web --out-dir pkg/gen`);
run(wasmBindgen, [rawWasm, "--target", "web", "--out-dir", outDir, "--no-typescript"]);

// The generated glue ships as is to browsers; minify it (keeping the
// `new URL("…_bg.wasm", import.meta.url)` pattern bundlers look for).
const gluePath = join(outDir, `${CRATE}.js`);
const { transform } = await import("esbuild");
const minified = await transform(readFileSync(gluePath, "utf8"), { minify: true, format: "esm", target: "es2022" });
writeFileSync(gluePath, minified.code);

// 3. wasm-opt. rustc ≥ 1.82 emits these post-MVP features by default for
// wasm32-unknown-unknown; wasm-opt must be told or it rejects the module.
const bgWasm = join(outDir, `${CRATE}_bg.wasm`);
const wasmOpt = join(ROOT, "node_modules", ".bin", "wasm-opt");
const features = [
  "--enable-bulk-memory",
  "--enable-mutable-globals",
  "--enable-nontrapping-float-to-int",
  "--enable-sign-ext",
  "--enable-reference-types",
  "--enable-multivalue",
  // .cargo/config.toml builds wasm32 with simd128 (the SRP engine's hot loop).
  "--enable-simd",
];
console.log("[build] wasm-opt -Oz");
const before = statSync(bgWasm).size;
run(wasmOpt, ["-Oz", ...features, "--strip-debug", "--strip-producers", "--strip-target-features", bgWasm, "-o", bgWasm]);

// 4. Sizes. The browser payload is what `import "cognito-wasm"` fetches in a
// browser: the wasm, the generated glue and our hand-written ESM files.
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const gz = (buf) => gzipSync(buf, { level: 9 }).length;
const wasmBytes = readFileSync(bgWasm);
const browserJs = [join(outDir, `${CRATE}.js`), ...["index.js", "api.js"].map((f) => join(ROOT, "pkg", f))];
const jsBytes = browserJs.filter(existsSync).map((f) => readFileSync(f));
const payloadRaw = wasmBytes.length + jsBytes.reduce((n, b) => n + b.length, 0);
const payloadGz = gz(wasmBytes) + jsBytes.reduce((n, b) => n + gz(b), 0);
console.log(`[build] wasm before wasm-opt: ${kib(before)}`);
console.log(`[build] wasm: ${kib(wasmBytes.length)} raw, ${kib(gz(wasmBytes))} gzip`);
console.log(
  `[build] browser payload (wasm + glue + ${browserJs.length - 1} pkg files): ${kib(payloadRaw)} raw, ` +
    `${kib(payloadGz)} gzip, budget ${kib(BUDGET_GZIP)} gzip: ${payloadGz <= BUDGET_GZIP ? "within" : "OVER"}`,
);
