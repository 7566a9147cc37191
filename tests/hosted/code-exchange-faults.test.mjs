// The authorization code is a one-time code too: `oauth.exchangeCode`
// against the emulator in fault mode (`/oauth2/token` faulted) sends it once
// when the answer is lost or is a 5xx, and retries it only when throttled.
// Counted at the emulator: `oauth2/token:authorization_code` in
// /_emulator/http-stats counts exchanges the server ran, a rule's `hits`
// the requests it struck.
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { oauth, CognitoError } from "cognito-wasm";
import { startEmulator } from "../helpers/emulator.mjs";

const AWS_ISSUER_BASE = "https://cognito-idp.us-east-1.amazonaws.com";
const redirectUri = "http://127.0.0.1:8080/callback";
let emu, base, checked;

before(async () => {
  emu = await startEmulator({ issuer: AWS_ISSUER_BASE });
  base = {
    domain: emu.url, clientId: emu.confidentialClientId, clientSecret: emu.clientSecret,
    timeout: 1500, retry: { maxRetries: 2, baseDelay: 1, maxDelay: 5 },
  };
  checked = { userPoolId: emu.poolId, issuer: `${AWS_ISSUER_BASE}/${emu.poolId}`, jwksUri: emu.jwksUri };
});
after(async () => emu?.stop());
beforeEach(async () => emu.clearFaults());

/** A fresh authorization code: the callback URL and its transaction. */
async function callback() {
  const { url, transaction } = oauth.buildAuthorizeUrl({ ...base, redirectUri, scopes: ["openid", "email"] });
  const toLogin = await fetch(url, { redirect: "manual" });
  const login = new URL(toLogin.headers.get("location"), emu.url);
  const form = new URLSearchParams({ tx: login.searchParams.get("tx"), username: emu.username, password: emu.password });
  const back = await fetch(`${emu.url}/login`, { method: "POST", body: form, redirect: "manual" });
  return { url: back.headers.get("location"), transaction };
}

const exchanged = async () =>
  (await (await fetch(`${emu.url}/_emulator/http-stats`)).json()).requests["oauth2/token:authorization_code"] ?? 0;

async function failure(promise) {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof CognitoError, `not a CognitoError: ${e?.stack ?? e}`);
    return e;
  }
  assert.fail("expected a rejection");
}

test("a code exchange whose answer is lost or a 5xx is not sent again", async () => {
  const cases = [
    [{ fault: "drop" }, "NetworkError", true],
    [{ fault: "reset" }, "NetworkError", true],
    [{ fault: "delay", delayMs: 4000 }, "TimeoutError", true],
    [{ fault: "status", status: 503 }, "OAuthInvalidResponse", false],
    [{ fault: "html", status: 502 }, "OAuthInvalidResponse", false],
  ];
  for (const [rule, code, processed] of cases) {
    const what = JSON.stringify(rule);
    const cb = await callback();
    const before = await exchanged();
    await emu.fault({ path: "/oauth2/token", ...rule });
    const e = await failure(oauth.exchangeCode({ ...base, ...checked, ...cb }));
    assert.equal(e.code, code, `${what}: ${e.message}`);
    assert.equal(e.transient, true, what);
    const [struck] = await emu.faults();
    assert.equal(struck.hits, 1, `${what}: one request reached the server`);
    assert.equal((await exchanged()) - before, processed ? 1 : 0, what);
    // What a second sending would have met: a used code, or (when the
    // server did not run it) a code still good.
    await emu.clearFaults();
    const again = oauth.exchangeCode({ ...base, ...checked, ...cb });
    if (processed) {
      const e2 = await failure(again);
      assert.match(e2.message, /invalid_grant/, what);
    } else {
      assert.ok((await again).accessToken, what);
    }
  }
});

test("a throttled code exchange is retried, and the code is used once", async () => {
  const cb = await callback();
  const before = await exchanged();
  await emu.fault({ path: "/oauth2/token", fault: "throttle", times: 2 });
  const t = await oauth.exchangeCode({ ...base, ...checked, ...cb });
  assert.ok(t.accessToken && t.idToken);
  const [rule] = await emu.faults();
  assert.equal(rule.hits, 2);
  assert.equal((await exchanged()) - before, 1);
});
