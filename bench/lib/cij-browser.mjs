// amazon-cognito-identity-js's full client SRP login (its ES module build,
// as a browser app bundles it): the Chromium anchor of
// bench/srp-worker-chromium.bench.mjs. Same steps as bench/lib/anchors.mjs.
import AuthenticationHelper from "amazon-cognito-identity-js/es/AuthenticationHelper.js";
import BigInteger from "amazon-cognito-identity-js/es/BigInteger.js";
import DateHelper from "amazon-cognito-identity-js/es/DateHelper.js";
import { Sha256 } from "@aws-crypto/sha256-js";
import { Buffer } from "buffer";

export function passwordVerifier(poolName, password, cp) {
  const helper = new AuthenticationHelper(poolName); // draws a, computes A
  let result;
  helper.getPasswordAuthenticationKey(cp.USER_ID_FOR_SRP, password, new BigInteger(cp.SRP_B, 16), new BigInteger(cp.SALT, 16), (err, hkdf) => {
    if (err) throw err;
    const now = new DateHelper().getNowString();
    const mac = new Sha256(hkdf);
    mac.update(Buffer.concat([Buffer.from(poolName), Buffer.from(cp.USER_ID_FOR_SRP), Buffer.from(cp.SECRET_BLOCK, "base64"), Buffer.from(now)]));
    result = { srpA: helper.largeAValue.toString(16), signature: Buffer.from(mac.digestSync()).toString("base64"), now };
  });
  return result;
}
