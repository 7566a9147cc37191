// The session in Node against the emulator: single-flight refresh counted
// at the server, refresh timing under a skewed server clock, storage
// adapters (async, throwing), transient vs definitive refresh failures.
//
// Time is moved forward by shifting Date.now (the package reads the local
// clock through it), so tokens "expire" without waiting an hour.
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { CognitoAuth } from "cognito-wasm";
import { startEmulator } from "../helpers/emulator.mjs";

const realNow = Date.now;
let shift = 0;
Date.now = () => realNow() + shift;
const later = (seconds) => (shift += seconds * 1000);

let emu;
before(async () => {
  emu = await startEmulator();
});
// Each test starts on the real clock (SRP's TIMESTAMP must match the server's).
beforeEach(() => {
  shift = 0;
});
after(async () => {
  Date.now = realNow;
  await emu?.stop();
});

async function stats(e = emu) {
  return (await (await fetch(`${e.url}/_emulator/stats`)).json()).operations;
}
// Refresh requests of either kind (GetTokensFromRefreshToken, or
// InitiateAuth REFRESH_TOKEN_AUTH as a fallback) between two snapshots
// with no sign-in between them.
const refreshes = (a, b) =>
  (b.GetTokensFromRefreshToken ?? 0) - (a.GetTokensFromRefreshToken ?? 0) + (b.InitiateAuth ?? 0) - (a.InitiateAuth ?? 0);

// A Web Storage-shaped adapter over a Map; async when asked, and able to
// fail its writes.
function mapStorage({ async = false } = {}) {
  const map = new Map();
  const s = {
    map,
    failWrites: false,
    getItem: (k) => (map.has(k) ? map.get(k) : null),
    setItem: (k, v) => {
      if (s.failWrites) throw new DOMException("quota", "QuotaExceededError");
      map.set(k, String(v));
    },
    removeItem: (k) => void map.delete(k),
  };
  if (async) {
    for (const m of ["getItem", "setItem", "removeItem"]) {
      const f = s[m];
      s[m] = async (...a) => {
        await new Promise((r) => setTimeout(r, 1));
        return f(...a);
      };
    }
  }
  return s;
}

function client(extra = {}, e = emu) {
  const auth = new CognitoAuth({ userPoolId: e.poolId, clientId: e.clientId, endpoint: e.url, ...extra });
  auth.events = [];
  for (const type of ["signedIn", "signedOut", "tokenRefresh", "tokenRefreshFailure", "sessionExpired"]) {
    auth.on(type, (ev) => auth.events.push(ev.detail === undefined ? type : `${type}:${ev.detail}`));
  }
  return auth;
}

const sessionKey = (e = emu) => `cognito-wasm.${e.clientId}.session`;

test("100 parallel getTokens() at expiry make exactly one refresh request at the emulator", async () => {
  const auth = client({ storage: "memory" });
  const step = await auth.signIn({ username: emu.username, password: emu.password });
  assert.equal(step.done, true);
  const first = step.tokens;
  later(3600); // the access token (1 hour) has expired
  const before = await stats();
  const all = await Promise.all(Array.from({ length: 100 }, () => auth.getTokens()));
  const afterStats = await stats();
  assert.equal(refreshes(before, afterStats), 1, JSON.stringify({ before, afterStats }));
  assert.equal(new Set(all.map((t) => t.accessToken)).size, 1);
  assert.notEqual(all[0].accessToken, first.accessToken);
  assert.ok(all[0].expiresAt > Date.now() + 3000_000, "fresh tokens expire an hour from the (shifted) now");
  assert.deepEqual(auth.events, ["signedIn", "tokenRefresh"]);
  // Fresh tokens: no request at all.
  await Promise.all(Array.from({ length: 100 }, () => auth.getTokens()));
  assert.equal(refreshes(afterStats, await stats()), 0);
  await auth.signOut();
});

for (const offset of [-7200, 7200]) {
  test(`a server clock ${offset > 0 ? "ahead" : "behind"} by 2 h: refresh still at expiry − margin on the local clock`, async () => {
    const skewed = await startEmulator({ args: ["--clock-offset", String(offset)] });
    try {
      // SRP's TIMESTAMP is checked against the server clock (±5 min):
      // sign in with USER_PASSWORD_AUTH.
      const auth = client({ storage: "memory", authFlow: "USER_PASSWORD_AUTH" }, skewed);
      const t0 = Date.now();
      const { tokens } = await auth.signIn({ username: skewed.username, password: skewed.password });
      const exp = JSON.parse(Buffer.from(tokens.accessToken.split(".")[1], "base64url")).exp;
      assert.ok(Math.abs(exp * 1000 - (t0 + 3600_000 + offset * 1000)) < 5000, "the token's exp is on the server clock");
      assert.ok(Math.abs(tokens.expiresAt - (t0 + 3600_000)) < 5000, `expiresAt ${tokens.expiresAt} is an hour from local now ${t0}`);
      const s0 = await stats(skewed);
      await auth.getTokens(); // a client trusting exp would refresh here (server behind)
      later(3600 - 120 - 30); // 30 s before the 2-minute margin
      await auth.getTokens(); // ... or never refresh in time (server ahead)
      const s1 = await stats(skewed);
      assert.equal(refreshes(s0, s1), 0, "no refresh before expiry − margin");
      later(40); // 10 s inside the margin
      const fresh = await auth.getTokens();
      assert.equal(refreshes(s1, await stats(skewed)), 1, "one refresh inside the margin");
      assert.notEqual(fresh.accessToken, tokens.accessToken);
      assert.ok(Math.abs(fresh.expiresAt - (Date.now() + 3600_000)) < 5000);
      await auth.signOut();
    } finally {
      await skewed.stop();
    }
  });
}

