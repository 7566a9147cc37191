// A worker thread of the emulator load benches: SRP logins (USER_SRP_AUTH →
// PASSWORD_VERIFIER, the emulator verifying each proof for real) of one
// user, one after another, `count` of them or until `until` (ms since the
// epoch); with `revoke`, each login's refresh token is revoked after it (a
// sign-out: RevokeToken, outside the timings). Posts { server: [ms],
// total: [ms], errors: [message] }: server time is the two HTTP round trips
// of the login, total adds the client math.
//
// The client math is plain JavaScript BigInt (srp-bigint.mjs) with a 256-bit
// ephemeral, so client and server share the machine's cores: figures are a
// floor.
import { parentPort, workerData } from "node:worker_threads";
import { randomBytes } from "node:crypto";
import { bigintPrepare, bigintAnswer } from "./srp-bigint.mjs";

const { url, poolId, clientId, user, count = Infinity, until = Infinity, revoke = false } = workerData;

const call = async (op, body) => {
  const r = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": `AWSCognitoIdentityProviderService.${op}` },
    body: JSON.stringify(body),
  });
  const j = await r.json();
  if (!r.ok) throw new Error(`${op}: ${j.__type}: ${j.message}`);
  return j;
};

/** Cognito's TIMESTAMP format: `Mon Dec 7 03:52:52 UTC 2026`. */
const stamp = () => {
  const d = new Date();
  const days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const p = (n) => String(n).padStart(2, "0");
  return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${d.getUTCDate()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
};

const out = { server: [], total: [], errors: [] };
for (let i = 0; i < count && Date.now() < until; i++) {
  const start = performance.now();
  try {
    const eph = bigintPrepare(randomBytes(32).toString("hex"));
    let t = performance.now();
    const ch = await call("InitiateAuth", {
      ClientId: clientId, AuthFlow: "USER_SRP_AUTH", AuthParameters: { USERNAME: user.username, SRP_A: eph.A.toString(16) },
    });
    let server = performance.now() - t;
    const p = ch.ChallengeParameters;
    const timestamp = stamp();
    const { signature } = bigintAnswer(eph, {
      userPoolId: poolId, password: user.password, timestamp,
      challenge: { srpB: p.SRP_B, salt: p.SALT, secretBlock: p.SECRET_BLOCK, userId: p.USER_ID_FOR_SRP },
    });
    t = performance.now();
    const done = await call("RespondToAuthChallenge", {
      ClientId: clientId, ChallengeName: "PASSWORD_VERIFIER",
      ChallengeResponses: { USERNAME: p.USERNAME, PASSWORD_CLAIM_SECRET_BLOCK: p.SECRET_BLOCK, PASSWORD_CLAIM_SIGNATURE: signature, TIMESTAMP: timestamp },
    });
    server += performance.now() - t;
    if (!done.AuthenticationResult?.AccessToken) throw new Error("no tokens");
    out.server.push(server);
    out.total.push(performance.now() - start);
    if (revoke) await call("RevokeToken", { ClientId: clientId, Token: done.AuthenticationResult.RefreshToken });
  } catch (e) {
    out.errors.push(String(e.message ?? e));
  }
}
parentPort.postMessage(out);
