// cognito-wasm/edge, browser side: the example Worker (www/worker) in workerd
// (miniflare) against the emulator, driven by fetches as a browser would:
// hosted-UI redirect with PKCE/state/nonce, the emulator's login form, the
// callback setting one encrypted HttpOnly cookie, refused cookies, one
// refresh for 20 concurrent requests (counted at the emulator), sign-out
// revoking the refresh token, forged state and replayed callback refused,
// a failing token endpoint (fault mode) keeping the session.
// The emulator runs its clock 3590 s behind: its 1-hour tokens expire 10 s
// after they are issued, as the Worker's clock sees them.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { startEmulator } from "../helpers/emulator.mjs";
import { open, seal } from "../../pkg/edge/crypto.js";
import { bundle, completeLogin, decodeJwtPart, exampleSeed, httpStats, Jar, ROOT, startEdgeWorker, EXAMPLE } from "./helpers.mjs";

const COOKIE_SECRET = "test-cookie-secret-0123456789-abcdefghijklmnop";
const OTHER_SECRET = "another-secret-nobody-configured-0123456789abc";
const SESSION = "__Host-cognito-session";
let emu, worker, outDir, seed, client;

const bindings = (extra = {}) => ({
  USER_POOL_ID: seed.pools[0].id,
  CLIENT_ID: client.id,
  CLIENT_SECRET: client.secret,
  COGNITO_DOMAIN: emu.url,
  COGNITO_ENDPOINT: emu.url,
  COOKIE_SECRET,
  REFRESH_MARGIN: "0",
  ...extra,
});

before(async () => {
  seed = exampleSeed();
  // A user whose ID token is large: the session needs more than one cookie.
  seed.pools[0].users.push({
    username: "wide",
    password: "Wide-Passw0rd!",
    attributes: { email: "wide@example.com", email_verified: "true", name: "W".repeat(2000), address: "A".repeat(2000), profile: "P".repeat(1500) },
  });
  client = seed.pools[0].clients.find((c) => c.secret);
  emu = await startEmulator({ seed, args: ["--clock-offset", "-3590"] });
  outDir = mkdtempSync(join(ROOT, "tests/.tmp/edge-session-"));
  await bundle(EXAMPLE, outDir);
  worker = await startEdgeWorker({ outDir, bindings: bindings() });
});