test("an async storage adapter keeps the session, restored by a new client", async () => {
  const storage = mapStorage({ async: true });
  const a = client({ storage });
  const { tokens } = await a.signIn({ username: emu.username, password: emu.password });
  assert.deepEqual([...storage.map.keys()], [sessionKey()]);
  const b = client({ storage });
  const restored = await b.getTokens();
  assert.equal(restored.accessToken, tokens.accessToken);
  await b.signOut();
  assert.equal(storage.map.has(sessionKey()), false);
  await assert.rejects(a.getTokens(), (e) => e.code === "NotSignedIn");
});

test("a storage that throws on setItem: StorageError, the previous session intact", async () => {
  const storage = mapStorage();
  const auth = client({ storage });
  const { tokens } = await auth.signIn({ username: emu.username, password: emu.password });
  const stored = storage.map.get(sessionKey());
  storage.failWrites = true;
  await assert.rejects(auth.getTokens({ forceRefresh: true }), (e) => e.code === "StorageError");
  assert.equal(storage.map.get(sessionKey()), stored);
  assert.equal((await auth.getTokens()).accessToken, tokens.accessToken);
  assert.ok(!auth.events.includes("tokenRefresh"));
  // A sign-in whose session cannot be stored fails the same way.
  await assert.rejects(auth.signIn({ username: emu.username, password: emu.password }), (e) => e.code === "StorageError");
  assert.equal(storage.map.get(sessionKey()), stored);
  storage.failWrites = false;
  await auth.signOut();
});

test("transient refresh failures (network, 503, throttling) keep the session and emit tokenRefreshFailure", async () => {
  let mode = null;
  const fetchWrapper = async (url, init) => {
    const target = new Headers(init?.headers).get("x-amz-target") ?? "";
    const body = typeof init?.body === "string" ? init.body : "";
    const isRefresh = target.endsWith(".GetTokensFromRefreshToken") || body.includes("REFRESH_TOKEN_AUTH");
    if (isRefresh && mode === "network") throw new TypeError("fetch failed");
    if (isRefresh && mode === "503") return new Response("<html>Service Unavailable</html>", { status: 503 });
    if (isRefresh && mode === "throttle") {
      return new Response(JSON.stringify({ __type: "TooManyRequestsException", message: "slow down" }), {
        status: 400,
        headers: { "content-type": "application/x-amz-json-1.1", "x-amzn-errortype": "TooManyRequestsException:" },
      });
    }
    return fetch(url, init);
  };
  const storage = mapStorage();
  const auth = client({ storage, fetch: fetchWrapper, retry: false });
  const { tokens } = await auth.signIn({ username: emu.username, password: emu.password });
  const stored = storage.map.get(sessionKey());
  for (const m of ["network", "503", "throttle"]) {
    mode = m;
    auth.events.length = 0;
    const err = await auth.getTokens({ forceRefresh: true }).then(
      () => null,
      (e) => e,
    );
    assert.ok(err, `${m}: the refresh failed`);
    assert.notEqual(err.code, "SessionExpired", m);
    assert.equal(err.transient, true, `${m}: ${err.code} is transient`);
    if (m === "throttle") assert.equal(err.code, "TooManyRequestsException");
    assert.equal(storage.map.get(sessionKey()), stored, `${m}: session kept`);
    assert.deepEqual(auth.events, [`tokenRefreshFailure:${err.code}`], m);
    assert.equal((await auth.getTokens()).accessToken, tokens.accessToken, m);
  }
  mode = null;
  const fresh = await auth.getTokens({ forceRefresh: true });
  assert.notEqual(fresh.accessToken, tokens.accessToken);
  await auth.signOut();
});

for (const how of ["GlobalSignOut", "RevokeToken"]) {
  test(`a refresh token revoked elsewhere (${how}): SessionExpired, sessionExpired event, storage cleared`, async () => {
    const storage = mapStorage();
    const a = client({ storage });
    const { tokens } = await a.signIn({ username: emu.username, password: emu.password });
    if (how === "GlobalSignOut") {
      const b = client({ storage: "memory" });
      await b.signIn({ username: emu.username, password: emu.password });
      await b.signOut({ global: true });
    } else {
      await emu.call("RevokeToken", { Token: tokens.refreshToken, ClientId: emu.clientId });
    }
    await assert.rejects(a.getTokens({ forceRefresh: true }), (e) => e.code === "SessionExpired");
    assert.deepEqual(a.events, ["signedIn", "sessionExpired"]);
    assert.equal(storage.map.has(sessionKey()), false);
    await assert.rejects(a.getTokens(), (e) => e.code === "NotSignedIn");
  });
}

test("autoRefresh: the timer refreshes before expiry; signOut stops it", async () => {
  const auth = client({ storage: "memory", autoRefresh: true, refreshMargin: 3599 });
  // Margin 3599 s of a 3600 s token: due at once (jitter ≤ 10 s), refreshed
  // by the timer without any getTokens() call.
  const refreshed = new Promise((r) => auth.on("tokenRefresh", r));
  const { tokens } = await auth.signIn({ username: emu.username, password: emu.password });
  await refreshed;
  const now = await auth.getTokens();
  assert.notEqual(now.accessToken, tokens.accessToken);
  await auth.signOut();
  const s = await stats();
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(refreshes(s, await stats()), 0, "no refresh after signOut");
});
