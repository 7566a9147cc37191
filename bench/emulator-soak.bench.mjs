#!/usr/bin/env node
// Sustained load on the emulator: SRP logins (USER_SRP_AUTH →
// PASSWORD_VERIFIER, each proof verified for real) from M concurrent clients
// for a set time, the emulator's resident memory (VmRSS from
// /proc/<pid>/status) sampled every second. Prints the rate, server latency
// percentiles, RSS at start / end / max, and whether memory stayed flat;
// exits non-zero if any login failed. A bench, not a test: figures only.
//
//   node bench/emulator-soak.bench.mjs [--seconds S] [--clients M] [--keep-grants]
//   EMULATOR_SOAK_SECONDS=600 npm run bench      # a longer soak
//
// Default 120 s. "Flat" compares the RSS after warm-up (the first quarter
// of the run: allocator arenas and thread stacks settle) with the end. A
// login leaves a refresh-token grant in the emulator for 30 days, as Cognito
// keeps them: state, not a leak, but it grows with every login. So each
// login is followed by RevokeToken (a sign-out), which drops the grant and
// leaves only a small revocation entry; `--keep-grants` skips it to see the
// grants' cost. The growth per 1000 logins is printed beside the verdict.
import { Worker } from "node:worker_threads";
import { readFileSync } from "node:fs";

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const SECONDS = arg("seconds", Number(process.env.EMULATOR_SOAK_SECONDS) || 120);
const M = arg("clients", 2);
const KEEP_GRANTS = process.argv.includes("--keep-grants");
/** Growth after warm-up still called flat (allocator noise, the revocation
 * entries, a hash map doubling): 2 MiB or 15 %, whichever is more. */
const flatLimit = (warmMiB) => Math.max(2, warmMiB * 0.15);

/** The process's resident set, MiB (Linux). */
const rssMiB = (pid) => {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
};

const { startEmulator } = await import("../tests/helpers/emulator.mjs");
const users = Array.from({ length: M }, (_, i) => ({
  username: `soak-${i}`, password: `Soak-Passw0rd-${i}!`, attributes: { email: `soak${i}@example.com`, email_verified: "true" },
}));
const seed = {
  pools: [{ id: "us-east-1_SoakTest", mfa: "OFF", clients: [{ id: "soak-client", name: "soak", callbackUrls: [] }], users }],
};
const emu = await startEmulator({ seed });
try {
  const logins = async () => (await emu.stats()).RespondToAuthChallenge ?? 0;
  const samples = [{ t: 0, rss: rssMiB(emu.pid), logins: 0 }];
  const t0 = performance.now();
  const until = Date.now() + SECONDS * 1000;
  const workers = users.map(
    (user) =>
      new Promise((ok, fail) => {
        const w = new Worker(new URL("./lib/srp-login-worker.mjs", import.meta.url), {
          workerData: { url: emu.url, poolId: emu.poolId, clientId: "soak-client", user, until, revoke: !KEEP_GRANTS },
        });
        w.once("message", ok);
        w.once("error", fail);
      }),
  );
  let lastPrint = 0;
  const sampler = setInterval(async () => {
    const t = (performance.now() - t0) / 1000;
    const s = { t, rss: rssMiB(emu.pid), logins: await logins() };
    samples.push(s);
    if (t - lastPrint >= 10) {
      lastPrint = t;
      const prev = samples[Math.max(0, samples.length - 11)];
      const rate = (s.logins - prev.logins) / (s.t - prev.t);
      console.log(`  t=${t.toFixed(0).padStart(4)} s  ${rate.toFixed(1).padStart(6)} logins/s  RSS ${s.rss.toFixed(1)} MiB`);
    }
  }, 1000);
  console.log(`emulator soak: SRP logins from ${M} clients for ${SECONDS} s${KEEP_GRANTS ? ", refresh grants kept" : ", each followed by RevokeToken"}`);
  const results = await Promise.all(workers);
  clearInterval(sampler);
  const seconds = (performance.now() - t0) / 1000;
  samples.push({ t: seconds, rss: rssMiB(emu.pid), logins: await logins() });

  const server = results.flatMap((r) => r.server).sort((a, b) => a - b);
  const errors = results.flatMap((r) => r.errors);
  const pct = (xs, p) => (xs.length ? xs[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)] : NaN);
  const rss = samples.map((s) => s.rss);
  const warm = samples.filter((s) => s.t >= seconds / 4);
  const base = warm[0] ?? samples[0];
  const end = samples[samples.length - 1];
  const growth = end.rss - base.rss;
  const perThousand = end.logins > base.logins ? (growth * 1024 * 1000) / (end.logins - base.logins) : 0;
  const limit = flatLimit(base.rss);
  const flat = growth <= limit;
  const mib = (x) => `${x.toFixed(1)} MiB`;
  console.table({
    "logins/s": { value: (server.length / seconds).toFixed(1) },
    logins: { value: server.length },
    "server p50 (2 requests)": { value: `${pct(server, 50).toFixed(1)} ms` },
    "server p99 (2 requests)": { value: `${pct(server, 99).toFixed(1)} ms` },
    "RSS start": { value: mib(rss[0]) },
    [`RSS after warm-up (t=${base.t.toFixed(0)} s)`]: { value: mib(base.rss) },
    "RSS end": { value: mib(end.rss) },
    "RSS max": { value: mib(Math.max(...rss)) },
    "growth after warm-up": { value: `${growth >= 0 ? "+" : ""}${mib(growth)} (${perThousand.toFixed(0)} KiB per 1000 logins)` },
    memory: { value: flat ? `flat (within ${limit.toFixed(1)} MiB after warm-up)` : `GROWING (over ${limit.toFixed(1)} MiB)` },
    errors: { value: errors.length },
  });
  console.log(
    JSON.stringify({
      bench: "emulator-soak", keepGrants: KEEP_GRANTS, seconds: +seconds.toFixed(1), clients: M, logins: server.length,
      loginsPerSecond: +(server.length / seconds).toFixed(1), serverP50Ms: +pct(server, 50).toFixed(1),
      serverP99Ms: +pct(server, 99).toFixed(1), rssStartMiB: +rss[0].toFixed(1), rssWarmMiB: +base.rss.toFixed(1),
      rssEndMiB: +end.rss.toFixed(1), rssMaxMiB: +Math.max(...rss).toFixed(1), flat, errors: errors.length,
    }),
  );
  if (errors.length) {
    console.error("errors:", errors.slice(0, 5));
    process.exitCode = 1;
  }
} finally {
  await emu.stop();
}
