// CognitoAuth (the built package, in Node) against moto_server: moto is an
// independent implementation of the Cognito user-pool JSON API, so these
// tests prove the wire format, the error shapes and the challenge flows
// against code we did not write. moto does not check SRP signatures (it
// proves the SRP messages and flow, not the math; the emulator and the
// amazon-cognito-identity-js vectors prove the math).
//
// Each flow either works against moto, or moto lacks it: then the test first
// shows what moto answers and that the SDK turns it into a typed error, and
// is marked skipped with the reason. Operations CognitoAuth does not offer
// yet are marked todo.
//
// moto 5.2.5, flow by flow:
//   works: USER_SRP_AUTH (public and confidential client; moto checks
//     SECRET_HASH, not the SRP claim), USER_PASSWORD_AUTH,
//     NEW_PASSWORD_REQUIRED (also answered again after a refused password),
//     MFA_SETUP with TOTP (AssociateSoftwareToken, VerifySoftwareToken with a
//     real code), SOFTWARE_TOKEN_MFA, SMS_MFA, REFRESH_TOKEN_AUTH,
//     GlobalSignOut, SignUp, ConfirmSignUp, ForgotPassword,
//     ConfirmForgotPassword, GetUser, UpdateUserAttributes, ChangePassword,
//     SetUserMFAPreference, and the error names of each.
//   moto lacks: GetTokensFromRefreshToken, RevokeToken, ResendConfirmationCode,
//     VerifyUserAttribute, GetUserAttributeVerificationCode,
//     DeleteUserAttributes, DeleteUser, ConfirmDevice and devices (all an
//     HTML 500), CUSTOM_AUTH challenges (answers {}), USER_AUTH (refused),
//     SELECT_MFA_TYPE (never sent); MFAS_CAN_SETUP comes as a Python list
//     repr, not JSON text.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import * as OTPAuth from "otpauth";
import { CognitoAuth } from "cognito-wasm";
import { startMoto, PASSWORD } from "../helpers/moto.mjs";

const TARGET = "AWSCognitoIdentityProviderService.";
let moto;
let pool; // the main pool: public + confidential clients, alice, fresh
let mfaPool; // MFA required, TOTP on

before(async () => {
  moto = await startMoto({ env: { MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP: "true" } });
  pool = await moto.seed({ users: ["bob", "carl", "dora", "erin", "gail", "hugo", "ivan"] });
  mfaPool = await moto.seed({ poolName: "mfa", users: ["tina", "sam"] });
  await moto.admin("SetUserPoolMfaConfig", {
    UserPoolId: mfaPool.poolId,
    SoftwareTokenMfaConfiguration: { Enabled: true },
    MfaConfiguration: "ON",
  });
});

after(async () => {
  await moto?.stop();
});

/** A CognitoAuth on moto whose requests are recorded: `{ auth, sent, events }`. */
function client(p = pool, extra = {}) {
  const sent = [];
  const events = [];
  const recorder = async (url, init) => {
    const headers = new Headers(init.headers);
    const body = JSON.parse(init.body);
    const op = headers.get("x-amz-target")?.slice(TARGET.length);
    const entry = { url, op, headers, body };
    sent.push(entry);
    const res = await fetch(url, init);
    entry.status = res.status;
    return res;
  };
  const auth = new CognitoAuth({
    userPoolId: p.poolId,
    clientId: p.clientId,
    endpoint: moto.url,
    storage: "memory",
    fetch: recorder,
    ...extra,
  });
  for (const type of ["signedIn", "signedOut", "tokenRefresh", "tokenRefreshFailure", "sessionExpired"]) {
    auth.on(type, (e) => events.push(e.type));
  }
  return { auth, sent, events, ops: () => sent.map((s) => s.op) };
}

const claims = (jwt) => JSON.parse(Buffer.from(jwt.split(".")[1], "base64url"));

/** Rejects with the error: asserts the promise rejects and returns the error. */
async function failure(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  assert.fail("expected a rejection");
}

