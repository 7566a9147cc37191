// `npm run bench` (size): the whole SDK as a browser receives it, against
// the 35 KiB gzip budget and against the two libraries it replaces, measured
// in the same run the same way (esbuild --bundle --minify --platform=browser,
// gzip -9); then where the wasm's bytes go, per function and per module.
// No pass/fail: `npm run build -- --enforce` fails on the budget.
//
// Our payload: pkg/gen/cognito_wasm_bg.wasm (gzip) + the JS reachable from
// pkg/index.js (glue, api.js, auth.js, …) bundled and minified (gzip): what
// a bundler ships for `import { init, CognitoAuth, srp } from "cognito-wasm"`.
// The wasm is fetched at run time, so it is counted beside the bundle.
//
// Anchors (what an app imports for the same jobs):
// - amazon-cognito-identity-js: CognitoUserPool + CognitoUser +
//   AuthenticationDetails, SRP sign-in with every challenge callback, session
//   and refresh (getSession), sign-out.
// - Amplify v6 (@aws-amplify/auth + @aws-amplify/core): Amplify.configure with
//   the user-pool token provider, signIn, confirmSignIn, fetchAuthSession,
//   signInWithRedirect, signOut. (No identity-pool credentials provider: the
//   `aws-amplify` umbrella package adds one, so real apps ship more.)
//
// The function breakdown reads bench/out/cognito_wasm.named.wasm, written by
// `node scripts/build.mjs --names` (run here when missing or older than the
// built wasm); the same wasm-opt output as the shipped file, names kept.
// Shallow sizes come from a name-section reader (scripts/size.mjs); retained
// sizes from `twiggy top --retained` when .tools/twiggy is installed
// (scripts/bench.sh installs it).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { BUDGET_GZIP, browserPayload, functionSizes, groupSizes, gz, kib } from "../scripts/size.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const require = createRequire(import.meta.url);
const version = (name) => require(`${name}/package.json`).version;
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);

const NAMED = `${ROOT}bench/out/cognito_wasm.named.wasm`;
const SHIPPED = `${ROOT}pkg/gen/cognito_wasm_bg.wasm`;
if (!existsSync(NAMED) || statSync(NAMED).mtimeMs < statSync(SHIPPED).mtimeMs) {
  console.log("(building with --names for the function breakdown)");
  const r = spawnSync(process.execPath, ["scripts/build.mjs", "--names"], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`scripts/build.mjs --names exited with ${r.status}:\n${r.stderr}`);
}

