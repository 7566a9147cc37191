#!/usr/bin/env node
// Known-answer vectors for Cognito's SRP client, produced by implementations
// no one on this project wrote:
//   - srp, timestamps, device: amazon-cognito-identity-js (the official client),
//     driven end to end through CognitoUser.authenticateUser (USER_SRP_AUTH)
//     against an in-process stand-in for the Cognito service that answers
//     InitiateAuth with a PASSWORD_VERIFIER challenge and records what the
//     client sends back (RespondToAuthChallenge, ConfirmDevice).
//   - secretHash: pycognito's AWSSRP.get_secret_hash (Python), run from the
//     project's .tools/venv (scripts/setup.sh installs it).
//   - a sample of the srp cases is re-computed with pycognito's own SRP code
//     as a second independent source; the result is recorded in "crossCheck".
//
// Usage: node tests/vectors/generate.mjs          rewrites tests/vectors/srp.json
//        node tests/vectors/generate.mjs --check  regenerates in memory and fails
//                                                 (exit 1) if the file differs
//        ... [--file PATH]                        another file than srp.json
// Inputs come from a seeded PRNG, the client's secret `a` and its clock are
// fixed, so the output is deterministic.

import { createRequire } from "node:module";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { fileURLToPath } from "node:url";
import path from "node:path";

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
// `--file PATH` writes or checks another file (to try the check itself).
const fileArg = process.argv.indexOf("--file");
const outFile = fileArg > 0 ? path.resolve(process.argv[fileArg + 1]) : path.join(here, "srp.json");
const pyHelper = path.join(here, "pycognito_vectors.py");

const cognito = require("amazon-cognito-identity-js");
const BigInteger = require("amazon-cognito-identity-js/lib/BigInteger").default;
const cognitoVersion = require("amazon-cognito-identity-js/package.json").version;
const { AuthenticationHelper, AuthenticationDetails, CognitoUser, CognitoUserPool, DateHelper } =
  cognito;

// ---------------------------------------------------------------------------
// Deterministic input generation (SHA-256 in counter mode over a seed).

class Prng {
  constructor(seed) {
    this.seed = seed;
    this.counter = 0;
    this.buf = Buffer.alloc(0);
  }
  bytes(n) {
    while (this.buf.length < n) {
      const block = createHash("sha256").update(`${this.seed}/${this.counter++}`).digest();
      this.buf = Buffer.concat([this.buf, block]);
    }
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return Buffer.from(out);
  }
  int(n) {
    // uniform in [0, n) for n < 2^32 (rejection sampling)
    const limit = Math.floor(0x100000000 / n) * n;
    for (;;) {
      const v = this.bytes(4).readUInt32BE(0);
      if (v < limit) return v % n;
    }
  }
  pick(list) {
    return list[this.int(list.length)];
  }
  string(alphabet, min, max) {
    const chars = Array.from(alphabet);
    const len = min + this.int(max - min + 1);
    let s = "";
    for (let i = 0; i < len; i++) s += chars[this.int(chars.length)];
    return s;
  }
}

const N = BigInt(
  "0x" +
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);
const hexOf = (big) => big.toString(16);
const bigOf = (buf) => BigInt("0x" + (buf.length ? buf.toString("hex") : "0"));

// Native-BigInt SRP pieces, used only to *search for inputs* that hit an edge
// (e.g. a u or S with a leading zero byte); every recorded answer comes from
// the official client.
function modPow(base, exp, m) {
  let r = 1n;
  base = ((base % m) + m) % m;
  while (exp > 0n) {
    if (exp & 1n) r = (r * base) % m;
    base = (base * base) % m;
    exp >>= 1n;
  }
  return r;
}
const padBytes = (big) => {
  let h = hexOf(big);
  if (h.length % 2) h = "0" + h;
  if (/^[89a-f]/.test(h)) h = "00" + h;
  return Buffer.from(h, "hex");
};
const sha = (...parts) => createHash("sha256").update(Buffer.concat(parts)).digest();
const K = bigOf(sha(padBytes(N), padBytes(2n)));
const powCache = new Map(); // a -> g^a, x -> g^x
function srpIntermediates(c) {
  const a = BigInt("0x" + c.a);
  if (!powCache.has(c.a)) powCache.set(c.a, modPow(2n, a, N));
  const B = BigInt("0x" + c.srpB);
  const uBytes = sha(padBytes(powCache.get(c.a)), padBytes(B));
  return {
    uBytes,
    get S() {
      const u = bigOf(uBytes);
      const poolName = c.userPoolId.split("_")[1];
      const inner = sha(Buffer.from(`${poolName}${c.userIdForSrp}:${c.password}`, "utf8"));
      const x = bigOf(sha(padBytes(BigInt("0x" + c.salt)), inner));
      const key = `x:${x}`;
      if (!powCache.has(key)) powCache.set(key, modPow(2n, x, N));
      return modPow(B - K * powCache.get(key), a + u * x, N);
    },
  };
}
/** Varies SRP_B (deterministically) until `accept(intermediates)` holds. */
function searchB(rng, c, accept) {
  for (let i = 0; i < 20000; i++) {
    const srpB = hexOf(bigOf(rng.bytes(384)) % N);
    if (accept(srpIntermediates({ ...c, srpB }))) return { ...c, srpB };
  }
  throw new Error(`${c.name}: no SRP_B found`);
}

const REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2", "sa-east-1", "ca-central-1", "me-south-1"];
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const USER_CHARS = ALNUM + "._-+@";
const PW_CHARS = ALNUM + "!@#$%^&*()_+-=[]{}|;:',.<>/?`~ \"\\";
const UNICODE_BITS = ["é", "ß", "Ω", "ж", "中", "文", "ñ", "ø", "😀", "🔐", "e\u0301", "\u00e9", "ا", "ह", "👩‍💻", "\u200d", "𝔘"];

function poolId(rng) {
  return `${rng.pick(REGIONS)}_${rng.string(ALNUM, 9, 9)}`;
}

function uuidish(rng) {
  const h = rng.bytes(16).toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

// ---------------------------------------------------------------------------
// The official client, with its secret `a`, its clock and (for devices) its
// random source fixed.

const RealDate = globalThis.Date;
function withClock(unixSeconds, fn) {
  const ms = unixSeconds * 1000;
  class FixedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(ms);
      else super(...args);
    }
    static now() {
      return ms;
    }
  }
  globalThis.Date = FixedDate;
  try {
    return fn();
  } finally {
    globalThis.Date = RealDate;
  }
}

// `a` comes from AuthenticationHelper.generateRandomSmallA (128 random bytes);
// the next helper constructed takes the queued value instead.
const aQueue = [];
AuthenticationHelper.prototype.generateRandomSmallA = function () {
  if (aQueue.length === 0) throw new Error("generate.mjs: no fixed `a` queued");
  return new BigInteger(aQueue.shift(), 16);
};

// The library draws device passwords and salts 4 bytes at a time through
// crypto.getRandomValues(new Uint32Array(1)); serve queued bytes there.
const randomQueue = [];
const webcrypto = globalThis.crypto;
const realGetRandomValues = webcrypto.getRandomValues.bind(webcrypto);
webcrypto.getRandomValues = (arr) => {
  if (randomQueue.length === 0) return realGetRandomValues(arr);
  if (!(arr instanceof Uint32Array) || arr.length !== 1) {
    throw new Error("generate.mjs: unexpected getRandomValues call shape");
  }
  const b = randomQueue.splice(0, 4);
  if (b.length !== 4) throw new Error("generate.mjs: random queue not a multiple of 4 bytes");
  arr[0] = ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
  return arr;
};

function memoryStorage() {
  const m = new Map();
  return {
    setItem: (k, v) => m.set(k, String(v)),
    getItem: (k) => (m.has(k) ? m.get(k) : null),
    removeItem: (k) => m.delete(k),
    clear: () => m.clear(),
  };
}

