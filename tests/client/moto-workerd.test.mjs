// CognitoAuth in workerd (miniflare) against moto_server: a module Worker,
// bundled as wrangler does (workerd export condition, the .wasm as a
// CompiledWasm module), signs in with SRP, refreshes (moto lacks
// GetTokensFromRefreshToken: the fallback to REFRESH_TOKEN_AUTH), answers
// NEW_PASSWORD_REQUIRED, reads moto's error for a wrong password, and signs
// out globally, all over the Worker's own fetch.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { startMoto, PASSWORD } from "../helpers/moto.mjs";
import { startWorker } from "../helpers/workerd.mjs";

const HERE = fileURLToPath(new URL(".", import.meta.url));
let mf, worker, moto, pool;

// POST /flow {endpoint, poolId, clientId, username, password, fresh, temp}
// → what each step gave and the operations sent, in order.
const WORKER = `
import { CognitoAuth } from "cognito-wasm";

const fail = (e) => ({ error: { code: e.code, status: e.status, requestId: e.requestId, message: e.message } });

export default {
  async fetch(request) {
    const o = await request.json();
    const ops = [];
    const recorder = async (url, init) => {
      const res = await fetch(url, init);
      ops.push([init.headers["x-amz-target"].split(".")[1], res.status]);
      return res;
    };
    const auth = new CognitoAuth({
      userPoolId: o.poolId, clientId: o.clientId, endpoint: o.endpoint, storage: "memory", fetch: recorder,
    });
    const events = [];
    for (const t of ["signedIn", "signedOut", "tokenRefresh", "sessionExpired"]) auth.on(t, (e) => events.push(e.type));
    const out = { ops, events, hasWindow: typeof window !== "undefined" };
    const step = async (name, f) => {
      const from = ops.length;
      out[name] = await f().then((v) => v ?? {}, fail);
      out[name].ops = ops.slice(from).map((x) => x.join(" "));
    };
    await step("srp", () => auth.signIn({ username: o.username, password: o.password }));
    await step("refresh", () => auth.getTokens({ forceRefresh: true }));
    await step("fresh", () => auth.signIn({ username: o.fresh, password: o.temp }));
    await step("newPassword", () => auth.confirmSignIn({ newPassword: "W0rkerd!pass" }));
    await step("wrong", () => auth.signIn({ username: o.username, password: "Wrong!pass1", authFlow: "USER_PASSWORD_AUTH" }));
    await step("again", () => auth.signIn({ username: o.username, password: o.password, authFlow: "USER_PASSWORD_AUTH" }));
    await step("signOut", () => auth.signOut({ global: true }));
    await step("after", () => auth.getTokens());
    return Response.json(out);
  },
};
`;

before(async () => {
  moto = await startMoto();
  pool = await moto.seed();
  worker = await startWorker({ source: WORKER, resolveDir: HERE, sourcefile: "moto-worker.mjs", prefix: "moto-worker-" });
  mf = worker.mf;
});

after(async () => {
  await worker?.dispose();
  await moto?.stop();
});

const claims = (jwt) => JSON.parse(Buffer.from(jwt.split(".")[1], "base64url"));

test("workerd: CognitoAuth signs in, refreshes, answers NEW_PASSWORD_REQUIRED and signs out against moto", async () => {
  const res = await mf.dispatchFetch("http://localhost/flow", {
    method: "POST",
    body: JSON.stringify({
      endpoint: moto.url,
      poolId: pool.poolId,
      clientId: pool.clientId,
      username: pool.username,
      password: PASSWORD,
      fresh: pool.freshUsername,
      temp: pool.tempPassword,
    }),
  });
  const out = await res.json();
  assert.equal(res.status, 200);
  assert.equal(out.hasWindow, false, "a Worker, not a page");

  assert.equal(out.srp.done, true, JSON.stringify(out.srp));
  assert.deepEqual(out.srp.ops, ["InitiateAuth 200", "RespondToAuthChallenge 200"]);
  assert.equal(claims(out.srp.tokens.idToken)["cognito:username"], pool.username);

  assert.deepEqual(out.refresh.ops, ["GetTokensFromRefreshToken 500", "InitiateAuth 200"]);
  assert.notEqual(claims(out.refresh.accessToken).jti, claims(out.srp.tokens.accessToken).jti);
  assert.equal(out.refresh.refreshToken, out.srp.tokens.refreshToken);

  assert.equal(out.fresh.next, "NEW_PASSWORD_REQUIRED", JSON.stringify(out.fresh));
  assert.equal(out.newPassword.done, true, JSON.stringify(out.newPassword));
  assert.deepEqual(out.newPassword.ops, ["RespondToAuthChallenge 200"]);

  assert.equal(out.wrong.error.code, "NotAuthorizedException", JSON.stringify(out.wrong));
  assert.equal(out.wrong.error.status, 400);
  assert.match(out.wrong.error.requestId ?? "", /^[A-Za-z0-9]{20,}$/);
  assert.equal(out.again.done, true);

  assert.deepEqual(out.signOut.ops, ["GlobalSignOut 200"]);
  assert.equal(out.after.error.code, "NotSignedIn");
  assert.deepEqual(out.events, ["signedIn", "tokenRefresh", "signedIn", "signedIn", "signedOut"]);
  const r = await moto.call("InitiateAuth", {
    ClientId: pool.clientId,
    AuthFlow: "REFRESH_TOKEN_AUTH",
    AuthParameters: { REFRESH_TOKEN: out.again.tokens.refreshToken },
  });
  assert.equal(r.json.__type, "NotAuthorizedException", "GlobalSignOut revoked the refresh token at moto");
});
