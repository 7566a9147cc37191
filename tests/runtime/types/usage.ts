// Type-checked (tsc --noEmit, tests/runtime/types/tsconfig.json) against
// pkg/index.d.ts through the package's own `exports`; never executed.
import { init, isInitialized, srp, CognitoError, type PasswordVerifierResponses } from "cognito-wasm";
import { ephemeralFromSecretHex, offloadEphemeralFromSecretHex } from "cognito-wasm/testing";

export async function signInStep(challenge: { SALT: string; SRP_B: string; SECRET_BLOCK: string; USER_ID_FOR_SRP: string }) {
  await init();
  await init(new URL("https://example.com/cognito_wasm_bg.wasm"));
  const ready: boolean = isInitialized();
  const eph = srp.createEphemeral();
  const a: string = eph.publicA;
  const r: PasswordVerifierResponses = srp.answerPasswordVerifier({
    ephemeral: eph,
    userPoolId: "us-east-1_abc",
    password: "pw",
    challengeParameters: challenge,
    clientId: "client",
    clientSecret: "secret",
    now: new Date(),
  });
  const sig: string = r.PASSWORD_CLAIM_SIGNATURE;
  const hash: string | undefined = r.SECRET_HASH;
  const dv = srp.deviceVerifier("group", "key");
  const cfg: { PasswordVerifier: string; Salt: string } = dv.deviceSecretVerifierConfig;
  const ts: string = srp.timestamp(0);
  const fixed = ephemeralFromSecretHex("abcdef");
  fixed.dispose();
  try {
    srp.secretHash("u", "c", "s");
  } catch (e) {
    if (e instanceof CognitoError && e.code === "InvalidSrpB") return null;
  }
  // @ts-expect-error challengeParameters must carry SRP_B
  srp.answerPasswordVerifier({ ephemeral: eph, userPoolId: "x", password: "p", challengeParameters: { SALT: "", SECRET_BLOCK: "", USER_ID_FOR_SRP: "" } });
  return { ready, a, sig, hash, cfg, ts, used: fixed.used };
}

// CognitoAuth account operations.
import { CognitoAuth as AccountAuth, type CognitoUser, type SignUpResult } from "cognito-wasm";
export async function accountOperations(auth: AccountAuth, signal: AbortSignal) {
  const up: SignUpResult = await auth.signUp({
    username: "jo",
    password: "pw",
    attributes: { email: "jo@example.com" },
    validationData: { k: "v" },
    clientMetadata: { k: "v" },
  });
  const confirmed: boolean = up.userConfirmed;
  await auth.confirmSignUp({ username: "jo", code: "123456", signal });
  const medium: string | undefined = (await auth.resendSignUpCode({ username: "jo" })).codeDelivery?.deliveryMedium;
  await auth.forgotPassword({ username: "jo" });
  await auth.confirmForgotPassword({ username: "jo", code: "1", newPassword: "pw2" });
  await auth.changePassword({ oldPassword: "pw", newPassword: "pw2" });
  const user: CognitoUser = await auth.getUser();
  const email: string | undefined = (await auth.fetchUserAttributes())["email"];
  const { codeDeliveryList } = await auth.updateUserAttributes({ attributes: { email: "new@example.com" } });
  await auth.verifyUserAttribute({ attributeName: "email", code: "1" });
  await auth.sendUserAttributeVerificationCode({ attributeName: "email" });
  await auth.deleteUserAttributes({ attributeNames: ["name"] });
  await auth.setMfaPreference({ totp: { enabled: true, preferred: true }, sms: { enabled: false } });
  const { secret, otpauthUri } = await auth.setUpTotp({ issuer: "Example" });
  await auth.verifyTotp({ code: "123456", deviceName: "phone" });
  const { devices, paginationToken } = await auth.listDevices({ limit: 10 });
  const key: string | undefined = devices[0]?.deviceKey;
  await auth.rememberDevice({ deviceKey: key });
  await auth.forgetDevice();
  await auth.deleteUser();
  // @ts-expect-error attributeNames must be an array
  await auth.deleteUserAttributes({ attributeNames: "name" });
  return { confirmed, medium, user, email, codeDeliveryList, secret, otpauthUri, paginationToken };
}

// ---- session, refresh, tabs ----
import { CognitoAuth as SessionAuth, type Tokens as SessionTokens } from "cognito-wasm";
export async function sessionUsage(): Promise<SessionTokens> {
  const auth = new SessionAuth({ userPoolId: "us-east-1_x", clientId: "c", autoRefresh: true, syncTabs: false, refreshMargin: 300 });
  auth.on("tokenRefreshFailure", (e) => void e.detail);
  // @ts-expect-error autoRefresh is a boolean
  new SessionAuth({ userPoolId: "us-east-1_x", clientId: "c", autoRefresh: "yes" });
  return auth.getTokens({ forceRefresh: true });
}

