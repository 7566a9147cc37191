// pkg/widget.d.ts type-checks a usage file through the package's `exports`
// (the element in HTMLElementTagNameMap, typed properties and events; the
// file's @ts-expect-error lines must stay errors), and its text keys are
// exactly the English texts' keys.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { en } from "../../pkg/widget/strings.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

test("widget types: tsc accepts tests/widget/types/usage.ts", () => {
  execFileSync("node_modules/.bin/tsc", ["-p", "tests/widget/types/tsconfig.json"], { cwd: root, stdio: "pipe" });
});

test("widget types: CognitoLoginTextKey lists every English text key", () => {
  const dts = readFileSync(new URL("../../pkg/widget.d.ts", import.meta.url), "utf8");
  const union = /export type CognitoLoginTextKey =([^;]*);/.exec(dts)[1];
  const keys = [...union.matchAll(/"([^"]+)"/g)].map((m) => m[1]).sort();
  assert.deepEqual(keys, Object.keys(en).sort());
});
