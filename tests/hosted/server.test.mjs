// The standalone exports for servers (Node): JwtVerifier gives the same
// verdicts as aws-jwt-verify's CognitoJwtVerifier (AWS's library) on the
// same tokens, and the storage-free oauth functions run the code flow,
// refresh and client credentials against the emulator.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { CognitoJwtVerifier } from "aws-jwt-verify";
import { SimpleJwksCache } from "aws-jwt-verify/jwk";
import { JwtVerifier, oauth } from "../../pkg/node.js";
import { startEmulator } from "../helpers/emulator.mjs";

const AWS_ISSUER_BASE = "https://cognito-idp.us-east-1.amazonaws.com";
let emu, tokens;

before(async () => {
  // Tokens carry AWS's issuer, so aws-jwt-verify's CognitoJwtVerifier
  // checks them with its own issuer and rules.
  emu = await startEmulator({ issuer: AWS_ISSUER_BASE });
  const r = await emu.call("InitiateAuth", {
    ClientId: emu.clientId,
    AuthFlow: "USER_PASSWORD_AUTH",
    AuthParameters: { USERNAME: emu.username, PASSWORD: emu.password },
  });
  tokens = r.AuthenticationResult;
});
after(async () => emu?.stop());

/** aws-jwt-verify, its JWKS read from the emulator (its fetcher does https only). */
function awsVerifier(options) {
  const fetcher = { fetch: async () => (await fetch(emu.jwksUri)).arrayBuffer() };
  return CognitoJwtVerifier.create({ userPoolId: emu.poolId, ...options }, { jwksCache: new SimpleJwksCache({ fetcher }) });
}
const ours = (options) => new JwtVerifier({ userPoolId: emu.poolId, jwksUri: emu.jwksUri, ...options });

async function verdict(promise) {
  try {
    await promise;
    return "valid";
  } catch (e) {
    return e.code ?? e.constructor.name.replace(/Error$/, "");
  }
}

function tamper(jwt, change) {
  const [h, p, s] = jwt.split(".");
  const claims = JSON.parse(Buffer.from(p, "base64url"));
  return [h, Buffer.from(JSON.stringify(change(claims))).toString("base64url"), s].join(".");
}

test("JwtVerifier and aws-jwt-verify agree on valid, tampered, expired and mismatched tokens", async () => {
  const cases = [
    ["valid ID token", { tokenUse: "id", clientId: emu.clientId }, tokens.IdToken],
    ["valid access token", { tokenUse: "access", clientId: emu.clientId }, tokens.AccessToken],
    ["any client", { tokenUse: "access", clientId: null }, tokens.AccessToken],
    ["wrong client (ID)", { tokenUse: "id", clientId: "another-client" }, tokens.IdToken],
    ["wrong client (access)", { tokenUse: "access", clientId: ["x", "y"] }, tokens.AccessToken],
    ["wrong token_use", { tokenUse: "access", clientId: emu.clientId }, tokens.IdToken],
    ["tampered claims", { tokenUse: "id", clientId: emu.clientId }, tamper(tokens.IdToken, (c) => ({ ...c, "cognito:username": "admin" }))],
    ["tampered signature", { tokenUse: "id", clientId: emu.clientId }, tokens.IdToken.slice(0, -4) + (tokens.IdToken.endsWith("AAAA") ? "BBBB" : "AAAA")],
    ["not a JWT", { tokenUse: "id", clientId: emu.clientId }, "not.a.jwt"],
    ["required group missing", { tokenUse: "id", clientId: emu.clientId, groups: ["admins"] }, tokens.IdToken],
    ["required group present", { tokenUse: "id", clientId: emu.clientId, groups: ["demo-users"] }, tokens.IdToken],
    ["required scope missing", { tokenUse: "access", clientId: emu.clientId, scope: ["email"] }, tokens.AccessToken],
  ];
  const results = [];
  for (const [name, options, token] of cases) {
    const { groups, ...rest } = options;
    const awsOptions = groups ? { ...rest, groups } : rest;
    const theirs = await verdict(awsVerifier(awsOptions).verify(token));
    const mine = await verdict(ours(options).verify(token));
    results.push([name, theirs, mine]);
  }
  for (const [name, theirs, mine] of results) assert.equal(mine, theirs, name);
  // The known answers themselves come from aws-jwt-verify; check they are
  // not all alike (the comparison would then prove little).
  assert.deepEqual(
    [...new Set(results.map((r) => r[1]))].sort(),
    ["CognitoJwtInvalidClientId", "CognitoJwtInvalidGroup", "CognitoJwtInvalidTokenUse", "JwtInvalidScope", "JwtInvalidSignature", "JwtParse", "valid"].sort(),
  );

  // Two hours later both call the tokens expired.
  const realNow = Date.now;
  Date.now = () => realNow() + 2 * 3600 * 1000;
  try {
    const theirs = await verdict(awsVerifier({ tokenUse: "id", clientId: emu.clientId }).verify(tokens.IdToken));
    const mine = await verdict(ours({ tokenUse: "id", clientId: emu.clientId }).verify(tokens.IdToken));
    assert.equal(theirs, "JwtExpired");
    assert.equal(mine, theirs);
  } finally {
    Date.now = realNow;
  }
});

