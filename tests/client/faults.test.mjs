// Bad input for CognitoAuth (the built package, in Node) against the real
// emulator, with faults injected by a `fetch` option wrapping the real fetch:
// malformed and truncated JSON, an HTML error page from a proxy, a 200 with
// neither tokens nor a challenge, an unknown challenge, a network failure
// mid-flow, a timeout, an aborted signal, and a storage that throws (quota).
// Each gives its documented `code`, leaves the stored state as it was, and
// nothing rejects with anything but a CognitoError.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { CognitoAuth, CognitoError } from "cognito-wasm";
import { startEmulator } from "../helpers/emulator.mjs";
import { flowsSeed, passwordOf, mapStorage, MAIN, PUBLIC_CLIENT } from "./helpers-flows.mjs";

const TARGET = "AWSCognitoIdentityProviderService.";
let emu;

before(async () => {
  emu = await startEmulator({ seed: flowsSeed() });
});
after(async () => {
  await emu?.stop();
});

const json = (body, status = 200, type = "application/x-amz-json-1.1") =>
  new Response(body, { status, headers: { "content-type": type } });

/** Faults, each `(realResponse: () => Promise<Response>, init) => Promise<Response>`. */
const FAULTS = {
  malformedJson: async () => json("{not json"),
  truncatedJson: async (real) => {
    const r = await real();
    const text = await r.text();
    return new Response(text.slice(0, Math.floor(text.length / 2)), { status: r.status, headers: r.headers });
  },
  htmlFromProxy: async () => json("<html><body><h1>502 Bad Gateway</h1></body></html>", 502, "text/html"),
  emptyResult: async () => json("{}"),
  unknownChallenge: async () => json('{"ChallengeName":"QUANTUM_MFA","Session":"s","ChallengeParameters":{}}'),
  networkDown: async () => {
    throw new TypeError("fetch failed");
  },
  slow: (real, init) =>
    new Promise((resolve, reject) => {
      const t = setTimeout(() => real().then(resolve, reject), 2_000);
      init.signal?.addEventListener("abort", () => {
        clearTimeout(t);
        reject(init.signal.reason);
      });
    }),
};

/**
 * A CognitoAuth whose fetch applies `fault` to the `nth` request (1-based)
 * from when `arm()` is called, or to every request with `every`.
 */
function faulty({ storage = mapStorage(), ...options } = {}) {
  const state = { fault: null, nth: 0, count: 0, ops: [] };
  const fetch = async (url, init) => {
    state.count++;
    state.ops.push(new Headers(init.headers).get("x-amz-target")?.slice(TARGET.length));
    const real = () => globalThis.fetch(url, init);
    if (state.fault && (state.nth === 0 || state.count === state.nth)) return state.fault(real, init);
    return real();
  };
  const auth = new CognitoAuth({ userPoolId: MAIN, clientId: PUBLIC_CLIENT, endpoint: emu.url, storage, fetch, ...options });
  const arm = (fault, nth = 0) => Object.assign(state, { fault, nth, count: 0, ops: [] });
  return { auth, storage, state, arm };
}

/** Asserts `promise` rejects with a CognitoError of `code`; returns it. */
async function rejectsWith(promise, code) {
  let e;
  try {
    await promise;
  } catch (x) {
    e = x;
  }
  assert.ok(e, "expected a rejection");
  assert.ok(e instanceof CognitoError, `not a CognitoError: ${e?.stack ?? e}`);
  assert.equal(e.code, code, e.message);
  return e;
}

const alice = { username: "alice", password: passwordOf("alice") };

/** A client with alice signed in (a session to keep intact). */
async function signedIn(options) {
  const c = faulty(options);
  assert.equal((await c.auth.signIn(alice)).done, true);
  return c;
}

test("sign-in responses that are not Cognito's: typed codes, the stored session untouched", async () => {
  const cases = [
    // [fault, which request, code]
    ["malformedJson", 2, "CognitoInvalidResponse"],
    ["truncatedJson", 2, "CognitoInvalidResponse"],
    ["truncatedJson", 1, "CognitoInvalidResponse"],
    ["htmlFromProxy", 1, "CognitoInvalidResponse"],
    ["emptyResult", 2, "CognitoNoResult"],
    ["emptyResult", 1, "CognitoNoResult"],
    ["unknownChallenge", 1, "CognitoUnexpectedChallenge"],
    ["networkDown", 2, "NetworkError"],
  ];
  for (const [fault, nth, code] of cases) {
    const { auth, storage, arm, state } = await signedIn();
    const before = storage.snapshot();
    const writes = storage.writes;
    arm(FAULTS[fault], nth);
    const e = await rejectsWith(auth.signIn(alice), code);
    assert.equal(storage.snapshot(), before, `${fault}: storage changed`);
    assert.equal(storage.writes, writes, `${fault}: storage written`);
    // A sign-in step is never sent twice (a lost answer may have been used).
    assert.equal(state.count, nth, `${fault}: ${state.ops}`);
    if (fault === "htmlFromProxy") {
      assert.equal(e.transient, true, "a gateway's 5xx is worth retrying later");
    }
    // The session still works, and a new sign-in goes through.
    arm(null);
    assert.equal((await auth.getTokens()).username, "alice");
    assert.equal((await auth.signIn(alice)).done, true);
  }
});

