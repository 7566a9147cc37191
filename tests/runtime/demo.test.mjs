// The demo page (www/index.html) in Chromium signs in with SRP against the
// local emulator, which checks the password claim for real: the browser
// build of the package end to end over HTTP.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { serve } from "../../scripts/serve.mjs";
import { launchChromium } from "../helpers/chromium.mjs";
import { startEmulator } from "../helpers/emulator.mjs";

const dir = (rel) => fileURLToPath(new URL(rel, import.meta.url));
let emu;
let server;
let browser;

before(async () => {
  emu = await startEmulator();
  server = await serve({ port: 0, mounts: { "/pkg/": dir("../../pkg/"), "/": dir("../../www/") } });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  await emu?.stop();
});

async function signIn(password) {
  const page = await browser.newPage();
  await page.goto(server.url);
  await page.waitForFunction(() => document.getElementById("status").textContent.includes("Ready"));
  await page.fill("input[name=endpoint]", emu.url.endsWith("/") ? emu.url : `${emu.url}/`);
  await page.fill("input[name=userPoolId]", emu.poolId);
  await page.fill("input[name=clientId]", emu.clientId);
  await page.fill("input[name=username]", emu.username);
  await page.fill("input[name=password]", password);
  await page.click("#signin button");
  await page.waitForFunction(() => /Signed in as|Error|Exception|Next challenge/.test(document.getElementById("log").textContent), null, {
    timeout: 20_000,
  });
  const log = await page.textContent("#log");
  await page.close();
  return log;
}

test("demo page: SRP sign-in against the emulator succeeds", async () => {
  const log = await signIn(emu.password);
  assert.match(log, /Signed in as demo\. IdToken eyJ/);
  assert.match(log, /event: signedIn/);
});

test("demo page: a wrong password is refused by the emulator", async () => {
  const log = await signIn(`${emu.password}x`);
  assert.match(log, /NotAuthorizedException/);
  assert.doesNotMatch(log, /Signed in/);
});

test("demo page: the session is kept in sessionStorage and survives a reload", async () => {
  const page = await browser.newPage();
  try {
    await page.goto(server.url);
    await page.waitForFunction(() => document.getElementById("status").textContent.includes("Ready"));
    await page.fill("input[name=endpoint]", emu.url.endsWith("/") ? emu.url : `${emu.url}/`);
    await page.fill("input[name=userPoolId]", emu.poolId);
    await page.fill("input[name=clientId]", emu.clientId);
    await page.fill("input[name=username]", emu.username);
    await page.fill("input[name=password]", emu.password);
    await page.click("#signin button");
    await page.waitForFunction(() => /Signed in as|Exception/.test(document.getElementById("log").textContent));
    const keys = await page.evaluate(() => Object.keys(sessionStorage));
    assert.ok(keys.includes(`cognito-wasm.${emu.clientId}.session`), `sessionStorage keys: ${keys}`);
    await page.reload();
    await page.waitForFunction(() => /Restored session of/.test(document.getElementById("log").textContent), null, {
      timeout: 20_000,
    });
    assert.match(await page.textContent("#log"), /Restored session of demo from sessionStorage/);
  } finally {
    await page.close();
  }
});
