// Shared test helper: the SRP known-answer vectors (tests/vectors/srp.json,
// generated with amazon-cognito-identity-js by tests/vectors/).
import { readFileSync, existsSync } from "node:fs";

// SRP_VECTORS=path overrides the file (for debugging a single case).
export const SRP_VECTORS_URL = process.env.SRP_VECTORS
  ? new URL(process.env.SRP_VECTORS, `file://${process.cwd()}/`)
  : new URL("../vectors/srp.json", import.meta.url);

/** The parsed vector file; throws (failing the caller) if it is missing. */
export function loadSrpVectors() {
  if (!existsSync(SRP_VECTORS_URL)) {
    throw new Error("tests/vectors/srp.json is missing: the known-answer vectors must be generated first");
  }
  const v = JSON.parse(readFileSync(SRP_VECTORS_URL, "utf8"));
  if (!Array.isArray(v.srp) || v.srp.length === 0) throw new Error("tests/vectors/srp.json has no srp cases");
  return v;
}
