// The edge JWKS cache (pkg/edge/jwks.js), the `fetch` a JwtVerifier is given:
// one upstream request for concurrent first asks, none from a fresh isolate
// when the persistent store has the keys, a later ask (unknown kid) refetched
// only after the penalty window with the old keys kept, a broken store or a
// failing upstream never cached. Upstream is a counting stand-in here; the
// same behaviour against the emulator in workerd is in bearer.test.mjs.
import { test, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { jwksFetch, _clearJwksMemory } from "../../pkg/edge/jwks.js";

const URI = "https://issuer.example/pool/.well-known/jwks.json";
const key = (kid) => ({ kty: "RSA", kid, alg: "RS256", use: "sig", n: "AQAB", e: "AQAB" });
let served, calls;
const upstream = async (url) => {
  calls.push(url);
  const { status = 200, body } = served();
  return new Response(typeof body === "string" ? body : JSON.stringify(body), { status });
};
const kv = () => {
  const m = new Map();
  return { m, get: async (k) => m.get(k) ?? null, put: async (k, v) => void m.set(k, v) };
};
const kids = async (r) => (await r.json()).keys.map((k) => k.kid);

beforeEach(() => {
  _clearJwksMemory();
  calls = [];
  served = () => ({ body: { keys: [key("A")] } });
});

test("concurrent first asks from several verifiers: one upstream request; other URLs pass through", async () => {
  const store = kv();
  const fs = Array.from({ length: 5 }, () => jwksFetch({ jwksUri: URI, store: () => ({ kind: "kv", kv: store }), baseFetch: upstream }));
  const rs = await Promise.all(fs.map((f) => f(URI, {})));
  for (const r of rs) assert.deepEqual(await kids(r), ["A"]);
  assert.equal(calls.length, 1);
  assert.ok(store.m.has(`jwks:${URI}`), "persisted");
  await fs[0]("https://other.example/x");
  assert.deepEqual(calls.slice(1), ["https://other.example/x"]);
});

test("a fresh isolate (empty memory) reads the persistent store: zero upstream requests", async () => {
  const store = kv();
  const opts = { jwksUri: URI, store: () => ({ kind: "kv", kv: store }), baseFetch: upstream };
  await jwksFetch(opts)(URI);
  _clearJwksMemory();
  calls = [];
  assert.deepEqual(await kids(await jwksFetch(opts)(URI)), ["A"]);
  assert.equal(calls.length, 0);
  // Too old for maxAge: fetched again.
  _clearJwksMemory();
  assert.deepEqual(await kids(await jwksFetch({ ...opts, maxAge: 0 })(URI)), ["A"]);
  assert.equal(calls.length, 1);
});

test("an unknown kid refetches only after the penalty window, and keeps the old keys", async () => {
  const f = jwksFetch({ jwksUri: URI, penalty: 0.2, store: () => null, baseFetch: upstream });
  await f(URI);
  served = () => ({ body: { keys: [key("B")] } });
  // Inside the window: the cached keys, no request.
  for (let i = 0; i < 5; i++) assert.deepEqual(await kids(await f(URI)), ["A"]);
  assert.equal(calls.length, 1);
  await new Promise((r) => setTimeout(r, 250));
  const [r1, r2] = await Promise.all([f(URI), f(URI)]);
  assert.deepEqual(await kids(r1), ["B", "A"], "new keys first, old ones kept");
  assert.deepEqual(await kids(r2), ["B", "A"]);
  assert.equal(calls.length, 2, "one refetch for concurrent unknown kids");
});

test("a failing upstream or a broken store is never cached", async () => {
  const broken = { kind: "kv", kv: { get: async () => { throw new Error("down"); }, put: async () => { throw new Error("down"); } } };
  served = () => ({ status: 500, body: "oops" });
  const f = jwksFetch({ jwksUri: URI, penalty: 0, store: () => broken, baseFetch: upstream });
  assert.equal((await f(URI)).status, 500);
  served = () => ({ body: "not json" });
  assert.equal((await f(URI)).status, 502);
  served = () => ({ body: { keys: [key("A")] } });
  assert.deepEqual(await kids(await f(URI)), ["A"]);
  assert.equal(calls.length, 3);
});
