// The built package in Chromium (Debian chromium via playwright-core) on a
// page served from 127.0.0.1 by scripts/serve.mjs: the browser entry
// (`init()` fetches the wasm), the error before init(), and the shared cases.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { serve } from "../../scripts/serve.mjs";
import { launchChromium } from "../helpers/chromium.mjs";
import { loadSrpVectors } from "../helpers/vectors.mjs";
import { reportByGroup, reportEach } from "./report.mjs";

const dir = (rel) => fileURLToPath(new URL(rel, import.meta.url));
let server;
let browser;

before(async () => {
  server = await serve({ port: 0, mounts: { "/pkg/": dir("../../pkg/"), "/test/": dir("./") } });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
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
      const url = new URL("/pkg/gen/cognito_wasm_bg.wasm", location.href);
      const bytes = await (await fetch(url)).arrayBuffer();
      await init(kind === "module" ? await WebAssembly.compile(bytes) : kind === "bytes" ? bytes : url);
      return srp.createEphemeral().publicA;
    }, kind);
    await page.close();
    assert.match(a, /^[0-9a-f]{100,}$/, kind);
  }
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
