// Records moto_server's answers (status, headers, body) to every user-pool
// operation the SDK uses, into tests/cognito/moto-recorded.json, which
// tests/cognito_recorded.rs replays through the sans-IO core natively.
//
//   node tests/cognito/record-moto.mjs            # (re)write the fixture
//   node tests/cognito/record-moto.mjs --check    # record again; compare the shapes
//
// moto (PyPI, `moto_server`) is an independent implementation of the
// Cognito JSON API. Requests are written here from the Amazon Cognito API
// Reference; SRP_A is amazon-cognito-identity-js's A for a fixed secret `a`
// (moto checks neither A nor the claim's signature, so the claims sent in
// the raw exchanges are placeholders). Besides, amazon-cognito-identity-js
// signs in against the same moto with that fixed `a`: its
// PASSWORD_CLAIM_SIGNATURE over moto's challenge (a UUID SECRET_BLOCK) is a
// known answer for the SDK's own claim. TOTP codes come from otpauth.
//
// Each exchange: { operation, request (the JSON body sent), status,
// headers (content-type, date, x-amzn-errortype, x-amzn-requestid), body
// (verbatim text) }. Ids, tokens and dates change on every recording; the
// --check mode compares operations, statuses, error names and key sets.
import { createRequire } from "node:module";
import { createHmac } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as OTPAuth from "otpauth";
import { startMoto, PASSWORD } from "../helpers/moto.mjs";

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const outFile = join(here, "moto-recorded.json");
const check = process.argv.includes("--check");

const identityJs = require("amazon-cognito-identity-js");
const BigInteger = require("amazon-cognito-identity-js/lib/BigInteger").default;
const identityJsVersion = require("amazon-cognito-identity-js/package.json").version;
const { AuthenticationHelper, AuthenticationDetails, CognitoUser, CognitoUserPool } = identityJs;

// A fixed SRP secret `a` (256 bits), for amazon-cognito-identity-js.
const FIXED_A = "6b2f1c8e0d4a3957b1e2c4d6f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b";
AuthenticationHelper.prototype.generateRandomSmallA = () => new BigInteger(FIXED_A, 16);

const motoVersion = (() => {
  const py = join(here, "../../.tools/venv/bin/python");
  try {
    const { execFileSync } = require("node:child_process");
    return execFileSync(py, ["-c", "import moto; print(moto.__version__)"]).toString().trim();
  } catch {
    return "unknown";
  }
})();

function secretHash(username, clientId, secret) {
  return createHmac("sha256", secret).update(username + clientId).digest("base64");
}

/** amazon-cognito-identity-js's SRP_A for FIXED_A (moto does not check it). */
function srpA(poolId) {
  const helper = new AuthenticationHelper(poolId.split("_")[1]);
  return new Promise((ok, fail) => helper.getLargeAValue((e, a) => (e ? fail(e) : ok(a.toString(16)))));
}

/** USER_SRP_AUTH with amazon-cognito-identity-js against moto; what it sent and got. */
async function identityJsSignIn(moto, p) {
  const seen = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (url, init) => {
    const res = await realFetch(url, init);
    const text = await res.clone().text();
    seen.push({
      operation: new Headers(init.headers).get("x-amz-target").split(".")[1],
      request: JSON.parse(init.body),
      status: res.status,
      body: text,
    });
    return res;
  };
  try {
    const store = new Map();
    const storage = {
      setItem: (k, v) => store.set(k, String(v)),
      getItem: (k) => (store.has(k) ? store.get(k) : null),
      removeItem: (k) => store.delete(k),
      clear: () => store.clear(),
    };
    const pool = new CognitoUserPool({ UserPoolId: p.poolId, ClientId: p.clientId, endpoint: moto.url, Storage: storage });
    const user = new CognitoUser({ Username: p.username, Pool: pool, Storage: storage });
    user.setAuthenticationFlowType("USER_SRP_AUTH");
    // It answers with USERNAME = USER_ID_FOR_SRP (the sub), which moto
    // cannot look up (Cognito can): moto refuses the claim with
    // UserNotFoundException, after the claim was computed and sent.
    await new Promise((ok) =>
      user.authenticateUser(new AuthenticationDetails({ Username: p.username, Password: p.password }), {
        onSuccess: () => ok("success"),
        onFailure: (e) => ok(e.code),
      }),
    );
  } finally {
    globalThis.fetch = realFetch;
  }
  const [init, respond] = seen;
  if (init?.operation !== "InitiateAuth" || respond?.operation !== "RespondToAuthChallenge") {
    throw new Error(`amazon-cognito-identity-js: unexpected exchange ${JSON.stringify(seen).slice(0, 500)}`);
  }
  const r = respond.request.ChallengeResponses;
  return {
    implementation: `amazon-cognito-identity-js ${identityJsVersion} (CognitoUser.authenticateUser, USER_SRP_AUTH, fixed a) against moto`,
    outcome: { status: respond.status, body: respond.body, username: r.USERNAME },
    a: FIXED_A,
    poolId: p.poolId,
    username: p.username,
    password: p.password,
    srpA: init.request.AuthParameters.SRP_A,
    challengeParameters: JSON.parse(init.body).ChallengeParameters,
    claim: {
      PASSWORD_CLAIM_SECRET_BLOCK: r.PASSWORD_CLAIM_SECRET_BLOCK,
      PASSWORD_CLAIM_SIGNATURE: r.PASSWORD_CLAIM_SIGNATURE,
      TIMESTAMP: r.TIMESTAMP,
    },
  };
}

