// SRP engine bench (issue 4): the wasm SRP engine alone, in Node, beside a
// plain-BigInt implementation of the same math (bench/lib/srp-bigint.mjs).
// Prints medians of: a full client login (a and A, key, signature), the work
// left after the challenge when A was prepared ahead, and the wasm size
// (raw and gzip -9) of the build measured. No pass/fail.
//
// ENGINE_BENCH_PKG: a wasm-bindgen `--target web` output directory to measure
// (default pkg/gen, what `npm run build` writes); ENGINE_BENCH_RUNS (default 30).
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { bigintLogin, bigintPrepare, bigintAnswer, N } from "./lib/srp-bigint.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const RUNS = Number(process.env.ENGINE_BENCH_RUNS ?? 30);
const dir = resolve(ROOT, process.env.ENGINE_BENCH_PKG ?? "pkg/gen");
const glue = await import(pathToFileURL(resolve(dir, "cognito_wasm.js")).href);
const wasmBytes = readFileSync(resolve(dir, "cognito_wasm_bg.wasm"));
const t0 = performance.now();
glue.initSync({ module: wasmBytes });
const instantiateMs = performance.now() - t0;

const challenge = {
  salt: randomBytes(16).toString("hex"),
  srpB: (BigInt("0x" + randomBytes(384).toString("hex")) % N).toString(16),
  secretBlock: randomBytes(1024).toString("base64"),
  userId: "bench-user",
};
const userPoolId = "us-east-1_BenchPool1";
const password = "Bench password 1!";
const now = 1_763_780_000;
const timestamp = glue.srpTimestamp(now);

function median(fn, setup = () => undefined) {
  for (let i = 0; i < 3; i++) fn(setup());
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const arg = setup();
    const t = performance.now();
    fn(arg);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

const answer = (e) =>
  glue.srpAnswerPasswordVerifier(e, userPoolId, password, challenge.salt, challenge.srpB, challenge.secretBlock, challenge.userId, now);

// Same inputs through both: the two must agree before any timing means anything.
const aHex = randomBytes(128).toString("hex");
const ours = answer(glue.SrpEphemeral.fromSecretHex(aHex))[0];
const theirs = bigintLogin({ aHex, userPoolId, password, challenge, timestamp }).signature;
if (ours !== theirs) throw new Error(`engine and BigInt reference disagree: ${ours} vs ${theirs}`);

const wasmFull = median(() => answer(glue.SrpEphemeral.generate()));
const wasmAfter = median(answer, () => glue.SrpEphemeral.generate());
const bigFull = median(() => bigintLogin({ userPoolId, password, challenge, timestamp }));
const bigAfter = median((p) => bigintAnswer(p, { userPoolId, password, challenge, timestamp }), () => bigintPrepare());

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const row = (name, ms, ref) => console.log(`${name.padEnd(52)}${(ms.toFixed(1) + " ms").padStart(10)}${(ref ? (ms / ref).toFixed(2) + "×" : "").padStart(10)}`);
console.log(`\nSRP engine: median of ${RUNS}, Node ${process.version}, ${dir}`);
console.log(`${"".padEnd(52)}${"median".padStart(10)}${"× BigInt".padStart(10)}`);
row("wasm: full login (a, A, key, signature)", wasmFull, bigFull);
row("wasm: after the challenge, A prepared", wasmAfter, bigAfter);
row("plain BigInt (4-bit window): full login", bigFull, bigFull);
row("plain BigInt: after the challenge, A prepared", bigAfter, bigAfter);
console.log(`wasm after-challenge / full login: ${(wasmAfter / wasmFull).toFixed(2)}× (target ≤ 0.6×)`);
console.log(`wasm: ${kib(wasmBytes.length)} raw, ${kib(gzipSync(wasmBytes, { level: 9 }).length)} gzip; compile+instantiate ${instantiateMs.toFixed(1)} ms`);
