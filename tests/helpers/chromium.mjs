// Shared test helper: a headless Debian Chromium driven by playwright-core.
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** The flags every test browser gets (DESIGN.md, toolchain notes). */
export const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

/**
 * Launches Chromium with a fresh profile (`args`: extra command-line flags,
 * e.g. `--host-resolver-rules`). Returns `{ context, newPage, close }`;
 * `close()` stops the browser and deletes the profile (call it in `after`).
 * Console errors and uncaught page errors are collected in `errors`.
 */
export async function launchChromium({ headless = true, args = [] } = {}) {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} missing: run scripts/setup.sh (installs Debian chromium as root)`);
  }
  const profile = mkdtempSync(join(tmpdir(), "cognito-wasm-chromium-"));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless,
      args: [...CHROMIUM_FLAGS, ...args],
    });
  } catch (e) {
    rmSync(profile, { recursive: true, force: true });
    throw e;
  }
  const errors = [];
  const newPage = async () => {
    const page = await context.newPage();
    page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
    page.on("console", (m) => m.type() === "error" && errors.push(`console: ${m.text()}`));
    return page;
  };
  const close = async () => {
    try {
      await context.close();
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
  };
  return { context, newPage, close, errors };
}
