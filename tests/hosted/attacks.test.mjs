// Attacks on the hosted-UI callback, in Chromium: each is refused by
// handleRedirectCallback with its own typed error, and no token is stored.
// The authorization server at https://auth.test is played by Playwright's
// request interception: its token endpoint answers what each case needs
// (tokens minted here with a test RSA key whose JWKS it serves, an HTML page,
// broken JSON), so ID-token forgeries can be made that no real server would
// issue. The flows themselves are proven against real servers in
// emulator-redirect.test.mjs and oidc-provider.test.mjs.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createSign, generateKeyPairSync } from "node:crypto";
import { serve } from "../../scripts/serve.mjs";
import { launchChromium } from "../helpers/chromium.mjs";

const DOMAIN = "https://auth.test";
const POOL = "us-east-1_Attack";
const ISSUER = `${DOMAIN}/${POOL}`;
const CLIENT = "attack-client";
const KID = "test-key-1";
const key = generateKeyPairSync("rsa", { modulusLength: 2048 });
const otherKey = generateKeyPairSync("rsa", { modulusLength: 2048 });
const jwks = { keys: [{ ...key.publicKey.export({ format: "jwk" }), kid: KID, alg: "RS256", use: "sig" }] };

function jwt(claims, { signer = key.privateKey, kid = KID } = {}) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const input = `${b64({ alg: "RS256", kid, typ: "JWT" })}.${b64(claims)}`;
  const sig = createSign("RSA-SHA256").update(input).sign(signer).toString("base64url");
  return `${input}.${sig}`;
}

/** A token with another `alg` and a made-up signature. */
function unsigned(alg, nonce, sig) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${b64({ alg, kid: KID })}.${b64(idClaims(nonce))}.${sig}`;
}

const now = () => Math.floor(Date.now() / 1000);
function idClaims(nonce, change = {}) {
  return { sub: "sub-1", "cognito:username": "alice", aud: CLIENT, iss: ISSUER, token_use: "id", iat: now(), exp: now() + 3600, nonce, ...change };
}
function tokenBody(idToken) {
  const access = jwt({ sub: "sub-1", username: "alice", client_id: CLIENT, iss: ISSUER, token_use: "access", iat: now(), exp: now() + 3600 });
  return JSON.stringify({ access_token: access, id_token: idToken, refresh_token: "refresh-1", token_type: "Bearer", expires_in: 3600 });
}

let server, browser, redirect;
let answer; // (nonce) → { contentType, body } for the next token request
let tokenRequests = 0;

before(async () => {
  server = await serve({ port: 0 });
  redirect = `${server.url}hosted.html`;
  browser = await launchChromium();
  await browser.context.route(`${DOMAIN}/**`, async (route) => {
    const url = new URL(route.request().url());
    const headers = { "access-control-allow-origin": "*" };
    if (url.pathname === `/${POOL}/.well-known/jwks.json`) {
      return route.fulfill({ status: 200, headers, contentType: "application/json", body: JSON.stringify(jwks) });
    }
    if (url.pathname === "/oauth2/token") {
      tokenRequests++;
      const verifier = new URLSearchParams(route.request().postData()).get("code_verifier");
      const { contentType, body } = answer(verifier);
      return route.fulfill({ status: 200, headers, contentType, body });
    }
    return route.fulfill({ status: 200, headers, body: "" });
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** A blank page of the app's origin with a CognitoAuth on `window.auth`. */
async function appPage() {
  const page = await browser.newPage();
  await page.goto(`${server.url}index.html`);
  await page.evaluate(async ({ POOL, CLIENT, DOMAIN, redirect }) => {
    const { init, CognitoAuth } = await import("/pkg/index.js");
    await init();
    window.auth = new CognitoAuth({
      userPoolId: POOL, clientId: CLIENT, endpoint: DOMAIN, syncTabs: false,
      hostedUi: { domain: DOMAIN, redirectUri: redirect, scopes: ["openid"] },
    });
  }, { POOL, CLIENT, DOMAIN, redirect });
  return page;
}

/** Starts a sign-in without navigating; returns its state and nonce. */
async function start(page) {
  const url = new URL(await page.evaluate(() => window.auth.signInWithRedirect({ navigate: false })));
  return { state: url.searchParams.get("state"), nonce: url.searchParams.get("nonce") };
}

/** handleRedirectCallback(url) → "ok" or the error's code; plus the storage after it. */
async function callback(page, url) {
  const outcome = await page.evaluate(
    (u) => window.auth.handleRedirectCallback(u).then(() => "ok", (e) => `${e.name}:${e.code}`),
    url,
  );
  const stored = await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith("cognito-wasm.")));
  return { outcome, stored };
}

const session = `cognito-wasm.${CLIENT}.session`;
const txKey = (state) => `cognito-wasm.${CLIENT}.oauth.${state}`;

test("a genuine callback signs in (the control case), and replaying it is OAuthUnknownState", async () => {
  const page = await appPage();
  const { state, nonce } = await start(page);
  answer = () => ({ contentType: "application/json", body: tokenBody(jwt(idClaims(nonce))) });
  const url = `${redirect}?code=c1&state=${state}`;
  const before = tokenRequests;
  const ok = await callback(page, url);
  assert.equal(ok.outcome, "ok");
  assert.deepEqual(ok.stored, [session]);
  assert.equal(tokenRequests, before + 1);

  await page.evaluate(() => window.auth.signOut());
  const replay = await callback(page, url);
  assert.equal(replay.outcome, "CognitoError:OAuthUnknownState");
  assert.deepEqual(replay.stored, []);
  assert.equal(tokenRequests, before + 1, "no second exchange");
  await page.close();
});