/** A Cognito service error as CognitoAuth reports it: the name verbatim, status, request id. */
function assertServiceError(e, code, status, message) {
  assert.equal(e.name, "CognitoError", String(e));
  assert.equal(e.code, code, `code of: ${e.message}`);
  assert.equal(e.status, status, `status of: ${e.message}`);
  assert.match(e.requestId ?? "", /^[A-Za-z0-9]{20,}$/, `requestId of: ${e.message}`);
  if (message) assert.ok(e.message.includes(message), `${e.message} should include ${message}`);
}

/** moto's answer to an operation it does not implement: an HTML 500. */
async function assertMotoLacks(op, body) {
  const r = await moto.call(op, body);
  assert.equal(r.status, 500, `${op}: ${r.status} ${r.body.slice(0, 200)}`);
  assert.match(r.headers["content-type"], /^text\/html/);
}

/** CognitoAuth method `name`, or mark the test todo when the class has none yet. */
function method(t, auth, name) {
  if (typeof auth[name] === "function") return (arg) => auth[name](arg);
  t.todo(`CognitoAuth.${name} does not exist yet`);
  return null;
}

// ---------------------------------------------------------------- sign-in

test("moto: USER_SRP_AUTH (the default): InitiateAuth, PASSWORD_VERIFIER answered, tokens from moto", async () => {
  const { auth, sent, events } = client();
  const step = await auth.signIn({ username: "alice", password: PASSWORD });
  assert.equal(step.done, true);
  assert.deepEqual(
    sent.map((s) => [s.op, s.status]),
    [
      ["InitiateAuth", 200],
      ["RespondToAuthChallenge", 200],
    ],
  );
  const [init, respond] = sent;
  // The wire format moto parsed.
  assert.equal(init.url, moto.url + "/");
  assert.equal(init.headers.get("content-type"), "application/x-amz-json-1.1");
  assert.equal(init.headers.get("cache-control"), "no-store");
  assert.equal(init.body.AuthFlow, "USER_SRP_AUTH");
  assert.equal(init.body.ClientId, pool.clientId);
  assert.equal(init.body.AuthParameters.USERNAME, "alice");
  assert.match(init.body.AuthParameters.SRP_A, /^[0-9a-f]{600,768}$/);
  assert.equal(respond.body.ChallengeName, "PASSWORD_VERIFIER");
  const r = respond.body.ChallengeResponses;
  assert.equal(r.USERNAME, "alice");
  // moto's SECRET_BLOCK is a UUID (also its session key): echoed verbatim.
  assert.match(r.PASSWORD_CLAIM_SECRET_BLOCK, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.match(r.PASSWORD_CLAIM_SIGNATURE, /^[A-Za-z0-9+/]{43}=$/);
  assert.match(r.TIMESTAMP, /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2} \d\d:\d\d:\d\d UTC \d{4}$/);
  // Tokens as moto issued them: its issuer is the AWS URL.
  const id = claims(step.tokens.idToken);
  assert.equal(id.iss, `https://cognito-idp.us-east-1.amazonaws.com/${pool.poolId}`);
  assert.equal(id["cognito:username"], "alice");
  assert.equal(id.aud, pool.clientId);
  assert.equal(claims(step.tokens.accessToken).token_use, "access");
  assert.equal(step.tokens.username, "alice");
  assert.ok(step.tokens.refreshToken);
  assert.ok(Math.abs(step.tokens.expiresAt - (Date.now() + 3600_000)) < 120_000, "expiresAt about an hour ahead");
  assert.deepEqual(events, ["signedIn"]);
  assert.equal((await auth.getTokens()).accessToken, step.tokens.accessToken);
});

