// Starts moto_server (moto, PyPI: an independent implementation of the
// Cognito user-pool JSON API) for a test, seeds a user pool through the
// JSON API, and always stops it afterwards.
//
//   import { startMoto } from "../helpers/moto.mjs";
//   const moto = await startMoto();                 // free port on 127.0.0.1
//   try { const pool = await moto.seed(); ... moto.url, pool.poolId, pool.clientId }
//   finally { await moto.stop(); }
//
// moto_server comes from `.tools/venv/bin/moto_server` (scripts/setup.sh
// installs moto there) or the binary named by MOTO_SERVER_BIN. moto needs no
// SigV4 for the user-pool API: admin calls are plain JSON calls without an
// Authorization header (the region is then us-east-1).
//
// startMoto() returns { url, port, call(op, body) (raw: { status, headers,
// body, json }), admin(op, body) (the parsed output; rejects with an Error
// whose name is the error's `__type`), seed(options), logs(), stop() }.
// stop() sends SIGTERM and, after 3 s, SIGKILL; a process exit kills it too.

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, waitForHttp } from "./net.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const live = new Set();
const killAll = () => {
  for (const p of live) p.kill("SIGKILL");
};
process.on("exit", killAll);
// A test runner that stops this process with a signal skips "exit": kill
// moto first, then die of the same signal.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.once(signal, () => {
    killAll();
    process.kill(process.pid, signal);
  });
}

export function motoBinary() {
  return process.env.MOTO_SERVER_BIN || join(root, ".tools/venv/bin/moto_server");
}

/** Whether moto_server is installed (scripts/setup.sh installs it). */
export function motoAvailable() {
  return existsSync(motoBinary());
}

const TARGET = "AWSCognitoIdentityProviderService.";

/** The response headers a recording keeps (those the SDK's transport reads). */
export const KEPT_HEADERS = ["content-type", "date", "x-amzn-errortype", "x-amzn-requestid"];

/** One JSON API call to `url`: the raw status, kept headers and body. */
export async function rawCall(url, op, body, extraHeaders = {}) {
  const r = await fetch(url + "/", {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": TARGET + op,
      ...extraHeaders,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await r.text();
  const headers = {};
  for (const h of KEPT_HEADERS) {
    const v = r.headers.get(h);
    if (v !== null) headers[h] = v;
  }
  let json;
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    json = undefined;
  }
  return { status: r.status, headers, body: text, json };
}

export async function startMoto({ env = {} } = {}) {
  const bin = motoBinary();
  if (!existsSync(bin)) {
    throw new Error(`${bin} is missing: run \`npm run setup\` (it installs moto into .tools/venv)`);
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(bin, ["-H", "127.0.0.1", "-p", String(port)], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, PYTHONUNBUFFERED: "1", ...env },
  });
  live.add(child);
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  let exited = null;
  child.on("exit", (code, signal) => {
    exited = code ?? signal;
    live.delete(child);
  });

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const done = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    const t = setTimeout(() => child.kill("SIGKILL"), 3000);
    await done;
    clearTimeout(t);
    live.delete(child);
  };

  try {
    await waitForHttp(`${url}/moto-api/`, { timeoutMs: 30_000, intervalMs: 100 });
  } catch (e) {
    await stop();
    throw new Error(`moto_server did not start${exited !== null ? ` (exited: ${exited})` : ""}: ${e.message}\n${out}`);
  }

  const call = (op, body, headers) => rawCall(url, op, body, headers);
  const admin = async (op, body) => {
    const r = await call(op, body);
    if (r.status !== 200) {
      const e = new Error(`${op}: ${r.json?.message ?? r.body}`);
      e.name = r.json?.__type ?? "MotoError";
      e.status = r.status;
      throw e;
    }
    return r.json;
  };

  return {
    url,
    port,
    call,
    admin,
    logs: () => out,
    stop,
    /** Seeds a pool; see seedPool. */
    seed: (options) => seedPool(admin, options),
  };
}

/** A password that satisfies moto's default policy (upper, lower, digit, symbol, ≥ 8). */
export const PASSWORD = "Passw0rd!moto";

/**
 * Creates a user pool with:
 * - `clientId`: a public client with USER_SRP_AUTH, USER_PASSWORD_AUTH,
 *   REFRESH_TOKEN_AUTH and CUSTOM_AUTH allowed;
 * - `confidentialClientId` / `clientSecret`: the same with a secret;
 * - `username` / `password`: a confirmed user (AdminCreateUser, then
 *   AdminSetUserPassword permanent), e-mail attribute set;
 * - `freshUsername` / `tempPassword`: a user left in FORCE_CHANGE_PASSWORD.
 * `users` adds more confirmed users: a list of usernames.
 */
export async function seedPool(admin, { poolName = "cognito-wasm-test", users = [] } = {}) {
  const { UserPool } = await admin("CreateUserPool", {
    PoolName: poolName,
    Schema: [{ Name: "email", AttributeDataType: "String", Mutable: true, Required: false }],
    AutoVerifiedAttributes: ["email"],
  });
  const flows = [
    "ALLOW_USER_SRP_AUTH",
    "ALLOW_USER_PASSWORD_AUTH",
    "ALLOW_REFRESH_TOKEN_AUTH",
    "ALLOW_CUSTOM_AUTH",
  ];
  const pub = await admin("CreateUserPoolClient", {
    UserPoolId: UserPool.Id,
    ClientName: "spa",
    ExplicitAuthFlows: flows,
  });
  const conf = await admin("CreateUserPoolClient", {
    UserPoolId: UserPool.Id,
    ClientName: "server",
    GenerateSecret: true,
    ExplicitAuthFlows: flows,
  });
  const confirmed = async (username) => {
    await admin("AdminCreateUser", {
      UserPoolId: UserPool.Id,
      Username: username,
      TemporaryPassword: "Temp0rary!pw",
      MessageAction: "SUPPRESS",
      UserAttributes: [
        { Name: "email", Value: `${username}@example.com` },
        { Name: "email_verified", Value: "true" },
      ],
    });
    await admin("AdminSetUserPassword", {
      UserPoolId: UserPool.Id,
      Username: username,
      Password: PASSWORD,
      Permanent: true,
    });
  };
  await confirmed("alice");
  for (const u of users) await confirmed(u);
  const tempPassword = "Temp0rary!pw";
  await admin("AdminCreateUser", {
    UserPoolId: UserPool.Id,
    Username: "fresh",
    TemporaryPassword: tempPassword,
    MessageAction: "SUPPRESS",
    UserAttributes: [{ Name: "email", Value: "fresh@example.com" }],
  });
  return {
    poolId: UserPool.Id,
    clientId: pub.UserPoolClient.ClientId,
    confidentialClientId: conf.UserPoolClient.ClientId,
    clientSecret: conf.UserPoolClient.ClientSecret,
    username: "alice",
    password: PASSWORD,
    freshUsername: "fresh",
    tempPassword,
  };
}
