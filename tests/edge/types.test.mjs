// pkg/edge.d.ts type-checks a Worker's typical use (tests/edge/types/usage.ts)
// with the repository's tsc, through the package's `exports` ("./edge").
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "./helpers.mjs";

test("tsc: pkg/edge.d.ts against tests/edge/types/usage.ts", () => {
  const r = spawnSync(join(ROOT, "node_modules/.bin/tsc"), ["-p", join(ROOT, "tests/edge/types/tsconfig.json")], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});
