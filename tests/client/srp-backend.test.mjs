// Where CognitoAuth's SRP runs: prepared ahead (`prepareSignIn()`), through
// an SRP backend (`srp: createSrpOffload()`, inline in Node, a Web Worker in
// Chromium), or inline. The emulator checks the password claim for real, so
// a sign-in that succeeds proves the claim the backend computed.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CognitoAuth, CognitoError, createSrpOffload } from "cognito-wasm";
import { serve } from "../../scripts/serve.mjs";
import { launchChromium } from "../helpers/chromium.mjs";
import { startEmulator } from "../helpers/emulator.mjs";

const dir = (rel) => fileURLToPath(new URL(rel, import.meta.url));
let emu;

before(async () => {
  emu = await startEmulator();
});

after(async () => {
  await emu?.stop();
});

/** A backend that counts its calls and forwards them to `inner`. */
function counting(inner) {
  const calls = { prepare: 0, answer: 0, dispose: 0 };
  return {
    calls,
    backend: {
      prepare: () => (calls.prepare++, inner.prepare()),
      answer: (id, params) => (calls.answer++, inner.answer(id, params)),
      dispose: (id) => (calls.dispose++, inner.dispose(id)),
    },
  };
}

const config = (extra = {}) => ({
  userPoolId: emu.poolId,
  clientId: emu.clientId,
  endpoint: emu.url,
  storage: "memory",
  ...extra,
});

test("srp backend: signIn computes the claim through the backend (Node, inline offload)", async () => {
  const { calls, backend } = counting(createSrpOffload());
  const auth = new CognitoAuth(config({ srp: backend }));
  const step = await auth.signIn({ username: emu.username, password: emu.password });
  assert.equal(step.done, true);
  assert.deepEqual(calls, { prepare: 1, answer: 1, dispose: 0 });
  // A wrong password: the emulator refuses the backend's claim.
  await assert.rejects(auth.signIn({ username: emu.username, password: `${emu.password}x` }), {
    code: "NotAuthorizedException",
  });
  assert.equal(calls.answer, 2);
});

test("srp backend: prepareSignIn prepares once; the next signIn uses it and prepares nothing more", async () => {
  const { calls, backend } = counting(createSrpOffload());
  const auth = new CognitoAuth(config({ srp: backend }));
  await auth.prepareSignIn();
  assert.equal(calls.prepare, 1);
  // Preparing again replaces (and disposes) the unused one.
  await auth.prepareSignIn();
  assert.deepEqual(calls, { prepare: 2, answer: 0, dispose: 1 });
  assert.equal((await auth.signIn({ username: emu.username, password: emu.password })).done, true);
  assert.deepEqual(calls, { prepare: 2, answer: 1, dispose: 1 });
  // Single use: the next sign-in prepares a fresh one.
  assert.equal((await auth.signIn({ username: emu.username, password: emu.password })).done, true);
  assert.equal(calls.prepare, 3);
});

test("srp backend: prepareSignIn without a backend (in-wasm ephemeral) signs in", async () => {
  const auth = new CognitoAuth(config());
  await auth.prepareSignIn();
  assert.equal((await auth.signIn({ username: emu.username, password: emu.password })).done, true);
  await auth.prepareSignIn();
  await assert.rejects(auth.signIn({ username: emu.username, password: "nope-Passw0rd!" }), {
    code: "NotAuthorizedException",
  });
});

test("srp backend: a failing or malformed backend gives a typed error and no session", async () => {
  const broken = {
    prepare: async () => ({ publicA: "not hex", id: "x" }),
    answer: async () => ({}),
  };
  const a = new CognitoAuth(config({ srp: broken }));
  const e1 = await a.signIn({ username: emu.username, password: emu.password }).catch((e) => e);
  assert.ok(e1 instanceof CognitoError, String(e1));
  await assert.rejects(a.getTokens(), { code: "NotSignedIn" });

  const real = createSrpOffload();
  const failing = {
    prepare: () => real.prepare(),
    answer: async () => {
      throw Object.assign(new Error("worker crashed"), { code: "SrpWorkerFailed" });
    },
  };
  const b = new CognitoAuth(config({ srp: failing }));
  await assert.rejects(b.signIn({ username: emu.username, password: emu.password }), { code: "SrpWorkerFailed" });
  await assert.rejects(b.getTokens(), { code: "NotSignedIn" });

  assert.throws(() => new CognitoAuth(config({ srp: { prepare() {} } })), { code: "InvalidArgument" });
});

