// The same browser flow as emulator-redirect.test.mjs against oidc-provider
// (npm), a certified OpenID provider, mounted on Cognito's paths with PKCE
// required and RFC 9207 `iss` in the callback: the demo page's CognitoAuth
// must complete it (login and consent pages filled by Playwright), keep the
// session across a reload, refresh (with the provider's refresh-token
// rotation), read userInfo and sign out (revocation, storage cleared).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import Provider from "oidc-provider";
import { serve } from "../../scripts/serve.mjs";
import { launchChromium } from "../helpers/chromium.mjs";

let server, issuer, provider, op, browser, pageUrl;

before(async () => {
  server = await serve({ port: 0 });
  pageUrl = `${server.url}hosted.html`;
  op = http.createServer();
  await new Promise((r) => op.listen(0, "127.0.0.1", r));
  issuer = `http://127.0.0.1:${op.address().port}`;
  provider = new Provider(issuer, {
    clients: [{
      client_id: "spa",
      token_endpoint_auth_method: "none",
      redirect_uris: [pageUrl],
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
    }],
    routes: {
      authorization: "/oauth2/authorize",
      token: "/oauth2/token",
      userinfo: "/oauth2/userInfo",
      revocation: "/oauth2/revoke",
      jwks: "/.well-known/jwks.json",
      end_session: "/logout",
    },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true }, revocation: { enabled: true }, userinfo: { enabled: true } },
    scopes: ["openid", "email", "offline_access"],
    claims: { openid: ["sub"], email: ["email"] },
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed("refresh_token"),
    findAccount: async (_ctx, id) => ({ accountId: id, claims: async () => ({ sub: id, email: `${id}@example.com` }) }),
    cookies: { keys: ["test-only-cookie-key"] },
  });
  op.on("request", provider.callback());
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  op?.closeAllConnections?.();
  await new Promise((r) => (op ? op.close(r) : r()));
  await server?.close();
});

const config = () => ({
  userPoolId: "us-east-1_NotUsed",
  clientId: "spa",
  endpoint: issuer,
  // No logoutUri: oidc-provider's /logout is RP-initiated logout (a
  // confirmation page), not Cognito's form, so sign-out stays local here.
  hostedUi: { domain: issuer, issuer, tokenRules: "oidc", scopes: ["openid", "email", "offline_access"], logoutUri: null },
});
const storage = (page) => page.evaluate(() => Object.fromEntries(Object.entries(sessionStorage)));
const ready = (page) => page.waitForSelector("body[data-ready=true]");
const prefix = "cognito-wasm.spa.";

test("CognitoAuth completes code + PKCE against oidc-provider on Cognito's paths", async () => {
  const page = await browser.newPage();
  const tokenCalls = [];
  page.on("request", (r) => r.url() === `${issuer}/oauth2/token` && tokenCalls.push(r.postData()));
  await page.goto(`${pageUrl}?config=${encodeURIComponent(JSON.stringify(config()))}`);
  await ready(page);
  assert.equal(await page.textContent("#status"), "signed out");

  // The authorize request, as the provider received it.
  const authorize = page.waitForRequest((r) => r.url().startsWith(`${issuer}/oauth2/authorize`));
  await page.evaluate(() => window.auth.signInWithRedirect({ prompt: "consent", customState: "back to /inbox" }));
  const q = new URL((await authorize).url()).searchParams;
  assert.equal(q.get("code_challenge_method"), "S256");
  assert.equal(q.get("redirect_uri"), pageUrl);
  assert.equal(q.get("scope"), "openid email offline_access");

  // oidc-provider's login, then consent.
  await page.waitForSelector("input[name=login]");
  await page.fill("input[name=login]", "alice");
  await page.fill("input[name=password]", "any");
  await page.click("button[type=submit]");
  await page.waitForSelector("button[type=submit]");
  await Promise.all([page.waitForURL((u) => u.href.startsWith(pageUrl)), page.click("button[type=submit]")]);
  await ready(page);
  assert.equal(await page.textContent("#error"), "");
  assert.equal(await page.textContent("#status"), "signed in as alice");
  assert.equal(JSON.parse(await page.textContent("#out")).customState, "back to /inbox");
  assert.equal(page.url(), pageUrl, "code, state and iss are gone from the address bar");
  const keys = Object.keys(await storage(page)).filter((k) => k.startsWith(prefix));
  assert.deepEqual(keys, [`${prefix}session`]);
  assert.equal(tokenCalls.length, 1);
  assert.match(tokenCalls[0], /code_verifier=/);
  const first = JSON.parse(JSON.parse((await storage(page))[`${prefix}session`]).tokens);
  const id = JSON.parse(Buffer.from(first.id.split(".")[1], "base64url"));
  assert.equal(id.iss, issuer);
  assert.equal(id.aud, "spa");

  await page.reload();
  await ready(page);
  assert.equal(await page.textContent("#status"), "signed in as alice");

  await page.click("#refresh");
  await page.waitForFunction(() => document.getElementById("out").textContent.includes("refreshed"));
  assert.equal(await page.textContent("#error"), "");
  assert.match(tokenCalls[1], /grant_type=refresh_token/);
  const second = JSON.parse(JSON.parse((await storage(page))[`${prefix}session`]).tokens);
  assert.notEqual(second.access, first.access);
  assert.ok(second.refresh, "a refresh token is kept");

  const info = await page.evaluate(() => window.auth.getUserInfo());
  assert.deepEqual(info, { sub: "alice", email: "alice@example.com" });

  const revoke = page.waitForResponse((r) => r.url() === `${issuer}/oauth2/revoke`);
  await page.click("#signout");
  await page.waitForFunction(() => document.getElementById("status").textContent === "signed out");
  assert.equal((await revoke).status(), 200, "revoked at /oauth2/revoke");
  const r = await fetch(`${issuer}/oauth2/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: second.refresh, client_id: "spa" }),
  });
  assert.equal((await r.json()).error, "invalid_grant", "the refresh token no longer works");
  assert.deepEqual(Object.keys(await storage(page)).filter((k) => k.startsWith(prefix)), []);
  await page.close();
});
