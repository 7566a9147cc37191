// Every CognitoAuth flow in every runtime: the scenarios of scenarios.mjs
// (fetch and the package only) run in Node, in workerd (miniflare: a module
// Worker bundled as wrangler does, one invocation per scenario; without and
// with nodejs_compat, whose node:crypto does SRP's exponentiations) and in
// Chromium (one page from 127.0.0.1, the emulator cross-origin), each runtime
// against its own emulator. One subtest per (runtime, scenario).
import { test } from "node:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { CognitoAuth, CognitoError } from "cognito-wasm";
import { serve } from "../../scripts/serve.mjs";
import { launchChromium } from "../helpers/chromium.mjs";
import { startWorker } from "../helpers/workerd.mjs";
import { startEmulator } from "../helpers/emulator.mjs";
import { totp } from "./helpers-flows.mjs";
import { assert } from "./tiny-assert.mjs";
import { scenarios, matrixSeed, matrixConfig, emulatorAccess } from "./scenarios.mjs";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const TMP = fileURLToPath(new URL("../.tmp/", import.meta.url));
const PKG = fileURLToPath(new URL("../../pkg/", import.meta.url));
const NAMES = Object.keys(scenarios);
const PER_SCENARIO = { timeout: 60_000 };
// A scenario run against a client id the pool does not have: each runtime's
// harness must report it as a failure (the matrix can fail).
const CANARY = "USER_PASSWORD_AUTH";
const broken = (cfg) => ({ ...cfg, clientId: "no-such-client" });

/** Fails unless `result` is a failed scenario run. */
function checkFailed(result) {
  assert.equal(result?.ok, false, JSON.stringify(result));
  assert.equal(result.code, "ResourceNotFoundException", result.error);
}

// The runner every runtime shares: the scenario's outcome as JSON.
const RUNNER = `
import { scenarios, emulatorAccess } from "./scenarios.mjs";
import { assert } from "./tiny-assert.mjs";
import { totp } from "./helpers-flows.mjs";

export async function runScenario(CognitoAuth, CognitoError, name, cfg) {
  const ctx = { CognitoAuth, CognitoError, cfg, totp, assert, ...emulatorAccess(cfg.endpoint) };
  try {
    if (!scenarios[name]) throw new Error("no scenario " + name);
    await scenarios[name](ctx);
    return { ok: true };
  } catch (e) {
    return { ok: false, error: String((e && e.stack) || e), code: e && e.code };
  }
}
`;

/** Throws the failure a runtime reported for one scenario. */
function check(result) {
  if (!result || result.ok !== true) {
    throw new Error(`${result?.error ?? JSON.stringify(result)}${result?.code ? ` [code ${result.code}]` : ""}`);
  }
}

function tmpDir(prefix) {
  mkdirSync(TMP, { recursive: true });
  return mkdtempSync(join(TMP, prefix));
}

test("node", async (t) => {
  const emu = await startEmulator({ seed: matrixSeed() });
  try {
    const cfg = matrixConfig(emu.url);
    for (const name of NAMES) {
      await t.test(`node: ${name}`, PER_SCENARIO, async () => {
        await scenarios[name]({ CognitoAuth, CognitoError, cfg, totp, assert, ...emulatorAccess(cfg.endpoint) });
      });
    }
    await t.test("node: a failing scenario is reported", async () => {
      const ctx = { CognitoAuth, CognitoError, cfg: broken(cfg), totp, assert, ...emulatorAccess(cfg.endpoint) };
      const e = await assert.rejection(scenarios[CANARY](ctx));
      checkFailed({ ok: false, error: String(e), code: e.code });
    });
  } finally {
    await emu.stop();
  }
});

/**
 * The scenarios in a module Worker under miniflare; with `nodejs_compat` the
 * package's SRP exponentiations go through workerd's node:crypto.
 */
