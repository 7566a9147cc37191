// `cognito-wasm/session` for browsers and bundlers: the session and the
// hosted UI with a smaller core. The same `CognitoAuth` (restore, refresh,
// sign out, tabs, `signInWithRedirect`, `handleRedirectCallback`,
// `signInWithPopup`, `getUserInfo`), `JwtVerifier` and `oauth`, over
// pkg/gen/session_bg.wasm: the core built without the sign-in and account
// machines (about 29 KiB gzip less; `npm run bench`). Their methods reject
// with `InvalidArgument` here; import "cognito-wasm" for them. Use one entry
// per page. Node and workerd get the full package under this name.
import initSession, * as core from "./gen/session.js";
import { _setCore } from "./api.js";

_setCore(core, (input) => initSession(input === undefined ? undefined : { module_or_path: input }));

export { init, isInitialized, CognitoError } from "./api.js";
export { CognitoAuth } from "./auth.js";
export { JwtVerifier } from "./jwt.js";
export { oauth } from "./oauth.js";
import "./popup.js";
