// cognito-wasm/edge in Node ≥ 20 ("node" condition): the same module graph
// as `cognito-wasm` under Node (pkg/node.bundle.js, built by `npm run build`).
import { JwtVerifier, oauth, srp, CognitoError } from "../node.bundle.js";
import { createEdge } from "./core.js";

export const cognitoEdge = createEdge({ JwtVerifier, oauth, srp, CognitoError });
export { honoMiddleware } from "./hono.js";
export { seal as _seal, open as _open } from "./crypto.js";