async function bundle(contents) {
  const r = await build({
    stdin: { contents, resolveDir: ROOT, sourcefile: "entry.mjs", loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "error",
  });
  const js = r.outputFiles[0].contents;
  return { raw: js.length, gzip: gz(js) };
}

const CIJ = `
import { CognitoUserPool, CognitoUser, AuthenticationDetails } from "amazon-cognito-identity-js";
export function signIn(UserPoolId, ClientId, Username, Password, ui) {
  const pool = new CognitoUserPool({ UserPoolId, ClientId });
  const user = new CognitoUser({ Username, Pool: pool });
  user.authenticateUser(new AuthenticationDetails({ Username, Password }), {
    onSuccess: ui.done, onFailure: ui.fail,
    newPasswordRequired: (a) => user.completeNewPasswordChallenge(ui.newPassword(), {}, ui),
    mfaRequired: () => user.sendMFACode(ui.code(), ui),
    totpRequired: () => user.sendMFACode(ui.code(), ui, "SOFTWARE_TOKEN_MFA"),
    selectMFAType: () => user.sendMFASelectionAnswer(ui.mfaType(), ui),
    mfaSetup: () => user.associateSoftwareToken(ui),
    customChallenge: () => user.sendCustomChallengeAnswer(ui.answer(), ui),
  });
  return user;
}
export function current(UserPoolId, ClientId, cb) {
  const user = new CognitoUserPool({ UserPoolId, ClientId }).getCurrentUser();
  if (user) user.getSession(cb);
  return user;
}
export const signOut = (user) => user.signOut();
`;

const AMPLIFY = `
import { Amplify } from "@aws-amplify/core";
import { signIn, confirmSignIn, fetchAuthSession, signInWithRedirect, signOut } from "@aws-amplify/auth";
import { cognitoUserPoolsTokenProvider } from "@aws-amplify/auth/cognito";
export function configure(config) {
  Amplify.configure(config, { Auth: { tokenProvider: cognitoUserPoolsTokenProvider } });
}
export { signIn, confirmSignIn, fetchAuthSession, signInWithRedirect, signOut };
`;

const ours = await browserPayload(ROOT);
const rows = [
  { name: "cognito-wasm: wasm", raw: ours.wasm.raw, gzip: ours.wasm.gzip, part: true },
  { name: `cognito-wasm: JS (${ours.files.length} files, one bundle)`, raw: ours.js.min, gzip: ours.js.gzip, part: true },
  { name: "cognito-wasm: browser payload", raw: ours.wasm.raw + ours.js.min, gzip: ours.gzip },
  { name: `amazon-cognito-identity-js ${version("amazon-cognito-identity-js")}`, ...(await bundle(CIJ)) },
  { name: `Amplify v6 (auth ${version("@aws-amplify/auth")}, core ${version("@aws-amplify/core")})`, ...(await bundle(AMPLIFY)) },
];

console.log(`\nBrowser payload, whole SDK (esbuild --bundle --minify --platform=browser; gzip -9)`);
console.log(
  `${pad("what", 48)}${lpad("min", 11)}${lpad("gzip", 11)}${lpad("vs 35 KiB", 12)}${lpad("× ours", 9)}`,
);
for (const r of rows) {
  const vsBudget = r.part ? "" : `${((r.gzip / BUDGET_GZIP) * 100).toFixed(0)}%`;
  const ratio = r.part ? "" : `${(r.gzip / ours.gzip).toFixed(2)}×`;
  console.log(`${pad(r.name, 48)}${lpad(kib(r.raw), 11)}${lpad(kib(r.gzip), 11)}${lpad(vsBudget, 12)}${lpad(ratio, 9)}`);
}
const margin = BUDGET_GZIP - ours.gzip;
console.log(
  `budget ${kib(BUDGET_GZIP)} gzip: ${margin >= 0 ? `within, ${kib(margin)} to spare` : `OVER by ${kib(-margin)}`}`,
);
console.log("JS files (each minified alone, gzip):");
for (const f of ours.files) console.log(`  ${pad(f.path, 46)}${lpad(kib(f.min), 11)}${lpad(kib(f.gzip), 11)}`);

// Where the wasm's bytes go.
const named = readFileSync(NAMED);
const fns = functionSizes(named);
const total = fns.reduce((n, f) => n + f.size, 0);
const pct = (n) => `${((n / total) * 100).toFixed(1)}%`;
console.log(`\nwasm: top 30 functions and data segments (shallow bytes; ${kib(total)} of code and data, ${kib(ours.wasm.raw)} shipped)`);
for (const f of fns.slice(0, 30)) console.log(`${lpad(f.size, 8)} ${lpad(pct(f.size), 6)}  ${f.name.slice(0, 110)}`);
const groups = groupSizes(fns);
console.log(`\nwasm by module / crate (top 30 of ${groups.length})`);
for (const g of groups.slice(0, 30)) console.log(`${lpad(g.size, 8)} ${lpad(pct(g.size), 6)}  ${g.name}`);
// What each export keeps alive (twiggy's retained size: the bytes that
// would go if nothing else referenced them). The name section counts too.
const twiggy = `${ROOT}.tools/twiggy/bin/twiggy`;
const t = existsSync(twiggy) ? spawnSync(twiggy, ["top", "--retained", "-n", "20", NAMED], { encoding: "utf8" }) : null;
if (t && t.status === 0) {
  console.log("\ntwiggy top --retained -n 20:");
  process.stdout.write(t.stdout);
} else {
  console.log("\n(twiggy not installed: no retained sizes; scripts/bench.sh installs it into .tools/twiggy)");
}
