// A plain JavaScript BigInt implementation of Cognito's client SRP (RFC 5054
// 3072-bit group, g = 2), the kind any competitor can write in a few lines:
// the speed bar for the wasm engine (issue 4). Hashes from node:crypto.
// Variable-time (BigInt is): a speed reference, not something to ship.
import { createHash, createHmac, hkdfSync, randomBytes } from "node:crypto";
import { N, g, modPow } from "./bigint-modpow.mjs";

export { N };

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
