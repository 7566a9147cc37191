// <cognito-login>: a framework-free sign-in widget for single-page apps,
// built only on the public CognitoAuth API of this package.
//
//   import "cognito-wasm/widget";
//   <cognito-login user-pool-id="…" client-id="…"></cognito-login>
//
// Screens follow the steps CognitoAuth.signIn / confirmSignIn return. The
// forms live in the element's shadow root (Chromium's autofill sees them
// there: tests/widget/autofill.test.mjs); texts come from `i18n`, styles
// from CSS custom properties and ::part, with `header` and `footer` slots.
import { en } from "./widget/strings.js";

const CSS = `
:host{--cl-font:system-ui,sans-serif;--cl-bg:#fff;--cl-fg:#1b1f24;--cl-muted:#57606a;--cl-border:#8c959f;
--cl-accent:#0b57d0;--cl-accent-fg:#fff;--cl-error:#b3261e;--cl-ok:#1a7f37;--cl-focus:#0b57d0;--cl-radius:8px;
--cl-field-bg:#fff;display:block;max-width:26rem;font:16px/1.45 var(--cl-font);color:var(--cl-fg)}
@media (prefers-color-scheme:dark){:host{--cl-bg:#1d2025;--cl-fg:#e8eaed;--cl-muted:#b4bac2;--cl-border:#8b929b;
--cl-accent:#8ab4f8;--cl-accent-fg:#0b1b36;--cl-error:#ffb4ab;--cl-ok:#7ee2a8;--cl-focus:#8ab4f8;--cl-field-bg:#111316}}
:host([hidden]){display:none}
*{box-sizing:border-box}
[part~=container]{background:var(--cl-bg);border:1px solid var(--cl-border);border-radius:var(--cl-radius);padding:1.5rem}
h2{font-size:1.35rem;margin:0 0 1rem;outline:none}
::slotted([slot=header]){display:block;margin-bottom:.75rem}::slotted([slot=footer]){display:block;margin-top:1.25rem}
p{margin:.5rem 0}h2+p{margin-bottom:1rem}
form{display:flex;flex-direction:column;gap:.9rem}
label{display:block;font-weight:600;margin-bottom:.25rem}
input{width:100%;font:inherit;padding:.6rem .7rem;border:1px solid var(--cl-border);border-radius:calc(var(--cl-radius)/2);
background:var(--cl-field-bg);color:var(--cl-fg)}
input[type=radio]{width:1.15rem;height:1.15rem;margin:0 .6rem 0 0;accent-color:var(--cl-accent)}
input[aria-invalid=true]{border-color:var(--cl-error);border-width:2px}
button{font:inherit;cursor:pointer;border-radius:calc(var(--cl-radius)/2);padding:.65rem 1rem;border:1px solid var(--cl-accent);
background:transparent;color:var(--cl-accent)}
button.primary{background:var(--cl-accent);color:var(--cl-accent-fg);font-weight:600}
button.link{border:0;padding:.2rem 0;background:none;text-decoration:underline;text-align:left}
button[aria-busy=true]::after{content:"";display:inline-block;width:.8em;height:.8em;margin-left:.5em;border:2px solid currentColor;
border-right-color:transparent;border-radius:50%;animation:spin .8s linear infinite;vertical-align:-.1em}
@keyframes spin{to{transform:rotate(360deg)}}
@media (prefers-reduced-motion:reduce){button[aria-busy=true]::after{animation:none;border-right-color:currentColor;opacity:.6}}
:focus-visible{outline:3px solid var(--cl-focus);outline-offset:2px}
.error{color:var(--cl-error);font-weight:600;margin:.25rem 0 0}
.summary{border:2px solid var(--cl-error);border-radius:calc(var(--cl-radius)/2);padding:.6rem .8rem;color:var(--cl-error)}
.summary:empty,.error:empty{display:none}
.note{color:var(--cl-muted);font-size:.92rem}
.rules{margin:.2rem 0 0;padding-left:1.2rem;color:var(--cl-muted);font-size:.92rem}
.rules li.met{color:var(--cl-ok)}.rules li.met::marker{content:"✓ "}
.links{margin-top:.6rem}.row{display:flex;flex-wrap:wrap;gap:.75rem;align-items:center;justify-content:space-between}
.choice{display:flex;align-items:center;font-weight:400;padding:.35rem 0;cursor:pointer}
fieldset{border:0;padding:0;margin:0}legend{font-weight:600;margin-bottom:.4rem}
.key{display:flex;gap:.5rem;align-items:stretch}.key-label{font-weight:600;margin-bottom:0}
.secret{flex:1;font-family:ui-monospace,monospace;word-break:break-all;letter-spacing:.04em;background:var(--cl-field-bg);border:1px dashed var(--cl-border);padding:.4rem .5rem;border-radius:4px}
canvas{display:block;margin:.25rem auto;width:200px;max-width:100%;height:auto;image-rendering:pixelated}
.providers{display:flex;flex-direction:column;gap:.5rem;margin-top:1rem}
[part~=passkeys]{margin:1rem 0}h3{font-size:1.05rem;margin:0 0 .4rem}.passkeys{list-style:none;padding:0;margin:.25rem 0 .75rem}
.passkeys li{padding:.3rem 0;border-bottom:1px solid var(--cl-border)}[part~=passkey-button]{margin:.75rem 0 .4rem;width:100%}
.sep{text-align:center;color:var(--cl-muted);margin:.75rem 0 0}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
`;

