// JWKS at the edge, around the public JwtVerifier's `fetch` option: the
// verifier asks for the JWKS through `fetch`, and this answers from
//  1. a per-isolate memory entry (one network fetch in flight per URL),
//  2. a persistent store shared by isolates: the Cache API (`caches.default`)
//     or a KV namespace, so a fresh isolate fetches nothing,
//  3. the network, at most once per `penalty` window for a URL once keys are
//     known: a verifier asks again only for an unknown `kid` (key rotation,
//     or a made-up kid); keys from earlier fetches are kept in the answer.

const memory = new Map(); // uri → { body, fetchedAt, inflight }

const CACHE_PREFIX = "https://jwks.cognito-wasm.invalid/?uri=";

function keysOf(body) {
  try {
    const j = JSON.parse(body);
    return Array.isArray(j?.keys) ? j.keys : null;
  } catch {
    return null;
  }
}

/** New keys first, then old keys whose kid the new set lacks. */
function merge(oldBody, newBody) {
  const fresh = keysOf(newBody);
  const old = oldBody ? keysOf(oldBody) : null;
  if (!fresh || !old) return newBody;
  const kids = new Set(fresh.map((k) => k.kid));
  return JSON.stringify({ keys: [...fresh, ...old.filter((k) => !kids.has(k.kid))] });
}

async function persistentGet(store, uri) {
  try {
    if (store.kind === "kv") {
      const v = await store.kv.get(`jwks:${uri}`);
      if (!v) return null;
      const { body, fetchedAt } = JSON.parse(v);
      return typeof body === "string" && keysOf(body) ? { body, fetchedAt } : null;
    }
    if (store.kind === "cache") {
      const r = await store.cache.match(CACHE_PREFIX + encodeURIComponent(uri));
      if (!r) return null;
      const body = await r.text();
      return keysOf(body) ? { body, fetchedAt: Number(r.headers.get("x-fetched-at")) || 0 } : null;
    }
  } catch {
    // A broken store is a cache miss.
  }
  return null;
}

async function persistentPut(store, uri, entry, maxAge) {
  try {
    if (store.kind === "kv") {
      await store.kv.put(`jwks:${uri}`, JSON.stringify(entry), { expirationTtl: Math.max(60, maxAge) });
    } else if (store.kind === "cache") {
      await store.cache.put(
        CACHE_PREFIX + encodeURIComponent(uri),
        new Response(entry.body, {
          headers: { "content-type": "application/json", "cache-control": `max-age=${maxAge}`, "x-fetched-at": String(entry.fetchedAt) },
        }),
      );
    }
  } catch {
    // Not persisted: the next isolate fetches again.
  }
}

/**
 * A `fetch` for one JwtVerifier instance. `store()` returns the persistent
 * store (`{ kind: "cache", cache } | { kind: "kv", kv } | null`); `waitUntil`
 * keeps a background write alive in Workers.
 */
export function jwksFetch({ jwksUri, penalty = 60, maxAge = 86400, store, baseFetch = (...a) => fetch(...a), waitUntil, stats }) {
  let served = 0;
  const answer = ({ status, body }) => new Response(body, { status, headers: { "content-type": "application/json" } });

  async function network(e, now) {
    if (stats) stats.network++;
    const r = await baseFetch(jwksUri, { headers: { accept: "application/json" } });
    const body = await r.text();
    if (r.status !== 200 || !keysOf(body)) return { status: r.status === 200 ? 502 : r.status, body };
    e.body = merge(e.body, body);
    e.fetchedAt = now;
    const s = store();
    if (s) {
      const p = persistentPut(s, jwksUri, { body: e.body, fetchedAt: now }, maxAge);
      if (waitUntil) waitUntil(p);
      else await p;
    }
    return { status: 200, body: e.body };
  }

  return async function edgeJwksFetch(input, init) {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input?.url;
    if (url !== jwksUri) return baseFetch(input, init);
    const now = Date.now() / 1000;
    // A verifier asks once for its keys, then again only for an unknown kid.
    const first = served++ === 0;
    let e = memory.get(jwksUri);
    if (!e) {
      e = { body: null, fetchedAt: 0, inflight: null };
      memory.set(jwksUri, e);
    }
    if (e.inflight) return answer(await e.inflight);
    const fresh = e.body !== null && now - e.fetchedAt < maxAge;
    if (fresh && (first || now - e.fetchedAt < penalty)) return answer({ status: 200, body: e.body });
    e.inflight = (async () => {
      try {
        if (e.body === null) {
          const s = store();
          const p = s && (await persistentGet(s, jwksUri));
          if (p && now - p.fetchedAt < maxAge) {
            e.body = p.body;
            e.fetchedAt = p.fetchedAt;
            return { status: 200, body: e.body };
          }
        }
        return await network(e, now);
      } finally {
        e.inflight = null;
      }
    })();
    return answer(await e.inflight);
  };
}

/** For tests: forget this isolate's memory entries. */
export function _clearJwksMemory() {
  memory.clear();
}
