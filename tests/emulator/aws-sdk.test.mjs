// The official AWS SDK for JavaScript v3 against the emulator: the account
// lifecycle over the JSON API, and errors surfaced with Cognito's names.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  CognitoIdentityProviderClient,
  SignUpCommand,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  GetUserCommand,
  ChangePasswordCommand,
  ForgotPasswordCommand,
  ConfirmForgotPasswordCommand,
  GlobalSignOutCommand,
  UpdateUserAttributesCommand,
  VerifyUserAttributeCommand,
  RevokeTokenCommand,
  GetTokensFromRefreshTokenCommand,
  DescribeUserPoolClientCommand,
  CreateUserPoolClientCommand,
  AdminGetUserCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import { createHmac } from "node:crypto";
import { startEmulator } from "../helpers/emulator.mjs";

let emu;
let cip;
before(async () => {
  emu = await startEmulator();
  cip = new CognitoIdentityProviderClient({
    region: "us-east-1",
    endpoint: emu.url,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
});
after(async () => {
  cip?.destroy();
  await emu?.stop();
});

const login = (ClientId, USERNAME, PASSWORD, extra = {}) =>
  cip.send(new InitiateAuthCommand({ ClientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME, PASSWORD, ...extra } }));

async function rejectsWith(promise, name) {
  await assert.rejects(promise, (e) => {
    assert.equal(e.name, name, `${e.name}: ${e.message}`);
    assert.equal(e.$metadata.httpStatusCode, 400);
    return true;
  });
}

test("sign-up → confirm → password auth → GetUser → change → forgot → confirm forgot → global sign-out", async () => {
  const ClientId = emu.clientId;
  const Username = "sdkuser";
  const up = await cip.send(new SignUpCommand({
    ClientId, Username, Password: "First-Passw0rd!",
    UserAttributes: [{ Name: "email", Value: "sdk@example.com" }],
  }));
  assert.equal(up.UserConfirmed, false);
  assert.match(up.UserSub, /^[0-9a-f-]{36}$/);
  assert.equal(up.CodeDeliveryDetails.DeliveryMedium, "EMAIL");
  assert.equal(up.CodeDeliveryDetails.Destination, "s***@e***");

  await rejectsWith(cip.send(new SignUpCommand({ ClientId, Username, Password: "First-Passw0rd!" })), "UsernameExistsException");
  await rejectsWith(cip.send(new SignUpCommand({ ClientId, Username: "weak", Password: "short" })), "InvalidPasswordException");
  await rejectsWith(login(ClientId, Username, "First-Passw0rd!"), "UserNotConfirmedException");

  const code = await emu.latestCode(Username, "SignUp");
  assert.match(code, /^\d{6}$/);
  const wrong = code === "000000" ? "111111" : "000000";
  await rejectsWith(cip.send(new ConfirmSignUpCommand({ ClientId, Username, ConfirmationCode: wrong })), "CodeMismatchException");
  await cip.send(new ConfirmSignUpCommand({ ClientId, Username, ConfirmationCode: code }));
  await rejectsWith(cip.send(new ConfirmSignUpCommand({ ClientId, Username, ConfirmationCode: code })), "NotAuthorizedException");

  await rejectsWith(login(ClientId, Username, "Wrong-Passw0rd!"), "NotAuthorizedException");
  const auth = await login(ClientId, Username, "First-Passw0rd!");
  const { AccessToken, RefreshToken, IdToken, ExpiresIn, TokenType } = auth.AuthenticationResult;
  assert.equal(TokenType, "Bearer");
  assert.equal(ExpiresIn, 3600);
  assert.ok(IdToken && RefreshToken);

  const me = await cip.send(new GetUserCommand({ AccessToken }));
  assert.equal(me.Username, Username);
  const attrs = Object.fromEntries(me.UserAttributes.map((a) => [a.Name, a.Value]));
  assert.equal(attrs.email, "sdk@example.com");
  assert.equal(attrs.email_verified, "true");
  assert.equal(attrs.sub, up.UserSub);
  await rejectsWith(cip.send(new GetUserCommand({ AccessToken: AccessToken.slice(0, -4) + "AAAA" })), "NotAuthorizedException");

  await rejectsWith(cip.send(new ChangePasswordCommand({ AccessToken, PreviousPassword: "Nope-Passw0rd!", ProposedPassword: "Second-Passw0rd!" })), "NotAuthorizedException");
  await cip.send(new ChangePasswordCommand({ AccessToken, PreviousPassword: "First-Passw0rd!", ProposedPassword: "Second-Passw0rd!" }));
  await rejectsWith(login(ClientId, Username, "First-Passw0rd!"), "NotAuthorizedException");
  await login(ClientId, Username, "Second-Passw0rd!");

  const upd = await cip.send(new UpdateUserAttributesCommand({ AccessToken, UserAttributes: [{ Name: "email", Value: "new@example.com" }] }));
  assert.equal(upd.CodeDeliveryDetailsList[0].AttributeName, "email");
  const vcode = await emu.latestCode(Username, "VerifyUserAttribute:email");
  await cip.send(new VerifyUserAttributeCommand({ AccessToken, AttributeName: "email", Code: vcode }));

  const fp = await cip.send(new ForgotPasswordCommand({ ClientId, Username }));
  assert.equal(fp.CodeDeliveryDetails.Destination, "n***@e***");
  const fcode = await emu.latestCode(Username, "ForgotPassword");
  await rejectsWith(cip.send(new ConfirmForgotPasswordCommand({ ClientId, Username, ConfirmationCode: fcode, Password: "weak" })), "InvalidPasswordException");
  await cip.send(new ConfirmForgotPasswordCommand({ ClientId, Username, ConfirmationCode: fcode, Password: "Third-Passw0rd!" }));
  await rejectsWith(cip.send(new ConfirmForgotPasswordCommand({ ClientId, Username, ConfirmationCode: fcode, Password: "Fourth-Passw0rd!" })), "ExpiredCodeException");
  const third = await login(ClientId, Username, "Third-Passw0rd!");

  await cip.send(new GlobalSignOutCommand({ AccessToken: third.AuthenticationResult.AccessToken }));
  await rejectsWith(cip.send(new GetUserCommand({ AccessToken: third.AuthenticationResult.AccessToken })), "NotAuthorizedException");
  await rejectsWith(cip.send(new GetUserCommand({ AccessToken })), "NotAuthorizedException");
  await rejectsWith(
    cip.send(new InitiateAuthCommand({ ClientId, AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: third.AuthenticationResult.RefreshToken } })),
    "NotAuthorizedException",
  );
});

