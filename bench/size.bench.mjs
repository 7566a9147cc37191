// `npm run bench` (size): each job an app does, as the app ships it, beside
// the libraries it replaces doing the same job, measured in the same run the
// same way: an entry importing just what the job needs, bundled by esbuild
// (--bundle --minify --platform=browser), gzip -9, plus every wasm module
// the job fetches (ours: the core for every job, the SRP module for a
// password sign-in; a page also fetches the SRP worker's script). Ratios are
// ours ÷ theirs. No pass/fail here: `npm run build -- --enforce` fails on
// the required budgets (scripts/size.mjs).
//
// Then where the bytes go: each JS file of the package, and each wasm
// module by Rust module / crate and by function (the named copies written
// by `node scripts/build.mjs --names`, run here when missing or stale).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { BUDGETS, JOBS, bundle, functionSizes, groupSizes, gz, jobSizes, jsFiles, kib } from "../scripts/size.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const require = createRequire(import.meta.url);
const version = (name) => require(`${name}/package.json`).version;
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);

const stale = ["core", "srp"].some((m) => {
  const named = `${ROOT}bench/out/${m}.named.wasm`;
  return !existsSync(named) || statSync(named).mtimeMs < statSync(`${ROOT}pkg/gen/${m}_bg.wasm`).mtimeMs;
});
if (stale) {
  console.log("(building with --names for the function breakdown)");
  const r = spawnSync(process.execPath, ["scripts/build.mjs", "--names"], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`scripts/build.mjs --names exited with ${r.status}:\n${r.stderr}`);
}

const AMPLIFY_CONFIGURE = `
import { Amplify } from "@aws-amplify/core";
import { cognitoUserPoolsTokenProvider } from "@aws-amplify/auth/cognito";
export function configure(config) {
  Amplify.configure(config, { Auth: { tokenProvider: cognitoUserPoolsTokenProvider } });
}`;

// The same jobs, written with each anchor's own API.
const ANCHORS = {
  session: {
    amplify: `${AMPLIFY_CONFIGURE}
import { fetchAuthSession, signOut } from "@aws-amplify/auth";
export { fetchAuthSession, signOut };`,
    "oidc-client-ts": `
import { UserManager } from "oidc-client-ts";
export async function run(settings) {
  const m = new UserManager(settings);
  const user = await m.getUser();
  if (user?.expired) await m.signinSilent();
  await m.removeUser();
}`,
    "amazon-cognito-identity-js": `
import { CognitoUserPool } from "amazon-cognito-identity-js";
export function run(UserPoolId, ClientId, cb) {
  const user = new CognitoUserPool({ UserPoolId, ClientId }).getCurrentUser();
  if (user) user.getSession((e, s) => (cb(e, s), user.signOut()));
}`,
  },
  "hosted UI": {
    amplify: `${AMPLIFY_CONFIGURE}
import "@aws-amplify/auth/enable-oauth-listener";
import { fetchAuthSession, signInWithRedirect, signOut } from "@aws-amplify/auth";
export { fetchAuthSession, signInWithRedirect, signOut };`,
    "oidc-client-ts": `
import { UserManager } from "oidc-client-ts";
export async function run(settings) {
  const m = new UserManager(settings);
  if (location.search.includes("code=")) await m.signinRedirectCallback();
  else if (!(await m.getUser())) await m.signinRedirect();
  await m.signoutRedirect();
}`,
  },
  "custom sign-in": {
    amplify: `${AMPLIFY_CONFIGURE}
import { signIn, confirmSignIn, signUp, confirmSignUp, resetPassword, confirmResetPassword, fetchAuthSession, signOut } from "@aws-amplify/auth";
export { signIn, confirmSignIn, signUp, confirmSignUp, resetPassword, confirmResetPassword, fetchAuthSession, signOut };`,
    "amazon-cognito-identity-js": `
import { CognitoUserPool, CognitoUser, AuthenticationDetails, CognitoUserAttribute } from "amazon-cognito-identity-js";
export function signIn(UserPoolId, ClientId, Username, Password, ui) {
  const pool = new CognitoUserPool({ UserPoolId, ClientId });
  const user = new CognitoUser({ Username, Pool: pool });
  user.authenticateUser(new AuthenticationDetails({ Username, Password }), {
    onSuccess: ui.done, onFailure: ui.fail,
    newPasswordRequired: () => user.completeNewPasswordChallenge(ui.newPassword(), {}, ui),
    mfaRequired: () => user.sendMFACode(ui.code(), ui),
    totpRequired: () => user.sendMFACode(ui.code(), ui, "SOFTWARE_TOKEN_MFA"),
    selectMFAType: () => user.sendMFASelectionAnswer(ui.mfaType(), ui),
    mfaSetup: () => user.associateSoftwareToken(ui),
    customChallenge: () => user.sendCustomChallengeAnswer(ui.answer(), ui),
  });
  pool.signUp(Username, Password, [new CognitoUserAttribute({ Name: "email", Value: ui.email })], null, ui.done);
  user.confirmRegistration(ui.code(), true, ui.done);
  user.forgotPassword(ui);
  user.confirmPassword(ui.code(), Password, ui);
  user.getSession(ui.done);
  return user;
}`,
  },
  everything: {
    amplify: `${AMPLIFY_CONFIGURE}
import "@aws-amplify/auth/enable-oauth-listener";
export * from "@aws-amplify/auth";`,
    "amazon-cognito-identity-js": `export * from "amazon-cognito-identity-js";`,
  },
};

