// Size entry: the full client SRP step with cognito-wasm (browser build).
import { init, srp } from "cognito-wasm";

export async function passwordVerifier(userPoolId, password, challengeParameters) {
  await init();
  const ephemeral = srp.createEphemeral();
  return { srpA: ephemeral.publicA, responses: srp.answerPasswordVerifier({ ephemeral, userPoolId, password, challengeParameters }) };
}