// CognitoError codes → [text key, field the error concerns].
const ERROR_KEYS = {
  NotAuthorizedException: ["errWrongPassword", "password"],
  UserNotFoundException: ["errWrongPassword", "password"],
  CodeMismatchException: ["errCode", "code"],
  EnableSoftwareTokenMFAException: ["errCode", "code"],
  ExpiredCodeException: ["errExpired", "code"],
  InvalidPasswordException: ["errPolicy", "newPassword"],
  LimitExceededException: ["errTooMany"],
  TooManyFailedAttemptsException: ["errTooMany"],
  TooManyRequestsException: ["errTooMany"],
  CodeDeliveryFailureException: ["errNetwork"],
  UsernameExistsException: ["errExists", "username"],
  AliasExistsException: ["errExists", "username"],
  NetworkError: ["errNetwork"],
  TimeoutError: ["errNetwork"],
  InvalidParameterException: ["errParameter"],
  PasskeyCancelled: ["errPasskeyCancelled"],
  PasskeyAlreadyRegistered: ["errPasskeyExists"],
};

// Passkeys (WebAuthn) in this browser, and the CognitoAuth methods for them
// (absent from the `cognito-wasm/session` entry).
const passkeys = (auth) => typeof globalThis.PublicKeyCredential === "function" && (!auth || typeof auth.registerPasskey === "function");

const DEFAULT_POLICY = { minLength: 8, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: true };
const SYMBOLS = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ";
const CODE_STEPS = ["SOFTWARE_TOKEN_MFA", "SMS_MFA", "EMAIL_OTP", "SMS_OTP"];
const AUTOCOMPLETE = { email: "email", phone_number: "tel", name: "name", given_name: "given-name", family_name: "family-name" };
const TYPES = { email: "email", phone_number: "tel" };

// A small DOM builder: h("input", { name: "x", onclick: fn }, ...children).
function h(tag, props = {}, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v == null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "text") el.textContent = v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  el.append(...kids.flat().filter((k) => k != null && k !== false));
  return el;
}

let uid = 0;

/** The `<cognito-login>` element (types: widget.d.ts). */
export class CognitoLoginElement extends HTMLElement {
  static observedAttributes = ["initial-screen", "hide-sign-up"];

