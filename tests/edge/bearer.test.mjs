// cognito-wasm/edge, API side: Bearer tokens at the example Worker in workerd
// (miniflare) against the emulator: valid → 200 with the claims passed on;
// expired, wrong client, wrong token_use → 401 `invalid_token`; a missing
// group or scope → 403 `insufficient_scope`; a spoofed claims header never
// reaches the API. JWKS: one fetch for concurrent first requests, none in a
// fresh isolate sharing the persistent cache (counted at the emulator), and
// unknown kids do not turn into a flood of fetches nor drop the known keys.
// Expired tokens are the emulator's claims re-signed with its own key (read
// from its data directory), so only `exp` differs.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createSign, generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { startEmulator } from "../helpers/emulator.mjs";
import { bundle, decodeJwtPart, exampleSeed, EXAMPLE, httpStats, passwordTokens, ROOT, startEdgeWorker } from "./helpers.mjs";

let emu, seed, client, other, dir, outDir, worker, emuKey, kid, ada, demo, otherTokens;

const bindings = () => ({
  USER_POOL_ID: seed.pools[0].id,
  CLIENT_ID: client.id,
  CLIENT_SECRET: client.secret,
  COGNITO_DOMAIN: emu.url,
  COGNITO_ENDPOINT: emu.url,
  COOKIE_SECRET: "bearer-test-cookie-secret-0123456789abcdefghij",
});

export function sign(header, claims, key) {
  const h = Buffer.from(JSON.stringify(header)).toString("base64url");
  const p = Buffer.from(JSON.stringify(claims)).toString("base64url");
  const s = createSign("RSA-SHA256").update(`${h}.${p}`).sign(key).toString("base64url");
  return `${h}.${p}.${s}`;
}

before(async () => {
  seed = exampleSeed();
  client = seed.pools[0].clients.find((c) => c.secret);
  other = seed.pools[0].clients.find((c) => !c.secret);
  dir = mkdtempSync(join(ROOT, "tests/.tmp/edge-bearer-"));
  emu = await startEmulator({ seed, dataDir: join(dir, "emu") });
  emuKey = readFileSync(join(dir, "emu", "signing-key.pem"), "utf8");
  kid = (await (await fetch(emu.jwksUri)).json()).keys[0].kid;
  ada = await passwordTokens(emu, { clientId: client.id, secret: client.secret, username: "ada", password: "Ada-Passw0rd!" });
  demo = await passwordTokens(emu, { clientId: client.id, secret: client.secret, username: "demo", password: "Demo-Passw0rd!" });
  otherTokens = await passwordTokens(emu, { clientId: other.id, username: "demo", password: "Demo-Passw0rd!" });
  outDir = join(dir, "bundle");
  await bundle(EXAMPLE, outDir);
  worker = await startEdgeWorker({ outDir, bindings: bindings(), persistDir: join(dir, "persist") });
});

