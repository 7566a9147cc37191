// SRP off the main thread (pkg/srp-offload.js + pkg/srp-worker.js) in
// Chromium: the worker's answers are amazon-cognito-identity-js's known
// answers (tests/vectors/srp.json) and the inline path's; errors arrive as
// CognitoError; an ephemeral is single use; a worker that cannot load, a
// timeout and close() are reported and recovered from. Also Node: no
// Worker, so the same object runs inline.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { createSrpOffload } from "cognito-wasm";
import { offloadEphemeralFromSecretHex } from "cognito-wasm/testing";
import { serve } from "../../scripts/serve.mjs";
import { launchChromium } from "../helpers/chromium.mjs";
import { loadSrpVectors } from "../helpers/vectors.mjs";

const dir = (rel) => fileURLToPath(new URL(rel, import.meta.url));
const vectors = loadSrpVectors().srp.filter((_, i) => i % 10 === 0 || i >= 195);
const params = (v) => ({
  userPoolId: v.userPoolId,
  password: v.password,
  now: v.unixSeconds * 1000,
  challengeParameters: { SALT: v.salt, SRP_B: v.srpB, SECRET_BLOCK: v.secretBlock, USER_ID_FOR_SRP: v.userIdForSrp },
});
let server;
let browser;
let page;

