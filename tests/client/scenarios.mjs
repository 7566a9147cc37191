// Every CognitoAuth flow against the emulator, written once for every
// runtime: each scenario is `async (ctx) => void` and throws on failure.
// Nothing here imports a host module: requests go through fetch and the
// package only, so the same code runs in Node, in a workerd module Worker and
// in a Chromium page (tests/client/matrix.test.mjs runs it in all three).
//
// ctx = {
//   CognitoAuth, CognitoError,       // from the package as the runtime loads it
//   cfg: { endpoint, poolId, clientId, confidentialClientId, secret,
//          mfaPoolId, mfaClientId, devicePoolId, deviceClientId },
//   code(username, purpose?),        // the latest code in the emulator's outbox
//   totp(secret),                    // RFC 6238 code (the otpauth package)
//   emulator(op, body),              // one call to the emulator's JSON API
//   assert,                          // tests/client/tiny-assert.mjs
// }
//
// Sessions live in "memory" storage, except where a scenario is about what
// is stored (then a recording Map adapter: helpers-flows.mjs mapStorage).
import {
  flowsSeed,
  passwordOf,
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

/**
 * The flows seed plus one user per scenario that changes a user's state
 * (so the scenarios do not depend on their order).
 */
export function matrixSeed() {
  const seed = flowsSeed();
  const main = seed.pools.find((p) => p.id === MAIN);
  for (const username of ["fp", "mfapref", "refresher"]) {
    main.users.push({
      username,
      password: passwordOf(username),
      attributes: { email: `${username}@example.com`, email_verified: "true" },
    });
  }
  return seed;
}

/** The ctx.cfg for an emulator started with matrixSeed(), at `endpoint`. */
export function matrixConfig(endpoint) {
  return {
    endpoint,
    poolId: MAIN,
    clientId: PUBLIC_CLIENT,
    confidentialClientId: CONF_CLIENT,
    secret: CONF_SECRET,
    mfaPoolId: MFA_ON,
    mfaClientId: MFA_CLIENT,
    devicePoolId: DEVICES,
    deviceClientId: DEVICES_CLIENT,
  };
}

/** ctx.code and ctx.emulator over fetch, for any runtime. */
export function emulatorAccess(endpoint) {
  return {
    async code(username, purpose) {
      const q = new URLSearchParams(purpose ? { username, purpose } : { username });
      const res = await fetch(`${endpoint}/_emulator/outbox?${q}`);
      const msgs = await res.json();
      if (!msgs.length) throw new Error(`no code in the outbox for ${username} (${purpose ?? "any"})`);
      return msgs[msgs.length - 1].code;
    },
    async emulator(op, body) {
      const res = await fetch(endpoint, {
        method: "POST",
        headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": TARGET + op },
        body: JSON.stringify(body),
      });
      const json = await res.json();
      if (!res.ok) {
        const e = new Error(json.message);
        e.name = json.__type;
        throw e;
      }
      return json;
    },
  };
}

/** HMAC-SHA256(secret, message), base64: Cognito's SECRET_HASH, by WebCrypto. */
async function secretHash(secret, username, clientId) {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, enc.encode(username + clientId)));
  let bin = "";
  for (const b of mac) bin += String.fromCharCode(b);
  return btoa(bin);
}

/**
 * A CognitoAuth on the emulator with its requests recorded:
 * `{ auth, storage, sent, ops(), events }`.
 */
function client(ctx, { pool, clientId, storage = "memory", ...extra } = {}) {
  const { cfg } = ctx;
  const sent = [];
  const events = [];
  const recorder = async (url, init) => {
    const op = new Headers(init.headers).get("x-amz-target")?.slice(TARGET.length);
    const entry = { op, body: JSON.parse(init.body) };
    sent.push(entry);
    const res = await fetch(url, init);
    entry.status = res.status;
    return res;
  };
  const auth = new ctx.CognitoAuth({
    userPoolId: pool ?? cfg.poolId,
    clientId: clientId ?? cfg.clientId,
    endpoint: cfg.endpoint,
    storage,
    fetch: recorder,
    ...extra,
  });
  for (const type of ["signedIn", "signedOut", "tokenRefresh", "tokenRefreshFailure", "sessionExpired"]) {
    auth.on(type, (e) => events.push(e.type));
  }
  const ops = () => sent.map((s) => (s.body.ChallengeName ? `${s.op}:${s.body.ChallengeName}` : s.op));
  return { auth, storage, sent, ops, events };
}

