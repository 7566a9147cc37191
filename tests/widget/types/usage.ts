// Type-checked (tsc --noEmit -p tests/widget/types/tsconfig.json, run by
// tests/widget/types.test.mjs) against pkg/widget.d.ts through the package's
// `exports`; never executed. The @ts-expect-error lines must stay errors.
import { CognitoAuth } from "cognito-wasm";
import { CognitoLoginElement, type CognitoLoginConfig, type CognitoLoginSignedInDetail } from "cognito-wasm/widget";
import { de, ja } from "cognito-wasm/widget/locales";

const el = document.createElement("cognito-login");
const typed: CognitoLoginElement = el;
el.auth = new CognitoAuth({ userPoolId: "us-east-1_X", clientId: "c" });
const config: CognitoLoginConfig = {
  signUpAttributes: ["email", "name"],
  formFields: { username: { label: "E-mail or username", order: 0 } },
  identityProviders: ["Google", { id: "COGNITO", label: "Cognito" }],
  passwordPolicy: { minLength: 12 },
};
el.config = config;
el.i18n = { ...de, signIn: "Los" };
el.i18n = ja;
el.addEventListener("signed-in", (e) => {
  const d: CognitoLoginSignedInDetail = e.detail;
  const access: string = d.tokens.accessToken;
  void access;
});
el.addEventListener("step", (e) => {
  const screen: string = e.detail.screen;
  void screen;
});
el.addEventListener("error", (e) => {
  const code: string = e.detail.code;
  void code;
});
document.querySelector("cognito-login")?.addEventListener("signed-out", () => {});
const s: typeof typed.screen = el.screen;
void s;

// @ts-expect-error not a text key
el.i18n = { notAKey: "x" };
// @ts-expect-error screen is read-only
el.screen = "signIn";
// @ts-expect-error detail of signed-in has no `foo`
el.addEventListener("signed-in", (e) => e.detail.foo);
