// Size entry: the same step with Amplify v6's internal SRP helper (what
// signIn's USER_SRP_AUTH flow uses), imported from its module files.
import { getAuthenticationHelper, getNowString, getSignatureString } from "../../node_modules/@aws-amplify/auth/dist/esm/providers/cognito/utils/srp/index.mjs";
import BigInteger from "../../node_modules/@aws-amplify/auth/dist/esm/providers/cognito/utils/srp/BigInteger/BigInteger.mjs";

export async function passwordVerifier(userPoolName, password, challengeParameters) {
  const helper = await getAuthenticationHelper(userPoolName);
  const hkdf = await helper.getPasswordAuthenticationKey({
    username: challengeParameters.USER_ID_FOR_SRP,
    password,
    serverBValue: new BigInteger(challengeParameters.SRP_B, 16),
    salt: new BigInteger(challengeParameters.SALT, 16),
  });
  const dateNow = getNowString();
  return { srpA: helper.A.toString(16), signature: getSignatureString({ userPoolName, username: challengeParameters.USER_ID_FOR_SRP, challengeParameters, dateNow, hkdf }), dateNow };
}
