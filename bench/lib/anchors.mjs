// The anchors: the same full client SRP computation (a and A, the session
// key from the PASSWORD_VERIFIER challenge, the claim signature) with
// amazon-cognito-identity-js and with Amplify v6's internal SRP helper,
// called the way their sign-in code calls them.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const cij = require("amazon-cognito-identity-js/lib/AuthenticationHelper.js").default;
const CijBigInteger = require("amazon-cognito-identity-js/lib/BigInteger.js").default;
const DateHelper = require("amazon-cognito-identity-js/lib/DateHelper.js").default;
const { Sha256 } = require("@aws-crypto/sha256-js");
const { Buffer } = require("buffer");

// Amplify does not export its SRP helper; import its module files directly.
const AMPLIFY_SRP = new URL(
  "../../node_modules/@aws-amplify/auth/dist/esm/providers/cognito/utils/srp/",
  import.meta.url,
);
const amplify = await import(new URL("index.mjs", AMPLIFY_SRP));
const AmplifyBigInteger = (await import(new URL("BigInteger/BigInteger.mjs", AMPLIFY_SRP))).default;

/** amazon-cognito-identity-js: as CognitoUser.authenticateUserDefaultAuth does. */
export function cognitoIdentityJsLogin({ poolName, password, challenge, dateNow, aHex }) {
  const helper = new cij(poolName); // draws a, computes A
  if (aHex) {
    helper.smallAValue = new CijBigInteger(aHex, 16);
    helper.largeAValue = null;
  }
  let srpA;
  helper.getLargeAValue((err, A) => {
    if (err) throw err;
    srpA = A.toString(16);
  });
  let hkdf;
  helper.getPasswordAuthenticationKey(
    challenge.USER_ID_FOR_SRP,
    password,
    new CijBigInteger(challenge.SRP_B, 16),
    new CijBigInteger(challenge.SALT, 16),
    (err, key) => {
      if (err) throw err;
      hkdf = key;
    },
  );
  const timestamp = dateNow ?? new DateHelper().getNowString();
  const msg = Buffer.concat([
    Buffer.from(poolName, "utf8"),
    Buffer.from(challenge.USER_ID_FOR_SRP, "utf8"),
    Buffer.from(challenge.SECRET_BLOCK, "base64"),
    Buffer.from(timestamp, "utf8"),
  ]);
  const mac = new Sha256(hkdf);
  mac.update(msg);
  return { srpA, signature: Buffer.from(mac.digestSync()).toString("base64"), timestamp };
}

/** Amplify v6: as its handleUserSRPAuthFlow / handlePasswordVerifierChallenge do. */
export async function amplifyLogin({ poolName, password, challenge, dateNow }) {
  const helper = await amplify.getAuthenticationHelper(poolName); // a, A
  const hkdf = await helper.getPasswordAuthenticationKey({
    username: challenge.USER_ID_FOR_SRP,
    password,
    serverBValue: new AmplifyBigInteger(challenge.SRP_B, 16),
    salt: new AmplifyBigInteger(challenge.SALT, 16),
  });
  const timestamp = dateNow ?? amplify.getNowString();
  const signature = amplify.getSignatureString({
    userPoolName: poolName,
    username: challenge.USER_ID_FOR_SRP,
    challengeParameters: challenge,
    dateNow: timestamp,
    hkdf,
  });
  return { srpA: helper.A.toString(16), signature, timestamp };
}
