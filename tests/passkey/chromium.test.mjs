// Passkeys in Chromium against the emulator, with Chromium's virtual
// authenticator (CDP `WebAuthn` domain: CTAP2, internal transport,
// resident keys, user verification): register a passkey after a password
// sign-in, sign out, sign in with the passkey only, list it, delete it, and
// see the next passkey sign-in refused; a replayed and a tampered assertion
// are refused with their typed errors, and a page on another origin cannot
// use the passkey at all. Independently of the emulator's verifier, every
// registration and assertion the authenticator made is verified with
// @simplewebauthn/server, and a tampered assertion fails there too.
// (Expired challenges, another relying party's credential and forged
// origins are refused in emulator/tests/webauthn*.rs, where the clock and
// the authenticator data can be controlled.)
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { verifyAuthenticationResponse, verifyRegistrationResponse } from "@simplewebauthn/server";
import { serve } from "../../scripts/serve.mjs";
import { launchChromium } from "../helpers/chromium.mjs";
import { startEmulator } from "../helpers/emulator.mjs";

const dir = (rel) => fileURLToPath(new URL(rel, import.meta.url));
let server;
let browser;
let emu;

before(async () => {
  emu = await startEmulator();
  server = await serve({ port: 0, mounts: { "/pkg/": dir("../../pkg/"), "/passkey/": dir("./") } });
  // The page is served on localhost (an IP address cannot be a WebAuthn
  // relying-party id); localhost is this loopback server.
  browser = await launchChromium({ args: ["--host-resolver-rules=MAP localhost 127.0.0.1"] });
});

after(async () => {
  await browser?.close();
  await server?.close();
  await emu?.stop();
});

const b64u = (s) => Buffer.from(s, "base64url");
const clientData = (cred) => JSON.parse(b64u(cred.response.clientDataJSON).toString("utf8"));

async function openPage(host = "localhost", query = "") {
  const options = { userPoolId: emu.poolId, clientId: emu.clientId, endpoint: emu.url, storage: "session" };
  const page = await browser.newPage();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  const origin = `http://${host}:${server.port}`;
  await page.goto(`${origin}/passkey/page.html?options=${encodeURIComponent(JSON.stringify(options))}${query}`);
  await page.waitForFunction(() => globalThis.ready === true);
  const run = (method, ...args) => page.evaluate(([m, a]) => globalThis.run(m, ...a), [method, args]);
  const made = () => page.evaluate(() => globalThis.made);
  return { page, cdp, authenticatorId, origin, run, made };
}

const stats = async () => (await (await fetch(`${emu.url}/_emulator/stats`)).json()).operations;

