#!/usr/bin/env node
// Load check for the emulator: N SRP logins (USER_SRP_AUTH →
// PASSWORD_VERIFIER, the emulator verifying each proof for real) from M
// concurrent clients, each a worker thread with its own user. Reports
// logins/s, server latency percentiles (the two HTTP round-trips of a login)
// and errors; exits non-zero if any login failed.
//
//   node bench/emulator-load.bench.mjs [--logins N] [--clients M]
//
// Needs target/release/cognito-emulator (cargo build --release -p
// cognito-emulator) or COGNITO_EMULATOR_BIN. The client math is plain
// JavaScript BigInt (bench/lib/srp-bigint.mjs) with a 256-bit ephemeral, so
// client and server share this machine's cores: figures are a floor.
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";

if (isMainThread) {
  const arg = (name, def) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : def;
  };
  const N = arg("logins", 200);
  const M = arg("clients", 4);
  const { startEmulator } = await import("../tests/helpers/emulator.mjs");
  const users = Array.from({ length: M }, (_, i) => ({
    username: `load-${i}`, password: `Load-Passw0rd-${i}!`, attributes: { email: `load${i}@example.com`, email_verified: "true" },
  }));
  const seed = {
    pools: [{
      id: "us-east-1_LoadTest", mfa: "OFF",
      clients: [{ id: "load-client", name: "load", callbackUrls: [] }],
      users,
    }],
  };
  const emu = await startEmulator({ seed });
  try {
    const t0 = performance.now();
    const per = Array.from({ length: M }, (_, i) => Math.floor(N / M) + (i < N % M ? 1 : 0));
    const results = await Promise.all(
      per.map((count, i) =>
        new Promise((ok, fail) => {
          const w = new Worker(fileURLToPath(import.meta.url), {
            workerData: { url: emu.url, poolId: emu.poolId, clientId: "load-client", user: users[i], count },
          });
          w.once("message", ok);
          w.once("error", fail);
        }),
      ),
    );
    const seconds = (performance.now() - t0) / 1000;
    const server = results.flatMap((r) => r.server).sort((a, b) => a - b);
    const total = results.flatMap((r) => r.total).sort((a, b) => a - b);
    const errors = results.flatMap((r) => r.errors);
    const pct = (xs, p) => (xs.length ? xs[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)] : NaN);
    const ms = (x) => `${x.toFixed(1)} ms`;
    console.log(`emulator load: ${N} SRP logins from ${M} concurrent clients`);
    console.table({
      "logins/s": { value: (server.length / seconds).toFixed(1) },
      "server p50 (2 requests)": { value: ms(pct(server, 50)) },
      "server p99 (2 requests)": { value: ms(pct(server, 99)) },
      "login p99 (incl. client math)": { value: ms(pct(total, 99)) },
      errors: { value: errors.length },
    });
    console.log(JSON.stringify({ bench: "emulator-load", logins: N, clients: M, loginsPerSecond: +(server.length / seconds).toFixed(1),
      serverP50Ms: +pct(server, 50).toFixed(1), serverP99Ms: +pct(server, 99).toFixed(1), errors: errors.length }));
    if (errors.length) {
      console.error("errors:", errors.slice(0, 5));
      process.exitCode = 1;
    }
  } finally {
    await emu.stop();
  }
} else {
  const { bigintPrepare, bigintAnswer } = await import("./lib/srp-bigint.mjs");
  const { url, poolId, clientId, user, count } = workerData;
  const call = async (op, body) => {
    const r = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": `AWSCognitoIdentityProviderService.${op}` },
      body: JSON.stringify(body),
    });
    const j = await r.json();
    if (!r.ok) throw new Error(`${op}: ${j.__type}: ${j.message}`);
    return j;
  };
  const stamp = () => {
    const d = new Date();
    const days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    const p = (n) => String(n).padStart(2, "0");
    return `${days[d.getUTCDay()]} ${months[d.getUTCMonth()]} ${d.getUTCDate()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
  };
  const out = { server: [], total: [], errors: [] };
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    try {
      const eph = bigintPrepare(randomBytes(32).toString("hex"));
      let t = performance.now();
      const ch = await call("InitiateAuth", {
        ClientId: clientId, AuthFlow: "USER_SRP_AUTH", AuthParameters: { USERNAME: user.username, SRP_A: eph.A.toString(16) },
      });
      let server = performance.now() - t;
      const p = ch.ChallengeParameters;
      const timestamp = stamp();
      const { signature } = bigintAnswer(eph, {
        userPoolId: poolId, password: user.password, timestamp,
        challenge: { srpB: p.SRP_B, salt: p.SALT, secretBlock: p.SECRET_BLOCK, userId: p.USER_ID_FOR_SRP },
      });
      t = performance.now();
      const done = await call("RespondToAuthChallenge", {
        ClientId: clientId, ChallengeName: "PASSWORD_VERIFIER",
        ChallengeResponses: { USERNAME: p.USERNAME, PASSWORD_CLAIM_SECRET_BLOCK: p.SECRET_BLOCK, PASSWORD_CLAIM_SIGNATURE: signature, TIMESTAMP: timestamp },
      });
      server += performance.now() - t;
      if (!done.AuthenticationResult?.AccessToken) throw new Error("no tokens");
      out.server.push(server);
      out.total.push(performance.now() - start);
    } catch (e) {
      out.errors.push(String(e.message ?? e));
    }
  }
  parentPort.postMessage(out);
}
