// The session across tabs in Chromium: two pages of one browser context
// (same origin) against the emulator. Sign-in, refresh and sign-out in one
// tab are seen by the other; at expiry both tabs call getTokens() and the
// emulator counts one refresh (Web Locks); sessionStorage is really used and
// survives a reload; a new tab gets the session from the others. The same
// with localStorage (storage events).
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

async function stats() {
  return (await (await fetch(`${emu.url}/_emulator/stats`)).json()).operations;
}
const refreshes = (a, b) =>
  (b.GetTokensFromRefreshToken ?? 0) - (a.GetTokensFromRefreshToken ?? 0) + (b.InitiateAuth ?? 0) - (a.InitiateAuth ?? 0);

async function openTab(options) {
  const page = await browser.newPage();
  const q = encodeURIComponent(JSON.stringify(options));
  await page.goto(`${server.url}session/page.html?options=${q}`);
  await page.waitForFunction(() => globalThis.ready === true);
  return page;
}

const run = (page, method, arg) => page.evaluate(([m, a]) => globalThis.run(m, a), [method, arg]);
const events = (page) => page.evaluate(() => globalThis.events.slice());
const waitEvent = (page, type, count = 1, timeout = 5000) =>
  page.waitForFunction(([t, n]) => globalThis.events.filter((e) => e === t).length >= n, [type, count], { timeout });
const shiftClock = (page, seconds) => page.evaluate((s) => (globalThis.clockShift += s * 1000), seconds);
const keys = (page, area) =>
  page.evaluate(
    ([area, prefix]) => Object.keys(globalThis[area]).filter((k) => k.startsWith(prefix)),
    [area, `cognito-wasm.${emu.clientId}.`],
  );

for (const [storage, area] of [
  ["session", "sessionStorage"],
  ["local", "localStorage"],
]) {
  test(`two tabs, storage "${storage}": sign-in, one refresh at expiry, sign-out seen by both`, async () => {
    const options = { userPoolId: emu.poolId, clientId: emu.clientId, endpoint: emu.url, storage };
    const a = await openTab(options);
    const b = await openTab(options);
    try {
      assert.equal((await run(b, "getTokens")).error, "NotSignedIn");
      const step = await run(a, "signIn", { username: emu.username, password: emu.password });
      assert.equal(step.done, true, JSON.stringify(step));
      await waitEvent(b, "signedIn");
      assert.equal((await run(b, "getTokens")).accessToken, step.tokens.accessToken);
      const sessionKey = `cognito-wasm.${emu.clientId}.session`;
      assert.deepEqual(await keys(b, area), [sessionKey], `B's ${area} holds the session`);
      assert.deepEqual(await keys(a, area), [sessionKey]);

      // Three rounds: both tabs past expiry call getTokens() at once.
      let previous = step.tokens.accessToken;
      for (let round = 1; round <= 3; round++) {
        await Promise.all([shiftClock(a, 3600), shiftClock(b, 3600)]);
        const s0 = await stats();
        const [ta, tb] = await Promise.all([run(a, "getTokens"), run(b, "getTokens")]);
        const s1 = await stats();
        assert.equal(refreshes(s0, s1), 1, `round ${round}: one refresh at the emulator (${JSON.stringify([s0, s1])})`);
        assert.ok(ta.accessToken && ta.accessToken === tb.accessToken, `round ${round}: both tabs have the same tokens`);
        assert.notEqual(ta.accessToken, previous);
        previous = ta.accessToken;
      }
      await waitEvent(a, "tokenRefresh");
      await waitEvent(b, "tokenRefresh");

      // The session survives a reload of B.
      await b.reload();
      await b.waitForFunction(() => globalThis.ready === true);
      assert.deepEqual(await keys(b, area), [sessionKey]);
      assert.equal((await run(b, "getTokens")).accessToken, previous);
      // The reloaded tab starts at the real clock; the session is still
      // valid there (tokens expire an hour after the last refresh).

      // Sign-out in A: B hears it and has no session.
      assert.equal(await run(a, "signOut"), null);
      await waitEvent(b, "signedOut");
      assert.equal((await run(b, "getTokens")).error, "NotSignedIn");
      assert.deepEqual(await keys(b, area), []);
      assert.deepEqual(await keys(a, area), []);
      assert.ok(!(await events(b)).includes("sessionExpired"));
    } finally {
      await a.close();
      await b.close();
    }
  });
}

test("a new tab with empty sessionStorage gets the session from an open tab", async () => {
  const options = { userPoolId: emu.poolId, clientId: emu.clientId, endpoint: emu.url };
  const a = await openTab(options);
  try {
    const step = await run(a, "signIn", { username: emu.username, password: emu.password });
    assert.equal(step.done, true);
    const c = await openTab(options);
    try {
      await waitEvent(c, "signedIn");
      assert.equal((await run(c, "getTokens")).accessToken, step.tokens.accessToken);
      assert.deepEqual(await keys(c, "sessionStorage"), [`cognito-wasm.${emu.clientId}.session`]);
    } finally {
      await c.close();
    }
    await run(a, "signOut");
  } finally {
    await a.close();
  }
});

