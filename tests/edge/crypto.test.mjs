// The sealed-cookie format of cognito-wasm/edge (pkg/edge/crypto.js), checked
// with an independent implementation (node:crypto's HKDF and AES-256-GCM):
// "v1." + base64url(iv[12] || ciphertext || tag[16]), key = HKDF-SHA256(secret,
// salt "cognito-wasm/edge cookie v1", info "aes-256-gcm"), the cookie name as
// additional data. And what must not open: tampered, truncated, another
// name, another key, expired.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { open, seal } from "../../pkg/edge/crypto.js";

const SECRET = "a-cookie-secret-of-at-least-32-characters!";
const key = (secret) => Buffer.from(hkdfSync("sha256", secret, "cognito-wasm/edge cookie v1", "aes-256-gcm", 32));

function nodeOpen(secret, name, value) {
  const raw = Buffer.from(value.slice(3), "base64url");
  const d = createDecipheriv("aes-256-gcm", key(secret), raw.subarray(0, 12));
  d.setAAD(Buffer.from(name));
  d.setAuthTag(raw.subarray(raw.length - 16));
  return JSON.parse(Buffer.concat([d.update(raw.subarray(12, raw.length - 16)), d.final()]).toString());
}
function nodeSeal(secret, name, data, e) {
  const iv = randomBytes(12);
  const c = createCipheriv("aes-256-gcm", key(secret), iv);
  c.setAAD(Buffer.from(name));
  const ct = Buffer.concat([c.update(JSON.stringify({ e, d: data })), c.final()]);
  return "v1." + Buffer.concat([iv, ct, c.getAuthTag()]).toString("base64url");
}

test("sealed values are AES-256-GCM under HKDF-SHA256 as documented (node:crypto agrees both ways)", async () => {
  const data = { at: "token-a", n: 1, s: "é✓" };
  const e = Date.now() + 60_000;
  const v = await seal([SECRET], "__Host-x", data, e);
  assert.match(v, /^v1\.[A-Za-z0-9_-]+$/);
  assert.deepEqual(nodeOpen(SECRET, "__Host-x", v), { e, d: data });
  assert.deepEqual(await open([SECRET], "__Host-x", nodeSeal(SECRET, "__Host-x", data, e)), data);
  // Fresh IV each time.
  assert.notEqual(await seal([SECRET], "__Host-x", data, e), v);
});

test("tampered, truncated, renamed, foreign-key and expired values do not open; old keys do", async () => {
  const e = Date.now() + 60_000;
  const v = await seal([SECRET], "n", { x: 1 }, e);
  const raw = Buffer.from(v.slice(3), "base64url");
  for (let i = 0; i < raw.length; i += 7) {
    const t = Buffer.from(raw);
    t[i] ^= 1;
    assert.equal(await open([SECRET], "n", "v1." + t.toString("base64url")), null, `byte ${i}`);
  }
  for (const cut of [1, 5, 16, 30]) assert.equal(await open([SECRET], "n", v.slice(0, -cut)), null);
  assert.equal(await open([SECRET], "other-name", v), null);
  assert.equal(await open(["another-secret-of-at-least-32-characters"], "n", v), null);
  assert.deepEqual(await open(["new-secret-of-at-least-32-characters-long", SECRET], "n", v), { x: 1 });
  assert.equal(await open([SECRET], "n", await seal([SECRET], "n", { x: 1 }, Date.now() - 1)), null);
  for (const junk of ["", "v1.", "v2." + v.slice(3), "v1.***", "v1.A", null, 42]) assert.equal(await open([SECRET], "n", junk), null);
});
