// The SRP modular exponentiations through the host's native DiffieHellman
// (Node's `node:crypto`: OpenSSL; workerd's `nodejs_compat` `node:crypto`:
// BoringSSL) over RFC 5054's 3072-bit group, g = 2, the
// rest (hashes, `B − k·g^x mod N`, `a + u·x`, HKDF, the signature) in the
// wasm module, as SrpSplit / SrpEphemeral.fromParts expose it.
//
// `g^e` is `setPrivateKey(e)` + `computeSecret(2)`, `base^e` is
// `setPrivateKey(e)` + `computeSecret(base)`; OpenSSL refuses a peer value
// of 0, 1 or N − 1, for which the wasm engine computes the power instead.
// The results equal the wasm engine's and amazon-cognito-identity-js's on
// every known-answer vector (tests/srp-native/node.test.mjs). Secret
// buffers are zeroed after use.

// RFC 5054 Appendix A (RFC 3526 group 15), the 3072-bit prime.
const N_HEX =
  "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
  "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
  "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
  "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
  "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
  "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
  "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
  "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF";

const G = new Uint8Array([2]);

function fromHex(hex) {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/**
 * The native SRP backend for `api.js` (`_setSrpBackend`), given the host's
 * `node:crypto` module. `null` when it lacks a usable DiffieHellman with a
 * custom prime. Creating it draws no random bytes and does no I/O (workerd
 * allows neither at a module's top level).
 */
export function nativeSrpBackend(crypto) {
  if (typeof crypto?.createDiffieHellman !== "function" || typeof crypto.randomBytes !== "function") return null;
  let dh;
  try {
    dh = crypto.createDiffieHellman(fromHex(N_HEX), G);
  } catch {
    return null;
  }
  /** `base^e mod N` (384 bytes), or null when OpenSSL refuses the base. */
  const pow = (base, e) => {
    try {
      dh.setPrivateKey(e);
      return dh.computeSecret(base);
    } catch {
      return null;
    }
  };
  const wipe = (...bufs) => {
    for (const b of bufs) b?.fill(0);
  };
  return {
    name: "node:crypto",
    /** A fresh ephemeral: 128 random bytes `a`, `A = g^a` by OpenSSL. */
    generate(glue) {
      const a = crypto.randomBytes(128);
      try {
        return this.fromSecret(glue, a);
      } finally {
        wipe(a);
      }
    },
    /** The ephemeral for a given `a` (bytes), `A = g^a` by OpenSSL. */
    fromSecret(glue, a) {
      const publicA = pow(G, a);
      // g^a is never refused (the base 2 is valid); a zero `a` is the wasm's error.
      return glue.SrpEphemeral.fromParts(a, publicA ?? new Uint8Array(0));
    },
    /** `[PASSWORD_CLAIM_SIGNATURE, TIMESTAMP]`, as glue.srpAnswerPasswordVerifier. */
    answer(glue, handle, realm, password, salt, srpB, secretBlock, userId, seconds) {
      const split = glue.srpSplitBegin(handle, realm, password, salt, srpB, secretBlock, userId, seconds);
      let x, gx, base, e, s;
      try {
        x = split.x();
        gx = pow(G, x);
        base = split.base(gx);
        e = split.exponent();
        s = pow(base, e) ?? split.powHere(base);
        return split.finish(s);
      } finally {
        wipe(x, gx, base, e, s);
        split.free();
      }
    },
  };
}
