// Brings <cognito-login> to each of its screens with the scripted FakeAuth
// (fixtures/fake-auth.js): for the axe test and scripts/widget-screenshots.mjs.
export const SCREENS = [
  "signIn", "signInError", "code", "selectMfa", "setupMfa", "totpSetup", "emailSetup", "newPassword", "custom",
  "firstFactor", "signUp", "confirmSignUp", "forgotPassword", "forgotConfirm", "verify", "verifyCode", "addPasskey", "signedIn",
];

const wait = (page, name) => page.waitForSelector(`cognito-login[screen=${name}]`, { state: "attached", timeout: 10_000 });
const fill = (page, label, text) => page.locator("cognito-login").getByLabel(label, { exact: true }).fill(text);
const click = (page, name) => page.locator("cognito-login").getByRole("button", { name, exact: true }).click();

async function signInAs(page, username) {
  await fill(page, "Username", username);
  await fill(page, "Password", "Any-Passw0rd!");
  await click(page, "Sign in");
}

/** Opens `baseUrl` (the fixture page) and goes to `name`; resolves when it shows. */
export async function visit(page, baseUrl, name) {
  const config = name === "firstFactor" ? { authFlow: "USER_AUTH" }
    : name === "addPasskey" ? { passkeyPrompt: "always" } : { signUpAttributes: ["email", "name"] };
  await page.goto(`${baseUrl}?fake=1&config=${encodeURIComponent(JSON.stringify(config))}`);
  await wait(page, "signIn");
  const by = {
    signIn: async () => {},
    signInError: async () => {
      await signInAs(page, "wrong");
      await page.locator("cognito-login [part=error-summary]").filter({ hasText: /./ }).waitFor();
    },
    code: () => signInAs(page, "totp"),
    selectMfa: () => signInAs(page, "select"),
    setupMfa: () => signInAs(page, "setup"),
    totpSetup: async () => {
      await signInAs(page, "setup");
      await wait(page, "setupMfa");
      await click(page, "Continue");
      await wait(page, "totpSetup");
      await page.locator("cognito-login [part=qr] canvas").waitFor();
    },
    emailSetup: async () => {
      await signInAs(page, "setup");
      await wait(page, "setupMfa");
      await page.locator("cognito-login").getByLabel("E-mail").check();
      await click(page, "Continue");
    },
    newPassword: () => signInAs(page, "newpw"),
    custom: () => signInAs(page, "custom"),
    firstFactor: async () => {
      await fill(page, "Username", "factor");
      await click(page, "Continue");
    },
    signUp: () => click(page, "Create account"),
    confirmSignUp: async () => {
      await click(page, "Create account");
      await fill(page, "Username", "new");
      await fill(page, "New password", "New-Passw0rd!");
      await fill(page, "E-mail", "new@example.com");
      await fill(page, "Name", "New");
      await click(page, "Create account");
    },
    forgotPassword: () => click(page, "Forgot your password?"),
    forgotConfirm: async () => {
      await click(page, "Forgot your password?");
      await fill(page, "Username", "f");
      await click(page, "Send code");
    },
    verify: () => signInAs(page, "verify"),
    verifyCode: async () => {
      await signInAs(page, "verify");
      await wait(page, "verify");
      await click(page, "Send code");
      await page.locator("cognito-login").getByLabel("Code", { exact: true }).waitFor();
    },
    addPasskey: () => signInAs(page, "nokey"),
    signedIn: async () => {
      await signInAs(page, "ok");
      await page.locator("cognito-login [part~=passkey]").first().waitFor();
    },
  };
  await by[name]();
  const screen = { signInError: "signIn", verifyCode: "verify" }[name] ?? name;
  await wait(page, screen);
}
