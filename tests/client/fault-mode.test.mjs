// The SDK's retry rules against the real emulator in fault mode (the faults
// happen on the server and on the wire, not in a wrapped `fetch`): CognitoAuth
// from the built package, in Node. Requests are counted at the emulator
// (`/_emulator/stats` counts faulted requests too), so each rule is proven
// by what the server received:
// - throttling (429 with Retry-After) is retried for every operation, after
//   the Retry-After the server asked for (within the retry policy's cap);
// - a 5xx or a lost response (connection dropped or reset, a timeout) is
//   retried only for idempotent operations;
// - a one-time code (ConfirmSignUp, an MFA code in RespondToAuthChallenge,
//   ConfirmForgotPassword) reaches the server once, whatever happens;
// - a transient fault during a refresh never loses the stored session;
// - a truncated or HTML body is a typed CognitoError and stores nothing.
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { CognitoAuth, CognitoError } from "cognito-wasm";
import { startEmulator } from "../helpers/emulator.mjs";
import { flowsSeed, passwordOf, mapStorage, totp, MAIN, PUBLIC_CLIENT, TOTP_SECRET } from "./helpers-flows.mjs";

let emu;
before(async () => {
  emu = await startEmulator({ seed: flowsSeed() });
});
after(async () => {
  await emu?.stop();
});
beforeEach(async () => {
  await emu.clearFaults();
});

/** Fast backoff so the tests wait milliseconds, with room for two retries. A
 * per-attempt timeout of 1.5 s (against a 4 s delay) leaves room for a busy machine. */
const RETRY = { maxRetries: 2, baseDelay: 1, maxDelay: 5 };

function client(options = {}) {
  const storage = options.storage ?? mapStorage();
  const auth = new CognitoAuth({ userPoolId: MAIN, clientId: PUBLIC_CLIENT, endpoint: emu.url, storage, retry: RETRY, ...options });
  return { auth, storage };
}

/** Runs `fn`; resolves to how many requests of each operation the emulator received meanwhile. */
async function counted(fn) {
  const before = await emu.stats();
  const result = await fn();
  const after = await emu.stats();
  const delta = {};
  for (const [op, n] of Object.entries(after)) if (n !== (before[op] ?? 0)) delta[op] = n - (before[op] ?? 0);
  return { result, delta };
}

/** Resolves to the CognitoError `promise` rejects with; fails on success or another error type. */
async function failure(promise) {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof CognitoError, `not a CognitoError: ${e?.stack ?? e}`);
    return e;
  }
  assert.fail("expected a rejection");
}

const alice = { username: "alice", password: passwordOf("alice") };

async function signedIn(options) {
  const c = client(options);
  assert.equal((await c.auth.signIn(alice)).done, true);
  return c;
}

let serial = 0;
/** A new unconfirmed user in MAIN. */
async function signedUp(auth) {
  const username = `fault-${process.pid}-${++serial}`;
  await auth.signUp({ username, password: "Fault-Passw0rd!", attributes: { email: `${username}@example.com`, name: "F" } });
  return username;
}

/** The faults a request can meet after the server acted on it, and what the SDK says. */
const LOST = [
  [{ fault: "drop" }, "NetworkError"],
  [{ fault: "reset" }, "NetworkError"],
  [{ fault: "delay", delayMs: 4000 }, "TimeoutError"],
];
/** Faults before the server acts (a 5xx), and what the SDK says. */
const REFUSED = [
  [{ fault: "status", status: 500 }, "InternalErrorException"],
  [{ fault: "status", status: 503 }, "InternalErrorException"],
];

test("throttling (429 with Retry-After) is retried for every operation, idempotent or not", async () => {
  const { auth } = client();
  // Sign-in steps are not idempotent; throttled requests were not run.
  await emu.fault({ target: "InitiateAuth", fault: "throttle", times: 2, retryAfter: 1 });
  await emu.fault({ target: "RespondToAuthChallenge", fault: "throttle", times: 2 });
  let { result, delta } = await counted(() => auth.signIn(alice));
  assert.equal(result.done, true);
  assert.deepEqual(delta, { InitiateAuth: 3, RespondToAuthChallenge: 3 });

  await emu.fault({ target: "GetUser", fault: "throttle", times: 2 });
  ({ result, delta } = await counted(() => auth.getUser()));
  assert.equal(result.username, "alice");
  assert.deepEqual(delta, { GetUser: 3 });

  // SignUp and ConfirmSignUp (a one-time code): throttled, then through.
  await emu.fault({ target: "SignUp", fault: "throttle", times: 1 });
  let username;
  ({ result: username, delta } = await counted(() => signedUp(auth)));
  assert.deepEqual(delta, { SignUp: 2 });
  const code = await emu.latestCode(username, "SignUp");
  await emu.fault({ target: "ConfirmSignUp", fault: "throttle", times: 2 });
  ({ delta } = await counted(() => auth.confirmSignUp({ username, code })));
  assert.deepEqual(delta, { ConfirmSignUp: 3 });
  const user = await emu.call("AdminGetUser", { UserPoolId: MAIN, Username: username });
  assert.equal(user.UserStatus, "CONFIRMED");

  // Throttled beyond the retries: a transient TooManyRequestsException.
  await emu.fault({ target: "GetUser", fault: "throttle", times: 10 });
  let e;
  ({ result: e, delta } = await counted(() => failure(auth.getUser())));
  assert.equal(e.code, "TooManyRequestsException");
  assert.equal(e.transient, true);
  assert.deepEqual(delta, { GetUser: 3 }, "one attempt and two retries");
});