test("passkey journey: register after a password sign-in, sign in with the passkey only, list, delete, refused after", async () => {
  const { page, cdp, authenticatorId, origin, run, made } = await openPage();
  try {
    assert.equal(await page.evaluate(() => globalThis.supported), true, "isPasskeySupported()");
    const first = await run("signIn", { username: emu.username, password: emu.password });
    assert.equal(first.done, true, JSON.stringify(first));

    assert.equal(await run("registerPasskey"), null);
    const { credentials } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
    assert.equal(credentials.length, 1);
    assert.equal(credentials[0].rpId, "localhost", "the rp id defaults to the page's host");
    assert.equal(credentials[0].isResidentCredential, true);
    const credentialId = Buffer.from(credentials[0].credentialId, "base64").toString("base64url");

    // Registering the same authenticator again: excluded, typed.
    const again = await run("registerPasskey");
    assert.equal(again.error, "PasskeyAlreadyRegistered", JSON.stringify(again));

    const list = await run("listPasskeys");
    assert.equal(list.length, 1, JSON.stringify(list));
    assert.equal(list[0].credentialId, credentialId);
    assert.equal(list[0].relyingPartyId, "localhost");
    assert.ok(list[0].createdAt > Date.now() - 600_000 && list[0].createdAt <= Date.now() + 1000);

    assert.equal(await run("signOut"), null);
    assert.equal((await run("getTokens")).error, "NotSignedIn");

    // A fresh load of the page, then a sign-in with no password: one
    // InitiateAuth and one answer (the assertion), nothing else.
    const registered = await made();
    await page.reload();
    await page.waitForFunction(() => globalThis.ready === true);
    const before = await stats();
    const step = await run("signIn", { username: emu.username, preferredChallenge: "WEB_AUTHN" });
    assert.equal(step.done, true, JSON.stringify(step));
    const after = await stats();
    assert.equal((after.RespondToAuthChallenge ?? 0) - (before.RespondToAuthChallenge ?? 0), 1);
    assert.equal((after.InitiateAuth ?? 0) - (before.InitiateAuth ?? 0), 1);
    const user = await run("getUser");
    assert.equal(user.username, emu.username);

    // The authenticator's counter moved on at the emulator and in CDP.
    const { credentials: after1 } = await cdp.send("WebAuthn.getCredentials", { authenticatorId });
    assert.ok(after1[0].signCount >= 1);

    // Independent verification of what the authenticator made.
    const reg = registered.find((r) => r.op === "create").json;
    const regCheck = await verifyRegistrationResponse({
      response: reg,
      expectedChallenge: clientData(reg).challenge,
      expectedOrigin: origin,
      expectedRPID: "localhost",
      requireUserVerification: true,
    });
    assert.equal(regCheck.verified, true);
    const assertion = (await made()).findLast((r) => r.op === "get").json;
    const publicKey = regCheck.registrationInfo.credential.publicKey;
    const authCheck = await verifyAuthenticationResponse({
      response: assertion,
      expectedChallenge: clientData(assertion).challenge,
      expectedOrigin: origin,
      expectedRPID: "localhost",
      credential: { id: credentialId, publicKey, counter: 0 },
      requireUserVerification: true,
    });
    assert.equal(authCheck.verified, true);

    // Delete it: listed no more, and the next passkey sign-in is refused.
    assert.equal(await run("deletePasskey", credentialId), null);
    assert.deepEqual(await run("listPasskeys"), []);
    assert.equal((await run("deletePasskey", credentialId)).error, "ResourceNotFoundException");
    await run("signOut");
    const refused = await run("signIn", { username: emu.username, preferredChallenge: "WEB_AUTHN" });
    assert.equal(refused.error, "InvalidParameterException", JSON.stringify(refused));
  } finally {
    await page.close();
  }
});

