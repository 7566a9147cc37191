// The big-number work of one client SRP login through OpenSSL, reached from
// Node's `node:crypto` DiffieHellman with the RFC 5054 3072-bit prime: the
// native speed bar for issue 4's "native path" item. g^e is generateKeys()
// with the private key set to e; base^e is computeSecret(base). Hashes left
// out. Checked against plain BigInt before it is timed.
import { createDiffieHellman } from "node:crypto";
import { N, g, modPow } from "./bigint-modpow.mjs";

const toBuf = (n) => {
  const h = n.toString(16);
  return Buffer.from(h.length % 2 ? "0" + h : h, "hex");
};
const prime = toBuf(N);
const toBig = (buf) => BigInt("0x" + (buf.toString("hex") || "0"));

function powG(e) {
  const dh = createDiffieHellman(prime, toBuf(g));
  dh.setPrivateKey(toBuf(e));
  return toBig(dh.generateKeys());
}

function pow(base, e) {
  const dh = createDiffieHellman(prime, toBuf(g));
  dh.setPrivateKey(toBuf(e));
  return toBig(dh.computeSecret(toBuf(base)));
}

/** A = g^a, S = (B − k·g^x)^(a + u·x) mod N through OpenSSL; returns S. */
export function opensslSrpMath({ a, B, k, u, x }) {
  powG(a); // A
  const base = (((B - k * powG(x)) % N) + N) % N;
  return pow(base, a + u * x);
}

/** Throws unless OpenSSL and plain BigInt agree on `inputs`. */
export function checkOpensslAgainstBigint(inputs) {
  const { a, B, k, u, x } = inputs;
  const base = (((B - k * modPow(g, x, N)) % N) + N) % N;
  if (opensslSrpMath(inputs) !== modPow(base, a + u * x, N)) {
    throw new Error("node:crypto DiffieHellman and BigInt disagree");
  }
}
