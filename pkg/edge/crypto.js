// Sealed cookie values for cognito-wasm/edge: AES-256-GCM (WebCrypto) under a
// key derived with HKDF-SHA256 from an app secret, the cookie's name bound in
// as additional data (a transaction cookie cannot be replayed as a session
// cookie). Several secrets: the first seals, all open (key rotation).
//
// Format: "v1." + base64url(iv[12] || ciphertext+tag). The plaintext is JSON
// `{ e: <expiry, ms since the epoch>, d: <data> }`; an expired value opens as
// null, as a forged, truncated or foreign-key one does.

const enc = new TextEncoder();
const dec = new TextDecoder();
const SALT = enc.encode("cognito-wasm/edge cookie v1");
const keyCache = new Map();

export function b64urlEncode(bytes) {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function b64urlDecode(s) {
  if (typeof s !== "string" || !/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) return null;
  const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((s.length + 3) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The AES-GCM key for one secret (derived once per isolate). */
function keyFor(secret) {
  let k = keyCache.get(secret);
  if (!k) {
    k = crypto.subtle
      .importKey("raw", enc.encode(secret), "HKDF", false, ["deriveKey"])
      .then((ikm) =>
        crypto.subtle.deriveKey(
          { name: "HKDF", hash: "SHA-256", salt: SALT, info: enc.encode("aes-256-gcm") },
          ikm,
          { name: "AES-GCM", length: 256 },
          false,
          ["encrypt", "decrypt"],
        ),
      );
    keyCache.set(secret, k);
    if (keyCache.size > 16) keyCache.delete(keyCache.keys().next().value);
  }
  return k;
}

/** Seals `data` for the cookie `name` until `expiresAt` (ms). */
export async function seal(secrets, name, data, expiresAt) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const pt = enc.encode(JSON.stringify({ e: expiresAt, d: data }));
  const ct = new Uint8Array(
    await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: enc.encode(name) }, await keyFor(secrets[0]), pt),
  );
  const out = new Uint8Array(12 + ct.length);
  out.set(iv);
  out.set(ct, 12);
  return "v1." + b64urlEncode(out);
}

/** Opens a sealed value: its data, or null (forged, truncated, foreign key, expired). */
export async function open(secrets, name, value, now = Date.now()) {
  if (typeof value !== "string" || !value.startsWith("v1.")) return null;
  const raw = b64urlDecode(value.slice(3));
  if (!raw || raw.length < 12 + 16 + 2) return null;
  for (const secret of secrets) {
    let pt;
    try {
      pt = await crypto.subtle.decrypt(
        { name: "AES-GCM", iv: raw.subarray(0, 12), additionalData: enc.encode(name) },
        await keyFor(secret),
        raw.subarray(12),
      );
    } catch {
      continue; // not this key
    }
    try {
      const { e, d } = JSON.parse(dec.decode(pt));
      return typeof e === "number" && e > now ? d : null;
    } catch {
      return null;
    }
  }
  return null;
}

/** A random id (base64url of 16 bytes). */
export function randomId() {
  return b64urlEncode(crypto.getRandomValues(new Uint8Array(16)));
}
