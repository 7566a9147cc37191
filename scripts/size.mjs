// Size measurements shared by `npm run build` (scripts/build.mjs) and
// `npm run bench` (bench/size.bench.mjs): per job an app does, the JS it
// loads (its entry bundled and minified by esbuild, split as bundlers split
// dynamic imports; gzip -9) plus every wasm module the job fetches (gzip
// -9). The wasm is fetched at run time, so it is not bundled.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join, relative } from "node:path";

export const gz = (buf) => gzipSync(buf, { level: 9 }).length;
export const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;

/** The required budgets per job, gzip (issue #11). */
export const BUDGETS = {
  session: 40 * 1024,
  "hosted UI": 40 * 1024,
  "custom sign-in": 60 * 1024,
  everything: 70 * 1024,
};

/**
 * The jobs an app does, as it would import them. Each entry imports just
 * what its job needs from the package (the session and hosted-UI jobs from
 * `cognito-wasm/session`, whose core has no sign-in machines); `wasm` lists the modules the job
 * fetches (the SRP module only for a password sign-in), `worker` whether a
 * browser page starts the SRP Web Worker (its script is fetched too).
 */
export const JOBS = [
  {
    job: "session",
    what: "restore the session, refresh, sign out",
    wasm: ["session"],
    entry: `import { init, CognitoAuth } from "cognito-wasm/session";
export async function run(options) {
  await init();
  const auth = new CognitoAuth(options);
  auth.on("sessionExpired", () => {});
  const tokens = await auth.getTokens();
  await auth.signOut();
  return tokens;
}`,
  },
  {
    job: "hosted UI",
    what: "+ hosted UI redirect and callback",
    wasm: ["session"],
    entry: `import { init, CognitoAuth } from "cognito-wasm/session";
export async function run(options) {
  await init();
  const auth = new CognitoAuth(options);
  if (location.search.includes("code=")) await auth.handleRedirectCallback();
  else if (!(await auth.getTokens().catch(() => null))) await auth.signInWithRedirect();
  await auth.signOut();
}`,
  },
  {
    job: "custom sign-in",
    what: "SRP, every challenge, sign-up, forgot password",
    wasm: ["core", "srp"],
    worker: true,
    entry: `import { init, CognitoAuth } from "cognito-wasm";
export async function run(options, ui) {
  await init();
  const auth = new CognitoAuth(options);
  let step = await auth.signIn({ username: ui.username, password: ui.password });
  while (!step.done) step = await auth.confirmSignIn(await ui.answer(step));
  await auth.signUp({ username: ui.username, password: ui.password, attributes: { email: ui.email } });
  await auth.confirmSignUp({ username: ui.username, code: ui.code() });
  await auth.forgotPassword({ username: ui.username });
  await auth.confirmForgotPassword({ username: ui.username, code: ui.code(), newPassword: ui.password });
  await auth.getTokens();
  await auth.signOut();
}`,
  },
  {
    job: "everything",
    what: "the whole package",
    wasm: ["core", "srp"],
    worker: true,
    entry: `export * from "cognito-wasm";`,
  },
];

