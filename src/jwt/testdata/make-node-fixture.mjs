// Writes node-signed.json: a Cognito-shaped ID token signed by Node's own
// crypto (RS256) and the JWKS Node exports for the key, so the Rust tests
// check our decoding and key selection against an independent signer.
// Run: node src/jwt/testdata/make-node-fixture.mjs
import { createPrivateKey, createPublicKey, sign } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";

const here = new URL(".", import.meta.url);
const pem = readFileSync(new URL("test-key.pem", here));
const jwk = createPublicKey(pem).export({ format: "jwk" });
const b64 = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
const header = { kid: "node-kid", alg: "RS256" };
const claims = {
  sub: "5f1c2c1e-0000-4000-8000-000000000001",
  aud: "node-client",
  email_verified: true,
  token_use: "id",
  auth_time: 1763780000,
  iss: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_NodeTest1",
  "cognito:username": "zoë",
  "cognito:groups": ["admins", "staff"],
  exp: 1763783600,
  iat: 1763780000,
  nonce: "n-0S6_WzA2Mj",
  email: "zoe@example.com",
};
const input = `${b64(header)}.${b64(claims)}`;
const sig = sign("sha256", Buffer.from(input), createPrivateKey(pem)).toString("base64url");
const jwks = { keys: [{ ...jwk, kid: "node-kid", alg: "RS256", use: "sig" }] };
writeFileSync(
  new URL("node-signed.json", here),
  JSON.stringify({ token: `${input}.${sig}`, jwks }, null, 2) + "\n",
);
