// Differential: the package's JwtVerifier, run in workerd (miniflare), against
// aws-jwt-verify's CognitoJwtVerifier (AWS's library) in Node, on the same
// 500+ tokens built from the emulator's real ID and access tokens: the real
// ones, and variants re-signed with the emulator's own signing key (read from
// its data directory, so they verify unless a claim is wrong): expired, not
// yet valid, wrong issuer / audience / client_id / token_use, unknown kid,
// `alg: none`, HS256 keyed with the public key, flipped signature bits,
// truncated, extra segments, non-JSON header, huge payload. Both must give
// the same verdict (valid or not) for every token under several verifier
// configurations. The tokens carry AWS's issuer (the emulator's --issuer), so
// CognitoJwtVerifier applies its own issuer rule.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHmac, createPublicKey, createSign, generateKeyPairSync, randomInt } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { CognitoJwtVerifier } from "aws-jwt-verify";
import { SimpleJwksCache } from "aws-jwt-verify/jwk";
import { startEmulator } from "../helpers/emulator.mjs";
import { startWorker } from "../helpers/workerd.mjs";
import { exampleSeed, passwordTokens, ROOT } from "./helpers.mjs";

const AWS = "https://cognito-idp.us-east-1.amazonaws.com";
let emu, worker, dir, seed, client, other, emuKey, kid, real;

before(async () => {
  seed = exampleSeed();
  client = seed.pools[0].clients.find((c) => c.secret);
  other = seed.pools[0].clients.find((c) => !c.secret);
  dir = mkdtempSync(join(ROOT, "tests/.tmp/edge-diff-"));
  emu = await startEmulator({ seed, dataDir: join(dir, "emu"), issuer: AWS });
  emuKey = readFileSync(join(dir, "emu", "signing-key.pem"), "utf8");
  kid = (await (await fetch(emu.jwksUri)).json()).keys[0].kid;
  real = [
    await passwordTokens(emu, { clientId: client.id, secret: client.secret, username: "demo", password: "Demo-Passw0rd!" }),
    await passwordTokens(emu, { clientId: client.id, secret: client.secret, username: "ada", password: "Ada-Passw0rd!" }),
    await passwordTokens(emu, { clientId: other.id, username: "demo", password: "Demo-Passw0rd!" }),
  ];
  worker = await startWorker({ entry: join(ROOT, "tests/edge/verify-worker.js"), prefix: "edge-diff-" });
});

