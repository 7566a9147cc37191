// A module Worker for tests/edge/differential.test.mjs: POST { options,
// tokens } → the verdict of the package's JwtVerifier (in workerd) for each
// token, in order: "valid" or the CognitoError code. One verifier per request,
// its JWKS fetched once; tokens verified one after another.
import { JwtVerifier } from "cognito-wasm";

export default {
  async fetch(request) {
    const { options, tokens } = await request.json();
    const verifier = new JwtVerifier(options);
    const out = [];
    for (const t of tokens) {
      try {
        await verifier.verify(t);
        out.push("valid");
      } catch (e) {
        out.push(e?.code ?? `uncaught ${e?.name}`);
      }
    }
    return Response.json(out);
  },
};
