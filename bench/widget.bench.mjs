// <cognito-login> (issue 12): its own JS size, the time from the element's
// connection to an interactive sign-in form in a fresh page (beside the same
// page without the widget), and the longest main-thread block during a
// widget sign-in with SRP in the default Web Worker against `srp: "inline"`.
// A bench: prints figures, does not fail.
//
// BENCH_RUNS (default 9). Needs the built package and the release emulator.
import { gzipSync } from "node:zlib";
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { serve } from "../scripts/serve.mjs";
import { launchChromium } from "../tests/helpers/chromium.mjs";
import { startEmulator } from "../tests/helpers/emulator.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const dir = (rel) => fileURLToPath(new URL(rel, import.meta.url));
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const gz = (buf) => gzipSync(buf, { level: 9 }).length;
const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];

// ---- size: esbuild --minify, gzip -9; the SDK (./index.js) left out.
async function minified(entry, external = []) {
  const r = await build({
    entryPoints: [dir(entry)], bundle: true, minify: true, format: "esm", platform: "browser", write: false, logLevel: "error",
    external: ["*.wasm"],
    plugins: [{ name: "sdk-external", setup(b) {
      b.onResolve({ filter: /^\.\/index\.js$/ }, (a) => (external.includes("sdk") ? { path: a.path, external: true } : undefined));
      b.onResolve({ filter: /^\.\/widget\/qr\.js$/ }, (a) => ({ path: a.path, external: true }));
    } }],
  });
  return r.outputFiles[0].contents;
}
const widget = await minified("../pkg/widget.js", ["sdk"]);
const qr = await minified("../pkg/widget/qr.js");
const locales = await minified("../pkg/widget/locales.js");
const sdkJs = await minified("../pkg/index.js");
const wasm = readdirSync(dir("../pkg/gen/")).filter((f) => f.endsWith(".wasm")).map((f) => gz(readFileSync(dir(`../pkg/gen/${f}`))));
console.log("\n<cognito-login> size (esbuild --minify, gzip -9)");
console.log(`  widget's own JS (pkg/widget.js + strings, SDK excluded)  ${kib(gz(widget)).padStart(10)}   target ≤ 15 KiB; Amplify UI Authenticator budget 72 kB`);
console.log(`  QR encoder (pkg/widget/qr.js, loaded on TOTP set-up only)  ${kib(gz(qr)).padStart(8)}`);
console.log(`  all four extra locales (pkg/widget/locales.js, optional)   ${kib(gz(locales)).padStart(8)}`);
console.log(`  the SDK beside it: JS ${kib(gz(sdkJs))} + wasm ${wasm.map(kib).join(" + ")}`);

// ---- time to an interactive form, and the main thread during sign-in.
const emu = await startEmulator();
const server = await serve({ port: 0, mounts: { "/pkg/": dir("../pkg/"), "/bench/": dir("./"), "/": dir("./widget-page/") } });
let browser;
try {
  browser = await launchChromium();
  const q = (o) => `?${new URLSearchParams({ pool: emu.poolId, client: emu.clientId, endpoint: emu.url, ...o })}`;
  const times = { with: [], without: [], connect: [] };
  for (let i = 0; i < RUNS; i++) {
    for (const mode of i % 2 ? ["without", "with"] : ["with", "without"]) {
      const page = await browser.newPage();
      await page.goto(`${server.url}index.html${q({ mode })}`);
      const r = await page.waitForFunction(() => window.result, null, { timeout: 30_000 }).then((h) => h.jsonValue());
      if (mode === "with") {
        times.with.push(r.interactive);
        times.connect.push(r.interactive - r.connected);
      } else times.without.push(r.load);
      await page.close();
    }
  }
  console.log(`\nA fresh page (Chromium, served from 127.0.0.1, no cache), median of ${RUNS}:`);
  console.log(`  without the widget: navigation start → load event                 ${median(times.without).toFixed(1)} ms`);
  console.log(`  with it:            navigation start → sign-in form interactive     ${median(times.with).toFixed(1)} ms`);
  console.log(`                      element connected → sign-in form interactive    ${median(times.connect).toFixed(1)} ms`);

  const gaps = { default: [], inline: [] };
  for (let i = 0; i < RUNS; i++) {
    for (const srp of i % 2 ? ["inline", "default"] : ["default", "inline"]) {
      const page = await browser.newPage();
      await page.goto(`${server.url}index.html${q({ mode: "with", srp })}`);
      await page.waitForFunction(() => window.result);
      const login = page.locator("cognito-login");
      await login.getByLabel("Username", { exact: true }).fill(emu.username);
      await login.getByLabel("Password", { exact: true }).fill(emu.password);
      await page.evaluate(() => window.watch());
      await page.keyboard.press("Enter");
      await page.waitForSelector("cognito-login[screen=signedIn]", { state: "attached", timeout: 30_000 });
      gaps[srp].push(await page.evaluate(() => window.stopWatch()));
      await page.close();
    }
  }
  const ms = (v) => `${median(v).toFixed(1)} ms [max ${Math.max(...v).toFixed(1)}]`;
  console.log(`\nLongest main-thread block from Enter to the signed-in view (widget sign-in, SRP against the emulator), median of ${RUNS}:`);
  console.log(`  default (SRP in a Web Worker)   ${ms(gaps.default)}`);
  console.log(`  srp: "inline"                   ${ms(gaps.inline)}`);
} finally {
  await browser?.close();
  await server.close();
  await emu.stop();
}
