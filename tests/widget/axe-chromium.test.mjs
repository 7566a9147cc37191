// axe-core on every screen of <cognito-login>, light and dark: no violation
// of serious or critical impact; at 320 px wide nothing overflows sideways;
// each new screen puts the focus on its first field. The screens are reached with a scripted
// CognitoAuth (fixtures/fake-auth.js): this is about the markup, not the flows.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { serve } from "../../scripts/serve.mjs";
import { launchChromium } from "../helpers/chromium.mjs";
import { SCREENS, visit } from "./screens.mjs";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
let server, browser;
before(async () => {
  server = await serve({
    port: 0,
    mounts: { "/pkg/": fileURLToPath(new URL("../../pkg/", import.meta.url)), "/": fileURLToPath(new URL("./fixtures/", import.meta.url)) },
  });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

for (const scheme of ["light", "dark"]) {
  test(`every screen, ${scheme}: axe finds no serious or critical violation; focus on the first field${scheme === "light" ? "; no overflow at 320 px" : ""}`, async () => {
    const page = await browser.newPage();
    await page.emulateMedia({ colorScheme: scheme });
    // The light run is at 320 px wide: nothing may overflow sideways.
    if (scheme === "light") await page.setViewportSize({ width: 320, height: 640 });
    const found = [];
    const overflow = [];
    const misfocused = [];
    for (const name of SCREENS) {
      await visit(page, server.url, name);
      await page.addScriptTag({ content: axeSource });
      const result = await page.evaluate(async () => {
        const r = await window.axe.run(document.querySelector("cognito-login"), { resultTypes: ["violations"] });
        return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 3) }));
      });
      // Focus is on the screen's first field (its button if it has none),
      // except on the first screen (the page keeps its focus) and after an error (the summary).
      if (!["signIn", "signInError"].includes(name)) {
        const focus = await page.evaluate(() => {
          const root = document.querySelector("cognito-login").shadowRoot;
          const first = root.querySelector("[part=body] input:not([hidden]):not([type=radio]), [part=body] input[type=radio]:checked, [part=body] button.primary");
          return root.activeElement === first || `${root.activeElement?.outerHTML} instead of ${first?.outerHTML}`;
        });
        if (focus !== true) misfocused.push(`${name}: ${focus}`);
      }
      if (scheme === "light") {
        const wide = await page.evaluate(() => document.documentElement.scrollWidth);
        if (wide > 320) overflow.push(`${name}: ${wide}px`);
      }
      for (const v of result) if (v.impact === "serious" || v.impact === "critical") found.push({ screen: name, ...v });
    }
    await page.close();
    assert.deepEqual(found, []);
    assert.deepEqual(overflow, []);
    assert.deepEqual(misfocused, []);
  });
}

test("axe: the check can fail (a contrast the widget would never ship is caught)", async () => {
  const page = await browser.newPage();
  await visit(page, server.url, "signIn");
  await page.addStyleTag({ content: "cognito-login { --cl-fg: #ddd; --cl-bg: #fff; --cl-field-bg: #fff; }" });
  await page.addScriptTag({ content: axeSource });
  const ids = await page.evaluate(async () => (await window.axe.run(document.querySelector("cognito-login"))).violations.map((v) => v.id));
  await page.close();
  assert.ok(ids.includes("color-contrast"), ids.join());
});

test("theming: custom properties and ::part reach inside; slots project; reduced motion stops the spinner", async () => {
  const page = await browser.newPage();
  await visit(page, server.url, "signIn");
  await page.addStyleTag({
    content: "cognito-login { --cl-accent: rgb(10, 20, 30); } cognito-login::part(title) { letter-spacing: 3px; }",
  });
  await page.evaluate(() => {
    const el = document.querySelector("cognito-login");
    const h = document.createElement("strong");
    h.slot = "header";
    h.textContent = "ACME";
    el.append(h);
  });
  const styles = await page.evaluate(() => {
    const root = document.querySelector("cognito-login").shadowRoot;
    const submit = root.querySelector("button[type=submit]");
    submit.setAttribute("aria-busy", "true");
    const slot = root.querySelector("slot[name=header]");
    return {
      button: getComputedStyle(submit).backgroundColor,
      title: getComputedStyle(root.querySelector("h2")).letterSpacing,
      slotted: slot.assignedElements().map((e) => e.textContent),
      spin: getComputedStyle(submit, "::after").animationName,
    };
  });
  assert.deepEqual(styles, { button: "rgb(10, 20, 30)", title: "3px", slotted: ["ACME"], spin: "spin" });
  await page.emulateMedia({ reducedMotion: "reduce" });
  const spin = await page.evaluate(() =>
    getComputedStyle(document.querySelector("cognito-login").shadowRoot.querySelector("button[type=submit]"), "::after").animationName);
  assert.equal(spin, "none");
  await page.close();
});

test("attributes: initial-screen opens sign-up; hide-sign-up removes the sign-up link; config.formFields relabels and reorders", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}?fake=1&a=initial-screen:signUp`);
  await page.waitForSelector("cognito-login[screen=signUp]", { state: "attached" });
  await page.goto(`${server.url}?fake=1&a=hide-sign-up:`);
  await page.waitForSelector("cognito-login[screen=signIn]", { state: "attached" });
  assert.equal(await page.locator("cognito-login").getByRole("button", { name: "Create account" }).count(), 0);
  const config = { formFields: { signIn: { password: { label: "Secret phrase", order: 0 }, username: { placeholder: "jo@example.com", order: 1 } } } };
  await page.goto(`${server.url}?fake=1&config=${encodeURIComponent(JSON.stringify(config))}`);
  await page.waitForSelector("cognito-login[screen=signIn]", { state: "attached" });
  assert.equal(await page.locator("cognito-login").getByRole("button", { name: "Create account" }).count(), 1);
  const fields = await page.locator("cognito-login form [part=field]").evaluateAll((fs) =>
    fs.map((f) => [f.querySelector("label").textContent, f.querySelector("input").getAttribute("placeholder")]));
  assert.deepEqual(fields, [["Secret phrase", null], ["Username", "jo@example.com"]]);
  await page.close();
});

test("empty fields: Enter on an empty form names the missing field next to it, without a request", async () => {
  const page = await browser.newPage();
  await visit(page, server.url, "signIn");
  await page.locator("cognito-login").getByLabel("Username", { exact: true }).click();
  await page.keyboard.press("Enter");
  const field = page.locator("cognito-login [data-field=username]");
  await field.locator(".error").filter({ hasText: /./ }).waitFor();
  assert.equal(await field.locator(".error").textContent(), "Enter your username.");
  assert.equal(await field.locator("input").getAttribute("aria-invalid"), "true");
  assert.equal(await page.locator("cognito-login").getAttribute("screen"), "signIn");
  assert.equal(await page.evaluate(() => window.events.filter((e) => e.type === "error").length), 0, "nothing was sent");
  await page.close();
});

test("verify after sign-in is skippable: Skip goes on to the signed-in view", async () => {
  const page = await browser.newPage();
  await visit(page, server.url, "verify");
  await page.locator("cognito-login").getByRole("button", { name: "Skip", exact: true }).click();
  await page.waitForSelector("cognito-login[screen=signedIn]", { state: "attached" });
  assert.ok(await page.evaluate(() => window.events.some((e) => e.type === "signed-in")));
  await page.close();
});