after(async () => {
  await worker?.dispose();
  await emu?.stop();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

const html = { accept: "text/html,application/xhtml+xml" };
const sessionValue = (jar) => {
  const first = jar.map.get(SESSION);
  const n = Number(first.split(".")[0]);
  let v = first.slice(first.indexOf(".") + 1);
  for (let i = 1; i < n; i++) v += jar.map.get(`${SESSION}.${i}`);
  return v;
};
const openSession = (jar) => open([COOKIE_SECRET], SESSION, sessionValue(jar));
const waitUntilExpired = async (jar) => {
  const s = await openSession(jar);
  const ms = s.exp - Date.now() + 300;
  if (ms > 0) await new Promise((r) => setTimeout(r, ms));
};

let jar; // the signed-in browser
let firstCallback; // the callback URL, for the replay

test("a protected page redirects to the hosted UI with PKCE (S256), state and nonce; an API call gets 401 JSON", async () => {
  const r = await worker.fetch("/app?tab=2", { headers: html });
  assert.equal(r.status, 302);
  const to = new URL(r.headers.get("location"));
  assert.equal(to.origin + to.pathname, `${emu.url}/oauth2/authorize`);
  assert.equal(to.searchParams.get("client_id"), client.id);
  assert.equal(to.searchParams.get("redirect_uri"), "http://localhost/auth/callback");
  assert.equal(to.searchParams.get("code_challenge_method"), "S256");
  assert.match(to.searchParams.get("code_challenge"), /^[A-Za-z0-9_-]{43}$/);
  assert.ok(to.searchParams.get("state")?.length >= 16);
  assert.ok(to.searchParams.get("nonce")?.length >= 16);
  const [tx] = r.headers.getSetCookie();
  assert.match(tx, /^__Host-cognito-tx\.[A-Za-z0-9_-]+=v1\./);
  assert.match(tx, /; Path=\/; HttpOnly; Secure; SameSite=Lax; Max-Age=600$/);
  assert.ok(!tx.includes(to.searchParams.get("code_challenge")) && !tx.includes(to.searchParams.get("state")));

  const api = await worker.fetch("/api/me", { headers: { accept: "application/json" } });
  assert.equal(api.status, 401);
  assert.equal(api.headers.get("content-type"), "application/json");
  assert.equal((await api.json()).error, "unauthorized");
  assert.match(api.headers.get("www-authenticate"), /^Bearer/);
});

test("the login completes by fetch; a forged state is refused; the callback sets one encrypted HttpOnly __Host- cookie and lands on the page", async () => {
  jar = new Jar();
  const start = await worker.fetch("/app?tab=2", { headers: html });
  jar.update(start);
  const callback = await completeLogin(emu, start.headers.get("location"), "demo", "Demo-Passw0rd!");
  assert.ok(callback.startsWith("http://localhost/auth/callback?"), callback);

  const grants = (await httpStats(emu))["oauth2/token:authorization_code"] ?? 0;
  const forged = callback.replace(/state=[^&]+/, "state=forged-state-0123456789abcdef");
  const f = await worker.fetch(forged, { headers: { ...html, cookie: jar.header() } });
  assert.equal(f.status, 400);
  assert.ok(!f.headers.getSetCookie().some((c) => c.startsWith(SESSION)));
  assert.equal((await httpStats(emu))["oauth2/token:authorization_code"] ?? 0, grants, "a forged state never reaches the token endpoint");

  const txCookie = jar.header();
  const r = await worker.fetch(callback, { headers: { ...html, cookie: txCookie } });
  assert.equal(r.status, 302, await r.clone().text());
  assert.equal(r.headers.get("location"), "http://localhost/app?tab=2");
  const set = jar.update(r);
  assert.ok(set.some((c) => /^__Host-cognito-tx\.[^=]+=; .*Max-Age=0/.test(c)), "the transaction cookie is cleared");
  const sessionCookies = set.filter((c) => c.startsWith(SESSION));
  assert.ok(sessionCookies.length >= 1);
  for (const c of sessionCookies) {
    assert.match(c, /; Path=\/; HttpOnly; Secure; SameSite=Lax; Max-Age=\d+$/);
    assert.ok(!/Domain=/i.test(c));
    const value = c.split(";")[0].split("=").slice(1).join("=");
    // No token, claim or username readable: not in the value, nor in its base64 decoding.
    for (const text of [value, Buffer.from(value.replace(/^\d\.v1\.|^v1\./, ""), "base64url").toString("latin1")]) {
      assert.ok(!/eyJ|demo|example\.com/.test(text), "token material readable in the cookie");
    }
  }
  assert.equal(await open([OTHER_SECRET], SESSION, sessionValue(jar)), null);
  firstCallback = { url: callback, cookie: txCookie };

  const page = await worker.fetch("/app?tab=2", { headers: { ...html, cookie: jar.header() } });
  assert.equal(page.status, 200);
  assert.match(await page.text(), /Signed in as demo/);
});

test("a replayed callback is refused (with the old transaction cookie too) and changes nothing", async () => {
  const grants = (await httpStats(emu))["oauth2/token:authorization_code"] ?? 0;
  const again = await worker.fetch(firstCallback.url, { headers: { ...html, cookie: firstCallback.cookie } });
  assert.equal(again.status, 400);
  assert.ok(!again.headers.getSetCookie().some((c) => c.startsWith(SESSION)));
  assert.equal((await httpStats(emu))["oauth2/token:authorization_code"] ?? 0, grants);
  // Without the transaction cookie (another browser): refused too.
  const other = await worker.fetch(firstCallback.url, { headers: html });
  assert.equal(other.status, 400);
  // The session is untouched.
  assert.equal((await worker.fetch("/api/me", { headers: { cookie: jar.header() } })).status, 200);
  // Another isolate has not seen the state: the code is single-use at Cognito.
  const other2 = await startEdgeWorker({ outDir, bindings: bindings() });
  try {
    const r = await other2.fetch(firstCallback.url, { headers: { ...html, cookie: firstCallback.cookie } });
    assert.equal(r.status, 400);
    assert.match(await r.text(), /Sign-in failed \(OAuthEndpointError\)/);
    assert.ok(!r.headers.getSetCookie().some((c) => c.startsWith(SESSION)));
    assert.equal((await httpStats(emu))["oauth2/token:authorization_code"] ?? 0, grants + 1, "refused by the token endpoint");
  } finally {
    await other2.dispose();
  }
});

test("the API behind receives the verified claims, never the session cookie; a spoofed claims header never reaches it", async () => {
  const spoof = JSON.stringify({ username: "admin", "cognito:groups": ["admins"] });
  const r = await worker.fetch("/api/me", { headers: { cookie: `${jar.header()}; theme=dark`, "x-cognito-claims": spoof } });
  assert.equal(r.status, 200);
  const body = await r.json();
  assert.equal(body.claims.username, "demo");
  assert.equal(body.claims.token_use, "access");
  assert.deepEqual(body.claims["cognito:groups"], ["demo-users"]);
  assert.equal(body.cookie, "theme=dark", "only the app's own cookies pass");
  // Signed out, on a public route: the spoofed header is stripped, not passed.
  const pub = await worker.fetch("/api/public", { headers: { "x-cognito-claims": spoof } });
  assert.equal(pub.status, 200);
  assert.equal((await pub.json()).claims, null);
  // Rules: the admins group (403), the email scope (the hosted UI granted it).
  const admin = await worker.fetch("/api/admin", { headers: { cookie: jar.header() } });
  assert.equal(admin.status, 403);
  assert.equal((await admin.json()).error, "forbidden");
  assert.equal((await worker.fetch("/api/mail", { headers: { cookie: jar.header() } })).status, 200);
  // A cross-site write with the cookie is refused.
  const csrf = await worker.fetch("/api/me", { method: "POST", headers: { cookie: jar.header(), origin: "https://evil.example" } });
  assert.equal(csrf.status, 403);
});

test("a tampered, truncated or foreign-key cookie is refused (sign-in again, cookie cleared) and the good one still works", async () => {
  const good = sessionValue(jar);
  const mid = Math.floor(good.length / 2);
  const flip = good.slice(0, mid) + (good[mid] === "A" ? "B" : "A") + good.slice(mid + 1);
  const foreign = await seal([OTHER_SECRET], SESSION, await openSession(jar), Date.now() + 3600_000);
  const cases = {
    tampered: `1.${flip}`,
    truncated: `1.${good.slice(0, good.length - 20)}`,
    "foreign key": `1.${foreign}`,
    "bad chunk count": `7.${good}`,
    garbage: "1.v1.%%%",
  };
  for (const [name, value] of Object.entries(cases)) {
    const page = await worker.fetch("/app", { headers: { ...html, cookie: `${SESSION}=${value}` } });
    assert.equal(page.status, 302, name);
    assert.ok(page.headers.get("location").startsWith(`${emu.url}/oauth2/authorize`), name);
    assert.ok(page.headers.getSetCookie().some((c) => c.startsWith(`${SESSION}=; `) && c.includes("Max-Age=0")), `${name}: cleared`);
    const api = await worker.fetch("/api/me", { headers: { cookie: `${SESSION}=${value}` } });
    assert.equal(api.status, 401, name);
  }
  assert.equal((await worker.fetch("/api/me", { headers: { cookie: jar.header() } })).status, 200);
});

test("a session past ~4 KB is split into cookies under the browser's limit; a missing chunk reads as no session", async () => {
  const wide = new Jar();
  const start = await worker.fetch("/app", { headers: html });
  wide.update(start);
  const callback = await completeLogin(emu, start.headers.get("location"), "wide", "Wide-Passw0rd!");
  const r = await worker.fetch(callback, { headers: { ...html, cookie: wide.header() } });
  assert.equal(r.status, 302);
  const set = wide.update(r).filter((c) => c.startsWith(SESSION));
  assert.ok(set.length >= 2, `${set.length} session cookie(s)`);
  for (const c of set) assert.ok(Buffer.byteLength(c) < 4000, `a Set-Cookie of ${Buffer.byteLength(c)} bytes`);
  const ok = await worker.fetch("/api/me", { headers: { cookie: wide.header() } });
  assert.equal(ok.status, 200);
  assert.equal((await ok.json()).claims.username, "wide");
  const missing = wide.clone();
  missing.map.delete(`${SESSION}.1`);
  assert.equal((await worker.fetch("/api/me", { headers: { cookie: missing.header() } })).status, 401);
});

test("cookie secret rotation: the old secret still opens cookies while listed, not after", async () => {
  const NEW = "rotated-cookie-secret-abcdefghijklmnopqrstuvwxyz0";
  const rotated = await startEdgeWorker({ outDir, bindings: bindings({ COOKIE_SECRET: NEW, COOKIE_SECRET_OLD: COOKIE_SECRET }) });
  try {
    const r = await rotated.fetch("/api/me", { headers: { cookie: jar.header() } });
    assert.equal(r.status, 200);
    assert.equal((await r.json()).claims.username, "demo");
  } finally {
    await rotated.dispose();
  }
  const dropped = await startEdgeWorker({ outDir, bindings: bindings({ COOKIE_SECRET: NEW }) });
  try {
    assert.equal((await dropped.fetch("/api/me", { headers: { cookie: jar.header() } })).status, 401);
  } finally {
    await dropped.dispose();
  }
});

test("an expired access token is refreshed once for 20 concurrent requests (counted at the emulator)", async () => {
  await waitUntilExpired(jar);
  const before = await openSession(jar);
  const refreshes = (await httpStats(emu))["oauth2/token:refresh_token"] ?? 0;
  const rs = await Promise.all(Array.from({ length: 20 }, () => worker.fetch("/api/me", { headers: { cookie: jar.header() } })));
  const after = (await httpStats(emu))["oauth2/token:refresh_token"] ?? 0;
  assert.equal(after - refreshes, 1, "one refresh at the emulator");
  const jtis = new Set();
  for (const r of rs) {
    assert.equal(r.status, 200);
    jtis.add((await r.json()).claims.jti);
    assert.ok(r.headers.getSetCookie().some((c) => c.startsWith(SESSION)), "the new session is set");
  }
  assert.equal(jtis.size, 1);
  assert.ok(!jtis.has(decodeJwtPart(before.at, 1).jti), "the claims are the new token's");
  jar.update(rs[0]);
  const now = await openSession(jar);
  assert.equal(now.sid, before.sid);
  assert.ok(now.exp > Date.now());
});

test("a gateway page (502) from the token endpoint during a refresh keeps the session (503, try again), in fault mode", async () => {
  await waitUntilExpired(jar);
  const before = await openSession(jar);
  await emu.fault({ path: "/oauth2/token", fault: "html", status: 502 });
  try {
    const r = await worker.fetch("/api/me", { headers: { cookie: jar.header() } });
    assert.equal(r.status, 503, await r.text());
    assert.ok(!r.headers.getSetCookie().some((c) => c.startsWith(SESSION)), "the session cookie is neither cleared nor replaced");
    assert.equal((await emu.faults())[0].hits, 1, "the refresh reached the token endpoint");
  } finally {
    await emu.clearFaults();
  }
  // The token endpoint is back; once the failed attempt is forgotten (it is
  // shared for 10 s by requests carrying the same cookie), the same session refreshes.
  await new Promise((r) => setTimeout(r, 10_500));
  const r = await worker.fetch("/api/me", { headers: { cookie: jar.header() } });
  assert.equal(r.status, 200);
  jar.update(r);
  assert.equal((await openSession(jar)).sid, before.sid);
});

test("sign-out revokes the refresh token (refused at the emulator), clears the cookies and ends at Cognito's /logout", async () => {
  const s = await openSession(jar);
  const oldJar = jar.clone();
  const revokes = (await httpStats(emu))["oauth2/revoke"] ?? 0;
  const r = await worker.fetch("/auth/sign-out", { method: "POST", headers: { cookie: jar.header() } });
  assert.equal(r.status, 302);
  const to = new URL(r.headers.get("location"));
  assert.equal(to.origin + to.pathname, `${emu.url}/logout`);
  assert.equal(to.searchParams.get("client_id"), client.id);
  assert.equal(to.searchParams.get("logout_uri"), "http://localhost/");
  jar.update(r);
  assert.equal(jar.map.has(SESSION), false);
  assert.equal((await httpStats(emu))["oauth2/revoke"] ?? 0, revokes + 1);
  const token = await fetch(`${emu.url}/oauth2/token`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: "Basic " + Buffer.from(`${client.id}:${client.secret}`).toString("base64"),
    },
    body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: s.rt }),
  });
  assert.equal(token.status, 400);
  assert.equal((await token.json()).error, "invalid_grant");
  // Signed out: the page asks to sign in again.
  assert.equal((await worker.fetch("/app", { headers: { ...html, cookie: jar.header() } })).status, 302);
  // A copy of the old cookie works only until its access token expires: then
  // the refresh is refused and the cookie cleared.
  await waitUntilExpired(oldJar);
  const stale = await worker.fetch("/api/me", { headers: { cookie: oldJar.header() } });
  assert.equal(stale.status, 401);
  assert.ok(stale.headers.getSetCookie().some((c) => c.startsWith(`${SESSION}=; `)));
});
