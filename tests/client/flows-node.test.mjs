// CognitoAuth (the built package, in Node) against the emulator: every
// sign-in flow and challenge, remembered devices (including a device the
// server forgot), a confidential client signing in by alias, and every
// account operation. Codes come from the emulator's outbox; TOTP codes from
// the `otpauth` package; SECRET_HASH is recomputed with node:crypto.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { CognitoAuth, CognitoError } from "cognito-wasm";
import { startEmulator } from "../helpers/emulator.mjs";
import {
  flowsSeed,
  passwordOf,
  totp,
  wrongTotp,
  secretOfUri,
  mapStorage,
  claims,
  TOTP_SECRET,
  MAIN,
  MFA_ON,
  DEVICES,
  PUBLIC_CLIENT,
  CONF_CLIENT,
  CONF_SECRET,
  MFA_CLIENT,
  DEVICES_CLIENT,
} from "./helpers-flows.mjs";

const TARGET = "AWSCognitoIdentityProviderService.";
let emu;

before(async () => {
  emu = await startEmulator({ seed: flowsSeed() });
});
after(async () => {
  await emu?.stop();
});

/**
 * A CognitoAuth on the emulator with its requests recorded:
 * `{ auth, storage, sent, ops(), events }`.
 */
function client({ pool = MAIN, clientId = PUBLIC_CLIENT, storage = mapStorage(), ...extra } = {}) {
  const sent = [];
  const events = [];
  const fetch = async (url, init) => {
    const op = new Headers(init.headers).get("x-amz-target")?.slice(TARGET.length);
    const entry = { op, body: JSON.parse(init.body) };
    sent.push(entry);
    const res = await globalThis.fetch(url, init);
    entry.status = res.status;
    return res;
  };
  const auth = new CognitoAuth({ userPoolId: pool, clientId, endpoint: emu.url, storage, fetch, ...extra });
  for (const type of ["signedIn", "signedOut", "tokenRefresh", "tokenRefreshFailure", "sessionExpired"]) {
    auth.on(type, (e) => events.push(e.type));
  }
  const ops = () => sent.map((s) => (s.body.ChallengeName ? `${s.op}:${s.body.ChallengeName}` : s.op));
  return { auth, storage, sent, ops, events };
}

/** The rejection of `promise` (fails if it resolves). */
async function failure(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  assert.fail("expected a rejection");
}

/** A CognitoError carrying Cognito's error name verbatim as `code`. */
async function rejectsWith(promise, code) {
  const e = await failure(promise);
  assert.ok(e instanceof CognitoError, `not a CognitoError: ${e}`);
  assert.equal(e.code, code, e.message);
  return e;
}

const code = (user, purpose) => emu.latestCode(user, purpose);
const sessionKey = (clientId = PUBLIC_CLIENT) => `cognito-wasm.${clientId}.session`;
const deviceKey = (user, clientId = DEVICES_CLIENT) => `cognito-wasm.${clientId}.device.${user}`;

function assertDone(step, username) {
  assert.equal(step.done, true, JSON.stringify(step));
  assert.equal(step.tokens.username, username);
  assert.equal(claims(step.tokens.accessToken).username, username);
  assert.equal(claims(step.tokens.idToken).aud, claims(step.tokens.accessToken).client_id);
}

// ------------------------------------------------------------ first factors

test("USER_SRP_AUTH (default): PASSWORD_VERIFIER answered, session stored under the prefix, signedIn", async () => {
  const { auth, storage, ops, sent, events } = client();
  const step = await auth.signIn({ username: "alice", password: passwordOf("alice") });
  assertDone(step, "alice");
  assert.deepEqual(ops(), ["InitiateAuth", "RespondToAuthChallenge:PASSWORD_VERIFIER"]);
  assert.equal(sent[0].body.AuthFlow, "USER_SRP_AUTH");
  assert.equal(sent[0].body.AuthParameters.PASSWORD, undefined, "the password never leaves");
  assert.ok(storage.map.has(sessionKey()), [...storage.map.keys()].join());
  assert.deepEqual(events, ["signedIn"]);
  assert.equal((await auth.getTokens()).accessToken, step.tokens.accessToken);
  await auth.signOut();
  assert.ok(!storage.map.has(sessionKey()));
  assert.deepEqual(events, ["signedIn", "signedOut"]);
  await rejectsWith(auth.getTokens(), "NotSignedIn");
  await rejectsWith(auth.signIn({ username: "alice", password: "Wrong-Passw0rd!" }), "NotAuthorizedException");
});

