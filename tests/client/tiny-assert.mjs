// A small assertion helper with no host imports, so the flow scenarios can
// run unchanged in Node, in a workerd Worker and in a browser page. Every
// failure throws an Error whose message says what was expected.

const show = (v) => {
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
};

/** Structural equality over JSON-like values (plain objects, arrays, primitives). */
function same(a, b) {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => a[k] !== undefined);
  const kb = Object.keys(b).filter((k) => b[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && same(a[k], b[k]));
}

const fail = (message, fallback) => {
  throw new Error(message ? `${message} (${fallback})` : fallback);
};

export const assert = {
  fail(message = "failed") {
    throw new Error(message);
  },
  ok(value, message) {
    if (!value) fail(message, `expected a truthy value, got ${show(value)}`);
  },
  equal(actual, expected, message) {
    if (!Object.is(actual, expected)) fail(message, `expected ${show(expected)}, got ${show(actual)}`);
  },
  notEqual(actual, unexpected, message) {
    if (Object.is(actual, unexpected)) fail(message, `expected anything but ${show(unexpected)}`);
  },
  deepEqual(actual, expected, message) {
    if (!same(actual, expected)) fail(message, `expected ${show(expected)}, got ${show(actual)}`);
  },
  match(actual, re, message) {
    if (typeof actual !== "string" || !re.test(actual)) fail(message, `expected ${show(actual)} to match ${re}`);
  },
  /** The rejection of `promise`; fails if it resolves. */
  async rejection(promise) {
    let value;
    try {
      value = await promise;
    } catch (e) {
      return e;
    }
    throw new Error(`expected a rejection, got ${show(value)}`);
  },
};
