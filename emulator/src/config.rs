//! Command-line options and the JSON seed file (pools, clients, users).

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::access::{parse_host_alias, OriginRule};
use crate::model::{Client, CustomChallenge, Pool, User};
use crate::store::Durable;
use crate::util::{hex, now_f64};

/// The built-in seed (`emulator/seed/default.json`).
pub const DEFAULT_SEED: &str = include_str!("../seed/default.json");

/// Command-line options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// `--host` (default `127.0.0.1`).
    pub host: String,
    /// `--port` (default 9229; 0 picks a free port).
    pub port: u16,
    /// `--seed FILE` (default: the built-in seed).
    pub seed: Option<PathBuf>,
    /// `--data-dir DIR`: keep state across restarts.
    pub data_dir: Option<PathBuf>,
    /// `--issuer URL`: issuer base (tokens' `iss` is `<URL>/<poolId>`).
    pub issuer: Option<String>,
    /// `--clock-offset SECONDS`: run the emulator's clock this far ahead
    /// (negative: behind) of the system clock.
    pub clock_offset: i64,
    /// `--allow-origin ORIGIN` (repeatable): browser origins allowed besides
    /// the registered callback and sign-out origins.
    pub allow_origins: Vec<OriginRule>,
    /// `--host-alias NAME` (repeatable): `Host` names accepted besides the
    /// loopback ones.
    pub host_aliases: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            host: "127.0.0.1".into(),
            port: 9229,
            seed: None,
            data_dir: None,
            issuer: None,
            clock_offset: 0,
            allow_origins: vec![],
            host_aliases: vec![],
        }
    }
}

/// Usage text for `--help`.
pub const USAGE: &str = "cognito-emulator: a local Amazon Cognito user pool

USAGE: cognito-emulator [--host 127.0.0.1] [--port 9229] [--seed FILE]
                        [--data-dir DIR] [--issuer URL] [--clock-offset S]
                        [--allow-origin ORIGIN]... [--host-alias NAME]...

  --port 0       pick a free port (the first line printed says which)
  --seed FILE    JSON seed (pools, clients, users); default: the demo seed
  --data-dir DIR keep state (users, tokens, signing key) across restarts
  --issuer URL   token issuer base; `iss` = URL/<poolId> (default: own URL)
  --clock-offset S  run the emulator's clock S seconds ahead (negative:
                 behind) of the system clock: token iat/exp, Date headers,
                 expiries and the SRP TIMESTAMP check all use it
  --allow-origin ORIGIN  also let browser pages on ORIGIN call the emulator
                 (CORS, the outbox, admin operations); repeatable. By default
                 only the origins of the pools' callback and sign-out URLs
                 may. A loopback host may take any port: http://127.0.0.1:*
  --host-alias NAME  also answer requests whose Host is NAME (default:
                 only 127.0.0.1, localhost and [::1], against DNS rebinding);
                 repeatable, e.g. a container name when bound to 0.0.0.0