test("USER_PASSWORD_AUTH", async () => {
  const { auth, sent } = client();
  assertDone(await auth.signIn({ username: "alice", password: passwordOf("alice"), authFlow: "USER_PASSWORD_AUTH" }), "alice");
  assert.equal(sent.length, 1);
  assert.equal(sent[0].body.AuthFlow, "USER_PASSWORD_AUTH");
  assert.equal(sent[0].body.AuthParameters.PASSWORD, passwordOf("alice"));
});

test("CUSTOM_AUTH without SRP: CUSTOM_CHALLENGE answered with the code sent", async () => {
  const { auth, ops } = client();
  const step = await auth.signIn({ username: "alice", authFlow: "CUSTOM_AUTH" });
  assert.equal(step.next, "CUSTOM_CHALLENGE");
  assert.equal(step.parameters.question, "Enter the code sent to your e-mail");
  assertDone(await auth.confirmSignIn({ answer: await code("alice", "CUSTOM_CHALLENGE") }), "alice");
  assert.deepEqual(ops(), ["InitiateAuth", "RespondToAuthChallenge:CUSTOM_CHALLENGE"]);
  // A wrong answer is Cognito's refusal.
  await auth.signIn({ username: "alice", authFlow: "CUSTOM_AUTH" });
  await rejectsWith(auth.confirmSignIn({ answer: "not-it" }), "NotAuthorizedException");
});

test("CUSTOM_AUTH with SRP first: PASSWORD_VERIFIER, then CUSTOM_CHALLENGE", async () => {
  const { auth, ops, sent } = client();
  const step = await auth.signIn({ username: "alice", password: passwordOf("alice"), authFlow: "CUSTOM_WITH_SRP" });
  assert.equal(step.next, "CUSTOM_CHALLENGE");
  assert.equal(sent[0].body.AuthFlow, "CUSTOM_AUTH");
  assert.equal(sent[0].body.AuthParameters.CHALLENGE_NAME, "SRP_A");
  assertDone(await auth.confirmSignIn({ answer: await code("alice", "CUSTOM_CHALLENGE") }), "alice");
  assert.deepEqual(ops(), [
    "InitiateAuth",
    "RespondToAuthChallenge:PASSWORD_VERIFIER",
    "RespondToAuthChallenge:CUSTOM_CHALLENGE",
  ]);
  await rejectsWith(
    auth.signIn({ username: "alice", password: "Wrong-Passw0rd!", authFlow: "CUSTOM_WITH_SRP" }),
    "NotAuthorizedException",
  );
});

