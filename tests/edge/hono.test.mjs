// The Hono example (www/worker/src/hono.js) in workerd: the middleware
// adapter protects routes, passes the verified claims to them (context and
// header, the client's spoof removed), answers 401/403 and starts the
// hosted-UI sign-in. hono is a devDependency; the adapter never imports it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startEmulator } from "../helpers/emulator.mjs";
import { exampleSeed, passwordTokens, ROOT, startEdgeWorker } from "./helpers.mjs";

let emu, worker, client, ada, demo;

before(async () => {
  const seed = exampleSeed();
  client = seed.pools[0].clients.find((c) => c.secret);
  emu = await startEmulator({ seed });
  ada = await passwordTokens(emu, { clientId: client.id, secret: client.secret, username: "ada", password: "Ada-Passw0rd!" });
  demo = await passwordTokens(emu, { clientId: client.id, secret: client.secret, username: "demo", password: "Demo-Passw0rd!" });
  worker = await startEdgeWorker({
    entry: join(ROOT, "www/worker/src/hono.js"),
    bindings: {
      USER_POOL_ID: seed.pools[0].id,
      CLIENT_ID: client.id,
      CLIENT_SECRET: client.secret,
      COGNITO_DOMAIN: emu.url,
      COGNITO_ENDPOINT: emu.url,
      COOKIE_SECRET: "hono-test-cookie-secret-0123456789abcdefghijk",
    },
  });
});

after(async () => {
  await worker?.dispose();
  await emu?.stop();
});

test("the adapter does not import hono", () => {
  for (const f of ["pkg/edge/hono.js", "pkg/edge/core.js", "pkg/edge.js", "pkg/edge/workerd.js", "pkg/edge/node.js"]) {
    assert.ok(!/from\s+["']hono/.test(readFileSync(join(ROOT, f), "utf8")), f);
  }
});

test("Hono: Bearer → the route gets the claims (context and header), spoof removed; 401 and 403 as JSON", async () => {
  const r = await worker.fetch("/api/me", { headers: { authorization: `Bearer ${demo.AccessToken}`, "x-cognito-claims": '{"username":"root"}' } });
  assert.equal(r.status, 200);
  const body = await r.json();
  assert.equal(body.claims.username, "demo");
  assert.equal(JSON.parse(body.header).username, "demo");
  const none = await worker.fetch("/api/me", { headers: { "x-cognito-claims": '{"username":"root"}' } });
  assert.equal(none.status, 401);
  const bad = await worker.fetch("/api/me", { headers: { authorization: "Bearer x.y.z" } });
  assert.equal(bad.status, 401);
  assert.equal((await bad.json()).error, "invalid_token");
  assert.equal((await worker.fetch("/api/admin", { headers: { authorization: `Bearer ${demo.AccessToken}` } })).status, 403);
  const admin = await worker.fetch("/api/admin", { headers: { authorization: `Bearer ${ada.AccessToken}` } });
  assert.equal(admin.status, 200);
  assert.deepEqual(await admin.json(), { admin: "ada" });
});

test("Hono: a page without a session redirects to the hosted UI; the public page passes", async () => {
  const r = await worker.fetch("/app", { headers: { accept: "text/html" } });
  assert.equal(r.status, 302);
  assert.ok(r.headers.get("location").startsWith(`${emu.url}/oauth2/authorize?`));
  assert.ok(r.headers.getSetCookie()[0].startsWith("__Host-cognito-tx."));
  const home = await worker.fetch("/", { headers: { accept: "text/html" } });
  assert.equal(home.status, 200);
});
