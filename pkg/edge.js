// cognito-wasm/edge for Deno, browsers' service workers and other ESM hosts
// ("default" condition): the wasm is loaded by `init()` before the first
// request is handled. Workers and Node get pkg/edge/workerd.js and
// pkg/edge/node.js. See edge.d.ts.
import { JwtVerifier, oauth, srp, CognitoError, init } from "./index.js";
import { createEdge } from "./edge/core.js";

export const cognitoEdge = createEdge({ JwtVerifier, oauth, srp, CognitoError, init: () => init() });
export { honoMiddleware } from "./edge/hono.js";
export { seal as _seal, open as _open } from "./edge/crypto.js";
