// The public API, shared by every runtime entry (index.js for browsers and
// bundlers, node.js, workerd.js), which differ only in how the wasm modules
// load.
export { init, isInitialized, CognitoError } from "./api.js";
export { srp } from "./srp.js";
export { CognitoAuth } from "./auth.js";
export { isPasskeySupported } from "./passkey.js";
export { createSrpOffload } from "./srp-offload.js";
export { JwtVerifier } from "./jwt.js";
export { oauth } from "./oauth.js";
import "./popup.js";
