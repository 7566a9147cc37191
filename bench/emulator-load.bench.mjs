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
// cognito-emulator) or COGNITO_EMULATOR_BIN. The logins run in
// bench/lib/srp-login-worker.mjs (plain JavaScript BigInt client math, so
// client and server share this machine's cores: figures are a floor).
// emulator-soak.bench.mjs runs the same logins for minutes, watching memory.
import { Worker } from "node:worker_threads";

{
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
          const w = new Worker(new URL("./lib/srp-login-worker.mjs", import.meta.url), {
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
}
