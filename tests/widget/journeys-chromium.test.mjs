// <cognito-login> in Chromium against the emulator, driven as a person would:
// clicking fields by their label, typing, pressing Enter or clicking buttons.
// Codes come from the emulator's outbox; TOTP codes are computed (otpauth
// package) from the seeded secret or from the secret the widget shows, and
// the drawn QR code is decoded with jsQR.
import { test, before, after, afterEach } from "node:test";
import assert from "node:assert/strict";
import jsQR from "jsqr";
import {
  startWorld, openWidget, screen, type, button, errorText, totp, codeFor, signedInText, events, passwordOf,
  TOTP_SECRET, MFA_POOL, MFA_CLIENT, POOL, CLIENT, CHOICE_POOL, CHOICE_CLIENT,
} from "./support.mjs";

let world;
before(async () => {
  world = await startWorld();
});
after(async () => {
  await world?.stop();
});
// Tabs of one browser share a signed-in session (CognitoAuth keeps tabs in
// step): every test starts with none open.
afterEach(async () => {
  for (const p of world.browser.context.pages()) await p.close();
});

async function signIn(page, username, password = passwordOf(username)) {
  await type(page, "Username", username);
  await type(page, "Password", password);
  await page.keyboard.press("Enter");
}

test("sign in: SRP with the password, signed-in view, bubbling composed events", async () => {
  const page = await openWidget(world);
  await signIn(page, "alice");
  assert.equal(await signedInText(page), "Signed in as alice@example.com.");
  const ev = await events(page);
  const signed = ev.find((e) => e.type === "signed-in");
  assert.deepEqual(signed, { type: "signed-in", screen: undefined, code: undefined, username: "alice", composed: true, bubbles: true });
  assert.deepEqual(ev.filter((e) => e.type === "step").map((e) => e.screen), ["signIn", "signedIn"]);
  // The session survives a reload: the widget starts signed in.
  await page.reload();
  await screen(page, "signedIn");
  await page.close();
});

test("sign out: back to the sign-in form, session gone, signed-out event", async () => {
  const page = await openWidget(world);
  await signIn(page, "bob");
  await signedInText(page);
  await button(page, "Sign out").click();
  await screen(page, "signIn");
  assert.ok((await events(page)).some((e) => e.type === "signed-out" && e.bubbles && e.composed));
  assert.deepEqual(await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith("cognito-wasm."))), []);
  await page.reload();
  await screen(page, "signIn");
  await page.close();
});

test("sign in + TOTP: the code screen, a code from the authenticator", async () => {
  const page = await openWidget(world);
  await signIn(page, "tina");
  await screen(page, "code");
  assert.match(await page.locator("cognito-login [part=body]").textContent(), /authenticator app/);
  await type(page, "Code", totp(TOTP_SECRET));
  await page.keyboard.press("Enter");
  assert.equal(await signedInText(page), "Signed in as tina@example.com.");
  await page.close();
});

test("sign in + e-mail code from the outbox", async () => {
  const page = await openWidget(world);
  const before = (await world.emu.outbox({ username: "emma", purpose: "EMAIL_OTP" })).length;
  await signIn(page, "emma");
  await screen(page, "code");
  assert.match(await page.locator("cognito-login [part=body]").textContent(), /We sent a code to .*@/);
  await type(page, "Code", await codeFor(world.emu, "emma", "EMAIL_OTP", before));
  await button(page, "Confirm").click();
  await signedInText(page);
  await page.close();
});

test("choose MFA: the user picks e-mail over SMS, then enters that code", async () => {
  const page = await openWidget(world);
  await signIn(page, "multi");
  await screen(page, "selectMfa");
  await page.locator("cognito-login").getByLabel("E-mail").check();
  await button(page, "Continue").click();
  await screen(page, "code");
  await type(page, "Code", await codeFor(world.emu, "multi", "EMAIL_OTP"));
  await page.keyboard.press("Enter");
  await signedInText(page);
  await page.close();
});

test("TOTP set-up: the drawn QR decodes to the otpauth URI of the secret shown; its code signs in", async () => {
  const page = await openWidget(world, { pool: MFA_POOL, client: MFA_CLIENT });
  await signIn(page, "setup");
  await screen(page, "totpSetup");
  const canvas = page.locator("cognito-login [part=qr] canvas");
  await canvas.waitFor();
  const { data, width, height } = await canvas.evaluate((c) => {
    const img = c.getContext("2d").getImageData(0, 0, c.width, c.height);
    return { data: [...img.data], width: img.width, height: img.height };
  });
  const decoded = jsQR(Uint8ClampedArray.from(data), width, height)?.data;
  const secret = (await page.locator("cognito-login [part=secret]").textContent()).trim();
  assert.match(secret, /^[A-Z2-7]{16,}$/);
  assert.equal(decoded, `otpauth://totp/AWSCognito:setup?secret=${secret}&issuer=AWSCognito`);
  // The QR module was fetched only now, by this screen.
  assert.ok(await page.evaluate(() => performance.getEntriesByType("resource").some((r) => r.name.endsWith("/widget/qr.js"))));
  await type(page, "Code", totp(secret));
  await page.keyboard.press("Enter");
  await signedInText(page);
  await page.close();
});

