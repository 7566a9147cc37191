// The storage-free hosted-UI exports in workerd (miniflare): client
// credentials with the emulator's confidential client, and JwtVerifier on
// the emulator's tokens, from a module Worker bundled as wrangler does.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, copyFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { startEmulator } from "../helpers/emulator.mjs";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const TMP = fileURLToPath(new URL("../.tmp/", import.meta.url));
let mf, outDir, emu;

before(async () => {
  emu = await startEmulator();
  mkdirSync(TMP, { recursive: true });
  outDir = mkdtempSync(join(TMP, "hosted-worker-"));
  await build({
    entryPoints: [join(HERE, "worker", "worker.mjs")],
    outfile: join(outDir, "worker.js"),
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    logLevel: "error",
    plugins: [
      {
        name: "wasm-module",
        setup(b) {
          b.onResolve({ filter: /\.wasm$/ }, (args) => {
            const src = join(args.resolveDir, args.path);
            copyFileSync(src, join(outDir, basename(src)));
            return { path: `./${basename(src)}`, external: true };
          });
        },
      },
    ],
  });
  mf = new Miniflare({
    modules: true,
    scriptPath: join(outDir, "worker.js"),
    modulesRoot: outDir,
    modulesRules: [
      { type: "ESModule", include: ["**/*.js"] },
      { type: "CompiledWasm", include: ["**/*.wasm"] },
    ],
    compatibilityDate: "2025-01-01",
    cf: false,
    host: "127.0.0.1",
  });
  await mf.ready;
});

after(async () => {
  await mf?.dispose();
  await emu?.stop();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

const post = async (path, body) => (await mf.dispatchFetch(`http://localhost${path}`, { method: "POST", body: JSON.stringify(body) })).json();

test("workerd: oauth.clientCredentials against the emulator's confidential client", async () => {
  const t = await post("/client-credentials", {
    domain: emu.url, clientId: emu.confidentialClientId, clientSecret: emu.clientSecret, scopes: ["email"],
  });
  assert.equal(t.error, undefined, JSON.stringify(t));
  const claims = JSON.parse(Buffer.from(t.accessToken.split(".")[1], "base64url"));
  assert.equal(claims.client_id, emu.confidentialClientId);
  assert.equal(claims.scope, "email");
  const bad = await post("/client-credentials", { domain: emu.url, clientId: emu.confidentialClientId, clientSecret: "wrong" });
  assert.equal(bad.error, "OAuthEndpointError");
});

test("workerd: JwtVerifier verifies the emulator's access token (WebCrypto RS256) and refuses a tampered one", async () => {
  const r = await emu.call("InitiateAuth", {
    ClientId: emu.clientId, AuthFlow: "USER_PASSWORD_AUTH",
    AuthParameters: { USERNAME: emu.username, PASSWORD: emu.password },
  });
  const token = r.AuthenticationResult.AccessToken;
  const options = { userPoolId: emu.poolId, clientId: emu.clientId, tokenUse: "access", endpoint: emu.url };
  const claims = await post("/verify", { options, token });
  assert.equal(claims.username, emu.username);
  const [h, p, s] = token.split(".");
  const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, "base64url")), username: "admin" })).toString("base64url");
  assert.deepEqual(await post("/verify", { options, token: [h, forged, s].join(".") }), { error: "JwtInvalidSignature" });
  assert.deepEqual(await post("/verify", { options: { ...options, tokenUse: "id" }, token }), { error: "CognitoJwtInvalidTokenUse" });
});
