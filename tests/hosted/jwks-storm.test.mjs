// The JWKS cache under the security review's attack (issue #15, finding 1),
// counted at the emulator: 50 concurrent verifications on a cold cache make
// one JWKS fetch; a stream of tokens with made-up `kid`s makes no more
// fetches within the penalty window; and a forged `kid` during a JWKS outage
// leaves genuine tokens verifying with the keys already held.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { JwtVerifier } from "cognito-wasm";
import { startEmulator } from "../helpers/emulator.mjs";

let emu, tokens;

before(async () => {
  emu = await startEmulator();
  const r = await emu.call("InitiateAuth", {
    ClientId: emu.clientId,
    AuthFlow: "USER_PASSWORD_AUTH",
    AuthParameters: { USERNAME: emu.username, PASSWORD: emu.password },
  });
  tokens = r.AuthenticationResult;
});
after(async () => emu?.stop());

const jwksFetches = async () => (await (await fetch(`${emu.url}/_emulator/http-stats`)).json()).requests?.jwks ?? 0;

function withKid(token, kid) {
  const [h, p, s] = token.split(".");
  const header = { ...JSON.parse(Buffer.from(h, "base64url")), kid };
  return [Buffer.from(JSON.stringify(header)).toString("base64url"), p, s].join(".");
}

test("50 concurrent verifications on a cold cache: one JWKS fetch at the emulator", async () => {
  const v = new JwtVerifier({ userPoolId: emu.poolId, clientId: emu.clientId, tokenUse: "access", endpoint: emu.url });
  const before = await jwksFetches();
  const claims = await Promise.all(Array.from({ length: 50 }, () => v.verify(tokens.AccessToken)));
  assert.equal(claims.length, 50);
  assert.ok(claims.every((c) => c.username === emu.username));
  assert.equal((await jwksFetches()) - before, 1);
});

test("made-up kids make no fetch storm; a JWKS outage does not break genuine tokens", async () => {
  let down = false;
  const flaky = (url, init) => (down ? Promise.reject(new TypeError("the JWKS host is down")) : fetch(url, init));
  const v = new JwtVerifier({ userPoolId: emu.poolId, clientId: emu.clientId, tokenUse: "access", endpoint: emu.url, fetch: flaky, retry: false });
  await v.verify(tokens.AccessToken);
  const before = await jwksFetches();
  const forged = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => v.verify(withKid(tokens.AccessToken, `made-up-${i}`))));
  assert.ok(forged.every((r) => r.status === "rejected" && r.reason.code === "KidNotFoundInJwks"), JSON.stringify(forged.map((r) => r.reason?.code)));
  assert.equal((await jwksFetches()) - before, 0, "within the penalty window, no refetch");
  down = true;
  await assert.rejects(v.verify(withKid(tokens.AccessToken, "made-up-during-outage")), (e) => e.code === "KidNotFoundInJwks");
  const claims = await v.verify(tokens.AccessToken);
  assert.equal(claims.username, emu.username, "the keys held still verify genuine tokens");
});
