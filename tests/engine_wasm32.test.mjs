// The SRP engine's property tests (src/srp/engine/tests.rs: every modular
// operation against num-bigint on random and edge inputs) and the other SRP
// unit tests, compiled for wasm32 (wasm32-wasip1, simd128 as in the shipped
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

test("SRP engine property tests pass on wasm32 (node:wasi)", { timeout: 15 * 60_000 }, () => {
  const installed = run("rustup", ["target", "list", "--installed"]).stdout.split("\n");
  if (!installed.includes(TARGET)) {
    const add = run("rustup", ["target", "add", TARGET]);
    assert.equal(add.status, 0, `rustup target add ${TARGET} failed:\n${add.stderr}`);
  }
  const build = run(
    "cargo",
    ["test", "-p", "cognito-wasm", "--lib", "--target", TARGET, "--no-run", "--message-format=json"],
    { env: { ...process.env, CARGO_TARGET_DIR: resolve(ROOT, process.env.CARGO_TARGET_DIR ?? "target") } },
  );
  assert.equal(build.status, 0, `cargo test --no-run for ${TARGET} failed:\n${build.stderr.slice(-4000)}`);
  const artifacts = build.stdout
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l))
    .filter((m) => m.reason === "compiler-artifact" && m.profile?.test && m.executable);
  assert.equal(artifacts.length, 1, "exactly one lib test executable expected");
  const wasm = artifacts[0].executable;

  // A child Node runs the wasm test binary under WASI, so its stdout (libtest's
  // report) is captured here. Single-threaded: WASI preview 1 has no threads.
  const runner = `
    import { WASI } from "node:wasi";
    import { readFileSync } from "node:fs";
    const wasi = new WASI({ version: "preview1", args: ["engine", "srp::", "--test-threads=1"], env: {}, returnOnExit: true });
    const mod = await WebAssembly.compile(readFileSync(process.argv[1]));
    const instance = await WebAssembly.instantiate(mod, wasi.getImportObject());
    process.exitCode = wasi.start(instance);
  `;
  const r = run(process.execPath, ["--no-warnings", "--input-type=module", "-e", runner, wasm]);
  const out = r.stdout + r.stderr;
  assert.equal(r.status, 0, `wasm32 test run failed (exit ${r.status}):\n${out.slice(-6000)}`);
  const m = out.match(/test result: ok\. (\d+) passed; 0 failed/);
  assert.ok(m, `no libtest summary in the output:\n${out.slice(-3000)}`);
  // The engine alone has 9 property tests; the srp module has more.
  assert.ok(Number(m[1]) >= 15, `only ${m[1]} tests ran:\n${out}`);
  for (const name of ["montgomery_mul_and_sqr_match_reference", "pow_matches_reference", "pow_g_matches_reference", "sub_and_mul_match_reference", "residue_from_any_length_reduces"]) {
    assert.match(out, new RegExp(`engine::tests::${name} \\.\\.\\. ok`), `${name} did not run`);
  }
});
