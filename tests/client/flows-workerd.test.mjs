// CognitoAuth in workerd (miniflare) against the emulator: a module Worker,
// bundled as wrangler does (workerd export condition, the .wasm as a
// CompiledWasm module), signs in with SRP and TOTP MFA, refreshes, reads the
// user, changes the password, signs out, and signs in with a confidential
// client (SECRET_HASH) by e-mail alias, all over the Worker's own fetch.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { startEmulator } from "../helpers/emulator.mjs";
import { flowsSeed, passwordOf, claims, MAIN, PUBLIC_CLIENT, CONF_CLIENT, CONF_SECRET } from "./helpers-flows.mjs";
import { startWorker } from "../helpers/workerd.mjs";

const HERE = fileURLToPath(new URL(".", import.meta.url));
let mf, worker, emu;

// POST / {endpoint, poolId, clientId, confidentialClientId, secret}
// → what each step gave and the operations it sent.
const WORKER = `
import { CognitoAuth, CognitoError } from "cognito-wasm";
import { totp, passwordOf, TOTP_SECRET } from "./helpers-flows.mjs";

const fail = (e) => ({ error: { code: e.code, isCognitoError: e instanceof CognitoError, message: e.message } });

export default {
  async fetch(request) {
    const o = await request.json();
    const ops = [];
    const recorder = async (url, init) => {
      const res = await fetch(url, init);
      const body = JSON.parse(init.body);
      ops.push([init.headers["x-amz-target"].split(".")[1], body.ChallengeName ?? "", res.status].join(" ").replace("  ", " "));
      return res;
    };
    const make = (extra) =>
      new CognitoAuth({ userPoolId: o.poolId, endpoint: o.endpoint, storage: "memory", fetch: recorder, ...extra });
    const auth = make({ clientId: o.clientId });
    const events = [];
    for (const t of ["signedIn", "signedOut", "tokenRefresh", "sessionExpired"]) auth.on(t, (e) => events.push(e.type));
    const out = { events, hasWindow: typeof window !== "undefined", hasSessionStorage: typeof sessionStorage !== "undefined" };
    const step = async (name, f) => {
      const from = ops.length;
      out[name] = await f().then((v) => v ?? {}, fail);
      out[name].ops = ops.slice(from);
    };
    await step("srp", () => auth.signIn({ username: "tina", password: passwordOf("tina") }));
    await step("wrongTotp", () => auth.confirmSignIn({ code: totp(TOTP_SECRET) === "000000" ? "111111" : "000000" }));
    await step("totp", () => auth.confirmSignIn({ code: totp(TOTP_SECRET) }));
    await step("refresh", () => auth.getTokens({ forceRefresh: true }));
    await step("getUser", () => auth.getUser());
    await step("changePassword", () => auth.changePassword({ oldPassword: passwordOf("tina"), newPassword: "Tina-W0rkerd!2" }));
    await step("signOut", () => auth.signOut());
    await step("after", () => auth.getTokens());
    await step("newPassword", () => auth.signIn({ username: "tina", password: "Tina-W0rkerd!2" }));
    const conf = make({ clientId: o.confidentialClientId, clientSecret: o.secret });
    await step("confidential", () => conf.signIn({ username: "conf.alias@example.com", password: passwordOf("conf") }));
    await step("confidentialRefresh", () => conf.getTokens({ forceRefresh: true }));
    await step("confidentialUser", () => conf.fetchUserAttributes());
    return Response.json(out);
  },
};
`;

before(async () => {
  emu = await startEmulator({ seed: flowsSeed() });
  worker = await startWorker({ source: WORKER, resolveDir: HERE, sourcefile: "flows-worker.mjs", prefix: "flows-worker-" });
  mf = worker.mf;
});

after(async () => {
  await worker?.dispose();
  await emu?.stop();
});

test("workerd: SRP + TOTP MFA, refresh, getUser, changePassword, signOut, a confidential client by alias", async () => {
  const res = await mf.dispatchFetch("http://localhost/", {
    method: "POST",
    body: JSON.stringify({
      endpoint: emu.url,
      poolId: MAIN,
      clientId: PUBLIC_CLIENT,
      confidentialClientId: CONF_CLIENT,
      secret: CONF_SECRET,
    }),
  });
  const out = await res.json();
  assert.equal(res.status, 200, JSON.stringify(out));
  assert.equal(out.hasWindow, false, "a Worker has no window");

  assert.equal(out.srp.next, "SOFTWARE_TOKEN_MFA", JSON.stringify(out.srp));
  assert.deepEqual(out.srp.ops, ["InitiateAuth 200", "RespondToAuthChallenge PASSWORD_VERIFIER 200"]);
  assert.deepEqual(out.wrongTotp.error, { code: "CodeMismatchException", isCognitoError: true, message: out.wrongTotp.error.message });
  assert.equal(out.totp.done, true, JSON.stringify(out.totp));
  assert.equal(claims(out.totp.tokens.accessToken).username, "tina");
  assert.deepEqual(out.totp.ops, ["RespondToAuthChallenge SOFTWARE_TOKEN_MFA 200"]);

  assert.deepEqual(out.refresh.ops, ["GetTokensFromRefreshToken 200"]);
  assert.notEqual(out.refresh.accessToken, out.totp.tokens.accessToken);
  assert.equal(out.getUser.username, "tina");
  assert.equal(out.getUser.attributes.email, "tina@example.com");
  assert.deepEqual(out.getUser.mfaSettings, ["SOFTWARE_TOKEN_MFA"]);
  assert.deepEqual(out.changePassword.ops, ["ChangePassword 200"]);
  assert.deepEqual(out.signOut.ops, ["RevokeToken 200"]);
  assert.equal(out.after.error.code, "NotSignedIn");
  assert.equal(out.newPassword.next, "SOFTWARE_TOKEN_MFA", "the new password is the one that works");
  assert.deepEqual(out.events, ["signedIn", "tokenRefresh", "signedOut"]);

  assert.equal(out.confidential.done, true, JSON.stringify(out.confidential));
  assert.equal(out.confidential.tokens.username, "conf");
  assert.deepEqual(out.confidentialRefresh.ops, ["GetTokensFromRefreshToken 200"]);
  assert.equal(out.confidentialUser.email, "conf.alias@example.com");
});