test("JwtVerifier returns the claims and refuses a foreign issuer before fetching keys", async () => {
  const claims = await ours({ tokenUse: "id", clientId: emu.clientId }).verify(tokens.IdToken);
  assert.equal(claims["cognito:username"], emu.username);
  assert.equal(claims.iss, `${AWS_ISSUER_BASE}/${emu.poolId}`);
  let fetched = 0;
  const counting = (...a) => (fetched++, fetch(...a));
  const other = new JwtVerifier({ userPoolId: "us-east-1_Other", clientId: emu.clientId, tokenUse: "id", jwksUri: emu.jwksUri, fetch: counting });
  await assert.rejects(other.verify(tokens.IdToken), (e) => e.code === "JwtInvalidIssuer");
  assert.equal(fetched, 0);
  // The JWKS is fetched once and cached.
  const v = ours({ tokenUse: "access", clientId: emu.clientId, fetch: counting });
  await v.verify(tokens.AccessToken);
  await v.verify(tokens.AccessToken);
  assert.equal(fetched, 1);
  assert.throws(() => new JwtVerifier({ userPoolId: "nope", clientId: null }), (e) => e.code === "InvalidUserPoolId");
});

test("oauth.clientCredentials from Node with the confidential client", async () => {
  const t = await oauth.clientCredentials({
    domain: emu.url, clientId: emu.confidentialClientId, clientSecret: emu.clientSecret, scopes: ["email"],
  });
  assert.equal(t.tokenType.toLowerCase(), "bearer");
  const claims = JSON.parse(Buffer.from(t.accessToken.split(".")[1], "base64url"));
  assert.equal(claims.client_id, emu.confidentialClientId);
  assert.equal(claims.scope, "email");
  assert.ok(t.expiresIn > 0);
  await assert.rejects(
    oauth.clientCredentials({ domain: emu.url, clientId: emu.confidentialClientId, clientSecret: "wrong" }),
    (e) => e.code === "OAuthEndpointError" && /invalid_client/.test(e.message),
  );
  await assert.rejects(
    oauth.clientCredentials({ domain: emu.url, clientId: emu.clientId }),
    (e) => e.code === "EmptyArgument",
  );
});

test("oauth.buildAuthorizeUrl + exchangeCode + refresh: a server-side code flow with no storage", async () => {
  const redirectUri = "http://127.0.0.1:8080/callback";
  const base = { domain: emu.url, clientId: emu.confidentialClientId, clientSecret: emu.clientSecret };
  const { url, state, transaction } = oauth.buildAuthorizeUrl({ ...base, redirectUri, scopes: ["openid", "email"], customState: "/orders" });
  const u = new URL(url);
  assert.equal(u.searchParams.get("state"), state);
  assert.equal(u.searchParams.get("code_challenge_method"), "S256");
  // The login form, as a browser would post it.
  const toLogin = await fetch(url, { redirect: "manual" });
  const login = new URL(toLogin.headers.get("location"), emu.url);
  const form = new URLSearchParams({ tx: login.searchParams.get("tx"), username: emu.username, password: emu.password });
  const back = await fetch(`${emu.url}/login`, { method: "POST", body: form, redirect: "manual" });
  const callback = back.headers.get("location");
  assert.ok(callback.startsWith(redirectUri), callback);

  // Every ID-token check skipped, nonce included, only when asked for.
  await assert.rejects(oauth.exchangeCode({ ...base, url: callback, transaction }), (e) => e.code === "InvalidArgument");
  const checked = { userPoolId: emu.poolId, issuer: `${AWS_ISSUER_BASE}/${emu.poolId}`, jwksUri: emu.jwksUri };
  // A callback carrying another state is refused before any exchange.
  const forged = callback.replace(/state=[^&]+/, "state=forged");
  await assert.rejects(oauth.exchangeCode({ ...base, ...checked, url: forged, transaction }), (e) => e.code === "OAuthStateMismatch");

  const t = await oauth.exchangeCode({ ...base, ...checked, url: callback, transaction });
  assert.equal(t.customState, "/orders");
  assert.ok(t.idToken && t.refreshToken);
  // The code is single-use at the server.
  await assert.rejects(oauth.exchangeCode({ ...base, verifyIdToken: false, url: callback, transaction }), (e) => e.code === "OAuthEndpointError" && /invalid_grant/.test(e.message));
  const r = await oauth.refresh({ ...base, refreshToken: t.refreshToken });
  assert.notEqual(r.accessToken, t.accessToken);
});
