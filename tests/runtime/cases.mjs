// The cases every runtime runs against the BUILT package (Node, workerd,
// Chromium). Runtime-neutral: no imports; the caller passes the package's
// exports. Results are plain JSON so they cross page.evaluate / fetch.
//
// Known answers come only from tests/vectors/srp.json (produced by
// amazon-cognito-identity-js); the error cases need no expected values
// beyond the error codes the API documents.

// RFC 5054 Appendix A, 3072-bit group (the one Cognito uses): a published
// constant, used here only to build invalid B values (N, k·N).
const N_HEX =
  "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
  "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
  "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
  "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
  "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
  "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
  "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
  "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF";

const normHex = (h) => String(h).toLowerCase().replace(/^0+(?=.)/, "");

function check(results, group, name, fn) {
  try {
    const detail = fn();
    results.push({ group, name, ok: detail === true, detail: detail === true ? undefined : detail });
  } catch (e) {
    results.push({ group, name, ok: false, detail: `threw ${e?.name}: ${e?.code ?? ""} ${e?.message ?? e}` });
  }
}

function mismatch(field, expected, got) {
  return expected === got ? true : `${field}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(got)}`;
}

/**
 * The known-answer cases of `vectors` (tests/vectors/srp.json). Returns
 * `[{ group, name, ok, detail }]`, one per vector.
 */
export function runVectorCases(pkg, testing, vectors) {
  const { srp } = pkg;
  const results = [];
  for (const [i, c] of (vectors.srp ?? []).entries()) {
    check(results, "srp", c.name ?? `srp #${i}`, () => {
      const ephemeral = testing.ephemeralFromSecretHex(c.a);
      if (normHex(ephemeral.publicA) !== normHex(c.srpA)) return mismatch("SRP_A", normHex(c.srpA), normHex(ephemeral.publicA));
      const r = srp.answerPasswordVerifier({
        ephemeral,
        userPoolId: c.userPoolId,
        password: c.password,
        username: c.username,
        challengeParameters: { SALT: c.salt, SRP_B: c.srpB, SECRET_BLOCK: c.secretBlock, USER_ID_FOR_SRP: c.userIdForSrp },
        now: c.unixSeconds * 1000,
      });
      const got = [r.PASSWORD_CLAIM_SIGNATURE, r.TIMESTAMP, r.PASSWORD_CLAIM_SECRET_BLOCK];
      const exp = [c.signature, c.timestamp, c.secretBlock];
      return mismatch("PASSWORD_CLAIM_SIGNATURE, TIMESTAMP, SECRET_BLOCK", exp.join(" | "), got.join(" | "));
    });
  }
  for (const [i, c] of (vectors.timestamps ?? []).entries()) {
    check(results, "timestamp", `timestamp #${i} ${c.unixSeconds}`, () =>
      mismatch("TIMESTAMP", c.timestamp, srp.timestamp(c.unixSeconds * 1000)),
    );
  }
  for (const [i, c] of (vectors.secretHash ?? []).entries()) {
    check(results, "secretHash", `secretHash #${i}`, () =>
      mismatch("SECRET_HASH", c.secretHash, srp.secretHash(c.username, c.clientId, c.clientSecret)),
    );
  }
  for (const [i, d] of (vectors.device ?? []).entries()) {
    check(results, "device", `device #${i} ${d.deviceKey}`, () => {
      const v = testing.deviceVerifierWith(d);
      const { Salt, PasswordVerifier } = v.deviceSecretVerifierConfig;
      return mismatch("Salt, PasswordVerifier", `${d.saltB64} | ${d.verifierB64}`, `${Salt} | ${PasswordVerifier}`);
    });
  }
  return results;
}

/**
 * Error and property cases: each bad input must give a CognitoError with the
 * documented code and a message naming what was wrong, never a crash.
 */
