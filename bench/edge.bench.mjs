// cognito-wasm/edge in workerd (miniflare), issue 13:
//  1. Bearer verifications per second in one warm Worker: the package's
//     JwtVerifier against aws-jwt-verify's CognitoJwtVerifier bundled into
//     the same kind of Worker (its browser build: WebCrypto), the same
//     emulator access token and JWKS (preloaded on both sides: no network).
//  2. The example Worker (www/worker): start to ready, the first verified
//     Bearer request (wasm instantiation + JWKS fetch + verification), and
//     the time per protected request (Bearer, and a cookie session), against
//     the Workers free plan's 10 ms CPU per request.
// Inside a Worker the clocks stop while code runs (Spectre mitigation), so
// times are taken outside: the wall time of requests doing the work minus as
// many doing nothing (workerd runs one request at a time here). The figures
// are wall time over loopback, so they bound CPU from above. A bench: prints,
// does not fail.
//
// BENCH_RUNS (default 5 rounds), BENCH_VERIFY (verifications per request, 200).
import { mkdtempSync, rmSync } from "node:fs";
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

  // 1. Verifications per second, ours vs aws-jwt-verify, one warm Worker.
  const w = await startWorker({ source: WORKER, resolveDir: ROOT, prefix: "edge-bench-" });
  try {
    const get = (p) => () => w.mf.dispatchFetch(`http://localhost${p}`);
    const s = await w.mf.dispatchFetch("http://localhost/setup", {
      method: "POST",
      body: JSON.stringify({ token: tokens.AccessToken, jwks, poolId: emu.poolId, clientId: client.id }),
    });
    if (s.status !== 200) throw new Error(`setup: ${await s.text()}`);
    await timeRequests(get(`/ours?n=${K}`), 2);
    await timeRequests(get(`/theirs?n=${K}`), 2);
    const rates = { ours: [], theirs: [] };
    for (let r = 0; r < RUNS; r++) {
      const noop = await timeRequests(get("/noop"), 5);
      for (const who of ["ours", "theirs"]) rates[who].push((K * 1000) / ((await timeRequests(get(`/${who}?n=${K}`), 3)) - noop));
    }
    const o = median(rates.ours);
    const t = median(rates.theirs);
    console.log("Bearer verification in one warm Worker (RS256 access token, keys preloaded), median of", RUNS, "rounds:");
    console.log(`  cognito-wasm JwtVerifier     ${o.toFixed(0).padStart(7)} verifications/s  (${(1000 / o).toFixed(3)} ms each)`);
    console.log(`  aws-jwt-verify (browser)     ${t.toFixed(0).padStart(7)} verifications/s  (${(1000 / t).toFixed(3)} ms each)`);
    console.log(`  ratio ours / aws-jwt-verify  ${(o / t).toFixed(2)}×  (target ≥ 1.00×)`);
  } finally {
    await w.dispose();
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
    if (r < RUNS - 1) await ex.dispose();
    else {
      try {
        const bearer = () => ex.fetch("/api/me", { headers: { authorization: `Bearer ${tokens.AccessToken}` } });
        const now = Date.now();
        const session = { sid: "bench", at: tokens.AccessToken, it: tokens.IdToken, rt: tokens.RefreshToken, exp: now + 3000_000, since: now };
        const sealed = await seal([secret], "__Host-cognito-session", session, now + 86400_000);
        const cookie = () => ex.fetch("/app", { headers: { cookie: `__Host-cognito-session=1.${sealed}`, accept: "text/html" } });
        const noop = () => ex.fetch("/favicon.ico");
        await timeRequests(bearer, 20);
        await timeRequests(cookie, 20);
        const per = { bearer: [], cookie: [] };
        for (let i = 0; i < RUNS; i++) {
          const n = await timeRequests(noop, 50);
          per.bearer.push((await timeRequests(bearer, 50)) - n);
          per.cookie.push((await timeRequests(cookie, 50)) - n);
        }
        console.log("\nExample Worker (www/worker), median of", RUNS, "fresh Miniflare instances:");
        console.log(`  Miniflare start → ready (workerd process + module instantiation)  ${ms(median(cold))}`);
        console.log(`  first verified Bearer request (wasm init + JWKS fetch + verify)   ${ms(median(first))}`);
        console.log("Per protected request, minus a public request's time (upper bound of the CPU it adds):");
        console.log(`  Bearer token (verify RS256, rules, forward)   ${ms(median(per.bearer))}  of the free plan's 10 ms`);
        console.log(`  cookie session (AES-GCM open, rules, page)    ${ms(median(per.cookie))}  of the free plan's 10 ms`);
      } finally {
        await ex.dispose();
      }
    }
  }
} finally {
  await emu.stop();
  rmSync(tmp, { recursive: true, force: true });
}
