// SRP engine bench in Chromium (issue 4): the built package's full client SRP
// login (`srp.createEphemeral()` + `srp.answerPasswordVerifier()`) against
// the same big-number work done with plain BigInt in the same page
// (bench/lib/bigint-modpow.mjs; hashes left out of the BigInt side, which
// favours it). Interleaved runs, medians, ratio. Headless Debian Chromium via
// playwright-core on a page served from 127.0.0.1. No pass/fail.
//
// ENGINE_BENCH_RUNS (default 30).
import { fileURLToPath } from "node:url";
import { serve } from "../scripts/serve.mjs";
import { launchChromium } from "../tests/helpers/chromium.mjs";

const RUNS = Number(process.env.ENGINE_BENCH_RUNS ?? 30);
const dir = (rel) => fileURLToPath(new URL(rel, import.meta.url));

const server = await serve({
  port: 0,
  mounts: { "/pkg/": dir("../pkg/"), "/bench/": dir("./"), "/test/": dir("../tests/runtime/"), "/": dir("../www/") },
});
let browser;
try {
  browser = await launchChromium();
  const page = await browser.newPage();
  // The test page maps "cognito-wasm" to /pkg/index.js (an import map).
  await page.goto(`${server.url}test/browser/index.html`);
  const r = await page.evaluate(async (runs) => {
    const { init, srp } = await import("cognito-wasm");
    const { N, bigintSrpMath } = await import("/bench/lib/bigint-modpow.mjs");
    await init();
    const hex = (bytes) => Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, "0")).join("");
    const big = (bytes) => BigInt("0x" + hex(bytes));
    const challengeParameters = {
      SALT: hex(16),
      SRP_B: (big(384) % N).toString(16),
      SECRET_BLOCK: btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(256)))),
      USER_ID_FOR_SRP: "bench-user",
    };
    const ours = () =>
      srp.answerPasswordVerifier({ ephemeral: srp.createEphemeral(), userPoolId: "us-east-1_BenchPool1", password: "Bench password 1!", challengeParameters });
    const theirs = () => bigintSrpMath({ a: big(128), B: BigInt("0x" + challengeParameters.SRP_B), k: big(32), u: big(32), x: big(32) });
    const t = [[], []];
    for (let round = -3; round < runs; round++) {
      const order = round % 2 ? [0, 1] : [1, 0];
      for (const i of order) {
        const t0 = performance.now();
        (i === 0 ? ours : theirs)();
        if (round >= 0) t[i].push(performance.now() - t0);
      }
    }
    const median = (v) => v.sort((a, b) => a - b)[v.length >> 1];
    return { ours: median(t[0]), bigint: median(t[1]), ua: navigator.userAgent };
  }, RUNS);
  const chrome = r.ua.match(/Chrome\/([\d.]+)/)?.[1] ?? "?";
  console.log(`\nSRP in Chromium ${chrome}: median of ${RUNS} interleaved runs`);
  console.log(`${"cognito-wasm: full login (A, key, signature)".padEnd(52)}${(r.ours.toFixed(1) + " ms").padStart(10)}${((r.ours / r.bigint).toFixed(2) + "×").padStart(10)} (target ≤ 1.20×)`);
  console.log(`${"plain BigInt, same math (no hashing)".padEnd(52)}${(r.bigint.toFixed(1) + " ms").padStart(10)}${"1.00×".padStart(10)}`);
} finally {
  await browser?.close();
  await server.close();
}
