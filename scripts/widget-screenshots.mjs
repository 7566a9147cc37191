#!/usr/bin/env node
// Screenshots of every <cognito-login> screen at 1280 and 360 px wide, light
// and dark, into widget-screenshots/ (git-ignored). The screens are reached
// with the scripted CognitoAuth of tests/widget/fixtures/fake-auth.js.
//   node scripts/widget-screenshots.mjs [screen ...]
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { serve } from "./serve.mjs";
import { launchChromium } from "../tests/helpers/chromium.mjs";
import { SCREENS, visit } from "../tests/widget/screens.mjs";

const out = fileURLToPath(new URL("../widget-screenshots/", import.meta.url));
mkdirSync(out, { recursive: true });
const only = process.argv.slice(2);
const server = await serve({
  port: 0,
  mounts: {
    "/pkg/": fileURLToPath(new URL("../pkg/", import.meta.url)),
    "/": fileURLToPath(new URL("../tests/widget/fixtures/", import.meta.url)),
  },
});
const browser = await launchChromium();
let n = 0;
try {
  for (const width of [1280, 360]) {
    for (const scheme of ["light", "dark"]) {
      const page = await browser.newPage();
      await page.setViewportSize({ width, height: 800 });
      await page.emulateMedia({ colorScheme: scheme });
      for (const name of SCREENS.filter((s) => !only.length || only.includes(s))) {
        await visit(page, server.url, name);
        await page.screenshot({ path: `${out}${name}-${width}-${scheme}.png`, fullPage: true });
        n++;
      }
      await page.close();
    }
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(`${n} screenshots in widget-screenshots/`);
