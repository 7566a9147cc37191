// Plain-BigInt modular exponentiation for the RFC 5054 3072-bit group, with
// no Node or browser API: the math part of bench/lib/srp-bigint.mjs, loaded
// as is by the Chromium bench page.
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
export const g = 2n;

/** `base^exp mod m`, fixed 4-bit window, left to right. */
export function modPow(base, exp, m) {
  const table = [1n, base % m];
  for (let i = 2; i < 16; i++) table.push((table[i - 1] * table[1]) % m);
  let r = 1n;
  for (const c of exp.toString(16)) {
    r = (r * r) % m;
    r = (r * r) % m;
    r = (r * r) % m;
    r = (r * r) % m;
    r = (r * table[parseInt(c, 16)]) % m;
  }
  return r;
}

/**
 * The big-number work of one client SRP login, hashes left out (they cost
 * microseconds): A = g^a, then S = (B − k·g^x)^(a + u·x) mod N, with a of
 * 1024 bits and k, u, x of 256 bits as in Cognito's SRP. Returns S.
 */
export function bigintSrpMath({ a, B, k, u, x }) {
  modPow(g, a, N); // A
  const base = (((B - k * modPow(g, x, N)) % N) + N) % N;
  return modPow(base, a + u * x, N);
}
