// SRP engine bench (issue 4): the wasm SRP engine alone, in Node, beside a
// plain-BigInt implementation of the same math (bench/lib/srp-bigint.mjs).
// Prints medians of: a full client login (a and A, key, signature) and the
// work left after the challenge when A was prepared ahead, plus the wasm size
// (raw and gzip -9) and compile + instantiate time of each build measured.
// Implementations run interleaved, round by round, so that load from other
// processes hits all of them alike and the ratios stay meaningful. No
// pass/fail.
//
// ENGINE_BENCH_PKG: comma-separated wasm-bindgen `--target web` output
// directories to compare (default pkg/gen, what `npm run build` writes);
// ENGINE_BENCH_RUNS (default 30).
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { bigintAnswer, bigintLogin, bigintPrepare, N } from "./lib/srp-bigint.mjs";
import { checkOpensslAgainstBigint, opensslSrpMath } from "./lib/srp-openssl.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const RUNS = Number(process.env.ENGINE_BENCH_RUNS ?? 30);
const dirs = (process.env.ENGINE_BENCH_PKG ?? "pkg/gen").split(",").map((d) => resolve(ROOT, d));

const challenge = {
  salt: randomBytes(16).toString("hex"),
  srpB: (BigInt("0x" + randomBytes(384).toString("hex")) % N).toString(16),
  secretBlock: randomBytes(1024).toString("base64"),
  userId: "bench-user",
};
const userPoolId = "us-east-1_BenchPool1";
const password = "Bench password 1!";
const now = 1_763_780_000;

const builds = [];
for (const dir of dirs) {
  const glue = await import(pathToFileURL(resolve(dir, "srp.js")).href);
  const bytes = readFileSync(resolve(dir, "srp_bg.wasm"));
  const t0 = performance.now();
  glue.initSync({ module: bytes });
  // Printed relative to the repository.
  builds.push({ dir: relative(ROOT, dir) || ".", glue, bytes, instantiateMs: performance.now() - t0 });
}
const timestamp = builds[0].glue.srpTimestamp(now);
const answer = (glue, e) =>
  glue.srpAnswerPasswordVerifier(e, glue.srpPoolName(userPoolId), password, challenge.salt, challenge.srpB, challenge.secretBlock, challenge.userId, now);

// Same inputs through every implementation: they must agree before any
// timing means anything.
const aHex = randomBytes(128).toString("hex");
const reference = bigintLogin({ aHex, userPoolId, password, challenge, timestamp }).signature;
for (const b of builds) {
  const ours = answer(b.glue, b.glue.SrpEphemeral.fromSecretHex(aHex))[0];
  if (ours !== reference) throw new Error(`${b.dir} and the BigInt reference disagree: ${ours} vs ${reference}`);
}

const big = (bytes) => BigInt("0x" + randomBytes(bytes).toString("hex"));
const mathInputs = () => ({ a: big(128), B: BigInt("0x" + challenge.srpB), k: big(32), u: big(32), x: big(32) });
checkOpensslAgainstBigint(mathInputs());

// Each case: [name, prepare (untimed), timed step].
const cases = [];
for (const b of builds) {
  const tag = builds.length > 1 ? ` [${b.dir.split("/").slice(-2).join("/")}]` : "";
  cases.push([`wasm${tag}: full login`, () => undefined, () => answer(b.glue, b.glue.SrpEphemeral.generate())]);
  cases.push([`wasm${tag}: after the challenge, A prepared`, () => b.glue.SrpEphemeral.generate(), (e) => answer(b.glue, e)]);
}
cases.push(["OpenSSL (node:crypto DiffieHellman), math only", mathInputs, opensslSrpMath]);
cases.push(["plain BigInt (4-bit window): full login", () => undefined, () => bigintLogin({ userPoolId, password, challenge, timestamp })]);
cases.push(["plain BigInt: after the challenge, A prepared", () => bigintPrepare(), (p) => bigintAnswer(p, { userPoolId, password, challenge, timestamp })]);

const times = cases.map(() => []);
for (let round = -3; round < RUNS; round++) {
  for (let k = 0; k < cases.length; k++) {
    const i = (k + Math.max(round, 0)) % cases.length; // rotate the order
    const arg = cases[i][1]();
    const t = performance.now();
    cases[i][2](arg);
    if (round >= 0) times[i].push(performance.now() - t);
  }
}
let openssl;
const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
const med = times.map(median);
const bigFull = med[cases.length - 2];
const bigAfter = med[cases.length - 1];

console.log(`\nSRP engine: median of ${RUNS} interleaved runs, Node ${process.version}`);
console.log(`${"".padEnd(64)}${"median".padStart(10)}${"× BigInt".padStart(10)}`);
cases.forEach(([name], i) => {
  const ref = name.includes("after") ? bigAfter : bigFull;
  if (name.startsWith("OpenSSL")) openssl = med[i];
  console.log(`${name.padEnd(64)}${(med[i].toFixed(1) + " ms").padStart(10)}${((med[i] / ref).toFixed(2) + "×").padStart(10)}`);
});
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
builds.forEach((b, j) => {
  const [full, after] = [med[2 * j], med[2 * j + 1]];
  console.log(`${b.dir}: full login / OpenSSL math ${(full / openssl).toFixed(2)}×`);
  console.log(
    `${b.dir}: after/full ${(after / full).toFixed(2)}× (target ≤ 0.60×); wasm ${kib(b.bytes.length)} raw, ` +
      `${kib(gzipSync(b.bytes, { level: 9 }).length)} gzip; compile+instantiate ${b.instantiateMs.toFixed(1)} ms`,
  );
});