test("e-mail MFA set-up: the user picks e-mail among the factors to set up, gives the address, enters its code", async () => {
  const page = await openWidget(world, { pool: CHOICE_POOL, client: CHOICE_CLIENT });
  await signIn(page, "mailer");
  await screen(page, "setupMfa");
  await page.locator("cognito-login").getByLabel("E-mail").check();
  await button(page, "Continue").click();
  await screen(page, "emailSetup");
  await type(page, "E-mail", "mailer@example.org");
  await page.keyboard.press("Enter");
  await screen(page, "code");
  await type(page, "Code", await codeFor(world.emu, "mailer", "EMAIL_OTP"));
  await page.keyboard.press("Enter");
  assert.equal(await signedInText(page), "Signed in as mailer@example.org.");
  await page.close();
  // From now on, e-mail is the second factor.
  const again = await openWidget(world, { pool: CHOICE_POOL, client: CHOICE_CLIENT });
  await signIn(again, "mailer");
  await screen(again, "code");
  await type(again, "Code", await codeFor(world.emu, "mailer", "EMAIL_OTP", 1));
  await again.keyboard.press("Enter");
  await signedInText(again);
});

test("first sign-in with a new password and the pool's required attribute", async () => {
  const page = await openWidget(world);
  await signIn(page, "newbie");
  await screen(page, "newPassword");
  assert.match(await page.locator("cognito-login [part=password-rules]").textContent(), /at least 8 characters/);
  await type(page, "New password", "Brand-New-Passw0rd!");
  await type(page, "Name", "New Bie");
  await page.keyboard.press("Enter");
  await signedInText(page);
  await page.close();
  // The new password is the one that works now.
  const again = await openWidget(world);
  await signIn(again, "newbie", "Brand-New-Passw0rd!");
  await signedInText(again);
  await again.close();
});

test("sign up + confirm (with a resent code) → signed in", async () => {
  const page = await openWidget(world, { config: { signUpAttributes: ["email", "name"] } });
  await button(page, "Create account").click();
  await screen(page, "signUp");
  await type(page, "Username", "zoe");
  await type(page, "New password", "Zoe-Passw0rd!");
  await type(page, "E-mail", "zoe@example.com");
  await type(page, "Name", "Zoe");
  await page.keyboard.press("Enter");
  await screen(page, "confirmSignUp");
  await codeFor(world.emu, "zoe", "SignUp");
  await button(page, "Send a new code").click();
  const code = await codeFor(world.emu, "zoe", "SignUp", 1);
  await type(page, "Code", code);
  await page.keyboard.press("Enter");
  assert.equal(await signedInText(page), "Signed in as zoe@example.com.");
  await page.close();
});

test("forgot password → code → new password → signed in", async () => {
  const page = await openWidget(world);
  await button(page, "Forgot your password?").click();
  await screen(page, "forgotPassword");
  await type(page, "Username", "forget");
  await page.keyboard.press("Enter");
  await screen(page, "forgotConfirm");
  await type(page, "Code", await codeFor(world.emu, "forget", "ForgotPassword"));
  await type(page, "New password", "Forget-Passw0rd!2");
  await page.keyboard.press("Enter");
  await signedInText(page);
  await page.close();
  const again = await openWidget(world);
  await signIn(again, "forget", "Forget-Passw0rd!2");
  await signedInText(again);
  await again.close();
});

test("hosted UI: the 'Sign in with' button goes to the hosted UI and back, signed in", async () => {
  const page = await openWidget(world, {
    attrs: { "hosted-ui-domain": world.emu.url, "redirect-uri": world.server.url, "identity-providers": "COGNITO" },
  });
  await Promise.all([page.waitForURL(/\/login\?/), button(page, "Sign in with Cognito").click()]);
  await page.fill("#username", "hosted");
  await page.fill("#password", passwordOf("hosted"));
  await Promise.all([page.waitForURL((u) => u.href.startsWith(world.server.url)), page.click("button[type=submit]")]);
  assert.equal(await signedInText(page), "Signed in as hosted@example.com.");
  assert.equal(page.url(), world.server.url, "code and state cleaned from the address bar");
  await page.close();
});

