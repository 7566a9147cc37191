// The native SRP path in Node (OpenSSL through node:crypto, pkg/srp-native.js)
// against the wasm engine and the known answers of amazon-cognito-identity-js
// (tests/vectors/srp.json): same A, same claim, same errors; and the inputs
// for which OpenSSL refuses the base (0, 1, N − 1), which fall back to the
// wasm engine.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { srp, CognitoError } from "cognito-wasm";
import { ephemeralFromSecretHex, useNativeSrp } from "cognito-wasm/testing";
import { loadSrpVectors } from "../helpers/vectors.mjs";

const N = BigInt(
  "0xFFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);

/** Both backends on the same inputs: the native one and the wasm engine. */
function both(fn) {
  try {
    assert.equal(useNativeSrp(true), "node:crypto", "the Node entry registers the native backend");
    const native = fn();
    assert.equal(useNativeSrp(false), "wasm");
    const wasm = fn();
    return { native, wasm };
  } finally {
    useNativeSrp(true);
  }
}

const answer = (v, cp) =>
  srp.answerPasswordVerifier({
    ephemeral: ephemeralFromSecretHex(v.a),
    userPoolId: v.userPoolId,
    password: v.password,
    challengeParameters: cp,
    now: v.unixSeconds * 1000,
  });

test("native: every SRP vector gives amazon-cognito-identity-js's A and claim, as the wasm engine does", () => {
  const { srp: cases } = loadSrpVectors();
  let n = 0;
  for (const v of cases) {
    const cp = { SALT: v.salt, SRP_B: v.srpB, SECRET_BLOCK: v.secretBlock, USER_ID_FOR_SRP: v.userIdForSrp };
    const { native, wasm } = both(() => ({ A: ephemeralFromSecretHex(v.a).publicA, r: answer(v, cp) }));
    assert.equal(native.A, v.srpA, `${v.name}: native A`);
    assert.equal(wasm.A, v.srpA, `${v.name}: wasm A`);
    assert.equal(native.r.PASSWORD_CLAIM_SIGNATURE, v.signature, `${v.name}: native signature`);
    assert.equal(wasm.r.PASSWORD_CLAIM_SIGNATURE, v.signature, `${v.name}: wasm signature`);
    assert.deepEqual(native.r, wasm.r, v.name);
    n++;
  }
  assert.ok(n >= 100, `${n} vectors`);
});

const hex = (n) => n.toString(16);
const sha = (...parts) => createHash("sha256").update(Buffer.concat(parts)).digest();
const pad = (buf) => {
  let i = 0;
  while (i < buf.length && buf[i] === 0) i++;
  const b = buf.subarray(i);
  return b.length === 0 || b[0] & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : Buffer.from(b);
};
const bytes = (n) => {
  const h = hex(n);
  return Buffer.from(h.length % 2 ? "0" + h : h, "hex");
};
const big = (buf) => BigInt("0x" + (buf.toString("hex") || "0"));
function modPow(b, e, m) {
  let r = 1n;
  b %= m;
  for (; e > 0n; e >>= 1n, b = (b * b) % m) if (e & 1n) r = (r * b) % m;
  return r;
}

test("native: bases OpenSSL refuses (0, 1, N − 1) fall back to the wasm engine with the same claim", () => {
  // B chosen so that B − k·g^x ≡ c (mod N): x and k computed here from
  // their definitions (RFC 5054 §2.5.3, §2.6 with Cognito's padding).
  const pool = "Pool1";
  const userPoolId = `eu-west-1_${pool}`;
  const user = "edge-user";
  const password = "Edge password 1!";
  const salt = randomBytes(16).toString("hex");
  const x = big(sha(pad(Buffer.from(salt, "hex")), sha(Buffer.from(`${pool}${user}:${password}`))));
  const k = big(sha(pad(bytes(N)), Buffer.from([2])));
  const kv = (k * modPow(2n, x, N)) % N;
  const a = randomBytes(128).toString("hex");
  for (const [name, c] of [["0", 0n], ["1", 1n], ["N - 1", N - 1n], ["2", 2n]]) {
    const B = (kv + c) % N;
    if (B === 0n) continue; // rejected as InvalidSrpB before any power
    const cp = { SALT: salt, SRP_B: hex(B), SECRET_BLOCK: randomBytes(64).toString("base64"), USER_ID_FOR_SRP: user };
    const { native, wasm } = both(() =>
      srp.answerPasswordVerifier({
        ephemeral: ephemeralFromSecretHex(a),
        userPoolId,
        password,
        challengeParameters: cp,
        now: 1_763_780_000_000,
      }),
    );
    assert.deepEqual(native, wasm, `base ${name}`);
  }
});

test("native: random challenges and fresh ephemerals agree with the wasm engine", () => {
  for (let i = 0; i < 20; i++) {
    const a = randomBytes(1 + (i % 4 === 0 ? 31 : 127)).toString("hex");
    const v = { a, userPoolId: "us-east-1_Rand0m", password: randomBytes(12).toString("base64"), unixSeconds: 1_700_000_000 + i };
    const cp = {
      SALT: (i % 3 === 0 ? "-" : "") + randomBytes(16).toString("hex"),
      SRP_B: hex(big(randomBytes(384)) % N),
      SECRET_BLOCK: randomBytes(100).toString("base64"),
      USER_ID_FOR_SRP: `user-${i}`,
    };
    const { native, wasm } = both(() => ({ A: ephemeralFromSecretHex(a).publicA, r: answer(v, cp) }));
    assert.equal(native.A, hex(modPow(2n, big(Buffer.from(a, "hex")), N)), "A = g^a (BigInt)");
    assert.deepEqual(native, wasm, `case ${i}`);
  }
  // A fresh native ephemeral is g^a for its own a: it signs in like any
  // other (its claim is checked against the wasm engine via the same a
  // only through the vectors); here: valid hex below N, and distinct.
  const e1 = srp.createEphemeral().publicA;
  const e2 = srp.createEphemeral().publicA;
  assert.notEqual(e1, e2);
  assert.ok(BigInt("0x" + e1) < N && BigInt("0x" + e1) > 1n);
});

test("native: the same errors as the wasm engine, and single use", () => {
  const cp = { SALT: "ab", SRP_B: hex(N), SECRET_BLOCK: "AAEC", USER_ID_FOR_SRP: "u" };
  const run = (over) => {
    try {
      srp.answerPasswordVerifier({ ephemeral: srp.createEphemeral(), userPoolId: "us-east-1_P", password: "pw", challengeParameters: { ...cp, ...over } });
      return "ok";
    } catch (e) {
      assert.ok(e instanceof CognitoError, String(e));
      return e.code;
    }
  };
  for (const over of [{}, { SRP_B: "0" }, { SRP_B: "xyz" }, { SALT: "-" }, { SECRET_BLOCK: "not base64!" }, { USER_ID_FOR_SRP: "" }, { SRP_B: "1234" }]) {
    const { native, wasm } = both(() => run(over));
    assert.equal(native, wasm, JSON.stringify(over));
  }
  const { native } = both(() => run({ SRP_B: "0" }));
  assert.equal(native, "InvalidSrpB");
  const eph = srp.createEphemeral();
  const args = { ephemeral: eph, userPoolId: "us-east-1_P", password: "pw", challengeParameters: { ...cp, SRP_B: "1234" } };
  srp.answerPasswordVerifier(args);
  assert.throws(() => srp.answerPasswordVerifier(args), (e) => e.code === "EphemeralAlreadyUsed");
});
