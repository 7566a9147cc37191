// Shared by the widget's Chromium tests: the emulator seed, the page server
// (tests/widget/fixtures at /, pkg/ at /pkg/), and person-like helpers.
import { fileURLToPath } from "node:url";
import * as OTPAuth from "otpauth";
import { serve } from "../../scripts/serve.mjs";
import { launchChromium } from "../helpers/chromium.mjs";
import { startEmulator } from "../helpers/emulator.mjs";

export const POOL = "us-east-1_WidgetMain";
export const MFA_POOL = "us-east-1_WidgetMfaOn";
export const CLIENT = "widget-spa";
export const MFA_CLIENT = "widget-mfa";
export const CHOICE_POOL = "us-east-1_WidgetMfaChoice";
export const CHOICE_CLIENT = "widget-mfa-choice";
export const TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
export const passwordOf = (u) => `${u[0].toUpperCase()}${u.slice(1)}-Passw0rd!`;

const user = (username, extra = {}) => ({
  username,
  password: passwordOf(username),
  ...extra,
  attributes: { email: `${username}@example.com`, email_verified: "true", ...(extra.attributes ?? {}) },
});

export function widgetSeed(pageUrl) {
  const client = (id) => ({ id, name: id, callbackUrls: [pageUrl], logoutUrls: [pageUrl], allowedOauthFlows: ["code"],
    allowedOauthScopes: ["openid", "email", "profile", "aws.cognito.signin.user.admin"] });
  return {
    pools: [
      {
        id: POOL,
        mfa: "OPTIONAL",
        autoVerifiedAttributes: ["email"],
        customChallenge: { question: "Enter the code sent to your e-mail", answer: "$code" },
        requiredAttributes: ["name"],
        clients: [client(CLIENT)],
        users: [
          ...["alice", "bob", "carol", "dave", "kim", "hosted", "wrong", "late", "cust", "first"].map((u) => user(u)),
          user("tina", { totpSecret: TOTP_SECRET }),
          user("keys", { totpSecret: TOTP_SECRET }),
          user("emma", { emailMfa: true }),
          user("multi", { attributes: { phone_number: "+15555550102", phone_number_verified: "true" }, smsMfa: true, emailMfa: true }),
          user("newbie", { status: "FORCE_CHANGE_PASSWORD" }),
          user("forget"),
          user("vera", { attributes: { email_verified: "false" } }),
        ],
      },
      { id: MFA_POOL, mfa: "ON", clients: [client(MFA_CLIENT)], users: [user("setup")] },
      { id: CHOICE_POOL, mfa: "ON", emailMfaSetup: true, clients: [client(CHOICE_CLIENT)], users: [user("mailer", { attributes: { email: "" } })] },
    ],
  };
}

/** Starts the page server, the emulator (seeded for it) and Chromium. */
export async function startWorld() {
  const server = await serve({
    port: 0,
    mounts: { "/pkg/": fileURLToPath(new URL("../../pkg/", import.meta.url)), "/": fileURLToPath(new URL("./fixtures/", import.meta.url)) },
  });
  const emu = await startEmulator({ seed: widgetSeed(server.url) });
  const browser = await launchChromium();
  return {
    server,
    emu,
    browser,
    async stop() {
      await browser.close();
      await server.close();
      await emu.stop();
    },
  };
}

/** Opens the fixture page with the widget configured by attributes (and `config`). */
export async function openWidget(world, { pool = POOL, client = CLIENT, attrs = {}, config, page, colorScheme, lang } = {}) {
  page ??= await world.browser.newPage();
  if (colorScheme) await page.emulateMedia({ colorScheme });
  const q = new URLSearchParams();
  const all = { "user-pool-id": pool, "client-id": client, endpoint: world.emu.url, ...attrs };
  for (const [k, v] of Object.entries(all)) q.append("a", `${k}:${v}`);
  if (config) q.set("config", JSON.stringify(config));
  if (lang) q.set("lang", lang);
  await page.goto(`${world.server.url}?${q}`);
  await page.waitForSelector("body[data-ready=true]", { state: "attached" });
  await screen(page, "signIn");
  return page;
}

/** Waits until the widget shows `name`. */
export async function screen(page, name, timeout = 20_000) {
  await page.waitForSelector(`cognito-login[screen=${name}]`, { state: "attached", timeout });
}

/** Clicks a field by its label and types into it, as a person would. */
export async function type(page, label, text) {
  const field = page.locator("cognito-login").getByLabel(label, { exact: true });
  await field.click();
  await field.pressSequentially(text);
}

export const button = (page, name) => page.locator("cognito-login").getByRole("button", { name, exact: true });

/** The widget's error summary text, once it shows one. */
export async function errorText(page) {
  const summary = page.locator("cognito-login [part=error-summary]");
  await summary.filter({ hasText: /./ }).waitFor({ timeout: 20_000 });
  return summary.textContent();
}

/** The current TOTP code of a base32 secret (the otpauth package, RFC 6238). */
export function totp(secret) {
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: "SHA1" }).generate();
}

/** Waits for a new code in the outbox for (username, purpose) beyond `after` messages. */
export async function codeFor(emu, username, purpose, after = 0) {
  for (let i = 0; i < 200; i++) {
    const msgs = await emu.outbox({ username, purpose });
    if (msgs.length > after) return msgs[msgs.length - 1].code;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no ${purpose} code for ${username}`);
}

/** The signed-in view's text, once it shows. */
export async function signedInText(page) {
  await screen(page, "signedIn");
  return page.locator("cognito-login [part=who]").textContent();
}

export const events = (page) => page.evaluate(() => window.events);