test("wrong password: the message next to the password field, focus on the summary", async () => {
  const page = await openWidget(world);
  await signIn(page, "wrong", "Not-The-Passw0rd!");
  assert.match(await errorText(page), /The username or password is not right/);
  const field = page.locator("cognito-login [data-field=password]");
  assert.match(await field.textContent(), /The username or password is not right/);
  assert.equal(await field.locator("input").getAttribute("aria-invalid"), "true");
  assert.equal(await page.evaluate(() => document.querySelector("cognito-login").shadowRoot.activeElement?.getAttribute("part")), "error-summary");
  assert.ok((await events(page)).some((e) => e.type === "error" && e.code === "NotAuthorizedException"));
  // Corrected, it signs in.
  await page.locator("cognito-login").getByLabel("Password", { exact: true }).fill(passwordOf("wrong"));
  await page.keyboard.press("Enter");
  await signedInText(page);
  await page.close();
});

test("expired code: a reset code already used elsewhere is refused with words", async () => {
  const page = await openWidget(world);
  await button(page, "Forgot your password?").click();
  await type(page, "Username", "late");
  await page.keyboard.press("Enter");
  await screen(page, "forgotConfirm");
  const code = await codeFor(world.emu, "late", "ForgotPassword");
  await world.emu.call("ConfirmForgotPassword", { ClientId: CLIENT, Username: "late", ConfirmationCode: code, Password: "Late-Passw0rd!2" });
  await type(page, "Code", code);
  await type(page, "New password", "Late-Passw0rd!3");
  await page.keyboard.press("Enter");
  assert.match(await errorText(page), /expired or was already used/);
  assert.match(await page.locator("cognito-login [data-field=code]").textContent(), /expired or was already used/);
  await page.close();
});

test("weak password: the policy message next to the new password at sign-up", async () => {
  const page = await openWidget(world, { config: { signUpAttributes: ["email", "name"] } });
  await button(page, "Create account").click();
  await type(page, "Username", "weakling");
  await type(page, "New password", "weakpass");
  await type(page, "E-mail", "weak@example.com");
  await type(page, "Name", "Weak");
  // The rules list ticks what the typed password meets.
  const met = await page.locator("cognito-login [part=password-rules] li.met").allTextContents();
  assert.deepEqual(met, ["at least 8 characters", "a lowercase letter"]);
  await page.keyboard.press("Enter");
  assert.match(await errorText(page), /does not meet the rules/);
  assert.match(await page.locator("cognito-login [data-field=newPassword]").textContent(), /does not meet the rules/);
  await page.close();
});

test("unverified e-mail after sign-in: send a code, verify it, then signed in", async () => {
  const page = await openWidget(world);
  await signIn(page, "vera");
  await screen(page, "verify");
  assert.match(await page.locator("cognito-login [part=body]").textContent(), /vera@example.com is not verified/);
  await button(page, "Send code").click();
  await page.locator("cognito-login").getByLabel("Code", { exact: true }).waitFor();
  await type(page, "Code", await codeFor(world.emu, "vera", "VerifyUserAttribute:email"));
  await page.keyboard.press("Enter");
  await signedInText(page);
  const attrs = await world.emu.call("AdminGetUser", { UserPoolId: POOL, Username: "vera" });
  assert.equal(attrs.UserAttributes.find((a) => a.Name === "email_verified").Value, "true");
  await page.close();
});

test("USER_AUTH: the username, then the first factor chosen (e-mail code)", async () => {
  const page = await openWidget(world, { config: { authFlow: "USER_AUTH" } });
  assert.equal(await page.locator("cognito-login input[type=password]").count(), 0);
  await type(page, "Username", "first");
  await page.keyboard.press("Enter");
  await screen(page, "firstFactor");
  await page.locator("cognito-login").getByLabel("E-mail").check();
  await button(page, "Continue").click();
  await screen(page, "code");
  await type(page, "Code", await codeFor(world.emu, "first", "EMAIL_OTP"));
  await page.keyboard.press("Enter");
  await signedInText(page);
  await page.close();
});

test("custom challenge: the question shown, the answer from the outbox", async () => {
  const page = await openWidget(world, { config: { signInOptions: { authFlow: "CUSTOM_WITH_SRP" } } });
  await signIn(page, "cust");
  await screen(page, "custom");
  assert.match(await page.locator("cognito-login [part=body]").textContent(), /Enter the code sent to your e-mail/);
  await type(page, "Answer", await codeFor(world.emu, "cust", "CUSTOM_CHALLENGE"));
  await page.keyboard.press("Enter");
  await signedInText(page);
  await page.close();
});

