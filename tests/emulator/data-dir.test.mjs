// --data-dir keeps users, refresh tokens and the signing key across
// restarts, graceful (SIGTERM) or not (SIGKILL), and a torn temporary file
// from an interrupted write does not affect the state.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmulator } from "../helpers/emulator.mjs";

const login = (emu, USERNAME, PASSWORD) =>
  emu.call("InitiateAuth", { ClientId: emu.clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME, PASSWORD } });

test("state survives a graceful restart and a kill", async () => {
  const dir = mkdtempSync(join(tmpdir(), "emu-data-"));
  let emu;
  try {
    emu = await startEmulator({ dataDir: dir });
    await emu.call("SignUp", { ClientId: emu.clientId, Username: "keeper", Password: "Keep-Passw0rd!", UserAttributes: [{ Name: "email", Value: "k@example.com" }] });
    await emu.call("ConfirmSignUp", { ClientId: emu.clientId, Username: "keeper", ConfirmationCode: await emu.latestCode("keeper", "SignUp") });
    const first = await login(emu, "keeper", "Keep-Passw0rd!");
    const kid = (await (await fetch(emu.jwksUri)).json()).keys[0].kid;
    assert.doesNotMatch(readFileSync(join(dir, "state.json"), "utf8"), /Keep-Passw0rd!/);
    await emu.stop();

    emu = await startEmulator({ dataDir: dir });
    assert.equal((await (await fetch(emu.jwksUri)).json()).keys[0].kid, kid);
    await login(emu, "keeper", "Keep-Passw0rd!");
    const r = await emu.call("InitiateAuth", {
      ClientId: emu.clientId, AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: first.AuthenticationResult.RefreshToken },
    });
    assert.ok(r.AuthenticationResult.AccessToken);
    // The old access token still verifies against the kept key.
    const me = await emu.call("GetUser", { AccessToken: first.AuthenticationResult.AccessToken });
    assert.equal(me.Username, "keeper");

    await emu.call("AdminCreateUser", { UserPoolId: emu.poolId, Username: "late", TemporaryPassword: "Late-Passw0rd!", MessageAction: "SUPPRESS" });
    await new Promise((res) => setTimeout(res, 500)); // the writer coalesces for a few ms
    await emu.kill();

    writeFileSync(join(dir, ".state.json.tmp"), '{"pools": {"torn'); // an interrupted write
    emu = await startEmulator({ dataDir: dir });
    const late = await emu.call("AdminGetUser", { UserPoolId: emu.poolId, Username: "late" });
    assert.equal(late.UserStatus, "FORCE_CHANGE_PASSWORD");
    await login(emu, "keeper", "Keep-Passw0rd!");
  } finally {
    await emu?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