test("replayed and tampered assertions are refused by the emulator and by @simplewebauthn/server", async () => {
  const { page, cdp, authenticatorId, origin, run, made } = await openPage();
  try {
    assert.equal((await run("signIn", { username: emu.username, password: emu.password })).done, true);
    assert.equal(await run("registerPasskey"), null);
    await run("signOut");
    assert.equal((await run("signIn", { username: emu.username, preferredChallenge: "WEB_AUTHN" })).done, true);
    const records = await made();
    const reg = records.find((r) => r.op === "create").json;
    const { registrationInfo } = await verifyRegistrationResponse({
      response: reg,
      expectedChallenge: clientData(reg).challenge,
      expectedOrigin: origin,
      expectedRPID: "localhost",
    });
    const good = records.findLast((r) => r.op === "get").json;
    await run("signOut");

    // The same assertion again: the emulator issued a new challenge.
    await page.evaluate((j) => (globalThis.replay = j), good);
    const replayed = await run("signIn", { username: emu.username, preferredChallenge: "WEB_AUTHN" });
    assert.equal(replayed.error, "WebAuthnChallengeNotFoundException", JSON.stringify(replayed));

    // A tampered signature over a fresh challenge: a genuine assertion from
    // the authenticator with one bit of its signature flipped.
    await page.evaluate(() => (globalThis.replay = null));
    const count = (await made()).length;
    // Make the fresh assertion through the SDK's own ceremony, then tamper
    // it in the page before the SDK sends it.
    await page.evaluate(() => {
      const real = navigator.credentials.get;
      navigator.credentials.get = async (o) => {
        const c = await real(o);
        const j = c.toJSON();
        const sig = Uint8Array.from(atob(j.response.signature.replace(/-/g, "+").replace(/_/g, "/")), (ch) => ch.charCodeAt(0));
        sig[sig.length - 1] ^= 1;
        j.response.signature = btoa(String.fromCharCode(...sig)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
        globalThis.tampered = j;
        navigator.credentials.get = real;
        return { toJSON: () => j };
      };
    });
    const tamperedStep = await run("signIn", { username: emu.username, preferredChallenge: "WEB_AUTHN" });
    assert.equal(tamperedStep.error, "NotAuthorizedException", JSON.stringify(tamperedStep));
    const tampered = await page.evaluate(() => globalThis.tampered);
    const genuine = (await made())[count].json;
    assert.equal(genuine.response.clientDataJSON, tampered.response.clientDataJSON, "the same ceremony");
    const check = (response, counter) =>
      verifyAuthenticationResponse({
        response,
        expectedChallenge: clientData(response).challenge,
        expectedOrigin: origin,
        expectedRPID: "localhost",
        credential: { id: registrationInfo.credential.id, publicKey: registrationInfo.credential.publicKey, counter },
      }).then(
        (r) => r.verified,
        () => false,
      );
    assert.equal(await check(genuine, 0), true, "the untampered assertion verifies independently");
    assert.equal(await check(tampered, 0), false, "the tampered one fails independently too");
    assert.equal(await check(good, 0), true);

    // The untampered assertion was never sent; the passkey still works.
    assert.equal((await run("signIn", { username: emu.username, preferredChallenge: "WEB_AUTHN" })).done, true);

    // With no matching passkey on the authenticator the browser refuses
    // (NotAllowedError): a typed cancel, and the emulator saw no answer.
    await cdp.send("WebAuthn.clearCredentials", { authenticatorId });
    await run("signOut");
    const before = await stats();
    const cancelled = await run("signIn", { username: emu.username, preferredChallenge: "WEB_AUTHN" });
    assert.equal(cancelled.error, "PasskeyCancelled", JSON.stringify(cancelled));
    assert.equal((await stats()).RespondToAuthChallenge ?? 0, before.RespondToAuthChallenge ?? 0);
  } finally {
    await page.close();
  }
});

test("a page on another origin cannot use the passkey: the browser refuses the relying party", async () => {
  const local = await openPage("localhost");
  let other;
  try {
    // A passkey registered by the localhost page (rp id localhost) …
    assert.equal((await local.run("signIn", { username: emu.username, password: emu.password })).done, true);
    assert.equal(await local.run("registerPasskey"), null);
    other = await openPage("127.0.0.1");
    // … is for a relying party the 127.0.0.1 page's challenge does not name
    // (its default rp id is its own host), and no other origin may ask for
    // localhost's: a typed failure, no answer sent.
    const { credentials } = await local.cdp.send("WebAuthn.getCredentials", { authenticatorId: local.authenticatorId });
    await other.cdp.send("WebAuthn.addCredential", {
      authenticatorId: other.authenticatorId,
      credential: { ...credentials[0] },
    });
    const before = await stats();
    const step = await other.run("signIn", { username: emu.username, preferredChallenge: "WEB_AUTHN" });
    assert.equal((await stats()).RespondToAuthChallenge ?? 0, before.RespondToAuthChallenge ?? 0);
    assert.ok(["PasskeyFailed", "PasskeyCancelled"].includes(step.error), JSON.stringify(step));
    const list = await local.run("listPasskeys");
    for (const p of list) assert.equal(await local.run("deletePasskey", p.credentialId), null);
  } finally {
    await local.page.close();
    await other?.page.close();
  }
});

test("without the browser's JSON helpers (and with a throwing getPublicKey) the guarded fallback registers and signs in", async () => {
  const { page, run, made } = await openPage("localhost", "&fallback");
  try {
    assert.equal(await page.evaluate(() => typeof PublicKeyCredential.parseRequestOptionsFromJSON), "undefined");
    assert.equal(await page.evaluate(() => typeof PublicKeyCredential.prototype.toJSON), "undefined");
    assert.equal((await run("signIn", { username: emu.username, password: emu.password })).done, true);
    assert.equal(await run("registerPasskey"), null);
    await run("signOut");
    const step = await run("signIn", { username: emu.username, preferredChallenge: "WEB_AUTHN" });
    assert.equal(step.done, true, JSON.stringify(step));
    assert.deepEqual((await made()).map((r) => r.op), ["create", "get"]);
    for (const p of await run("listPasskeys")) assert.equal(await run("deletePasskey", p.credentialId), null);
  } finally {
    await page.close();
  }
});
