// The session in workerd (miniflare): no Web Locks, BroadcastChannel or
// sessionStorage there, so memory storage and the in-isolate single flight:
// 100 parallel getTokens() at expiry make one refresh, counted at the
// emulator.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startEmulator } from "../helpers/emulator.mjs";
import { startWorker } from "../helpers/workerd.mjs";

const HERE = fileURLToPath(new URL(".", import.meta.url));
let mf;
let worker;
let emu;

before(async () => {
  emu = await startEmulator();
  worker = await startWorker({ entry: join(HERE, "worker.mjs"), prefix: "session-worker-" });
  mf = worker.mf;
});

after(async () => {
  await worker?.dispose();
  await emu?.stop();
});

const stats = async () => (await (await fetch(`${emu.url}/_emulator/stats`)).json()).operations;

test("workerd: 100 parallel getTokens() at expiry make one refresh request at the emulator", async () => {
  const s0 = await stats();
  const res = await mf.dispatchFetch("http://localhost/", {
    method: "POST",
    body: JSON.stringify({
      endpoint: emu.url,
      userPoolId: emu.poolId,
      clientId: emu.clientId,
      username: emu.username,
      password: emu.password,
    }),
  });
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  const s1 = await stats();
  assert.equal(body.done, true);
  assert.equal(body.distinct, 1);
  assert.notEqual(body.refreshed, body.first);
  assert.deepEqual(body.events, ["signedIn", "tokenRefresh", "signedOut"]);
  const refreshes = (s1.GetTokensFromRefreshToken ?? 0) - (s0.GetTokensFromRefreshToken ?? 0);
  assert.equal(refreshes, 1, JSON.stringify({ s0, s1 }));
  // Sign-in: InitiateAuth + RespondToAuthChallenge (SRP), no REFRESH_TOKEN_AUTH.
  assert.equal((s1.InitiateAuth ?? 0) - (s0.InitiateAuth ?? 0), 1);
});
