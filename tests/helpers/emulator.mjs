// Starts the cognito-emulator binary for a test and stops it afterwards.
//
//   import { startEmulator } from "../helpers/emulator.mjs";
//   const emu = await startEmulator();            // default demo seed, free port
//   try { ... emu.url, emu.poolId, emu.clientId, await emu.latestCode("demo") }
//   finally { await emu.stop(); }
//
// Options: { seed: object | path, dataDir, issuer, args: [...extra flags],
//   loopbackOrigins (default true) }.
// Test pages are served on random ports and call the emulator cross-origin,
// so by default it is started with `--allow-origin http://127.0.0.1:*` and
// `--allow-origin http://localhost:*` (CORS, outbox and admin operations for
// any loopback page). `loopbackOrigins: false` leaves them out: only the
// seed's callback/sign-out origins and `args` then count, as for a developer.
// It builds nothing: it runs target/release/cognito-emulator (or the binary
// named by COGNITO_EMULATOR_BIN); run `cargo build --release -p
// cognito-emulator` first (the test script does). The server binds to
// 127.0.0.1 on a free port and is killed by stop() (also on process exit).
//
// Returned: { url, port, pid, poolId, clientId (public SPA client),
//   confidentialClientId, clientSecret, username, password, issuer, jwksUri,
//   seed, outbox(filter?), latestCode(username, purpose?), call(op, body),
//   stats() (JSON-API requests received, by operation, faulted ones too),
//   fault(rule) / faults() / clearFaults() (fault mode, see the README),
//   logs(), stop() (SIGTERM, graceful), kill() (SIGKILL, like a crash) }.

import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { randomUUID } from "node:crypto";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const live = new Set();
process.on("exit", () => {
  for (const p of live) p.kill("SIGKILL");
});

export const defaultSeedPath = join(root, "emulator/seed/default.json");

export function emulatorBinary() {
  return process.env.COGNITO_EMULATOR_BIN || join(root, "target/release/cognito-emulator");
}

/** The `--allow-origin` flags a test emulator gets unless `loopbackOrigins: false`. */
export const LOOPBACK_ORIGIN_ARGS = ["--allow-origin", "http://127.0.0.1:*", "--allow-origin", "http://localhost:*"];

export async function startEmulator({ seed, dataDir, issuer, args = [], loopbackOrigins = true } = {}) {
  const bin = emulatorBinary();
  if (!existsSync(bin)) {
    throw new Error(`${bin} is missing: run \`cargo build --release -p cognito-emulator\` first`);
  }
  let seedPath = defaultSeedPath;
  let tempSeed = null;
  let seedDoc;
  if (seed && typeof seed === "object") {
    const dir = join(root, "tests/.tmp");
    mkdirSync(dir, { recursive: true });
    seedPath = join(dir, `seed-${randomUUID()}.json`);
    writeFileSync(seedPath, JSON.stringify(seed));
    tempSeed = seedPath;
    seedDoc = seed;
  } else {
    if (typeof seed === "string") seedPath = seed;
    seedDoc = JSON.parse(readFileSync(seedPath, "utf8"));
  }
  const argv = ["--port", "0", "--host", "127.0.0.1", "--seed", seedPath, ...(loopbackOrigins ? LOOPBACK_ORIGIN_ARGS : []), ...args];
  if (dataDir) argv.push("--data-dir", dataDir);
  if (issuer) argv.push("--issuer", issuer);
  const child = spawn(bin, argv, { stdio: ["ignore", "pipe", "pipe"] });
  live.add(child);
  let out = "";
  let err = "";
  child.stderr.on("data", (d) => (err += d));
  const url = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`emulator did not start:\n${err}`)), 10_000);
    child.stdout.on("data", (d) => {
      out += d;
      const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)/m.exec(out);
      if (m) {
        clearTimeout(timer);
        ok(m[1]);
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      fail(new Error(`emulator exited (${code}) before listening:\n${err}`));
    });
  });
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/_emulator/health`)).ok) break;
    } catch {}
    if (i > 100) throw new Error("emulator health check failed");
    await new Promise((r) => setTimeout(r, 50));
  }
  const pool = seedDoc.pools[0];
  const pub = pool.clients.find((c) => !c.secret);
  const conf = pool.clients.find((c) => c.secret);
  const user = pool.users?.[0];
  const issuerUrl = `${issuer ?? url}/${pool.id}`;
  const outbox = async (filter = {}) => {
    const q = new URLSearchParams(filter).toString();
    return (await fetch(`${url}/_emulator/outbox${q ? "?" + q : ""}`)).json();
  };
  return {
    url,
    port: Number(new URL(url).port),
    pid: child.pid,
    poolId: pool.id,
    clientId: pub?.id,
    confidentialClientId: conf?.id,
    clientSecret: conf?.secret,
    username: user?.username,
    password: user?.password,
    issuer: issuerUrl,
    jwksUri: `${url}/${pool.id}/.well-known/jwks.json`,
    seed: seedDoc,
    outbox,
    async latestCode(username, purpose) {
      const msgs = await outbox(purpose ? { username, purpose } : { username });
      if (!msgs.length) throw new Error(`no code in the outbox for ${username}`);
      return msgs[msgs.length - 1].code;
    },
    // One JSON-API call; resolves to the parsed body, rejects with an Error
    // whose `name` is Cognito's `__type`.
    async call(op, body) {
      const r = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/x-amz-json-1.1",
          "x-amz-target": `AWSCognitoIdentityProviderService.${op}`,
        },
        body: JSON.stringify(body),
      });
      const json = await r.json();
      if (!r.ok) {
        const e = new Error(json.message);
        e.name = json.__type;
        e.status = r.status;
        throw e;
      }
      return json;
    },
    async stats() {
      return (await (await fetch(`${url}/_emulator/stats`)).json()).operations;
    },
    // Adds a fault rule ({ target | path, fault, times, delayMs, status,
    // retryAfter, keepBytes, processed }); resolves to the rule as listed.
    async fault(rule) {
      const r = await fetch(`${url}/_emulator/faults`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(rule),
      });
      const json = await r.json();
      if (!r.ok) throw new Error(`fault rule refused: ${json.message}`);
      return json;
    },
    async faults() {
      return (await (await fetch(`${url}/_emulator/faults`)).json()).rules;
    },
    async clearFaults() {
      await fetch(`${url}/_emulator/faults`, { method: "DELETE" });
    },
    logs: () => out + err,
    // SIGKILL, as a crash would (no final write).
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const done = new Promise((r) => child.once("exit", r));
      child.kill("SIGKILL");
      await done;
      live.delete(child);
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const done = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      const t = setTimeout(() => child.kill("SIGKILL"), 3000);
      await done;
      clearTimeout(t);
      live.delete(child);
      if (tempSeed) rmSync(tempSeed, { force: true });
    },
  };
}
