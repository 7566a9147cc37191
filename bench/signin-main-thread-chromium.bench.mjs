// A whole CognitoAuth.signIn in a Chromium page against the emulator (issue
// 4: "measure the longest main-thread task during a sign-in with and
// without" the worker): the default in a page (SRP in a Web Worker) against
// `srp: "inline"`, interleaved. The page's main thread is watched by a
// MessageChannel heartbeat (the longest gap between two ticks: any task
// that blocks it, SRP or not) and by "longtask" entries (≥ 50 ms). The
// emulator runs on this machine and checks every claim. A bench: prints
// figures, does not fail.
//
// BENCH_RUNS (default 15). Needs the release emulator (npm run bench builds it).
import { fileURLToPath } from "node:url";
import { serve } from "../scripts/serve.mjs";
import { launchChromium } from "../tests/helpers/chromium.mjs";
import { startEmulator } from "../tests/helpers/emulator.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const dir = (rel) => fileURLToPath(new URL(rel, import.meta.url));

const emu = await startEmulator();
const server = await serve({ port: 0, mounts: { "/pkg/": dir("../pkg/"), "/bench/": dir("./"), "/test/": dir("../tests/runtime/"), "/": dir("../www/") } });
let browser;
try {
  browser = await launchChromium();
  const cfg = { userPoolId: emu.poolId, clientId: emu.clientId, endpoint: emu.url, storage: "memory", rememberDevices: false };
  const evaluate = (page, RUNS, firstMode) => page.evaluate(
    async ([runs, cfg, username, password, firstMode]) => {
      const { init, CognitoAuth } = await import("cognito-wasm");
      await init();
      const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
      const sleep = (ms) => new Promise((res) => setTimeout(res, ms));
      const { heartbeat, longTasks: watchLongTasks } = await import("/bench/lib/main-thread.mjs");
      const watch = watchLongTasks();
      const longTasks = watch.durations;
      const clients = { default: new CognitoAuth(cfg), inline: new CognitoAuth({ ...cfg, srp: "inline" }) };
      const signIn = async (mode) => {
        const step = await clients[mode].signIn({ username, password });
        if (!step.done) throw new Error(`sign-in did not finish: ${JSON.stringify(step)}`);
        await clients[mode].signOut();
      };
      // The page's first sign-in (the default one starts the worker and loads its wasm).
      let stop = heartbeat();
      let t0 = performance.now();
      await signIn(firstMode);
      const first = { wall: performance.now() - t0, gap: stop() };
      if (runs === 0) return { first };
      const out = { default: { gap: [], wall: [], long: [] }, inline: { gap: [], wall: [], long: [] } };
      for (let round = -2; round < runs; round++) {
        for (const mode of round % 2 ? ["inline", "default"] : ["default", "inline"]) {
          await sleep(20);
          longTasks.length = 0;
          stop = heartbeat();
          t0 = performance.now();
          await signIn(mode);
          const wall = performance.now() - t0;
          await sleep(0);
          const gap = stop();
          if (round >= 0) {
            out[mode].gap.push(gap);
            out[mode].wall.push(wall);
            out[mode].long.push(longTasks.length ? Math.max(...longTasks) : 0);
          }
        }
      }
      watch.disconnect();
      const summary = Object.fromEntries(
        Object.entries(out).map(([m, v]) => [m, { gap: median(v.gap), gapMax: Math.max(...v.gap), wall: median(v.wall), long: Math.max(...v.long) }]),
      );
      return { summary, first, ua: navigator.userAgent };
    },
    [RUNS, cfg, emu.username, emu.password, firstMode],
  );
  const inPage = async (runs, firstMode) => {
    const page = await browser.newPage();
    // The runtime test page maps "cognito-wasm" to /pkg/index.js.
    await page.goto(`${server.url}test/browser/index.html`);
    try {
      return await evaluate(page, runs, firstMode);
    } finally {
      await page.close();
    }
  };
  // A fresh page's first sign-in, each mode twice, alternating.
  const firsts = { default: [], inline: [] };
  for (const mode of ["inline", "default", "default", "inline"]) firsts[mode].push((await inPage(0, mode)).first.wall);
  const r = { ...(await inPage(RUNS, "default")), firsts };
  const chrome = r.ua.match(/Chrome\/([\d.]+)/)?.[1] ?? "?";
  const ms = (v) => `${v.toFixed(1)} ms`;
  console.log(`\nCognitoAuth.signIn (USER_SRP_AUTH against the emulator, then signOut) in Chromium ${chrome}: median [max] of ${RUNS} interleaved runs`);
  console.log(`${"srp".padEnd(22)}${"longest main-thread gap".padStart(26)}${"longest longtask".padStart(20)}${"wall time".padStart(14)}`);
  for (const [mode, s] of Object.entries(r.summary)) {
    const name = mode === "default" ? "default (Web Worker)" : '"inline"';
    console.log(`${name.padEnd(22)}${`${ms(s.gap)} [${ms(s.gapMax)}]`.padStart(26)}${ms(s.long).padStart(20)}${ms(s.wall).padStart(14)}`);
  }
  const list = (v) => v.map(ms).join(", ");
  console.log(`a fresh page's first sign-in: default (starts the worker, loads its wasm) ${list(r.firsts.default)}; "inline" ${list(r.firsts.inline)}`);
  const ratio = r.summary.default.gap / r.summary.inline.gap;
  console.log(`longest main-thread block during a sign-in, default / inline: ${ms(r.summary.default.gap)} / ${ms(r.summary.inline.gap)} = ${ratio.toFixed(2)}×`);
} finally {
  await browser?.close();
  await server.close();
  await emu.stop();
}
