// Node side of the runtime tests: turns the result lists of cases.mjs into
// node:test subtests, one per group (vectors) or per case (errors).
import assert from "node:assert/strict";

/** One subtest per group; fails listing every failing case of that group. */
export async function reportByGroup(t, runtime, results, groups) {
  for (const group of groups) {
    const mine = results.filter((r) => r.group === group);
    await t.test(`${runtime}: ${group} known answers (${mine.length} cases)`, () => {
      assert.ok(mine.length > 0, `no ${group} cases ran`);
      const failed = mine.filter((r) => !r.ok).map((r) => `${r.name}: ${r.detail}`);
      assert.deepEqual(failed, [], `${failed.length} of ${mine.length} ${group} cases failed`);
    });
  }
}

/** One subtest per case. */
export async function reportEach(t, runtime, results) {
  assert.ok(results.length > 0, "no cases ran");
  for (const r of results) {
    await t.test(`${runtime}: ${r.group}: ${r.name}`, () => assert.ok(r.ok, r.detail));
  }
}
