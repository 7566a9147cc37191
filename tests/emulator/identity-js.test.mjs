// amazon-cognito-identity-js (the official SRP client, not written here)
// against the emulator: SRP sign-in, wrong password, NEW_PASSWORD_REQUIRED,
// TOTP MFA set-up and sign-in, refresh, global sign-out.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import identity from "amazon-cognito-identity-js";
import * as OTPAuth from "otpauth";
import { startEmulator } from "../helpers/emulator.mjs";

const { CognitoUserPool, CognitoUser, AuthenticationDetails, CognitoRefreshToken } = identity;

let emu;
let pool;
before(async () => {
  emu = await startEmulator();
  pool = new CognitoUserPool({ UserPoolId: emu.poolId, ClientId: emu.clientId, endpoint: emu.url });
});
after(async () => emu?.stop());

const user = (name) => new CognitoUser({ Username: name, Pool: pool });

// authenticateUser as a promise; challenge callbacks are answered by `on`.
function signIn(u, password, on = {}) {
  return new Promise((resolve, reject) => {
    const cb = {
      onSuccess: (session) => resolve({ session }),
      onFailure: reject,
      newPasswordRequired: (attrs, required) =>
        on.newPasswordRequired ? on.newPasswordRequired(cb, attrs, required) : resolve({ challenge: "NEW_PASSWORD_REQUIRED" }),
      totpRequired: () => (on.totpRequired ? on.totpRequired(cb) : resolve({ challenge: "SOFTWARE_TOKEN_MFA" })),
      mfaSetup: () => (on.mfaSetup ? on.mfaSetup(cb) : resolve({ challenge: "MFA_SETUP" })),
      mfaRequired: () => resolve({ challenge: "SMS_MFA" }),
    };
    u.authenticateUser(new AuthenticationDetails({ Username: u.getUsername(), Password: password }), cb);
  });
}

const payload = (jwt) => JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString());

test("SRP sign-in with the right password yields Cognito-shaped tokens", async () => {
  const { session } = await signIn(user(emu.username), emu.password);
  assert.ok(session.isValid());
  const id = payload(session.getIdToken().getJwtToken());
  const access = payload(session.getAccessToken().getJwtToken());
  assert.equal(id["cognito:username"], "demo");
  assert.equal(id.token_use, "id");
  assert.equal(id.aud, emu.clientId);
  assert.equal(id.iss, emu.issuer);
  assert.equal(access.token_use, "access");
  assert.equal(access.client_id, emu.clientId);
  assert.equal(access.username, "demo");
  assert.equal(access.sub, id.sub);
  assert.equal(access.origin_jti, id.origin_jti);
  assert.deepEqual(access["cognito:groups"], ["demo-users"]);
  assert.ok(session.getRefreshToken().getToken().length > 20);
});

test("a wrong password is rejected with NotAuthorizedException", async () => {
  await assert.rejects(signIn(user(emu.username), "Wrong-Passw0rd!"), (e) => {
    assert.equal(e.code, "NotAuthorizedException");
    assert.equal(e.message, "Incorrect username or password.");
    return true;
  });
  await assert.rejects(signIn(user("nobody-here"), "Wrong-Passw0rd!"), { code: "NotAuthorizedException" });
});

test("refreshSession mints new tokens; globalSignOut revokes the refresh token", async () => {
  const u = user(emu.username);
  const { session } = await signIn(u, emu.password);
  const refreshed = await new Promise((ok, fail) =>
    u.refreshSession(session.getRefreshToken(), (err, s) => (err ? fail(err) : ok(s))),
  );
  const a1 = payload(session.getAccessToken().getJwtToken());
  const a2 = payload(refreshed.getAccessToken().getJwtToken());
  assert.notEqual(a1.jti, a2.jti);
  assert.equal(a1.origin_jti, a2.origin_jti);
  assert.equal(a1.auth_time, a2.auth_time);
  await new Promise((ok, fail) => u.globalSignOut({ onSuccess: ok, onFailure: fail }));
  await assert.rejects(
    new Promise((ok, fail) =>
      u.refreshSession(new CognitoRefreshToken({ RefreshToken: session.getRefreshToken().getToken() }), (err, s) =>
        err ? fail(err) : ok(s),
      ),
    ),
    { code: "NotAuthorizedException" },
  );
  await assert.rejects(
    new Promise((ok, fail) => u.getUserData((err, d) => (err ? fail(err) : ok(d)), { bypassCache: true })),
    { code: "NotAuthorizedException" },
  );
});