async function record() {
  const moto = await startMoto({ env: { MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP: "true" } });
  try {
    const p = await moto.seed({ users: ["bob", "carl", "dora"] });
    const mfa = await moto.seed({ poolName: "mfa", users: ["tina"] });
    await moto.admin("SetUserPoolMfaConfig", {
      UserPoolId: mfa.poolId,
      SoftwareTokenMfaConfiguration: { Enabled: true },
      MfaConfiguration: "ON",
    });
    await moto.admin("AdminSetUserMFAPreference", {
      UserPoolId: p.poolId,
      Username: "carl",
      SMSMfaSettings: { Enabled: true, PreferredMfa: true },
    });
    const exchanges = {};
    const x = async (name, operation, request) => {
      const r = await moto.call(operation, request);
      exchanges[name] = { operation, request, status: r.status, headers: r.headers, body: r.body };
      return r.json;
    };
    const claim = (secretBlock) => ({
      // Placeholders: moto does not check the signature.
      PASSWORD_CLAIM_SECRET_BLOCK: secretBlock,
      PASSWORD_CLAIM_SIGNATURE: Buffer.alloc(32, 1).toString("base64"),
      TIMESTAMP: "Mon Jan 2 03:04:05 UTC 2006",
    });
    const A = await srpA(p.poolId);
    const initiate = (name, client, authFlow, params, extra = {}) =>
      x(name, "InitiateAuth", { AuthFlow: authFlow, ClientId: client, AuthParameters: params, ...extra });
    const respond = (name, client, challenge, responses, session) =>
      x(name, "RespondToAuthChallenge", {
        ChallengeName: challenge,
        ClientId: client,
        ChallengeResponses: responses,
        ...(session ? { Session: session } : {}),
      });

    // USER_SRP_AUTH, public client.
    let c = await initiate("srp.initiate", p.clientId, "USER_SRP_AUTH", { USERNAME: "alice", SRP_A: A });
    await respond(
      "srp.respond",
      p.clientId,
      "PASSWORD_VERIFIER",
      { USERNAME: c.ChallengeParameters.USERNAME, ...claim(c.ChallengeParameters.SECRET_BLOCK) },
      c.Session,
    );
    // USER_SRP_AUTH, confidential client (moto checks SECRET_HASH here).
    const sh = (u) => secretHash(u, p.confidentialClientId, p.clientSecret);
    c = await initiate("srp.confidential.initiate", p.confidentialClientId, "USER_SRP_AUTH", {
      USERNAME: "alice",
      SRP_A: A,
      SECRET_HASH: sh("alice"),
    });
    await respond(
      "srp.confidential.respond",
      p.confidentialClientId,
      "PASSWORD_VERIFIER",
      { USERNAME: "alice", ...claim(c.ChallengeParameters.SECRET_BLOCK), SECRET_HASH: sh("alice") },
      c.Session,
    );
    await initiate("srp.confidential.bad_secret_hash", p.confidentialClientId, "USER_SRP_AUTH", {
      USERNAME: "alice",
      SRP_A: A,
      SECRET_HASH: secretHash("alice", p.confidentialClientId, "wrong-secret"),
    });
    await initiate("srp.unknown_user", p.clientId, "USER_SRP_AUTH", { USERNAME: "nobody", SRP_A: A });
    await initiate("srp.unknown_client", "no-such-client", "USER_SRP_AUTH", { USERNAME: "alice", SRP_A: A });

    // USER_PASSWORD_AUTH.
    const pw = await initiate("password.ok", p.clientId, "USER_PASSWORD_AUTH", { USERNAME: "bob", PASSWORD });
    await initiate("password.wrong", p.clientId, "USER_PASSWORD_AUTH", { USERNAME: "bob", PASSWORD: "Wrong!pass1" });
    await initiate("password.unknown_user", p.clientId, "USER_PASSWORD_AUTH", { USERNAME: "nobody", PASSWORD });

    // NEW_PASSWORD_REQUIRED (after SRP), a password the policy refuses, then a good one.
    c = await initiate("new_password.initiate", p.clientId, "USER_SRP_AUTH", { USERNAME: p.freshUsername, SRP_A: A });
    c = await respond(
      "new_password.verifier",
      p.clientId,
      "PASSWORD_VERIFIER",
      { USERNAME: p.freshUsername, ...claim(c.ChallengeParameters.SECRET_BLOCK) },
      c.Session,
    );
    await respond(
      "new_password.weak",
      p.clientId,
      "NEW_PASSWORD_REQUIRED",
      { USERNAME: p.freshUsername, NEW_PASSWORD: "short" },
      c.Session,
    );
    await respond(
      "new_password.respond",
      p.clientId,
      "NEW_PASSWORD_REQUIRED",
      { USERNAME: p.freshUsername, NEW_PASSWORD: "N3w!password" },
      c.Session,
    );

    // CUSTOM_AUTH and USER_AUTH, which moto lacks.
    await initiate("custom.initiate", p.clientId, "CUSTOM_AUTH", { USERNAME: "alice" });
    await initiate("user_auth.initiate", p.clientId, "USER_AUTH", { USERNAME: "alice" });

    // MFA_SETUP with TOTP after SRP, then SOFTWARE_TOKEN_MFA.
    c = await initiate("mfa_setup.initiate", mfa.clientId, "USER_SRP_AUTH", { USERNAME: "tina", SRP_A: A });
    c = await respond(
      "mfa_setup.verifier",
      mfa.clientId,
      "PASSWORD_VERIFIER",
      { USERNAME: "tina", ...claim(c.ChallengeParameters.SECRET_BLOCK) },
      c.Session,
    );
    const assoc = await x("mfa_setup.associate", "AssociateSoftwareToken", { Session: c.Session });
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(assoc.SecretCode) });
    const wrongCode = () => String((Number(totp.generate()) + 1) % 1_000_000).padStart(6, "0");
    await x("mfa_setup.verify_wrong", "VerifySoftwareToken", { Session: assoc.Session, UserCode: wrongCode() });
    const verified = await x("mfa_setup.verify", "VerifySoftwareToken", {
      Session: assoc.Session,
      UserCode: totp.generate(),
    });
    await respond("mfa_setup.respond", mfa.clientId, "MFA_SETUP", { USERNAME: "tina" }, verified.Session);
    c = await initiate("totp.initiate", mfa.clientId, "USER_SRP_AUTH", { USERNAME: "tina", SRP_A: A });
    c = await respond(
      "totp.verifier",
      mfa.clientId,
      "PASSWORD_VERIFIER",
      { USERNAME: "tina", ...claim(c.ChallengeParameters.SECRET_BLOCK) },
      c.Session,
    );
    await respond(
      "totp.wrong",
      mfa.clientId,
      "SOFTWARE_TOKEN_MFA",
      { USERNAME: "tina", SOFTWARE_TOKEN_MFA_CODE: wrongCode() },
      c.Session,
    );
    await respond(
      "totp.respond",
      mfa.clientId,
      "SOFTWARE_TOKEN_MFA",
      { USERNAME: "tina", SOFTWARE_TOKEN_MFA_CODE: totp.generate() },
      c.Session,
    );

    // SMS_MFA (moto accepts any code).
    c = await initiate("sms.initiate", p.clientId, "USER_PASSWORD_AUTH", { USERNAME: "carl", PASSWORD });
    await respond("sms.respond", p.clientId, "SMS_MFA", { USERNAME: "carl", SMS_MFA_CODE: "123456" }, c.Session);

    // Refresh: GetTokensFromRefreshToken (moto lacks it), REFRESH_TOKEN_AUTH.
    const refresh = pw.AuthenticationResult.RefreshToken;
    await x("refresh.get_tokens", "GetTokensFromRefreshToken", { RefreshToken: refresh, ClientId: p.clientId });
    await initiate("refresh.refresh_token_auth", p.clientId, "REFRESH_TOKEN_AUTH", { REFRESH_TOKEN: refresh });
    const conf = await initiate("password.confidential", p.confidentialClientId, "USER_PASSWORD_AUTH", {
      USERNAME: "dora",
      PASSWORD,
      SECRET_HASH: sh("dora"),
    });
    await initiate("refresh.confidential", p.confidentialClientId, "REFRESH_TOKEN_AUTH", {
      REFRESH_TOKEN: conf.AuthenticationResult.RefreshToken,
      SECRET_HASH: sh("dora"),
    });

    // Account operations on bob's access token.
    const access = pw.AuthenticationResult.AccessToken;
    await x("get_user", "GetUser", { AccessToken: access });
    await x("get_user.bad_token", "GetUser", { AccessToken: "not-a-token" });
    await x("update_user_attributes", "UpdateUserAttributes", {
      UserAttributes: [{ Name: "name", Value: "Bob" }],
      AccessToken: access,
    });
    await x("change_password.wrong", "ChangePassword", {
      PreviousPassword: "Not!theold1",
      ProposedPassword: "Chang3d!pw",
      AccessToken: access,
    });
    await x("change_password", "ChangePassword", {
      PreviousPassword: PASSWORD,
      ProposedPassword: "Chang3d!pw",
      AccessToken: access,
    });
    await x("set_user_mfa_preference", "SetUserMFAPreference", {
      SMSMfaSettings: { Enabled: false, PreferredMfa: false },
      AccessToken: access,
    });
    const tokAssoc = await x("associate_software_token", "AssociateSoftwareToken", { AccessToken: access });
    const tokTotp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(tokAssoc.SecretCode) });
    await x("verify_software_token", "VerifySoftwareToken", { UserCode: tokTotp.generate(), AccessToken: access });
    await x("verify_user_attribute", "VerifyUserAttribute", { AttributeName: "email", Code: "123456", AccessToken: access });
    await x("delete_user", "DeleteUser", { AccessToken: access });
    await x("revoke_token", "RevokeToken", { Token: refresh, ClientId: p.clientId });
    await x("global_sign_out", "GlobalSignOut", { AccessToken: access });
    await initiate("refresh.revoked", p.clientId, "REFRESH_TOKEN_AUTH", { REFRESH_TOKEN: refresh });

    // Sign-up and password recovery.
    await x("sign_up", "SignUp", {
      Password: PASSWORD,
      UserAttributes: [{ Name: "email", Value: "newuser@example.com" }],
      ClientId: p.clientId,
      Username: "newuser",
    });
    await x("sign_up.exists", "SignUp", { Password: PASSWORD, ClientId: p.clientId, Username: "newuser" });
    await x("sign_up.weak_password", "SignUp", { Password: "weak", ClientId: p.clientId, Username: "weakling" });
    await initiate("password.unconfirmed", p.clientId, "USER_PASSWORD_AUTH", { USERNAME: "newuser", PASSWORD });
    await x("resend_confirmation_code", "ResendConfirmationCode", { ClientId: p.clientId, Username: "newuser" });
    await x("confirm_sign_up", "ConfirmSignUp", {
      ConfirmationCode: "123456",
      ClientId: p.clientId,
      Username: "newuser",
    });
    await x("forgot_password", "ForgotPassword", { ClientId: p.clientId, Username: "newuser" });
    await x("confirm_forgot_password", "ConfirmForgotPassword", {
      ConfirmationCode: "123456",
      Password: "Rec0vered!pw",
      ClientId: p.clientId,
      Username: "newuser",
    });

    // A body that is not JSON.
    const bad = await moto.call("InitiateAuth", "{not json");
    exchanges["malformed_request"] = {
      operation: "InitiateAuth",
      request: "{not json",
      status: bad.status,
      headers: bad.headers,
      body: bad.body,
    };

    const known = await identityJsSignIn(moto, p);
    return {
      source: `moto ${motoVersion} (moto_server, MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP=true), recorded by node tests/cognito/record-moto.mjs`,
      pools: { main: p, mfa },
      exchanges,
      identityJs: known,
    };
  } finally {
    await moto.stop();
  }
}

/** What stays the same between recordings. */
function shape(doc) {
  const keys = (text) => {
    try {
      const j = JSON.parse(text);
      return Object.keys(j).sort().join(",");
    } catch {
      return "(not JSON)";
    }
  };
  return Object.fromEntries(
    Object.entries(doc.exchanges).map(([name, e]) => [
      name,
      `${e.operation} ${e.status} ${e.headers["x-amzn-errortype"] ?? "-"} ${keys(e.body)}`,
    ]),
  );
}

const doc = await record();
if (check) {
  const old = JSON.parse(readFileSync(outFile, "utf8"));
  const [a, b] = [shape(old), shape(doc)];
  const diff = Object.keys({ ...a, ...b }).filter((k) => a[k] !== b[k]);
  if (diff.length) {
    for (const k of diff) console.error(`${k}: recorded ${a[k]} / now ${b[k]}`);
    process.exit(1);
  }
  console.log(`${Object.keys(a).length} exchanges: moto answers as recorded`);
} else {
  writeFileSync(outFile, JSON.stringify(doc, null, 1) + "\n");
  console.log(`wrote ${outFile}: ${Object.keys(doc.exchanges).length} exchanges`);
}
