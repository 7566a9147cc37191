// <cognito-login> with passkeys in Chromium (virtual authenticator: CTAP2,
// internal, resident keys, user verification) against the emulator, as a
// person would use it: after a password sign-in the widget offers to add a
// passkey (`passkeyPrompt: "always"`), the signed-in view lists it, the
// "Sign in with a passkey" button and the USER_AUTH first-factor choice
// sign in with it and no password, removing it from the list makes the
// next passkey sign-in fail with a shown error.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { serve } from "../../scripts/serve.mjs";
import { launchChromium } from "../helpers/chromium.mjs";
import { startEmulator } from "../helpers/emulator.mjs";
import { openWidget, screen, type, button, errorText, signedInText } from "./support.mjs";

const POOL = "us-east-1_WidgetPasskeys";
const CLIENT = "widget-passkeys";
let world;
let browser;
let server;
let emu;

before(async () => {
  server = await serve({
    port: 0,
    mounts: { "/pkg/": fileURLToPath(new URL("../../pkg/", import.meta.url)), "/": fileURLToPath(new URL("./fixtures/", import.meta.url)) },
  });
  // WebAuthn needs a domain for its relying-party id: the page is on localhost.
  const url = `http://localhost:${server.port}/`;
  emu = await startEmulator({
    seed: { pools: [{ id: POOL, mfa: "OFF", clients: [{ id: CLIENT, name: CLIENT, callbackUrls: [url], logoutUrls: [url] }],
      users: [{ username: "pat", password: "Pat-Passw0rd!", attributes: { email: "pat@example.com", email_verified: "true" } }] }] },
  });
  browser = await launchChromium({ args: ["--host-resolver-rules=MAP localhost 127.0.0.1"] });
  world = { server: { url }, emu, browser };
});

after(async () => {
  await browser?.close();
  await server?.close();
  await emu?.stop();
});

async function pageWithAuthenticator() {
  const page = await browser.newPage();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return { page, cdp, authenticatorId };
}

const passkeyItems = (page) => page.locator("cognito-login [part~=passkey]").allTextContents();

test("widget: add a passkey when prompted, sign in with it (button and first-factor choice), remove it, refused after", async () => {
  const { page, cdp, authenticatorId } = await pageWithAuthenticator();
  try {
    const opts = { pool: POOL, client: CLIENT, page };
    await openWidget(world, { ...opts, config: { passkeyPrompt: "always" } });
    await type(page, "Username", "pat");
    await type(page, "Password", "Pat-Passw0rd!");
    await page.keyboard.press("Enter");
    await screen(page, "addPasskey");
    await button(page, "Add a passkey").click();
    assert.equal(await signedInText(page), "Signed in as pat@example.com.");
    await page.locator("cognito-login [part~=passkey]").first().waitFor();
    const items = await passkeyItems(page);
    assert.equal(items.length, 1, JSON.stringify(items));
    assert.match(items[0], /^Passkey on this device, added /);
    const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
    assert.equal(credentials.length, 1);

    // The "Sign in with a passkey" button: the username, no password.
    await button(page, "Sign out").click();
    await screen(page, "signIn");
    await type(page, "Username", "pat");
    await button(page, "Sign in with a passkey").click();
    assert.equal(await signedInText(page), "Signed in as pat@example.com.");

    // USER_AUTH: the first-factor choice offers the passkey.
    await button(page, "Sign out").click();
    await openWidget(world, { ...opts, config: { authFlow: "USER_AUTH" } });
    await type(page, "Username", "pat");
    await page.keyboard.press("Enter");
    await screen(page, "firstFactor");
    await page.locator("cognito-login").getByLabel("Passkey", { exact: true }).check();
    await button(page, "Continue").click();
    assert.equal(await signedInText(page), "Signed in as pat@example.com.");

    // Remove it in the signed-in view.
    await page.locator("cognito-login [part~=remove-passkey]").first().waitFor();
    await page.locator("cognito-login [part~=remove-passkey]").first().click();
    await page.locator("cognito-login .passkeys .note").waitFor();
    assert.deepEqual(await passkeyItems(page), []);

    // The passkey no longer signs in (the pool offers WEB_AUTHN no more).
    await button(page, "Sign out").click();
    await screen(page, "signIn");
    await type(page, "Username", "pat");
    await button(page, "Sign in with a passkey").click();
    assert.equal(await errorText(page), "There is a problem: Check what you entered and try again.");
    assert.equal(await page.locator("cognito-login").getAttribute("screen"), "signIn");
  } finally {
    await page.close();
  }
});

test("widget: a cancelled passkey prompt shows its error and keeps the form", async () => {
  const { page, cdp, authenticatorId } = await pageWithAuthenticator();
  try {
    await openWidget(world, { pool: POOL, client: CLIENT, page });
    await type(page, "Username", "pat");
    await type(page, "Password", "Pat-Passw0rd!");
    await page.keyboard.press("Enter");
    await signedInText(page);
    await button(page, "Add a passkey").click();
    await page.locator("cognito-login [part~=passkey]").first().waitFor();
    // The authenticator loses the passkey: the browser finds none to offer.
    await cdp.send("WebAuthn.clearCredentials", { authenticatorId });
    await button(page, "Sign out").click();
    await screen(page, "signIn");
    await type(page, "Username", "pat");
    await button(page, "Sign in with a passkey").click();
    assert.match(await errorText(page), /cancelled or timed out, or no passkey was found/);
    assert.equal(await page.locator("cognito-login").getAttribute("screen"), "signIn");
  } finally {
    await page.close();
  }
});