test("a throttled call waits the Retry-After the server sent, within the retry cap", async () => {
  const { auth } = await signedIn({ retry: { maxRetries: 1, baseDelay: 1, maxDelay: 5000 } });
  await emu.fault({ target: "GetUser", fault: "throttle", retryAfter: 1 });
  const t = performance.now();
  const { result, delta } = await counted(() => auth.getUser());
  const waited = performance.now() - t;
  assert.equal(result.username, "alice");
  assert.deepEqual(delta, { GetUser: 2 });
  assert.ok(waited >= 1000, `retried after ${waited.toFixed(0)} ms despite Retry-After: 1`);
  // A Retry-After beyond the policy's cap waits the cap (maxDelay).
  const capped = await signedIn({ retry: { maxRetries: 1, baseDelay: 1, maxDelay: 200 } });
  await emu.fault({ target: "GetUser", fault: "throttle", retryAfter: 60 });
  const t2 = performance.now();
  assert.equal((await capped.auth.getUser()).username, "alice");
  const waited2 = performance.now() - t2;
  assert.ok(waited2 >= 200 && waited2 < 5000, `waited ${waited2.toFixed(0)} ms`);
});

test("an idempotent call is retried after a 5xx or a lost response", async () => {
  const { auth } = await signedIn({ timeout: 1500 });
  for (const [rule] of [...REFUSED, ...LOST, [{ fault: "html" }]]) {
    await emu.fault({ target: "GetUser", times: 2, ...rule });
    const { result, delta } = await counted(() => auth.getUser());
    assert.equal(result.username, "alice", JSON.stringify(rule));
    assert.deepEqual(delta, { GetUser: 3 }, JSON.stringify(rule));
  }
  // A body that arrived whole but unreadable (status 200) is not retried.
  await emu.fault({ target: "GetUser", fault: "truncate" });
  const { result: e, delta } = await counted(() => failure(auth.getUser()));
  assert.equal(e.code, "CognitoInvalidResponse");
  assert.deepEqual(delta, { GetUser: 1 });
});

test("a sign-in step meeting a 5xx or a lost response is sent once, nothing stored", async () => {
  const { auth, storage } = await signedIn({ timeout: 1500 });
  const kept = storage.snapshot();
  for (const target of ["InitiateAuth", "RespondToAuthChallenge"]) {
    for (const [rule, code] of [...REFUSED, ...LOST]) {
      await emu.fault({ target, ...rule });
      const { result: e, delta } = await counted(() => failure(auth.signIn(alice)));
      const what = `${target} ${JSON.stringify(rule)}`;
      assert.equal(e.code, code, what);
      assert.equal(e.transient, true, what);
      assert.equal(delta[target], 1, `${what}: ${JSON.stringify(delta)}`);
      assert.equal(storage.snapshot(), kept, `${what}: storage changed`);
    }
  }
  // The previous session is intact.
  assert.equal((await auth.getUser()).username, "alice");
});

test("a one-time code is never sent twice: ConfirmSignUp, an MFA code, ConfirmForgotPassword", async () => {
  const { auth } = client({ timeout: 1500 });
  for (const [rule, code] of [...LOST, ...REFUSED]) {
    const what = JSON.stringify(rule);
    // ConfirmSignUp.
    const username = await signedUp(auth);
    const signUpCode = await emu.latestCode(username, "SignUp");
    await emu.fault({ target: "ConfirmSignUp", ...rule });
    let { result: e, delta } = await counted(() => failure(auth.confirmSignUp({ username, code: signUpCode })));
    assert.equal(e.code, code, what);
    assert.deepEqual(delta, { ConfirmSignUp: 1 }, `ConfirmSignUp ${what}`);
    const status = (await emu.call("AdminGetUser", { UserPoolId: MAIN, Username: username })).UserStatus;
    // A lost answer: the code was used (a second try would have failed);
    // a 5xx: the request was not run.
    assert.equal(status, rule.fault === "status" ? "UNCONFIRMED" : "CONFIRMED", what);

    // A TOTP code answering SOFTWARE_TOKEN_MFA.
    const mfa = client({ timeout: 1500 });
    assert.equal((await mfa.auth.signIn({ username: "tina", password: passwordOf("tina") })).next, "SOFTWARE_TOKEN_MFA");
    const kept = mfa.storage.snapshot();
    await emu.fault({ target: "RespondToAuthChallenge", ...rule });
    ({ result: e, delta } = await counted(() => failure(mfa.auth.confirmSignIn({ code: totp(TOTP_SECRET) }))));
    assert.equal(e.code, code, what);
    assert.deepEqual(delta, { RespondToAuthChallenge: 1 }, `SOFTWARE_TOKEN_MFA ${what}`);
    assert.equal(mfa.storage.snapshot(), kept, `SOFTWARE_TOKEN_MFA ${what}: storage changed`);

    // ConfirmForgotPassword.
    await auth.forgotPassword({ username });
    const resetCode = await emu.latestCode(username, "ForgotPassword");
    await emu.fault({ target: "ConfirmForgotPassword", ...rule });
    ({ result: e, delta } = await counted(() =>
      failure(auth.confirmForgotPassword({ username, code: resetCode, newPassword: "Fault-Passw0rd!2" })),
    ));
    assert.equal(e.code, code, what);
    assert.deepEqual(delta, { ConfirmForgotPassword: 1 }, `ConfirmForgotPassword ${what}`);
  }
});