after(async () => {
  await worker?.dispose();
  await emu?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const b64 = (v) => Buffer.from(typeof v === "string" ? v : JSON.stringify(v)).toString("base64url");
const parts = (jwt) => jwt.split(".");
const claimsOf = (jwt) => JSON.parse(Buffer.from(parts(jwt)[1], "base64url"));
const rs = (alg, input, key) => createSign({ RS256: "RSA-SHA256", RS384: "RSA-SHA384", RS512: "RSA-SHA512" }[alg]).update(input).sign(key).toString("base64url");
function signed(header, payload, key = emuKey) {
  const input = `${b64(header)}.${typeof payload === "string" ? b64(payload) : b64(payload)}`;
  return `${input}.${rs(header.alg in { RS256: 1, RS384: 1, RS512: 1 } ? header.alg : "RS256", input, key)}`;
}

/** [name, token] pairs built from one real token. */
function variants(jwt) {
  const c = claimsOf(jwt);
  const h = { alg: "RS256", kid };
  const now = Math.floor(Date.now() / 1000);
  const stranger = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
  const publicPem = createPublicKey(emuKey).export({ type: "spki", format: "pem" });
  const [hh, pp, ss] = parts(jwt);
  const out = [
    ["real", jwt],
    ["re-signed", signed(h, c)],
    ["expired 1s", signed(h, { ...c, exp: now - 1 })],
    ["expired 1h", signed(h, { ...c, iat: now - 7200, exp: now - 3600 })],
    ["exp far future", signed(h, { ...c, exp: now + 10 * 365 * 86400 })],
    ["exp missing", signed(h, (({ exp, ...r }) => r)(c))],
    ["exp string", signed(h, { ...c, exp: String(c.exp) })],
    ["exp float", signed(h, { ...c, exp: c.exp + 0.5 })],
    ["nbf future", signed(h, { ...c, nbf: now + 600 })],
    ["nbf past", signed(h, { ...c, nbf: now - 600 })],
    ["iat future", signed(h, { ...c, iat: now + 600 })],
    ["wrong iss pool", signed(h, { ...c, iss: `${AWS}/us-east-1_Other` })],
    ["wrong iss host", signed(h, { ...c, iss: `https://evil.example/${c.iss.split("/").pop()}` })],
    ["iss trailing slash", signed(h, { ...c, iss: `${c.iss}/` })],
    ["iss missing", signed(h, (({ iss, ...r }) => r)(c))],
    ["iss number", signed(h, { ...c, iss: 42 })],
    ["token_use id→access", signed(h, { ...c, token_use: c.token_use === "id" ? "access" : "id" })],
    ["token_use refresh", signed(h, { ...c, token_use: "refresh" })],
    ["token_use missing", signed(h, (({ token_use, ...r }) => r)(c))],
    ["aud other", signed(h, { ...c, aud: "another-client" })],
    ["aud array", signed(h, { ...c, aud: [c.aud ?? c.client_id] })],
    ["client_id other", signed(h, { ...c, client_id: "another-client" })],
    ["client_id in aud too", signed(h, { ...c, aud: c.client_id ?? c.aud, client_id: c.client_id ?? c.aud })],
    ["groups changed", signed(h, { ...c, "cognito:groups": ["admins"] })],
    ["scope changed", signed(h, { ...c, scope: "openid email" })],
    ["unknown kid (stranger key)", signed({ alg: "RS256", kid: "unknown-kid" }, c, stranger)],
    ["unknown kid (emulator key)", signed({ alg: "RS256", kid: "unknown-kid" }, c)],
    ["kid missing", signed({ alg: "RS256" }, c)],
    ["stranger key, right kid", signed(h, c, stranger)],
    ["alg none", `${b64({ alg: "none", kid })}.${b64(c)}.`],
    ["alg none, real sig", `${b64({ alg: "none", kid })}.${pp}.${ss}`],
    ["HS256 with the public key", (() => {
      const input = `${b64({ alg: "HS256", kid })}.${b64(c)}`;
      return `${input}.${createHmac("sha256", publicPem).update(input).digest("base64url")}`;
    })()],
    ["RS384", signed({ alg: "RS384", kid }, c)],
    ["RS512", signed({ alg: "RS512", kid }, c)],
    ["alg rs256 lowercase", signed({ alg: "rs256", kid }, c)],
    ["alg missing", signed({ kid }, c)],
    ["typ JWT", signed({ ...h, typ: "JWT" }, c)],
    ["crit header", signed({ ...h, crit: ["exp"] }, c)],
    ["header array", `${b64([h])}.${pp}.${ss}`],
    ["non-JSON header", `${b64("not json")}.${pp}.${ss}`],
    ["non-JSON payload", signed(h, "not json")],
    ["payload array", signed(h, JSON.stringify([c]))],
    ["payload null", signed(h, "null")],
    ["huge payload (1 MB)", signed(h, { ...c, pad: "x".repeat(1 << 20) })],
    ["big payload (16 KB)", signed(h, { ...c, pad: "x".repeat(16 << 10) })],
    ["truncated signature", jwt.slice(0, -10)],
    ["truncated in the payload", `${hh}.${pp.slice(0, pp.length >> 1)}`],
    ["no signature", `${hh}.${pp}.`],
    ["two segments", `${hh}.${pp}`],
    ["one segment", hh],
    ["extra empty segment", `${jwt}.`],
    ["extra segment", `${jwt}.${ss}`],
    ["padding in the signature", `${jwt}==`],
    ["standard base64 signature", `${hh}.${pp}.${Buffer.from(ss, "base64url").toString("base64")}`],
    ["whitespace", ` ${jwt} `],
    ["newline inside", `${hh}.\n${pp}.${ss}`],
    ["empty", ""],
    ["dots only", ".."],
    ["signature of another token", `${hh}.${pp}.${parts(signed(h, { ...c, jti: "x" }))[2]}`],
  ];
  // Flipped signature bits: 20 random positions.
  const sig = Buffer.from(ss, "base64url");
  for (let i = 0; i < 20; i++) {
    const s = Buffer.from(sig);
    const bit = randomInt(s.length * 8);
    s[bit >> 3] ^= 1 << (bit & 7);
    out.push([`flipped bit ${bit}`, `${hh}.${pp}.${s.toString("base64url")}`]);
  }
  // Flipped payload bytes (valid base64url kept).
  for (let i = 0; i < 6; i++) {
    const p = Buffer.from(pp, "base64url");
    p[randomInt(p.length)] ^= 0x20;
    out.push([`flipped payload byte ${i}`, `${hh}.${p.toString("base64url")}.${ss}`]);
  }
  return out;
}

async function awsVerdicts(options, tokens) {
  const fetcher = { fetch: async () => (await fetch(emu.jwksUri)).arrayBuffer() };
  const v = CognitoJwtVerifier.create({ userPoolId: emu.poolId, ...options }, { jwksCache: new SimpleJwksCache({ fetcher }) });
  const out = [];
  for (const t of tokens) {
    try {
      await v.verify(t);
      out.push("valid");
    } catch (e) {
      out.push(e?.constructor?.name?.replace(/Error$/, "") ?? "error");
    }
  }
  return out;
}

async function ourVerdicts(options, tokens) {
  const r = await worker.mf.dispatchFetch("http://localhost/", {
    method: "POST",
    body: JSON.stringify({ options: { userPoolId: emu.poolId, jwksUri: emu.jwksUri, ...options }, tokens }),
  });
  assert.equal(r.status, 200);
  return r.json();
}

test("JwtVerifier in workerd and aws-jwt-verify in Node agree on 500+ tokens built from the emulator's", async () => {
  const cases = [];
  for (const t of real) for (const [kind, jwt] of [["id", t.IdToken], ["access", t.AccessToken]]) {
    for (const [name, token] of variants(jwt)) cases.push({ name: `${kind} of ${claimsOf(jwt).aud ?? claimsOf(jwt).client_id}/${claimsOf(jwt)["cognito:username"] ?? claimsOf(jwt).username}: ${name}`, token });
  }
  assert.ok(cases.length >= 500, `${cases.length} tokens`);
  const configs = [
    { tokenUse: "id", clientId: client.id },
    { tokenUse: "access", clientId: client.id },
    { tokenUse: null, clientId: [client.id, other.id] },
    { tokenUse: "access", clientId: null },
  ];
  const tokens = cases.map((c) => c.token);
  // Deliberately stricter: ours refuses tokens over 64 KiB (MAX_JWT_BYTES in
  // src/jwt/decode.rs; Cognito's are a few KiB), aws-jwt-verify has no cap.
  const oversized = (i) => tokens[i].length > 64 * 1024;
  assert.ok(tokens.some((t, i) => oversized(i)), "an oversized token is among the cases");
  const disagreements = [];
  let valid = 0;
  const codes = new Map();
  for (const options of configs) {
    const [theirs, ours] = await Promise.all([awsVerdicts(options, tokens), ourVerdicts(options, tokens)]);
    for (let i = 0; i < tokens.length; i++) {
      if (oversized(i)) {
        if (ours[i] !== "JwtParse") disagreements.push(`${JSON.stringify(options)} ${cases[i].name}: ours ${ours[i]}, expected JwtParse (over 64 KiB)`);
        continue;
      }
      if ((theirs[i] === "valid") !== (ours[i] === "valid")) disagreements.push(`${JSON.stringify(options)} ${cases[i].name}: aws-jwt-verify ${theirs[i]}, ours ${ours[i]}`);
      if (theirs[i] === "valid") valid++;
      if (theirs[i] !== ours[i]) codes.set(`${theirs[i]} / ${ours[i]}`, (codes.get(`${theirs[i]} / ${ours[i]}`) ?? 0) + 1);
      assert.ok(!String(ours[i]).startsWith("uncaught"), `${cases[i].name}: ${ours[i]}`);
    }
  }
  // Both sides must accept some and refuse most: a verifier that says "valid"
  // (or "invalid") to everything cannot pass.
  assert.ok(valid >= 12, `only ${valid} valid verdicts`);
  if (codes.size) console.log(`# error codes that differ (aws-jwt-verify / ours): ${[...codes].map(([k, n]) => `${k} ×${n}`).join(", ")}`);
  assert.deepEqual(disagreements, [], disagreements.join("\n"));
  console.log(`# ${tokens.length} tokens × ${configs.length} configurations, ${valid} valid, verdicts identical`);
});