async function workerd(t, label, compatibilityFlags) {
  const emu = await startEmulator({ seed: matrixSeed() });
  let worker;
  try {
    worker = await startWorker({
      source: `${RUNNER}
import { CognitoAuth, CognitoError } from "cognito-wasm";
export default {
  async fetch(request) {
    if (request.method === "GET") return Response.json({ getBuiltinModule: typeof globalThis.process?.getBuiltinModule });
    const { name, cfg } = await request.json();
    return Response.json(await runScenario(CognitoAuth, CognitoError, name, cfg));
  },
};`,
      resolveDir: HERE,
      sourcefile: "matrix-worker.mjs",
      prefix: "matrix-worker-",
      compatibilityFlags,
    });
    const { mf } = worker;
    const host = await (await mf.dispatchFetch("http://localhost/")).json();
    assert.equal(host.getBuiltinModule, compatibilityFlags.includes("nodejs_compat") ? "function" : "undefined");
    const cfg = matrixConfig(emu.url);
    for (const name of NAMES) {
      await t.test(`${label}: ${name}`, PER_SCENARIO, async () => {
        const res = await mf.dispatchFetch("http://localhost/", { method: "POST", body: JSON.stringify({ name, cfg }) });
        const text = await res.text();
        assert.equal(res.status, 200, text);
        check(JSON.parse(text));
      });
    }
    await t.test(`${label}: a failing scenario is reported`, async () => {
      const res = await mf.dispatchFetch("http://localhost/", { method: "POST", body: JSON.stringify({ name: CANARY, cfg: broken(cfg) }) });
      checkFailed(await res.json());
    });
  } finally {
    await worker?.dispose();
    await emu.stop();
  }
}

test("workerd", (t) => workerd(t, "workerd", []));
test("workerd (nodejs_compat)", (t) => workerd(t, "workerd+nodejs_compat", ["nodejs_compat"]));

test("chromium", async (t) => {
  const emu = await startEmulator({ seed: matrixSeed() });
  const pageDir = tmpDir("matrix-page-");
  let server, browser;
  try {
    // The scenarios bundled for the browser (otpauth included); the package
    // itself is loaded by name through the import map, as an app would.
    await build({
      stdin: {
        contents: `${RUNNER}
import { init, CognitoAuth, CognitoError } from "cognito-wasm";
await init();
window.runScenario = (name, cfg) => runScenario(CognitoAuth, CognitoError, name, cfg);
document.body.dataset.ready = "true";`,
        resolveDir: HERE,
        sourcefile: "matrix-page.mjs",
        loader: "js",
      },
      outfile: join(pageDir, "matrix.js"),
      bundle: true,
      format: "esm",
      platform: "browser",
      external: ["cognito-wasm"],
      logLevel: "error",
    });
    writeFileSync(
      join(pageDir, "index.html"),
      `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">
<script type="importmap">{ "imports": { "cognito-wasm": "/pkg/index.js" } }</script>
<body><script type="module" src="/matrix.js"></script></body>`,
    );
    server = await serve({ port: 0, mounts: { "/pkg/": PKG, "/": pageDir } });
    browser = await launchChromium();
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.waitForSelector("body[data-ready=true]", { state: "attached", timeout: 30_000 });
    const cfg = matrixConfig(emu.url);
    for (const name of NAMES) {
      await t.test(`chromium: ${name}`, PER_SCENARIO, async () => {
        const result = await page.evaluate(([n, c]) => window.runScenario(n, c), [name, cfg]);
        check(result);
      });
    }
    await t.test("chromium: a failing scenario is reported", async () => {
      checkFailed(await page.evaluate(([n, c]) => window.runScenario(n, c), [CANARY, broken(cfg)]));
    });
    // Refused requests are logged on the console (the scenarios make some on
    // purpose); uncaught errors are not expected.
    assert.deepEqual(
      browser.errors.filter((e) => e.startsWith("pageerror")),
      [],
      "no uncaught page errors",
    );
  } finally {
    await browser?.close();
    await server?.close();
    await emu.stop();
    rmSync(pageDir, { recursive: true, force: true });
  }
});
