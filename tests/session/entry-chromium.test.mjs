// `cognito-wasm/session` (pkg/session.js) in Chromium against the emulator:
// a session signed in through the full entry is restored by a page on the
// lean entry (same tab, sessionStorage), refreshed at the emulator and
// signed out; sign-in is not in that entry (InvalidArgument), and the page
// fetched the session core only: neither the full core nor the SRP module.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { serve } from "../../scripts/serve.mjs";
import { launchChromium } from "../helpers/chromium.mjs";
import { startEmulator } from "../helpers/emulator.mjs";

const dir = (rel) => fileURLToPath(new URL(rel, import.meta.url));
let server;
let browser;
let emu;

before(async () => {
  emu = await startEmulator();
  server = await serve({ port: 0, mounts: { "/pkg/": dir("../../pkg/"), "/session/": dir("./") } });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  await emu?.stop();
});

const run = (page, method, arg) => page.evaluate(([m, a]) => globalThis.run(m, a), [method, arg]);
const refreshes = async () => {
  const ops = (await (await fetch(`${emu.url}/_emulator/stats`)).json()).operations;
  return (ops.GetTokensFromRefreshToken ?? 0) + (ops.InitiateAuth ?? 0);
};

test("cognito-wasm/session: restores, refreshes and signs out a session; no sign-in, no full core, no SRP module", async () => {
  const options = { userPoolId: emu.poolId, clientId: emu.clientId, endpoint: emu.url, storage: "session" };
  const q = encodeURIComponent(JSON.stringify(options));
  const page = await browser.newPage();
  try {
    await page.goto(`${server.url}session/page.html?options=${q}`);
    await page.waitForFunction(() => globalThis.ready === true);
    const step = await run(page, "signIn", { username: emu.username, password: emu.password });
    assert.equal(step.done, true, JSON.stringify(step));

    // The same tab on the lean entry: only session_bg.wasm is fetched.
    const wasm = [];
    page.on("request", (r) => {
      if (r.url().endsWith(".wasm")) wasm.push(new URL(r.url()).pathname);
    });
    await page.goto(`${server.url}session/page.html?options=${q}&entry=/pkg/session.js`);
    await page.waitForFunction(() => globalThis.ready === true);
    const restored = await run(page, "getTokens");
    assert.equal(restored.accessToken, step.tokens.accessToken, "the stored session is read");

    const before = await refreshes();
    const fresh = await run(page, "getTokens", { forceRefresh: true });
    assert.ok(fresh.accessToken && fresh.accessToken !== step.tokens.accessToken, JSON.stringify(fresh));
    assert.equal((await refreshes()) - before, 1, "one refresh at the emulator");

    const refused = await run(page, "signIn", { username: emu.username, password: emu.password });
    assert.equal(refused.error, "InvalidArgument");
    assert.equal((await run(page, "signUp", { username: "x", password: "y" })).error, "InvalidArgument");

    assert.equal(await run(page, "signOut"), null);
    assert.equal((await run(page, "getTokens")).error, "NotSignedIn");
    assert.deepEqual([...new Set(wasm)], ["/pkg/gen/session_bg.wasm"]);
  } finally {
    await page.close();
  }
});
