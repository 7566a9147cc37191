//! The constructors' options, checked: `new CognitoAuth(options)` and `new
//! JwtVerifier(options)`, as JSON from the driver (functions such as
//! `fetch`, a storage adapter or an SRP backend stay in the driver; it
//! passes what they are: `storage: { adapter: true, shared }`).

use crate::prelude::*;

use super::client::{Client, Config, StorageKind};
use super::hosted::{HostedConfig, JwksCache};
use super::value::{opt_bool, opt_number, opt_string, string, string_list, string_map};
use super::verifier::Verifier;
use crate::cognito::{AuthFlow, ChallengeName, UserPool};
use crate::json::Json;
use crate::jwt::{JwtVerifier, TokenUse};
use crate::oauth::{normalize_base, HostedUi};
use crate::transport::RetryPolicy;
use crate::transport::Transport;
use crate::Error;

/// `AuthFlow` from its Cognito name (plus `CUSTOM_WITH_SRP`, which is
/// `CUSTOM_AUTH` starting with SRP) and an optional preferred challenge.
pub(crate) fn auth_flow(name: &str, preferred: Option<&str>) -> Result<AuthFlow, Error> {
    let bad = |field| Error::InvalidArgument {
        field,
        reason: "unknown value; see the CognitoAuth documentation",
    };
    let preferred = preferred
        .map(|p| ChallengeName::parse(p).ok_or(bad("preferredChallenge")))
        .transpose()?;
    Ok(match name {
        "USER_SRP_AUTH" => AuthFlow::UserSrp,
        "USER_PASSWORD_AUTH" => AuthFlow::UserPassword,
        "CUSTOM_AUTH" => AuthFlow::Custom,
        "CUSTOM_WITH_SRP" => AuthFlow::CustomWithSrp,
        "USER_AUTH" => AuthFlow::UserAuth { preferred },
        _ => return Err(bad("authFlow")),
    })
}

/// An optional URL option the SDK fetches from or trusts tokens of
/// (`issuer`, `endpoint`, `jwksUri`): https, or plain http on a loopback
/// host only, as the API endpoint already requires (the keys that decide
/// which tokens are genuine must not come over plain http).
pub(crate) fn secure_url(o: &Json, key: &'static str) -> Result<Option<String>, Error> {
    let url = opt_string(o, key)?;
    if let Some(u) = &url {
        normalize_base(key, u)?;
    }
    Ok(url)
}

/// `timeout`, `retry` and `headers`.
pub(crate) fn transport(options: &Json) -> Result<Transport, Error> {
    let mut t = Transport::default();
    if let Some(ms) = opt_number(options, "timeout")? {
        if ms < 1.0 {
            return Err(Error::InvalidArgument {
                field: "timeout",
                reason: "must be at least 1 millisecond",
            });
        }
        t.timeout_ms = ms.min(f64::from(u32::MAX)) as u32;
    }
    match options.get("retry") {
        Some(Json::Bool(false)) => t.retry.max_retries = 0,
        Some(n @ Json::Number(_)) => {
            t.retry.max_retries = n.as_f64().unwrap_or(0.0).clamp(0.0, 10.0) as u32
        }
        Some(retry @ Json::Object(_)) => {
            let d = RetryPolicy::default();
            let n = |k, dv: u32| opt_number(retry, k).map(|v| v.map_or(dv, |v| v as u32));
            t.retry = RetryPolicy {
                max_retries: n("maxRetries", d.max_retries)?.min(10),
                base_ms: n("baseDelay", d.base_ms)?,
                max_delay_ms: n("maxDelay", d.max_delay_ms)?,
            };
        }
        _ => {}
    }
    t.headers = string_map(options, "headers")?;
    Ok(t)
}

const STORAGE_KINDS: &str =
    "must be \"session\", \"local\", \"memory\" or an object with getItem, setItem and removeItem";

