// A module Worker for tests/srp-native/workerd.test.mjs: the runtime tests'
// Worker (the shared cases) plus POST /vectors { cases, native } → each SRP
// vector's A and claim with the native backend (workerd's nodejs_compat
// node:crypto) or the wasm engine.
import runtimeWorker from "../runtime/worker/worker.mjs";
import { srp } from "cognito-wasm";
import { ephemeralFromSecretHex, useNativeSrp } from "cognito-wasm/testing";

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === "/vectors" && request.method === "POST") {
      const { cases, native } = await request.json();
      const backend = useNativeSrp(native);
      try {
        const out = cases.map((v) => {
          const A = ephemeralFromSecretHex(v.a).publicA;
          const r = srp.answerPasswordVerifier({
            ephemeral: ephemeralFromSecretHex(v.a),
            userPoolId: v.userPoolId,
            password: v.password,
            now: v.unixSeconds * 1000,
            challengeParameters: { SALT: v.salt, SRP_B: v.srpB, SECRET_BLOCK: v.secretBlock, USER_ID_FOR_SRP: v.userIdForSrp },
          });
          return { name: v.name, A, signature: r.PASSWORD_CLAIM_SIGNATURE, timestamp: r.TIMESTAMP };
        });
        return Response.json({ backend, out });
      } finally {
        useNativeSrp(true);
      }
    }
    return runtimeWorker.fetch(request, env, ctx);
  },
};