export function runErrorCases(pkg) {
  const { srp, CognitoError } = pkg;
  const results = [];
  const N = BigInt("0x" + N_HEX);
  const good = { SALT: "a1b2c3d4e5f60718", SRP_B: "2f", SECRET_BLOCK: "AAECAw==", USER_ID_FOR_SRP: "alice" };
  const answer = (over = {}, cp = {}) =>
    srp.answerPasswordVerifier({
      ephemeral: srp.createEphemeral(),
      userPoolId: "us-east-1_Example",
      password: "Correct horse 1!",
      challengeParameters: { ...good, ...cp },
      now: 1_700_000_000_000,
      ...over,
    });
  const expectError = (name, fn, code, mentions) =>
    check(results, "errors", name, () => {
      try {
        fn();
      } catch (e) {
        if (!(e instanceof CognitoError)) return `not a CognitoError: ${e?.name}: ${e?.message}`;
        if (e.name !== "CognitoError") return `name is ${e.name}`;
        if (e.code !== code) return `code: expected ${code}, got ${e.code} (${e.message})`;
        if (mentions && !e.message.includes(mentions)) return `message does not mention ${mentions}: ${e.message}`;
        return true;
      }
      return "no error thrown";
    });

  expectError("B = 0", () => answer({}, { SRP_B: "0" }), "InvalidSrpB", "SRP_B");
  expectError("B = N", () => answer({}, { SRP_B: N_HEX }), "InvalidSrpB", "SRP_B");
  expectError("B = N, lowercase, leading zeros", () => answer({}, { SRP_B: "0000" + N_HEX.toLowerCase() }), "InvalidSrpB");
  expectError("B = 2N", () => answer({}, { SRP_B: (2n * N).toString(16) }), "InvalidSrpB");
  expectError("B = 12345N", () => answer({}, { SRP_B: (12345n * N).toString(16) }), "InvalidSrpB");
  expectError("SRP_B not hex", () => answer({}, { SRP_B: "12xz" }), "InvalidHex", "SRP_B");
  expectError("SRP_B empty", () => answer({}, { SRP_B: "" }), "InvalidHex", "SRP_B");
  expectError("SRP_B with 0x prefix", () => answer({}, { SRP_B: "0x2f" }), "InvalidHex", "SRP_B");
  expectError("SALT not hex", () => answer({}, { SALT: "salt!" }), "InvalidHex", "SALT");
  expectError("SECRET_BLOCK not base64", () => answer({}, { SECRET_BLOCK: "not base64!" }), "InvalidBase64", "SECRET_BLOCK");
  expectError("empty password", () => answer({ password: "" }), "EmptyArgument", "password");
  expectError("pool id without region", () => answer({ userPoolId: "Example" }), "InvalidUserPoolId", "user pool id");
  expectError("SRP_B missing", () => answer({}, { SRP_B: undefined }), "InvalidArgument", "SRP_B");
  expectError("password not a string", () => answer({ password: 42 }), "InvalidArgument", "password");
  expectError("foreign ephemeral", () => answer({ ephemeral: { publicA: "02" } }), "InvalidArgument", "ephemeral");
  expectError("invalid now", () => answer({ now: Number.NaN }), "InvalidArgument", "now");
  expectError("clientSecret without clientId", () => answer({ clientSecret: "s" }), "InvalidArgument", "clientId");
  expectError("empty clientSecret for secretHash", () => srp.secretHash("u", "c", ""), "EmptyArgument", "clientSecret");
  expectError(
    "ephemeral reused",
    () => {
      const ephemeral = srp.createEphemeral();
      const opts = { ephemeral, userPoolId: "us-east-1_Example", password: "pw", challengeParameters: good };
      srp.answerPasswordVerifier(opts);
      srp.answerPasswordVerifier(opts);
    },
    "EphemeralAlreadyUsed",
  );
  expectError(
    "ephemeral consumed by a failed answer",
    () => {
      const ephemeral = srp.createEphemeral();
      const opts = { ephemeral, userPoolId: "us-east-1_Example", password: "pw", challengeParameters: good };
      try {
        srp.answerPasswordVerifier({ ...opts, challengeParameters: { ...good, SRP_B: "0" } });
      } catch {
        // expected: InvalidSrpB; the ephemeral is spent anyway
      }
      srp.answerPasswordVerifier(opts);
    },
    "EphemeralAlreadyUsed",
  );

  check(results, "properties", "fresh ephemerals: 1 < A < N, distinct, unused", () => {
    const e1 = srp.createEphemeral();
    const e2 = srp.createEphemeral();
    const a1 = BigInt("0x" + e1.publicA);
    if (!/^[0-9a-f]+$/.test(e1.publicA)) return `publicA not lowercase hex: ${e1.publicA}`;
    if (!(a1 > 1n && a1 < N)) return "A out of range";
    if (e1.publicA === e2.publicA) return "two ephemerals share A";
    if (e1.used) return "fresh ephemeral reports used";
    e1.dispose();
    return e1.used ? true : "dispose() did not spend the ephemeral";
  });
  check(results, "properties", "answer shape with a client secret", () => {
    const r = answer({ clientId: "client123", clientSecret: "secret456", username: "ignored" }, { USERNAME: "alice-name" });
    const keys = Object.keys(r).sort().join(",");
    if (keys !== "PASSWORD_CLAIM_SECRET_BLOCK,PASSWORD_CLAIM_SIGNATURE,SECRET_HASH,TIMESTAMP,USERNAME") return `keys ${keys}`;
    if (r.USERNAME !== "alice-name") return `USERNAME ${r.USERNAME}, want the challenge's USERNAME`;
    if (r.SECRET_HASH !== srp.secretHash("alice-name", "client123", "secret456")) return "SECRET_HASH not over USERNAME";
    if (!/^[A-Za-z0-9+/]{43}=$/.test(r.PASSWORD_CLAIM_SIGNATURE)) return `signature ${r.PASSWORD_CLAIM_SIGNATURE}`;
    return mismatch("TIMESTAMP", "Tue Nov 14 22:13:20 UTC 2023", r.TIMESTAMP);
  });
  check(results, "properties", "device verifier shape", () => {
    const d = srp.deviceVerifier("-abcDEF123", "us-east-1_0123-4567");
    const { PasswordVerifier, Salt } = d.deviceSecretVerifierConfig;
    const b64 = /^[A-Za-z0-9+/]+={0,2}$/;
    if (!b64.test(d.devicePassword) || !b64.test(PasswordVerifier) || !b64.test(Salt)) return "not base64";
    return d.devicePassword !== srp.deviceVerifier("-abcDEF123", "us-east-1_0123-4567").devicePassword
      ? true
      : "two device passwords are equal";
  });
  return results;
}