test("srp backend: in Chromium, signIn runs SRP in a Web Worker", async () => {
  mkdirSync(dir("../.tmp/"), { recursive: true });
  const pageDir = mkdtempSync(join(dir("../.tmp/"), "srp-backend-"));
  writeFileSync(
    join(pageDir, "index.html"),
    `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">
<script type="importmap">{ "imports": { "cognito-wasm": "/pkg/index.js" } }</script>
<script type="module">
  import { init, CognitoAuth, createSrpOffload } from "cognito-wasm";
  await init();
  window.run = async (config, username, password) => {
    const offload = createSrpOffload();
    let answered = 0;
    const srp = { prepare: () => offload.prepare(), answer: (id, p) => (answered++, offload.answer(id, p)), dispose: (id) => offload.dispose(id) };
    const auth = new CognitoAuth({ ...config, srp });
    try {
      const step = await auth.signIn({ username, password });
      return { done: step.done, mode: offload.mode, answered };
    } catch (e) {
      return { error: e.code, mode: offload.mode, answered };
    } finally {
      offload.close();
    }
  };
  document.body.dataset.ready = "true";
</script><body>`,
  );
  const server = await serve({ port: 0, mounts: { "/pkg/": dir("../../pkg/"), "/": pageDir } });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.waitForSelector("body[data-ready=true]", { state: "attached" });
    const cfg = { userPoolId: emu.poolId, clientId: emu.clientId, endpoint: emu.url, storage: "memory" };
    const ok = await page.evaluate(([c, u, p]) => window.run(c, u, p), [cfg, emu.username, emu.password]);
    assert.deepEqual(ok, { done: true, mode: "worker", answered: 1 });
    const bad = await page.evaluate(([c, u, p]) => window.run(c, u, p), [cfg, emu.username, `${emu.password}x`]);
    assert.deepEqual(bad, { error: "NotAuthorizedException", mode: "worker", answered: 1 });
  } finally {
    await browser.close();
    await server.close();
    rmSync(pageDir, { recursive: true, force: true });
  }
});

test("srp backend: in a Chromium page the default is a Web Worker; \"inline\" starts none; a page that forbids workers still signs in", async () => {
  mkdirSync(dir("../.tmp/"), { recursive: true });
  const pageDir = mkdtempSync(join(dir("../.tmp/"), "srp-default-"));
  const page = (csp) => `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">
${csp ? `<meta http-equiv="Content-Security-Policy" content="${csp}">` : ""}
<script type="importmap">{ "imports": { "cognito-wasm": "/pkg/index.js" } }</script>
<script type="module">
  import { init, CognitoAuth } from "cognito-wasm";
  import { _pageSrpMode } from "/pkg/auth.js";
  await init();
  window.run = async (config, username, password, srp) => {
    const auth = new CognitoAuth(srp === undefined ? config : { ...config, srp });
    try {
      const step = await auth.signIn({ username, password });
      return { done: step.done, mode: _pageSrpMode() ?? "none" };
    } catch (e) {
      return { error: e.code, mode: _pageSrpMode() ?? "none" };
    }
  };
  document.body.dataset.ready = "true";
</script><body>`;
  writeFileSync(join(pageDir, "index.html"), page(""));
  writeFileSync(join(pageDir, "noworkers.html"), page("worker-src 'none'"));
  const server = await serve({ port: 0, mounts: { "/pkg/": dir("../../pkg/"), "/": pageDir } });
  const browser = await launchChromium();
  const cfg = { userPoolId: emu.poolId, clientId: emu.clientId, endpoint: emu.url, storage: "memory" };
  // One page per case: the page's worker is per page (module state).
  const signIn = async (path, password, srp) => {
    const p = await browser.newPage();
    try {
      await p.goto(new URL(path, server.url).href);
      await p.waitForSelector("body[data-ready=true]", { state: "attached" });
      const r = await p.evaluate(([c, u, pw, s]) => window.run(c, u, pw, s), [cfg, emu.username, password, srp]);
      // The page's workers as the browser sees them (not as the SDK reports).
      return { ...r, workers: p.workers().map((w) => new URL(w.url()).pathname) };
    } finally {
      await p.close();
    }
  };
  try {
    assert.deepEqual(await signIn("/", emu.password), { done: true, mode: "worker", workers: ["/pkg/srp-worker.js"] });
    // A wrong password is refused by the emulator, which checks the worker's claim.
    assert.deepEqual(await signIn("/", `${emu.password}x`), {
      error: "NotAuthorizedException",
      mode: "worker",
      workers: ["/pkg/srp-worker.js"],
    });
    assert.deepEqual(await signIn("/", emu.password, "inline"), { done: true, mode: "none", workers: [] });
    assert.deepEqual(await signIn("/noworkers.html", emu.password), { done: true, mode: "inline", workers: [] });
  } finally {
    await browser.close();
    await server.close();
    rmSync(pageDir, { recursive: true, force: true });
  }
});
