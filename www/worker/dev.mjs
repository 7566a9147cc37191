#!/usr/bin/env node
// Runs the example Worker locally without wrangler: the emulator (seeded with
// www/worker/seed.json) on 127.0.0.1:9229 and the Worker, bundled as wrangler
// does and run in workerd by miniflare (both already devDependencies), on
// http://127.0.0.1:8787. Open http://127.0.0.1:8787/app, sign in as demo /
// Demo-Passw0rd! (or ada / Ada-Passw0rd!, in the admins group). Ctrl-C stops both.
//
//   npm run build && cargo build --release -p cognito-emulator
//   node www/worker/dev.mjs            # or: node www/worker/dev.mjs hono
//
// The cookie secret is random per run (sessions end when it stops).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { bundle } from "../../tests/edge/helpers.mjs";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const ROOT = join(HERE, "../..");
const EMULATOR = "http://127.0.0.1:9229";
const seed = JSON.parse(readFileSync(join(HERE, "seed.json"), "utf8"));
const client = seed.pools[0].clients.find((c) => c.secret);

const bin = process.env.COGNITO_EMULATOR_BIN || join(ROOT, "target/release/cognito-emulator");
const emu = spawn(bin, ["--host", "127.0.0.1", "--port", "9229", "--seed", join(HERE, "seed.json")], { stdio: "inherit" });
const outDir = mkdtempSync(join(tmpdir(), "cognito-edge-example-"));
await bundle(join(HERE, "src", process.argv[2] === "hono" ? "hono.js" : "index.js"), outDir);
const mf = new Miniflare({
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
  port: 8787,
  bindings: {
    USER_POOL_ID: seed.pools[0].id,
    CLIENT_ID: client.id,
    CLIENT_SECRET: client.secret,
    COGNITO_DOMAIN: EMULATOR,
    COGNITO_ENDPOINT: EMULATOR,
    COOKIE_SECRET: randomBytes(32).toString("base64url"),
  },
});
console.log(`example Worker on ${await mf.ready}`);
const stop = async () => {
  await mf.dispose();
  emu.kill("SIGTERM");
  rmSync(outDir, { recursive: true, force: true });
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