/** A CognitoError carrying Cognito's error name verbatim as `code`. */
async function rejectsWith(ctx, promise, code) {
  const e = await ctx.assert.rejection(promise);
  ctx.assert.ok(e instanceof ctx.CognitoError, `not a CognitoError: ${e}`);
  ctx.assert.equal(e.code, code, e.message);
  return e;
}

function assertDone({ assert }, step, username) {
  assert.equal(step.done, true, JSON.stringify(step));
  assert.equal(step.tokens.username, username);
  assert.equal(claims(step.tokens.accessToken).username, username);
  assert.equal(claims(step.tokens.idToken).aud, claims(step.tokens.accessToken).client_id);
}

const sessionKey = (clientId) => `cognito-wasm.${clientId}.session`;
const deviceKey = (user, clientId) => `cognito-wasm.${clientId}.device.${user}`;

/** name → scenario, in the order they run. */
export const scenarios = {
  // ---------------------------------------------------------- first factors

  async "USER_SRP_AUTH: session stored under the prefix, events, sign-out, wrong password"(ctx) {
    const { assert } = ctx;
    const { auth, storage, ops, sent, events } = client(ctx, { storage: mapStorage() });
    const step = await auth.signIn({ username: "alice", password: passwordOf("alice") });
    assertDone(ctx, step, "alice");
    assert.deepEqual(ops(), ["InitiateAuth", "RespondToAuthChallenge:PASSWORD_VERIFIER"]);
    assert.equal(sent[0].body.AuthFlow, "USER_SRP_AUTH");
    assert.equal(sent[0].body.AuthParameters.PASSWORD, undefined, "the password never leaves");
    assert.ok(storage.map.has(sessionKey(ctx.cfg.clientId)), [...storage.map.keys()].join());
    assert.ok(!storage.map.get(sessionKey(ctx.cfg.clientId)).includes(passwordOf("alice")), "no password stored");
    assert.deepEqual(events, ["signedIn"]);
    // Another client on the same storage finds the session.
    const other = client(ctx, { storage });
    assert.equal((await other.auth.getTokens()).accessToken, step.tokens.accessToken);
    assert.equal((await auth.getTokens()).accessToken, step.tokens.accessToken);
    await auth.signOut();
    assert.ok(!storage.map.has(sessionKey(ctx.cfg.clientId)));
    assert.deepEqual(events, ["signedIn", "signedOut"]);
    await rejectsWith(ctx, auth.getTokens(), "NotSignedIn");
    await rejectsWith(ctx, auth.signIn({ username: "alice", password: "Wrong-Passw0rd!" }), "NotAuthorizedException");
  },

  async USER_PASSWORD_AUTH(ctx) {
    const { assert } = ctx;
    const { auth, sent } = client(ctx);
    assertDone(ctx, await auth.signIn({ username: "alice", password: passwordOf("alice"), authFlow: "USER_PASSWORD_AUTH" }), "alice");
    assert.equal(sent.length, 1);
    assert.equal(sent[0].body.AuthFlow, "USER_PASSWORD_AUTH");
    assert.equal(sent[0].body.AuthParameters.PASSWORD, passwordOf("alice"));
  },

  async "CUSTOM_AUTH without SRP: the code sent, a wrong answer refused"(ctx) {
    const { assert } = ctx;
    const { auth, ops } = client(ctx);
    const step = await auth.signIn({ username: "alice", authFlow: "CUSTOM_AUTH" });
    assert.equal(step.next, "CUSTOM_CHALLENGE");
    assert.equal(step.parameters.question, "Enter the code sent to your e-mail");
    assertDone(ctx, await auth.confirmSignIn({ answer: await ctx.code("alice", "CUSTOM_CHALLENGE") }), "alice");
    assert.deepEqual(ops(), ["InitiateAuth", "RespondToAuthChallenge:CUSTOM_CHALLENGE"]);
    await auth.signIn({ username: "alice", authFlow: "CUSTOM_AUTH" });
    await rejectsWith(ctx, auth.confirmSignIn({ answer: "not-it" }), "NotAuthorizedException");
  },

  async "CUSTOM_AUTH with SRP first: PASSWORD_VERIFIER then CUSTOM_CHALLENGE"(ctx) {
    const { assert } = ctx;
    const { auth, ops, sent } = client(ctx);
    const step = await auth.signIn({ username: "alice", password: passwordOf("alice"), authFlow: "CUSTOM_WITH_SRP" });
    assert.equal(step.next, "CUSTOM_CHALLENGE");
    assert.equal(sent[0].body.AuthFlow, "CUSTOM_AUTH");
    assert.equal(sent[0].body.AuthParameters.CHALLENGE_NAME, "SRP_A");
    assertDone(ctx, await auth.confirmSignIn({ answer: await ctx.code("alice", "CUSTOM_CHALLENGE") }), "alice");
    assert.deepEqual(ops(), ["InitiateAuth", "RespondToAuthChallenge:PASSWORD_VERIFIER", "RespondToAuthChallenge:CUSTOM_CHALLENGE"]);
    await rejectsWith(ctx, auth.signIn({ username: "alice", password: "Wrong-Passw0rd!", authFlow: "CUSTOM_WITH_SRP" }), "NotAuthorizedException");
  },

  async "USER_AUTH: SELECT_CHALLENGE and each preferred challenge (PASSWORD, PASSWORD_SRP, EMAIL_OTP, SMS_OTP)"(ctx) {
    const { assert } = ctx;
    const { auth, ops } = client(ctx);
    let step = await auth.signIn({ username: "alice", authFlow: "USER_AUTH" });
    assert.equal(step.next, "SELECT_CHALLENGE");
    for (const c of ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP"]) assert.ok(step.availableChallenges.includes(c), c);
    assertDone(ctx, await auth.confirmSignIn({ challenge: "PASSWORD_SRP", password: passwordOf("alice") }), "alice");
    assert.deepEqual(ops(), ["InitiateAuth", "RespondToAuthChallenge:SELECT_CHALLENGE", "RespondToAuthChallenge:PASSWORD_VERIFIER"]);

    await auth.signIn({ username: "alice", authFlow: "USER_AUTH" });
    assertDone(ctx, await auth.confirmSignIn({ challenge: "PASSWORD", password: passwordOf("alice") }), "alice");

    await auth.signIn({ username: "alice", authFlow: "USER_AUTH" });
    step = await auth.confirmSignIn({ challenge: "EMAIL_OTP" });
    assert.equal(step.next, "EMAIL_OTP");
    assert.equal(step.codeDelivery.deliveryMedium, "EMAIL");
    assertDone(ctx, await auth.confirmSignIn({ code: await ctx.code("alice", "EMAIL_OTP") }), "alice");

    for (const preferredChallenge of ["PASSWORD", "PASSWORD_SRP"]) {
      const c = client(ctx);
      const s = await c.auth.signIn({ username: "alice", password: passwordOf("alice"), authFlow: "USER_AUTH", preferredChallenge });
      assertDone(ctx, s, "alice");
      assert.equal(c.sent[0].body.AuthParameters.PREFERRED_CHALLENGE, preferredChallenge);
    }
    step = await auth.signIn({ username: "alice", authFlow: "USER_AUTH", preferredChallenge: "EMAIL_OTP" });
    assert.equal(step.next, "EMAIL_OTP");
    await rejectsWith(ctx, auth.confirmSignIn({ code: "00000000" }), "CodeMismatchException");
    assertDone(ctx, await auth.confirmSignIn({ code: await ctx.code("alice", "EMAIL_OTP") }), "alice");

    step = await auth.signIn({ username: "multi", authFlow: "USER_AUTH", preferredChallenge: "SMS_OTP" });
    assert.equal(step.next, "SMS_OTP");
    assert.equal(step.codeDelivery.deliveryMedium, "SMS");
    assertDone(ctx, await auth.confirmSignIn({ code: await ctx.code("multi", "SMS_OTP") }), "multi");
  },

  async "NEW_PASSWORD_REQUIRED with a required attribute, refused answers taken again"(ctx) {
    const { assert } = ctx;
    const { auth } = client(ctx);
    const step = await auth.signIn({ username: "newbie", password: passwordOf("newbie") });
    assert.equal(step.next, "NEW_PASSWORD_REQUIRED");
    assert.deepEqual(step.requiredAttributes, ["name"]);
    assert.equal(step.userAttributes.email, "newbie@example.com");
    await rejectsWith(ctx, auth.confirmSignIn({ newPassword: "Newbie-Passw0rd!2" }), "InvalidParameterException");
    await rejectsWith(ctx, auth.confirmSignIn({ code: "123456" }), "CognitoWrongAnswer");
    assertDone(ctx, await auth.confirmSignIn({ newPassword: "Newbie-Passw0rd!2", attributes: { name: "New Bie" } }), "newbie");
    assert.equal((await auth.fetchUserAttributes()).name, "New Bie");
    assertDone(ctx, await client(ctx).auth.signIn({ username: "newbie", password: "Newbie-Passw0rd!2" }), "newbie");
  },

  // ------------------------------------------------------------------- MFA

  async "SMS_MFA: masked delivery, a wrong code then the right one"(ctx) {
    const { assert } = ctx;
    const { auth, ops } = client(ctx);
    const step = await auth.signIn({ username: "sam", password: passwordOf("sam") });
    assert.equal(step.next, "SMS_MFA");
    assert.equal(step.codeDelivery.deliveryMedium, "SMS");
    assert.ok(step.codeDelivery.destination && !step.codeDelivery.destination.includes("5555550101"), "masked");
    await rejectsWith(ctx, auth.confirmSignIn({ code: "000000" }), "CodeMismatchException");
    assertDone(ctx, await auth.confirmSignIn({ code: await ctx.code("sam", "SMS_MFA") }), "sam");
    assert.deepEqual(ops(), [
      "InitiateAuth",
      "RespondToAuthChallenge:PASSWORD_VERIFIER",
      "RespondToAuthChallenge:SMS_MFA",
      "RespondToAuthChallenge:SMS_MFA",
    ]);
  },

  async "SOFTWARE_TOKEN_MFA: a wrong TOTP code then the right one"(ctx) {
    const { assert } = ctx;
    const { auth } = client(ctx);
    const step = await auth.signIn({ username: "tina", password: passwordOf("tina") });
    assert.equal(step.next, "SOFTWARE_TOKEN_MFA");
    await rejectsWith(ctx, auth.confirmSignIn({ code: wrongTotp(TOTP_SECRET) }), "CodeMismatchException");
    assertDone(ctx, await auth.confirmSignIn({ code: ctx.totp(TOTP_SECRET) }), "tina");
  },

  async "EMAIL_OTP as the MFA factor"(ctx) {
    const { assert } = ctx;
    const { auth } = client(ctx);
    const step = await auth.signIn({ username: "emma", password: passwordOf("emma") });
    assert.equal(step.next, "EMAIL_OTP");
    assert.equal(step.codeDelivery.deliveryMedium, "EMAIL");
    assertDone(ctx, await auth.confirmSignIn({ code: await ctx.code("emma", "EMAIL_OTP") }), "emma");
  },

  async "SELECT_MFA_TYPE: SMS_MFA, then EMAIL_OTP another time"(ctx) {
    const { assert } = ctx;
    const { auth } = client(ctx);
    let step = await auth.signIn({ username: "multi", password: passwordOf("multi") });
    assert.equal(step.next, "SELECT_MFA_TYPE");
    assert.deepEqual([...step.mfaTypes].sort(), ["EMAIL_OTP", "SMS_MFA"]);
    step = await auth.confirmSignIn({ mfaType: "SMS_MFA" });
    assert.equal(step.next, "SMS_MFA");
    assertDone(ctx, await auth.confirmSignIn({ code: await ctx.code("multi", "SMS_MFA") }), "multi");
    await auth.signIn({ username: "multi", password: passwordOf("multi") });
    step = await auth.confirmSignIn({ mfaType: "EMAIL_OTP" });
    assert.equal(step.next, "EMAIL_OTP");
    assertDone(ctx, await auth.confirmSignIn({ code: await ctx.code("multi", "EMAIL_OTP") }), "multi");
  },

  async "MFA_SETUP: TOTP through the otpauth URI, a wrong first code, then SOFTWARE_TOKEN_MFA"(ctx) {
    const { assert, cfg } = ctx;
    const { auth, ops } = client(ctx, { pool: cfg.mfaPoolId, clientId: cfg.mfaClientId });
    let step = await auth.signIn({ username: "setup", password: passwordOf("setup") });
    assert.equal(step.next, "MFA_SETUP");
    assert.deepEqual(step.mfaTypes, ["SOFTWARE_TOKEN_MFA"]);
    step = await auth.confirmSignIn({ mfaType: "SOFTWARE_TOKEN_MFA" });
    assert.equal(step.next, "MFA_SETUP");
    assert.match(step.otpauthUri, /^otpauth:\/\/totp\/AWSCognito:setup\?secret=[A-Z2-7]+&issuer=AWSCognito$/);
    const secret = secretOfUri(step.otpauthUri);
    assert.equal(secret, step.totpSecret);
    await rejectsWith(ctx, auth.confirmSignIn({ code: wrongTotp(secret) }), "EnableSoftwareTokenMFAException");
    assertDone(ctx, await auth.confirmSignIn({ code: ctx.totp(secret) }), "setup");
    assert.deepEqual(ops(), [
      "InitiateAuth",
      "RespondToAuthChallenge:PASSWORD_VERIFIER",
      "AssociateSoftwareToken",
      "VerifySoftwareToken",
      "VerifySoftwareToken",
      "RespondToAuthChallenge:MFA_SETUP",
    ]);
    const again = client(ctx, { pool: cfg.mfaPoolId, clientId: cfg.mfaClientId });
    step = await again.auth.signIn({ username: "setup", password: passwordOf("setup") });
    assert.equal(step.next, "SOFTWARE_TOKEN_MFA");
    assertDone(ctx, await again.auth.confirmSignIn({ code: ctx.totp(secret) }), "setup");
  },

  // ------------------------------------------------------ remembered devices

  async "remembered device: DEVICE_SRP_AUTH skips MFA; remember, list, forget"(ctx) {
    const { assert, cfg } = ctx;
    const storage = mapStorage();
    const dev = () => client(ctx, { pool: cfg.devicePoolId, clientId: cfg.deviceClientId, storage });
    const first = dev();
    let step = await first.auth.signIn({ username: "dev", password: passwordOf("dev") });
    assert.equal(step.next, "SOFTWARE_TOKEN_MFA");
    step = await first.auth.confirmSignIn({ code: ctx.totp(TOTP_SECRET) });
    assertDone(ctx, step, "dev");
    assert.equal(first.ops().at(-1), "ConfirmDevice");
    const [device] = (await first.auth.listDevices()).devices;
    const key = device.deviceKey;
    assert.equal(device.attributes.device_status, "remembered");
    assert.ok(storage.map.get(deviceKey("dev", cfg.deviceClientId)).includes(key));

    const second = dev();
    assertDone(ctx, await second.auth.signIn({ username: "dev", password: passwordOf("dev") }), "dev");
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
    const third = dev();
    assert.equal((await third.auth.signIn({ username: "dev", password: passwordOf("dev") })).next, "SOFTWARE_TOKEN_MFA");
    assertDone(ctx, await third.auth.confirmSignIn({ code: ctx.totp(TOTP_SECRET) }), "dev");
    await third.auth.rememberDevice({ deviceKey: key });
    ({ devices } = await third.auth.listDevices());
    assert.equal(devices[0].attributes.device_status, "remembered");

    await third.auth.forgetDevice();
    assert.equal(storage.map.get(deviceKey("dev", cfg.deviceClientId)), undefined);
    assert.deepEqual((await third.auth.listDevices()).devices, []);
    await rejectsWith(ctx, third.auth.forgetDevice(), "InvalidArgument");
    await rejectsWith(ctx, third.auth.forgetDevice({ deviceKey: key }), "ResourceNotFoundException");
    const fourth = dev();
    assert.equal((await fourth.auth.signIn({ username: "dev", password: passwordOf("dev") })).next, "SOFTWARE_TOKEN_MFA");
    assert.equal(fourth.sent[0].body.AuthParameters.DEVICE_KEY, undefined);
  },

  async "stale device: ResourceNotFoundException, the key dropped, sign-in started again"(ctx) {
    const { assert, cfg } = ctx;
    const storage = mapStorage();
    const dev = () => client(ctx, { pool: cfg.devicePoolId, clientId: cfg.deviceClientId, storage });
    const first = dev();
    await first.auth.signIn({ username: "stale", password: passwordOf("stale") });
    const step = await first.auth.confirmSignIn({ code: ctx.totp(TOTP_SECRET) });
    const [{ deviceKey: key }] = (await first.auth.listDevices()).devices;
    // Forgotten elsewhere (another session, or an admin).
    await ctx.emulator("ForgetDevice", { AccessToken: step.tokens.accessToken, DeviceKey: key });

    const next = dev();
    const s = await next.auth.signIn({ username: "stale", password: passwordOf("stale") });
    assert.equal(s.next, "SOFTWARE_TOKEN_MFA");
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
    assert.equal(storage.map.get(deviceKey("stale", cfg.deviceClientId)), undefined, "the stale record is gone");
    await next.auth.confirmSignIn({ code: ctx.totp(TOTP_SECRET) });
    const [{ deviceKey: fresh }] = (await next.auth.listDevices()).devices;
    assert.ok(fresh && fresh !== key);
    assert.ok(storage.map.get(deviceKey("stale", cfg.deviceClientId)).includes(fresh));
  },

  // ------------------------------------------------------ confidential client

  async "confidential client: alias sign-in, SECRET_HASH, refresh, recovery, wrong secret"(ctx) {
    const { assert, cfg } = ctx;
    const conf = () => client(ctx, { clientId: cfg.confidentialClientId, clientSecret: cfg.secret });
    const { auth, sent } = conf();
    const hash = (u) => secretHash(cfg.secret, u, cfg.confidentialClientId);
    const step = await auth.signIn({ username: "conf.alias@example.com", password: passwordOf("conf") });
    assertDone(ctx, step, "conf");
    assert.equal(sent[0].body.AuthParameters.SECRET_HASH, await hash("conf.alias@example.com"));
    assert.equal(sent[1].body.ChallengeResponses.USERNAME, "conf");
    assert.equal(sent[1].body.ChallengeResponses.SECRET_HASH, await hash("conf"));
    const t = await auth.getTokens({ forceRefresh: true });
    assert.notEqual(t.accessToken, step.tokens.accessToken);
    assert.equal(claims(t.accessToken).username, "conf");
    assert.equal((await auth.getUser()).username, "conf");

    sent.length = 0;
    const d = await auth.forgotPassword({ username: "conf" });
    assert.equal(d.codeDelivery.deliveryMedium, "EMAIL");
    assert.equal(sent[0].body.SecretHash, await hash("conf"));
    await auth.confirmForgotPassword({ username: "conf", code: await ctx.code("conf", "ForgotPassword"), newPassword: "Conf-Passw0rd!2" });
    assertDone(ctx, await conf().auth.signIn({ username: "conf", password: "Conf-Passw0rd!2" }), "conf");
    const bad = client(ctx, { clientId: cfg.confidentialClientId, clientSecret: "not-the-secret" });
    await rejectsWith(ctx, bad.auth.signIn({ username: "conf", password: "Conf-Passw0rd!2" }), "NotAuthorizedException");
  },

  // ------------------------------------------------------- account operations

  async "signUp, resendSignUpCode, confirmSignUp (a wrong code first)"(ctx) {
    const { assert } = ctx;
    const { auth, sent } = client(ctx);
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
    await rejectsWith(ctx, auth.signUp({ username: "zed", password: "Zed-Passw0rd!1" }), "UsernameExistsException");
    await rejectsWith(ctx, auth.signIn({ username: "zed", password: "Zed-Passw0rd!1" }), "UserNotConfirmedException");
    const resent = await auth.resendSignUpCode({ username: "zed" });
    assert.equal(resent.codeDelivery.deliveryMedium, "EMAIL");
    await rejectsWith(ctx, auth.confirmSignUp({ username: "zed", code: "000000" }), "CodeMismatchException");
    await auth.confirmSignUp({ username: "zed", code: await ctx.code("zed", "SignUp") });
    assertDone(ctx, await auth.signIn({ username: "zed", password: "Zed-Passw0rd!1" }), "zed");
    sent.length = 0;
    await rejectsWith(ctx, auth.signUp({ username: "", password: "x" }), "EmptyArgument");
    await rejectsWith(ctx, auth.signUp({ username: "y", password: "x", attributes: { n: 1 } }), "InvalidArgument");
    assert.equal(sent.length, 0, "bad arguments are refused before anything is sent");
  },

  async "forgotPassword / confirmForgotPassword (a wrong code first)"(ctx) {
    const { assert } = ctx;
    const { auth } = client(ctx);
    const d = await auth.forgotPassword({ username: "fp" });
    assert.equal(d.codeDelivery.attributeName, "email");
    await rejectsWith(ctx, auth.confirmForgotPassword({ username: "fp", code: "000000", newPassword: "Fp-Passw0rd!2" }), "CodeMismatchException");
    await auth.confirmForgotPassword({ username: "fp", code: await ctx.code("fp", "ForgotPassword"), newPassword: "Fp-Passw0rd!2" });
    assertDone(ctx, await auth.signIn({ username: "fp", password: "Fp-Passw0rd!2" }), "fp");
    await rejectsWith(ctx, client(ctx).auth.signIn({ username: "fp", password: passwordOf("fp") }), "NotAuthorizedException");
  },

  async "attribute operations: get, fetch, update with verification, resend, delete; changePassword"(ctx) {
    const { assert } = ctx;
    const { auth, ops, sent } = client(ctx);
    await rejectsWith(ctx, auth.getUser(), "NotSignedIn");
    assertDone(ctx, await auth.signIn({ username: "acct", password: passwordOf("acct") }), "acct");
    const user = await auth.getUser();
    assert.equal(user.username, "acct");
    assert.equal(user.attributes.name, "Acct");
    assert.deepEqual(user.mfaSettings, []);
    assert.equal(user.preferredMfa, undefined);
    assert.deepEqual(await auth.fetchUserAttributes(), user.attributes);

    const { codeDeliveryList } = await auth.updateUserAttributes({ attributes: { email: "acct.new@example.com", name: "Acct Two" } });
    assert.deepEqual(
      codeDeliveryList.map((d) => [d.attributeName, d.deliveryMedium]),
      [["email", "EMAIL"]],
    );
    let now = await auth.fetchUserAttributes();
    assert.equal(now.name, "Acct Two");
    await rejectsWith(ctx, auth.verifyUserAttribute({ attributeName: "email", code: "000000" }), "CodeMismatchException");
    await auth.verifyUserAttribute({ attributeName: "email", code: await ctx.code("acct", "VerifyUserAttribute:email") });
    now = await auth.fetchUserAttributes();
    assert.equal(now.email, "acct.new@example.com");
    assert.equal(now.email_verified, "true");

    const phone = await auth.sendUserAttributeVerificationCode({ attributeName: "phone_number" });
    assert.equal(phone.codeDelivery.deliveryMedium, "SMS");
    await auth.verifyUserAttribute({ attributeName: "phone_number", code: await ctx.code("acct", "VerifyUserAttribute:phone_number") });
    assert.equal((await auth.fetchUserAttributes()).phone_number_verified, "true");

    await auth.deleteUserAttributes({ attributeNames: ["name"] });
    assert.equal((await auth.fetchUserAttributes()).name, undefined);
    await rejectsWith(ctx, auth.deleteUserAttributes({ attributeNames: "name" }), "InvalidArgument");
    await rejectsWith(ctx, auth.updateUserAttributes({ attributes: {} }), "EmptyArgument");

    await rejectsWith(ctx, auth.changePassword({ oldPassword: "Wrong-Passw0rd!", newPassword: "Acct-Passw0rd!2" }), "NotAuthorizedException");
    await auth.changePassword({ oldPassword: passwordOf("acct"), newPassword: "Acct-Passw0rd!2" });
    assertDone(ctx, await client(ctx).auth.signIn({ username: "acct", password: "Acct-Passw0rd!2" }), "acct");
    await rejectsWith(ctx, client(ctx).auth.signIn({ username: "acct", password: passwordOf("acct") }), "NotAuthorizedException");
    assert.ok(sent.filter((s) => s.body.AccessToken).length >= 12, ops().join());
  },

  async "setUpTotp + verifyTotp, setMfaPreference enables and prefers TOTP, then disables it"(ctx) {
    const { assert } = ctx;
    const { auth, sent } = client(ctx);
    assertDone(ctx, await auth.signIn({ username: "mfapref", password: passwordOf("mfapref") }), "mfapref");
    const { secret, otpauthUri } = await auth.setUpTotp({ issuer: "Flows Test" });
    assert.equal(otpauthUri, `otpauth://totp/Flows%20Test:mfapref?secret=${secret}&issuer=Flows%20Test`);
    assert.equal(secretOfUri(otpauthUri), secret);
    await rejectsWith(ctx, auth.verifyTotp({ code: wrongTotp(secret) }), "EnableSoftwareTokenMFAException");
    await auth.verifyTotp({ code: ctx.totp(secret), deviceName: "test phone" });
    assert.equal(sent.at(-1).body.FriendlyDeviceName, "test phone");
    await auth.setMfaPreference({ totp: { enabled: true, preferred: true } });
    const u = await auth.getUser();
    assert.deepEqual(u.mfaSettings, ["SOFTWARE_TOKEN_MFA"]);
    assert.equal(u.preferredMfa, "SOFTWARE_TOKEN_MFA");
    assert.deepEqual(sent.at(-2).body.SoftwareTokenMfaSettings, { Enabled: true, PreferredMfa: true });
    assert.equal(sent.at(-2).body.SMSMfaSettings, undefined, "absent factors are left alone");

    const mfa = client(ctx);
    const step = await mfa.auth.signIn({ username: "mfapref", password: passwordOf("mfapref") });
    assert.equal(step.next, "SOFTWARE_TOKEN_MFA");
    assertDone(ctx, await mfa.auth.confirmSignIn({ code: ctx.totp(secret) }), "mfapref");

    await mfa.auth.setMfaPreference({ totp: { enabled: false } });
    assert.deepEqual((await mfa.auth.getUser()).mfaSettings, []);
    assertDone(ctx, await client(ctx).auth.signIn({ username: "mfapref", password: passwordOf("mfapref") }), "mfapref");
    await rejectsWith(ctx, mfa.auth.setMfaPreference({ sms: "on" }), "InvalidArgument");
  },

  async "deleteUser: the session cleared, signedOut emitted"(ctx) {
    const { assert } = ctx;
    const { auth, storage, events } = client(ctx, { storage: mapStorage() });
    assertDone(ctx, await auth.signIn({ username: "gone", password: passwordOf("gone") }), "gone");
    assert.ok(storage.map.has(sessionKey(ctx.cfg.clientId)));
    await auth.deleteUser();
    assert.deepEqual(events, ["signedIn", "signedOut"]);
    assert.ok(!storage.map.has(sessionKey(ctx.cfg.clientId)));
    await rejectsWith(ctx, auth.getTokens(), "NotSignedIn");
    await rejectsWith(ctx, auth.deleteUser(), "NotSignedIn");
    const e = await assert.rejection(auth.signIn({ username: "gone", password: passwordOf("gone") }));
    assert.ok(["UserNotFoundException", "NotAuthorizedException"].includes(e.code), e.code);
  },

  async "signOut: local revokes the refresh token, global ends the access token too"(ctx) {
    const { assert, cfg } = ctx;
    const refreshWith = (token) =>
      ctx.emulator("GetTokensFromRefreshToken", { ClientId: cfg.clientId, RefreshToken: token });
    const local = client(ctx);
    const step = await local.auth.signIn({ username: "refresher", password: passwordOf("refresher") });
    assertDone(ctx, step, "refresher");
    await local.auth.signOut();
    assert.deepEqual(local.ops().slice(2), ["RevokeToken"]);
    assert.deepEqual(local.events, ["signedIn", "signedOut"]);
    await rejectsWith(ctx, local.auth.getTokens(), "NotSignedIn");
    const revoked = await assert.rejection(refreshWith(step.tokens.refreshToken));
    assert.equal(revoked.name, "NotAuthorizedException", revoked.message);

    const global = client(ctx);
    const g = await global.auth.signIn({ username: "refresher", password: passwordOf("refresher") });
    const other = client(ctx);
    const o = await other.auth.signIn({ username: "refresher", password: passwordOf("refresher") });
    await global.auth.signOut({ global: true });
    assert.deepEqual(global.ops().slice(2), ["GlobalSignOut"]);
    for (const token of [g.tokens.accessToken, o.tokens.accessToken]) {
      const e = await assert.rejection(ctx.emulator("GetUser", { AccessToken: token }));
      assert.equal(e.name, "NotAuthorizedException", e.message);
    }
    // The other session is over too: its refresh is refused, the session cleared.
    await rejectsWith(ctx, other.auth.getTokens({ forceRefresh: true }), "SessionExpired");
    assert.ok(other.events.includes("sessionExpired"), other.events.join());
    await rejectsWith(ctx, other.auth.getTokens(), "NotSignedIn");
  },

  async "refresh: forced, before an expiring token's account call, tokenRefresh event"(ctx) {
    const { assert } = ctx;
    const { auth, ops, events } = client(ctx, { refreshMargin: 86_400 });
    const step = await auth.signIn({ username: "refresher", password: passwordOf("refresher") });
    assertDone(ctx, step, "refresher");
    await auth.getUser();
    assert.deepEqual(ops().slice(2), ["GetTokensFromRefreshToken", "GetUser"]);
    const fresh = client(ctx);
    await fresh.auth.signIn({ username: "refresher", password: passwordOf("refresher") });
    const before = await fresh.auth.getTokens();
    const [a, b] = await Promise.all([fresh.auth.getTokens({ forceRefresh: true }), fresh.auth.getTokens({ forceRefresh: true })]);
    assert.equal(a.accessToken, b.accessToken, "concurrent refreshes share one request");
    assert.notEqual(a.accessToken, before.accessToken);
    assert.equal(claims(a.accessToken).username, "refresher");
    assert.deepEqual(fresh.ops().slice(2), ["GetTokensFromRefreshToken"]);
    assert.deepEqual(fresh.events, ["signedIn", "tokenRefresh"]);
    assert.ok(events.includes("tokenRefresh"), events.join());
  },
};
