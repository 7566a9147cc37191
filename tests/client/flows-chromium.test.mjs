// CognitoAuth in Chromium against the emulator (cross-origin, so CORS is
// exercised): a page served from 127.0.0.1 imports the package by name
// (import map), signs in with SRP and TOTP MFA, runs account operations,
// keeps the session in sessionStorage under the documented prefix, finds it
// again after a reload, and removes it on sign-out.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "../../scripts/serve.mjs";
import { launchChromium } from "../helpers/chromium.mjs";
import { startEmulator } from "../helpers/emulator.mjs";
import { flowsSeed, passwordOf, totp, claims, TOTP_SECRET, MAIN, PUBLIC_CLIENT } from "./helpers-flows.mjs";

const dir = (rel) => fileURLToPath(new URL(rel, import.meta.url));
let server, browser, emu, pageDir;
const PREFIX = `cognito-wasm.${PUBLIC_CLIENT}.`;

before(async () => {
  emu = await startEmulator({ seed: flowsSeed() });
  mkdirSync(dir("../.tmp/"), { recursive: true });
  pageDir = mkdtempSync(join(dir("../.tmp/"), "flows-page-"));
  // The page keeps one CognitoAuth on `window.auth`, made from the query's config.
  writeFileSync(
    join(pageDir, "index.html"),
    `<!doctype html><meta charset="utf-8"><link rel="icon" href="data:,">
<script type="importmap">{ "imports": { "cognito-wasm": "/pkg/index.js" } }</script>
<script type="module">
  import { init, CognitoAuth, CognitoError } from "cognito-wasm";
  await init();
  const config = JSON.parse(new URLSearchParams(location.search).get("config"));
  window.auth = new CognitoAuth(config);
  window.events = [];
  for (const t of ["signedIn", "signedOut", "tokenRefresh"]) auth.on(t, (e) => events.push(e.type));
  window.call = (method, arg) =>
    auth[method](arg).then(
      (v) => v ?? {},
      (e) => ({ error: { code: e.code, isCognitoError: e instanceof CognitoError } }),
    );
  document.body.dataset.ready = "true";
</script><body>`,
  );
  server = await serve({ port: 0, mounts: { "/pkg/": dir("../../pkg/"), "/": pageDir } });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  await emu?.stop();
  if (pageDir) rmSync(pageDir, { recursive: true, force: true });
});

const config = () => ({ userPoolId: MAIN, clientId: PUBLIC_CLIENT, endpoint: emu.url });
const open = async (page) => {
  await page.goto(`${server.url}?config=${encodeURIComponent(JSON.stringify(config()))}`);
  await page.waitForSelector("body[data-ready=true]", { state: "attached" });
};
const call = (page, method, arg) => page.evaluate(([m, a]) => window.call(m, a), [method, arg]);
const session = (page) => page.evaluate(() => Object.fromEntries(Object.entries(sessionStorage)));