after(async () => {
  await worker?.dispose();
  await emu?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const bearer = (token, extra = {}) => ({ headers: { authorization: `Bearer ${token}`, ...extra } });
const jwks = async () => (await httpStats(emu)).jwks ?? 0;

test("JWKS: 10 concurrent first requests of an isolate make one JWKS fetch", async () => {
  const before = await jwks();
  const rs = await Promise.all(Array.from({ length: 10 }, () => worker.fetch("/api/me", bearer(ada.AccessToken))));
  for (const r of rs) assert.equal(r.status, 200);
  assert.equal((await jwks()) - before, 1);
});

test("Bearer: a valid access token → 200 with its verified claims; a spoofed claims header is replaced", async () => {
  const spoof = JSON.stringify({ username: "root", "cognito:groups": ["admins"] });
  const r = await worker.fetch("/api/me", bearer(demo.AccessToken, { "x-cognito-claims": spoof }));
  assert.equal(r.status, 200);
  const body = await r.json();
  assert.equal(body.claims.username, "demo");
  assert.equal(body.claims.client_id, client.id);
  assert.deepEqual(body.claims["cognito:groups"], ["demo-users"]);
  // A bad token on a public route: passed on with no claims (the spoof stripped).
  const pub = await worker.fetch("/api/public", bearer("not-a-token", { "x-cognito-claims": spoof }));
  assert.equal(pub.status, 200);
  assert.equal((await pub.json()).claims, null);
});

test("Bearer: group and scope rules → 403 insufficient_scope as JSON; the right group → 200", async () => {
  const admin = await worker.fetch("/api/admin", bearer(demo.AccessToken));
  assert.equal(admin.status, 403);
  assert.deepEqual(await admin.json(), { error: "insufficient_scope", error_description: "not in a required group" });
  assert.match(admin.headers.get("www-authenticate"), /^Bearer error="insufficient_scope"/);
  assert.equal((await worker.fetch("/api/admin", bearer(ada.AccessToken))).status, 200);
  // USER_PASSWORD_AUTH access tokens carry only aws.cognito.signin.user.admin.
  assert.equal(decodeJwtPart(ada.AccessToken, 1).scope, "aws.cognito.signin.user.admin");
  const mail = await worker.fetch("/api/mail", bearer(ada.AccessToken));
  assert.equal(mail.status, 403);
  assert.equal((await mail.json()).error_description, "missing a required scope");
  assert.match(mail.headers.get("www-authenticate"), /scope="email"/);
});

test("Bearer: expired, wrong client, wrong token_use, forged → 401 invalid_token with the reason", async () => {
  const claims = decodeJwtPart(demo.AccessToken, 1);
  const now = Math.floor(Date.now() / 1000);
  const cases = [
    ["expired", sign({ alg: "RS256", kid }, { ...claims, iat: now - 7200, exp: now - 3600 }, emuKey), "JwtExpired"],
    ["wrong client", otherTokens.AccessToken, "CognitoJwtInvalidClientId"],
    ["wrong token_use", demo.IdToken, "CognitoJwtInvalidTokenUse"],
    ["forged claims", sign({ alg: "RS256", kid }, { ...claims, username: "ada" }, generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey), "JwtInvalidSignature"],
    ["not a JWT", "abc", null],
  ];
  // Control: the same claims re-signed with the emulator's key do verify.
  assert.equal((await worker.fetch("/api/me", bearer(sign({ alg: "RS256", kid }, claims, emuKey)))).status, 200);
  for (const [name, token, code] of cases) {
    const r = await worker.fetch("/api/me", bearer(token));
    assert.equal(r.status, 401, name);
    assert.match(r.headers.get("www-authenticate"), /^Bearer error="invalid_token"/, name);
    const body = await r.json();
    assert.equal(body.error, "invalid_token", name);
    if (code) assert.equal(body.error_description, code, name);
    assert.ok(!JSON.stringify(body).includes(token.slice(0, 20)), "no token in the body");
  }
});

test("JWKS: a fresh isolate with the persistent cache makes zero JWKS fetches; unknown kids make at most one and keep the keys", async () => {
  const fresh = await startEdgeWorker({ outDir, bindings: bindings(), persistDir: join(dir, "persist") });
  try {
    const before = await jwks();
    const rs = await Promise.all(Array.from({ length: 5 }, () => fresh.fetch("/api/me", bearer(ada.AccessToken))));
    for (const r of rs) assert.equal(r.status, 200);
    assert.equal((await jwks()) - before, 0, "a fresh isolate fetched the JWKS");

    const stranger = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    const claims = decodeJwtPart(ada.AccessToken, 1);
    for (let i = 0; i < 5; i++) {
      const r = await fresh.fetch("/api/me", bearer(sign({ alg: "RS256", kid: `unknown-${i}` }, claims, stranger)));
      assert.equal(r.status, 401);
    }
    assert.ok((await jwks()) - before <= 1, "unknown kids refetched more than once");
    assert.equal((await fresh.fetch("/api/me", bearer(ada.AccessToken))).status, 200, "the known key is kept");
  } finally {
    await fresh.dispose();
  }
  // Without a persistent cache a fresh isolate fetches: the counter can see it.
  const bare = await startEdgeWorker({ outDir, bindings: bindings() });
  try {
    const before = await jwks();
    assert.equal((await bare.fetch("/api/me", bearer(ada.AccessToken))).status, 200);
    assert.equal((await jwks()) - before, 1);
  } finally {
    await bare.dispose();
  }
});
