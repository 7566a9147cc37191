// `npm run bench` (SRP): in one run, the median time of a full client SRP
// computation (a and A, the session key from a PASSWORD_VERIFIER challenge,
// the claim signature) for the built cognito-wasm package in Node,
// amazon-cognito-identity-js and Amplify v6, with ratios; then the bytes a
// browser downloads for the same job (esbuild, minified, gzip). No pass/fail.
//
// BENCH_RUNS (default 30) sets the timed runs per implementation.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { srp } from "cognito-wasm";
import { amplifyLogin, cognitoIdentityJsLogin } from "./lib/anchors.mjs";

const require = createRequire(import.meta.url);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const WARMUP = 3;
const version = (name) => require(`${name}/package.json`).version;

// A realistic challenge: random salt, B < N, secret block (the values do not
// change the cost; the time is dominated by the two 3072-bit exponentiations).
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

async function median(fn) {
  for (let i = 0; i < WARMUP; i++) await fn();
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  return times.length % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
}

const impls = [
  {
    name: "cognito-wasm (this package, Node)",
    run: () => {
      const ephemeral = srp.createEphemeral();
      return srp.answerPasswordVerifier({ ephemeral, userPoolId, password, challengeParameters: challenge });
    },
  },
  {
    name: `amazon-cognito-identity-js ${version("amazon-cognito-identity-js")}`,
    run: () => cognitoIdentityJsLogin({ poolName, password, challenge }),
  },
  {
    name: `Amplify v6 (@aws-amplify/auth ${version("@aws-amplify/auth")})`,
    run: () => amplifyLogin({ poolName, password, challenge }),
  },
];

const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;

console.log(`\nFull client SRP (A, key, signature): median of ${RUNS} runs after ${WARMUP} warm-up, Node ${process.version}`);
const times = [];
for (const impl of impls) times.push(await median(impl.run));
const ours = times[0];
console.log(`${pad("implementation", 46)}${lpad("median", 11)}${lpad("× cognito-wasm", 16)}`);
impls.forEach((impl, i) => {
  console.log(`${pad(impl.name, 46)}${lpad(times[i].toFixed(1) + " ms", 11)}${lpad((times[i] / ours).toFixed(2) + "×", 16)}`);
});

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
const wasm = readFileSync(new URL("../pkg/gen/cognito_wasm_bg.wasm", import.meta.url));
const wasmGz = gzipSync(wasm, { level: 9 }).length;
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