before(async () => {
  server = await serve({ port: 0, mounts: { "/pkg/": dir("../../pkg/"), "/test/": dir("../runtime/"), "/": dir("../../www/") } });
  browser = await launchChromium();
  page = await browser.newPage();
  // The runtime test page maps "cognito-wasm" to /pkg/index.js.
  await page.goto(`${server.url}test/browser/index.html`);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test("node: no Worker, so the offload runs inline with the known answers", async () => {
  const offload = createSrpOffload();
  assert.equal(offload.mode, "inline");
  // The fixed-secret hook is reachable through cognito-wasm/testing only.
  assert.deepEqual(Object.keys(offload).filter((k) => /fromSecret/i.test(k)), []);
  const publicApi = await import("cognito-wasm");
  assert.deepEqual(Object.keys(publicApi).filter((k) => /fromSecret/i.test(k)), []);
  assert.deepEqual(Object.keys(publicApi.srp).filter((k) => /fromSecret/i.test(k)), []);
  for (const v of vectors) {
    const { id, publicA } = await offloadEphemeralFromSecretHex(offload, v.a);
    assert.equal(publicA, v.srpA, v.name);
    const r = await offload.answer(id, params(v));
    assert.deepEqual(r, { signature: v.signature, timestamp: v.timestamp }, v.name);
    await assert.rejects(offload.answer(id, params(v)), (e) => e.code === "EphemeralAlreadyUsed");
  }
  const { publicA } = await offload.prepare();
  assert.match(publicA, /^[0-9a-f]{700,}$/);
});

test("chromium: the worker gives the known answers, as inline does; errors are CognitoError", async () => {
  const r = await page.evaluate(
    async ({ vectors }) => {
      const { init, srp, createSrpOffload, CognitoError } = await import("cognito-wasm");
      const { ephemeralFromSecretHex, offloadEphemeralFromSecretHex } = await import("/pkg/testing.js");
      await init();
      const offload = createSrpOffload();
      const out = { mode: offload.mode, cases: [] };
      for (const v of vectors) {
        const p = {
          userPoolId: v.userPoolId,
          password: v.password,
          now: v.unixSeconds * 1000,
          challengeParameters: { SALT: v.salt, SRP_B: v.srpB, SECRET_BLOCK: v.secretBlock, USER_ID_FOR_SRP: v.userIdForSrp },
        };
        const { id, publicA } = await offloadEphemeralFromSecretHex(offload, v.a);
        const worker = await offload.answer(id, p);
        const inline = srp.answerPasswordVerifier({ ...p, ephemeral: ephemeralFromSecretHex(v.a) });
        let again;
        try {
          await offload.answer(id, p);
        } catch (e) {
          again = e instanceof CognitoError && e.code;
        }
        out.cases.push({ name: v.name, publicA, worker, inline: { signature: inline.PASSWORD_CLAIM_SIGNATURE, timestamp: inline.TIMESTAMP }, again });
      }
      const code = async (p) => {
        try {
          await p;
          return "no error";
        } catch (e) {
          return (e instanceof CognitoError ? "" : "not CognitoError: ") + e.code;
        }
      };
      const v = vectors[0];
      const bad = async (over) => {
        const { id } = await offload.prepare();
        return code(offload.answer(id, { userPoolId: v.userPoolId, password: "pw", challengeParameters: { SALT: "ab", SRP_B: "1234", SECRET_BLOCK: "AAEC", USER_ID_FOR_SRP: "u", ...over } }));
      };
      out.errors = {
        zeroB: await bad({ SRP_B: "0" }),
        badHex: await bad({ SRP_B: "xyz" }),
        badBlock: await bad({ SECRET_BLOCK: "not base64!" }),
        unknownId: await code(offload.answer("nope", { userPoolId: v.userPoolId, password: "pw", challengeParameters: { SALT: "ab", SRP_B: "1234", SECRET_BLOCK: "AAEC", USER_ID_FOR_SRP: "u" } })),
        badArgs: await code(offload.answer("x", { userPoolId: 1 })),
      };
      const fresh = await offload.prepare();
      const fresh2 = await offload.prepare();
      out.freshDiffer = fresh.publicA !== fresh2.publicA && /^[0-9a-f]+$/.test(fresh.publicA);
      offload.close();
      return out;
    },
    { vectors },
  );
  assert.equal(r.mode, "worker");
  assert.equal(r.cases.length, vectors.length);
  for (const [i, c] of r.cases.entries()) {
    const v = vectors[i];
    assert.equal(c.publicA, v.srpA, c.name);
    assert.deepEqual(c.worker, { signature: v.signature, timestamp: v.timestamp }, c.name);
    assert.deepEqual(c.worker, c.inline, c.name);
    assert.equal(c.again, "EphemeralAlreadyUsed", c.name);
  }
  assert.deepEqual(r.errors, {
    zeroB: "InvalidSrpB",
    badHex: "InvalidHex",
    badBlock: "InvalidBase64",
    unknownId: "EphemeralAlreadyUsed",
    badArgs: "InvalidArgument",
  });
  assert.equal(r.freshDiffer, true);
});

test("chromium: a worker that cannot load, a timeout and close() fail with codes, and it recovers", async () => {
  const r = await page.evaluate(async () => {
    const { init, createSrpOffload, CognitoError } = await import("cognito-wasm");
    await init();
    const code = async (p) => {
      try {
        await p;
        return "no error";
      } catch (e) {
        return (e instanceof CognitoError ? "" : "not CognitoError: ") + e.code;
      }
    };
    const missing = createSrpOffload({ workerUrl: "/pkg/no-such-worker.js" });
    const badWasm = createSrpOffload({ wasm: "/pkg/no-such.wasm" });
    // 1 ms: the wasm cannot load that fast, so init times out; the next
    // call starts a new worker (and times out again, but is not stuck).
    const slow = createSrpOffload({ timeoutMs: 1 });
    const out = {
      missing: await code(missing.prepare()),
      badWasm: await code(badWasm.prepare()),
      timeout: await code(slow.prepare()),
      timeoutAgain: await code(slow.prepare()),
    };
    const ok = createSrpOffload();
    const { id } = await ok.prepare();
    const pending = ok.answer(id, { userPoolId: "us-east-1_P", password: "pw", challengeParameters: { SALT: "ab", SRP_B: "1234", SECRET_BLOCK: "AAEC", USER_ID_FOR_SRP: "u" } });
    ok.close();
    out.closed = await code(pending);
    out.afterClose = /^[0-9a-f]+$/.test((await ok.prepare()).publicA);
    ok.close();
    return out;
  });
  assert.deepEqual(r, {
    missing: "SrpWorkerFailed",
    badWasm: "InitFailed",
    timeout: "TimeoutError",
    timeoutAgain: "TimeoutError",
    closed: "SrpWorkerFailed",
    afterClose: true,
  });
});
