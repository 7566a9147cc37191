// The SRP engine's property tests (srp-engine/src/tests.rs: every modular
// operation against num-bigint on random and edge inputs) and the SDK's SRP
// unit tests (src/srp), compiled for wasm32 (wasm32-wasip1, simd128 as in the shipped
// build, see .cargo/config.toml) and run in this Node's V8 through node:wasi.
// The same libtest harness as natively; 32-bit code generation and the wasm
// SIMD path are what this adds over `cargo test`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TARGET = "wasm32-wasip1";

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: "utf8", maxBuffer: 64 << 20, ...opts });
  if (r.error) throw r.error;
  return r;
}

/** The lib test executable of `pkg` for wasm32-wasip1, built now. */
function buildLibTests(pkg) {
  const build = run(
    "cargo",
    ["test", "-p", pkg, "--lib", "--target", TARGET, "--no-run", "--message-format=json"],
    { env: { ...process.env, CARGO_TARGET_DIR: resolve(ROOT, process.env.CARGO_TARGET_DIR ?? "target") } },
  );
  assert.equal(build.status, 0, `cargo test -p ${pkg} --no-run for ${TARGET} failed:\n${build.stderr.slice(-4000)}`);
  const artifacts = build.stdout
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l))
    .filter((m) => m.reason === "compiler-artifact" && m.profile?.test && m.executable);
  assert.equal(artifacts.length, 1, `exactly one lib test executable expected for ${pkg}`);
  return artifacts[0].executable;
}

/**
 * Runs a libtest wasm under WASI in a child Node (so its stdout, libtest's
 * report, is captured here); single-threaded: WASI preview 1 has no threads.
 * Returns the report after checking that it passed with at least `min` tests.
 */
function runLibTests(wasm, filter, min) {
  const runner = `
    import { WASI } from "node:wasi";
    import { readFileSync } from "node:fs";
    const wasi = new WASI({ version: "preview1", args: ["tests", ...JSON.parse(process.argv[2]), "--test-threads=1"], env: {}, returnOnExit: true });
    const mod = await WebAssembly.compile(readFileSync(process.argv[1]));
    const instance = await WebAssembly.instantiate(mod, wasi.getImportObject());
    process.exitCode = wasi.start(instance);
  `;
  const r = run(process.execPath, ["--no-warnings", "--input-type=module", "-e", runner, wasm, JSON.stringify(filter)]);
  const out = r.stdout + r.stderr;
  assert.equal(r.status, 0, `wasm32 test run failed (exit ${r.status}):\n${out.slice(-6000)}`);
  const m = out.match(/test result: ok\. (\d+) passed; 0 failed/);
  assert.ok(m, `no libtest summary in the output:\n${out.slice(-3000)}`);
  assert.ok(Number(m[1]) >= min, `only ${m[1]} tests ran:\n${out}`);
  return out;
}

test("SRP engine property tests and the SDK's SRP tests pass on wasm32 (node:wasi)", { timeout: 15 * 60_000 }, () => {
  const installed = run("rustup", ["target", "list", "--installed"]).stdout.split("\n");
  if (!installed.includes(TARGET)) {
    const add = run("rustup", ["target", "add", TARGET]);
    assert.equal(add.status, 0, `rustup target add ${TARGET} failed:\n${add.stderr}`);
  }
  const engine = runLibTests(buildLibTests("cognito-srp-engine"), [], 9);
  for (const name of ["montgomery_mul_and_sqr_match_reference", "pow_matches_reference", "pow_g_matches_reference", "sub_and_mul_match_reference", "residue_from_any_length_reduces"]) {
    assert.match(engine, new RegExp(`tests::${name} \\.\\.\\. ok`), `${name} did not run`);
  }
  // The SDK's SRP: known-answer vectors and the client math over the engine.
  runLibTests(buildLibTests("cognito-wasm"), ["srp::"], 12);
});
