// The widget where SPAs live: the demo SPA (www/widget/, import map; claims
// and the access token's lifetime after sign-in), the esbuild example
// (www/examples/bundler/) and the React 19 example (www/examples/react/,
// bundled by esbuild with the package resolved through its `exports`),
// each signed in against the emulator by typing.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { serve } from "../../scripts/serve.mjs";
import { launchChromium } from "../helpers/chromium.mjs";
import { startEmulator } from "../helpers/emulator.mjs";
import { type } from "./support.mjs";

const dir = (rel) => fileURLToPath(new URL(rel, import.meta.url));
let emu, server, browser, out;

async function bundle(entry, name) {
  const target = join(out, name);
  mkdirSync(target, { recursive: true });
  await build({
    entryPoints: { main: dir(entry) }, outdir: target, splitting: true, bundle: true, minify: true, format: "esm",
    platform: "browser", jsx: "automatic", logLevel: "error", define: { "process.env.NODE_ENV": '"production"' },
    external: ["*.wasm"],
  });
  // Code splitting puts the QR encoder (a dynamic import) in its own chunk.
  // As Vite or webpack would, the wasm goes next to the bundle.
  for (const f of readdirSync(dir("../../pkg/gen/")).filter((f) => f.endsWith(".wasm"))) {
    copyFileSync(dir(`../../pkg/gen/${f}`), join(target, f));
  }
}

before(async () => {
  emu = await startEmulator();
  mkdirSync(dir("../.tmp/"), { recursive: true });
  out = mkdtempSync(join(dir("../.tmp/"), "widget-examples-"));
  await bundle("../../www/examples/bundler/main.js", "bundler");
  await bundle("../../www/examples/react/main.jsx", "react");
  server = await serve({
    port: 0,
    mounts: {
      "/pkg/": dir("../../pkg/"),
      "/examples/bundler/dist/": join(out, "bundler"),
      "/examples/react/dist/": join(out, "react"),
      "/": dir("../../www/"),
    },
  });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  await server?.close();
  await emu?.stop();
  if (out) rmSync(out, { recursive: true, force: true });
});

const query = () => `?${new URLSearchParams({ endpoint: emu.url, pool: emu.poolId, client: emu.clientId })}`;

async function signIn(page, userLabel = "Username") {
  await page.waitForSelector("cognito-login[screen=signIn]", { state: "attached", timeout: 20_000 });
  await type(page, userLabel, emu.username);
  await type(page, "Password", emu.password);
  await page.keyboard.press("Enter");
  await page.waitForSelector("cognito-login[screen=signedIn]", { state: "attached", timeout: 20_000 });
}

test("demo SPA (import map): signed in, the claims and the access token's remaining lifetime shown", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}widget/${query()}`);
  assert.equal(await page.locator("#session").isVisible(), false);
  await signIn(page);
  await page.locator("#session").waitFor();
  const claims = Object.fromEntries(
    await page.locator("#claims tr").evaluateAll((rows) => rows.map((r) => [r.cells[0].textContent, r.cells[1].textContent])),
  );
  assert.equal(claims["cognito:username"], emu.username);
  assert.equal(claims.email, "demo@example.com");
  await page.waitForFunction(() => /\d+ min \d+ s/.test(document.getElementById("lifetime").textContent));
  const [, min] = /(\d+) min/.exec(await page.textContent("#lifetime"));
  assert.ok(Number(min) >= 50 && Number(min) <= 60, `lifetime ${min} min of the 1 h access token`);
  // The header slot is projected into the widget.
  assert.equal(await page.locator("cognito-login [slot=header]").textContent(), "Demo app");
  await page.locator("cognito-login").getByRole("button", { name: "Sign out" }).click();
  await page.waitForSelector("cognito-login[screen=signIn]", { state: "attached" });
  assert.equal(await page.locator("#session").isVisible(), false);
  await page.close();
});

test("esbuild example: the bundled app signs in and hears the signed-in event", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}examples/bundler/${query()}`);
  await signIn(page);
  assert.equal(await page.textContent("#who"), `bundled app: ${emu.username} is signed in`);
  await page.close();
});

test("React 19 example: config and i18n reach the element as properties, events reach React state", async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}examples/react/${query()}`);
  await page.waitForSelector("cognito-login[screen=signIn]", { state: "attached", timeout: 20_000 });
  // From the i18n property.
  assert.equal(await page.locator("cognito-login h2").textContent(), "Sign in to the React app");
  assert.equal(await page.textContent("#react-screen"), "screen: signIn");
  // "Your username" is the label config.formFields gives.
  await signIn(page, "Your username");
  await page.waitForFunction(() => document.getElementById("react-status").textContent.includes("is signed in"));
  assert.equal(await page.textContent("#react-status"), `React knows: ${emu.username} is signed in`);
  assert.equal(await page.textContent("#react-screen"), "screen: signedIn");
  await page.locator("cognito-login").getByRole("button", { name: "Sign out" }).click();
  await page.waitForFunction(() => document.getElementById("react-status").textContent.includes("nobody"));
  await page.close();
});