test("NEW_PASSWORD_REQUIRED after AdminCreateUser, then a normal sign-in", async () => {
  await emu.call("AdminCreateUser", {
    UserPoolId: emu.poolId,
    Username: "newbie",
    TemporaryPassword: "Temp-Passw0rd!",
    UserAttributes: [{ Name: "email", Value: "newbie@example.com" }],
  });
  const first = await signIn(user("newbie"), "Temp-Passw0rd!");
  assert.equal(first.challenge, "NEW_PASSWORD_REQUIRED");
  const u = user("newbie");
  const { session } = await signIn(u, "Temp-Passw0rd!", {
    newPasswordRequired: (cb, attrs) => {
      assert.equal(attrs.email, "newbie@example.com");
      u.completeNewPasswordChallenge("Fresh-Passw0rd!", {}, cb);
    },
  });
  assert.ok(session.isValid());
  await assert.rejects(signIn(user("newbie"), "Temp-Passw0rd!"), { code: "NotAuthorizedException" });
  const again = await signIn(user("newbie"), "Fresh-Passw0rd!");
  assert.ok(again.session.isValid());
});

test("TOTP MFA: associate, verify, prefer, then sign in with a code", async () => {
  await emu.call("AdminCreateUser", {
    UserPoolId: emu.poolId,
    Username: "totpuser",
    TemporaryPassword: "Temp-Passw0rd!",
    MessageAction: "SUPPRESS",
  });
  await emu.call("AdminSetUserPassword", {
    UserPoolId: emu.poolId, Username: "totpuser", Password: "Totp-Passw0rd!", Permanent: true,
  });
  const u = user("totpuser");
  await signIn(u, "Totp-Passw0rd!");
  const secret = await new Promise((ok, fail) =>
    u.associateSoftwareToken({ associateSecretCode: ok, onFailure: fail }),
  );
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: "SHA1" });
  await assert.rejects(
    new Promise((ok, fail) => u.verifySoftwareToken("000000" === totp.generate() ? "111111" : "000000", "phone", { onSuccess: ok, onFailure: fail })),
    { code: "EnableSoftwareTokenMFAException" },
  );
  await new Promise((ok, fail) => u.verifySoftwareToken(totp.generate(), "phone", { onSuccess: ok, onFailure: fail }));
  await new Promise((ok, fail) =>
    u.setUserMfaPreference(null, { Enabled: true, PreferredMfa: true }, (err, r) => (err ? fail(err) : ok(r))),
  );
  const challenged = await signIn(user("totpuser"), "Totp-Passw0rd!");
  assert.equal(challenged.challenge, "SOFTWARE_TOKEN_MFA");
  const u2 = user("totpuser");
  await assert.rejects(
    signIn(u2, "Totp-Passw0rd!", {
      totpRequired: (cb) => u2.sendMFACode(totp.generate() === "123456" ? "654321" : "123456", cb, "SOFTWARE_TOKEN_MFA"),
    }),
    { code: "CodeMismatchException" },
  );
  const u3 = user("totpuser");
  const { session } = await signIn(u3, "Totp-Passw0rd!", {
    totpRequired: (cb) => u3.sendMFACode(totp.generate(), cb, "SOFTWARE_TOKEN_MFA"),
  });
  assert.ok(session.isValid());
  assert.equal(payload(session.getAccessToken().getJwtToken()).username, "totpuser");
});