test("moto: USER_SRP_AUTH with a confidential client: moto checks SECRET_HASH", async () => {
  const { auth, sent } = client(pool, { clientId: pool.confidentialClientId, clientSecret: pool.clientSecret });
  const step = await auth.signIn({ username: "alice", password: PASSWORD });
  assert.equal(step.done, true);
  assert.match(sent[0].body.AuthParameters.SECRET_HASH, /^[A-Za-z0-9+/]{43}=$/);
  // A wrong secret gives a wrong SECRET_HASH, which moto refuses.
  const wrong = client(pool, { clientId: pool.confidentialClientId, clientSecret: "not-the-secret" });
  const e = await failure(wrong.auth.signIn({ username: "alice", password: PASSWORD }));
  assertServiceError(e, "NotAuthorizedException", 400);
});

test("moto: USER_PASSWORD_AUTH", async () => {
  const { auth, sent } = client();
  const step = await auth.signIn({ username: "bob", password: PASSWORD, authFlow: "USER_PASSWORD_AUTH" });
  assert.equal(step.done, true);
  assert.deepEqual(sent.map((s) => s.op), ["InitiateAuth"]);
  assert.equal(sent[0].body.AuthFlow, "USER_PASSWORD_AUTH");
  assert.equal(sent[0].body.AuthParameters.PASSWORD, PASSWORD);
  assert.equal(claims(step.tokens.idToken)["cognito:username"], "bob");
});

test("moto: NEW_PASSWORD_REQUIRED after SRP, then the new password works and the old one does not", async () => {
  const { auth, sent } = client();
  const step = await auth.signIn({ username: pool.freshUsername, password: pool.tempPassword });
  assert.equal(step.done, false);
  assert.equal(step.next, "NEW_PASSWORD_REQUIRED");
  assert.deepEqual(step.requiredAttributes, []);
  const done = await auth.confirmSignIn({ newPassword: "N3w!password" });
  assert.equal(done.done, true);
  const last = sent.at(-1);
  assert.equal(last.body.ChallengeName, "NEW_PASSWORD_REQUIRED");
  assert.equal(last.body.ChallengeResponses.NEW_PASSWORD, "N3w!password");
  assert.equal(last.body.ChallengeResponses.USERNAME, pool.freshUsername);
  assert.ok(last.body.Session, "the challenge's Session is sent back");
  // moto checks passwords on USER_PASSWORD_AUTH only.
  const again = client().auth;
  const ok = await again.signIn({ username: pool.freshUsername, password: "N3w!password", authFlow: "USER_PASSWORD_AUTH" });
  assert.equal(ok.done, true);
  const e = await failure(
    again.signIn({ username: pool.freshUsername, password: pool.tempPassword, authFlow: "USER_PASSWORD_AUTH" }),
  );
  assertServiceError(e, "NotAuthorizedException", 400, "Incorrect username or password.");
});

test("moto: NEW_PASSWORD_REQUIRED with a password moto's policy refuses: InvalidPasswordException, the step can be answered again", async () => {
  await moto.admin("AdminCreateUser", {
    UserPoolId: pool.poolId,
    Username: "newbie",
    TemporaryPassword: "Temp0rary!pw",
    MessageAction: "SUPPRESS",
  });
  const { auth } = client();
  const step = await auth.signIn({ username: "newbie", password: "Temp0rary!pw", authFlow: "USER_PASSWORD_AUTH" });
  assert.equal(step.next, "NEW_PASSWORD_REQUIRED");
  const e = await failure(auth.confirmSignIn({ newPassword: "short" }));
  assertServiceError(e, "InvalidPasswordException", 400);
  // moto keeps the session; so does the SDK (as amazon-cognito-identity-js lets the user retry).
  const retry = await auth.confirmSignIn({ newPassword: "L0nger!password" });
  assert.equal(retry.done, true);
  assert.equal(claims(retry.tokens.idToken)["cognito:username"], "newbie");
});

