// The built package in Chromium (Debian chromium via playwright-core) on a
// page served from 127.0.0.1 by scripts/serve.mjs: the browser entry
// (`init()` fetches the wasm), the error before init(), and the shared cases.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { serve } from "../../scripts/serve.mjs";
import { launchChromium } from "../helpers/chromium.mjs";
import { loadSrpVectors } from "../helpers/vectors.mjs";
import { reportByGroup, reportEach } from "./report.mjs";

const dir = (rel) => fileURLToPath(new URL(rel, import.meta.url));
let server;
let browser;
let bundleDir;

before(async () => {
  // An app bundled by esbuild for the browser; the glues'
  // `new URL("core_bg.wasm", import.meta.url)` (and srp_bg.wasm) find the
  // wasm copied next to the bundle (Vite and webpack 5 copy it themselves).
  mkdirSync(dir("../.tmp/"), { recursive: true });
  bundleDir = mkdtempSync(join(dir("../.tmp/"), "bundle-"));
  await build({
    entryPoints: [dir("./browser/bundle-entry.mjs")],
    outfile: join(bundleDir, "app.js"),
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    logLevel: "error",
  });
  for (const m of ["core_bg.wasm", "srp_bg.wasm"]) copyFileSync(dir(`../../pkg/gen/${m}`), join(bundleDir, m));
  writeFileSync(join(bundleDir, "index.html"), '<!doctype html><link rel="icon" href="data:,"><script type="module" src="app.js"></script>');
  server = await serve({
    port: 0,
    mounts: { "/pkg/": dir("../../pkg/"), "/test/": dir("./"), "/bundle/": bundleDir, "/": dir("../../www/") },
  });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });
});

async function openPage() {
  const page = await browser.newPage();
  await page.goto(`${server.url}test/browser/index.html`);
  return page;
}

test("chromium: calling the API before init() is a NotInitialized CognitoError", async () => {
  const page = await openPage();
  const r = await page.evaluate(async () => {
    const { srp, CognitoError, isInitialized } = await import("cognito-wasm");
    try {
      srp.createEphemeral();
      return { threw: false };
    } catch (e) {
      return { threw: true, isCognitoError: e instanceof CognitoError, code: e.code, message: e.message, ready: isInitialized() };
    }
  });
  await page.close();
  assert.equal(r.threw, true);
  assert.equal(r.isCognitoError, true);
  assert.equal(r.code, "NotInitialized");
  assert.match(r.message, /init\(\)/);
  assert.equal(r.ready, false);
});

test("chromium: init() takes a WebAssembly.Module or bytes", async () => {
  for (const kind of ["module", "bytes", "url"]) {
    const page = await openPage();
    const a = await page.evaluate(async (kind) => {
      const { init, srp } = await import("cognito-wasm");
      // The core module; the SRP module (used here) loads from its default URL.
      const url = new URL("/pkg/gen/core_bg.wasm", location.href);
      const bytes = await (await fetch(url)).arrayBuffer();
      await init(kind === "module" ? await WebAssembly.compile(bytes) : kind === "bytes" ? bytes : url);
      return srp.createEphemeral().publicA;
    }, kind);
    await page.close();
    assert.match(a, /^[0-9a-f]{100,}$/, kind);
  }
});

test("chromium: the package bundled by esbuild for the browser", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}bundle/index.html`);
  await page.waitForFunction(() => typeof window.runBundled === "function");
  const r = await page.evaluate(() => window.runBundled());
  await page.close();
  assert.equal(r.USERNAME, "alice");
  assert.match(r.PASSWORD_CLAIM_SIGNATURE, /^[A-Za-z0-9+/]{43}=$/);
});

test("chromium: the demo page (www/) loads the package", async () => {
  const page = await browser.newPage();
  await page.goto(server.url);
  await page.waitForFunction(() => document.getElementById("status").textContent.includes("Ready"), null, { timeout: 15_000 });
  await page.close();
});

test("chromium: the shared cases", async (t) => {
  const page = await openPage();
  const results = await page.evaluate(async (vectors) => {
    const pkg = await import("cognito-wasm");
    const testing = await import("cognito-wasm/testing");
    const { runErrorCases, runVectorCases } = await import("/test/cases.mjs");
    await pkg.init();
    await pkg.init(); // a second call is harmless
    return [...runErrorCases(pkg), ...runVectorCases(pkg, testing, vectors)];
  }, loadSrpVectors());
  await page.close();
  assert.deepEqual(browser.errors, []);
  await reportEach(t, "chromium", results.filter((r) => r.group === "errors" || r.group === "properties"));
  await reportByGroup(t, "chromium", results, ["srp", "timestamp", "secretHash", "device"]);
});
