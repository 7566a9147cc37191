// Issue 15, finding 2, as an attacker would try it: a page on another site,
// open in the developer's Chromium, tries to read sign-up codes from the
// emulator's outbox, set a user's password with AdminSetUserPassword and read
// a client secret with DescribeUserPoolClient. The emulator is started as a
// developer would (no test wildcard origins): only the seed's registered
// callback origin is allowed. Also: that registered page can still call the
// API, and a DNS-rebinding host name (mapped to 127.0.0.1 in Chromium) is
// refused by the Host check.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "../../scripts/serve.mjs";
import { launchChromium } from "../helpers/chromium.mjs";
import { startEmulator } from "../helpers/emulator.mjs";

const PASSWORD = "Demo-Passw0rd!";
const SECRET = "attack-test-secret-0123456789abcdefghijklmnopqrstuv";
// Chromium resolves every *.localhost name to loopback itself, so a page on
// evil.localhost is another site served from this machine (not a loopback
// name the emulator knows); evil.example is mapped to 127.0.0.1 with a flag,
// as a rebinding DNS server would.
const REBIND = "evil.example";

let server, emu, browser, dir, registered, foreign;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "cognito-emu-xorigin-"));
  writeFileSync(join(dir, "index.html"), "<!doctype html><title>page</title><p>page</p>");
  server = await serve({ port: 0, mounts: { "/": dir } });
  registered = `http://127.0.0.1:${server.port}`;
  foreign = `http://evil.localhost:${server.port}`;
  const seed = {
    pools: [
      {
        id: "us-east-1_XOrigin",
        clients: [
          { id: "xorigin-spa", name: "spa", callbackUrls: [`${registered}/callback`], logoutUrls: [`${registered}/`] },
          { id: "xorigin-conf", name: "conf", secret: SECRET, callbackUrls: [`${registered}/cb2`] },
        ],
        users: [{ username: "demo", password: PASSWORD, attributes: { email: "demo@example.com" } }],
      },
    ],
  };
  emu = await startEmulator({ seed, loopbackOrigins: false });
  browser = await launchChromium({ args: [`--host-resolver-rules=MAP ${REBIND} 127.0.0.1`] });
});