/** Bundles `contents` as an app's bundler would (esbuild, minified): the bytes and the inputs. */
export async function bundle(root, contents, extra = {}) {
  const { build } = await import("esbuild");
  const r = await build({
    stdin: { contents, resolveDir: root, sourcefile: "entry.mjs", loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    external: ["*.wasm"],
    write: false,
    metafile: true,
    logLevel: "error",
    ...extra,
  });
  return { bytes: r.outputFiles[0].contents, inputs: Object.keys(r.metafile.inputs).filter((i) => i !== "entry.mjs") };
}

/**
 * The JS a job loads, split as a bundler splits an app (Vite, webpack and
 * esbuild put each dynamic `import()` in its own chunk): the entry and its
 * static imports, plus the dynamically imported chunks when `dynamic` (the
 * SRP code, which only a password sign-in loads). Gzip bytes.
 */
async function loadedJs(root, contents, alias, dynamic) {
  const { build } = await import("esbuild");
  const r = await build({
    stdin: { contents, resolveDir: root, sourcefile: "entry.mjs", loader: "js" },
    bundle: true,
    splitting: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    external: ["*.wasm"],
    outdir: join(root, "bench", "out", "job"),
    write: false,
    metafile: true,
    logLevel: "error",
    alias,
  });
  const outputs = r.metafile.outputs;
  const bytes = new Map(r.outputFiles.map((f) => [relative(root, f.path), f.contents]));
  const entry = Object.keys(outputs).find((o) => outputs[o].entryPoint);
  const seen = new Set();
  const visit = (o) => {
    if (seen.has(o)) return;
    seen.add(o);
    for (const i of outputs[o].imports) if (i.kind === "import-statement" || (dynamic && i.kind === "dynamic-import")) visit(i.path);
  };
  visit(entry);
  return [...seen].reduce((n, o) => n + gz(bytes.get(o)), 0);
}

/**
 * The size of each job of {@link JOBS} for the package rooted at `root`:
 * `[{ job, what, js, wasm, total }]` in gzip bytes, where `js` is what the
 * app loads for the job (plus the SRP worker's script when the job starts
 * it) and `wasm` every module the job fetches.
 */
export async function jobSizes(root) {
  const entries = { "cognito-wasm/session": "session.js", "cognito-wasm": "index.js" };
  const wasmSize = (name) => gz(readFileSync(join(root, "pkg", "gen", `${name}_bg.wasm`)));
  const worker = await bundle(root, `import "./pkg/srp-worker.js";`);
  const out = [];
  for (const j of JOBS) {
    // One alias per job: esbuild would map "cognito-wasm/session" through "cognito-wasm" too.
    const name = Object.keys(entries).find((e) => j.entry.includes(`"${e}"`));
    const alias = { [name]: join(root, "pkg", entries[name]) };
    let js = await loadedJs(root, j.entry, alias, j.wasm.includes("srp"));
    if (j.worker) js += gz(worker.bytes);
    const wasm = j.wasm.reduce((n, m) => n + wasmSize(m), 0);
    out.push({ job: j.job, what: j.what, js, wasm, total: js + wasm });
  }
  return out;
}

/** Each JS file of the package a browser app may bundle, minified alone: `[{ path, min, gzip }]`. */
export async function jsFiles(root) {
  const { transform } = await import("esbuild");
  const b = await bundle(root, `export * from "./pkg/index.js"; import "./pkg/srp-worker.js";`);
  const files = [];
  for (const input of b.inputs) {
    const src = readFileSync(join(root, input), "utf8");
    const min = Buffer.from((await transform(src, { minify: true, format: "esm", target: "es2022" })).code);
    files.push({ path: relative(root, join(root, input)), min: min.length, gzip: gz(min) });
  }
  return files.sort((a, b) => b.gzip - a.gzip);
}

/**
 * Code size per function of a wasm module with a name section (a build
 * with `wasm-opt -g`): `[{ name, size }]`, largest first, plus the data
 * segments as `data[i]`. A dependency-free reader of the binary format
 * (WebAssembly Core §5.5, and the name section of its Appendix 7.4).
 */
export function functionSizes(bytes) {
  let p = 8;
  const leb = () => {
    let r = 0;
    let s = 0;
    let b;
    do {
      b = bytes[p++];
      r += (b & 0x7f) * 2 ** s;
      s += 7;
    } while (b & 0x80);
    return r;
  };
  const skipLimits = () => {
    const flags = leb();
    leb();
    if (flags & 1) leb();
  };
  let imports = 0;
  const code = [];
  const data = [];
  const names = new Map();
  while (p < bytes.length) {
    const id = bytes[p++];
    const size = leb();
    const end = p + size;
    if (id === 2) {
      for (let n = leb(), i = 0; i < n; i++) {
        const moduleLen = leb();
        p += moduleLen;
        const fieldLen = leb();
        p += fieldLen;
        const kind = bytes[p++];
        if (kind === 0) {
          leb();
          imports++;
        } else if (kind === 1) {
          leb(); // reftype (one byte, LEB-compatible)
          skipLimits();
        } else if (kind === 2) skipLimits();
        else if (kind === 3) p += 2;
        else if (kind === 4) leb(), leb();
      }
    } else if (id === 10) {
      for (let n = leb(), i = 0; i < n; i++) {
        const start = p;
        const s = leb();
        code.push({ size: s + (p - start), at: start });
        p += s;
      }
    } else if (id === 11) {
      // Data segments: sized from their start to the next one.
      const n = leb();
      const starts = [];
      for (let i = 0; i < n; i++) {
        starts.push(p);
        const flags = leb();
        if (flags === 2) leb();
        if (flags !== 1) {
          // A constant expression: i32.const / global.get with an immediate, then end.
          while (bytes[p] !== 0x0b) {
            p++;
            leb();
          }
          p++;
        }
        const len = leb();
        p += len;
      }
      starts.push(p);
      for (let i = 0; i < n; i++) data.push({ size: starts[i + 1] - starts[i], at: starts[i] });
    } else if (id === 0) {
      const nameLen = leb();
      const name = bytes.subarray(p, p + nameLen).toString();
      p += nameLen;
      if (name === "name") {
        while (p < end) {
          const sub = bytes[p++];
          const subSize = leb();
          const subEnd = p + subSize;
          if (sub === 1) {
            for (let n = leb(), i = 0; i < n; i++) {
              const idx = leb();
              const l = leb();
              names.set(idx, bytes.subarray(p, p + l).toString());
              p += l;
            }
          }
          p = subEnd;
        }
      }
    }
    p = end;
  }
  const bytesOf = (c) => bytes.subarray(c.at, c.at + c.size);
  const rows = code.map((c, i) => ({ name: demangle(names.get(i + imports) ?? `func[${i + imports}]`), size: c.size, bytes: bytesOf(c) }));
  data.forEach((d, i) => rows.push({ name: `data[${i}]`, size: d.size, bytes: bytesOf(d) }));
  return rows.sort((a, b) => b.size - a.size);
}

// Drops the `[hash]` crate disambiguators and the trailing `::h<hash>`.
function demangle(name) {
  return name.replace(/\[[0-9a-f]{16}\]/g, "").replace(/::h[0-9a-f]{16}$/, "");
}

/**
 * Groups function sizes by who owns the code: `cognito_wasm::<module>`, a
 * dependency crate, core::fmt/panic machinery, the exported functions
 * (wasm-bindgen's shims, into which wasm-opt inlines the Rust body), or
 * closures' `FnOnce` shims. The key is a judgement from the name; sizes add
 * up to the total.
 */
export function groupSizes(rows) {
  const groups = new Map();
  for (const { name, size, bytes } of rows) {
    let key;
    const own = name.match(/cognito_wasm::([a-z_]+)(?:::([a-z_]+))?/);
    if (name.startsWith("data[")) key = "data segments";
    else if (/ (externref|multivalue) shim$/.test(name)) key = "exports (wasm-bindgen shim + inlined body)";
    else if (own) key = `cognito_wasm::${own[1]}${own[2] && own[1] !== "error" ? "::" + own[2] : ""}`;
    else if (/core::fmt|core::panicking|panic_fmt|escape_debug|pad_integral|slice_error_fail|::Debug|::Display/.test(name))
      key = "core::fmt + panics";
    else if (/future_to_promise|wasm_bindgen_futures|js_sys::futures/.test(name)) key = "wasm-bindgen-futures";
    else if (/FnOnce::call_once|vtable\.shim/.test(name)) key = "closures (FnOnce shims)";
    else key = name.match(/([a-z_][a-z0-9_]*)::/)?.[1] ?? name.replace(/\[\d+\]$/, "");
    const g = groups.get(key) ?? { size: 0, parts: [] };
    g.size += size;
    if (bytes) g.parts.push(bytes);
    groups.set(key, g);
  }
  // gzip: the group's bytes compressed on their own, an estimate of what it
  // adds to the module's gzip (shared patterns across groups are not counted).
  return [...groups]
    .map(([name, g]) => ({ name, size: g.size, gzip: g.parts.length ? gz(Buffer.concat(g.parts)) : 0 }))
    .sort((a, b) => b.size - a.size);
}
