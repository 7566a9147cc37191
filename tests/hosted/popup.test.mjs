// signInWithPopup in Chromium against the emulator's hosted UI: the demo
// page opens the popup, Playwright fills the login form in it, the popup's
// redirect page hands the callback to the opener and closes, and the opener
// finishes the sign-in. A popup closed by the user is PopupClosed.
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

async function openApp() {
  const page = await browser.newPage();
  const config = { userPoolId: emu.poolId, clientId: emu.clientId, endpoint: emu.url, hostedUi: { domain: emu.url, scopes: ["openid", "email"] } };
  await page.goto(`${pageUrl}?config=${encodeURIComponent(JSON.stringify(config))}`);
  await page.waitForSelector("body[data-ready=true]");
  return page;
}

test("signInWithPopup: login in the popup, tokens in the opener", async () => {
  const page = await openApp();
  const [popup] = await Promise.all([browser.context.waitForEvent("page"), page.click("#popup")]);
  await popup.waitForURL(/\/login\?tx=/);
  await popup.fill("#username", emu.username);
  await popup.fill("#password", emu.password);
  const closed = popup.waitForEvent("close");
  await popup.click("button[type=submit]");
  await closed;
  await page.waitForFunction(() => document.getElementById("status").textContent.startsWith("signed in"));
  assert.equal(await page.textContent("#error"), "");
  assert.equal(await page.textContent("#status"), `signed in as ${emu.username}`);
  assert.equal(JSON.parse(await page.textContent("#out")).customState, "from the popup");
  const keys = await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith("cognito-wasm.")));
  assert.deepEqual(keys, [`cognito-wasm.${emu.clientId}.session`], "the session and no transaction");
  assert.equal(page.url(), pageUrl);
  await page.close();
});

test("signInWithPopup: a popup closed before signing in is PopupClosed", async () => {
  await browser.context.clearCookies(); // no hosted-UI session from the test before
  const page = await openApp();
  const [popup] = await Promise.all([browser.context.waitForEvent("page"), page.click("#popup")]);
  await popup.waitForURL(/\/login\?tx=/);
  await popup.close();
  await page.waitForSelector("#error[data-code]");
  assert.equal(await page.getAttribute("#error", "data-code"), "PopupClosed");
  assert.equal(await page.textContent("#status"), "signed out");
  await page.close();
});

test("signInWithPopup: a forged callback posted under the popup's window name cannot cancel it", async () => {
  await browser.context.clearCookies();
  const page = await openApp();
  const [popup] = await Promise.all([browser.context.waitForEvent("page"), page.click("#popup")]);
  await popup.waitForURL(/\/login\?tx=/);
  // Another window of the app's origin, named as the popup is (as a page on
  // another site can open one), loads a callback URL with a state of its own:
  // its handleRedirectCallback() forwards it to the waiting opener.
  const forger = await browser.newPage();
  await forger.goto(`${server.url}hosted.html`);
  await forger.evaluate(() => (window.name = "cognito-wasm-popup"));
  const forgedState = "A".repeat(43);
  await forger.goto(`${pageUrl}?code=forged-code&state=${forgedState}`);
  await forger.waitForTimeout(1000);
  assert.equal(await page.textContent("#error"), "", "the forged callback was ignored");
  // The real sign-in still completes.
  await popup.fill("#username", emu.username);
  await popup.fill("#password", emu.password);
  const closed = popup.waitForEvent("close");
  await popup.click("button[type=submit]");
  await closed;
  await page.waitForFunction(() => document.getElementById("status").textContent.startsWith("signed in"));
  assert.equal(await page.textContent("#status"), `signed in as ${emu.username}`);
  await forger.close().catch(() => {});
  await page.close();
});
