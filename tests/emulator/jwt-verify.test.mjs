// aws-jwt-verify (AWS's own verifier, not written here) accepts the
// emulator's ID and access tokens against its issuer and JWKS, with the
// right token_use and client, and rejects tampered or mismatched ones.
// The JWKS is fetched over plain HTTP from 127.0.0.1 (aws-jwt-verify's own
// fetcher only does HTTPS), everything else is the library's own checking.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { JwtRsaVerifier } from "aws-jwt-verify";
import { SimpleJwksCache } from "aws-jwt-verify/jwk";
import { startEmulator } from "../helpers/emulator.mjs";

let emu;
let tokens;
before(async () => {
  emu = await startEmulator({ issuer: "https://cognito-idp.us-east-1.amazonaws.com" });
  const r = await emu.call("InitiateAuth", {
    ClientId: emu.clientId, AuthFlow: "USER_PASSWORD_AUTH",
    AuthParameters: { USERNAME: emu.username, PASSWORD: emu.password },
  });
  tokens = r.AuthenticationResult;
});
after(async () => emu?.stop());

const httpFetcher = { fetch: async (uri) => (await fetch(uri)).arrayBuffer() };
const verifier = (tokenUse, extra = {}) =>
  JwtRsaVerifier.create({ issuer: emu.issuer, jwksUri: emu.jwksUri, audience: null, ...extra, customJwtCheck: ({ payload }) => {
    if (payload.token_use !== tokenUse) throw new Error(`token_use is ${payload.token_use}`);
    const client = tokenUse === "id" ? payload.aud : payload.client_id;
    if (client !== emu.clientId) throw new Error(`client is ${client}`);
  } }, { jwksCache: new SimpleJwksCache({ fetcher: httpFetcher }) });

test("the configured issuer is used and discovery agrees", async () => {
  assert.equal(emu.issuer, `https://cognito-idp.us-east-1.amazonaws.com/${emu.poolId}`);
  const disc = await (await fetch(`${emu.url}/${emu.poolId}/.well-known/openid-configuration`)).json();
  assert.equal(disc.issuer, emu.issuer);
  assert.equal(disc.token_endpoint, `${emu.url}/oauth2/token`);
  const jwks = await (await fetch(emu.jwksUri)).json();
  assert.equal(jwks.keys[0].kty, "RSA");
  assert.equal(jwks.keys[0].alg, "RS256");
});

test("ID token verifies with token_use id and aud = client", async () => {
  const p = await verifier("id", { audience: emu.clientId }).verify(tokens.IdToken);
  assert.equal(p["cognito:username"], emu.username);
  assert.equal(p.email_verified, true);
  assert.equal(p.token_use, "id");
});

test("access token verifies with token_use access and client_id", async () => {
  const p = await verifier("access").verify(tokens.AccessToken);
  assert.equal(p.username, emu.username);
  assert.equal(p.scope, "aws.cognito.signin.user.admin");
  for (const k of ["sub", "iss", "client_id", "origin_jti", "event_id", "auth_time", "exp", "iat", "jti"]) assert.ok(k in p, k);
});

test("wrong token_use, wrong issuer, wrong audience and tampering are rejected", async () => {
  await assert.rejects(verifier("id").verify(tokens.AccessToken));
  await assert.rejects(verifier("access").verify(tokens.IdToken));
  await assert.rejects(verifier("id", { audience: "other-client" }).verify(tokens.IdToken));
  await assert.rejects(verifier("access", { issuer: `${emu.url}/${emu.poolId}` }).verify(tokens.AccessToken));
  const [h, p, s] = tokens.AccessToken.split(".");
  const claims = JSON.parse(Buffer.from(p, "base64url"));
  claims.username = "admin";
  const forged = [h, Buffer.from(JSON.stringify(claims)).toString("base64url"), s].join(".");
  await assert.rejects(verifier("access").verify(forged), /signature/i);
});
