// The storage-free hosted-UI exports in workerd (miniflare): client
// credentials with the emulator's confidential client, and JwtVerifier on
// the emulator's tokens, from a module Worker bundled as wrangler does.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startEmulator } from "../helpers/emulator.mjs";
import { startWorker } from "../helpers/workerd.mjs";

const HERE = fileURLToPath(new URL(".", import.meta.url));
let mf, worker, emu;

before(async () => {
  emu = await startEmulator();
  worker = await startWorker({ entry: join(HERE, "worker", "worker.mjs"), prefix: "hosted-worker-" });
  mf = worker.mf;
});

after(async () => {
  await worker?.dispose();
  await emu?.stop();
});

const post = async (path, body) => (await mf.dispatchFetch(`http://localhost${path}`, { method: "POST", body: JSON.stringify(body) })).json();

test("workerd: oauth.clientCredentials against the emulator's confidential client", async () => {
  const t = await post("/client-credentials", {
    domain: emu.url, clientId: emu.confidentialClientId, clientSecret: emu.clientSecret, scopes: ["email"],
  });
  assert.equal(t.error, undefined, JSON.stringify(t));
  const claims = JSON.parse(Buffer.from(t.accessToken.split(".")[1], "base64url"));
  assert.equal(claims.client_id, emu.confidentialClientId);
  assert.equal(claims.scope, "email");
  const bad = await post("/client-credentials", { domain: emu.url, clientId: emu.confidentialClientId, clientSecret: "wrong" });
  assert.equal(bad.error, "OAuthEndpointError");
});

test("workerd: JwtVerifier verifies the emulator's access token (WebCrypto RS256) and refuses a tampered one", async () => {
  const r = await emu.call("InitiateAuth", {
    ClientId: emu.clientId, AuthFlow: "USER_PASSWORD_AUTH",
    AuthParameters: { USERNAME: emu.username, PASSWORD: emu.password },
  });
  const token = r.AuthenticationResult.AccessToken;
  const options = { userPoolId: emu.poolId, clientId: emu.clientId, tokenUse: "access", endpoint: emu.url };
  const claims = await post("/verify", { options, token });
  assert.equal(claims.username, emu.username);
  const [h, p, s] = token.split(".");
  const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, "base64url")), username: "admin" })).toString("base64url");
  assert.deepEqual(await post("/verify", { options, token: [h, forged, s].join(".") }), { error: "JwtInvalidSignature" });
  assert.deepEqual(await post("/verify", { options: { ...options, tokenUse: "id" }, token }), { error: "CognitoJwtInvalidTokenUse" });
});