test("moto: wrong password (USER_PASSWORD_AUTH) is NotAuthorizedException with moto's status, message and request id", async () => {
  const { auth, events } = client();
  const e = await failure(auth.signIn({ username: "alice", password: "Wrong!pass1", authFlow: "USER_PASSWORD_AUTH" }));
  assertServiceError(e, "NotAuthorizedException", 400, "Incorrect username or password.");
  assert.equal(e.transient, false);
  assert.deepEqual(events, []);
  assert.equal((await failure(auth.getTokens())).code, "NotSignedIn");
});

test("moto: unknown user is UserNotFoundException (moto's answer, in both flows)", async () => {
  const { auth } = client();
  for (const authFlow of ["USER_SRP_AUTH", "USER_PASSWORD_AUTH"]) {
    const e = await failure(auth.signIn({ username: "nobody", password: PASSWORD, authFlow }));
    assertServiceError(e, "UserNotFoundException", 400, "User does not exist.");
  }
});

test("moto: an unknown app client is ResourceNotFoundException", async () => {
  const { auth } = client(pool, { clientId: "no-such-client" });
  const e = await failure(auth.signIn({ username: "alice", password: PASSWORD }));
  assertServiceError(e, "ResourceNotFoundException", 400);
});

test("moto: an unconfirmed user is UserNotConfirmedException", async () => {
  const r = await moto.call("SignUp", { ClientId: pool.clientId, Username: "unconfirmed", Password: PASSWORD });
  assert.equal(r.status, 200, r.body);
  const { auth } = client();
  const e = await failure(auth.signIn({ username: "unconfirmed", password: PASSWORD, authFlow: "USER_PASSWORD_AUTH" }));
  assertServiceError(e, "UserNotConfirmedException", 400);
});

test("moto: CUSTOM_AUTH: moto answers 200 {} (no Lambda triggers), which the SDK reports as CognitoNoResult", async (t) => {
  const { auth, sent } = client();
  const e = await failure(auth.signIn({ username: "alice", authFlow: "CUSTOM_AUTH" }));
  assert.equal(e.code, "CognitoNoResult", String(e));
  assert.equal(sent[0].body.AuthFlow, "CUSTOM_AUTH");
  assert.equal(sent[0].status, 200);
  t.skip("moto 5.2.5 lacks CUSTOM_AUTH challenges: InitiateAuth answers {}");
});

test("moto: USER_AUTH (choice-based): moto refuses the flow name", async (t) => {
  const { auth } = client();
  const e = await failure(auth.signIn({ username: "alice", authFlow: "USER_AUTH" }));
  assertServiceError(e, "InvalidParameterException", 400, "USER_AUTH");
  t.skip("moto 5.2.5 lacks USER_AUTH: InvalidParameterException");
});

test("moto: MFA_SETUP (TOTP) after SRP, then SOFTWARE_TOKEN_MFA with a real code; a wrong code can be typed again", async () => {
  const { auth, sent } = client(mfaPool);
  let step = await auth.signIn({ username: "tina", password: PASSWORD });
  assert.equal(step.next, "MFA_SETUP");
  // moto sends MFAS_CAN_SETUP as a Python list repr, not a JSON text as
  // Cognito does, so the SDK cannot list the factors; the raw value is kept.
  assert.equal(step.parameters.MFAS_CAN_SETUP, "['SOFTWARE_TOKEN_MFA']");
  step = await auth.confirmSignIn({ mfaType: "SOFTWARE_TOKEN_MFA" });
  assert.equal(step.next, "MFA_SETUP");
  assert.equal(sent.at(-1).op, "AssociateSoftwareToken");
  assert.ok(step.totpSecret);
  assert.equal(step.otpauthUri, `otpauth://totp/AWSCognito:tina?secret=${step.totpSecret}&issuer=AWSCognito`);
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(step.totpSecret) });
  const bad = String((Number(totp.generate()) + 1) % 1_000_000).padStart(6, "0");
  const e = await failure(auth.confirmSignIn({ code: bad }));
  assertServiceError(e, "CodeMismatchException", 400);
  step = await auth.confirmSignIn({ code: totp.generate() });
  assert.equal(step.done, true);
  assert.deepEqual(
    sent.slice(-2).map((s) => [s.op, s.body.ChallengeName]),
    [
      ["VerifySoftwareToken", undefined],
      ["RespondToAuthChallenge", "MFA_SETUP"],
    ],
  );
  // Next sign-in asks for a TOTP code; a wrong one may be typed again.
  step = await auth.signIn({ username: "tina", password: PASSWORD });
  assert.equal(step.next, "SOFTWARE_TOKEN_MFA");
  const e2 = await failure(auth.confirmSignIn({ code: bad }));
  assertServiceError(e2, "CodeMismatchException", 400, "MFA Code Mismatch");
  step = await auth.confirmSignIn({ code: totp.generate() });
  assert.equal(step.done, true);
  assert.equal(sent.at(-1).body.ChallengeResponses.SOFTWARE_TOKEN_MFA_CODE, totp.generate());
});