test("a forged state (while a sign-in is pending) is OAuthStateMismatch; the pending one still works", async () => {
  const page = await appPage();
  const { state, nonce } = await start(page);
  const before = tokenRequests;
  const forged = await callback(page, `${redirect}?code=attacker-code&state=forged-state`);
  assert.equal(forged.outcome, "CognitoError:OAuthStateMismatch");
  assert.ok(!forged.stored.includes(session));
  assert.ok(forged.stored.includes(txKey(state)), "the genuine transaction is kept");
  assert.equal(tokenRequests, before, "the attacker's code is never exchanged");
  answer = () => ({ contentType: "application/json", body: tokenBody(jwt(idClaims(nonce))) });
  assert.equal((await callback(page, `${redirect}?code=c2&state=${state}`)).outcome, "ok");
  await page.close();
});

test("the state of another tab's transaction is OAuthUnknownState in this tab", async () => {
  const other = await appPage();
  const { state } = await start(other);
  const page = await appPage();
  const before = tokenRequests;
  const r = await callback(page, `${redirect}?code=c3&state=${state}`);
  assert.equal(r.outcome, "CognitoError:OAuthUnknownState");
  assert.deepEqual(r.stored, []);
  assert.equal(tokenRequests, before);
  await page.close();
  await other.close();
});

test("an error callback is OAuthCallbackError and uses up the transaction", async () => {
  const page = await appPage();
  const { state } = await start(page);
  const r = await callback(page, `${redirect}?error=access_denied&error_description=User+cancelled&state=${state}`);
  assert.equal(r.outcome, "CognitoError:OAuthCallbackError");
  assert.deepEqual(r.stored, [], "no token, no transaction");
  const message = await page.evaluate(
    (u) => window.auth.handleRedirectCallback(u).catch((e) => e.message),
    `${redirect}?error=access_denied&state=${state}`,
  );
  assert.match(message, /no pending sign-in/);
  await page.close();
});

test("forged ID tokens: wrong nonce, audience, issuer, token_use, expired, future iat, bad signature, unknown key", async () => {
  const page = await appPage();
  const cases = [
    ["wrong nonce", (n) => jwt(idClaims("another-nonce")), "JwtInvalidNonce"],
    ["no nonce", (n) => jwt(idClaims(undefined)), "JwtInvalidNonce"],
    ["wrong audience", (n) => jwt(idClaims(n, { aud: "another-client" })), "CognitoJwtInvalidClientId"],
    ["wrong issuer", (n) => jwt(idClaims(n, { iss: "https://evil.test/us-east-1_Attack" })), "JwtInvalidIssuer"],
    ["access token as ID token", (n) => jwt(idClaims(n, { token_use: "access" })), "CognitoJwtInvalidTokenUse"],
    ["expired", (n) => jwt(idClaims(n, { iat: now() - 7200, exp: now() - 3600 })), "JwtExpired"],
    ["issued in the future", (n) => jwt(idClaims(n, { iat: now() + 3600 })), "JwtIssuedInFuture"],
    ["signed with another key", (n) => jwt(idClaims(n), { signer: otherKey.privateKey }), "JwtInvalidSignature"],
    ["unknown kid", (n) => jwt(idClaims(n), { kid: "not-in-jwks" }), "KidNotFoundInJwks"],
    ["alg none, no signature", (n) => unsigned("none", n, ""), "JwtParse"],
    ["alg none", (n) => unsigned("none", n, "c2ln"), "JwtInvalidSignatureAlgorithm"],
    ["HS256 (key confusion)", (n) => unsigned("HS256", n, "c2ln"), "JwtInvalidSignatureAlgorithm"],
  ];
  for (const [name, mint, code] of cases) {
    const { state, nonce } = await start(page);
    answer = () => ({ contentType: "application/json", body: tokenBody(mint(nonce)) });
    const r = await callback(page, `${redirect}?code=c&state=${state}`);
    assert.equal(r.outcome, `CognitoError:${code}`, name);
    assert.deepEqual(r.stored, [], `${name}: no token stored, transaction used up`);
  }
  await page.close();
});

test("a token endpoint answering HTML or broken JSON is OAuthInvalidResponse", async () => {
  const page = await appPage();
  const cases = [
    ["HTML", "text/html", "<!doctype html><title>Sign in</title><form>…</form>", /HTML page/],
    ["invalid JSON", "application/json", '{"access_token": "a", "token_type": "Bearer", ', /JSON/],
    ["JSON without an ID token", "application/json", '{"access_token":"a","token_type":"Bearer"}', /id_token is missing/],
    ["JSON with a wrong token type", "application/json", '{"access_token":"a","token_type":"mac","id_token":"x"}', /Bearer/],
  ];
  for (const [name, contentType, body, why] of cases) {
    const { state } = await start(page);
    answer = () => ({ contentType, body });
    const r = await page.evaluate(
      (u) => window.auth.handleRedirectCallback(u).then(() => ["ok"], (e) => [e.code, e.message]),
      `${redirect}?code=c&state=${state}`,
    );
    assert.equal(r[0], "OAuthInvalidResponse", name);
    assert.match(r[1], why, name);
    const stored = await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith("cognito-wasm.")));
    assert.deepEqual(stored, [], name);
  }
  await page.close();
});
