// Types of `cognito-wasm/widget`: the <cognito-login> custom element.
import type { CognitoAuth, CognitoAuthOptions, CognitoError, HostedUiOptions, SignInOptions, Tokens } from "./index.js";

/** Screens of <cognito-login> (its `screen` property and `screen` attribute). */
export type CognitoLoginScreen =
  | "signIn"
  | "code"
  | "selectMfa"
  | "setupMfa"
  | "totpSetup"
  | "emailSetup"
  | "newPassword"
  | "custom"
  | "firstFactor"
  | "signUp"
  | "confirmSignUp"
  | "forgotPassword"
  | "forgotConfirm"
  | "verify"
  | "addPasskey"
  | "signedIn";

/** Keys of the widget's texts (the English ones: pkg/widget/strings.js). */
export type CognitoLoginTextKey =
  | "signInTitle" | "signUpTitle" | "confirmSignUpTitle" | "forgotTitle" | "forgotConfirmTitle" | "codeTitle"
  | "selectMfaTitle" | "setupMfaTitle" | "totpSetupTitle" | "emailSetupTitle" | "newPasswordTitle" | "customTitle"
  | "firstFactorTitle" | "verifyTitle" | "signedInTitle" | "username" | "email" | "phone_number"
  | "name" | "given_name" | "family_name" | "password" | "newPassword" | "code"
  | "answer" | "signIn" | "signUp" | "next" | "confirm" | "send"
  | "resend" | "resent" | "skip" | "back" | "signOut" | "copy"
  | "copied" | "forgot" | "noAccount" | "haveAccount" | "with" | "or"
  | "working" | "sentTo" | "totpPrompt" | "totpScan" | "secretKey" | "qrAlt"
  | "SOFTWARE_TOKEN_MFA" | "SMS_MFA" | "EMAIL_OTP" | "SMS_OTP" | "PASSWORD" | "PASSWORD_SRP"
  | "WEB_AUTHN" | "passkey" | "passkeySignIn" | "passkeysTitle" | "passkeyItem" | "noPasskeys"
  | "addPasskey" | "addPasskeyTitle" | "addPasskeyIntro" | "removePasskey" | "removePasskeyLabel"
  | "verifyPrompt" | "signedInAs" | "passwordChanged" | "rules" | "ruleLength" | "ruleLower"
  | "ruleUpper" | "ruleDigit" | "ruleSymbol" | "errorSummary" | "required" | "errWrongPassword"
  | "errCode" | "errExpired" | "errPolicy" | "errTooMany" | "errExists" | "errNetwork"
  | "errSession" | "errParameter" | "errPasskeyCancelled" | "errPasskeyExists" | "errGeneric";

/** Replacement texts: any subset; `{name}` placeholders are filled in. */
export type CognitoLoginI18n = Partial<Record<CognitoLoginTextKey, string>>;

/** A field's label, placeholder and position among its screen's fields. */
export interface CognitoLoginFieldOptions {
  label?: string;
  placeholder?: string;
  /** Fields are sorted by this (default: their place in the screen). */
  order?: number;
}

/** The pool's password policy, shown where a password is chosen (default: Cognito's). */
export interface CognitoLoginPasswordPolicy {
  minLength?: number;
  requireLowercase?: boolean;
  requireUppercase?: boolean;
  requireNumbers?: boolean;
  requireSymbols?: boolean;
}

/** The `config` property: what attributes cannot say. Attributes are read when a key is absent. */
export interface CognitoLoginConfig {
  userPoolId?: string;
  clientId?: string;
  endpoint?: string;
  hostedUiDomain?: string;
  redirectUri?: string;
  /** Merged into the hosted-UI options when `hostedUiDomain` is set. */
  hostedUi?: Partial<HostedUiOptions>;
  /** More options of the CognitoAuth the widget makes (when no `auth` is given). */
  authOptions?: Partial<CognitoAuthOptions>;
  /** "Sign in with …" buttons: provider names (`COGNITO` for the hosted UI's own form). */
  identityProviders?: (string | { id: string; label: string })[];
  initialScreen?: "signIn" | "signUp" | "forgotPassword";
  hideSignUp?: boolean;
  /** `USER_AUTH`: the username first, then a choice of first factor. Default SRP. */
  authFlow?: "USER_SRP_AUTH" | "USER_AUTH";
  /** Extra options of every `signIn` (e.g. `clientMetadata`). */
  signInOptions?: Partial<SignInOptions>;
  /** Attributes asked at sign-up (default `["email"]`). */
  signUpAttributes?: string[];
  /** Labels of attributes (`{ "custom:team": "Team" }`). */
  attributeLabels?: Record<string, string>;
  /** Per field name, or per screen then field name. */
  formFields?: Record<string, CognitoLoginFieldOptions | Record<string, CognitoLoginFieldOptions>>;
  passwordPolicy?: CognitoLoginPasswordPolicy;
  /** Offer to verify an unverified e-mail or phone after sign-in (default true). */
  verifyAttributes?: boolean;
  /**
   * Passkeys where the browser has WebAuthn (default true): a "Sign in with
   * a passkey" button, `WEB_AUTHN` among the first factors, and the user's
   * passkeys (add, remove) in the signed-in view.
   */
  passkeys?: boolean;
  /** After a sign-in, offer to add a passkey to a user who has none: `always`, or `never` (default). */
  passkeyPrompt?: "always" | "never";
}

/** `detail` of the `signed-in` event. */
export interface CognitoLoginSignedInDetail {
  username: string;
  tokens: Tokens;
  /** The ID token's claims (not verified: for display). */
  claims: Record<string, unknown>;
  /** True when an existing session was found at start. */
  restored: boolean;
}

/** `detail` of the `step` event. */
export interface CognitoLoginStepDetail {
  screen: CognitoLoginScreen;
  /** The challenge CognitoAuth returned, for challenge screens. */
  next?: string;
}

/** `detail` of the `error` event. */
export interface CognitoLoginErrorDetail {
  code: string;
  message: string;
  error: CognitoError | Error;
}

export interface CognitoLoginEventMap {
  "signed-in": CustomEvent<CognitoLoginSignedInDetail>;
  "signed-out": CustomEvent<Record<string, never>>;
  step: CustomEvent<CognitoLoginStepDetail>;
  error: CustomEvent<CognitoLoginErrorDetail>;
}

/**
 * `<cognito-login>`. Attributes: `user-pool-id`, `client-id`, `endpoint`,
 * `hosted-ui-domain`, `redirect-uri`, `identity-providers` (comma-separated),
 * `initial-screen`, `hide-sign-up`, `autofocus`. Events bubble and are composed.
 */
export declare class CognitoLoginElement extends HTMLElement {
  /** An existing CognitoAuth; when unset, one is made from the attributes and `config`. */
  auth: CognitoAuth | null;
  config: CognitoLoginConfig;
  i18n: CognitoLoginI18n;
  /** The screen shown now ("" before the first). */
  readonly screen: CognitoLoginScreen | "";
  addEventListener<K extends keyof CognitoLoginEventMap>(
    type: K,
    listener: (this: CognitoLoginElement, ev: CognitoLoginEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof CognitoLoginEventMap>(
    type: K,
    listener: (this: CognitoLoginElement, ev: CognitoLoginEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

declare global {
  interface HTMLElementTagNameMap {
    "cognito-login": CognitoLoginElement;
  }
  interface HTMLElementEventMap {
    "signed-in": CustomEvent<CognitoLoginSignedInDetail>;
    "signed-out": CustomEvent<Record<string, never>>;
  }
}
