#!/usr/bin/env node
// Writes the fuzz targets' seed corpora (fuzz/seeds/<target>/) from real
// responses: it starts the emulator, signs in, calls the account, hosted-UI
// and JWKS endpoints, and saves what came back in the shape each target
// reads (parts separated by NUL, see fuzz/src/lib.rs). Run it again when a
// response format changes:
//
//   cargo build --release -p cognito-emulator && node fuzz/seeds.mjs
//
// The emulator binary: $COGNITO_EMULATOR_BIN, else target/release/.
import { spawn } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createInterface } from "node:readline";

const FUZZ = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(FUZZ);
const BIN = process.env.COGNITO_EMULATOR_BIN ?? join(ROOT, "target/release/cognito-emulator");
const POOL = "us-east-1_LocalDemo";
const SPA = "demo-spa-client";
const CONF = "demo-confidential-client";
const SECRET = "demo-client-secret-0123456789abcdefghijklmnopqrstuv";
const PASSWORD = "Demo-Passw0rd!";

const seeds = new Map(); // target -> [Buffer]
function seed(target, ...parts) {
  const buf = Buffer.concat(parts.flatMap((p, i) => [i ? Buffer.from([0]) : Buffer.alloc(0), Buffer.from(p)]));
  if (!seeds.has(target)) seeds.set(target, []);
  seeds.get(target).push(buf);
}