Browser pages on other origins get no CORS headers, and a 403 from the
outbox (/_emulator/*) and from admin operations (Admin*, DescribeUserPool*,
CreateUserPool*). Requests without an Origin header (curl, Node, tests) pass.";

impl Options {
    /// Parses `args` (without the program name). `Ok(None)` means `--help`.
    pub fn parse<I: IntoIterator<Item = String>>(args: I) -> Result<Option<Options>, String> {
        let mut o = Options::default();
        let mut it = args.into_iter();
        while let Some(a) = it.next() {
            let (flag, inline) = match a.split_once('=') {
                Some((f, v)) => (f.to_string(), Some(v.to_string())),
                None => (a.clone(), None),
            };
            if flag == "--help" || flag == "-h" {
                return Ok(None);
            }
            let mut value = || {
                inline
                    .clone()
                    .or_else(|| it.next())
                    .ok_or_else(|| format!("{flag} needs a value"))
            };
            match flag.as_str() {
                "--host" => o.host = value()?,
                "--port" => {
                    o.port = value()?
                        .parse()
                        .map_err(|_| "--port must be a number 0-65535".to_string())?
                }
                "--seed" => o.seed = Some(value()?.into()),
                "--data-dir" => o.data_dir = Some(value()?.into()),
                "--issuer" => o.issuer = Some(value()?),
                "--allow-origin" => o.allow_origins.push(OriginRule::parse(&value()?)?),
                "--host-alias" => o.host_aliases.push(parse_host_alias(&value()?)?),
                "--clock-offset" => {
                    o.clock_offset = value()?.parse().map_err(|_| {
                        "--clock-offset must be a whole number of seconds".to_string()
                    })?
                }
                _ => return Err(format!("unknown argument {a:?}\n\n{USAGE}")),
            }
        }
        Ok(Some(o))
    }
}

/// The seed file.
#[derive(Deserialize)]
pub struct Seed {
    /// Pools.
    pub pools: Vec<SeedPool>,
}

/// A seeded pool.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SeedPool {
    /// `<region>_<name>`.
    pub id: String,
    /// Name (default: the id's name part).
    #[serde(default)]
    pub name: Option<String>,
    /// `OFF` | `ON` | `OPTIONAL`.
    #[serde(default)]
    pub mfa: Option<String>,
    /// Auto-verified attributes.
    #[serde(default)]
    pub auto_verified_attributes: Option<Vec<String>>,
    /// Device tracking.
    #[serde(default)]
    pub device_tracking: bool,
    /// Custom-auth script.
    #[serde(default)]
    pub custom_challenge: Option<CustomChallenge>,
    /// Attributes every user must have (asked for in NEW_PASSWORD_REQUIRED).
    #[serde(default)]
    pub required_attributes: Vec<String>,
    /// E-mail MFA can be set up at sign-in (MFA_SETUP offers `EMAIL_OTP`).
    #[serde(default)]
    pub email_mfa_setup: bool,
    /// Passkey settings (relying-party id, user verification).
    #[serde(default)]
    pub webauthn: crate::webauthn::WebAuthnConfig,
    /// Clients.
    #[serde(default)]
    pub clients: Vec<Client>,
    /// Users.
    #[serde(default)]
    pub users: Vec<SeedUser>,
}

/// A seeded user (the password is turned into an SRP verifier at load).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SeedUser {
    /// Username.
    pub username: String,
    /// Password.
    pub password: String,
    /// Attributes.
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
    /// Status (default `CONFIRMED`).
    #[serde(default)]
    pub status: Option<String>,
    /// Groups.
    #[serde(default)]
    pub groups: Vec<String>,
    /// A TOTP secret (base32): software-token MFA enabled.
    #[serde(default)]
    pub totp_secret: Option<String>,
    /// SMS MFA enabled (needs `phone_number`).
    #[serde(default)]
    pub sms_mfa: bool,
    /// E-mail MFA enabled.
    #[serde(default)]
    pub email_mfa: bool,
    /// Registered passkeys, as `--data-dir` keeps them.
    #[serde(default)]
    pub webauthn_credentials: Vec<crate::webauthn::StoredCredential>,
}

/// Builds a new user with a verifier for `password`.
pub fn new_user(pool: &Pool, username: &str, password: &str, status: &str) -> User {
    let v = crate::srp::new_verifier(pool.srp_realm(), username, password);
    let mut attributes = BTreeMap::new();
    attributes.insert("sub".into(), uuid::Uuid::new_v4().to_string());
    let t = now_f64();
    User {
        username: username.into(),
        attributes,
        salt: hex(&v.salt),
        verifier: hex(&v.verifier),
        status: status.into(),
        enabled: true,
        groups: vec![],
        created: t,
        modified: t,
        totp_secret: None,
        totp_pending: None,
        totp_enabled: false,
        sms_mfa_enabled: false,
        email_mfa_enabled: false,
        preferred_mfa: None,
        codes: BTreeMap::new(),
        tokens_valid_after: 0,
        devices: BTreeMap::new(),
        webauthn_credentials: vec![],
    }
}

/// Parses a seed document into durable state.
pub fn load_seed(json: &str) -> Result<Durable, String> {
    let seed: Seed = serde_json::from_str(json).map_err(|e| format!("seed: {e}"))?;
    let mut d = Durable::default();
    for sp in seed.pools {
        let Some((_, name_part)) = sp.id.split_once('_') else {
            return Err(format!("seed: pool id {:?} is not <region>_<name>", sp.id));
        };
        let mut pool = Pool {
            name: sp.name.unwrap_or_else(|| name_part.to_string()),
            id: sp.id.clone(),
            mfa: sp.mfa.unwrap_or_else(|| "OPTIONAL".into()),
            auto_verified_attributes: sp
                .auto_verified_attributes
                .unwrap_or_else(|| vec!["email".into()]),
            device_tracking: sp.device_tracking,
            custom_challenge: sp.custom_challenge,
            required_attributes: sp.required_attributes,
            email_mfa_setup: sp.email_mfa_setup,
            webauthn: sp.webauthn,
            clients: BTreeMap::new(),
            users: BTreeMap::new(),
            created: now_f64(),
        };
        for mut c in sp.clients {
            // Cognito's bounds: 5 minutes to 1 day (revocations rely on it).
            c.access_token_validity = c.access_token_validity.clamp(300, 86_400);
            c.id_token_validity = c.id_token_validity.clamp(300, 86_400);
            pool.clients.insert(c.id.clone(), c);
        }
        for su in sp.users {
            let mut u = new_user(
                &pool,
                &su.username,
                &su.password,
                su.status.as_deref().unwrap_or("CONFIRMED"),
            );
            for (k, v) in su.attributes {
                if k != "sub" {
                    u.attributes.insert(k, v);
                }
            }
            u.groups = su.groups;
            if let Some(s) = su.totp_secret {
                u.totp_secret = Some(s);
                u.totp_enabled = true;
            }
            u.sms_mfa_enabled = su.sms_mfa;
            u.email_mfa_enabled = su.email_mfa;
            u.webauthn_credentials = su.webauthn_credentials;
            pool.users.insert(u.username.clone(), u);
        }
        d.pools.insert(pool.id.clone(), pool);
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_seed_loads() {
        let d = load_seed(DEFAULT_SEED).unwrap();
        let p = &d.pools["us-east-1_LocalDemo"];
        assert!(p.clients["demo-spa-client"].secret.is_none());
        assert!(p.clients.values().any(|c| c.secret.is_some()));
        assert_eq!(p.users["demo"].status, "CONFIRMED");
    }

    #[test]
    fn options() {
        let o = Options::parse(["--port", "0", "--seed=x.json"].map(String::from))
            .unwrap()
            .unwrap();
        assert_eq!(o.port, 0);
        assert_eq!(o.seed, Some("x.json".into()));
        assert!(Options::parse(["--port".to_string()]).is_err());
        assert!(Options::parse(["--bogus".to_string()]).is_err());
        assert!(Options::parse(["--help".to_string()]).unwrap().is_none());
        let skewed = |a: &[&str]| Options::parse(a.iter().map(|s| s.to_string()));
        assert_eq!(
            skewed(&["--clock-offset", "-7200"])
                .unwrap()
                .unwrap()
                .clock_offset,
            -7200
        );
        assert_eq!(
            skewed(&["--clock-offset=90"])
                .unwrap()
                .unwrap()
                .clock_offset,
            90
        );
        assert!(skewed(&["--clock-offset", "1.5"]).is_err());
        assert_eq!(Options::default().clock_offset, 0);
        let o = skewed(&[
            "--allow-origin",
            "http://127.0.0.1:*",
            "--allow-origin=https://app.example",
            "--host-alias",
            "Emulator",
        ])
        .unwrap()
        .unwrap();
        assert_eq!(o.allow_origins.len(), 2);
        assert_eq!(o.host_aliases, ["emulator"]);
        // A wildcard on a public name would admit every page served under it.
        let e = skewed(&["--allow-origin", "http://example.com:*"]).unwrap_err();
        assert!(e.contains("loopback"), "{e}");
        assert!(skewed(&["--host-alias", "emulator:9229"]).is_err());
    }
}