test("USER_AUTH: SELECT_CHALLENGE (PASSWORD_SRP, PASSWORD, EMAIL_OTP) and each preferred challenge (PASSWORD, PASSWORD_SRP, EMAIL_OTP, SMS_OTP)", async () => {
  const { auth, ops } = client();
  let step = await auth.signIn({ username: "alice", authFlow: "USER_AUTH" });
  assert.equal(step.next, "SELECT_CHALLENGE");
  for (const c of ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"]) assert.ok(step.availableChallenges.includes(c), c);
  assertDone(await auth.confirmSignIn({ challenge: "PASSWORD_SRP", password: passwordOf("alice") }), "alice");
  assert.deepEqual(ops(), [
    "InitiateAuth",
    "RespondToAuthChallenge:SELECT_CHALLENGE",
    "RespondToAuthChallenge:PASSWORD_VERIFIER",
  ]);

  step = await auth.signIn({ username: "alice", authFlow: "USER_AUTH" });
  assertDone(await auth.confirmSignIn({ challenge: "PASSWORD", password: passwordOf("alice") }), "alice");

  step = await auth.signIn({ username: "alice", authFlow: "USER_AUTH" });
  step = await auth.confirmSignIn({ challenge: "EMAIL_OTP" });
  assert.equal(step.next, "EMAIL_OTP");
  assert.equal(step.codeDelivery.deliveryMedium, "EMAIL");
  assertDone(await auth.confirmSignIn({ code: await code("alice", "EMAIL_OTP") }), "alice");

  for (const preferredChallenge of ["PASSWORD", "PASSWORD_SRP"]) {
    const c = client();
    const s = await c.auth.signIn({ username: "alice", password: passwordOf("alice"), authFlow: "USER_AUTH", preferredChallenge });
    assertDone(s, "alice");
    assert.equal(c.sent[0].body.AuthParameters.PREFERRED_CHALLENGE, preferredChallenge);
  }
  step = await auth.signIn({ username: "alice", authFlow: "USER_AUTH", preferredChallenge: "EMAIL_OTP" });
  assert.equal(step.next, "EMAIL_OTP");
  // A mistyped code: CodeMismatchException, and the step can be answered again.
  await rejectsWith(auth.confirmSignIn({ code: "00000000" }), "CodeMismatchException");
  assertDone(await auth.confirmSignIn({ code: await code("alice", "EMAIL_OTP") }), "alice");

  // SMS_OTP for a user with a phone number (passwordless: no MFA after it).
  step = await auth.signIn({ username: "multi", authFlow: "USER_AUTH", preferredChallenge: "SMS_OTP" });
  assert.equal(step.next, "SMS_OTP");
  assert.equal(step.codeDelivery.deliveryMedium, "SMS");
  assertDone(await auth.confirmSignIn({ code: await code("multi", "SMS_OTP") }), "multi");
});

test("NEW_PASSWORD_REQUIRED with a required attribute; a missing one is refused and the step answered again", async () => {
  const { auth } = client();
  const step = await auth.signIn({ username: "newbie", password: passwordOf("newbie") });
  assert.equal(step.next, "NEW_PASSWORD_REQUIRED");
  assert.deepEqual(step.requiredAttributes, ["name"]);
  assert.equal(step.userAttributes.email, "newbie@example.com");
  await rejectsWith(auth.confirmSignIn({ newPassword: "Newbie-Passw0rd!2" }), "InvalidParameterException");
  // A wrong kind of answer is refused locally and keeps the step.
  await rejectsWith(auth.confirmSignIn({ code: "123456" }), "CognitoWrongAnswer");
  assertDone(await auth.confirmSignIn({ newPassword: "Newbie-Passw0rd!2", attributes: { name: "New Bie" } }), "newbie");
  assert.equal((await auth.fetchUserAttributes()).name, "New Bie");
  assertDone(await client().auth.signIn({ username: "newbie", password: "Newbie-Passw0rd!2" }), "newbie");
});

// ------------------------------------------------------------------ MFA

test("SMS_MFA: code delivery shown, a wrong code is CodeMismatchException, then the right one", async () => {
  const { auth, ops } = client();
  const step = await auth.signIn({ username: "sam", password: passwordOf("sam") });
  assert.equal(step.next, "SMS_MFA");
  assert.equal(step.codeDelivery.deliveryMedium, "SMS");
  assert.ok(step.codeDelivery.destination && !step.codeDelivery.destination.includes("5555550101"), "masked");
  await rejectsWith(auth.confirmSignIn({ code: "000000" }), "CodeMismatchException");
  assertDone(await auth.confirmSignIn({ code: await code("sam", "SMS_MFA") }), "sam");
  assert.deepEqual(ops(), [
    "InitiateAuth",
    "RespondToAuthChallenge:PASSWORD_VERIFIER",
    "RespondToAuthChallenge:SMS_MFA",
    "RespondToAuthChallenge:SMS_MFA",
  ]);
});

test("SOFTWARE_TOKEN_MFA with a TOTP code from otpauth", async () => {
  const { auth } = client();
  const step = await auth.signIn({ username: "tina", password: passwordOf("tina") });
  assert.equal(step.next, "SOFTWARE_TOKEN_MFA");
  await rejectsWith(auth.confirmSignIn({ code: wrongTotp(TOTP_SECRET) }), "CodeMismatchException");
  assertDone(await auth.confirmSignIn({ code: totp(TOTP_SECRET) }), "tina");
});

test("EMAIL_OTP as the MFA factor", async () => {
  const { auth } = client();
  const step = await auth.signIn({ username: "emma", password: passwordOf("emma") });
  assert.equal(step.next, "EMAIL_OTP");
  assert.equal(step.codeDelivery.deliveryMedium, "EMAIL");
  assertDone(await auth.confirmSignIn({ code: await code("emma", "EMAIL_OTP") }), "emma");
});

test("SELECT_MFA_TYPE: choose SMS_MFA (and EMAIL_OTP another time)", async () => {
  const { auth } = client();
  let step = await auth.signIn({ username: "multi", password: passwordOf("multi") });
  assert.equal(step.next, "SELECT_MFA_TYPE");
  assert.deepEqual([...step.mfaTypes].sort(), ["EMAIL_OTP", "SMS_MFA"]);
  step = await auth.confirmSignIn({ mfaType: "SMS_MFA" });
  assert.equal(step.next, "SMS_MFA");
  assertDone(await auth.confirmSignIn({ code: await code("multi", "SMS_MFA") }), "multi");
  await auth.signIn({ username: "multi", password: passwordOf("multi") });
  step = await auth.confirmSignIn({ mfaType: "EMAIL_OTP" });
  assert.equal(step.next, "EMAIL_OTP");
  assertDone(await auth.confirmSignIn({ code: await code("multi", "EMAIL_OTP") }), "multi");
});

test("MFA_SETUP: TOTP set up through the otpauth URI, a wrong first code retried, then SOFTWARE_TOKEN_MFA", async () => {
  const { auth, ops } = client({ pool: MFA_ON, clientId: MFA_CLIENT });
  let step = await auth.signIn({ username: "setup", password: passwordOf("setup") });
  assert.equal(step.next, "MFA_SETUP");
  assert.deepEqual(step.mfaTypes, ["SOFTWARE_TOKEN_MFA"]);
  step = await auth.confirmSignIn({ mfaType: "SOFTWARE_TOKEN_MFA" });
  assert.equal(step.next, "MFA_SETUP");
  assert.match(step.otpauthUri, /^otpauth:\/\/totp\/AWSCognito:setup\?secret=[A-Z2-7]+&issuer=AWSCognito$/);
  const secret = secretOfUri(step.otpauthUri);
  assert.equal(secret, step.totpSecret);
  await rejectsWith(auth.confirmSignIn({ code: wrongTotp(secret) }), "EnableSoftwareTokenMFAException");
  assertDone(await auth.confirmSignIn({ code: totp(secret) }), "setup");
  assert.deepEqual(ops(), [
    "InitiateAuth",
    "RespondToAuthChallenge:PASSWORD_VERIFIER",
    "AssociateSoftwareToken",
    "VerifySoftwareToken",
    "VerifySoftwareToken",
    "RespondToAuthChallenge:MFA_SETUP",
  ]);
  const again = client({ pool: MFA_ON, clientId: MFA_CLIENT });
  step = await again.auth.signIn({ username: "setup", password: passwordOf("setup") });
  assert.equal(step.next, "SOFTWARE_TOKEN_MFA");
  assertDone(await again.auth.confirmSignIn({ code: totp(secret) }), "setup");
});

// -------------------------------------------------------- remembered devices

test("remembered device: the second sign-in skips MFA through DEVICE_SRP_AUTH; remember, list, forget", async () => {
  const storage = mapStorage();
  const first = client({ pool: DEVICES, clientId: DEVICES_CLIENT, storage });
  let step = await first.auth.signIn({ username: "dev", password: passwordOf("dev") });
  assert.equal(step.next, "SOFTWARE_TOKEN_MFA");
  step = await first.auth.confirmSignIn({ code: totp(TOTP_SECRET) });
  assertDone(step, "dev");
  assert.equal(first.ops().at(-1), "ConfirmDevice");
  const [device] = (await first.auth.listDevices()).devices;
  const key = device.deviceKey;
  assert.equal(device.attributes.device_status, "remembered");
  assert.ok(storage.map.get(deviceKey("dev")).includes(key));

  const second = client({ pool: DEVICES, clientId: DEVICES_CLIENT, storage });
  step = await second.auth.signIn({ username: "dev", password: passwordOf("dev") });
  assertDone(step, "dev");
  assert.deepEqual(second.ops(), [
    "InitiateAuth",
    "RespondToAuthChallenge:PASSWORD_VERIFIER",
    "RespondToAuthChallenge:DEVICE_SRP_AUTH",
    "RespondToAuthChallenge:DEVICE_PASSWORD_VERIFIER",
  ]);
  assert.equal(second.sent[0].body.AuthParameters.DEVICE_KEY, key);

  let { devices } = await second.auth.listDevices();
  assert.deepEqual(
    devices.map((d) => [d.deviceKey, d.attributes.device_status]),
    [[key, "remembered"]],
  );
  assert.ok(devices[0].lastAuthenticated > Date.now() - 600_000 && devices[0].lastAuthenticated < Date.now() + 600_000);
  await second.auth.rememberDevice({ remembered: false });
  ({ devices } = await second.auth.listDevices({ limit: 5 }));
  assert.equal(devices[0].attributes.device_status, "not_remembered");
  // Not remembered: MFA again, with the device key still known.
  const third = client({ pool: DEVICES, clientId: DEVICES_CLIENT, storage });
  assert.equal((await third.auth.signIn({ username: "dev", password: passwordOf("dev") })).next, "SOFTWARE_TOKEN_MFA");
  assertDone(await third.auth.confirmSignIn({ code: totp(TOTP_SECRET) }), "dev");
  await third.auth.rememberDevice({ deviceKey: key });
  ({ devices } = await third.auth.listDevices());
  assert.equal(devices[0].attributes.device_status, "remembered");

  // Forgetting this session's device drops the local record too.
  await third.auth.forgetDevice();
  assert.equal(storage.map.get(deviceKey("dev")), undefined);
  assert.deepEqual((await third.auth.listDevices()).devices, []);
  await rejectsWith(third.auth.forgetDevice(), "InvalidArgument");
  await rejectsWith(third.auth.forgetDevice({ deviceKey: key }), "ResourceNotFoundException");
  const fourth = client({ pool: DEVICES, clientId: DEVICES_CLIENT, storage });
  assert.equal((await fourth.auth.signIn({ username: "dev", password: passwordOf("dev") })).next, "SOFTWARE_TOKEN_MFA");
  assert.equal(fourth.sent[0].body.AuthParameters.DEVICE_KEY, undefined);
});

test("a device the server forgot: ResourceNotFoundException, the key dropped, sign-in started again", async () => {
  const storage = mapStorage();
  const first = client({ pool: DEVICES, clientId: DEVICES_CLIENT, storage });
  await first.auth.signIn({ username: "stale", password: passwordOf("stale") });
  const step = await first.auth.confirmSignIn({ code: totp(TOTP_SECRET) });
  const [{ deviceKey: key }] = (await first.auth.listDevices()).devices;
  // Forgotten elsewhere (another device's session, or an admin).
  await emu.call("ForgetDevice", { AccessToken: step.tokens.accessToken, DeviceKey: key });

  const next = client({ pool: DEVICES, clientId: DEVICES_CLIENT, storage });
  const s = await next.auth.signIn({ username: "stale", password: passwordOf("stale") });
  assert.equal(s.next, "SOFTWARE_TOKEN_MFA");
  // Cognito refuses the key once the password is proven; the SDK starts
  // again without it (as amazon-cognito-identity-js and Amplify do).
  const dk = (x) => x.body.AuthParameters?.DEVICE_KEY ?? x.body.ChallengeResponses?.DEVICE_KEY ?? null;
  assert.deepEqual(
    next.sent.map((x) => [x.op, dk(x), x.status]),
    [
      ["InitiateAuth", key, 200],
      ["RespondToAuthChallenge", key, 400],
      ["InitiateAuth", null, 200],
      ["RespondToAuthChallenge", null, 200],
    ],
  );
  assert.equal(storage.map.get(deviceKey("stale")), undefined, "the stale record is gone");
  await next.auth.confirmSignIn({ code: totp(TOTP_SECRET) });
  const [{ deviceKey: fresh }] = (await next.auth.listDevices()).devices;
  assert.ok(fresh && fresh !== key);
  assert.ok(storage.map.get(deviceKey("stale")).includes(fresh));
});

test("signOut({ forgetDevice: true }): ForgetDevice at Cognito, the device keys removed here, MFA again next time", async () => {
  const storage = mapStorage();
  const first = client({ pool: DEVICES, clientId: DEVICES_CLIENT, storage });
  await first.auth.signIn({ username: "leaver", password: passwordOf("leaver") });
  const step = await first.auth.confirmSignIn({ code: totp(TOTP_SECRET) });
  assertDone(step, "leaver");
  const [{ deviceKey: key }] = (await first.auth.listDevices()).devices;
  assert.ok(storage.map.get(deviceKey("leaver")).includes(key));

  // A plain sign-out keeps the device (it outlives sessions, as in Cognito).
  await first.auth.signOut();
  assert.ok(storage.map.get(deviceKey("leaver")).includes(key));
  const second = client({ pool: DEVICES, clientId: DEVICES_CLIENT, storage });
  assertDone(await second.auth.signIn({ username: "leaver", password: passwordOf("leaver") }), "leaver");

  await second.auth.signOut({ forgetDevice: true });
  assert.deepEqual(
    second.ops().slice(-2),
    ["ForgetDevice", "RevokeToken"],
  );
  assert.equal(storage.map.get(deviceKey("leaver")), undefined, "the device keys are gone");
  assert.deepEqual([...storage.map.keys()], [], "nothing of the user's is left in storage");
  const third = client({ pool: DEVICES, clientId: DEVICES_CLIENT, storage });
  const s = await third.auth.signIn({ username: "leaver", password: passwordOf("leaver") });
  assert.equal(s.next, "SOFTWARE_TOKEN_MFA");
  assert.equal(third.sent[0].body.AuthParameters.DEVICE_KEY, undefined);
  assertDone(await third.auth.confirmSignIn({ code: totp(TOTP_SECRET) }), "leaver");
  const devices = (await third.auth.listDevices()).devices.map((d) => d.deviceKey);
  assert.equal(devices.length, 1);
  assert.ok(!devices.includes(key), "Cognito forgot the old device");
});

// ---------------------------------------------------- confidential client

test("confidential client: sign-in by e-mail alias, SECRET_HASH over the canonical username, refresh, recovery", async () => {
  const { auth, sent } = client({ clientId: CONF_CLIENT, clientSecret: CONF_SECRET });
  const hash = (u) => createHmac("sha256", CONF_SECRET).update(u + CONF_CLIENT).digest("base64");
  const step = await auth.signIn({ username: "conf.alias@example.com", password: passwordOf("conf") });
  assertDone(step, "conf");
  assert.equal(sent[0].body.AuthParameters.SECRET_HASH, hash("conf.alias@example.com"));
  assert.equal(sent[1].body.ChallengeResponses.USERNAME, "conf");
  assert.equal(sent[1].body.ChallengeResponses.SECRET_HASH, hash("conf"));
  const t = await auth.getTokens({ forceRefresh: true });
  assert.notEqual(t.accessToken, step.tokens.accessToken);
  assert.equal(claims(t.accessToken).username, "conf");
  assert.equal((await auth.getUser()).username, "conf");

  sent.length = 0;
  const d = await auth.forgotPassword({ username: "conf" });
  assert.equal(d.codeDelivery.deliveryMedium, "EMAIL");
  assert.equal(sent[0].body.SecretHash, hash("conf"));
  await auth.confirmForgotPassword({ username: "conf", code: await code("conf", "ForgotPassword"), newPassword: "Conf-Passw0rd!2" });
  assertDone(await client({ clientId: CONF_CLIENT, clientSecret: CONF_SECRET }).auth.signIn({ username: "conf", password: "Conf-Passw0rd!2" }), "conf");
  // A wrong secret is Cognito's refusal.
  const bad = client({ clientId: CONF_CLIENT, clientSecret: "not-the-secret" });
  await rejectsWith(bad.auth.signIn({ username: "conf", password: "Conf-Passw0rd!2" }), "NotAuthorizedException");
});

// ------------------------------------------------------ account operations

test("signUp (attributes, validation data, client metadata), resendSignUpCode, confirmSignUp", async () => {
  const { auth, sent } = client();
  const up = await auth.signUp({
    username: "zed",
    password: "Zed-Passw0rd!1",
    attributes: { email: "zed@example.com", name: "Zed" },
    validationData: { invite: "abc" },
    clientMetadata: { source: "test" },
  });
  assert.equal(up.userConfirmed, false);
  assert.match(up.userSub, /^[0-9a-f-]{36}$/);
  assert.deepEqual(up.codeDelivery, { deliveryMedium: "EMAIL", destination: up.codeDelivery.destination, attributeName: "email" });
  assert.deepEqual(sent[0].body.ValidationData, [{ Name: "invite", Value: "abc" }]);
  assert.deepEqual(sent[0].body.ClientMetadata, { source: "test" });
  await rejectsWith(auth.signUp({ username: "zed", password: "Zed-Passw0rd!1" }), "UsernameExistsException");
  await rejectsWith(auth.signIn({ username: "zed", password: "Zed-Passw0rd!1" }), "UserNotConfirmedException");
  const resent = await auth.resendSignUpCode({ username: "zed" });
  assert.equal(resent.codeDelivery.deliveryMedium, "EMAIL");
  await rejectsWith(auth.confirmSignUp({ username: "zed", code: "000000" }), "CodeMismatchException");
  await auth.confirmSignUp({ username: "zed", code: await code("zed", "SignUp") });
  assertDone(await auth.signIn({ username: "zed", password: "Zed-Passw0rd!1" }), "zed");
  // Arguments are checked before anything is sent.
  sent.length = 0;
  await rejectsWith(auth.signUp({ username: "", password: "x" }), "EmptyArgument");
  await rejectsWith(auth.signUp({ username: "y", password: "x", attributes: { n: 1 } }), "InvalidArgument");
  assert.equal(sent.length, 0);
});

test("forgotPassword / confirmForgotPassword", async () => {
  const { auth } = client();
  const d = await auth.forgotPassword({ username: "alice" });
  assert.equal(d.codeDelivery.attributeName, "email");
  await rejectsWith(
    auth.confirmForgotPassword({ username: "alice", code: "000000", newPassword: "Alice-Passw0rd!2" }),
    "CodeMismatchException",
  );
  await auth.confirmForgotPassword({ username: "alice", code: await code("alice", "ForgotPassword"), newPassword: "Alice-Passw0rd!2" });
  assertDone(await auth.signIn({ username: "alice", password: "Alice-Passw0rd!2" }), "alice");
  await auth.forgotPassword({ username: "alice" });
  await auth.confirmForgotPassword({ username: "alice", code: await code("alice", "ForgotPassword"), newPassword: passwordOf("alice") });
});

test("getUser, fetchUserAttributes, updateUserAttributes with verification, verify and resend codes, deleteUserAttributes, changePassword", async () => {
  const { auth, ops, sent } = client();
  await rejectsWith(auth.getUser(), "NotSignedIn");
  assertDone(await auth.signIn({ username: "acct", password: passwordOf("acct") }), "acct");
  const user = await auth.getUser();
  assert.equal(user.username, "acct");
  assert.equal(user.attributes.name, "Acct");
  assert.deepEqual(user.mfaSettings, []);
  assert.equal(user.preferredMfa, undefined);
  const attrs = await auth.fetchUserAttributes();
  assert.deepEqual(attrs, user.attributes);

  const { codeDeliveryList } = await auth.updateUserAttributes({ attributes: { email: "acct.new@example.com", name: "Acct Two" } });
  assert.deepEqual(
    codeDeliveryList.map((d) => [d.attributeName, d.deliveryMedium]),
    [["email", "EMAIL"]],
  );
  let now = await auth.fetchUserAttributes();
  assert.equal(now.name, "Acct Two");
  await rejectsWith(auth.verifyUserAttribute({ attributeName: "email", code: "000000" }), "CodeMismatchException");
  await auth.verifyUserAttribute({ attributeName: "email", code: await code("acct", "VerifyUserAttribute:email") });
  now = await auth.fetchUserAttributes();
  assert.equal(now.email, "acct.new@example.com");
  assert.equal(now.email_verified, "true");

  const phone = await auth.sendUserAttributeVerificationCode({ attributeName: "phone_number" });
  assert.equal(phone.codeDelivery.deliveryMedium, "SMS");
  await auth.verifyUserAttribute({ attributeName: "phone_number", code: await code("acct", "VerifyUserAttribute:phone_number") });
  assert.equal((await auth.fetchUserAttributes()).phone_number_verified, "true");

  await auth.deleteUserAttributes({ attributeNames: ["name"] });
  assert.equal((await auth.fetchUserAttributes()).name, undefined);
  await rejectsWith(auth.deleteUserAttributes({ attributeNames: "name" }), "InvalidArgument");
  await rejectsWith(auth.updateUserAttributes({ attributes: {} }), "EmptyArgument");

  await rejectsWith(auth.changePassword({ oldPassword: "Wrong-Passw0rd!", newPassword: "Acct-Passw0rd!2" }), "NotAuthorizedException");
  await auth.changePassword({ oldPassword: passwordOf("acct"), newPassword: "Acct-Passw0rd!2" });
  assertDone(await client().auth.signIn({ username: "acct", password: "Acct-Passw0rd!2" }), "acct");
  await rejectsWith(client().auth.signIn({ username: "acct", password: passwordOf("acct") }), "NotAuthorizedException");
  // Every call above carried the session's access token.
  const tokenOps = sent.filter((s) => s.body.AccessToken);
  assert.ok(tokenOps.length >= 12, ops().join());
});

test("setUpTotp + verifyTotp for a signed-in user, setMfaPreference enables and prefers TOTP, then disables it", async () => {
  const { auth, sent } = client();
  assertDone(await auth.signIn({ username: "acct", password: "Acct-Passw0rd!2" }), "acct");
  const { secret, otpauthUri } = await auth.setUpTotp({ issuer: "Flows Test" });
  assert.equal(otpauthUri, `otpauth://totp/Flows%20Test:acct?secret=${secret}&issuer=Flows%20Test`);
  assert.equal(secretOfUri(otpauthUri), secret);
  await rejectsWith(auth.verifyTotp({ code: wrongTotp(secret) }), "EnableSoftwareTokenMFAException");
  await auth.verifyTotp({ code: totp(secret), deviceName: "test phone" });
  assert.equal(sent.at(-1).body.FriendlyDeviceName, "test phone");
  await auth.setMfaPreference({ totp: { enabled: true, preferred: true } });
  const u = await auth.getUser();
  assert.deepEqual(u.mfaSettings, ["SOFTWARE_TOKEN_MFA"]);
  assert.equal(u.preferredMfa, "SOFTWARE_TOKEN_MFA");
  assert.deepEqual(sent.at(-2).body.SoftwareTokenMfaSettings, { Enabled: true, PreferredMfa: true });
  assert.equal(sent.at(-2).body.SMSMfaSettings, undefined, "absent factors are left alone");

  const mfa = client();
  const step = await mfa.auth.signIn({ username: "acct", password: "Acct-Passw0rd!2" });
  assert.equal(step.next, "SOFTWARE_TOKEN_MFA");
  assertDone(await mfa.auth.confirmSignIn({ code: totp(secret) }), "acct");

  await mfa.auth.setMfaPreference({ totp: { enabled: false } });
  assert.deepEqual((await mfa.auth.getUser()).mfaSettings, []);
  assertDone(await client().auth.signIn({ username: "acct", password: "Acct-Passw0rd!2" }), "acct");
  await rejectsWith(mfa.auth.setMfaPreference({ sms: "on" }), "InvalidArgument");
});

test("account calls refresh an expiring access token first (getTokens)", async () => {
  const { auth, ops } = client({ refreshMargin: 86_400 });
  assertDone(await auth.signIn({ username: "alice", password: passwordOf("alice") }), "alice");
  await auth.getUser();
  assert.deepEqual(ops().slice(2), ["GetTokensFromRefreshToken", "GetUser"]);
});

test("deleteUser: the session is cleared and signedOut emitted", async () => {
  const { auth, storage, events } = client();
  assertDone(await auth.signIn({ username: "gone", password: passwordOf("gone") }), "gone");
  assert.ok(storage.map.has(sessionKey()));
  await auth.deleteUser();
  assert.deepEqual(events, ["signedIn", "signedOut"]);
  assert.ok(!storage.map.has(sessionKey()));
  await rejectsWith(auth.getTokens(), "NotSignedIn");
  await rejectsWith(auth.deleteUser(), "NotSignedIn");
  const e = await failure(auth.signIn({ username: "gone", password: passwordOf("gone") }));
  assert.ok(["UserNotFoundException", "NotAuthorizedException"].includes(e.code), e.code);
});
