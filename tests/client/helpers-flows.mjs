// Shared by the CognitoAuth flow tests (Node, workerd, Chromium): the seed
// they start the emulator with, a recording storage adapter, and RFC 6238
// codes from the `otpauth` package (an independent TOTP implementation).
import * as OTPAuth from "otpauth";

/** A base32 TOTP secret for seeded users (RFC 4648 alphabet). */
export const TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

export const MAIN = "us-east-1_FlowsMain";
export const MFA_ON = "us-east-1_FlowsMfaOn";
export const DEVICES = "us-east-1_FlowsDevices";
export const PUBLIC_CLIENT = "flows-public";
export const CONF_CLIENT = "flows-confidential";
export const CONF_SECRET = "flows-secret-0123456789abcdefghijklmnopqrstuvwxyz";
export const MFA_CLIENT = "flows-mfa";
export const DEVICES_CLIENT = "flows-devices";

const user = (username, extra = {}) => ({
  username,
  password: `${username[0].toUpperCase()}${username.slice(1)}-Passw0rd!`,
  ...extra,
  attributes: { email: `${username}@example.com`, email_verified: "true", ...(extra.attributes ?? {}) },
});

/** The password the seed gives `username`. */
export const passwordOf = (username) => `${username[0].toUpperCase()}${username.slice(1)}-Passw0rd!`;

/**
 * Three pools: MAIN (MFA optional, custom challenge by code, a public and a
 * confidential client, one user per flow), MFA_ON (MFA required: MFA_SETUP),
 * DEVICES (device tracking, TOTP MFA: remembered devices skip it).
 */
export function flowsSeed() {
  return {
    pools: [
      {
        id: MAIN,
        mfa: "OPTIONAL",
        autoVerifiedAttributes: ["email"],
        customChallenge: { question: "Enter the code sent to your e-mail", answer: "$code" },
        requiredAttributes: ["name"],
        clients: [
          { id: PUBLIC_CLIENT, name: "public" },
          { id: CONF_CLIENT, name: "confidential", secret: CONF_SECRET },
        ],
        users: [
          user("alice"),
          user("newbie", { status: "FORCE_CHANGE_PASSWORD" }),
          user("tina", { totpSecret: TOTP_SECRET }),
          user("sam", { attributes: { phone_number: "+15555550101", phone_number_verified: "true" }, smsMfa: true }),
          user("emma", { emailMfa: true }),
          user("multi", {
            attributes: { phone_number: "+15555550102", phone_number_verified: "true" },
            smsMfa: true,
            emailMfa: true,
          }),
          user("acct", { attributes: { name: "Acct", phone_number: "+15555550103" } }),
          user("gone"),
          user("conf", { attributes: { email: "conf.alias@example.com" } }),
          user("retry", { emailMfa: true }),
        ],
      },
      {
        id: MFA_ON,
        mfa: "ON",
        clients: [{ id: MFA_CLIENT, name: "mfa" }],
        users: [user("setup")],
      },
      {
        id: DEVICES,
        mfa: "ON",
        deviceTracking: true,
        clients: [{ id: DEVICES_CLIENT, name: "devices" }],
        users: [
          user("dev", { totpSecret: TOTP_SECRET }),
          user("stale", { totpSecret: TOTP_SECRET }),
          user("leaver", { totpSecret: TOTP_SECRET }),
        ],
      },
    ],
  };
}

/** The current RFC 6238 code (SHA1, 6 digits, 30 s) for a base32 secret. */
export function totp(secret, timestamp = Date.now()) {
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30 }).generate({ timestamp });
}

/** A code that is not the current one (nor the neighbours the server may accept). */
export function wrongTotp(secret) {
  const near = new Set([-30_000, 0, 30_000].map((d) => totp(secret, Date.now() + d)));
  for (let i = 0; ; i++) {
    const c = String(i).padStart(6, "0");
    if (!near.has(c)) return c;
  }
}

/** The secret of an `otpauth://` URI, read by the otpauth package's own parser. */
export function secretOfUri(uri) {
  return OTPAuth.URI.parse(uri).secret.base32;
}

/**
 * A storage adapter over a Map (async, like a remote store), recording every
 * write; `fail` makes setItem / removeItem throw (a full quota).
 */
export function mapStorage() {
  const map = new Map();
  const s = {
    map,
    writes: 0,
    fail: false,
    getItem: async (k) => (map.has(k) ? map.get(k) : null),
    setItem: async (k, v) => {
      if (s.fail) throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
      s.writes++;
      map.set(k, String(v));
    },
    removeItem: async (k) => {
      if (s.fail) throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
      s.writes++;
      map.delete(k);
    },
    snapshot: () => JSON.stringify([...map.entries()].sort()),
  };
  return s;
}

/** The JWT payload. */
export const claims = (jwt) => JSON.parse(atob(jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