test("chromium: SRP + TOTP MFA, account operations, sessionStorage under the prefix, reload, sign-out", async () => {
  const page = await browser.newPage();
  await open(page);
  assert.deepEqual(await session(page), {});

  let step = await call(page, "signIn", { username: "tina", password: passwordOf("tina") });
  assert.equal(step.next, "SOFTWARE_TOKEN_MFA", JSON.stringify(step));
  const wrong = await call(page, "confirmSignIn", { code: totp(TOTP_SECRET) === "000000" ? "111111" : "000000" });
  assert.deepEqual(wrong.error, { code: "CodeMismatchException", isCognitoError: true });
  step = await call(page, "confirmSignIn", { code: totp(TOTP_SECRET) });
  assert.equal(step.done, true, JSON.stringify(step));
  assert.equal(claims(step.tokens.accessToken).username, "tina");

  // Session state lives in sessionStorage, under the documented prefix only.
  let stored = await session(page);
  assert.deepEqual(Object.keys(stored), [`${PREFIX}session`]);
  assert.ok(stored[`${PREFIX}session`].includes(step.tokens.refreshToken));
  assert.ok(!stored[`${PREFIX}session`].includes(passwordOf("tina")), "no password stored");

  // Account operations as the signed-in user.
  const user = await call(page, "getUser");
  assert.equal(user.username, "tina");
  assert.deepEqual(user.mfaSettings, ["SOFTWARE_TOKEN_MFA"]);
  const upd = await call(page, "updateUserAttributes", { attributes: { name: "Tina", email: "tina.new@example.com" } });
  assert.deepEqual(
    upd.codeDeliveryList.map((d) => d.attributeName),
    ["email"],
  );
  const verified = await call(page, "verifyUserAttribute", {
    attributeName: "email",
    code: await emu.latestCode("tina", "VerifyUserAttribute:email"),
  });
  assert.equal(verified.error, undefined, JSON.stringify(verified));
  const attrs = await call(page, "fetchUserAttributes");
  assert.equal(attrs.name, "Tina");
  assert.equal(attrs.email, "tina.new@example.com");
  assert.equal(attrs.email_verified, "true");
  assert.equal((await call(page, "deleteUserAttributes", { attributeNames: ["name"] })).error, undefined);
  assert.equal((await call(page, "fetchUserAttributes")).name, undefined);
  const totpSetup = await call(page, "setUpTotp");
  assert.match(totpSetup.otpauthUri, /^otpauth:\/\/totp\/AWSCognito:tina\?secret=[A-Z2-7]+&issuer=AWSCognito$/);
  const changed = await call(page, "changePassword", { oldPassword: passwordOf("tina"), newPassword: "Tina-Chr0mium!2" });
  assert.equal(changed.error, undefined, JSON.stringify(changed));
  const badPref = await call(page, "setMfaPreference", { totp: "yes" });
  assert.deepEqual(badPref.error, { code: "InvalidArgument", isCognitoError: true });

  // A reload finds the session in sessionStorage; a refresh replaces it there.
  const before = (await session(page))[`${PREFIX}session`];
  await open(page);
  const tokens = await call(page, "getTokens");
  assert.equal(tokens.accessToken, step.tokens.accessToken);
  const refreshed = await call(page, "getTokens", { forceRefresh: true });
  assert.notEqual(refreshed.accessToken, tokens.accessToken);
  const after = (await session(page))[`${PREFIX}session`];
  assert.notEqual(after, before);
  assert.ok(after.includes(refreshed.accessToken));
  assert.deepEqual(await page.evaluate(() => window.events), ["tokenRefresh"]);

  await call(page, "signOut");
  assert.deepEqual(await session(page), {});
  assert.deepEqual(await page.evaluate(() => window.events), ["tokenRefresh", "signedOut"]);
  assert.equal((await call(page, "getUser")).error.code, "NotSignedIn");

  // The new password is the one that works now.
  step = await call(page, "signIn", { username: "tina", password: "Tina-Chr0mium!2" });
  assert.equal(step.next, "SOFTWARE_TOKEN_MFA");
  await page.close();
});

test("chromium: signUp and confirmSignUp from a page", async () => {
  const page = await browser.newPage();
  await open(page);
  const up = await call(page, "signUp", {
    username: "brow",
    password: "Brow-Passw0rd!",
    attributes: { email: "brow@example.com" },
  });
  assert.equal(up.userConfirmed, false, JSON.stringify(up));
  assert.equal(up.codeDelivery.deliveryMedium, "EMAIL");
  const ok = await call(page, "confirmSignUp", { username: "brow", code: await emu.latestCode("brow", "SignUp") });
  assert.equal(ok.error, undefined, JSON.stringify(ok));
  const step = await call(page, "signIn", { username: "brow", password: "Brow-Passw0rd!" });
  assert.equal(step.done, true, JSON.stringify(step));
  assert.ok((await session(page))[`${PREFIX}session`]);
  await page.close();
});
