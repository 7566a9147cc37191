// The built package in Node, imported by name through package.json
// `exports` (the "node" condition) like an installed dependency would be.
import { test } from "node:test";
import * as pkg from "cognito-wasm";
import * as testing from "cognito-wasm/testing";
import { runErrorCases, runVectorCases } from "./cases.mjs";
import { reportByGroup, reportEach } from "./report.mjs";
import { loadSrpVectors } from "../helpers/vectors.mjs";

test("node: loads synchronously on first use; init() is harmless", async () => {
  const { srp, init, isInitialized } = pkg;
  const a = srp.createEphemeral().publicA; // no init() first
  if (!/^[0-9a-f]+$/.test(a)) throw new Error(`bad publicA ${a}`);
  await init();
  await init();
  if (!isInitialized()) throw new Error("isInitialized() false after use");
});

test("node: error cases", async (t) => {
  await reportEach(t, "node", runErrorCases(pkg));
});

test("node: known answers from amazon-cognito-identity-js", async (t) => {
  const results = runVectorCases(pkg, testing, loadSrpVectors());
  await reportByGroup(t, "node", results, ["srp", "timestamp", "secretHash", "device"]);
});