test("moto: SMS_MFA (moto accepts any code)", async () => {
  await moto.admin("AdminSetUserMFAPreference", {
    UserPoolId: pool.poolId,
    Username: "carl",
    SMSMfaSettings: { Enabled: true, PreferredMfa: true },
  });
  const { auth, sent } = client();
  let step = await auth.signIn({ username: "carl", password: PASSWORD, authFlow: "USER_PASSWORD_AUTH" });
  assert.equal(step.next, "SMS_MFA");
  step = await auth.confirmSignIn({ code: "123456" });
  assert.equal(step.done, true);
  assert.equal(sent.at(-1).body.ChallengeResponses.SMS_MFA_CODE, "123456");
});

test("moto: SELECT_MFA_TYPE", (t) => {
  t.skip("moto 5.2.5 never sends SELECT_MFA_TYPE");
});

test("moto: remembered devices (ConfirmDevice, DEVICE_SRP_AUTH)", async (t) => {
  await assertMotoLacks("ConfirmDevice", { AccessToken: "x", DeviceKey: "k" });
  t.skip("moto 5.2.5 lacks devices: no NewDeviceMetadata, ConfirmDevice is an HTML 500");
});

// ---------------------------------------------------------------- refresh and sign-out

test("moto: refresh: GetTokensFromRefreshToken (moto lacks it: HTML 500) falls back to REFRESH_TOKEN_AUTH", async () => {
  const { auth, sent, events } = client();
  const first = await auth.signIn({ username: "dora", password: PASSWORD, authFlow: "USER_PASSWORD_AUTH" });
  sent.length = 0;
  const t1 = await auth.getTokens({ forceRefresh: true });
  assert.deepEqual(
    sent.map((s) => [s.op, s.status]),
    [
      ["GetTokensFromRefreshToken", 500],
      ["InitiateAuth", 200],
    ],
  );
  assert.equal(sent[0].body.RefreshToken, first.tokens.refreshToken);
  assert.equal(sent[1].body.AuthFlow, "REFRESH_TOKEN_AUTH");
  assert.equal(sent[1].body.AuthParameters.REFRESH_TOKEN, first.tokens.refreshToken);
  assert.notEqual(claims(t1.accessToken).jti, claims(first.tokens.accessToken).jti);
  // moto does not rotate: the refresh token is kept.
  assert.equal(t1.refreshToken, first.tokens.refreshToken);
  assert.deepEqual(events, ["signedIn", "tokenRefresh"]);
  // From now on straight to REFRESH_TOKEN_AUTH, and concurrent callers share one refresh.
  sent.length = 0;
  const all = await Promise.all(Array.from({ length: 20 }, () => auth.getTokens({ forceRefresh: true })));
  assert.deepEqual(sent.map((s) => s.op), ["InitiateAuth"]);
  assert.equal(new Set(all.map((x) => x.accessToken)).size, 1);
  assert.equal(claims(all[0].accessToken)["username"], "dora");
});

