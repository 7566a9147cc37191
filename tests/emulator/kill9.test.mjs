// `--data-dir` survives `kill -9` in the middle of a sign-up / sign-in load:
// the emulator is killed with SIGKILL while clients sign up, confirm and
// sign in (each a write of the state file), restarted on the same directory,
// and must start (state.json is never torn: it is written to a temporary
// file, fsynced and renamed), read back every user whose sign-up finished
// well before the kill (the state is written behind the answers, within
// tens of milliseconds), and hold no user in a state that no request made.
// Five kills in a row, on the state each restart left. (With the state
// written in place instead, about one run in two finds a torn file.)
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator } from "../helpers/emulator.mjs";

/** Users confirmed at least this long before a kill must survive it (the write-behind delay is 20 ms). */
const GRACE_MS = 500;
const CYCLES = 5;
const CLIENTS = 6;

const dir = mkdtempSync(join(tmpdir(), "emu-kill9-"));
let emu;
after(async () => {
  await emu?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const password = (u) => `${u}-Passw0rd!`;
const signIn = (u) =>
  emu.call("InitiateAuth", { ClientId: emu.clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: u, PASSWORD: password(u) } });

/** Signs every user in, eight at a time; rejects naming the first that cannot. */
async function signInAll(users) {
  for (let i = 0; i < users.length; i += 8) {
    await Promise.all(
      users.slice(i, i + 8).map((u) =>
        signIn(u).catch((e) => {
          throw new Error(`${u} cannot sign in after the restart: ${e.name}: ${e.message}`);
        }),
      ),
    );
  }
}

/**
 * One client's loop until the emulator dies: sign up, confirm with the
 * outbox code, sign in. Records each user as it gets through each step.
 */
async function client(id, cycle, done, attempted) {
  for (let i = 0; ; i++) {
    const username = `k${cycle}-${id}-${i}`;
    attempted.push(username);
    try {
      await emu.call("SignUp", {
        ClientId: emu.clientId, Username: username, Password: password(username),
        UserAttributes: [{ Name: "email", Value: `${username}@example.com` }],
      });
      await emu.call("ConfirmSignUp", { ClientId: emu.clientId, Username: username, ConfirmationCode: await emu.latestCode(username, "SignUp") });
      const confirmedAt = Date.now();
      // Two sign-ins: each keeps a refresh grant, so the state (and each
      // write of it) grows as it would on a busy pool.
      await signIn(username);
      await signIn(username);
      done.push({ username, confirmedAt });
    } catch {
      return; // killed
    }
  }
}

test("state is intact after kill -9 under sign-up and sign-in load", async () => {
  const survivors = []; // users that must sign in after every later restart
  const outcomes = [];
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    emu = await startEmulator({ dataDir: dir });
    // Everyone confirmed well before an earlier kill is still there.
    await signInAll(survivors);
    const done = [];
    const attempted = [];
    const loops = Array.from({ length: CLIENTS }, (_, id) => client(id, cycle, done, attempted));
    // Kill in the thick of it: after 1.2–2.2 s of load.
    await new Promise((r) => setTimeout(r, 1200 + Math.random() * 1000));
    const before = done.length;
    const killedAt = Date.now();
    await emu.kill();
    await Promise.all(loops);
    assert.ok(before >= CLIENTS, `too little load before the kill (${before} sign-ups)`);

    // The state file is whole JSON; no temporary file is taken for it.
    const state = JSON.parse(readFileSync(join(dir, "state.json"), "utf8"));
    assert.ok(Object.keys(state.pools).length > 0, "the pools are in the file");
    emu = await startEmulator({ dataDir: dir });
    const kept = done.filter((d) => d.confirmedAt <= killedAt - GRACE_MS).map((d) => d.username);
    await signInAll(kept);
    survivors.push(...kept);
    // Every user of the cycle, survivor or not, is absent or in a state a
    // request put it in.
    for (const u of attempted) {
      let status = null;
      try {
        status = (await emu.call("AdminGetUser", { UserPoolId: emu.poolId, Username: u })).UserStatus;
      } catch (e) {
        assert.equal(e.name, "UserNotFoundException", `${u}: ${e.message}`);
      }
      assert.ok([null, "UNCONFIRMED", "CONFIRMED"].includes(status), `${u}: ${status}`);
    }
    outcomes.push({ cycle, signUpsBeforeKill: before, checked: kept.length });
    await emu.stop();
  }
  assert.ok(survivors.length >= CYCLES, `only ${survivors.length} sign-ups finished before a grace window`);
  // The last restart reads every kill's survivors.
  emu = await startEmulator({ dataDir: dir });
  await signInAll(survivors);
  await emu.stop();
  assert.deepEqual(readdirSync(dir).filter((f) => !f.startsWith(".")).sort(), ["signing-key.pem", "state.json"]);
  console.log(`kill -9: ${JSON.stringify(outcomes)}; ${survivors.length} users read back after ${CYCLES} kills`);
});
