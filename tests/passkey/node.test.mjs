// Passkeys where the runtime has no WebAuthn (Node): `isPasskeySupported()`
// is false, `registerPasskey` is a typed `PasskeyNotSupported`, and a
// passkey sign-in hands the `WEB_AUTHN` step to the app, which answers it
// with `confirmSignIn({ credential })`. Here the authenticator is node:crypto
// (ECDSA P-256, an implementation independent of the emulator's p256
// crate), the passkey comes from the emulator's seed (`webauthnCredentials`),
// and the pool's relying-party id is configured (Node sends no Origin).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash, generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { readFileSync } from "node:fs";
import { CognitoAuth, isPasskeySupported } from "cognito-wasm";
import { defaultSeedPath, startEmulator } from "../helpers/emulator.mjs";

const ORIGIN = "https://app.example.com";
const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
const jwk = publicKey.export({ format: "jwk" });
const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x, "base64url"), Buffer.from(jwk.y, "base64url")]);
const credentialId = randomBytes(16).toString("base64url");
let emu;
let counter = 0;

before(async () => {
  const seed = JSON.parse(readFileSync(defaultSeedPath, "utf8"));
  seed.pools[0].webauthn = { relyingPartyId: "example.com", userVerification: "required" };
  seed.pools[0].users[0].webauthnCredentials = [
    { credentialId, publicKey: point.toString("base64url"), signCount: 0, relyingPartyId: "example.com", transports: ["internal"], created: 1.7e9 },
  ];
  emu = await startEmulator({ seed });
});

after(async () => {
  await emu?.stop();
});

/** What navigator.credentials.get would answer, made with node:crypto (WebAuthn §6.1, §7.2 step 20). */
function assertion(options, { flip = false } = {}) {
  counter += 1;
  const clientData = Buffer.from(JSON.stringify({ type: "webauthn.get", challenge: options.challenge, origin: ORIGIN, crossOrigin: false }));
  const count = Buffer.alloc(4);
  count.writeUInt32BE(counter);
  const authData = Buffer.concat([createHash("sha256").update(options.rpId).digest(), Buffer.from([0x05]), count]);
  const signature = sign("sha256", Buffer.concat([authData, createHash("sha256").update(clientData).digest()]), privateKey);
  if (flip) signature[signature.length - 1] ^= 1;
  return JSON.stringify({
    id: credentialId, rawId: credentialId, type: "public-key", clientExtensionResults: {},
    response: { clientDataJSON: clientData.toString("base64url"), authenticatorData: authData.toString("base64url"), signature: signature.toString("base64url") },
  });
}

const auth = () => new CognitoAuth({ userPoolId: emu.poolId, clientId: emu.clientId, endpoint: emu.url, storage: "memory" });

test("no WebAuthn here: the WEB_AUTHN step goes to the app, which answers it", async () => {
  assert.equal(isPasskeySupported(), false);
  const a = auth();
  const step = await a.signIn({ username: emu.username, preferredChallenge: "WEB_AUTHN" });
  assert.equal(step.done, false);
  assert.equal(step.next, "WEB_AUTHN");
  const options = JSON.parse(step.parameters.CREDENTIAL_REQUEST_OPTIONS);
  assert.equal(options.rpId, "example.com");
  assert.equal(options.userVerification, "required");
  assert.deepEqual(options.allowCredentials.map((c) => c.id), [credentialId]);
  const done = await a.confirmSignIn({ credential: assertion(options) });
  assert.equal(done.done, true);
  const list = await a.listPasskeys();
  assert.deepEqual(list.map((p) => [p.credentialId, p.relyingPartyId, p.createdAt]), [[credentialId, "example.com", 1.7e12]]);
  await assert.rejects(a.registerPasskey(), (e) => e.code === "PasskeyNotSupported");
});

test("a tampered signature from the same authenticator is refused; the step can be answered again", async () => {
  const a = auth();
  const step = await a.signIn({ username: emu.username, preferredChallenge: "WEB_AUTHN" });
  const options = JSON.parse(step.parameters.CREDENTIAL_REQUEST_OPTIONS);
  await assert.rejects(a.confirmSignIn({ credential: assertion(options, { flip: true }) }), (e) => e.code === "NotAuthorizedException");
  const again = await a.signIn({ username: emu.username, preferredChallenge: "WEB_AUTHN" });
  const fresh = JSON.parse(again.parameters.CREDENTIAL_REQUEST_OPTIONS);
  assert.equal((await a.confirmSignIn({ credential: assertion(fresh) })).done, true);
  // The first challenge's genuine assertion arrives late: used up.
  const third = await a.signIn({ username: emu.username, preferredChallenge: "WEB_AUTHN" });
  assert.ok(third.parameters.CREDENTIAL_REQUEST_OPTIONS);
  await assert.rejects(a.confirmSignIn({ credential: assertion(options) }), (e) => e.code === "WebAuthnChallengeNotFoundException");
});
