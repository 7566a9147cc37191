// The shipped translations (pkg/widget/locales.js) cover every English text
// with the same {placeholders} (either case), and none is left in English by mistake.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as locales from "../../pkg/widget/locales.js";

const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1].toLowerCase()).sort();

for (const lang of ["de", "fr", "es", "ja"]) {
  test(`locales: ${lang} has every key of en, with the same placeholders`, () => {
    const t = locales[lang];
    assert.deepEqual(Object.keys(t).sort(), Object.keys(locales.en).sort());
    for (const [k, v] of Object.entries(locales.en)) assert.deepEqual(placeholders(t[k]), placeholders(v), `${lang}.${k}`);
    // Titles and errors are translated (short words such as "Code" may match).
    const same = Object.keys(t).filter((k) => /Title$|^err/.test(k) && t[k] === locales.en[k]);
    assert.deepEqual(same, []);
  });
}