/// The `storage` option, given which Web Storages the host can use
/// (`webStorage: { session, local }`, probed by the driver).
fn storage(options: &Json) -> Result<StorageKind, Error> {
    let usable = |k| {
        options
            .get("webStorage")
            .and_then(|w| w.get(k))
            .is_some_and(|v| matches!(v, Json::Bool(true)))
    };
    let web = |k, kind| {
        if usable(k) {
            Ok(kind)
        } else {
            Err(Error::InvalidArgument {
                field: "storage",
                reason: "this runtime has no usable Web Storage of that kind; use \"memory\" or an adapter",
            })
        }
    };
    match options.get("storage") {
        None | Some(Json::Null) if usable("session") => Ok(StorageKind::Session),
        None | Some(Json::Null) => Ok(StorageKind::Memory),
        Some(Json::String(s)) => match s.as_str() {
            "session" => web("session", StorageKind::Session),
            "local" => web("local", StorageKind::Local),
            "memory" => Ok(StorageKind::Memory),
            _ => Err(Error::InvalidArgument {
                field: "storage",
                reason: STORAGE_KINDS,
            }),
        },
        Some(o) if matches!(o.get("adapter"), Some(Json::Bool(true))) => Ok(StorageKind::Adapter {
            shared: matches!(o.get("shared"), Some(Json::Bool(true))),
        }),
        Some(_) => Err(Error::InvalidArgument {
            field: "storage",
            reason: STORAGE_KINDS,
        }),
    }
}

/// The `hostedUi` option: `{ domain, redirectUri, logoutUri, scopes,
/// identityProvider, issuer, jwksUri, tokenRules }`. The ID token's issuer is
/// `issuer`, else `<endpoint>/<userPoolId>` (Cognito's issuer on AWS's
/// default endpoint, and an emulator's on its own).
fn hosted_config(options: &Json, pool: &UserPool) -> Result<Option<HostedConfig>, Error> {
    let h = match options.get("hostedUi") {
        None | Some(Json::Null) => return Ok(None),
        Some(h) => h,
    };
    let secret = opt_string(options, "clientSecret")?;
    let ui = HostedUi::new(&string(h, "domain")?, pool.client_id(), secret.as_deref())?;
    let issuer = match secure_url(h, "issuer")? {
        Some(i) => i,
        None => [pool.endpoint(), pool.pool_id()].join("/"),
    };
    let oidc = match opt_string(h, "tokenRules")?.as_deref() {
        None | Some("cognito") => false,
        Some("oidc") => true,
        Some(_) => {
            return Err(Error::InvalidArgument {
                field: "tokenRules",
                reason: "must be \"cognito\" or \"oidc\"",
            })
        }
    };
    HostedConfig::new(
        ui,
        string(h, "redirectUri")?,
        opt_string(h, "logoutUri")?,
        string_list(h, "scopes")?.unwrap_or_default(),
        opt_string(h, "identityProvider")?,
        pool.pool_id(),
        &issuer,
        secure_url(h, "jwksUri")?,
        oidc,
    )
    .map(Some)
}

/// A client from the `CognitoAuth` options (see `CognitoAuthOptions` in
/// index.d.ts).
pub fn client_from_options(options: &Json) -> Result<Client, Error> {
    if !options.is_object() {
        return Err(Error::InvalidArgument {
            field: "options",
            reason: "CognitoAuth needs an options object with userPoolId and clientId",
        });
    }
    let pool = UserPool::new(
        &string(options, "userPoolId")?,
        &string(options, "clientId")?,
        opt_string(options, "clientSecret")?.as_deref(),
        opt_string(options, "endpoint")?.as_deref(),
    )?;
    let default_flow = match opt_string(options, "authFlow")? {
        Some(f) => auth_flow(&f, None)?,
        None => AuthFlow::UserSrp,
    };
    let storage = storage(options)?;
    // Session across tabs: on by default with Web Storage only.
    let web = matches!(storage, StorageKind::Session | StorageKind::Local);
    let hosted_ui = hosted_config(options, &pool)?;
    let mut transport = transport(options)?;
    // The `headers` option is for the user-pool API (a proxy's), not for the
    // hosted-UI domain or the JWKS host.
    transport.header_scope = Some(pool.endpoint().to_owned());
    Ok(Client::new(Config {
        pool,
        transport,
        storage,
        refresh_margin: opt_number(options, "refreshMargin")?.map_or(120, |s| s as i64),
        default_flow,
        remember_devices: opt_bool(options, "rememberDevices")?.unwrap_or(true),
        auto_refresh: opt_bool(options, "autoRefresh")?.unwrap_or(false),
        sync_tabs: opt_bool(options, "syncTabs")?.unwrap_or(web),
        hosted_ui,
    }))
}

