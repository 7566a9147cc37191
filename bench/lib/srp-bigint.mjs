// A plain JavaScript BigInt implementation of Cognito's client SRP (RFC 5054
// 3072-bit group, g = 2), the kind any competitor can write in a few lines:
// the speed bar for the wasm engine (issue 4). Hashes from node:crypto.
// Variable-time (BigInt is): a speed reference, not something to ship.
import { createHash, createHmac, hkdfSync, randomBytes } from "node:crypto";

export const N = BigInt(
  "0xFFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);
const g = 2n;

// Cognito's padHex: minimal two's-complement big-endian (a leading 00 when
// the top bit is set).
function padHex(n) {
  let h = n.toString(16);
  if (h.length % 2) h = "0" + h;
  else if ("89abcdef".includes(h[0])) h = "00" + h;
  return h;
}
const sha256 = (...parts) => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest();
};
const hexToBig = (buf) => BigInt("0x" + (Buffer.from(buf).toString("hex") || "0"));

// Fixed 4-bit window, left to right.
export function modPow(base, exp, m) {
  const table = [1n, base % m];
  for (let i = 2; i < 16; i++) table.push((table[i - 1] * table[1]) % m);
  const hex = exp.toString(16);
  let r = 1n;
  for (const c of hex) {
    r = (r * r) % m;
    r = (r * r) % m;
    r = (r * r) % m;
    r = (r * r) % m;
    r = (r * table[parseInt(c, 16)]) % m;
  }
  return r;
}

const k = hexToBig(sha256(Buffer.from(padHex(N) + padHex(g), "hex")));

/** a and A = g^a mod N: the part that can run before the challenge. */
export function bigintPrepare(aHex = randomBytes(128).toString("hex")) {
  const a = BigInt("0x" + aHex);
  return { a, A: modPow(g, a, N) };
}

/** Session key and PASSWORD_CLAIM_SIGNATURE for a prepared (a, A). */
export function bigintAnswer({ a, A }, { userPoolId, password, challenge, timestamp = "Sat Nov 22 04:00:00 UTC 2025" }) {
  const pool = userPoolId.split("_")[1];
  const B = BigInt("0x" + challenge.srpB);
  const u = hexToBig(sha256(Buffer.from(padHex(A) + padHex(B), "hex")));
  const inner = sha256(`${pool}${challenge.userId}:${password}`);
  const x = hexToBig(sha256(Buffer.from(padHex(BigInt("0x" + challenge.salt)), "hex"), inner));
  const base = (((B - k * modPow(g, x, N)) % N) + N) % N;
  const S = modPow(base, a + u * x, N);
  const key = Buffer.from(hkdfSync("sha256", Buffer.from(padHex(S), "hex"), Buffer.from(padHex(u), "hex"), "Caldera Derived Key", 16));
  const signature = createHmac("sha256", key)
    .update(pool)
    .update(challenge.userId)
    .update(Buffer.from(challenge.secretBlock, "base64"))
    .update(timestamp)
    .digest("base64");
  return { A, signature };
}

/** A full login: prepare, then answer. */
export function bigintLogin({ aHex, ...rest }) {
  return bigintAnswer(bigintPrepare(aHex), rest);
}
