// Shared by tests/edge/*.test.mjs: the example Worker (or any entry) bundled
// as wrangler does and run in workerd by miniflare with bindings and an
// optional persistence directory for the Cache API and KV (so a second
// Miniflare on the same directory is a fresh isolate with the same caches);
// a cookie jar; the emulator's hosted-UI login form completed by fetch.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createHmac } from "node:crypto";
import { build } from "esbuild";
import { Miniflare } from "miniflare";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TMP = join(ROOT, "tests/.tmp");
export const EXAMPLE = join(ROOT, "www/worker/src/index.js");
export const exampleSeed = () => JSON.parse(readFileSync(join(ROOT, "www/worker/seed.json"), "utf8"));

/** esbuild as wrangler bundles: workerd conditions, .wasm kept as modules. */
export async function bundle(entry, outDir, { define } = {}) {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [entry],
    outfile: join(outDir, "worker.js"),
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    logLevel: "error",
    define,
    plugins: [
      {
        name: "wasm-module",
        setup(b) {
          b.onResolve({ filter: /\.wasm$/ }, (args) => {
            const src = join(args.resolveDir, args.path);
            copyFileSync(src, join(outDir, basename(src)));
            return { path: `./${basename(src)}`, external: true };
          });
        },
      },
    ],
  });
  return join(outDir, "worker.js");
}

/** A bundled Worker in a new Miniflare (a fresh isolate): { mf, fetch, dispose }. */
export async function startEdgeWorker({ entry = EXAMPLE, outDir, bindings = {}, kvNamespaces, persistDir }) {
  mkdirSync(TMP, { recursive: true });
  const ownDir = !outDir;
  outDir ??= mkdtempSync(join(TMP, "edge-"));
  if (ownDir) await bundle(entry, outDir);
  const mf = new Miniflare({
    modules: true,
    scriptPath: join(outDir, "worker.js"),
    modulesRoot: outDir,
    modulesRules: [
      { type: "ESModule", include: ["**/*.js"] },
      { type: "CompiledWasm", include: ["**/*.wasm"] },
    ],
    compatibilityDate: "2025-01-01",
    cf: false,
    host: "127.0.0.1",
    bindings,
    kvNamespaces,
    ...(persistDir ? { cachePersist: join(persistDir, "cache"), kvPersist: join(persistDir, "kv") } : {}),
  });
  await mf.ready;
  return {
    mf,
    outDir,
    fetch: (url, init = {}) => mf.dispatchFetch(new URL(url, "http://localhost").href, { redirect: "manual", ...init }),
    async dispose() {
      await mf.dispose();
      if (ownDir) rmSync(outDir, { recursive: true, force: true });
    },
  };
}

/** Cookies as a browser keeps them for one site (name → value; Max-Age=0 deletes). */
export class Jar {
  map = new Map();
  update(response) {
    const set = response.headers.getSetCookie?.() ?? [];
    for (const line of set) {
      const [pair, ...attrs] = line.split(";");
      const i = pair.indexOf("=");
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      const maxAge = attrs.map((a) => a.trim()).find((a) => /^max-age=/i.test(a));
      if (maxAge && Number(maxAge.split("=")[1]) <= 0) this.map.delete(name);
      else this.map.set(name, value);
    }
    return set;
  }
  header() {
    return [...this.map].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  clone() {
    const j = new Jar();
    j.map = new Map(this.map);
    return j;
  }
}

/** The emulator's login form, answered as a browser posts it: authorize URL → callback URL. */
export async function completeLogin(emu, authorizeUrl, username, password) {
  const toLogin = await fetch(authorizeUrl, { redirect: "manual" });
  if (toLogin.status !== 302) throw new Error(`authorize answered ${toLogin.status}: ${await toLogin.text()}`);
  const login = new URL(toLogin.headers.get("location"), emu.url);
  const form = new URLSearchParams({ tx: login.searchParams.get("tx"), username, password });
  const back = await fetch(`${emu.url}/login`, { method: "POST", body: form, redirect: "manual" });
  if (back.status !== 302) throw new Error(`login answered ${back.status}`);
  return back.headers.get("location");
}

export const secretHash = (username, clientId, secret) => createHmac("sha256", secret).update(username + clientId).digest("base64");

/** USER_PASSWORD_AUTH tokens for a user of the seed's confidential client (or a public one). */
export async function passwordTokens(emu, { clientId, secret, username, password }) {
  const AuthParameters = { USERNAME: username, PASSWORD: password };
  if (secret) AuthParameters.SECRET_HASH = secretHash(username, clientId, secret);
  return (await emu.call("InitiateAuth", { ClientId: clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters })).AuthenticationResult;
}

export const httpStats = async (emu) => (await (await fetch(`${emu.url}/_emulator/http-stats`)).json()).requests;
export const decodeJwtPart = (jwt, i) => JSON.parse(Buffer.from(jwt.split(".")[i], "base64url"));
