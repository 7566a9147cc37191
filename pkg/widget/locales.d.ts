// Types of cognito-wasm/widget/locales.
import type { CognitoLoginI18n, CognitoLoginTextKey } from "../widget.js";
export declare const en: Record<CognitoLoginTextKey, string>;
export declare const de: CognitoLoginI18n;
export declare const fr: CognitoLoginI18n;
export declare const es: CognitoLoginI18n;
export declare const ja: CognitoLoginI18n;
