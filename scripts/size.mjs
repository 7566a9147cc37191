// Size measurements shared by `npm run build` (scripts/build.mjs) and
// `npm run bench` (bench/size.bench.mjs).
//
// The browser payload is what an app built with a bundler ships for
// `import … from "cognito-wasm"`: the wasm (gzip -9) plus every JS file
// reachable from pkg/index.js, bundled and minified by esbuild in memory
// (gzip -9). The wasm is fetched at run time, so it is not bundled.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join, relative } from "node:path";

/** The browser payload budget: wasm + JS, gzip (README, issue #4). */
export const BUDGET_GZIP = 35 * 1024;

export const gz = (buf) => gzipSync(buf, { level: 9 }).length;
export const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;

/**
 * Measures the browser payload of the package rooted at `root`. Returns
 * `{ wasm: {raw, gzip}, js: {raw, min, gzip}, files: [{path, raw, min, gzip}], gzip }`
 * where `files` lists each JS module reachable from pkg/index.js, minified on
 * its own, and `js` is the one minified bundle of all of them.
 */
export async function browserPayload(root) {
  const { build, transform } = await import("esbuild");
  const wasmBytes = readFileSync(join(root, "pkg", "gen", "cognito_wasm_bg.wasm"));
  const wasm = { raw: wasmBytes.length, gzip: gz(wasmBytes) };
  const r = await build({
    entryPoints: [join(root, "pkg", "index.js")],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    external: ["*.wasm"],
    write: false,
    metafile: true,
    logLevel: "error",
  });
  const bundle = r.outputFiles[0].contents;
  const js = { raw: 0, min: bundle.length, gzip: gz(bundle) };
  const files = [];
  for (const input of Object.keys(r.metafile.inputs)) {
    const path = join(root, input);
    const src = readFileSync(path);
    const min = Buffer.from((await transform(src.toString(), { minify: true, format: "esm", target: "es2022" })).code);
    js.raw += src.length;
    files.push({ path: relative(root, path), raw: src.length, min: min.length, gzip: gz(min) });
  }
  files.sort((a, b) => b.gzip - a.gzip);
  return { wasm, js, files, gzip: wasm.gzip + js.gzip };
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
        code.push(s + (p - start));
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
      for (let i = 0; i < n; i++) data.push(starts[i + 1] - starts[i]);
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
  const rows = code.map((size, i) => ({ name: demangle(names.get(i + imports) ?? `func[${i + imports}]`), size }));
  data.forEach((size, i) => rows.push({ name: `data[${i}]`, size }));
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
  for (const { name, size } of rows) {
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
    groups.set(key, (groups.get(key) ?? 0) + size);
  }
  return [...groups].map(([name, size]) => ({ name, size })).sort((a, b) => b.size - a.size);
}