const NAMES = {
  amplify: `Amplify v6 (auth ${version("@aws-amplify/auth")})`,
  "oidc-client-ts": `oidc-client-ts ${version("oidc-client-ts")}`,
  "amazon-cognito-identity-js": `identity-js ${version("amazon-cognito-identity-js")}`,
};

const ours = await jobSizes(ROOT);
console.log("\nSize per job (esbuild --bundle --minify --platform=browser; gzip -9; JS + every wasm the job fetches)");
const cols = Object.keys(NAMES);
console.log(
  `${pad("job", 16)}${lpad("ours", 11)}${lpad("budget", 10)}` + cols.map((c) => lpad(NAMES[c].split(" (")[0].split(" ")[0], 22)).join(""),
);
for (const j of ours) {
  const cells = [];
  for (const c of cols) {
    const src = ANCHORS[j.job][c];
    if (!src) {
      cells.push(lpad("—", 22));
      continue;
    }
    const size = gz((await bundle(ROOT, src, { external: [] })).bytes);
    cells.push(lpad(`${kib(size)} (${(j.total / size).toFixed(2)}×)`, 22));
  }
  const budget = BUDGETS[j.job];
  console.log(`${pad(j.job, 16)}${lpad(kib(j.total), 11)}${lpad(kib(budget), 10)}${cells.join("")}`);
}
console.log("(ratio: ours ÷ theirs; the goal is ≤ 1.00× against Amplify for every job)");
for (const j of ours) console.log(`  ${pad(j.job, 16)} JS ${kib(j.js)} + wasm ${kib(j.wasm)}: ${JOBS.find((x) => x.job === j.job).what}`);

console.log("\nJS files of the package (each minified alone, gzip):");
for (const f of await jsFiles(ROOT)) console.log(`  ${pad(f.path, 40)}${lpad(kib(f.min), 11)}${lpad(kib(f.gzip), 11)}`);

// Where each wasm module's bytes go.
for (const m of ["core", "srp"]) {
  const shipped = readFileSync(`${ROOT}pkg/gen/${m}_bg.wasm`);
  const fns = functionSizes(readFileSync(`${ROOT}bench/out/${m}.named.wasm`));
  const total = fns.reduce((n, f) => n + f.size, 0);
  const pct = (n) => `${((n / total) * 100).toFixed(1)}%`;
  console.log(`\n${m}_bg.wasm: ${kib(shipped.length)} raw, ${kib(gz(shipped))} gzip; by module / crate, top 25`);
  console.log(`${lpad("bytes", 8)} ${lpad("share", 6)} ${lpad("gzip*", 8)}  (*the group's bytes gzipped alone)`);
  for (const g of groupSizes(fns).slice(0, 25)) console.log(`${lpad(g.size, 8)} ${lpad(pct(g.size), 6)} ${lpad(kib(g.gzip), 8)}  ${g.name}`);
  console.log(`${m}: top 15 functions and data segments:`);
  for (const f of fns.slice(0, 15)) console.log(`${lpad(f.size, 8)} ${lpad(pct(f.size), 6)}  ${f.name.slice(0, 110)}`);
}
