// The built package in workerd (through miniflare): a module Worker bundled
// with the `workerd` export condition imports it and runs the same cases.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadSrpVectors } from "../helpers/vectors.mjs";
import { reportByGroup, reportEach } from "./report.mjs";
import { startWorker } from "../helpers/workerd.mjs";

const HERE = fileURLToPath(new URL(".", import.meta.url));
let mf;
let worker;

before(async () => {
  worker = await startWorker({ entry: join(HERE, "worker", "worker.mjs"), prefix: "worker-" });
  mf = worker.mf;
});

after(async () => {
  await worker?.dispose();
});

test("workerd: answers a PASSWORD_VERIFIER challenge", async () => {
  const res = await mf.dispatchFetch("http://localhost/answer", {
    method: "POST",
    body: JSON.stringify({
      userPoolId: "us-east-1_Example",
      password: "pw",
      challengeParameters: { SALT: "ab12", SRP_B: "2f", SECRET_BLOCK: "AAEC", USER_ID_FOR_SRP: "alice" },
    }),
  });
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  assert.match(body.srpA, /^[0-9a-f]{100,}$/);
  assert.match(body.responses.PASSWORD_CLAIM_SIGNATURE, /^[A-Za-z0-9+/]{43}=$/);
  assert.equal(body.responses.USERNAME, "alice");
});

test("workerd: a bad SRP_B is a CognitoError across the Worker boundary", async () => {
  const res = await mf.dispatchFetch("http://localhost/answer", {
    method: "POST",
    body: JSON.stringify({
      userPoolId: "us-east-1_Example",
      password: "pw",
      challengeParameters: { SALT: "ab12", SRP_B: "0", SECRET_BLOCK: "AAEC", USER_ID_FOR_SRP: "alice" },
    }),
  });
  assert.equal(res.status, 400);
  const { error } = await res.json();
  assert.deepEqual([error.name, error.code, error.isCognitoError], ["CognitoError", "InvalidSrpB", true]);
});

test("workerd: the shared cases", async (t) => {
  const res = await mf.dispatchFetch("http://localhost/run", { method: "POST", body: JSON.stringify(loadSrpVectors()) });
  assert.equal(res.status, 200);
  const results = await res.json();
  await reportEach(t, "workerd", results.filter((r) => r.group === "errors" || r.group === "properties"));
  await reportByGroup(t, "workerd", results, ["srp", "timestamp", "secretHash", "device"]);
});
