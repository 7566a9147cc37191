// `npm run bench` (SRP): in one run, interleaved round by round (so load
// from other processes hits every implementation alike), the median time of
// a full client SRP login (a and A, the session key from a PASSWORD_VERIFIER
// challenge, the claim signature) for the built cognito-wasm package in Node
// (native OpenSSL exponentiation, the default in Node, and the wasm engine),
// the work left after the challenge when A was prepared, amazon-cognito-
// identity-js, Amplify v6, a plain-BigInt implementation and the same math
// through OpenSSL; then the fresh-process figures (module compile +
// instantiate, first login) and the bytes a browser downloads for the same
// job. Each issue-4 figure is printed as "figure: value (target X): ok/MISS".
//
// BENCH_RUNS (default 30) sets the timed runs per implementation;
// BENCH_PROCESSES (default 7) the fresh processes per start-up figure.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { srp } from "cognito-wasm";
import { useNativeSrp } from "cognito-wasm/testing";
import { amplifyLogin, cognitoIdentityJsLogin } from "./lib/anchors.mjs";
import { bigintLogin } from "./lib/srp-bigint.mjs";
import { checkOpensslAgainstBigint, opensslSrpMath } from "./lib/srp-openssl.mjs";

const require = createRequire(import.meta.url);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const PROCESSES = Number(process.env.BENCH_PROCESSES ?? 7);
const WARMUP = 3;
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const version = (name) => require(`${name}/package.json`).version;

// A realistic challenge: random salt, B < N, secret block (the values do not
// change the cost; the time is dominated by the 3072-bit exponentiations).
const N = BigInt(
  "0x" +
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);
const challenge = {
  SALT: randomBytes(16).toString("hex"),
  SRP_B: (BigInt("0x" + randomBytes(384).toString("hex")) % N).toString(16),
  SECRET_BLOCK: randomBytes(1024).toString("base64"),
  USER_ID_FOR_SRP: "bench-user",
};
const poolName = "BenchPool1";
const userPoolId = `us-east-1_${poolName}`;
const password = "Bench password 1!";
const timestamp = "Sat Nov 22 04:00:00 UTC 2025";
const bigChallenge = { salt: challenge.SALT, srpB: challenge.SRP_B, secretBlock: challenge.SECRET_BLOCK, userId: challenge.USER_ID_FOR_SRP };

// The implementations must agree before any timing means anything: ours
// (both backends) and the plain-BigInt one on a fixed a; OpenSSL vs BigInt.
{
  const { ephemeralFromSecretHex } = await import("cognito-wasm/testing");
  const aHex = randomBytes(128).toString("hex");
  const now = Date.parse(timestamp);
  const want = bigintLogin({ aHex, userPoolId, password, challenge: bigChallenge, timestamp }).signature;
  for (const native of [true, false]) {
    useNativeSrp(native);
    const got = srp.answerPasswordVerifier({ ephemeral: ephemeralFromSecretHex(aHex), userPoolId, password, challengeParameters: challenge, now });
    if (got.PASSWORD_CLAIM_SIGNATURE !== want) throw new Error(`cognito-wasm (native ${native}) and the BigInt reference disagree`);
  }
  const big = (n) => BigInt("0x" + randomBytes(n).toString("hex"));
  checkOpensslAgainstBigint({ a: big(128), B: BigInt("0x" + challenge.SRP_B), k: big(32), u: big(32), x: big(32) });
}

const ours = (native) => () => {
  useNativeSrp(native);
  return srp.answerPasswordVerifier({ ephemeral: srp.createEphemeral(), userPoolId, password, challengeParameters: challenge });
};
const oursAfter = (native) => ({
  prepare: () => (useNativeSrp(native), srp.createEphemeral()),
  run: (ephemeral) => (useNativeSrp(native), srp.answerPasswordVerifier({ ephemeral, userPoolId, password, challengeParameters: challenge })),
});
const big = (n) => BigInt("0x" + randomBytes(n).toString("hex"));
const impls = [
  { key: "native", name: "cognito-wasm, Node (OpenSSL exponentiation, default)", run: ours(true) },
  { key: "wasm", name: "cognito-wasm, Node (wasm engine)", run: ours(false) },
  { key: "nativeAfter", name: "cognito-wasm native: after the challenge, A prepared", ...oursAfter(true) },
  { key: "wasmAfter", name: "cognito-wasm wasm: after the challenge, A prepared", ...oursAfter(false) },
  { key: "idjs", name: `amazon-cognito-identity-js ${version("amazon-cognito-identity-js")}`, run: () => cognitoIdentityJsLogin({ poolName, password, challenge }) },
  { key: "amplify", name: `Amplify v6 (@aws-amplify/auth ${version("@aws-amplify/auth")})`, run: () => amplifyLogin({ poolName, password, challenge }) },
  { key: "bigint", name: "plain BigInt (bench/lib/srp-bigint.mjs)", run: () => bigintLogin({ userPoolId, password, challenge: bigChallenge, timestamp }) },
  {
    key: "openssl",
    name: "OpenSSL via node:crypto, math only (no hashing)",
    prepare: () => ({ a: big(128), B: BigInt("0x" + challenge.SRP_B), k: big(32), u: big(32), x: big(32) }),
    run: opensslSrpMath,
  },
];