/// `clientId`: a string, an array of strings, or `null` (no client check,
/// aws-jwt-verify's `clientId: null`); it must be given.
fn client_ids(o: &Json) -> Result<Option<Vec<String>>, Error> {
    match o.get("clientId") {
        Some(Json::Null) => Ok(None),
        Some(Json::String(_)) => Ok(Some(vec![string(o, "clientId")?])),
        _ => string_list(o, "clientId")?
            .filter(|l| !l.is_empty())
            .map(Some)
            .ok_or(Error::EmptyArgument { field: "clientId" }),
    }
}

/// A `JwtVerifier` from its options (`userPoolId`, `clientId`, `tokenUse`,
/// `issuer`, `endpoint`, `jwksUri`, `groups`, `scope`, `graceSeconds`,
/// `timeout`, `retry`, `headers`).
pub fn verifier_from_options(o: &Json) -> Result<Verifier, Error> {
    let pool = string(o, "userPoolId")?;
    let token_use = match opt_string(o, "tokenUse")?.as_deref() {
        None => None,
        Some("id") => Some(TokenUse::Id),
        Some("access") => Some(TokenUse::Access),
        Some(_) => {
            return Err(Error::InvalidArgument {
                field: "tokenUse",
                reason: "must be \"id\", \"access\" or null",
            })
        }
    };
    let mut v = JwtVerifier::cognito(&pool, None, token_use)?;
    // Required, as aws-jwt-verify requires it: a verifier that silently
    // took both ID and access tokens would accept an ID token where an API
    // expects an access token. `null` says "either" explicitly.
    if o.get("tokenUse").is_none() {
        return Err(Error::InvalidArgument {
            field: "tokenUse",
            reason: "is required: \"id\", \"access\", or null for either",
        });
    }
    if let Some(ids) = client_ids(o)? {
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        v = v.with_client_ids(&ids);
    }
    // The issuer: given, or `<endpoint>/<userPoolId>` (an emulator's, or a
    // proxy's), or AWS's.
    let issuer = match (secure_url(o, "issuer")?, secure_url(o, "endpoint")?) {
        (Some(i), _) => Some(i),
        (None, Some(e)) => Some([e.trim_end_matches('/'), &pool].join("/")),
        _ => None,
    };
    if let Some(i) = &issuer {
        v = v.with_issuer(i);
    }
    if let Some(g) = string_list(o, "groups")? {
        let g: Vec<&str> = g.iter().map(String::as_str).collect();
        v = v.with_groups(&g);
    }
    if let Some(s) = string_list(o, "scope")? {
        let s: Vec<&str> = s.iter().map(String::as_str).collect();
        v = v.with_scopes(&s);
    }
    if let Some(g) = opt_number(o, "graceSeconds")? {
        v = v.with_grace_seconds(g);
    }
    let jwks_uri = match secure_url(o, "jwksUri")? {
        Some(u) => u,
        None => [v.issuer().unwrap_or(""), "/.well-known/jwks.json"].concat(),
    };
    Ok(Verifier {
        rules: v,
        jwks: JwksCache::new(jwks_uri),
        transport: transport(o)?,
    })
}
