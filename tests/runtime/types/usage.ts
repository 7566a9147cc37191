// Type-checked (tsc --noEmit, tests/runtime/types/tsconfig.json) against
// pkg/index.d.ts through the package's own `exports`; never executed.
import { init, isInitialized, srp, CognitoError, type PasswordVerifierResponses } from "cognito-wasm";
import { ephemeralFromSecretHex } from "cognito-wasm/testing";

export async function signInStep(challenge: { SALT: string; SRP_B: string; SECRET_BLOCK: string; USER_ID_FOR_SRP: string }) {
  await init();
  await init(new URL("https://example.com/cognito_wasm_bg.wasm"));
  const ready: boolean = isInitialized();
  const eph = srp.createEphemeral();
  const a: string = eph.publicA;
  const r: PasswordVerifierResponses = srp.answerPasswordVerifier({
    ephemeral: eph,
    userPoolId: "us-east-1_abc",
    password: "pw",
    challengeParameters: challenge,
    clientId: "client",
    clientSecret: "secret",
    now: new Date(),
  });
  const sig: string = r.PASSWORD_CLAIM_SIGNATURE;
  const hash: string | undefined = r.SECRET_HASH;
  const dv = srp.deviceVerifier("group", "key");
  const cfg: { PasswordVerifier: string; Salt: string } = dv.deviceSecretVerifierConfig;
  const ts: string = srp.timestamp(0);
  const fixed = ephemeralFromSecretHex("abcdef");
  fixed.dispose();
  try {
    srp.secretHash("u", "c", "s");
  } catch (e) {
    if (e instanceof CognitoError && e.code === "InvalidSrpB") return null;
  }
  // @ts-expect-error challengeParameters must carry SRP_B
  srp.answerPasswordVerifier({ ephemeral: eph, userPoolId: "x", password: "p", challengeParameters: { SALT: "", SECRET_BLOCK: "", USER_ID_FOR_SRP: "" } });
  return { ready, a, sig, hash, cfg, ts, used: fixed.used };
}
