// SRP in Chromium (issue 4): how long the page's main thread is blocked
// during a sign-in-sized SRP computation (createEphemeral, then the
// PASSWORD_VERIFIER answer) run inline and through the Web Worker offload
// (pkg/srp-offload.js), measured by a MessageChannel heartbeat (the longest
// gap between two ticks) and PerformanceObserver "longtask" entries
// (≥ 50 ms only); and the Chromium timing figures with their targets: full
// login vs amazon-cognito-identity-js (bundled by esbuild, as an app would
// ship it) and vs plain BigInt, after the challenge vs full. Headless Debian
// Chromium via playwright-core on a page served from 127.0.0.1. A bench: it
// prints figures, it does not fail.
//
// BENCH_RUNS (default 20).
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { serve } from "../scripts/serve.mjs";
import { launchChromium } from "../tests/helpers/chromium.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const dir = (rel) => fileURLToPath(new URL(rel, import.meta.url));

mkdirSync(dir("../tests/.tmp/"), { recursive: true });
const bundleDir = mkdtempSync(join(dir("../tests/.tmp/"), "bench-cij-"));
await build({
  entryPoints: [dir("./lib/cij-browser.mjs")],
  outfile: join(bundleDir, "cij.js"),
  bundle: true,
  minify: true,
  format: "esm",
  platform: "browser",
  define: { global: "globalThis" },
  logLevel: "error",
});
const server = await serve({
  port: 0,
  mounts: { "/pkg/": dir("../pkg/"), "/bench/": dir("./"), "/cij/": bundleDir, "/test/": dir("../tests/runtime/"), "/": dir("../www/") },
});
let browser;
try {
  browser = await launchChromium();
  const page = await browser.newPage();
  // The runtime test page maps "cognito-wasm" to /pkg/index.js.
  await page.goto(`${server.url}test/browser/index.html`);
  const r = await page.evaluate(async (runs) => {
    const { init, srp, createSrpOffload } = await import("cognito-wasm");
    const { N, bigintSrpMath } = await import("/bench/lib/bigint-modpow.mjs");
    const { passwordVerifier } = await import("/cij/cij.js");
    await init();
    const hex = (n) => Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => b.toString(16).padStart(2, "0")).join("");
    const big = (n) => BigInt("0x" + hex(n));
    const challengeParameters = {
      SALT: hex(16),
      SRP_B: (big(384) % N).toString(16),
      SECRET_BLOCK: btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(256)))),
      USER_ID_FOR_SRP: "bench-user",
    };
    const params = { userPoolId: "us-east-1_BenchPool1", password: "Bench password 1!", challengeParameters };
    const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
    const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

    // Timing figures, interleaved.
    const cases = {
      full: () => srp.answerPasswordVerifier({ ...params, ephemeral: srp.createEphemeral() }),
      after: null,
      bigint: () => bigintSrpMath({ a: big(128), B: BigInt("0x" + challengeParameters.SRP_B), k: big(32), u: big(32), x: big(32) }),
      cij: () => passwordVerifier("BenchPool1", params.password, challengeParameters),
    };
    const t = { full: [], after: [], bigint: [], cij: [] };
    const cijRuns = Math.max(3, Math.ceil(runs / 4)); // ~1 s each
    for (let round = -2; round < runs; round++) {
      for (const k of Object.keys(t)) {
        if (k === "cij" && (round < 0 || round >= cijRuns)) continue;
        const e = k === "after" ? srp.createEphemeral() : null;
        const t0 = performance.now();
        if (k === "after") srp.answerPasswordVerifier({ ...params, ephemeral: e });
        else cases[k]();
        if (round >= 0) t[k].push(performance.now() - t0);
      }
    }
    const timing = Object.fromEntries(Object.entries(t).map(([k, v]) => [k, median(v)]));

    // Main-thread blocking during a sign-in: heartbeat + long tasks.
    const { heartbeat, longTasks: watchLongTasks } = await import("/bench/lib/main-thread.mjs");
    const watch = watchLongTasks();
    const longTasks = watch.durations;
    const offload = createSrpOffload();
    const coldT0 = performance.now();
    const stopCold = heartbeat();
    await offload.warm(); // the worker starts and loads its wasm
    const cold = { wall: performance.now() - coldT0, gap: stopCold() };
    const signIn = {
      inline: async () => {
        const e = srp.createEphemeral(); // before InitiateAuth
        await sleep(5); // the network round trip
        srp.answerPasswordVerifier({ ...params, ephemeral: e });
      },
      worker: async () => {
        const { id } = await offload.prepare();
        await sleep(5);
        await offload.answer(id, params);
      },
    };
    // "idle": the same heartbeat over a wait as long as a sign-in, no SRP:
    // the noise floor (timer slack, other processes on the machine).
    signIn.idle = () => sleep(40);
    const block = { inline: { gap: [], wall: [], long: [] }, worker: { gap: [], wall: [], long: [] }, idle: { gap: [], wall: [], long: [] } };
    for (let round = -2; round < runs; round++) {
      for (const mode of round % 2 ? ["inline", "worker", "idle"] : ["idle", "worker", "inline"]) {
        await sleep(20);
        longTasks.length = 0;
        const stop = heartbeat();
        const t0 = performance.now();
        await signIn[mode]();
        const wall = performance.now() - t0;
        await sleep(0);
        const gap = stop();
        await sleep(0);
        if (round >= 0) {
          block[mode].gap.push(gap);
          block[mode].wall.push(wall);
          block[mode].long.push(longTasks.length ? Math.max(...longTasks) : 0);
        }
      }
    }
    watch.disconnect();
    offload.close();
    const summary = Object.fromEntries(
      Object.entries(block).map(([m, v]) => [m, { gap: median(v.gap), gapMax: Math.max(...v.gap), wall: median(v.wall), long: median(v.long), longMax: Math.max(...v.long) }]),
    );
    return { timing, cijRuns, summary, cold, longtaskSupported: watch.supported, ua: navigator.userAgent };
  }, RUNS);

  const chrome = r.ua.match(/Chrome\/([\d.]+)/)?.[1] ?? "?";
  const ms = (v) => `${v.toFixed(1)} ms`;
  console.log(`\nSRP in Chromium ${chrome}: medians of ${RUNS} interleaved runs (amazon-cognito-identity-js: ${r.cijRuns})`);
  console.log(`${"cognito-wasm full login (A, key, signature), inline".padEnd(60)}${ms(r.timing.full).padStart(10)}`);
  console.log(`${"cognito-wasm after the challenge, A prepared".padEnd(60)}${ms(r.timing.after).padStart(10)}`);
  console.log(`${"plain BigInt, same math (no hashing)".padEnd(60)}${ms(r.timing.bigint).padStart(10)}`);
  console.log(`${"amazon-cognito-identity-js (esbuild bundle), full login".padEnd(60)}${ms(r.timing.cij).padStart(10)}`);
  console.log(`\nMain thread during a sign-in (ephemeral, 5 ms "network", answer): median [max] of ${RUNS}`);
  console.log(`${"mode".padEnd(10)}${"longest heartbeat gap".padStart(26)}${"longest longtask".padStart(22)}${"sign-in wall time".padStart(20)}`);
  for (const [mode, s] of Object.entries(r.summary)) {
    console.log(`${mode.padEnd(10)}${`${ms(s.gap)} [${ms(s.gapMax)}]`.padStart(26)}${`${ms(s.long)} [${ms(s.longMax)}]`.padStart(22)}${ms(s.wall).padStart(20)}`);
  }
  if (!r.longtaskSupported) console.log("(longtask entries not supported in this Chromium)");
  console.log(`worker start + wasm load (once): ${ms(r.cold.wall)} wall, longest main-thread gap ${ms(r.cold.gap)}`);
  const figures = [
    ["Chromium full login / amazon-cognito-identity-js", r.timing.full / r.timing.cij, 0.14],
    ["Chromium full login / plain BigInt", r.timing.full / r.timing.bigint, 1.2],
    ["Chromium after the challenge (A prepared) / full login", r.timing.after / r.timing.full, 0.6],
  ];
  console.log(`\nIssue 4 figures (Chromium ${chrome})`);
  for (const [name, v, target] of figures) console.log(`${name}: ${v.toFixed(2)}× (target ≤ ${target.toFixed(2)}×): ${v <= target ? "ok" : "MISS"}`);
  console.log(`Chromium longest main-thread block during sign-in, worker / inline: ${ms(r.summary.worker.gap)} / ${ms(r.summary.inline.gap)} = ${(r.summary.worker.gap / r.summary.inline.gap).toFixed(2)}×`);
} finally {
  await browser?.close();
  await server.close();
  rmSync(bundleDir, { recursive: true, force: true });
}