test("keyboard only: Tab to the form, type, Enter; the code field has focus; Enter signs in", async () => {
  const page = await openWidget(world);
  // From the top of the page: Tab until the username field has focus.
  const focused = () => page.evaluate(() => document.querySelector("cognito-login").shadowRoot.activeElement?.getAttribute("name") ?? null);
  for (let i = 0; i < 5 && (await focused()) !== "username"; i++) await page.keyboard.press("Tab");
  assert.equal(await focused(), "username");
  // Focus is visible: a solid outline at least 2 px wide.
  const outline = await page.evaluate(() => {
    const s = getComputedStyle(document.querySelector("cognito-login").shadowRoot.activeElement);
    return [s.outlineStyle, parseFloat(s.outlineWidth)];
  });
  assert.equal(outline[0], "solid");
  assert.ok(outline[1] >= 2, `outline ${outline[1]}px`);
  await page.keyboard.type("keys");
  await page.keyboard.press("Tab");
  assert.equal(await focused(), "password");
  await page.keyboard.type(passwordOf("keys"));
  await page.keyboard.press("Enter");
  await screen(page, "code");
  assert.equal(await focused(), "code", "focus moves to the code field");
  await page.keyboard.type(totp(TOTP_SECRET));
  await page.keyboard.press("Enter");
  await screen(page, "signedIn");
  // The sign-out button is reachable by keyboard too.
  assert.equal(await page.evaluate(() => document.querySelector("cognito-login").shadowRoot.activeElement?.textContent), "Sign out");
  await page.keyboard.press("Enter");
  await screen(page, "signIn");
  await page.close();
});

test("busy state: while Cognito answers slowly the button is busy, the live region says so, the page still runs", async () => {
  const page = await world.browser.newPage();
  // Every Cognito API call takes 400 ms more.
  await page.route(`${world.emu.url}/`, async (route) => {
    await new Promise((r) => setTimeout(r, 400));
    await route.continue();
  });
  await openWidget(world, { page });
  const stats = async () => (await (await fetch(`${world.emu.url}/_emulator/stats`)).json()).operations.InitiateAuth ?? 0;
  const before = await stats();
  await signIn(page, "kim");
  const submit = page.locator("cognito-login button[type=submit]");
  await page.waitForSelector("cognito-login button[type=submit][aria-busy=true]", { state: "attached", timeout: 5_000 });
  assert.equal(await page.locator("cognito-login [role=status]").getAttribute("aria-live"), "polite");
  await page.waitForFunction(() => document.querySelector("cognito-login").shadowRoot.querySelector("[role=status]").textContent === "Working…");
  // A second Enter while busy does not start a second sign-in.
  await page.keyboard.press("Enter");
  // The main thread keeps running timers meanwhile.
  const ticks = await page.evaluate(() => new Promise((r) => {
    let n = 0;
    const t = setInterval(() => ++n === 5 && (clearInterval(t), r(n)), 10);
  }));
  assert.equal(ticks, 5);
  await signedInText(page);
  assert.equal(await submit.count(), 0);
  await page.waitForFunction(() => document.querySelector("cognito-login").shadowRoot.querySelector("[role=status]").textContent === "Signed in");
  assert.equal((await stats()) - before, 1, "one InitiateAuth for two Enters");
  await page.close();
});

test("i18n: German texts (set before the element is defined), a German error, then back to English", async () => {
  const page = await openWidget(world, { lang: "de" });
  assert.equal(await page.locator("cognito-login h2").textContent(), "Anmelden");
  await type(page, "Benutzername", "alice");
  await type(page, "Passwort", "Falsches-Passw0rt!");
  await page.keyboard.press("Enter");
  assert.match(await errorText(page), /Benutzername oder Passwort ist falsch/);
  await page.evaluate(() => (document.querySelector("cognito-login").i18n = {}));
  assert.equal(await page.locator("cognito-login h2").textContent(), "Sign in");
  await page.close();
});

test("elsewhere: a second tab finds the session and shows signed in; the app's own signOut() brings the form back", async () => {
  const a = await openWidget(world);
  await signIn(a, "dave");
  await signedInText(a);
  const b = await a.context().newPage();
  await b.goto(a.url());
  await screen(b, "signedIn");
  assert.equal(await b.locator("cognito-login [part=who]").textContent(), "Signed in as dave@example.com.");
  // The app signs out through the CognitoAuth the widget uses.
  await a.evaluate(() => document.querySelector("cognito-login").auth.signOut());
  await screen(a, "signIn");
  assert.ok((await events(a)).some((e) => e.type === "signed-out"));
  await screen(b, "signIn");
  await a.close();
  await b.close();
});
