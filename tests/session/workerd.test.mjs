// The session in workerd (miniflare): no Web Locks, BroadcastChannel or
// sessionStorage there, so memory storage and the in-isolate single flight:
// 100 parallel getTokens() at expiry make one refresh, counted at the
// emulator.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { startEmulator } from "../helpers/emulator.mjs";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const TMP = fileURLToPath(new URL("../.tmp/", import.meta.url));
let mf;
let outDir;
let emu;

before(async () => {
  emu = await startEmulator();
  mkdirSync(TMP, { recursive: true });
  outDir = mkdtempSync(join(TMP, "session-worker-"));
  await build({
    entryPoints: [join(HERE, "worker.mjs")],
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
  if (outDir) rmSync(outDir, { recursive: true, force: true });
  await emu?.stop();
});

const stats = async () => (await (await fetch(`${emu.url}/_emulator/stats`)).json()).operations;

test("workerd: 100 parallel getTokens() at expiry make one refresh request at the emulator", async () => {
  const s0 = await stats();
  const res = await mf.dispatchFetch("http://localhost/", {
    method: "POST",
    body: JSON.stringify({
      endpoint: emu.url,
      userPoolId: emu.poolId,
      clientId: emu.clientId,
      username: emu.username,
      password: emu.password,
    }),
  });
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  const s1 = await stats();
  assert.equal(body.done, true);
  assert.equal(body.distinct, 1);
  assert.notEqual(body.refreshed, body.first);
  assert.deepEqual(body.events, ["signedIn", "tokenRefresh", "signedOut"]);
  const refreshes = (s1.GetTokensFromRefreshToken ?? 0) - (s0.GetTokensFromRefreshToken ?? 0);
  assert.equal(refreshes, 1, JSON.stringify({ s0, s1 }));
  // Sign-in: InitiateAuth + RespondToAuthChallenge (SRP), no REFRESH_TOKEN_AUTH.
  assert.equal((s1.InitiateAuth ?? 0) - (s0.InitiateAuth ?? 0), 1);
});