// SECURITY.md, "The tabs' channel": any page of the origin can read the
// channel, so the refresh token never goes on it. The tab that signed in
// keeps it; another tab refreshes by asking that one, and signs out by asking
// it to revoke.
test("the tabs' channel: no refresh token for a spy; the holder refreshes and revokes for the others", async () => {
  const options = { userPoolId: emu.poolId, clientId: emu.clientId, endpoint: emu.url };
  const a = await openTab(options);
  const b = await openTab(options);
  const spy = await browser.newPage();
  const stored = (page) =>
    page.evaluate((k) => sessionStorage.getItem(k), `cognito-wasm.${emu.clientId}.session`);
  try {
    const step = await run(a, "signIn", { username: emu.username, password: emu.password });
    assert.equal(step.done, true, JSON.stringify(step));
    const rt = step.tokens.refreshToken;
    assert.ok(rt && rt.length > 20);
    await waitEvent(b, "signedIn");
    assert.ok((await stored(a)).includes(rt), "A, which signed in, stores its refresh token");
    assert.ok(!(await stored(b)).includes(rt), "B adopted the session without the refresh token");
    assert.equal((await run(b, "getTokens")).refreshToken, undefined);

    // A page of the same origin asks on the channel, as a tab would.
    await spy.goto(`${server.url}session/spy`);
    const heard = await spy.evaluate(async (name) => {
      const ch = new BroadcastChannel(name);
      const got = [];
      ch.onmessage = (e) => got.push(JSON.stringify(e.data));
      ch.postMessage({ t: "ask" });
      await new Promise((r) => setTimeout(r, 500));
      ch.close();
      return got;
    }, `cognito-wasm.${emu.clientId}`);
    assert.ok(heard.some((m) => m.includes(step.tokens.accessToken)), `the spy heard the session: ${heard}`);
    assert.ok(!heard.some((m) => m.includes(rt)), "but never the refresh token");

    // Only B is past expiry: it asks A, which refreshes once for both.
    await shiftClock(b, 3600);
    const s0 = await stats();
    const tb = await run(b, "getTokens");
    const s1 = await stats();
    assert.equal(refreshes(s0, s1), 1, JSON.stringify([s0, s1]));
    assert.ok(tb.accessToken && tb.accessToken !== step.tokens.accessToken, JSON.stringify(tb));
    assert.equal((await run(a, "getTokens")).accessToken, tb.accessToken, "A holds the refreshed tokens");
    assert.ok(!(await stored(b)).includes(rt));

    // Sign-out in B, which has no refresh token: A revokes it.
    const revokes = s1.RevokeToken ?? 0;
    assert.equal(await run(b, "signOut"), null);
    await waitEvent(a, "signedOut");
    const deadline = Date.now() + 5000;
    while (((await stats()).RevokeToken ?? 0) === revokes && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(((await stats()).RevokeToken ?? 0) - revokes, 1, "one RevokeToken, sent by A");
    const refused = await fetch(emu.url, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "AWSCognitoIdentityProviderService.InitiateAuth",
      },
      body: JSON.stringify({ AuthFlow: "REFRESH_TOKEN_AUTH", ClientId: emu.clientId, AuthParameters: { REFRESH_TOKEN: rt } }),
    });
    assert.equal(refused.status, 400, "the revoked refresh token no longer refreshes");
    assert.equal((await refused.json()).__type, "NotAuthorizedException");
    assert.equal(await stored(a), null);
    assert.equal(await stored(b), null);
  } finally {
    await spy.close();
    await a.close();
    await b.close();
  }
});

test("tabs off (syncTabs: false): the other tab is not told", async () => {
  const options = { userPoolId: emu.poolId, clientId: emu.clientId, endpoint: emu.url, syncTabs: false };
  const a = await openTab(options);
  const b = await openTab(options);
  try {
    await run(a, "signIn", { username: emu.username, password: emu.password });
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(await events(b), []);
    assert.equal((await run(b, "getTokens")).error, "NotSignedIn");
    await run(a, "signOut");
  } finally {
    await a.close();
    await b.close();
  }
});

test("autoRefresh: paused while the page is hidden, refreshed when visible again, stopped by signOut", async () => {
  // refreshMargin 3590 s of a 3600 s token: the timer is due within 10 s.
  const options = { userPoolId: emu.poolId, clientId: emu.clientId, endpoint: emu.url, autoRefresh: true, refreshMargin: 3590, syncTabs: false };
  const a = await openTab(options);
  const setHidden = (hidden) =>
    a.evaluate((h) => {
      Object.defineProperty(document, "hidden", { configurable: true, get: () => h });
      document.dispatchEvent(new Event("visibilitychange"));
    }, hidden);
  try {
    const step = await run(a, "signIn", { username: emu.username, password: emu.password });
    assert.equal(step.done, true);
    await setHidden(true);
    const s0 = await stats();
    await new Promise((r) => setTimeout(r, 11_000));
    assert.equal(refreshes(s0, await stats()), 0, "no refresh while hidden");
    assert.deepEqual(await events(a), ["signedIn"]);
    await setHidden(false);
    await waitEvent(a, "tokenRefresh");
    assert.notEqual((await run(a, "getTokens")).accessToken, step.tokens.accessToken);
    // While visible the timer keeps refreshing (due every ≤ 10 s here).
    await waitEvent(a, "tokenRefresh", 2, 15_000);
    await run(a, "signOut");
    const s1 = await stats();
    await new Promise((r) => setTimeout(r, 11_000));
    assert.equal(refreshes(s1, await stats()), 0, "no refresh after signOut");
  } finally {
    await a.close();
  }
});