test("account and refresh calls with bad responses: typed codes, the session kept", async () => {
  const cases = [
    ["malformedJson", (a) => a.getUser(), "CognitoInvalidResponse"],
    ["truncatedJson", (a) => a.listDevices(), "CognitoInvalidResponse"],
    ["htmlFromProxy", (a) => a.fetchUserAttributes(), "CognitoInvalidResponse"],
    ["malformedJson", (a) => a.getTokens({ forceRefresh: true }), "CognitoInvalidResponse"],
    ["networkDown", (a) => a.getTokens({ forceRefresh: true }), "NetworkError"],
    ["networkDown", (a) => a.updateUserAttributes({ attributes: { name: "X" } }), "NetworkError"],
    ["emptyResult", (a) => a.setUpTotp(), "CognitoInvalidResponse"],
    ["emptyResult", (a) => a.getUser(), "CognitoInvalidResponse"],
    ["malformedJson", (a) => a.signUp({ username: "nobody", password: "Nobody-Passw0rd!" }), "CognitoInvalidResponse"],
    ["htmlFromProxy", (a) => a.forgotPassword({ username: "alice" }), "CognitoInvalidResponse"],
  ];
  for (const [fault, call, code] of cases) {
    const { auth, storage, arm } = await signedIn({ retry: false });
    const before = storage.snapshot();
    arm(FAULTS[fault]);
    await rejectsWith(call(auth), code);
    assert.equal(storage.snapshot(), before, `${fault}: storage changed`);
    arm(null);
    assert.equal((await auth.getUser()).username, "alice", "the session survives a transient failure");
  }
});

test("an idempotent call is retried after a 502; a non-idempotent one is not", async () => {
  const { auth, arm, state } = await signedIn({ retry: { maxRetries: 2, baseDelay: 1, maxDelay: 5 } });
  arm(FAULTS.htmlFromProxy);
  await rejectsWith(auth.getUser(), "CognitoInvalidResponse");
  assert.deepEqual(state.ops, ["GetUser", "GetUser", "GetUser"]);
  arm(FAULTS.htmlFromProxy);
  await rejectsWith(auth.changePassword({ oldPassword: alice.password, newPassword: "Alice-Passw0rd!9" }), "CognitoInvalidResponse");
  assert.deepEqual(state.ops, ["ChangePassword"]);
  // The 502 came from the proxy: one attempt through it, then it recovers.
  arm(FAULTS.htmlFromProxy, 1);
  assert.equal((await auth.getUser()).username, "alice");
  assert.deepEqual(state.ops, ["GetUser", "GetUser"]);
});

test("a timeout and an aborted signal: TimeoutError and AbortError, nothing stored", async () => {
  const { auth, storage, arm } = await signedIn({ timeout: 100, retry: false });
  const before = storage.snapshot();
  arm(FAULTS.slow, 2);
  await rejectsWith(auth.signIn(alice), "TimeoutError");
  arm(FAULTS.slow);
  await rejectsWith(auth.getUser(), "TimeoutError");
  assert.equal(storage.snapshot(), before);

  arm(null);
  await rejectsWith(auth.signIn({ ...alice, signal: AbortSignal.abort() }), "AbortError");
  await rejectsWith(auth.getUser({ signal: AbortSignal.abort() }), "AbortError");
  // Aborted while the request is in flight.
  const slow = await signedIn({ retry: false });
  const kept = slow.storage.snapshot();
  slow.arm(FAULTS.slow);
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 50);
  await rejectsWith(slow.auth.signIn({ ...alice, signal: controller.signal }), "AbortError");
  await rejectsWith(slow.auth.fetchUserAttributes({ signal: AbortSignal.timeout(50) }), "AbortError");
  assert.equal(slow.storage.snapshot(), kept);
  assert.equal(storage.snapshot(), before);
});

test("a storage that throws on write (quota): StorageError, the stored state unchanged", async () => {
  const { auth, storage } = await signedIn();
  const before = storage.snapshot();
  storage.fail = true;
  await rejectsWith(auth.signIn(alice), "StorageError");
  assert.equal(storage.snapshot(), before);
  await rejectsWith(auth.getTokens({ forceRefresh: true }), "StorageError");
  assert.equal(storage.snapshot(), before);
  await rejectsWith(auth.signOut(), "StorageError");
  assert.equal(storage.snapshot(), before);
  storage.fail = false;
  assert.equal((await auth.getTokens()).username, "alice");
  // A synchronous adapter that throws on getItem too.
  const broken = {
    getItem() {
      throw new Error("storage is gone");
    },
    setItem() {
      throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
    },
    removeItem() {},
  };
  const c = faulty({ storage: broken });
  await rejectsWith(c.auth.signIn(alice), "StorageError");
  await rejectsWith(c.auth.getUser(), "StorageError");
});
