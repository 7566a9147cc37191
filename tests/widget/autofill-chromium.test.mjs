// Light DOM or shadow DOM? Chromium's autofill, asked to annotate its field
// predictions (--enable-features=AutofillShowTypePredictions), parses the
// widget's shadow-root forms as it parses the same fields in a light-DOM
// form: each field gets the same type, the form is seen as a form (its
// button title, its own form id), and the autocomplete tokens are read.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serve } from "../../scripts/serve.mjs";
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from "../helpers/chromium.mjs";
import { visit } from "./screens.mjs";

let server, context, profile;
before(async () => {
  server = await serve({
    port: 0,
    mounts: { "/pkg/": fileURLToPath(new URL("../../pkg/", import.meta.url)), "/": fileURLToPath(new URL("./fixtures/", import.meta.url)) },
  });
  profile = mkdtempSync(join(tmpdir(), "cognito-wasm-autofill-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_FLAGS, "--enable-features=AutofillShowTypePredictions,AutofillShowTypePredictionsVerboseTooltip"],
  });
});
after(async () => {
  await context?.close();
  await server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

// Autofill's view of each input of `root`, once it has annotated them.
async function predictions(page, inShadow) {
  await page.waitForFunction((inShadow) => {
    const root = inShadow ? document.querySelector("cognito-login").shadowRoot : document.getElementById("control");
    const inputs = [...root.querySelectorAll("input:not([hidden]):not([type=radio])")];
    return inputs.length && inputs.every((i) => i.hasAttribute("autofill-information"));
  }, inShadow, { timeout: 15_000 });
  return page.evaluate((inShadow) => {
    const root = inShadow ? document.querySelector("cognito-login").shadowRoot : document.getElementById("control");
    return [...root.querySelectorAll("input:not([hidden]):not([type=radio])")].map((i) => {
      const info = i.getAttribute("autofill-information");
      return {
        name: i.name,
        prediction: i.getAttribute("autofill-prediction"),
        autocomplete: /autocomplete: (.*)/.exec(info)?.[1],
        buttons: /form button titles: (.*)/.exec(info)?.[1],
      };
    });
  }, inShadow);
}

// The same inputs, copied into a plain light-DOM form on the same page.
async function lightCopy(page) {
  await page.evaluate(() => {
    const src = document.querySelector("cognito-login").shadowRoot.querySelector("form");
    const form = document.createElement("form");
    form.id = "control";
    for (const i of src.querySelectorAll("input:not([hidden]):not([type=radio])")) {
      const c = document.createElement("input");
      for (const a of ["name", "type", "autocomplete", "inputmode"]) if (i.hasAttribute(a)) c.setAttribute(a, i.getAttribute(a));
      form.append(c);
    }
    const b = document.createElement("button");
    b.textContent = src.querySelector("button[type=submit]").textContent;
    form.append(b);
    document.body.append(form);
  });
}

for (const [screen, expected] of [
  ["signIn", { username: "username", password: "current-password" }],
  ["signUp", { username: "username", newPassword: "new-password", email: "email", name: "name" }],
  ["code", { code: "one-time-code" }],
]) {
  test(`autofill: the ${screen} form in the shadow root is parsed like the same light-DOM form`, async () => {
    const page = await context.newPage();
    await visit(page, server.url, screen);
    await lightCopy(page);
    // Autofill annotates fields once a form is interacted with.
    await page.locator("cognito-login input:not([hidden])").first().click();
    await page.locator("#control input").first().click();
    const shadow = await predictions(page, true);
    const light = await predictions(page, false);
    await page.close();
    assert.deepEqual(Object.fromEntries(shadow.map((f) => [f.name, f.autocomplete])), expected);
    assert.deepEqual(shadow.map((f) => [f.name, f.prediction]), light.map((f) => [f.name, f.prediction]));
    assert.ok(shadow.every((f) => f.buttons && f.buttons === light[0].buttons), JSON.stringify({ shadow, light }));
  });
}
