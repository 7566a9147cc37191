// cognito-wasm/edge in workerd (miniflare), issue 13:
//  1. Bearer verifications per second in one warm Worker: the package's
//     JwtVerifier against aws-jwt-verify's CognitoJwtVerifier bundled into
//     the same kind of Worker (its browser build: WebCrypto), the same
//     emulator access token and JWKS (preloaded on both sides: no network).
//  2. The example Worker (www/worker): start to ready, and the first
//     verified Bearer request (wasm instantiation + JWKS fetch + verify).
//  3. CPU per protected request (cookie session, Bearer), against the
//     Workers free plan's 10 ms: measured in Node with process.cpuUsage() on
//     the same handler and wasm, since inside a Worker the clocks stop while
//     code runs (Spectre mitigation) and loopback wall-time differences are
//     noise at this scale.
// (1) is timed outside the Worker: the wall time of requests doing K
// verifications minus as many doing nothing. A bench: prints, does not fail.
//
// BENCH_RUNS (default 5 rounds), BENCH_VERIFY (verifications per request, 200).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startEmulator } from "../tests/helpers/emulator.mjs";
import { startWorker } from "../tests/helpers/workerd.mjs";
import { bundle, exampleSeed, passwordTokens, startEdgeWorker, EXAMPLE } from "../tests/edge/helpers.mjs";
import { seal } from "../pkg/edge/crypto.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const K = Number(process.env.BENCH_VERIFY ?? 200);
const AWS = "https://cognito-idp.us-east-1.amazonaws.com";

const WORKER = `
import { JwtVerifier } from "cognito-wasm";
import { CognitoJwtVerifier } from "aws-jwt-verify";
let setup, ours, theirs;
export default {
  async fetch(req) {
    const url = new URL(req.url);
    if (url.pathname === "/setup") {
      setup = await req.json();
      const jwks = JSON.stringify(setup.jwks);
      ours = new JwtVerifier({ userPoolId: setup.poolId, clientId: setup.clientId, tokenUse: "access",
        jwksUri: "https://jwks.invalid/jwks.json", fetch: async () => new Response(jwks, { status: 200, headers: { "content-type": "application/json" } }) });
      theirs = CognitoJwtVerifier.create({ userPoolId: setup.poolId, clientId: setup.clientId, tokenUse: "access" });
      theirs.cacheJwks(setup.jwks);
      await ours.verify(setup.token);
      await theirs.verify(setup.token);
      return new Response("ok");
    }
    const n = Number(url.searchParams.get("n") ?? 1);
    if (url.pathname === "/ours") { let c; for (let i = 0; i < n; i++) c = await ours.verify(setup.token); return new Response(c.username); }
    if (url.pathname === "/theirs") { let c; for (let i = 0; i < n; i++) c = await theirs.verify(setup.token); return new Response(c.username); }
    if (url.pathname === "/memoize-import-key") {
      // An experiment, not the package: what caching the imported CryptoKey
      // per JWK would give (the core imports the JWK on every verification).
      const subtle = crypto.subtle, original = subtle.importKey.bind(subtle), keys = new Map();
      subtle.importKey = (format, key, alg, ext, usages) => {
        if (format !== "jwk" || !key.n) return original(format, key, alg, ext, usages);
        const k = key.n + "|" + key.e + "|" + JSON.stringify(alg) + "|" + usages;
        if (!keys.has(k)) keys.set(k, original(format, key, alg, ext, usages));
        return keys.get(k);
      };
      return new Response("ok");
    }
    return new Response("noop");
  },
};`;

async function timeRequests(fetchOnce, count) {
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const r = await fetchOnce();
    await r.arrayBuffer();
    if (r.status !== 200) throw new Error(`status ${r.status}`);
  }
  return (performance.now() - t0) / count;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const ms = (x) => `${x.toFixed(2)} ms`;

