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
//   4. the Node entry bundles (scripts/node-bundle.mjs): pkg/*.bundle.js
//   5. the browser payload (scripts/size.mjs): gzip of the wasm plus the JS
//      reachable from pkg/index.js, bundled and minified by esbuild in
//      memory, then gzip; each file listed, with the budget and the margin
//
// Flags:
//   --enforce (or SIZE_BUDGET_ENFORCE=1)  exit 1 when the payload is over budget
//   --names   also write bench/out/cognito_wasm.named.wasm: the same wasm-opt
//             output with the function names kept, for bench/size.bench.mjs
//
// Respects CARGO_TARGET_DIR (relative paths are taken from the repo root).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, renameSync, rmSync, statSync, mkdirSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const ENFORCE = process.argv.includes("--enforce") || process.env.SIZE_BUDGET_ENFORCE === "1";
const NAMES = process.argv.includes("--names");

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
const CRATE = "cognito_wasm";

// 1–3, for each module: Rust → wasm (the crate with that module's export
// features), wasm-bindgen, wasm-opt. The core carries the machines and no
// SRP math; the session core, the machines but sign-in and account; the SRP
// module, only the SRP exports.
const MODULES = [
  { name: "core", features: "core-exports,signin" },
  // The core for `cognito-wasm/session`: no sign-in or account machines.
  { name: "session", features: "core-exports" },
  { name: "srp", features: "srp-exports" },
];
// Panic locations of dependencies name their source files under the builder's
// cargo home; remap that prefix so the shipped wasm carries no local path.
// (`--config` rustflags are appended to .cargo/config.toml's.)
const cargoHome = resolve(process.env.CARGO_HOME ?? join(homedir(), ".cargo"));
const remap = `target.wasm32-unknown-unknown.rustflags=["--remap-path-prefix=${cargoHome}/registry/src=crates"]`;
const wbVersion = wasmBindgenVersion();
const wasmBindgen = join(ROOT, ".tools", `wasm-bindgen-${wbVersion}`, "bin", "wasm-bindgen");
if (!existsSync(wasmBindgen)) {
  console.log(`[build] wasm-bindgen ${wbVersion} missing: running scripts/setup.sh`);
  run("bash", ["scripts/setup.sh"]);
}
const outDir = join(ROOT, "pkg", "gen");
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const { transform } = await import("esbuild");
const wasmOpt = join(ROOT, "node_modules", ".bin", "wasm-opt");
// rustc ≥ 1.82 emits these post-MVP features by default for
// wasm32-unknown-unknown; wasm-opt must be told or it rejects the module.
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
const strip = ["--strip-producers", "--strip-target-features"];
// --converge repeats the passes while the module keeps shrinking.
const optimize = ["-Oz", "--converge"];
const before = {};
for (const m of MODULES) {
  console.log(`[build] ${m.name}: cargo build --profile wasm --target wasm32-unknown-unknown --features ${m.features}`);
  run(
    "cargo",
    ["build", "--profile", "wasm", "--target", "wasm32-unknown-unknown", "-p", "cognito-wasm",
      "--no-default-features", "--features", m.features, "--config", remap],
    { env: { ...process.env, CARGO_TARGET_DIR: targetDir } },
  );
  const rawWasm = join(targetDir, "wasm32-unknown-unknown", "wasm", `${CRATE}.wasm`);
  // --keep-debug keeps the name section for the --names copy; the shipped
  // file loses it in wasm-opt (--strip-debug).
  run(wasmBindgen, [rawWasm, "--target", "web", "--out-dir", outDir, "--out-name", m.name, "--no-typescript",
    ...(NAMES ? ["--keep-debug"] : [])]);
  // The generated glue ships as is to browsers; minify it (keeping the
  // `new URL("…_bg.wasm", import.meta.url)` pattern bundlers look for).
  const gluePath = join(outDir, `${m.name}.js`);
  const minified = await transform(readFileSync(gluePath, "utf8"), { minify: true, format: "esm", target: "es2022" });
  writeFileSync(gluePath, minified.code);
  const bgWasm = join(outDir, `${m.name}_bg.wasm`);
  before[m.name] = statSync(bgWasm).size;
  console.log(`[build] ${m.name}: wasm-opt -Oz --converge`);
  const named = join(ROOT, "bench", "out", `${m.name}.named.wasm`);
  if (NAMES) {
    mkdirSync(dirname(named), { recursive: true });
    run(wasmOpt, [...optimize, ...features, "-g", "--strip-dwarf", ...strip, bgWasm, "-o", `${named}.tmp`]);
  }
  run(wasmOpt, [...optimize, ...features, "--strip-debug", ...strip, bgWasm, "-o", bgWasm]);
  if (NAMES) {
    // Written after the shipped file, so that it is newer than the build it names.
    renameSync(`${named}.tmp`, named);
    console.log(`[build] named copy: ${relative(ROOT, named)}`);
  }
}

// 4. Node's entry points as one module graph (scripts/node-bundle.mjs).
const { writeNodeBundles } = await import("./node-bundle.mjs");
const nodeFiles = await writeNodeBundles();
console.log(`[build] Node entry bundles: ${nodeFiles.map((f) => relative(ROOT, f.path)).join(", ")}`);

// 5. Sizes per job (scripts/size.mjs): what an app ships for each job.
const { jobSizes, BUDGETS, kib } = await import("./size.mjs");
const jobs = await jobSizes(ROOT);
const pad = (v, n) => String(v).padEnd(n);
const lpad = (v, n) => String(v).padStart(n);
for (const m of MODULES) {
  if (!NAMES) console.log(`[build] pkg/gen/${m.name}_bg.wasm before wasm-opt: ${kib(before[m.name])}`);
}
console.log(`[build] ${pad("job", 16)}${lpad("JS", 11)}${lpad("wasm", 11)}${lpad("total", 11)}${lpad("budget", 11)}`);
let over = 0;
for (const j of jobs) {
  const budget = BUDGETS[j.job];
  const ok = j.total <= budget;
  if (!ok) over++;
  console.log(
    `[build] ${pad(j.job, 16)}${lpad(kib(j.js), 11)}${lpad(kib(j.wasm), 11)}${lpad(kib(j.total), 11)}${lpad(kib(budget), 11)}  ${ok ? "within" : "OVER"}`,
  );
}
if (ENFORCE && over > 0) {
  console.error(`[build] size budgets enforced (--enforce / SIZE_BUDGET_ENFORCE=1): ${over} job(s) over budget`);
  process.exit(1);
}
