// Runs a module Worker in workerd (miniflare) for a test: bundles it as
// wrangler does (the workerd/worker/browser export conditions, each `.wasm`
// import kept as a CompiledWasm module next to the bundle), starts
// Miniflare on 127.0.0.1, and removes everything on dispose().
//
//   import { startWorker } from "../helpers/workerd.mjs";
//   const w = await startWorker({ entry: "/abs/worker.mjs" });      // or
//   const w = await startWorker({ source: "export default {…}", resolveDir });
//   try { const res = await w.mf.dispatchFetch("http://localhost/", …); }
//   finally { await w.dispose(); }
//
// Options: { entry | source + resolveDir (+ sourcefile), prefix (temp dir
// name), compatibilityDate ("2025-01-01"), compatibilityFlags ([]),
// external ([]: imports left to the runtime, e.g. "node:*") }.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { Miniflare } from "miniflare";

const TMP = fileURLToPath(new URL("../.tmp/", import.meta.url));

export async function startWorker({
  entry,
  source,
  resolveDir,
  sourcefile = "worker.mjs",
  prefix = "worker-",
  compatibilityDate = "2025-01-01",
  compatibilityFlags = [],
  external = [],
}) {
  mkdirSync(TMP, { recursive: true });
  const outDir = mkdtempSync(join(TMP, prefix));
  let mf;
  try {
    await build({
      ...(source === undefined
        ? { entryPoints: [entry] }
        : { stdin: { contents: source, resolveDir, sourcefile, loader: "js" } }),
      outfile: join(outDir, "worker.js"),
      bundle: true,
      format: "esm",
      platform: "neutral",
      conditions: ["workerd", "worker", "browser"],
      external,
      logLevel: "error",
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
    mf = new Miniflare({
      modules: true,
      scriptPath: join(outDir, "worker.js"),
      modulesRoot: outDir,
      modulesRules: [
        { type: "ESModule", include: ["**/*.js"] },
        { type: "CompiledWasm", include: ["**/*.wasm"] },
      ],
      compatibilityDate,
      compatibilityFlags,
      cf: false,
      host: "127.0.0.1",
    });
    await mf.ready;
  } catch (e) {
    await mf?.dispose();
    rmSync(outDir, { recursive: true, force: true });
    throw e;
  }
  return {
    mf,
    outDir,
    async dispose() {
      await mf.dispose();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}