test("a transient fault during a refresh never loses the session", async () => {
  const { auth, storage } = await signedIn({ timeout: 1500 });
  const tokens = await auth.getTokens();
  const kept = storage.snapshot();
  const events = [];
  for (const type of ["sessionExpired", "signedOut", "tokenRefreshFailure"]) auth.on(type, (e) => events.push([type, e.detail]));
  const cases = [
    ...LOST,
    ...REFUSED,
    [{ fault: "throttle", times: 10 }, "TooManyRequestsException"],
    // An HTML 5xx from GetTokensFromRefreshToken makes the SDK try
    // REFRESH_TOKEN_AUTH once; a proxy failing both keeps the session.
    [{ path: "/", fault: "html", times: 2 }, "CognitoInvalidResponse"],
    [{ fault: "truncate" }, "CognitoInvalidResponse"],
  ];
  for (const [rule, code] of cases) {
    const what = JSON.stringify(rule);
    await emu.fault({ target: rule.path ? undefined : "GetTokensFromRefreshToken", ...rule });
    const { result: e, delta } = await counted(() => failure(auth.getTokens({ forceRefresh: true })));
    assert.equal(e.code, code, what);
    const expected = rule.fault === "throttle" ? 3 : 1;
    assert.equal(delta.GetTokensFromRefreshToken, expected, `${what}: ${JSON.stringify(delta)}`);
    assert.equal(storage.snapshot(), kept, `${what}: storage changed`);
    await emu.clearFaults();
    // Still signed in, with the same tokens.
    assert.equal((await auth.getTokens()).accessToken, tokens.accessToken, what);
  }
  // Each failure reported as such, none as the end of the session.
  assert.deepEqual(
    events.map(([type]) => type),
    cases.map(() => "tokenRefreshFailure"),
  );
  // The refresh token was never spent: a refresh now goes through.
  const fresh = await auth.getTokens({ forceRefresh: true });
  assert.equal(fresh.username, "alice");
  assert.notEqual(fresh.accessToken, tokens.accessToken);
  assert.equal((await auth.getUser()).username, "alice");
});

test("a truncated or HTML response is a typed CognitoError and changes nothing in storage", async () => {
  const { auth, storage } = await signedIn({ retry: false });
  const kept = storage.snapshot();
  const writes = storage.writes;
  const cases = [
    ["InitiateAuth", { fault: "truncate" }, (a) => a.signIn(alice)],
    ["InitiateAuth", { fault: "html" }, (a) => a.signIn(alice)],
    ["RespondToAuthChallenge", { fault: "truncate" }, (a) => a.signIn(alice)],
    ["RespondToAuthChallenge", { fault: "html", status: 504 }, (a) => a.signIn(alice)],
    // An empty 200 reads as a result with neither tokens nor a challenge.
    ["RespondToAuthChallenge", { fault: "truncate", keepBytes: 0 }, (a) => a.signIn(alice), "CognitoNoResult"],
    ["GetUser", { fault: "truncate" }, (a) => a.getUser()],
    ["GetUser", { fault: "html" }, (a) => a.getUser()],
    ["UpdateUserAttributes", { fault: "html", status: 500 }, (a) => a.updateUserAttributes({ attributes: { name: "X" } })],
    ["GetTokensFromRefreshToken", { fault: "truncate" }, (a) => a.getTokens({ forceRefresh: true })],
  ];
  for (const [target, rule, call, code = "CognitoInvalidResponse"] of cases) {
    const what = `${target} ${JSON.stringify(rule)}`;
    await emu.fault({ target, ...rule });
    const e = await failure(call(auth));
    assert.equal(e.code, code, `${what}: ${e.message}`);
    if (rule.fault === "html") assert.equal(e.transient, true, `${what}: a gateway's 5xx may pass later`);
    assert.equal(storage.snapshot(), kept, `${what}: storage changed`);
    assert.equal(storage.writes, writes, `${what}: storage written`);
  }
  assert.equal((await auth.getUser()).username, "alice");
});