// ---- hosted UI ----
import { CognitoAuth as HostedAuth, JwtVerifier, oauth, type RedirectSignInResult } from "cognito-wasm";
export async function hostedUsage(): Promise<RedirectSignInResult> {
  const auth = new HostedAuth({
    userPoolId: "us-east-1_x",
    clientId: "c",
    hostedUi: { domain: "example.auth.us-east-1.amazoncognito.com", redirectUri: "https://app.example/", scopes: ["openid"] },
  });
  const url: string = await auth.signInWithRedirect({ navigate: false, customState: "/back", prompt: "login" });
  const info = await auth.getUserInfo();
  const sub: string = info.sub;
  const claims = await new JwtVerifier({ userPoolId: "us-east-1_x", clientId: null, tokenUse: "access" }).verify(url);
  const { transaction } = oauth.buildAuthorizeUrl({ domain: "d", clientId: "c", redirectUri: "https://app.example/" });
  const m2m = await oauth.clientCredentials({ domain: "d", clientId: "c", clientSecret: "s", scopes: ["api/read"] });
  void [sub, claims.exp, transaction, m2m.accessToken];
  // @ts-expect-error tokenUse must be id, access or null
  new JwtVerifier({ userPoolId: "us-east-1_x", clientId: null, tokenUse: "refresh" });
  await auth.signInWithPopup({ timeout: 60_000 });
  return auth.handleRedirectCallback();
}

// SRP placement: a backend and preparing ahead.
import { createSrpOffload as makeOffload, CognitoAuth as Auth2 } from "cognito-wasm";
async function srpPlacement(): Promise<void> {
  const a = new Auth2({ userPoolId: "us-east-1_x", clientId: "c", srp: makeOffload() });
  await a.prepareSignIn();
  await a.signOut({ forgetDevice: true });
  const offload = makeOffload();
  const fixed: string = (await offloadEphemeralFromSecretHex(offload, "abcdef")).publicA;
  void fixed;
  // @ts-expect-error: the fixed-secret hook is in cognito-wasm/testing only
  await offload._fromSecretHex("abcdef");
  new Auth2({ userPoolId: "us-east-1_x", clientId: "c", srp: "inline" });
  // @ts-expect-error: "inline" or a backend, nothing else
  new Auth2({ userPoolId: "us-east-1_x", clientId: "c", srp: "worker" });
}
void srpPlacement;

// `cognito-wasm/session`: the same classes and types, a smaller core.
import * as lean from "cognito-wasm/session";
export async function leanSession(): Promise<string> {
  await lean.init();
  const auth: lean.CognitoAuth = new lean.CognitoAuth({ userPoolId: "us-east-1_Ab1", clientId: "c" });
  const error: typeof lean.CognitoError = lean.CognitoError;
  void error;
  const options: lean.CognitoAuthOptions = { userPoolId: "us-east-1_Ab1", clientId: "c" };
  void options;
  return (await auth.getTokens()).accessToken;
}

// ---- passkeys ----
import { CognitoAuth as PasskeyAuth, isPasskeySupported, type Passkey } from "cognito-wasm";
export async function passkeyUsage(auth: PasskeyAuth): Promise<Passkey[]> {
  if (!isPasskeySupported()) return [];
  let step = await auth.signIn({ username: "alice", preferredChallenge: "WEB_AUTHN" });
  if (!step.done && step.next === "SELECT_CHALLENGE" && step.availableChallenges.includes("WEB_AUTHN")) {
    step = await auth.confirmSignIn({ challenge: "WEB_AUTHN" });
  }
  if (!step.done && step.next === "WEB_AUTHN") {
    const options: string | undefined = step.parameters["CREDENTIAL_REQUEST_OPTIONS"];
    step = await auth.confirmSignIn({ credential: JSON.stringify({ options }) });
  }
  await auth.registerPasskey().catch((e: unknown) => {
    if (e instanceof CognitoError && e.code === "PasskeyAlreadyRegistered") return;
    throw e;
  });
  const list = await auth.listPasskeys();
  const id: string | undefined = list[0]?.credentialId;
  const when: number | undefined = list[0]?.createdAt;
  if (id) await auth.deletePasskey(id, { signal: AbortSignal.timeout(5000) });
  // @ts-expect-error deletePasskey takes the credential id, not an object
  await auth.deletePasskey({ credentialId: "x" });
  void when;
  return list;
}
