// Size entry: the same step with amazon-cognito-identity-js's SRP pieces
// (what CognitoUser.authenticateUserDefaultAuth uses), no network client.
import AuthenticationHelper from "amazon-cognito-identity-js/lib/AuthenticationHelper.js";
import BigInteger from "amazon-cognito-identity-js/lib/BigInteger.js";
import DateHelper from "amazon-cognito-identity-js/lib/DateHelper.js";
import { Sha256 } from "@aws-crypto/sha256-js";
import { Buffer } from "buffer";

export function passwordVerifier(poolName, password, cp) {
  const helper = new AuthenticationHelper(poolName);
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
