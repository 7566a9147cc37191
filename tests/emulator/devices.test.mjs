// Device tracking with amazon-cognito-identity-js: the first sign-in gets
// NewDeviceMetadata and the library confirms the device with its own SRP
// verifier; the next sign-in goes through DEVICE_SRP_AUTH and
// DEVICE_PASSWORD_VERIFIER, which the emulator checks for real.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import identity from "amazon-cognito-identity-js";
import { startEmulator, defaultSeedPath } from "../helpers/emulator.mjs";

const { CognitoUserPool, CognitoUser, AuthenticationDetails } = identity;

let emu, pool;
const challenges = [];
const realFetch = globalThis.fetch;
before(async () => {
  const seed = JSON.parse(readFileSync(defaultSeedPath, "utf8"));
  seed.pools[0].deviceTracking = true;
  emu = await startEmulator({ seed });
  pool = new CognitoUserPool({ UserPoolId: emu.poolId, ClientId: emu.clientId, endpoint: emu.url });
  // Record the challenge names the library answers.
  globalThis.fetch = async (url, init) => {
    const body = init?.body ? JSON.parse(init.body) : {};
    if (body.ChallengeName) challenges.push(body.ChallengeName);
    return realFetch(url, init);
  };
});
after(async () => {
  globalThis.fetch = realFetch;
  await emu?.stop();
});

const signIn = (u, password) =>
  new Promise((ok, fail) =>
    u.authenticateUser(new AuthenticationDetails({ Username: u.getUsername(), Password: password }), {
      onSuccess: (session, confirmationNecessary) => ok({ session, confirmationNecessary }),
      onFailure: fail,
    }),
  );
const claims = (jwt) => JSON.parse(Buffer.from(jwt.split(".")[1], "base64url"));

test("a confirmed device signs in with device SRP", async () => {
  const u1 = new CognitoUser({ Username: emu.username, Pool: pool });
  const first = await signIn(u1, emu.password);
  assert.notEqual(first.confirmationNecessary, true);
  assert.deepEqual(challenges, ["PASSWORD_VERIFIER"]);
  const devices = await new Promise((ok, fail) => u1.listDevices(10, null, { onSuccess: ok, onFailure: fail }));
  assert.equal(devices.Devices.length, 1);
  const deviceKey = devices.Devices[0].DeviceKey;

  challenges.length = 0;
  const u2 = new CognitoUser({ Username: emu.username, Pool: pool });
  const second = await signIn(u2, emu.password);
  assert.deepEqual(challenges, ["PASSWORD_VERIFIER", "DEVICE_SRP_AUTH", "DEVICE_PASSWORD_VERIFIER"]);
  assert.equal(claims(second.session.getAccessToken().getJwtToken()).device_key, deviceKey);

  // Forgotten, the device no longer passes DEVICE_SRP_AUTH.
  await new Promise((ok, fail) => u2.forgetSpecificDevice(deviceKey, { onSuccess: ok, onFailure: fail }));
  const gone = await new Promise((ok, fail) => u1.listDevices(10, null, { onSuccess: ok, onFailure: fail }));
  assert.equal(gone.Devices.length, 0);
});
