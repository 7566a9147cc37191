// The hosted UI in a real browser: oauth4webapi (an independent OAuth/OIDC
// client) drives authorization code + PKCE against the emulator, Chromium
// (playwright-core) follows the real redirects and fills the login page,
// then refresh, userInfo, revoke and logout.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import * as oauth from "oauth4webapi";
import * as OTPAuth from "otpauth";
import { startEmulator, defaultSeedPath } from "../helpers/emulator.mjs";

const CHROMIUM_ARGS = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
];
const insecure = { [oauth.allowInsecureRequests]: true };
const TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

let emu, cb, cbUrl, browser, profile, as;
before(async () => {
  cb = createServer((req, res) => res.end("<!doctype html><title>callback</title>back in the app"));
  await new Promise((r) => cb.listen(0, "127.0.0.1", r));
  cbUrl = `http://127.0.0.1:${cb.address().port}/callback`;
  const seed = JSON.parse(readFileSync(defaultSeedPath, "utf8"));
  const spa = seed.pools[0].clients.find((c) => c.id === "demo-spa-client");
  spa.callbackUrls.push(cbUrl);
  spa.logoutUrls.push(cbUrl);
  seed.pools[0].users.push({
    username: "mfa-user", password: "Mfa-Passw0rd!", totpSecret: TOTP_SECRET,
    attributes: { email: "mfa@example.com", email_verified: "true" },
  });
  emu = await startEmulator({ seed });
  profile = mkdtempSync(join(tmpdir(), "emu-chromium-"));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium", headless: true, args: CHROMIUM_ARGS,
  });
  const resp = await oauth.discoveryRequest(new URL(emu.issuer), { algorithm: "oidc", ...insecure });
  as = await oauth.processDiscoveryResponse(new URL(emu.issuer), resp);
});
after(async () => {
  await browser?.close();
  await emu?.stop();
  cb?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

const client = { client_id: "demo-spa-client" };
const auth = oauth.None();

async function authorizationUrl(extra = {}) {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const url = new URL(as.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: client.client_id, redirect_uri: cbUrl, response_type: "code", scope: "openid email profile",
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: "S256",
    state, nonce, ...extra,
  });
  return { url, verifier, state, nonce };
}

async function exchange(page, { verifier, state, nonce }) {
  const params = oauth.validateAuthResponse(as, client, new URL(page.url()), state);
  const resp = await oauth.authorizationCodeGrantRequest(as, client, auth, params, cbUrl, verifier, insecure);
  return { tokens: await oauth.processAuthorizationCodeResponse(as, client, resp, { expectedNonce: nonce, requireIdToken: true }), params };
}

test("code + PKCE in Chromium, then single-use code, refresh, userInfo, revoke, SSO and logout", async () => {
  const page = await browser.newPage();
  const req = await authorizationUrl();
  await page.goto(req.url.href);
  assert.match(page.url(), /\/login\?tx=/);
  await page.fill("#username", "demo");
  await page.fill("#password", "Wrong-Passw0rd!");
  await page.click("button[type=submit]");
  assert.equal(await page.textContent("#error"), "Incorrect username or password.");
  await page.fill("#password", "Demo-Passw0rd!");
  await Promise.all([page.waitForURL((u) => u.href.startsWith(cbUrl)), page.click("button[type=submit]")]);
  const { tokens, params } = await exchange(page, req);
  assert.equal(tokens.token_type.toLowerCase(), "bearer");
  const claims = oauth.getValidatedIdTokenClaims(tokens);
  assert.equal(claims["cognito:username"], "demo");
  assert.equal(claims.iss, emu.issuer);
  assert.equal(claims.nonce, req.nonce);

  // The code is single-use.
  const again = await oauth.authorizationCodeGrantRequest(as, client, auth, params, cbUrl, req.verifier, insecure);
  await assert.rejects(oauth.processAuthorizationCodeResponse(as, client, again), (e) => e.error === "invalid_grant");

  const ui = await oauth.processUserInfoResponse(as, client, claims.sub, await oauth.userInfoRequest(as, client, tokens.access_token, insecure));
  assert.equal(ui.email, "demo@example.com");
  assert.equal(ui.username, "demo");

  const refreshed = await oauth.processRefreshTokenResponse(as, client,
    await oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token, insecure));
  assert.ok(refreshed.access_token && refreshed.access_token !== tokens.access_token);

  // Still signed in at the hosted UI: authorize redirects straight back.
  const sso = await authorizationUrl();
  await page.goto(sso.url.href);
  assert.ok(page.url().startsWith(cbUrl), page.url());
  await exchange(page, sso);

  await oauth.processRevocationResponse(await oauth.revocationRequest(as, client, auth, tokens.refresh_token, insecure));
  await assert.rejects(
    oauth.processRefreshTokenResponse(as, client, await oauth.refreshTokenGrantRequest(as, client, auth, tokens.refresh_token, insecure)),
    (e) => e.error === "invalid_grant",
  );
  const revokedUi = await oauth.userInfoRequest(as, client, tokens.access_token, insecure);
  assert.equal(revokedUi.status, 401);

  await page.goto(`${emu.url}/logout?${new URLSearchParams({ client_id: client.client_id, logout_uri: cbUrl })}`);
  assert.equal(page.url(), cbUrl);
  const after = await authorizationUrl();
  await page.goto(after.url.href);
  assert.match(page.url(), /\/login\?tx=/);
  await page.close();
});