test("moto: refresh with a confidential client: REFRESH_TOKEN_AUTH carries the SECRET_HASH moto checks", async () => {
  const { auth, sent } = client(pool, { clientId: pool.confidentialClientId, clientSecret: pool.clientSecret });
  await auth.signIn({ username: "erin", password: PASSWORD, authFlow: "USER_PASSWORD_AUTH" });
  sent.length = 0;
  const t1 = await auth.getTokens({ forceRefresh: true });
  const init = sent.find((s) => s.op === "InitiateAuth");
  assert.equal(init.status, 200);
  assert.match(init.body.AuthParameters.SECRET_HASH, /^[A-Za-z0-9+/]{43}=$/);
  assert.equal(claims(t1.idToken)["cognito:username"], "erin");
});

test("moto: a revoked refresh token ends the session (sessionExpired), a transient failure does not", async () => {
  const { auth, events } = client();
  await auth.signIn({ username: "gail", password: PASSWORD, authFlow: "USER_PASSWORD_AUTH" });
  // A refresh that works (whichever refresh operation this endpoint takes).
  const s = { tokens: await auth.getTokens({ forceRefresh: true }) };
  // Elsewhere, the user signs out everywhere: moto revokes the refresh token.
  const g = await moto.call("GlobalSignOut", { AccessToken: s.tokens.accessToken });
  assert.equal(g.status, 200, g.body);
  const e = await failure(auth.getTokens({ forceRefresh: true }));
  assert.equal(e.code, "SessionExpired", String(e));
  assert.deepEqual(events, ["signedIn", "tokenRefresh", "sessionExpired"]);
  assert.equal((await failure(auth.getTokens())).code, "NotSignedIn");
});

test("moto: signOut revokes the refresh token (moto lacks RevokeToken: best effort, local sign-out still done)", async (t) => {
  const { auth, sent, events } = client();
  const s = await auth.signIn({ username: "hugo", password: PASSWORD, authFlow: "USER_PASSWORD_AUTH" });
  await auth.signOut();
  assert.deepEqual(sent.at(-1).op, "RevokeToken");
  assert.equal(sent.at(-1).body.Token, s.tokens.refreshToken);
  assert.equal(sent.at(-1).body.ClientId, pool.clientId);
  assert.deepEqual(events, ["signedIn", "signedOut"]);
  assert.equal((await failure(auth.getTokens())).code, "NotSignedIn");
  await assertMotoLacks("RevokeToken", { ClientId: pool.clientId, Token: s.tokens.refreshToken });
  t.skip("moto 5.2.5 lacks RevokeToken (HTML 500): the revocation itself is not proven here");
});

test("moto: global signOut: GlobalSignOut, then moto refuses the old refresh and access tokens", async () => {
  const { auth, sent, events } = client();
  const s = await auth.signIn({ username: "ivan", password: PASSWORD });
  await auth.signOut({ global: true });
  assert.deepEqual(sent.at(-1).op, "GlobalSignOut");
  assert.equal(sent.at(-1).status, 200);
  assert.equal(sent.at(-1).body.AccessToken, s.tokens.accessToken);
  assert.deepEqual(events, ["signedIn", "signedOut"]);
  const r = await moto.call("InitiateAuth", {
    ClientId: pool.clientId,
    AuthFlow: "REFRESH_TOKEN_AUTH",
    AuthParameters: { REFRESH_TOKEN: s.tokens.refreshToken },
  });
  assert.equal(r.status, 400);
  assert.equal(r.json.__type, "NotAuthorizedException");
  const u = await moto.call("GetUser", { AccessToken: s.tokens.accessToken });
  assert.equal(u.json.__type, "NotAuthorizedException");
});

// ---------------------------------------------------------------- account operations

