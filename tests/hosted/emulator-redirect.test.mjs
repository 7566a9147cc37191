// CognitoAuth's hosted-UI sign-in in Chromium with real redirects: the demo
// page (www/hosted.html) calls signInWithRedirect, the emulator's hosted UI
// (login form filled as a user would) sends the browser back, and the page's
// handleRedirectCallback finishes the sign-in. Then: clean URL, tokens in
// sessionStorage and no transaction, reload, refresh at /oauth2/token,
// userInfo, and sign-out through /oauth2/revoke and Cognito's /logout.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { serve } from "../../scripts/serve.mjs";
import { launchChromium } from "../helpers/chromium.mjs";
import { startEmulator, defaultSeedPath } from "../helpers/emulator.mjs";

let server, emu, browser, pageUrl;

before(async () => {
  server = await serve({ port: 0 });
  pageUrl = `${server.url}hosted.html`;
  const seed = JSON.parse(readFileSync(defaultSeedPath, "utf8"));
  const spa = seed.pools[0].clients.find((c) => c.id === "demo-spa-client");
  spa.callbackUrls.push(pageUrl);
  spa.logoutUrls.push(pageUrl);
  emu = await startEmulator({ seed });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await emu?.stop();
  await server?.close();
});

const config = () => ({
  userPoolId: emu.poolId,
  clientId: emu.clientId,
  endpoint: emu.url,
  hostedUi: { domain: emu.url, scopes: ["openid", "email", "profile"] },
});

/** The page's sessionStorage as an object. */
const storage = (page) => page.evaluate(() => Object.fromEntries(Object.entries(sessionStorage)));
const ready = (page) => page.waitForSelector("body[data-ready=true]");
const prefix = () => `cognito-wasm.${emu.clientId}.`;

test("sign in through the emulator's hosted UI, reload, refresh, userInfo, sign out", async () => {
  const page = await browser.newPage();
  const tokenCalls = [];
  page.on("request", (r) => r.url().endsWith("/oauth2/token") && tokenCalls.push(r.postData()));
  await page.goto(`${pageUrl}?config=${encodeURIComponent(JSON.stringify(config()))}`);
  await ready(page);
  assert.equal(await page.textContent("#status"), "signed out");

  // signInWithRedirect stores the transaction, then navigates to the hosted UI.
  await Promise.all([page.waitForURL(/\/login\?tx=/), page.click("#signin")]);
  await page.fill("#username", emu.username);
  await page.fill("#password", emu.password);
  await Promise.all([page.waitForURL((u) => u.href.startsWith(pageUrl)), page.click("button[type=submit]")]);
  await ready(page);
  assert.equal(await page.textContent("#error"), "");
  assert.equal(await page.textContent("#status"), `signed in as ${emu.username}`);
  assert.equal(JSON.parse(await page.textContent("#out")).customState, "from the demo page");

  // The code and state are gone from the address bar.
  assert.equal(page.url(), pageUrl);
  const stored = await storage(page);
  const keys = Object.keys(stored).filter((k) => k.startsWith(prefix()));
  assert.deepEqual(keys, [`${prefix()}session`], "the session and no transaction");
  const session = JSON.parse(stored[`${prefix()}session`]);
  assert.equal(session.source, "oauth");
  const tokens = JSON.parse(session.tokens);
  const idClaims = JSON.parse(Buffer.from(tokens.id.split(".")[1], "base64url"));
  assert.equal(idClaims.iss, emu.issuer);
  assert.equal(idClaims.aud, emu.clientId);
  assert.equal(tokenCalls.length, 1);
  assert.match(tokenCalls[0], /grant_type=authorization_code/);
  assert.match(tokenCalls[0], /code_verifier=/);

  // A reload keeps the session.
  await page.reload();
  await ready(page);
  assert.equal(await page.textContent("#status"), `signed in as ${emu.username}`);

  // getTokens({ forceRefresh }) refreshes at /oauth2/token.
  await page.click("#refresh");
  await page.waitForFunction(() => document.getElementById("out").textContent.includes("refreshed"));
  assert.equal(await page.textContent("#error"), "");
  assert.equal(tokenCalls.length, 2);
  assert.match(tokenCalls[1], /grant_type=refresh_token/);
  const refreshed = JSON.parse(JSON.parse((await storage(page))[`${prefix()}session`]).tokens);
  assert.notEqual(refreshed.access, tokens.access);
  assert.equal(refreshed.refresh, tokens.refresh, "no rotation: the refresh token is kept");

  // userInfo with the access token; sub must equal the ID token's.
  const info = await page.evaluate(() => window.auth.getUserInfo());
  assert.equal(info.sub, idClaims.sub);
  assert.equal(info.email, "demo@example.com");

  // Sign-out: revoke, clear storage, then Cognito's /logout back to the page.
  const revokes = [];
  page.on("request", (r) => r.url().endsWith("/oauth2/revoke") && revokes.push(r.postData()));
  const logout = page.waitForRequest((r) => r.url().startsWith(`${emu.url}/logout?`));
  await page.click("#signout");
  const logoutUrl = new URL((await logout).url());
  assert.equal(logoutUrl.searchParams.get("client_id"), emu.clientId);
  assert.equal(logoutUrl.searchParams.get("logout_uri"), pageUrl);
  await page.waitForURL(pageUrl);
  await ready(page);
  assert.equal(await page.textContent("#status"), "signed out");
  assert.equal(revokes.length, 1);
  const left = Object.keys(await storage(page)).filter((k) => k.startsWith(prefix()));
  assert.deepEqual(left, [], "storage is empty");

  // The refresh token was revoked at the server.
  const r = await fetch(`${emu.url}/oauth2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: tokens.refresh, client_id: emu.clientId }),
  });
  assert.equal((await r.json()).error, "invalid_grant");

  // The hosted UI's own session ended too: the next sign-in shows the form.
  await Promise.all([page.waitForURL(/\/login\?tx=/), page.click("#signin")]);
  await page.close();
});

test("replaying the callback URL is OAuthUnknownState, with no second exchange", async () => {
  const page = await browser.newPage();
  await page.goto(`${pageUrl}?config=${encodeURIComponent(JSON.stringify(config()))}`);
  await ready(page);
  await Promise.all([page.waitForURL(/\/login\?tx=/), page.click("#signin")]);
  await page.fill("#username", emu.username);
  await page.fill("#password", emu.password);
  let callback;
  page.on("framenavigated", (f) => f.url().includes("code=") && (callback ??= f.url()));
  await Promise.all([page.waitForURL((u) => u.href.startsWith(pageUrl)), page.click("button[type=submit]")]);
  await ready(page);
  assert.match(await page.textContent("#status"), /signed in/);
  assert.ok(callback, "the callback URL was seen");
  await page.evaluate(() => window.auth.signOut({ revoke: false }).catch(() => {}));
  await page.waitForURL(pageUrl);
  await ready(page);

  const tokenCalls = [];
  page.on("request", (r) => r.url().endsWith("/oauth2/token") && tokenCalls.push(r.url()));
  await page.goto(callback);
  await ready(page);
  assert.equal(await page.getAttribute("#error", "data-code"), "OAuthUnknownState");
  assert.equal(await page.textContent("#status"), "signed out");
  assert.equal(page.url(), pageUrl, "the replayed code is removed from the address bar too");
  assert.equal(tokenCalls.length, 0, "no second exchange");
  assert.equal((await storage(page))[`${prefix()}session`], undefined);
  await page.close();
});
