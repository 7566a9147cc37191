// The optional password sign-in endpoint (POST /auth/sign-in) of the example
// Worker in workerd against the emulator: USER_SRP_AUTH run in the Worker
// (the emulator checks the SRP proof for real), an e-mail OTP step answered
// by a second post, wrong passwords and cross-site posts refused, and the
// session refreshed with REFRESH_TOKEN_AUTH (counted at the emulator).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { startEmulator } from "../helpers/emulator.mjs";
import { bundle, EXAMPLE, exampleSeed, Jar, ROOT, startEdgeWorker } from "./helpers.mjs";

const SESSION = "__Host-cognito-session";
let emu, worker, outDir, seed, client;
const bindings = (extra = {}) => ({
  USER_POOL_ID: seed.pools[0].id,
  CLIENT_ID: client.id,
  CLIENT_SECRET: client.secret,
  COGNITO_DOMAIN: emu.url,
  COGNITO_ENDPOINT: emu.url,
  COOKIE_SECRET: "signin-test-cookie-secret-0123456789abcdefghi",
  ...extra,
});
const ops = async () => (await (await fetch(`${emu.url}/_emulator/stats`)).json()).operations;

before(async () => {
  seed = exampleSeed();
  client = seed.pools[0].clients.find((c) => c.secret);
  emu = await startEmulator({ seed });
  outDir = mkdtempSync(join(ROOT, "tests/.tmp/edge-signin-"));
  await bundle(EXAMPLE, outDir);
  worker = await startEdgeWorker({ outDir, bindings: bindings() });
});
after(async () => {
  await worker?.dispose();
  await emu?.stop();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

const post = (body, headers = {}) =>
  worker.fetch("/auth/sign-in", { method: "POST", headers: { "content-type": "application/json", origin: "http://localhost", ...headers }, body: JSON.stringify(body) });

test("SRP sign-in in the Worker: the session cookie is set and the API sees the user", async () => {
  const before = await ops();
  const r = await post({ username: "demo", password: "Demo-Passw0rd!", returnTo: "/app" });
  assert.equal(r.status, 200);
  assert.deepEqual(await r.json(), { done: true, redirect: "/app" });
  const after = await ops();
  assert.equal((after.InitiateAuth ?? 0) - (before.InitiateAuth ?? 0), 1);
  assert.equal((after.RespondToAuthChallenge ?? 0) - (before.RespondToAuthChallenge ?? 0), 1);
  const jar = new Jar();
  const set = jar.update(r);
  assert.ok(set.some((c) => c.startsWith(SESSION) && /HttpOnly; Secure; SameSite=Lax/.test(c)));
  assert.ok(!set.join().includes("eyJ"));
  const me = await worker.fetch("/api/me", { headers: { cookie: jar.header() } });
  assert.equal(me.status, 200);
  assert.equal((await me.json()).claims.username, "demo");
});

test("a wrong password, a cross-site post, a GET and a bad body are refused without a session", async () => {
  const bad = await post({ username: "demo", password: "wrong-password" });
  assert.equal(bad.status, 401);
  const body = await bad.json();
  assert.equal(body.error, "NotAuthorizedException");
  assert.ok(!JSON.stringify(body).includes("wrong-password"));
  assert.ok(!bad.headers.getSetCookie().some((c) => c.startsWith(SESSION)));
  assert.equal((await post({ username: "demo", password: "Demo-Passw0rd!" }, { origin: "https://evil.example" })).status, 403);
  assert.equal((await worker.fetch("/auth/sign-in")).status, 405);
  const junk = await worker.fetch("/auth/sign-in", { method: "POST", headers: { "content-type": "text/plain" }, body: "x" });
  assert.equal(junk.status, 400);
  const noPending = await post({ code: "123456" });
  assert.equal(noPending.status, 400);
  assert.equal((await noPending.json()).error, "NoSignInPending");
});

test("an e-mail OTP step is answered by a second post; the pending step is a sealed cookie", async () => {
  const jar = new Jar();
  const first = await post({ username: "mia", password: "Mia-Passw0rd!" });
  assert.equal(first.status, 200);
  const step = await first.json();
  assert.equal(step.done, false);
  assert.equal(step.next, "EMAIL_OTP");
  const set = jar.update(first);
  assert.ok(set.some((c) => /^__Host-cognito-signin=v1\./.test(c)));
  assert.ok(!set.some((c) => c.startsWith(SESSION)));
  const code = await emu.latestCode("mia");
  const done = await post({ code }, { cookie: jar.header() });
  assert.equal(done.status, 200, JSON.stringify(await done.clone().json()));
  assert.equal((await done.json()).done, true);
  jar.update(done);
  assert.equal(jar.map.has("__Host-cognito-signin"), false, "the pending step is cleared");
  const me = await worker.fetch("/api/me", { headers: { cookie: jar.header() } });
  assert.equal((await me.json()).claims.username, "mia");
});

test("a password session refreshes with REFRESH_TOKEN_AUTH, once for concurrent requests", async () => {
  // A margin longer than the token lifetime: the session is due at once.
  const due = await startEdgeWorker({ outDir, bindings: bindings({ REFRESH_MARGIN: "7200" }) });
  try {
    const jar = new Jar();
    jar.update(await due.fetch("/auth/sign-in", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "demo", password: "Demo-Passw0rd!" }) }));
    const before = (await ops()).InitiateAuth ?? 0;
    const rs = await Promise.all(Array.from({ length: 10 }, () => due.fetch("/api/me", { headers: { cookie: jar.header() } })));
    for (const r of rs) assert.equal(r.status, 200);
    assert.equal(((await ops()).InitiateAuth ?? 0) - before, 1, "one REFRESH_TOKEN_AUTH");
    assert.ok(rs[0].headers.getSetCookie().some((c) => c.startsWith(SESSION)));
  } finally {
    await due.dispose();
  }
});