const times = impls.map(() => []);
for (let round = -WARMUP; round < RUNS; round++) {
  for (let k = 0; k < impls.length; k++) {
    const i = (k + Math.max(round, 0)) % impls.length; // rotate the order
    const arg = impls[i].prepare?.();
    const t0 = performance.now();
    await impls[i].run(arg);
    if (round >= 0) times[i].push(performance.now() - t0);
  }
}
useNativeSrp(true);
const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const med = Object.fromEntries(impls.map((impl, i) => [impl.key, median(times[i])]));

const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;

console.log(`\nClient SRP login: median of ${RUNS} interleaved runs after ${WARMUP} warm-up, Node ${process.version}`);
console.log(`${pad("implementation", 58)}${lpad("median", 11)}${lpad("× ours", 9)}`);
impls.forEach((impl, i) => {
  const m = med[impl.key];
  console.log(`${pad(impl.name, 58)}${lpad(m.toFixed(1) + " ms", 11)}${lpad((m / med.native).toFixed(2) + "×", 9)}`);
});

// Fresh processes: what a CLI or a cold serverless start pays.
function fresh(code) {
  const out = [];
  for (let i = 0; i < PROCESSES; i++) {
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", code], { cwd: ROOT, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`fresh process failed: ${r.stderr}`);
    out.push(Number(r.stdout.trim()));
  }
  return median(out);
}
const instantiateMs = fresh(`
  import { readFileSync } from "node:fs";
  import { initSync } from "./pkg/gen/core.js";
  const bytes = readFileSync("./pkg/gen/core_bg.wasm");
  const t0 = performance.now();
  initSync({ module: bytes });
  console.log(performance.now() - t0);`);
const firstLoginMs = fresh(`
  const t0 = performance.now();
  const { srp } = await import("cognito-wasm");
  srp.answerPasswordVerifier({ ephemeral: srp.createEphemeral(), userPoolId: ${JSON.stringify(userPoolId)},
    password: ${JSON.stringify(password)}, challengeParameters: ${JSON.stringify(challenge)} });
  console.log(performance.now() - t0);`);

const figures = [
  ["full login, Node / amazon-cognito-identity-js", med.native / med.idjs, 0.14, "×"],
  ["full login, Node / plain BigInt", med.native / med.bigint, 1.0, "×"],
  ["full login, Node wasm engine / plain BigInt", med.wasm / med.bigint, 1.0, "×"],
  ["after the challenge (A prepared) / full login, Node", med.nativeAfter / med.native, 0.6, "×"],
  ["after the challenge / full login, Node wasm engine", med.wasmAfter / med.wasm, 0.6, "×"],
  ["full login, Node native path / OpenSSL math via node:crypto", med.native / med.openssl, 1.5, "×"],
  ["module compile + instantiate, fresh Node process", instantiateMs, 5, " ms"],
  ["first login in a fresh Node process (import + init + full SRP)", firstLoginMs, 45, " ms"],
];
console.log(`\nIssue 4 figures (Node ${process.version}; Chromium figures: bench/srp-worker-chromium.bench.mjs, bench/srp-engine-chromium.bench.mjs)`);
for (const [name, value, target, unit] of figures) {
  const v = unit === "×" ? `${value.toFixed(2)}×` : `${value.toFixed(1)} ms`;
  const t = unit === "×" ? `≤ ${target.toFixed(2)}×` : `< ${target} ms`;
  console.log(`${name}: ${v} (target ${t}): ${value <= target ? "ok" : "MISS"}`);
}

// Sizes: what a browser downloads for this job.
async function bundle(entry, extra = {}) {
  const r = await build({
    entryPoints: [fileURLToPath(new URL(`./entries/${entry}`, import.meta.url))],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    write: false,
    logLevel: "error",
    ...extra,
  });
  const js = r.outputFiles[0].contents;
  return { raw: js.length, gzip: gzipSync(js, { level: 9 }).length };
}
// `init()` loads the core and, since the entry imports `srp`, the SRP module.
const wasm = Buffer.concat(["core", "srp"].map((m) => readFileSync(new URL(`../pkg/gen/${m}_bg.wasm`, import.meta.url))));
const wasmGz = ["core", "srp"].reduce((n, m) => n + gzipSync(readFileSync(new URL(`../pkg/gen/${m}_bg.wasm`, import.meta.url)), { level: 9 }).length, 0);
// The wasm is fetched at run time (new URL(..., import.meta.url)), not bundled.
const oursJs = await bundle("cognito-wasm.mjs", { external: ["*.wasm"] });
const rows = [
  { name: "cognito-wasm: wasm", raw: wasm.length, gzip: wasmGz },
  { name: "cognito-wasm: JS (glue + loader)", ...oursJs },
  { name: "cognito-wasm: total", raw: wasm.length + oursJs.raw, gzip: wasmGz + oursJs.gzip },
  { name: "amazon-cognito-identity-js (SRP pieces)", ...(await bundle("amazon-cognito-identity-js.mjs")) },
  { name: "Amplify v6 (SRP helper)", ...(await bundle("amplify.mjs")) },
];
console.log(`\nBrowser payload for the same job (esbuild --bundle --minify, gzip -9)`);
console.log(`${pad("what", 46)}${lpad("raw", 11)}${lpad("gzip", 11)}${lpad("gzip × ours", 13)}`);
const oursTotal = rows[2].gzip;
for (const r of rows) {
  console.log(`${pad(r.name, 46)}${lpad(kib(r.raw), 11)}${lpad(kib(r.gzip), 11)}${lpad((r.gzip / oursTotal).toFixed(2) + "×", 13)}`);
}