test("a client with a secret requires SECRET_HASH; RevokeToken invalidates a refresh token", async () => {
  const ClientId = emu.confidentialClientId;
  const hash = (u) => createHmac("sha256", emu.clientSecret).update(u + ClientId).digest("base64");
  await rejectsWith(login(ClientId, emu.username, emu.password), "NotAuthorizedException");
  await rejectsWith(login(ClientId, emu.username, emu.password, { SECRET_HASH: hash("someone-else") }), "NotAuthorizedException");
  const ok = await login(ClientId, emu.username, emu.password, { SECRET_HASH: hash(emu.username) });
  const rt = ok.AuthenticationResult.RefreshToken;
  const refreshed = await cip.send(new InitiateAuthCommand({
    ClientId, AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: rt, SECRET_HASH: hash(emu.username) },
  }));
  assert.ok(refreshed.AuthenticationResult.AccessToken);
  assert.equal(refreshed.AuthenticationResult.RefreshToken, undefined);
  await rejectsWith(cip.send(new RevokeTokenCommand({ ClientId, Token: rt, ClientSecret: "wrong" })), "NotAuthorizedException");
  await cip.send(new RevokeTokenCommand({ ClientId, Token: rt, ClientSecret: emu.clientSecret }));
  await rejectsWith(
    cip.send(new InitiateAuthCommand({ ClientId, AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: rt, SECRET_HASH: hash(emu.username) } })),
    "NotAuthorizedException",
  );
  await rejectsWith(cip.send(new GetUserCommand({ AccessToken: refreshed.AuthenticationResult.AccessToken })), "NotAuthorizedException");
  const d = await cip.send(new DescribeUserPoolClientCommand({ UserPoolId: emu.poolId, ClientId }));
  assert.equal(d.UserPoolClient.ClientSecret, emu.clientSecret);
});

test("GetTokensFromRefreshToken rotates when the client enables it; explicit auth flows are enforced", async () => {
  const { UserPoolClient } = await cip.send(new CreateUserPoolClientCommand({
    UserPoolId: emu.poolId, ClientName: "rotating",
    ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    RefreshTokenRotation: { Feature: "ENABLED", RetryGracePeriodSeconds: 0 },
  }));
  const ClientId = UserPoolClient.ClientId;
  await rejectsWith(
    cip.send(new InitiateAuthCommand({ ClientId, AuthFlow: "USER_SRP_AUTH", AuthParameters: { USERNAME: emu.username, SRP_A: "02" } })),
    "InvalidParameterException",
  );
  const first = await login(ClientId, emu.username, emu.password);
  const rt1 = first.AuthenticationResult.RefreshToken;
  const r = await cip.send(new GetTokensFromRefreshTokenCommand({ ClientId, RefreshToken: rt1 }));
  const rt2 = r.AuthenticationResult.RefreshToken;
  assert.ok(rt2 && rt2 !== rt1);
  await rejectsWith(cip.send(new GetTokensFromRefreshTokenCommand({ ClientId, RefreshToken: rt1 })), "NotAuthorizedException");
  await cip.send(new GetTokensFromRefreshTokenCommand({ ClientId, RefreshToken: rt2 }));
  await rejectsWith(cip.send(new AdminGetUserCommand({ UserPoolId: emu.poolId, Username: "ghost" })), "UserNotFoundException");
  await rejectsWith(cip.send(new InitiateAuthCommand({ ClientId: "no-such-client", AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: "a", PASSWORD: "b" } })), "ResourceNotFoundException");
});
