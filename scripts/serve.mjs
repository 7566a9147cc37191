#!/usr/bin/env node
// A tiny static file server on 127.0.0.1: `www/` at `/` and the package's
// `pkg/` at `/pkg/`. Used by the demo (`node scripts/serve.mjs [port]`,
// default 8080) and by the browser tests (`serve({ port: 0, mounts })`).
import { createServer } from "node:http";
import { createReadStream, statSync } from "node:fs";
import { dirname, extname, join, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".ts": "text/plain; charset=utf-8",
};

/** The default mounts: URL prefix → directory. */
export const DEFAULT_MOUNTS = { "/pkg/": join(ROOT, "pkg"), "/": join(ROOT, "www") };

// Maps a URL path to a file under one of the mounts, or null. Longest prefix
// wins; `..` segments cannot leave the mounted directory.
function resolveFile(mounts, pathname) {
  const prefixes = Object.keys(mounts).sort((a, b) => b.length - a.length);
  for (const prefix of prefixes) {
    if (!pathname.startsWith(prefix)) continue;
    const base = resolve(mounts[prefix]);
    let file = resolve(base, "." + sep + pathname.slice(prefix.length));
    if (file !== base && !file.startsWith(base + sep)) return null;
    try {
      if (statSync(file).isDirectory()) file = join(file, "index.html");
      if (statSync(file).isFile()) return file;
    } catch {
      // Not under this mount; try a shorter prefix.
    }
  }
  return null;
}

/**
 * Starts the server. `port` 0 picks a free one. `mounts` maps URL prefixes
 * (ending in `/`) to directories; it replaces the defaults when given.
 * Resolves to `{ url, port, close }`; `close()` resolves once it has stopped.
 */
export function serve({ port = 8080, host = "127.0.0.1", mounts = DEFAULT_MOUNTS, log = false } = {}) {
  const server = createServer((req, res) => {
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, "http://x").pathname);
    } catch {
      res.writeHead(400).end("bad request");
      return;
    }
    const file = req.method === "GET" || req.method === "HEAD" ? resolveFile(mounts, pathname) : null;
    if (log) console.log(`${req.method} ${pathname} ${file ? 200 : 404}`);
    if (!file) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    res.writeHead(200, {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "cache-control": "no-store",
    });
    if (req.method === "HEAD") return res.end();
    createReadStream(file).pipe(res);
  });
  return new Promise((resolveStart, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const actual = server.address().port;
      resolveStart({
        url: `http://${host}:${actual}/`,
        port: actual,
        close: () =>
          new Promise((r) => {
            server.closeAllConnections?.();
            server.close(() => r());
          }),
      });
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const port = Number(process.argv[2] ?? process.env.PORT ?? 8080);
  const { existsSync } = await import("node:fs");
  if (!existsSync(join(ROOT, "pkg", "gen", "core_bg.wasm"))) {
    console.warn("warning: pkg/gen/ is not built yet: run `npm run build`, or the demo cannot load the package");
  }
  const { url, close } = await serve({ port, log: true });
  console.log(`serving www/ and pkg/ at ${url} (Ctrl-C to stop)`);
  const stop = () => close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