test("the MFA step of the login page takes a TOTP code", async () => {
  const page = await browser.newPage();
  const req = await authorizationUrl({ prompt: "login" });
  await page.goto(req.url.href);
  await page.fill("#username", "mfa-user");
  await page.fill("#password", "Mfa-Passw0rd!");
  await page.click("button[type=submit]");
  await page.fill("#code", "000000" === new OTPAuth.TOTP({ secret: TOTP_SECRET }).generate() ? "111111" : "000000");
  await page.click("button[type=submit]");
  assert.match(await page.textContent("#error"), /Invalid code/);
  await page.fill("#code", new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(TOTP_SECRET) }).generate());
  await Promise.all([page.waitForURL((u) => u.href.startsWith(cbUrl)), page.click("button[type=submit]")]);
  const { tokens } = await exchange(page, req);
  assert.equal(oauth.getValidatedIdTokenClaims(tokens)["cognito:username"], "mfa-user");
  await page.close();
});

test("authorize refuses unregistered callbacks, missing PKCE and bad scopes", async () => {
  const base = { client_id: client.client_id, response_type: "code", scope: "openid" };
  const bad = await fetch(`${emu.url}/oauth2/authorize?${new URLSearchParams({ ...base, redirect_uri: "http://127.0.0.1:1/evil" })}`, { redirect: "manual" });
  assert.equal(bad.status, 400);
  const noPkce = await fetch(`${emu.url}/oauth2/authorize?${new URLSearchParams({ ...base, redirect_uri: cbUrl, state: "s1" })}`, { redirect: "manual" });
  assert.equal(noPkce.status, 302);
  const loc = new URL(noPkce.headers.get("location"));
  assert.equal(loc.searchParams.get("error"), "invalid_request");
  assert.equal(loc.searchParams.get("state"), "s1");
  const { url } = await authorizationUrl({ scope: "openid admin:everything" });
  const badScope = await fetch(url, { redirect: "manual" });
  assert.equal(new URL(badScope.headers.get("location")).searchParams.get("error"), "invalid_scope");
});

test("client_credentials for the confidential client via HTTP Basic", async () => {
  const c = { client_id: emu.confidentialClientId };
  const resp = await oauth.clientCredentialsGrantRequest(as, c, oauth.ClientSecretBasic(emu.clientSecret), new URLSearchParams({ scope: "email" }), insecure);
  const t = await oauth.processClientCredentialsResponse(as, c, resp);
  const p = JSON.parse(Buffer.from(t.access_token.split(".")[1], "base64url"));
  assert.equal(p.client_id, emu.confidentialClientId);
  assert.equal(p.scope, "email");
  const wrong = await oauth.clientCredentialsGrantRequest(as, c, oauth.ClientSecretBasic("nope"), new URLSearchParams(), insecure);
  // RFC 6749 §5.2: a failed Basic authentication is a 401 with a challenge.
  const err = await oauth.processClientCredentialsResponse(as, c, wrong).then(() => null, (e) => e);
  assert.equal(err?.status, 401);
  assert.equal((await err.response.json()).error, "invalid_client");
});
