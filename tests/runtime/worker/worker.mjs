// A module Worker that imports the package by name; bundled by
// tests/runtime/workerd.test.mjs with esbuild under the `workerd` export
// condition (as wrangler does), the .wasm left as a CompiledWasm module.
// POST /run with the vectors → the results of cases.mjs as JSON.
import * as pkg from "cognito-wasm";
import * as testing from "cognito-wasm/testing";
import { runErrorCases, runVectorCases } from "../cases.mjs";

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/run" && request.method === "POST") {
      const vectors = await request.json();
      return Response.json([...runErrorCases(pkg), ...runVectorCases(pkg, testing, vectors)]);
    }
    if (url.pathname === "/answer" && request.method === "POST") {
      // One real PASSWORD_VERIFIER answer, as a Worker doing SRP would.
      const { userPoolId, password, challengeParameters } = await request.json();
      try {
        const ephemeral = pkg.srp.createEphemeral();
        const responses = pkg.srp.answerPasswordVerifier({ ephemeral, userPoolId, password, challengeParameters });
        return Response.json({ srpA: ephemeral.publicA, responses });
      } catch (e) {
        return Response.json({ error: { name: e.name, code: e.code, message: e.message, isCognitoError: e instanceof pkg.CognitoError } }, { status: 400 });
      }
    }
    return new Response("not found", { status: 404 });
  },
};
