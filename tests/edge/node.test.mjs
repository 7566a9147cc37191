// cognito-wasm/edge outside workerd: the same handler in Node (the package's
// `node` condition, resolved through `exports`), against the emulator:
// Bearer verified, the hosted-UI redirect, the claims passed on; and bad
// options refused at once with typed CognitoErrors.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cognitoEdge } from "cognito-wasm/edge";
import { CognitoError } from "cognito-wasm";
import { startEmulator } from "../helpers/emulator.mjs";
import { exampleSeed, passwordTokens } from "./helpers.mjs";

let emu, client, demo;
before(async () => {
  const seed = exampleSeed();
  client = seed.pools[0].clients.find((c) => c.secret);
  emu = await startEmulator({ seed });
  demo = await passwordTokens(emu, { clientId: client.id, secret: client.secret, username: "demo", password: "Demo-Passw0rd!" });
});
after(async () => emu?.stop());

const options = () => ({
  userPoolId: emu.poolId,
  clientId: client.id,
  clientSecret: client.secret,
  endpoint: emu.url,
  cookieSecret: "node-test-cookie-secret-0123456789abcdefghijk",
  jwks: { store: false },
});

test("Node: Bearer verified and passed on; no session → hosted UI; null without next", async () => {
  const seen = [];
  const edge = cognitoEdge({ ...options(), next: (req, env, ctx, auth) => (seen.push([req.headers.get("x-cognito-claims"), auth]), new Response("origin")) });
  const r = await edge(new Request("http://localhost/api", { headers: { authorization: `Bearer ${demo.AccessToken}`, "x-cognito-claims": "{}" } }));
  assert.equal(await r.text(), "origin");
  assert.equal(JSON.parse(seen[0][0]).username, "demo");
  assert.equal(seen[0][1].source, "bearer");
  const page = await edge(new Request("http://localhost/page", { headers: { accept: "text/html" } }));
  assert.equal(page.status, 302);
  assert.ok(page.headers.get("location").startsWith(`${emu.url}/oauth2/authorize?`));

  const bare = cognitoEdge(options());
  const req = new Request("http://localhost/api", { headers: { authorization: `Bearer ${demo.AccessToken}` } });
  assert.equal(await bare(req), null);
  const ctx = bare.context(req);
  assert.equal(ctx.auth.claims.username, "demo");
  assert.equal(JSON.parse(ctx.request.headers.get("x-cognito-claims")).sub, ctx.auth.claims.sub);
  const denied = await bare(new Request("http://localhost/api", { headers: { authorization: "Bearer nope" } }));
  assert.equal(denied.status, 401);
});

test("bad options are refused at once with a typed error", () => {
  const cases = [
    [{ ...options(), cookieSecret: undefined }, "EmptyArgument"],
    [{ ...options(), cookieSecret: "short" }, "InvalidArgument"],
    [{ ...options(), userPoolId: "" }, "EmptyArgument"],
    [{ ...options(), rules: [{ groups: ["x"] }] }, "InvalidArgument"],
    [{ ...options(), publicPaths: ["no-slash"] }, "InvalidArgument"],
    [null, "InvalidArgument"],
  ];
  for (const [o, code] of cases) {
    assert.throws(() => cognitoEdge(o), (e) => e instanceof CognitoError && e.code === code, JSON.stringify(o)?.slice(0, 80));
  }
  // A secret never appears in an error message.
  try {
    cognitoEdge({ ...options(), cookieSecret: "tiny-secret" });
  } catch (e) {
    assert.ok(!e.message.includes("tiny-secret"));
  }
});