const seed = exampleSeed();
const client = seed.pools[0].clients.find((c) => c.secret);
const emu = await startEmulator({ seed, issuer: AWS });
const tmp = mkdtempSync(join(ROOT, "tests/.tmp/edge-bench-"));
try {
  const tokens = await passwordTokens(emu, { clientId: client.id, secret: client.secret, username: "demo", password: "Demo-Passw0rd!" });
  const jwks = await (await fetch(emu.jwksUri)).json();

  // 1. Verifications per second, ours vs aws-jwt-verify, one warm Worker
  //    each; a second Worker runs the importKey experiment. Rounds interleave
  //    the three so a busy machine weighs on all alike.
  const w = await startWorker({ source: WORKER, resolveDir: ROOT, prefix: "edge-bench-" });
  const wm = await startWorker({ source: WORKER, resolveDir: ROOT, prefix: "edge-bench-memo-" });
  try {
    const body = JSON.stringify({ token: tokens.AccessToken, jwks, poolId: emu.poolId, clientId: client.id });
    for (const x of [w, wm]) {
      const s = await x.mf.dispatchFetch("http://localhost/setup", { method: "POST", body });
      if (s.status !== 200) throw new Error(`setup: ${await s.text()}`);
    }
    await wm.mf.dispatchFetch("http://localhost/memoize-import-key");
    const get = (x, p) => () => x.mf.dispatchFetch(`http://localhost${p}`);
    const rate = async (x, p) => {
      const noop = await timeRequests(get(x, "/noop"), 5);
      return (K * 1000) / ((await timeRequests(get(x, `${p}?n=${K}`), 3)) - noop);
    };
    for (const [x, p] of [[w, "/ours"], [w, "/theirs"], [wm, "/ours"]]) await timeRequests(get(x, `${p}?n=${K}`), 2);
    const rates = { ours: [], theirs: [], memo: [], ratio: [], memoRatio: [] };
    for (let r = 0; r < RUNS; r++) {
      const o = await rate(w, "/ours");
      const t = await rate(w, "/theirs");
      const m = await rate(wm, "/ours");
      rates.ours.push(o);
      rates.theirs.push(t);
      rates.memo.push(m);
      rates.ratio.push(o / t);
      rates.memoRatio.push(m / t);
    }
    const line = (name, x) => console.log(`  ${name.padEnd(44)} ${x.toFixed(0).padStart(7)} verifications/s  (${(1000 / x).toFixed(3)} ms each)`);
    console.log("Bearer verification in one warm Worker (RS256 access token, keys preloaded), median of", RUNS, "rounds:");
    line("cognito-wasm JwtVerifier", median(rates.ours));
    line("aws-jwt-verify (browser build, WebCrypto)", median(rates.theirs));
    console.log(`  ratio ours / aws-jwt-verify (median of per-round ratios)  ${median(rates.ratio).toFixed(2)}×  (target ≥ 1.00×)`);
    line("experiment: ours with importKey memoized", median(rates.memo));
    console.log(`  ratio with the CryptoKey cached / aws-jwt-verify          ${median(rates.memoRatio).toFixed(2)}×`);
  } finally {
    await w.dispose();
    await wm.dispose();
  }

  // 2. The example Worker: cold start and per-request time.
  const outDir = join(tmp, "example");
  await bundle(EXAMPLE, outDir);
  const secret = "bench-cookie-secret-0123456789abcdefghijklmnop";
  const bindings = {
    USER_POOL_ID: emu.poolId,
    CLIENT_ID: client.id,
    CLIENT_SECRET: client.secret,
    COGNITO_DOMAIN: emu.url,
    COOKIE_SECRET: secret,
  };
  // Tokens carry AWS's issuer (no COGNITO_ENDPOINT): JWKS_URI points the
  // example at the emulator's JWKS.
  const cold = [];
  const first = [];
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    const ex = await startEdgeWorker({ outDir, bindings: { ...bindings, JWKS_URI: emu.jwksUri } });
    const t1 = performance.now();
    const res = await ex.fetch("/api/me", { headers: { authorization: `Bearer ${tokens.AccessToken}` } });
    await res.arrayBuffer();
    const t2 = performance.now();
    if (res.status !== 200) throw new Error(`example: ${res.status}`);
    cold.push(t1 - t0);
    first.push(t2 - t1);
    await ex.dispose();
  }
  console.log("\nExample Worker (www/worker), median of", RUNS, "fresh Miniflare instances:");
  console.log(`  Miniflare start → ready (workerd process + module instantiation)  ${ms(median(cold))}`);
  console.log(`  first verified Bearer request (wasm init + JWKS fetch + verify)   ${ms(median(first))} wall`);
  for (const f of readdirSync(outDir)) {
    const b = readFileSync(join(outDir, f));
    console.log(`  upload: ${f.padEnd(22)} ${(b.length / 1024).toFixed(1).padStart(7)} KiB raw, ${(gzipSync(b).length / 1024).toFixed(1).padStart(6)} KiB gzip (free plan limit: 3 MiB gzip)`);
  }

  // 3. CPU per protected request: workerd's clocks are frozen inside the
  //    Worker, so the same handler (pkg/edge/node.js, same wasm) runs in Node
  //    here and process.cpuUsage() counts its CPU (V8 + OpenSSL, as workerd).
  {
    const { cognitoEdge } = await import("../pkg/edge/node.js");
    const edge = cognitoEdge({
      userPoolId: emu.poolId,
      clientId: client.id,
      clientSecret: client.secret,
      domain: emu.url,
      jwksUri: emu.jwksUri,
      cookieSecret: secret,
      jwks: { store: false },
      publicPaths: ["/"],
      next: () => new Response("ok"),
    });
    const fresh = cognitoEdge({
      userPoolId: emu.poolId,
      clientId: client.id,
      domain: emu.url,
      jwksUri: emu.jwksUri,
      cookieSecret: secret,
      verdictCache: 0,
      jwks: { store: false },
      publicPaths: ["/"],
      next: () => new Response("ok"),
    });
    const now = Date.now();
    const session = { sid: "bench", at: tokens.AccessToken, it: tokens.IdToken, rt: tokens.RefreshToken, exp: now + 3000_000, since: now };
    const sealed = await seal([secret], "__Host-cognito-session", session, now + 86400_000);
    const cases = {
      "cookie session (AES-GCM open, rules, forward)": [edge, () => new Request("http://localhost/app", { headers: { cookie: `__Host-cognito-session=1.${sealed}`, accept: "text/html" } })],
      "Bearer, cached verdict": [edge, () => new Request("http://localhost/api/me", { headers: { authorization: `Bearer ${tokens.AccessToken}` } })],
      "Bearer, full verification (verdict cache off)": [fresh, () => new Request("http://localhost/api/me", { headers: { authorization: `Bearer ${tokens.AccessToken}` } })],
      "public path (baseline)": [edge, () => new Request("http://localhost/", { headers: {} })],
    };
    console.log("\nCPU per request of the edge handler in Node (process.cpuUsage, 2000 requests, median of", RUNS, "rounds):");
    for (const [name, [h, mk]] of Object.entries(cases)) {
      for (let i = 0; i < 200; i++) {
        const r = await h(mk());
        await r.arrayBuffer();
        if (r.status !== 200) throw new Error(`${name}: status ${r.status}`);
      }
      const xs = [];
      for (let r = 0; r < RUNS; r++) {
        const c0 = process.cpuUsage();
        for (let i = 0; i < 2000; i++) await (await h(mk())).arrayBuffer();
        const c = process.cpuUsage(c0);
        xs.push((c.user + c.system) / 2000 / 1000);
      }
      console.log(`  ${name.padEnd(48)} ${median(xs).toFixed(3)} ms  (${((median(xs) / 10) * 100).toFixed(1)}% of 10 ms)`);
    }
  }
} finally {
  await emu.stop();
  rmSync(tmp, { recursive: true, force: true });
}