test("moto: signUp, confirmSignUp (moto accepts any code), then sign-in", async (t) => {
  const { auth } = client();
  const signUp = method(t, auth, "signUp");
  if (!signUp) return;
  const r = await signUp({ username: "newuser", password: PASSWORD, attributes: { email: "new@example.com" } });
  assert.equal(r.userConfirmed, false);
  assert.match(r.userSub, /^[0-9a-f-]{36}$/);
  assert.equal(r.codeDelivery?.deliveryMedium !== undefined, true);
  const e = await failure(signUp({ username: "newuser", password: PASSWORD }));
  assertServiceError(e, "UsernameExistsException", 400);
  const weak = await failure(signUp({ username: "weakling", password: "weak" }));
  assertServiceError(weak, "InvalidPasswordException", 400);
  const confirm = method(t, auth, "confirmSignUp");
  if (!confirm) return;
  await confirm({ username: "newuser", code: "000000" });
  const step = await auth.signIn({ username: "newuser", password: PASSWORD, authFlow: "USER_PASSWORD_AUTH" });
  assert.equal(step.done, true);
  const u = await moto.admin("AdminGetUser", { UserPoolId: pool.poolId, Username: "newuser" });
  assert.equal(u.UserStatus, "CONFIRMED");
  assert.deepEqual(u.UserAttributes.find((a) => a.Name === "email"), { Name: "email", Value: "new@example.com" });
});

test("moto: resendSignUpCode", async (t) => {
  const { auth } = client();
  const resend = method(t, auth, "resendSignUpCode");
  if (!resend) return;
  await assertMotoLacks("ResendConfirmationCode", { ClientId: pool.clientId, Username: "unconfirmed" });
  const e = await failure(resend({ username: "unconfirmed" }));
  assert.equal(e.code, "CognitoInvalidResponse", String(e));
  assert.equal(e.transient, true);
  t.skip("moto 5.2.5 lacks ResendConfirmationCode (HTML 500; the SDK reports CognitoInvalidResponse)");
});

test("moto: forgotPassword, confirmForgotPassword, then the new password signs in", async (t) => {
  await moto.admin("AdminCreateUser", {
    UserPoolId: pool.poolId,
    Username: "forgetful",
    TemporaryPassword: "Temp0rary!pw",
    MessageAction: "SUPPRESS",
  });
  await moto.admin("AdminSetUserPassword", {
    UserPoolId: pool.poolId,
    Username: "forgetful",
    Password: PASSWORD,
    Permanent: true,
  });
  const { auth, sent } = client();
  const forgot = method(t, auth, "forgotPassword");
  if (!forgot) return;
  const r = await forgot({ username: "forgetful" });
  assert.ok(r.codeDelivery?.deliveryMedium, JSON.stringify(r));
  assert.equal(sent.at(-1).op, "ForgotPassword");
  const confirm = method(t, auth, "confirmForgotPassword");
  if (!confirm) return;
  await confirm({ username: "forgetful", code: "123456", newPassword: "Rec0vered!pw" });
  assert.deepEqual(sent.at(-1).body.ConfirmationCode, "123456");
  const step = await auth.signIn({ username: "forgetful", password: "Rec0vered!pw", authFlow: "USER_PASSWORD_AUTH" });
  assert.equal(step.done, true);
});

