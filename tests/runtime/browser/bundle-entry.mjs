// Bundled by tests/runtime/chromium.test.mjs with esbuild (platform
// "browser"), as an app bundler would bundle the package.
import { init, srp } from "cognito-wasm";

window.runBundled = async () => {
  await init();
  const ephemeral = srp.createEphemeral();
  return srp.answerPasswordVerifier({
    ephemeral,
    userPoolId: "us-east-1_Example",
    password: "pw",
    challengeParameters: { SALT: "ab12", SRP_B: "2f", SECRET_BLOCK: "AAEC", USER_ID_FOR_SRP: "alice" },
  });
};