const emu = spawn(BIN, ["--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
const base = await new Promise((resolve, reject) => {
  emu.on("error", reject);
  createInterface({ input: emu.stdout }).once("line", (l) => {
    const m = /(http:\/\/[^\s]+)/.exec(l);
    m ? resolve(m[1].replace(/\/$/, "")) : reject(new Error(`no URL in: ${l}`));
  });
});

async function api(op, body) {
  const r = await fetch(`${base}/`, {
    method: "POST",
    headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": `AWSCognitoIdentityProviderService.${op}` },
    body: JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, text, json: text ? JSON.parse(text) : {} };
}
const withStatus = (r) => (r.status === 200 ? r.text : `${r.status} ${r.text}`);
const httpValue = (r) => JSON.stringify({ status: r.status, headers: [["content-type", "application/x-amz-json-1.1"]], body: r.text });

try {
  // Sign-in: tokens, an SRP challenge, a wrong password.
  const signIn = await api("InitiateAuth", { AuthFlow: "USER_PASSWORD_AUTH", ClientId: SPA, AuthParameters: { USERNAME: "demo", PASSWORD } });
  const tokens = signIn.json.AuthenticationResult;
  // Any A that is not 0 mod N starts the SRP exchange (the claim is not sent).
  const srp = await api("InitiateAuth", { AuthFlow: "USER_SRP_AUTH", ClientId: SPA, AuthParameters: { USERNAME: "demo", SRP_A: "0".repeat(766) + "05" } });
  const wrong = await api("InitiateAuth", { AuthFlow: "USER_PASSWORD_AUTH", ClientId: SPA, AuthParameters: { USERNAME: "demo", PASSWORD: "wrong" } });
  const custom = await api("InitiateAuth", { AuthFlow: "CUSTOM_AUTH", ClientId: SPA, AuthParameters: { USERNAME: "demo" } });
  const choice = await api("InitiateAuth", { AuthFlow: "USER_AUTH", ClientId: SPA, AuthParameters: { USERNAME: "demo" } });
  const refresh = await api("GetTokensFromRefreshToken", { ClientId: SPA, RefreshToken: tokens.RefreshToken });
  // Account operations.
  const signUp = await api("SignUp", { ClientId: SPA, Username: "fuzz-seed", Password: PASSWORD, UserAttributes: [{ Name: "email", Value: "f@example.com" }] });
  const forgot = await api("ForgotPassword", { ClientId: SPA, Username: "demo" });
  const getUser = await api("GetUser", { AccessToken: tokens.AccessToken });
  const update = await api("UpdateUserAttributes", { AccessToken: tokens.AccessToken, UserAttributes: [{ Name: "email", Value: "d2@example.com" }] });
  const associate = await api("AssociateSoftwareToken", { AccessToken: tokens.AccessToken });
  const verifyTotp = await api("VerifySoftwareToken", { AccessToken: tokens.AccessToken, UserCode: "000000" });
  const devices = await api("ListDevices", { AccessToken: tokens.AccessToken });
  const empty = await api("ConfirmSignUp", { ClientId: SPA, Username: "demo", ConfirmationCode: "1" });

  const responses = [signIn, srp, wrong, custom, choice, signUp, forgot, getUser, update, associate, verifyTotp, devices, empty, refresh];
  for (const r of responses) seed("json", r.text);
  // cognito_response: the selector byte picks the parser (see the target).
  const bySelector = [[0, signIn], [0, srp], [0, wrong], [1, empty], [2, associate], [3, verifyTotp], [4, signUp], [5, forgot], [6, update], [7, getUser], [8, empty], [9, devices], [10, refresh], [10, wrong]];
  for (const [sel, r] of bySelector) seed("cognito_response", String.fromCharCode(48 + sel), withStatus(r));
  seed("cognito_response", "<", "Mon, 01 Dec 2025 00:00:00 GMT");
  // An access token built by the target from the third part's claims.
  const claimsOf = (t) => Buffer.from(t.split(".")[1], "base64url").toString();
  const withAccess = (r) => JSON.stringify({ ...r, AuthenticationResult: { ...r.AuthenticationResult, AccessToken: "$ACCESS" } });
  seed("cognito_response", ":", withAccess(refresh.json), claimsOf(tokens.AccessToken));
  seed("cognito_response", "0", withAccess(signIn.json), claimsOf(tokens.AccessToken));
  // cognito_signin: flow selector, then the responses in order.
  seed("cognito_signin", "1", withStatus(signIn));
  seed("cognito_signin", "0", withStatus(srp), withStatus(signIn));
  seed("cognito_signin", "1", withStatus(wrong));
  seed("cognito_signin", "2", withStatus(custom), "answer:custom:123456", withStatus(signIn));
  seed("cognito_signin", "4", withStatus(choice), "answer:select:PASSWORD_SRP", withStatus(srp), withStatus(signIn));
  const p = srp.json.ChallengeParameters;
  seed("srp_challenge", p.SALT, p.SRP_B, p.SECRET_BLOCK, p.USER_ID_FOR_SRP);

  // JWTs: header, claims and signature of real tokens.
  for (const [sel, t] of [["0", tokens.IdToken], ["1", tokens.AccessToken]]) {
    const [h, c, s] = t.split(".");
    const d = (x) => Buffer.from(x, "base64url");
    seed("jwt", sel, d(h), d(c), d(s));
  }

  // The hosted UI: token endpoint, userInfo, revoke, JWKS.
  const form = (o) => new URLSearchParams(o).toString();
  const basic = `Basic ${Buffer.from(`${CONF}:${SECRET}`).toString("base64")}`;
  const token = async (body) => {
    const r = await fetch(`${base}/oauth2/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", authorization: basic }, body: form(body) });
    return { status: r.status, text: await r.text() };
  };
  const cc = await token({ grant_type: "client_credentials", scope: "openid" });
  const bad = await token({ grant_type: "authorization_code", code: "nope", redirect_uri: "http://127.0.0.1:8080/callback" });
  const ui = await fetch(`${base}/oauth2/userInfo`, { headers: { authorization: `Bearer ${tokens.AccessToken}` } });
  const userInfo = { status: ui.status, text: await ui.text() };
  const jwks = await (await fetch(`${base}/${POOL}/.well-known/jwks.json`)).text();
  // An authorization-code token response has the shape of the API's tokens.
  const codeResponse = JSON.stringify({ id_token: tokens.IdToken, access_token: tokens.AccessToken, refresh_token: tokens.RefreshToken, expires_in: 3600, token_type: "Bearer" });
  seed("oauth_response", "0", codeResponse);
  seed("oauth_response", "0", JSON.stringify({ ...JSON.parse(codeResponse), access_token: "$ACCESS" }), claimsOf(tokens.AccessToken));
  seed("oauth_response", "1", withStatus(cc));
  seed("oauth_response", "0", withStatus(bad));
  seed("oauth_response", "2", withStatus(userInfo));
  seed("oauth_response", "3", "200 ");
  for (const t of [cc.text, bad.text, userInfo.text, jwks]) seed("json", t);
  const kid = JSON.parse(jwks).keys[0].kid;
  seed("jwks", jwks, kid, "RS256");

  // Callback URLs and the transaction they are checked against.
  const state = "s".repeat(43);
  const tx = `v=1&state=${state}&nonce=${"n".repeat(43)}&code_verifier=${"v".repeat(43)}&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb&created_at=1764547190`;
  seed("oauth_callback", `https://app.example.com/cb?code=abc-123&state=${state}&iss=https%3A%2F%2Fauth.example.com#top`);
  seed("oauth_callback", `https://app.example.com/cb?error=access_denied&error_description=no&state=${state}`, tx);
  seed("oauth_callback", `?keep=1&code=c&state=${state}&keep=2`, `${tx}&app_state=%7B%7D`);

  // Stored records (what the SDK writes: see src/session/record.rs).
  const stored = JSON.stringify({ id: tokens.IdToken, access: tokens.AccessToken, refresh: tokens.RefreshToken, expiresIn: 3600, type: "Bearer", expiresAt: 1764550800, skew: 0 });
  seed("stored_records", stored);
  seed("stored_records", JSON.stringify({ v: 1, source: "api", username: "demo", tokens: stored, device: "us-east-1_dev" }));
  seed("stored_records", JSON.stringify({ key: "us-east-1_dev", group: "-grp", password: "cGFzc3dvcmQ=" }));
  seed("stored_records", tx);

  // The machine boundary: an operation, then each effect's result.
  const h = (r) => httpValue(r);
  seed("machine", `@signIn {"username":"demo","password":"${PASSWORD}","authFlow":"USER_PASSWORD_AUTH"}`, "null", h(signIn), "null", "null");
  seed("machine", `@signIn {"username":"demo","password":"${PASSWORD}"}`, "null", h(srp), "null", h(signIn));
  seed("machine", `@signIn {"username":"demo","authFlow":"CUSTOM_AUTH"}`, "null", h(custom), `@confirmSignIn {"answer":"123456"}`, h(signIn));
  seed("machine", "@getTokens {}", JSON.stringify(JSON.stringify({ v: 1, source: "api", username: "demo", tokens: stored })), "false", h(refresh), "null");
  seed("machine", "@getUser {}", "null", h(getUser));
  seed("machine", `@handleRedirectCallback {"url":"https://app.example.com/cb?code=abc&state=${state}"}`, JSON.stringify(tx), "null", JSON.stringify({ status: 200, headers: [["content-type", "application/json"]], body: codeResponse }), JSON.stringify({ status: 200, headers: [["content-type", "application/json"]], body: jwks }), "true");
  seed("machine", "@start {}", "null", `{"channel":true,"hidden":false}`, "null");
  seed("machine", `@message {"t":"signedIn","r":${JSON.stringify(JSON.stringify({ v: 1, source: "api", username: "demo", tokens: stored }))}}`, "null", "null");
  seed("machine", `@oauth.exchangeCode {"domain":"https://auth.example.com","clientId":"client","code":"c","codeVerifier":"${"v".repeat(43)}","redirectUri":"https://app.example.com/cb","userPoolId":"${POOL}"}`, JSON.stringify({ status: 200, headers: [["content-type", "application/json"]], body: codeResponse }), "!{\"kind\":\"network\",\"message\":\"reset\"}");
  seed("machine", "@signOut {}", "null", h(empty), "null", "null");

  // Emulator request bodies: operation, body, operation, body, …
  seed("emulator_api", "InitiateAuth", JSON.stringify({ AuthFlow: "USER_PASSWORD_AUTH", ClientId: SPA, AuthParameters: { USERNAME: "demo", PASSWORD } }));
  seed("emulator_api", "InitiateAuth", JSON.stringify({ AuthFlow: "USER_SRP_AUTH", ClientId: SPA, AuthParameters: { USERNAME: "demo", SRP_A: "05" } }), "RespondToAuthChallenge", JSON.stringify({ ChallengeName: "PASSWORD_VERIFIER", ClientId: SPA, ChallengeResponses: { USERNAME: "demo", PASSWORD_CLAIM_SIGNATURE: "c2ln", PASSWORD_CLAIM_SECRET_BLOCK: p.SECRET_BLOCK, TIMESTAMP: "Mon Dec 1 00:00:00 UTC 2025" } }));
  seed("emulator_api", "SignUp", JSON.stringify({ ClientId: SPA, Username: "u1", Password: PASSWORD, UserAttributes: [{ Name: "email", Value: "u@example.com" }] }), "ConfirmSignUp", JSON.stringify({ ClientId: SPA, Username: "u1", ConfirmationCode: "000000" }));
  seed("emulator_api", "SignUp", JSON.stringify({ ClientId: CONF, Username: "u2", Password: PASSWORD, SecretHash: "AAAA" }));
  seed("emulator_api", "InitiateAuth", JSON.stringify({ AuthFlow: "CUSTOM_AUTH", ClientId: SPA, AuthParameters: { USERNAME: "demo" } }), "RespondToAuthChallenge", JSON.stringify({ ChallengeName: "CUSTOM_CHALLENGE", ClientId: SPA, Session: "x", ChallengeResponses: { USERNAME: "demo", ANSWER: "1" } }));
  seed("emulator_api", "ForgotPassword", JSON.stringify({ ClientId: SPA, Username: "demo" }), "ConfirmForgotPassword", JSON.stringify({ ClientId: SPA, Username: "demo", ConfirmationCode: "1", Password: PASSWORD }));
  seed("emulator_api", "AdminCreateUser", JSON.stringify({ UserPoolId: POOL, Username: "u3", TemporaryPassword: PASSWORD }), "AdminSetUserPassword", JSON.stringify({ UserPoolId: POOL, Username: "u3", Password: PASSWORD, Permanent: true }));
  seed("emulator_api", "CreateUserPool", JSON.stringify({ PoolName: "p" }), "DescribeUserPoolClient", JSON.stringify({ UserPoolId: POOL, ClientId: CONF }));
  seed("emulator_api", "GetTokensFromRefreshToken", JSON.stringify({ ClientId: SPA, RefreshToken: "x" }), "GetUser", JSON.stringify({ AccessToken: "a.b.c" }));
  seed("emulator_api", "RespondToAuthChallenge", "{}", "ConfirmDevice", JSON.stringify({ AccessToken: "a", DeviceKey: "k", DeviceSecretVerifierConfig: { PasswordVerifier: "AA==", Salt: "AA==" } }));
} finally {
  emu.kill();
}

for (const [target, list] of seeds) {
  const dir = join(FUZZ, "seeds", target);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // Named by content, as libFuzzer names corpus entries.
  for (const buf of list) writeFileSync(join(dir, createHash("sha1").update(buf).digest("hex")), buf);
  console.log(`${target}: ${list.length} seeds`);
}