  #auth = null;
  #config = {};
  #i18n = {};
  #screen = "";
  #state = {};
  #busy = false;
  #ready = null;
  #focusNext = false;
  #offs = [];
  #signingOut = false;
  #root;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: "open", delegatesFocus: false });
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    this.#root.adoptedStyleSheets = [sheet];
    this.#root.append(
      h("div", { part: "container" },
        h("slot", { name: "header" }),
        h("div", { class: "sr", role: "status", "aria-live": "polite", "aria-atomic": "true" }),
        h("div", { part: "body", class: "body" }),
        h("slot", { name: "footer" })),
    );
    // Properties set before the element was defined (frameworks do that)
    // are own properties hiding the accessors: take them over.
    for (const p of ["auth", "config", "i18n"]) {
      if (!Object.hasOwn(this, p)) continue;
      const v = this[p];
      delete this[p];
      if (p === "auth") this.#auth = v;
      else if (p === "config") this.#config = v ?? {};
      else this.#i18n = v ?? {};
    }
  }

  /** An existing CognitoAuth; when unset, one is made from the attributes. */
  get auth() {
    return this.#auth;
  }
  set auth(value) {
    this.#auth = value;
    if (this.isConnected) this.#start();
  }
  /** Everything attributes cannot say (see widget.d.ts, CognitoLoginConfig). */
  get config() {
    return this.#config;
  }
  set config(value) {
    this.#config = value ?? {};
    if (this.isConnected && this.#screen) this.#render();
  }
  /** Texts replacing the English ones (any subset of the keys). */
  get i18n() {
    return this.#i18n;
  }
  set i18n(value) {
    this.#i18n = value ?? {};
    if (this.#screen) this.#render();
  }
  /** The screen shown now. */
  get screen() {
    return this.#screen;
  }

  connectedCallback() {
    if (!this.#screen) this.#start();
    else if (this.#auth && !this.#offs.length) this.#subscribe(this.#auth);
  }

  // Signed in or out elsewhere (another tab, the app, an expired session).
  #subscribe(auth) {
    this.#unsubscribe();
    const out = () => {
      if (this.#screen !== "signedIn" || this.#signingOut) return;
      this.#go("signIn");
      this.#emit("signed-out", {});
    };
    const signedIn = () => {
      if (this.#busy || this.#screen !== "signIn") return;
      auth.getTokens().then((t) => this.#screen === "signIn" && !this.#busy && this.#signedIn(t, false), () => {});
    };
    this.#offs = [auth.on?.("signedOut", out), auth.on?.("sessionExpired", out), auth.on?.("signedIn", signedIn)];
  }

  disconnectedCallback() {
    this.#unsubscribe();
  }

  #unsubscribe() {
    for (const off of this.#offs) off?.();
    this.#offs = [];
  }

  attributeChangedCallback() {
    if (this.#screen === "signIn" || this.#screen === "signUp") this.#render();
  }

  // ---------------------------------------------------------------- set-up

  #t(key, vars = {}) {
    const s = this.#i18n[key] ?? en[key] ?? key;
    return s.replace(/\{(\w+)\}/g, (_, k) => vars[k] ?? "");
  }

  #cfg(name, attr) {
    return this.#config[name] ?? (attr ? this.getAttribute(attr) : null) ?? undefined;
  }

  async #makeAuth() {
    if (this.#auth) return this.#auth;
    // The SDK is imported here, not up front: the form is usable before it loads.
    const { init, CognitoAuth } = await import("./index.js");
    await init();
    const domain = this.#cfg("hostedUiDomain", "hosted-ui-domain");
    const options = {
      userPoolId: this.#cfg("userPoolId", "user-pool-id"),
      clientId: this.#cfg("clientId", "client-id"),
      ...(this.#cfg("endpoint", "endpoint") ? { endpoint: this.#cfg("endpoint", "endpoint") } : {}),
      ...(this.#config.authOptions ?? {}),
    };
    if (domain) {
      options.hostedUi = {
        domain,
        redirectUri: this.#cfg("redirectUri", "redirect-uri") ?? location.origin + location.pathname,
        scopes: ["openid", "email", "profile", "aws.cognito.signin.user.admin"],
        ...(this.#config.hostedUi ?? {}),
      };
    }
    this.#auth = new CognitoAuth(options);
    return this.#auth;
  }

  // A stored session (keys documented in the README: cognito-wasm.<clientId>.session)?
  #maybeSignedIn() {
    try {
      for (const store of [sessionStorage, localStorage]) {
        for (let i = 0; i < store.length; i++) {
          const k = store.key(i);
          if (k?.startsWith("cognito-wasm.") && k.endsWith(".session")) return true;
        }
      }
      return false;
    } catch {
      return true;
    }
  }

  #start() {
    const url = new URL(location.href);
    const hosted = this.#config.hostedUi?.domain || this.#cfg("hostedUiDomain", "hosted-ui-domain");
    const callback = hosted && (url.searchParams.has("code") || url.searchParams.has("error")) && url.searchParams.has("state");
    const initial = this.getAttribute("initial-screen") || this.#config.initialScreen || "signIn";
    // No session to look for: the form is usable at once, while the wasm loads.
    const early = !callback && !this.#maybeSignedIn();
    if (early) this.#go(initial);
    const run = (this.#ready = (async () => {
      const auth = await this.#makeAuth();
      if (run !== this.#ready) return;
      this.#subscribe(auth);
      if (callback) {
        try {
          const { tokens } = await auth.handleRedirectCallback();
          return this.#signedIn(tokens);
        } catch (e) {
          this.#go(initial);
          return this.#fail(e);
        }
      }
      if (early) {
        if (this.#screen === "signIn") queueMicrotask(() => auth.prepareSignIn?.().catch(() => {}));
        return;
      }
      try {
        return this.#signedIn(await auth.getTokens(), false);
      } catch {
        // Not signed in.
      }
      this.#go(initial);
    })().catch((e) => {
      if (!this.#screen) this.#go(initial);
      this.#fail(e);
    }));
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  // ------------------------------------------------------------ navigation

  #go(screen, state = {}) {
    const first = !this.#screen;
    this.#screen = screen;
    this.#state = state;
    this.#focusNext = !first || this.hasAttribute("autofocus");
    this.#render();
    this.#emit("step", { screen, next: state.step?.next });
  }

  #announce(text) {
    const live = this.#root.querySelector("[role=status]");
    live.textContent = "";
    setTimeout(() => (live.textContent = text), 50);
  }

  #render() {
    const body = this.#root.querySelector(".body");
    body.replaceChildren(...this.#view(this.#screen));
    this.setAttribute("screen", this.#screen);
    const title = body.querySelector("h2");
    if (title) this.#announce(title.textContent);
    if (this.#focusNext) {
      this.#focusNext = false;
      (body.querySelector("input:not([hidden]):not([type=radio]),input[type=radio]:checked") ??
        body.querySelector("button.primary") ??
        title)?.focus();
    }
  }

  // A form: title, error summary, fields, submit button, extra nodes below.
  #form({ title, intro = [], fields = [], submit, onsubmit, after = [], name }) {
    const summary = h("div", { class: "summary", part: "error-summary", role: "alert", tabindex: "-1" });
    const button = h("button", { type: "submit", class: "primary", part: "button primary-button", text: submit });
    const form = h("form", { part: "form", name, novalidate: true, onsubmit: (ev) => {
      ev.preventDefault();
      if (this.#busy) return;
      this.#clearErrors(form);
      const data = Object.fromEntries(new FormData(form));
      const missing = [...form.querySelectorAll("input[data-required]")].find((i) => !i.value.trim());
      if (missing) return this.#showError(form, this.#t("required", { field: missing.dataset.label.toLowerCase(), Field: missing.dataset.label }), missing.name);
      this.#run(form, button, () => onsubmit(data, form));
    } }, summary, ...fields, button);
    // Link buttons side by side in one row; other nodes below.
    const rest = after.filter(Boolean);
    const links = rest.filter((n) => n.tagName === "BUTTON");
    const row = links.length ? h("div", { class: "row links" }, links) : null;
    return [h("h2", { part: "title", tabindex: "-1", text: title }), ...intro, form, row, ...rest.filter((n) => n.tagName !== "BUTTON")].filter(Boolean);
  }

  #field(name, { label, type = "text", autocomplete, inputmode, value, required = true, pattern, describe } = {}) {
    const override = this.#config.formFields?.[this.#screen]?.[name] ?? this.#config.formFields?.[name] ?? {};
    const id = `cl-${++uid}`;
    const text = override.label ?? label ?? this.#t(name);
    const input = h("input", {
      id, name, type, autocomplete, inputmode, value, pattern, part: "input",
      placeholder: override.placeholder,
      "data-required": required || null, "data-label": text,
      "aria-describedby": `${id}-err${describe ? ` ${id}-more` : ""}`,
      spellcheck: type === "text" ? "false" : null, autocapitalize: type === "text" ? "off" : null,
    });
    const wrap = h("div", { part: "field", "data-field": name, "data-order": override.order ?? null },
      h("label", { for: id, part: "label", text }), input,
      h("p", { class: "error", id: `${id}-err`, part: "field-error" }));
    if (describe) wrap.append(Object.assign(describe, { id: `${id}-more` }));
    return wrap;
  }

  // Fields ordered by their `order` in config.formFields (stable otherwise).
  #ordered(fields) {
    return fields
      .map((f, i) => [Number(f.dataset.order ?? i), f])
      .sort((a, b) => a[0] - b[0])
      .map((p) => p[1]);
  }

  #policy() {
    return { ...DEFAULT_POLICY, ...(this.#config.passwordPolicy ?? {}) };
  }

  // The pool's password rules as a list, ticked while the user types.
  #passwordField(name = "newPassword") {
    const p = this.#policy();
    const rules = [
      [this.#t("ruleLength", { n: p.minLength }), (v) => [...v].length >= p.minLength],
      p.requireLowercase && [this.#t("ruleLower"), (v) => /\p{Ll}/u.test(v)],
      p.requireUppercase && [this.#t("ruleUpper"), (v) => /\p{Lu}/u.test(v)],
      p.requireNumbers && [this.#t("ruleDigit"), (v) => /[0-9]/.test(v)],
      p.requireSymbols && [this.#t("ruleSymbol"), (v) => [...v].some((c) => SYMBOLS.includes(c))],
    ].filter(Boolean);
    const items = rules.map(([text]) => h("li", { text }));
    const list = h("div", { part: "password-rules" }, h("p", { class: "note", text: this.#t("rules") }), h("ul", { class: "rules" }, items));
    const field = this.#field(name, { type: "password", autocomplete: "new-password", describe: list });
    field.querySelector("input").addEventListener("input", (ev) =>
      rules.forEach(([, ok], i) => items[i].classList.toggle("met", ok(ev.target.value))));
    return field;
  }

  #codeField() {
    return this.#field("code", { inputmode: "numeric", autocomplete: "one-time-code", pattern: "[0-9]*" });
  }

  #link(text, onclick, part = "link") {
    return h("button", { type: "button", class: "link", part, text, onclick: () => !this.#busy && onclick() });
  }

  #attributeFields(names, values = {}) {
    return names.map((n) => this.#field(n, {
      type: TYPES[n] ?? "text", autocomplete: AUTOCOMPLETE[n] ?? "on", value: values[n],
      label: this.#config.attributeLabels?.[n],
    }));
  }

  // ---------------------------------------------------------------- screens

  #view(screen) {
    const t = (k, v) => this.#t(k, v);
    const s = this.#state;
    const back = () => this.#link(t("back"), () => this.#go("signIn"));
    switch (screen) {
      case "signIn": {
        const userAuth = (this.#config.authFlow ?? "") === "USER_AUTH";
        const fields = [this.#field("username", { autocomplete: "username", value: s.username })];
        if (!userAuth) fields.push(this.#field("password", { type: "password", autocomplete: "current-password" }));
        const providers = this.#providers();
        const links = h("div", { class: "row" },
          !userAuth && this.#link(t("forgot"), () => this.#go("forgotPassword")),
          !this.hasAttribute("hide-sign-up") && !this.#config.hideSignUp &&
            h("span", {}, h("span", { class: "note", text: t("noAccount") + " " }), this.#link(t("signUp"), () => this.#go("signUp"))));
        if (this.#auth && this.#screen) queueMicrotask(() => this.#auth.prepareSignIn?.().catch(() => {}));
        // "Sign in with a passkey": USER_AUTH with WEB_AUTHN preferred; the
        // browser's passkey prompt runs inside signIn.
        const passkey = this.#config.passkeys !== false && passkeys(this.#auth) && h("button", {
          type: "button", part: "button passkey-button", text: t("passkeySignIn"),
          onclick: () => {
            const form = passkey.closest(".body").querySelector("form");
            if (this.#busy) return;
            this.#clearErrors(form);
            const username = form.querySelector("[name=username]").value.trim();
            if (!username) return this.#showError(form, t("required", { field: t("username").toLowerCase(), Field: t("username") }), "username");
            this.#state.username = username;
            return this.#run(form, passkey, async () => this.#step(await this.#auth.signIn(
              { ...this.#config.signInOptions, username, authFlow: "USER_AUTH", preferredChallenge: "WEB_AUTHN" }), { username }));
          },
        });
        return this.#form({
          title: t("signInTitle"), name: "sign-in", submit: userAuth ? t("next") : t("signIn"),
          fields: this.#ordered(fields),
          onsubmit: async ({ username, password }) => {
            this.#state.username = username;
            const step = await this.#auth.signIn(userAuth
              ? { username, authFlow: "USER_AUTH", ...this.#config.signInOptions }
              : { username, password, ...this.#config.signInOptions });
            return this.#step(step, { username, password });
          },
          after: [passkey, links, providers],
        });
      }
      case "code": {
        const d = s.step.codeDelivery;
        const intro = d?.destination ? t("sentTo", { destination: d.destination }) : s.step.next === "SOFTWARE_TOKEN_MFA" ? t("totpPrompt") : "";
        return this.#form({
          title: t("codeTitle"), name: "code", submit: t("confirm"),
          intro: [h("p", { text: intro })], fields: [this.#codeField()],
          onsubmit: async ({ code }) => this.#step(await this.#auth.confirmSignIn({ code: code.trim() })),
          after: [back()],
        });
      }
      case "selectMfa":
      case "setupMfa":
      case "firstFactor": {
        const options = screen === "firstFactor"
          ? s.step.availableChallenges.filter((c) => ["PASSWORD_SRP", "PASSWORD", "EMAIL_OTP", "SMS_OTP"].includes(c) ||
            (c === "WEB_AUTHN" && this.#config.passkeys !== false && passkeys(this.#auth)))
            .filter((c, i, a) => !(c === "PASSWORD" && a.includes("PASSWORD_SRP")))
          : s.step.mfaTypes;
        const name = screen === "firstFactor" ? "challenge" : "mfaType";
        const group = h("fieldset", { part: "field" }, h("legend", { class: "sr", text: t(screen + "Title") }),
          options.map((o, i) => h("label", { class: "choice" }, h("input", { type: "radio", name, value: o, checked: i === 0, part: "radio" }), t(o))));
        const pw = screen === "firstFactor" && options.some((o) => o.startsWith("PASSWORD"))
          ? this.#field("password", { type: "password", autocomplete: "current-password", required: false }) : null;
        if (pw) {
          const sync = () => pw.toggleAttribute("hidden", !group.querySelector("input:checked").value.startsWith("PASSWORD"));
          group.addEventListener("change", sync);
          queueMicrotask(sync);
        }
        return this.#form({
          title: t(screen + "Title"), name: screen, submit: t("next"), fields: [group, pw],
          onsubmit: async (data) => {
            if (screen !== "firstFactor") {
              if (screen === "setupMfa" && data.mfaType === "EMAIL_OTP") return this.#go("emailSetup", { step: s.step });
              return this.#step(await this.#auth.confirmSignIn({ mfaType: data.mfaType }));
            }
            const pass = data.challenge.startsWith("PASSWORD");
            if (pass && !data.password) {
              return this.#showError(this.#root.querySelector("form"), t("required", { field: t("password").toLowerCase(), Field: t("password") }), "password");
            }
            return this.#step(await this.#auth.confirmSignIn(pass ? { challenge: data.challenge, password: data.password } : { challenge: data.challenge }));
          },
          after: [back()],
        });
      }
      case "totpSetup": {
        const qr = h("div", { part: "qr", role: "img", "aria-label": t("qrAlt") });
        import("./widget/qr.js").then(({ qrCanvas }) => qr.append(qrCanvas(s.step.otpauthUri, 4)), () => {});
        const secret = s.step.totpSecret;
        const copy = h("button", { type: "button", part: "button", text: t("copy"), onclick: async () => {
          try {
            await navigator.clipboard.writeText(secret);
            copy.textContent = t("copied");
          } catch {
            getSelection()?.selectAllChildren(key);
          }
        } });
        const key = h("code", { class: "secret", part: "secret", text: secret });
        return this.#form({
          title: t("totpSetupTitle"), name: "totp-setup", submit: t("confirm"),
          intro: [h("p", { text: t("totpScan") }), qr,
            h("p", { class: "key-label", id: "cl-key", text: t("secretKey") }), h("div", { class: "key" }, key, copy)],
          fields: [this.#codeField()],
          onsubmit: async ({ code }) => this.#step(await this.#auth.confirmSignIn({ code: code.trim() })),
          after: [back()],
        });
      }
      case "emailSetup":
        return this.#form({
          title: t("emailSetupTitle"), name: "email-setup", submit: t("send"),
          fields: this.#attributeFields(["email"]),
          onsubmit: async ({ email }) => this.#step(await this.#auth.confirmSignIn({ mfaType: "EMAIL_OTP", email })),
          after: [back()],
        });
      case "newPassword": {
        const attrs = s.step.requiredAttributes ?? [];
        return this.#form({
          title: t("newPasswordTitle"), name: "new-password", submit: t("confirm"),
          fields: [h("input", { type: "text", name: "username", autocomplete: "username", value: s.username, hidden: true, "aria-hidden": "true", tabindex: "-1" }),
            this.#passwordField(), ...this.#attributeFields(attrs, s.step.userAttributes)],
          onsubmit: async ({ newPassword, ...rest }) => {
            const attributes = Object.fromEntries(attrs.map((a) => [a, rest[a]]));
            const step = await this.#auth.confirmSignIn(attrs.length ? { newPassword, attributes } : { newPassword });
            return this.#step(step);
          },
          after: [back()],
        });
      }
      case "custom":
        return this.#form({
          title: t("customTitle"), name: "custom", submit: t("confirm"),
          intro: [h("p", { text: s.step.parameters?.question ?? s.step.parameters?.prompt ?? "" })],
          fields: [this.#field("answer", { autocomplete: "one-time-code" })],
          onsubmit: async ({ answer }) => this.#step(await this.#auth.confirmSignIn({ answer: answer.trim() })),
          after: [back()],
        });
      case "signUp": {
        const attrs = this.#config.signUpAttributes ?? ["email"];
        return this.#form({
          title: t("signUpTitle"), name: "sign-up", submit: t("signUp"),
          fields: this.#ordered([this.#field("username", { autocomplete: "username" }), this.#passwordField("newPassword"), ...this.#attributeFields(attrs)]),
          onsubmit: async ({ username, newPassword, ...rest }) => {
            const attributes = Object.fromEntries(attrs.map((a) => [a, rest[a]]));
            const r = await this.#auth.signUp({ username, password: newPassword, attributes });
            this.#state.username = username;
            if (r.userConfirmed) return this.#step(await this.#auth.signIn({ username, password: newPassword }), { username, password: newPassword });
            this.#go("confirmSignUp", { username, password: newPassword, delivery: r.codeDelivery });
          },
          after: [h("p", { class: "note" }, t("haveAccount") + " ", this.#link(t("signIn"), () => this.#go("signIn")))],
        });
      }
      case "confirmSignUp":
        return this.#form({
          title: t("confirmSignUpTitle"), name: "confirm-sign-up", submit: t("confirm"),
          intro: [h("p", { text: s.delivery?.destination ? t("sentTo", { destination: s.delivery.destination }) : "" })],
          fields: [this.#codeField()],
          onsubmit: async ({ code }) => {
            await this.#auth.confirmSignUp({ username: s.username, code: code.trim() });
            if (!s.password) return this.#go("signIn", { username: s.username });
            return this.#step(await this.#auth.signIn({ username: s.username, password: s.password }), s);
          },
          after: [this.#resend(() => this.#auth.resendSignUpCode({ username: s.username })), back()],
        });
      case "forgotPassword":
        return this.#form({
          title: t("forgotTitle"), name: "forgot-password", submit: t("send"),
          fields: [this.#field("username", { autocomplete: "username", value: this.#state.username })],
          onsubmit: async ({ username }) => {
            const r = await this.#auth.forgotPassword({ username });
            this.#go("forgotConfirm", { username, delivery: r.codeDelivery });
          },
          after: [back()],
        });
      case "forgotConfirm":
        return this.#form({
          title: t("forgotConfirmTitle"), name: "reset-password", submit: t("confirm"),
          intro: [h("p", { text: s.delivery?.destination ? t("sentTo", { destination: s.delivery.destination }) : "" })],
          fields: [h("input", { type: "text", name: "username", autocomplete: "username", value: s.username, hidden: true, "aria-hidden": "true", tabindex: "-1" }),
            this.#codeField(), this.#passwordField()],
          onsubmit: async ({ code, newPassword }) => {
            await this.#auth.confirmForgotPassword({ username: s.username, code: code.trim(), newPassword });
            this.#announce(t("passwordChanged"));
            return this.#step(await this.#auth.signIn({ username: s.username, password: newPassword }), { username: s.username });
          },
          after: [this.#resend(() => this.#auth.forgotPassword({ username: s.username })), back()],
        });
      case "verify": {
        const attr = s.attribute;
        const label = t(attr).toLowerCase();
        if (!s.sent) {
          return this.#form({
            title: t("verifyTitle", { attr: label, Attr: t(attr) }), name: "verify", submit: t("send"),
            intro: [h("p", { text: t("verifyPrompt", { value: s.value }) })],
            onsubmit: async () => {
              const r = await this.#auth.sendUserAttributeVerificationCode({ attributeName: attr });
              this.#go("verify", { ...s, sent: true, delivery: r.codeDelivery });
            },
            after: [this.#link(t("skip"), () => this.#verifyNext(s), "link skip")],
          });
        }
        return this.#form({
          title: t("verifyTitle", { attr: label, Attr: t(attr) }), name: "verify", submit: t("confirm"),
          intro: [h("p", { text: t("sentTo", { destination: s.delivery?.destination ?? s.value }) })],
          fields: [this.#codeField()],
          onsubmit: async ({ code }) => {
            await this.#auth.verifyUserAttribute({ attributeName: attr, code: code.trim() });
            return this.#verifyNext(s);
          },
          after: [this.#resend(() => this.#auth.sendUserAttributeVerificationCode({ attributeName: attr })),
            this.#link(t("skip"), () => this.#verifyNext(s), "link skip")],
        });
      }
      case "signedIn": {
        const out = h("button", { type: "button", class: "primary", part: "button primary-button sign-out", text: t("signOut"), onclick: () => this.#signOut(out) });
        return [h("h2", { part: "title", tabindex: "-1", text: t("signedInTitle") }),
          h("p", { part: "who", text: t("signedInAs", { user: s.user }) }), h("slot", { name: "signed-in" }), this.#passkeyList(), out];
      }
      case "addPasskey": {
        const skip = this.#link(t("skip"), () => this.#signedIn(s.tokens, true, true), "link skip");
        return this.#form({
          title: t("addPasskeyTitle"), name: "add-passkey", submit: t("addPasskey"),
          intro: [h("p", { text: t("addPasskeyIntro") })],
          onsubmit: async () => {
            await this.#auth.registerPasskey();
            return this.#signedIn(s.tokens, true, true);
          },
          after: [skip],
        });
      }
      default:
        return [h("p", { text: screen })];
    }
  }

  // The signed-in user's passkeys, with Remove and Add buttons (filled in
  // once listPasskeys answers; nothing when passkeys are off or unsupported).
  #passkeyList() {
    if (this.#config.passkeys === false || !passkeys(this.#auth)) return null;
    const t = (k, v) => this.#t(k, v);
    const summary = h("div", { class: "summary", part: "error-summary", role: "alert", tabindex: "-1" });
    const list = h("ul", { class: "passkeys", part: "passkey-list" });
    const section = h("section", { part: "passkeys", "aria-labelledby": "cl-passkeys" },
      h("h3", { id: "cl-passkeys", text: t("passkeysTitle") }), summary, list);
    const fail = (e) => {
      this.#emit("error", { code: e?.code ?? "Error", message: e?.message ?? String(e), error: e });
      summary.textContent = this.#t((ERROR_KEYS[e?.code] ?? ["errGeneric"])[0], { message: e?.message ?? "" });
    };
    const act = async (button, action) => {
      if (this.#busy) return;
      this.#busy = true;
      button.setAttribute("aria-busy", "true");
      summary.textContent = "";
      try {
        await action();
        await load();
      } catch (e) {
        fail(e);
      } finally {
        this.#busy = false;
        button.removeAttribute("aria-busy");
      }
    };
    const add = h("button", { type: "button", part: "button add-passkey", text: t("addPasskey"),
      onclick: () => act(add, () => this.#auth.registerPasskey()) });
    const load = async () => {
      const items = await this.#auth.listPasskeys();
      list.replaceChildren(...items.map((p) => {
        const when = p.createdAt ? new Date(p.createdAt).toLocaleDateString(this.lang || undefined) : "";
        const remove = h("button", { type: "button", class: "link", part: "link remove-passkey",
          "aria-label": t("removePasskeyLabel", { name: p.friendlyName ?? t("passkey"), date: when }), text: t("removePasskey"),
          onclick: () => act(remove, () => this.#auth.deletePasskey(p.credentialId)) });
        return h("li", { class: "row", part: "passkey" }, h("span", { text: t("passkeyItem", { name: p.friendlyName ?? t("passkey"), date: when }) }), remove);
      }));
      if (!items.length) list.replaceChildren(h("li", { class: "note", text: t("noPasskeys") }));
    };
    Promise.resolve(this.#ready).then(load).catch(fail);
    section.append(add);
    return section;
  }

  #providers() {
    const list = this.#config.identityProviders ??
      (this.getAttribute("identity-providers")?.split(",").map((s) => s.trim()).filter(Boolean) ?? []);
    if (!(this.#config.hostedUi?.domain || this.#cfg("hostedUiDomain", "hosted-ui-domain")) || !list.length) return null;
    return h("div", { class: "providers", part: "providers" }, h("p", { class: "sep", text: this.#t("or") }),
      list.map((p) => {
        const { id, label } = typeof p === "string" ? { id: p, label: p === "COGNITO" ? "Cognito" : p } : p;
        const b = h("button", { type: "button", part: `button provider provider-${id}`, text: this.#t("with", { provider: label }),
          onclick: () => this.#run(b.closest(".body").querySelector("form"), b,
            () => this.#auth.signInWithRedirect(id === "COGNITO" ? {} : { identityProvider: id })) });
        return b;
      }));
  }

  #resend(send) {
    const b = this.#link(this.#t("resend"), async () => {
      const form = this.#root.querySelector("form");
      await this.#run(form, b, async () => {
        await send();
        this.#announce(this.#t("resent"));
        form.querySelector(".summary").textContent = "";
      });
    }, "link resend");
    return b;
  }

  // ------------------------------------------------------------- behaviour

  // Runs an action with the button busy; errors go to the form.
  async #run(form, button, action) {
    this.#busy = true;
    button.setAttribute("aria-busy", "true");
    const label = button.textContent;
    this.#announce(this.#t("working"));
    try {
      await this.#ready;
      if (!this.#auth) throw Object.assign(new Error("not configured"), { code: "NotConfigured" });
      await action();
    } catch (e) {
      if (form?.isConnected) this.#fail(e, form);
      else this.#fail(e);
    } finally {
      this.#busy = false;
      button.removeAttribute("aria-busy");
      button.textContent = label;
    }
  }

  // Where a sign-in step leads.
  async #step(step, ctx = {}) {
    const username = ctx.username ?? this.#state.username;
    if (step.done) return this.#afterSignIn(step.tokens);
    const state = { step, username, password: ctx.password };
    const next = step.next;
    if (CODE_STEPS.includes(next)) return this.#go("code", state);
    if (next === "SELECT_MFA_TYPE") return this.#go("selectMfa", state);
    if (next === "MFA_SETUP") {
      if (step.otpauthUri) return this.#go("totpSetup", state);
      if (step.mfaTypes.length === 1 && step.mfaTypes[0] === "SOFTWARE_TOKEN_MFA") {
        return this.#step(await this.#auth.confirmSignIn({ mfaType: "SOFTWARE_TOKEN_MFA" }), ctx);
      }
      if (step.mfaTypes.length === 1 && step.mfaTypes[0] === "EMAIL_OTP") return this.#go("emailSetup", state);
      return this.#go("setupMfa", state);
    }
    if (next === "NEW_PASSWORD_REQUIRED") return this.#go("newPassword", state);
    if (next === "CUSTOM_CHALLENGE") return this.#go("custom", state);
    if (next === "SELECT_CHALLENGE") return this.#go("firstFactor", state);
    if (next === "PASSWORD" || next === "PASSWORD_SRP") {
      return this.#go("firstFactor", { ...state, step: { ...step, availableChallenges: [next] } });
    }
    throw Object.assign(new Error(`unsupported step ${next}`), { code: "UnsupportedStep" });
  }

  async #afterSignIn(tokens) {
    if (this.#config.verifyAttributes !== false) {
      try {
        const attrs = await this.#auth.fetchUserAttributes();
        const pending = ["email", "phone_number"].filter((a) => attrs[a] && attrs[`${a}_verified`] !== "true");
        if (pending.length) return this.#verifyNext({ tokens, pending, attrs, first: true });
      } catch {
        // Not a reason to keep the user out.
      }
    }
    return this.#signedIn(tokens);
  }

  #verifyNext(s) {
    const pending = s.first ? s.pending : s.pending.slice(1);
    if (!pending.length) return this.#signedIn(s.tokens);
    this.#go("verify", { tokens: s.tokens, pending, attrs: s.attrs, attribute: pending[0], value: s.attrs[pending[0]] });
  }

  // After a fresh sign-in, `passkeyPrompt: "always"` offers to add a passkey
  // to a user who has none (and the browser can make one).
  async #signedIn(tokens, fresh = true, prompted = false) {
    if (fresh && !prompted && this.#config.passkeyPrompt === "always" && this.#config.passkeys !== false && passkeys(this.#auth)) {
      try {
        if (!(await this.#auth.listPasskeys()).length) return this.#go("addPasskey", { tokens });
      } catch {
        // Not a reason to keep the user out.
      }
    }
    let claims = {};
    try {
      claims = JSON.parse(atob(tokens.idToken.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
    } catch {
      // Shown by username only.
    }
    this.#go("signedIn", { user: claims.email ?? tokens.username, tokens });
    this.#emit("signed-in", { username: tokens.username, tokens, claims, restored: !fresh });
  }

  async #signOut(button) {
    await this.#run(null, button, async () => {
      this.#signingOut = true;
      try {
        await this.#auth.signOut();
      } finally {
        this.#signingOut = false;
        this.#go("signIn");
        this.#emit("signed-out", {});
      }
    });
  }

  #clearErrors(form) {
    form.querySelector(".summary").textContent = "";
    for (const i of form.querySelectorAll("[aria-invalid]")) i.removeAttribute("aria-invalid");
    for (const p of form.querySelectorAll(".error")) p.textContent = "";
  }

  #showError(form, text, fieldName) {
    const summary = form.querySelector(".summary");
    const input = fieldName && form.querySelector(`input[name="${fieldName}"]:not([hidden])`);
    summary.replaceChildren(h("strong", { text: this.#t("errorSummary") + ": " }), text);
    if (input) {
      input.setAttribute("aria-invalid", "true");
      input.closest("[part=field]").querySelector(".error").textContent = text;
    }
    summary.focus();
  }

  #fail(error, form = this.#root.querySelector("form")) {
    const code = error?.code ?? "Error";
    this.#emit("error", { code, message: error?.message ?? String(error), error });
    if (code === "UserNotConfirmedException" && this.#state.username) {
      const { username, password } = { username: this.#state.username, password: form?.querySelector("[name=password]")?.value };
      this.#auth.resendSignUpCode({ username }).catch(() => {});
      return this.#go("confirmSignUp", { username, password });
    }
    if (code === "PasswordResetRequiredException" && this.#state.username) {
      return this.#go("forgotPassword", { username: this.#state.username });
    }
    let [key, field] = ERROR_KEYS[code] ?? ["errGeneric"];
    if (code === "NotAuthorizedException") {
      if (/attempts exceeded/i.test(error.message)) [key, field] = ["errTooMany"];
      else if (/session/i.test(error.message)) [key, field] = ["errSession"];
    }
    if (field === "newPassword" && !form?.querySelector("[name=newPassword]")) field = "password";
    if (!form) return;
    this.#showError(form, this.#t(key, { message: error?.message ?? "" }), field);
  }
}

if (typeof customElements !== "undefined" && !customElements.get("cognito-login")) {
  customElements.define("cognito-login", CognitoLoginElement);
}