test("moto: getUser, fetchUserAttributes, updateUserAttributes, changePassword on a signed-in user", async (t) => {
  await moto.admin("AdminCreateUser", {
    UserPoolId: pool.poolId,
    Username: "account",
    TemporaryPassword: "Temp0rary!pw",
    MessageAction: "SUPPRESS",
    UserAttributes: [{ Name: "email", Value: "account@example.com" }],
  });
  await moto.admin("AdminSetUserPassword", {
    UserPoolId: pool.poolId,
    Username: "account",
    Password: PASSWORD,
    Permanent: true,
  });
  const { auth, sent } = client();
  await auth.signIn({ username: "account", password: PASSWORD });
  const tokens = await auth.getTokens();
  const getUser = method(t, auth, "getUser");
  if (!getUser) return;
  const u = await getUser();
  assert.equal(u.username, "account");
  assert.equal(u.attributes.email, "account@example.com");
  assert.match(u.attributes.sub, /^[0-9a-f-]{36}$/);
  assert.equal(sent.at(-1).body.AccessToken, tokens.accessToken);
  const fetchAttrs = method(t, auth, "fetchUserAttributes");
  if (!fetchAttrs) return;
  assert.equal((await fetchAttrs()).email, "account@example.com");
  const update = method(t, auth, "updateUserAttributes");
  if (!update) return;
  const up = await update({ attributes: { name: "Account Holder" } });
  assert.deepEqual(up.codeDeliveryList, []);
  assert.equal((await fetchAttrs()).name, "Account Holder");
  const change = method(t, auth, "changePassword");
  if (!change) return;
  const wrong = await failure(change({ oldPassword: "Not!theold1", newPassword: "Chang3d!pw" }));
  assertServiceError(wrong, "NotAuthorizedException", 400);
  await change({ oldPassword: PASSWORD, newPassword: "Chang3d!pw" });
  const step = await client().auth.signIn({ username: "account", password: "Chang3d!pw", authFlow: "USER_PASSWORD_AUTH" });
  assert.equal(step.done, true);
});

test("moto: setMfaPreference, setUpTotp and verifyTotp on a signed-in user, then SOFTWARE_TOKEN_MFA", async (t) => {
  const { auth } = client(mfaPool);
  // sam first sets TOTP up through MFA_SETUP (required by this pool).
  let step = await auth.signIn({ username: "sam", password: PASSWORD, authFlow: "USER_PASSWORD_AUTH" });
  assert.equal(step.done, true, "moto requires MFA on SRP sign-in only");
  const setUp = method(t, auth, "setUpTotp");
  if (!setUp) return;
  const s = await setUp();
  assert.ok(s.secret);
  assert.match(s.otpauthUri, /^otpauth:\/\/totp\//);
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(s.secret) });
  const verify = method(t, auth, "verifyTotp");
  if (!verify) return;
  await verify({ code: totp.generate() });
  const pref = method(t, auth, "setMfaPreference");
  if (!pref) return;
  await pref({ totp: { enabled: true, preferred: true } });
  const u = await moto.admin("AdminGetUser", { UserPoolId: mfaPool.poolId, Username: "sam" });
  assert.equal(u.PreferredMfaSetting, "SOFTWARE_TOKEN_MFA");
  step = await client(mfaPool).auth.signIn({ username: "sam", password: PASSWORD, authFlow: "USER_PASSWORD_AUTH" });
  assert.equal(step.next, "SOFTWARE_TOKEN_MFA");
});

test("moto: verifyUserAttribute, sendUserAttributeVerificationCode, deleteUserAttributes, deleteUser", async (t) => {
  const { auth } = client();
  await auth.signIn({ username: "alice", password: PASSWORD, authFlow: "USER_PASSWORD_AUTH" });
  const { accessToken } = await auth.getTokens();
  await assertMotoLacks("VerifyUserAttribute", { AccessToken: accessToken, AttributeName: "email", Code: "1" });
  await assertMotoLacks("GetUserAttributeVerificationCode", { AccessToken: accessToken, AttributeName: "email" });
  await assertMotoLacks("DeleteUserAttributes", { AccessToken: accessToken, UserAttributeNames: ["name"] });
  await assertMotoLacks("DeleteUser", { AccessToken: accessToken });
  const del = method(t, auth, "deleteUser");
  if (!del) return;
  // The SDK reports moto's page as a typed, transient error and keeps the session.
  const e = await failure(del());
  assert.equal(e.code, "CognitoInvalidResponse", String(e));
  assert.equal(e.transient, true);
  assert.equal((await auth.getTokens()).accessToken, accessToken);
  t.skip("moto 5.2.5 lacks VerifyUserAttribute, GetUserAttributeVerificationCode, DeleteUserAttributes and DeleteUser (HTML 500)");
});