function fakeJwt(payload) {
  const b64url = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${b64url({ alg: "none", kid: "vectors" })}.${b64url(payload)}.c2ln`;
}

/**
 * One USER_SRP_AUTH sign-in with the official client against an in-process
 * service. Returns what the client sent. With `device`, the service then
 * completes the sign-in with NewDeviceMetadata, so the client runs
 * generateHashDevice and ConfirmDevice, whose request is captured too.
 */
function officialSignIn(c, device) {
  const storage = memoryStorage();
  const pool = new CognitoUserPool({ UserPoolId: c.userPoolId, ClientId: "vectorsclient0000000000000", Storage: storage });
  const sent = {};
  pool.client = {
    request(op, params, cb) {
      sent[op] = JSON.parse(JSON.stringify(params));
      if (op === "InitiateAuth") {
        return cb(null, {
          ChallengeName: "PASSWORD_VERIFIER",
          ChallengeParameters: {
            SALT: c.salt,
            SRP_B: c.srpB,
            SECRET_BLOCK: c.secretBlock,
            USER_ID_FOR_SRP: c.userIdForSrp,
            USERNAME: c.userIdForSrp,
          },
          Session: "session-1",
        });
      }
      if (op === "RespondToAuthChallenge" && device) {
        const now = c.unixSeconds;
        const claims = { sub: "00000000-0000-4000-8000-000000000000", iat: now, exp: now + 3600, username: c.userIdForSrp };
        return cb(null, {
          AuthenticationResult: {
            IdToken: fakeJwt({ ...claims, token_use: "id" }),
            AccessToken: fakeJwt({ ...claims, token_use: "access" }),
            RefreshToken: "refresh-token",
            ExpiresIn: 3600,
            TokenType: "Bearer",
            NewDeviceMetadata: { DeviceGroupKey: device.deviceGroupKey, DeviceKey: device.deviceKey },
          },
        });
      }
      if (op === "ConfirmDevice") return cb(null, { UserConfirmationNecessary: false });
      return cb({ code: "NotAuthorizedException", name: "NotAuthorizedException", message: "vectors: stop here" });
    },
  };
  const user = new CognitoUser({ Username: c.username, Pool: pool, Storage: storage });
  user.setAuthenticationFlowType("USER_SRP_AUTH");
  let outcome = null;
  aQueue.push(c.a);
  withClock(c.unixSeconds, () => {
    user.authenticateUser(new AuthenticationDetails({ Username: c.username, Password: c.password }), {
      onSuccess: () => (outcome = "success"),
      onFailure: (e) => (outcome = e),
    });
  });
  if (aQueue.length) throw new Error(`${c.name}: the client did not draw its secret a`);
  if (device ? outcome !== "success" : outcome?.code !== "NotAuthorizedException") {
    throw new Error(`${c.name}: unexpected outcome ${outcome && (outcome.stack || outcome.message || outcome)}`);
  }
  return { sent, user };
}

function srpCase(c) {
  const { sent } = officialSignIn(c);
  const init = sent.InitiateAuth;
  const resp = sent.RespondToAuthChallenge;
  if (init.AuthFlow !== "USER_SRP_AUTH" || init.AuthParameters.USERNAME !== c.username) {
    throw new Error(`${c.name}: unexpected InitiateAuth ${JSON.stringify(init)}`);
  }
  const r = resp.ChallengeResponses;
  if (resp.ChallengeName !== "PASSWORD_VERIFIER" || r.USERNAME !== c.userIdForSrp || r.PASSWORD_CLAIM_SECRET_BLOCK !== c.secretBlock) {
    throw new Error(`${c.name}: unexpected RespondToAuthChallenge ${JSON.stringify(resp)}`);
  }
  return {
    name: c.name,
    userPoolId: c.userPoolId,
    username: c.username,
    password: c.password,
    a: c.a,
    srpA: init.AuthParameters.SRP_A,
    salt: c.salt,
    srpB: c.srpB,
    secretBlock: c.secretBlock,
    userIdForSrp: c.userIdForSrp,
    unixSeconds: c.unixSeconds,
    timestamp: r.TIMESTAMP,
    signature: r.PASSWORD_CLAIM_SIGNATURE,
  };
}

/** The inputs of one device case: a sign-in that ends in ConfirmDevice. */
function deviceJob(rng, d) {
  // 40 bytes for the device password (generateRandomString), then 16 for the salt.
  const pwBytes = rng.bytes(40).toString("hex");
  const c = {
    name: `device-signin-${d.deviceKey}`,
    userPoolId: d.userPoolId,
    username: "device-user",
    password: "Passw0rd!",
    a: rng.bytes(128).toString("hex"),
    salt: rng.bytes(16).toString("hex"),
    srpB: hexOf(bigOf(rng.bytes(384)) % N),
    secretBlock: rng.bytes(48).toString("base64"),
    userIdForSrp: "device-user",
    unixSeconds: 1_750_000_000,
  };
  return { c, d, pwBytes };
}

function deviceCase({ c, d, pwBytes: pwHex }) {
  const pwBytes = Buffer.from(pwHex, "hex");
  randomQueue.push(...pwBytes, ...d.salt);
  const { sent, user } = officialSignIn(c, d);
  if (randomQueue.length) throw new Error(`${c.name}: ${randomQueue.length} queued random bytes unused`);
  const conf = sent.ConfirmDevice;
  if (!conf || conf.DeviceKey !== d.deviceKey) throw new Error(`${c.name}: no ConfirmDevice sent`);
  if (user.randomPassword !== pwBytes.toString("base64")) {
    throw new Error(`${c.name}: device password was not drawn from the fixed random bytes`);
  }
  return {
    deviceGroupKey: d.deviceGroupKey,
    deviceKey: d.deviceKey,
    password: user.randomPassword,
    saltHex: Buffer.from(d.salt).toString("hex"),
    saltB64: conf.DeviceSecretVerifierConfig.Salt,
    verifierB64: conf.DeviceSecretVerifierConfig.PasswordVerifier,
  };
}

// ---------------------------------------------------------------------------
// The cases.

// Seconds for every weekday, every month, single-digit days, midnights,
// year ends and leap days (all UTC).
const EDGE_TIMES = [
  ["epoch", Date.UTC(1970, 0, 1, 0, 0, 0)],
  ["pre-epoch", Date.UTC(1969, 11, 31, 23, 59, 59)],
  ["y2k-eve", Date.UTC(1999, 11, 31, 23, 59, 59)],
  ["y2k", Date.UTC(2000, 0, 1, 0, 0, 0)],
  ["leap-2000", Date.UTC(2000, 1, 29, 12, 0, 0)],
  ["leap-2024-end", Date.UTC(2024, 1, 29, 23, 59, 59)],
  ["after-leap-2024", Date.UTC(2024, 2, 1, 0, 0, 0)],
  ["not-leap-2100", Date.UTC(2100, 2, 1, 0, 0, 1)],
  ["leap-2028", Date.UTC(2028, 1, 29, 0, 0, 0)],
  ["y2038", Date.UTC(2038, 0, 19, 3, 14, 8)],
  ["year-end-2025", Date.UTC(2025, 11, 31, 23, 59, 59)],
  ["new-year-2026", Date.UTC(2026, 0, 1, 0, 0, 0)],
  ["midnight", Date.UTC(2026, 5, 15, 0, 0, 0)],
  ["before-midnight", Date.UTC(2026, 5, 14, 23, 59, 59)],
  ["noon", Date.UTC(2026, 5, 15, 12, 0, 0)],
  ["single-digit-all", Date.UTC(2026, 2, 3, 9, 5, 7)],
  ["day-10", Date.UTC(2026, 9, 10, 10, 10, 10)],
  ["year-9999", Date.UTC(9999, 11, 31, 23, 59, 59)],
].map(([name, ms]) => [name, ms / 1000]);
// One day in each month (single-digit days 1..9 among them) and each weekday.
for (let m = 0; m < 12; m++) EDGE_TIMES.push([`month-${m + 1}`, Date.UTC(2026, m, 1 + (m % 9), m, 2 * m, 59 - m) / 1000]);
for (let d = 0; d < 7; d++) EDGE_TIMES.push([`weekday-${d}`, Date.UTC(2027, 1, 1 + d, 23 - d, 30, d) / 1000]);

function randomCase(rng, i) {
  const unicodeUser = i % 7 === 3;
  const unicodePw = i % 5 === 2;
  const alias = i % 6 === 1;
  let username = rng.string(USER_CHARS, 1, 40);
  if (unicodeUser) username += rng.pick(UNICODE_BITS) + rng.string(ALNUM, 0, 6);
  let password = rng.string(PW_CHARS, 8, 64);
  if (unicodePw) password = rng.pick(UNICODE_BITS) + password + rng.pick(UNICODE_BITS);
  const userIdForSrp = alias ? uuidish(rng) : username;
  // Salts: Cognito's are 16 random bytes in hex; vary the length a little.
  const salt = rng.bytes(8 + rng.int(25)).toString("hex").replace(/^0+(?=.)/, "");
  // B uniform in [1, N); Cognito's hex has no leading zeros, sometimes keep them.
  const bBytes = rng.bytes(384);
  let srpB = hexOf(bigOf(bBytes) % N);
  if (i % 9 === 4) srpB = srpB.padStart(768, "0");
  return {
    name: `random-${String(i).padStart(3, "0")}`,
    userPoolId: poolId(rng),
    username,
    password,
    a: rng.bytes(128).toString("hex"),
    salt,
    srpB,
    secretBlock: rng.bytes(16 + rng.int(160)).toString("base64"),
    userIdForSrp,
    unixSeconds: 1_420_070_400 + rng.int(800_000_000), // 2015 .. 2040
  };
}

function edgeCases(rng) {
  const base = (name, over) => {
    const c = randomCase(rng, 0);
    return { ...c, username: "edge-user", userIdForSrp: "edge-user", password: "Edge-Passw0rd!", ...over, name: `edge-${name}` };
  };
  const hex = (n) => rng.bytes(n).toString("hex");
  const withFirst = (first, n) => first + hex(n).slice(first.length);
  const bTop = (() => {
    for (;;) {
      const v = bigOf(rng.bytes(384)) % N;
      if (v >> 3071n === 1n) return hexOf(v);
    }
  })();
  const bShortOdd = hexOf(bigOf(rng.bytes(383)) >> 4n | 1n); // 3060 bits: odd hex length
  const cases = [
    // Salts: leading zero byte(s), top bit set, odd length, tiny.
    base("salt-leading-zero-byte", { salt: "00" + withFirst("3", 15) }),
    base("salt-two-leading-zero-bytes", { salt: "0000" + withFirst("5", 14) }),
    base("salt-top-bit-set", { salt: withFirst("f", 16) }),
    base("salt-top-bit-set-0x80", { salt: withFirst("80", 16) }),
    base("salt-leading-zero-then-top-bit", { salt: "00" + withFirst("9", 15) }),
    base("salt-odd-length", { salt: withFirst("a", 16).slice(1) }),
    base("salt-odd-length-low", { salt: withFirst("7", 16).slice(1) }),
    base("salt-one-byte", { salt: "01" }),
    base("salt-one-digit", { salt: "7" }),
    base("salt-uppercase", { salt: withFirst("c", 16).toUpperCase() }),
    // Negative salts: Cognito has been seen sending SALT as a negative hex
    // number (e.g. for an unverified alias); the official client parses the
    // sign and hashes the minimal two's-complement bytes.
    base("salt-negative", { salt: "-" + withFirst("3", 16) }),
    base("salt-negative-top-bit-set", { salt: "-" + withFirst("9", 16) }),
    base("salt-negative-0x80", { salt: "-80" + "00".repeat(15) }),
    base("salt-negative-0x80-plus-1", { salt: "-80" + "00".repeat(14) + "01" }),
    base("salt-negative-0x0100", { salt: "-0100" }),
    base("salt-negative-odd-length", { salt: "-" + withFirst("a", 16).slice(1) }),
    base("salt-negative-leading-zeros", { salt: "-00" + withFirst("7", 15) }),
    base("salt-negative-one", { salt: "-1" }),
    // B: leading zero byte, top bit set, odd length, mixed case, B >= N.
    base("b-leading-zero-byte", { srpB: "00" + bTop }),
    base("b-top-bit-set", { srpB: bTop }),
    base("b-odd-length", { srpB: bShortOdd }),
    base("b-odd-length-zero-padded", { srpB: "0" + bShortOdd }),
    base("b-uppercase", { srpB: bTop.toUpperCase() }),
    base("b-small", { srpB: "2" }),
    base("b-one", { srpB: "1" }),
    base("b-n-minus-1", { srpB: hexOf(N - 1n) }),
    base("b-n-plus-1", { srpB: hexOf(N + 1n) }),
    base("b-greater-than-n", { srpB: hexOf(N + bigOf(rng.bytes(300))) }),
    // B - k·g^x: negative whenever B < k·g^x (almost always: k is 256 bits);
    // positive only for a B larger than k·N.
    base("b-minus-kv-negative", { srpB: hexOf(bigOf(rng.bytes(40))) }),
    base("b-minus-kv-positive", { srpB: hexOf((N << 300n) + bigOf(rng.bytes(200))) }),
    // u = H(A|B) and S with a leading zero byte (stripped before hashing,
    // so the HKDF salt / key material is shorter) or with the top bit set.
    searchB(rng, base("u-leading-zero-byte", { a: hex(32) }), (t) => t.uBytes[0] === 0),
    searchB(rng, base("u-top-bit-set", { a: hex(32) }), (t) => t.uBytes[0] >= 0x80),
    searchB(rng, base("u-leading-zero-then-top-bit", { a: hex(32) }), (t) => t.uBytes[0] === 0 && t.uBytes[1] >= 0x80),
    searchB(rng, base("s-leading-zero-byte", { a: hex(32) }), (t) => t.S < 1n << 3064n),
    searchB(rng, base("s-leading-zero-byte-then-top-bit", { a: hex(32) }), (t) => t.S < 1n << 3064n && t.S >= 1n << 3063n),
    searchB(rng, base("s-top-bit-set", { a: hex(32) }), (t) => t.S >= 1n << 3071n),
    // a: tiny, one byte with the top bit set, 256-bit, equal to / above N.
    base("a-one", { a: "1" }),
    base("a-two", { a: "2" }),
    base("a-0x80", { a: "80" }),
    base("a-small-odd-hex", { a: "abc" }),
    base("a-32-bytes", { a: hex(32) }),
    base("a-leading-zeros", { a: "0000" + hex(126) }),
    base("a-top-bit-set", { a: withFirst("ff", 128) }),
    base("a-equals-n", { a: hexOf(N) }),
    base("a-n-plus-1", { a: hexOf(N + 1n) }),
    base("a-above-n", { a: hexOf(N + bigOf(rng.bytes(128))) }),
    base("a-twice-n", { a: hexOf(2n * N + 12345n) }),
    base("a-400-bytes", { a: hex(400) }),
    // Unicode usernames and passwords (multi-byte, emoji, combining, ZWJ).
    base("unicode-username-latin", { username: "jöhn.dœ", userIdForSrp: "jöhn.dœ" }),
    base("unicode-username-cjk", { username: "用户名", userIdForSrp: "用户名" }),
    base("unicode-username-emoji", { username: "👩‍💻dev🔐", userIdForSrp: "👩‍💻dev🔐" }),
    base("unicode-username-combining", { username: "e\u0301le\u0300ve", userIdForSrp: "e\u0301le\u0300ve" }),
    base("unicode-username-nfc", { username: "\u00e9l\u00e8ve", userIdForSrp: "\u00e9l\u00e8ve" }),
    base("unicode-username-astral", { username: "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", userIdForSrp: "𝔘𝔫𝔦𝔠𝔬𝔡𝔢" }),
    base("unicode-password-emoji", { password: "p@ss😀w🔐rd" }),
    base("unicode-password-combining", { password: "Cafe\u0301-Cre\u0300me-1" }),
    base("unicode-password-rtl", { password: "كلمة-السر-١٢٣" }),
    base("unicode-password-devanagari", { password: "पासवर्ड१२३" }),
    base("unicode-both", { username: "Ωmega", userIdForSrp: "Ωmega", password: "Пароль-密码-🔑" }),
    base("password-with-colon", { password: "pass:word:" }),
    base("username-with-colon", { username: "a:b", userIdForSrp: "a:b" }),
    base("password-spaces", { password: "  spaced out  " }),
    base("password-long", { password: rng.string(PW_CHARS, 1000, 1000) }),
    base("password-one-char", { password: "x" }),
    // Alias sign-in: USERNAME is the email, the verifier belongs to the sub.
    base("alias-email", { username: "Alice@Example.com", userIdForSrp: "3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b" }),
    base("alias-phone", { username: "+15555550100", userIdForSrp: "9e8d7c6b-5a49-4382-b716-05f4e3d2c1b0" }),
    base("alias-unicode", { username: "ünïcødé@example.com", userIdForSrp: "c0ffee00-1234-4abc-8def-0123456789ab" }),
    base("alias-case-differs", { username: "ALICE", userIdForSrp: "alice" }),
    // Secret blocks: empty, large (real ones are ~1-2 KB), with + and /.
    base("secret-block-empty", { secretBlock: "" }),
    base("secret-block-large", { secretBlock: rng.bytes(1536).toString("base64") }),
    base("secret-block-one-byte", { secretBlock: "/w==" }),
    base("secret-block-plus-slash", { secretBlock: Buffer.from([0xfb, 0xff, 0xbf, 0xfe]).toString("base64") }),
    // Pool ids.
    base("pool-short-name", { userPoolId: "eu-west-2_x" }),
    base("pool-gov-region", { userPoolId: "us-gov-west-1_AbCdEf123" }),
  ];
  for (const [name, secs] of EDGE_TIMES) cases.push(base(`time-${name}`, { unixSeconds: secs }));
  return cases;
}

function deviceInputs(rng) {
  const out = [];
  const salts = [
    ["random", null],
    ["random", null],
    ["random", null],
    ["leading-zero-byte", [0x00]],
    ["two-leading-zero-bytes", [0x00, 0x00]],
    ["top-bit-set", [0x80]],
    ["top-bit-set-ff", [0xff]],
    ["leading-zero-then-top-bit", [0x00, 0x9a]],
    ["low-nibble-first", [0x0a]],
    ["all-zero", new Array(16).fill(0)],
  ];
  for (let i = 0; i < 24; i++) {
    const [, prefix] = salts[i % salts.length];
    const salt = [...rng.bytes(16)];
    if (prefix) prefix.forEach((b, j) => (salt[j] = b));
    const region = rng.pick(REGIONS);
    out.push({
      userPoolId: `${region}_${rng.string(ALNUM, 9, 9)}`,
      deviceGroupKey: `-${rng.string(ALNUM, 8, 9)}`,
      deviceKey: `${region}_${uuidish(rng)}`,
      salt,
    });
  }
  return out;
}

function timestampCases(rng) {
  const out = [];
  const push = (secs) => out.push({ unixSeconds: secs, timestamp: withClock(secs, () => new DateHelper().getNowString()) });
  for (const [, secs] of EDGE_TIMES) push(secs);
  // Every day of a leap year and of a common year, at a varying time of day.
  for (const year of [2024, 2026]) {
    const start = Date.UTC(year, 0, 1) / 1000;
    const days = year === 2024 ? 366 : 365;
    for (let d = 0; d < days; d++) push(start + d * 86400 + ((d * 3607) % 86400));
  }
  for (let i = 0; i < 100; i++) push(rng.int(0x100000000)); // 1970 .. 2106
  return out;
}

function secretHashInputs(rng) {
  const out = [];
  const pick = () => rng.string(ALNUM, 26, 26).toLowerCase();
  for (let i = 0; i < 40; i++) {
    let username = rng.string(USER_CHARS, 1, 40);
    if (i % 4 === 1) username = rng.pick(UNICODE_BITS) + username + rng.pick(UNICODE_BITS);
    out.push({ username, clientId: pick(), clientSecret: rng.string(ALNUM, 51, 51).toLowerCase() });
  }
  out.push({ username: "alice", clientId: "1example23456789", clientSecret: "x" });
  out.push({ username: "用户名", clientId: "3ho4ek12345example", clientSecret: rng.string(ALNUM, 51, 51) });
  out.push({ username: "👩‍💻", clientId: "3ho4ek12345example", clientSecret: rng.string(ALNUM, 128, 128) });
  out.push({ username: "a", clientId: "b", clientSecret: rng.string(ALNUM, 100, 100) });
  return out;
}

// ---------------------------------------------------------------------------
// pycognito (Python) for SECRET_HASH and the SRP cross-check.

function findPython() {
  const venv = path.join(root, ".tools", "venv", "bin", "python");
  for (const py of [process.env.PYCOGNITO_PYTHON, venv, "python3"]) {
    if (!py || (py.includes(path.sep) && !existsSync(py))) continue;
    const r = spawnSync(py, ["-c", "import pycognito"], { encoding: "utf8" });
    if (r.status === 0) return py;
  }
  throw new Error("pycognito is not installed: run `bash scripts/setup.sh` (it installs pycognito into .tools/venv)");
}

function runPython(request) {
  const py = findPython();
  const r = spawnSync(py, [pyHelper], { input: JSON.stringify(request), encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`pycognito helper failed:\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

// ---------------------------------------------------------------------------

/**
 * Runs the official client on every job, spread over worker threads (the
 * jsbn arithmetic is slow; each worker has its own patched client).
 */
async function runJobs(jobs) {
  const workers = Math.max(1, Math.min(availableParallelism(), 4, jobs.length));
  const chunks = Array.from({ length: workers }, () => []);
  jobs.forEach((job, i) => chunks[i % workers].push([i, job]));
  const results = new Array(jobs.length);
  await Promise.all(
    chunks.map(
      (chunk) =>
        new Promise((resolve, reject) => {
          const w = new Worker(new URL(import.meta.url), { workerData: chunk });
          w.once("message", (done) => {
            for (const [i, r] of done) results[i] = r;
            resolve();
          });
          w.once("error", reject);
          w.once("exit", (code) => code !== 0 && reject(new Error(`vector worker exited with ${code}`)));
        }),
    ),
  );
  return results;
}

function runJob(job) {
  return job.kind === "srp" ? srpCase(job.input) : deviceCase(job.input);
}

async function generate() {
  const rng = new Prng("cognito-wasm srp vectors v1");
  const inputs = [];
  for (let i = 0; i < 220; i++) inputs.push(randomCase(rng, i));
  inputs.push(...edgeCases(rng));
  const deviceJobs = deviceInputs(rng).map((d) => deviceJob(rng, d));
  const results = await runJobs([
    ...inputs.map((input) => ({ kind: "srp", input })),
    ...deviceJobs.map((input) => ({ kind: "device", input })),
  ]);
  const srp = results.slice(0, inputs.length);
  const device = results.slice(inputs.length);
  const timestamps = timestampCases(rng);
  const shInputs = secretHashInputs(rng);

  // Every 10th case plus all edges go to pycognito as a second, independent
  // check. Known disagreements: pycognito hashes SALT as the hex string it
  // received (its pad_hex keeps leading "00" bytes and fails on a minus sign),
  // while the official client parses it as a signed number first, so the two
  // differ on salts written with leading zero bytes and on negative salts.
  const sample = srp.filter((c, i) => i % 10 === 0 || c.name.startsWith("edge-"));
  const py = runPython({ secretHash: shInputs, srp: sample });
  const secretHash = shInputs.map((s, i) => ({ ...s, secretHash: py.secretHash[i] }));
  const agree = [];
  const disagree = [];
  sample.forEach((c, i) => {
    const p = py.srp[i];
    const ok = !p.error && p.signature === c.signature && p.timestamp === c.timestamp && BigInt("0x" + p.srpA) === BigInt("0x" + c.srpA);
    (ok ? agree : disagree).push(p.error ? `${c.name} (pycognito: ${p.error})` : c.name);
  });

  return {
    source:
      `srp, timestamps, device: amazon-cognito-identity-js ${cognitoVersion} (CognitoUser.authenticateUser, USER_SRP_AUTH, ` +
      `fixed a and clock, in-process service; device: generateHashDevice + ConfirmDevice with fixed random bytes); ` +
      `secretHash: pycognito ${py.version} AWSSRP.get_secret_hash. Regenerate/check: node tests/vectors/generate.mjs [--check]`,
    crossCheck: {
      implementation: `pycognito ${py.version} AWSSRP (process_challenge with fixed small_a_value and clock)`,
      agree: agree.length,
      disagree,
    },
    srp,
    timestamps,
    secretHash,
    device,
  };
}

// One entry per line: small diffs, readable file.
function serialize(data) {
  const lines = ["{"];
  const keys = Object.keys(data);
  keys.forEach((k, ki) => {
    const v = data[k];
    const comma = ki < keys.length - 1 ? "," : "";
    if (Array.isArray(v)) {
      lines.push(`  ${JSON.stringify(k)}: [`);
      v.forEach((item, i) => lines.push(`    ${JSON.stringify(item)}${i < v.length - 1 ? "," : ""}`));
      lines.push(`  ]${comma}`);
    } else {
      lines.push(`  ${JSON.stringify(k)}: ${JSON.stringify(v)}${comma}`);
    }
  });
  lines.push("}");
  return lines.join("\n") + "\n";
}

function diffSummary(oldText, newText) {
  let oldData;
  try {
    oldData = JSON.parse(oldText);
  } catch (e) {
    return [`committed file is not JSON: ${e.message}`];
  }
  const newData = JSON.parse(newText);
  const out = [];
  for (const k of new Set([...Object.keys(oldData), ...Object.keys(newData)])) {
    const a = oldData[k];
    const b = newData[k];
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    if (!Array.isArray(a) || !Array.isArray(b)) {
      out.push(`${k}: differs`);
      continue;
    }
    if (a.length !== b.length) out.push(`${k}: ${a.length} entries committed, ${b.length} regenerated`);
    let shown = 0;
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (JSON.stringify(a[i]) === JSON.stringify(b[i])) continue;
      const fields = Object.keys({ ...a[i], ...b[i] }).filter((f) => JSON.stringify(a[i][f]) !== JSON.stringify(b[i][f]));
      if (shown++ < 10) out.push(`${k}[${i}]${b[i].name ? ` (${b[i].name})` : ""}: ${fields.join(", ")} differ`);
    }
    if (shown > 10) out.push(`${k}: ... ${shown - 10} more entries differ`);
  }
  return out;
}

