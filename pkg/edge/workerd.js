// cognito-wasm/edge in Cloudflare Workers / workerd ("workerd" condition).
import { JwtVerifier, oauth, srp, CognitoError } from "../workerd.js";
import { createEdge } from "./core.js";

export const cognitoEdge = createEdge({ JwtVerifier, oauth, srp, CognitoError });
export { honoMiddleware } from "./hono.js";
export { seal as _seal, open as _open } from "./crypto.js";
