// The hosted-UI demo page (hosted.html): two calls do the sign-in,
// `signInWithRedirect()` on the button and `handleRedirectCallback()` when
// the hosted UI sends the user back here.
import { init, CognitoAuth } from "cognito-wasm";

const $ = (id) => document.getElementById(id);
const here = location.origin + location.pathname;
const CONFIG_KEY = "cognito-wasm-demo.hosted-config";

// The options: `?config={...}` (kept for this tab), else the emulator's demo pool.
const given = new URLSearchParams(location.search).get("config");
if (given) {
  sessionStorage.setItem(CONFIG_KEY, given);
  history.replaceState(null, "", here);
}
const defaults = {
  userPoolId: "us-east-1_LocalDemo",
  clientId: "demo-spa-client",
  endpoint: "http://127.0.0.1:9229",
  hostedUi: { domain: "http://127.0.0.1:9229", scopes: ["openid", "email", "profile"] },
};
const config = JSON.parse(sessionStorage.getItem(CONFIG_KEY) ?? "null") ?? defaults;
config.hostedUi = { redirectUri: here, logoutUri: here, ...config.hostedUi };

function show(status, detail) {
  $("status").textContent = status;
  $("out").textContent = detail === undefined ? "–" : JSON.stringify(detail, null, 2);
}
function fail(e) {
  $("error").textContent = `${e.code ?? e.name}: ${e.message}`;
  $("error").dataset.code = e.code ?? e.name;
}
function claims(jwt) {
  return JSON.parse(atob(jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
}
function signedIn(tokens, extra = {}) {
  const id = claims(tokens.idToken);
  show(`signed in as ${tokens.username}`, { ...extra, sub: id.sub, expiresAt: new Date(tokens.expiresAt).toISOString() });
}

await init();
const auth = new CognitoAuth(config);
window.auth = auth;

const params = new URLSearchParams(location.search);
if (params.has("state") && (params.has("code") || params.has("error"))) {
  try {
    const result = await auth.handleRedirectCallback();
    if (result.forwarded) show("back in the sign-in popup: handed to the opener");
    else signedIn(result.tokens, { customState: result.customState });
  } catch (e) {
    fail(e);
    show("signed out");
  }
} else {
  try {
    signedIn(await auth.getTokens());
  } catch (e) {
    if (e.code !== "NotSignedIn") fail(e);
    show("signed out");
  }
}
document.body.dataset.ready = "true";

const run = (f) => async () => {
  $("error").textContent = "";
  delete $("error").dataset.code;
  try {
    await f();
  } catch (e) {
    fail(e);
  }
};
$("signin").onclick = run(() => auth.signInWithRedirect({ customState: "from the demo page" }));
$("popup").onclick = run(async () => {
  const { tokens, customState } = await auth.signInWithPopup({ customState: "from the popup" });
  signedIn(tokens, { customState });
});
$("refresh").onclick = run(async () => signedIn(await auth.getTokens({ forceRefresh: true }), { refreshed: true }));
$("userinfo").onclick = run(async () => show($("status").textContent, await auth.getUserInfo()));
$("signout").onclick = run(async () => {
  await auth.signOut();
  show("signed out");
});