after(async () => {
  await browser?.close();
  await emu?.stop();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** In the page: fetch and report `{ status, body }` or `{ error }` (a CORS failure is a TypeError). */
async function tryFetch(page, url, init) {
  return page.evaluate(
    async ([url, init]) => {
      try {
        const r = await fetch(url, init);
        return { status: r.status, body: await r.text() };
      } catch (e) {
        return { error: `${e.name}: ${e.message}` };
      }
    },
    [url, init],
  );
}

const apiInit = (op, body) => ({
  method: "POST",
  headers: {
    "content-type": "application/x-amz-json-1.1",
    "x-amz-target": `AWSCognitoIdentityProviderService.${op}`,
  },
  body: JSON.stringify(body),
});

async function signsIn(password) {
  try {
    await emu.call("InitiateAuth", {
      ClientId: "xorigin-spa",
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: "demo", PASSWORD: password },
    });
    return true;
  } catch (e) {
    if (e.name === "NotAuthorizedException") return false;
    throw e;
  }
}

/** The number of "refused" lines the emulator logged, once `want` arrived or after 2 s. */
async function refusals(want) {
  const count = () => emu.logs().match(/refused: privileged request from a browser page on another origin/g)?.length ?? 0;
  for (let i = 0; i < 40 && count() < want; i++) await new Promise((r) => setTimeout(r, 50));
  return count();
}

const operations = async () => (await (await fetch(`${emu.url}/_emulator/stats`)).json()).operations;

test("a page on another site cannot read the outbox, set a password or read a client secret", async () => {
  // A sign-up code the attacker wants (created from Node: no Origin).
  await emu.call("SignUp", {
    ClientId: "xorigin-spa",
    Username: "victim",
    Password: "Victim-Passw0rd!",
    UserAttributes: [{ Name: "email", Value: "victim@example.com" }],
  });
  const code = await emu.latestCode("victim");

  const page = await browser.newPage();
  await page.goto(`${foreign}/`);
  assert.equal(await page.evaluate(() => location.origin), foreign);

  // A simple GET (no preflight): the server refuses it, and sends no CORS
  // headers, so the page sees a network error either way.
  const outbox = await tryFetch(page, `${emu.url}/_emulator/outbox`);
  assert.match(outbox.error ?? "", /^TypeError/, JSON.stringify(outbox));
  // A no-cors GET carries no Origin; Sec-Fetch-Site: cross-site gives it away.
  const noCors = await tryFetch(page, `${emu.url}/_emulator/outbox`, { mode: "no-cors" });
  assert.equal(noCors.status, 0, "an opaque response: nothing readable");
  assert.equal(noCors.body, "");

  const setPassword = await tryFetch(
    page,
    emu.url,
    apiInit("AdminSetUserPassword", { UserPoolId: "us-east-1_XOrigin", Username: "demo", Password: "Pwned-Passw0rd!", Permanent: true }),
  );
  assert.match(setPassword.error ?? "", /^TypeError/, JSON.stringify(setPassword));
  const describe = await tryFetch(page, emu.url, apiInit("DescribeUserPoolClient", { UserPoolId: "us-east-1_XOrigin", ClientId: "xorigin-conf" }));
  assert.match(describe.error ?? "", /^TypeError/, JSON.stringify(describe));
  assert.ok(!JSON.stringify(describe).includes(SECRET));
  // The same POSTs as "simple" requests (no preflight; the browser drops the
  // X-Amz-Target header it may not send there): refused, nothing readable.
  for (const op of ["AdminSetUserPassword", "DescribeUserPoolClient"]) {
    const simple = await tryFetch(page, emu.url, {
      method: "POST",
      mode: "no-cors",
      headers: { "content-type": "text/plain", "x-amz-target": `AWSCognitoIdentityProviderService.${op}` },
      body: JSON.stringify({ UserPoolId: "us-east-1_XOrigin", Username: "demo", Password: "Pwned-Passw0rd!", Permanent: true }),
    });
    assert.equal(simple.status, 0, op);
  }

  // The emulator itself refused the four requests that needed no preflight
  // (two outbox reads, two simple POSTs); the preflights failed before any
  // POST was sent.
  assert.equal(await refusals(4), 4, emu.logs());

  // Nothing reached the handlers (counted at the server), the password is
  // the old one, and no page text holds the code or the secret.
  const ops = await operations();
  assert.equal(ops.AdminSetUserPassword, undefined, JSON.stringify(ops));
  assert.equal(ops.DescribeUserPoolClient, undefined, JSON.stringify(ops));
  assert.equal(await signsIn(PASSWORD), true);
  assert.equal(await signsIn("Pwned-Passw0rd!"), false);
  assert.ok(!JSON.stringify(outbox).includes(code));
  await page.close();
});

test("the registered callback origin's page can still call the API and read the outbox", async () => {
  const page = await browser.newPage();
  await page.goto(`${registered}/`);
  const r = await tryFetch(
    page,
    emu.url,
    apiInit("InitiateAuth", {
      ClientId: "xorigin-spa",
      AuthFlow: "USER_PASSWORD_AUTH",
      AuthParameters: { USERNAME: "demo", PASSWORD },
    }),
  );
  assert.equal(r.status, 200, JSON.stringify(r));
  assert.ok(JSON.parse(r.body).AuthenticationResult.AccessToken);
  const outbox = await tryFetch(page, `${emu.url}/_emulator/outbox`);
  assert.equal(outbox.status, 200, JSON.stringify(outbox));
  assert.ok(Array.isArray(JSON.parse(outbox.body)));
  await page.close();
});

test("a rebinding host name reaching the emulator is refused (Host check)", async () => {
  const page = await browser.newPage();
  // The browser connects to 127.0.0.1 but says Host: evil.example:<port>.
  const resp = await page.goto(`http://${REBIND}:${emu.port}/_emulator/outbox`);
  assert.equal(resp.status(), 403);
  assert.match(await resp.text(), /--host-alias/);
  // Same-origin for the page, so no CORS is involved: the Host check alone stops it.
  const api = await tryFetch(
    page,
    `http://${REBIND}:${emu.port}/`,
    apiInit("DescribeUserPoolClient", { UserPoolId: "us-east-1_XOrigin", ClientId: "xorigin-conf" }),
  );
  assert.equal(api.status, 403, JSON.stringify(api));
  assert.ok(!api.body.includes(SECRET));
  // The loopback names still work from the browser.
  for (const host of ["127.0.0.1", "localhost"]) {
    const ok = await page.goto(`http://${host}:${emu.port}/_emulator/health`);
    assert.equal(ok.status(), 200, host);
  }
  await page.close();
});