if (!isMainThread) {
  parentPort.postMessage(workerData.map(([i, job]) => [i, runJob(job)]));
} else {
  await main();
}

async function main() {
  const check = process.argv.includes("--check");
  const text = serialize(await generate());
  if (check) {
    const committed = existsSync(outFile) ? readFileSync(outFile, "utf8") : "";
    if (committed === text) {
      console.log(`vectors: ${path.relative(root, outFile)} matches the official client's output`);
    } else {
      console.error(`vectors: ${path.relative(root, outFile)} differs from a fresh generation:`);
      for (const line of committed ? diffSummary(committed, text) : ["file missing"]) console.error(`  ${line}`);
      process.exit(1);
    }
  } else {
    writeFileSync(outFile, text);
    const d = JSON.parse(text);
    console.log(
      `vectors: wrote ${path.relative(root, outFile)} (${text.length} bytes): ${d.srp.length} srp, ${d.timestamps.length} timestamps, ` +
        `${d.secretHash.length} secretHash, ${d.device.length} device; pycognito agrees on ${d.crossCheck.agree}, disagrees on ${d.crossCheck.disagree.length}`,
    );
    if (d.crossCheck.disagree.length) console.log(`  pycognito disagrees: ${d.crossCheck.disagree.join("; ")}`);
  }
}
