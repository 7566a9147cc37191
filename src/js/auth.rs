//! `AuthClient`, the wasm side of the JS `CognitoAuth` class (pkg/api.js):
//! reads the options, calls the client driver, and turns its results into
//! plain JS objects. Every method returns a promise; errors reject it with a
//! `CognitoError`-shaped JS error.

use super::error::to_js;
use super::value::{get, opt_bool, opt_number, opt_string, signal, string, string_map, Obj};
use crate::client::{Client, Config, SignInArgs, Step};
use crate::cognito::{otpauth_uri, Answer, AuthFlow, ChallengeName, NextStep, UserPool};
use crate::session::storage::Storage;
use crate::session::SessionRecord;
use crate::transport::{RetryPolicy, Transport};
use crate::Error;
use js_sys::{Function, Promise};
use std::future::Future;
use std::pin::Pin;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;
use zeroize::Zeroizing;

/// The driver of one `CognitoAuth`.
#[wasm_bindgen]
pub struct AuthClient {
    pub(super) client: Client,
}

/// Runs `f` as a promise, mapping its error. Boxed, so every method shares
/// one instance of the promise glue instead of inlining its future into a
/// copy of it (a large wasm size difference).
pub(super) fn promise(f: impl Future<Output = Result<JsValue, Error>> + 'static) -> Promise {
    run(Box::pin(f))
}

#[inline(never)]
fn run(f: Pin<Box<dyn Future<Output = Result<JsValue, Error>>>>) -> Promise {
    future_to_promise(async move { f.await.map_err(to_js) })
}

/// `AuthFlow` from its Cognito name (plus `CUSTOM_WITH_SRP`, which is
/// `CUSTOM_AUTH` starting with SRP) and an optional preferred challenge.
fn auth_flow(name: &str, preferred: Option<&str>) -> Result<AuthFlow, Error> {
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

pub(super) fn transport(options: &JsValue) -> Result<Transport, Error> {
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
    let retry = get(options, "retry");
    if let Some(n) = retry.as_f64() {
        t.retry.max_retries = n.clamp(0.0, 10.0) as u32;
    } else if retry.is_object() {
        let d = RetryPolicy::default();
        let n = |k, dv: u32| opt_number(&retry, k).map(|v| v.map_or(dv, |v| v as u32));
        t.retry = RetryPolicy {
            max_retries: n("maxRetries", d.max_retries)?.min(10),
            base_ms: n("baseDelay", d.base_ms)?,
            max_delay_ms: n("maxDelay", d.max_delay_ms)?,
        };
    } else if retry.as_bool() == Some(false) {
        t.retry.max_retries = 0;
    }
    t.headers = string_map(options, "headers")?;
    let fetch = get(options, "fetch");
    if !fetch.is_undefined() {
        t.fetch = Some(
            fetch
                .dyn_into::<Function>()
                .map_err(|_| Error::InvalidArgument {
                    field: "fetch",
                    reason: "must be a function with fetch's signature",
                })?,
        );
    }
    Ok(t)
}

fn config(options: &JsValue) -> Result<Config, Error> {
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
    // Session across tabs: on by default with Web Storage only.
    let storage_option = get(options, "storage");
    let web = storage_option.is_undefined()
        || storage_option.is_null()
        || matches!(
            storage_option.as_string().as_deref(),
            Some("session" | "local")
        );
    let storage = Storage::from_option(&storage_option)?;
    let web = web && !matches!(storage, Storage::Memory(_));
    let hosted_ui = super::hosted::hosted_config(options, &pool)?; // hosted UI
    Ok(Config {
        pool,
        transport: transport(options)?,
        storage,
        refresh_margin: opt_number(options, "refreshMargin")?.map_or(120, |s| s as i64),
        default_flow,
        remember_devices: opt_bool(options, "rememberDevices")?.unwrap_or(true),
        auto_refresh: opt_bool(options, "autoRefresh")?.unwrap_or(false),
        sync_tabs: opt_bool(options, "syncTabs")?.unwrap_or(web),
        hosted_ui, // hosted UI
        srp_backend: srp_backend(options)?,
    })
}

/// The `srp` option: an object with `prepare` and `answer` methods.
fn srp_backend(options: &JsValue) -> Result<Option<JsValue>, Error> {
    let b = get(options, "srp");
    if b.is_undefined() || b.is_null() {
        return Ok(None);
    }
    let has = |m: &str| get(&b, m).is_function();
    if has("prepare") && has("answer") {
        Ok(Some(b))
    } else {
        Err(Error::InvalidArgument {
            field: "srp",
            reason: "must be an SRP backend with prepare() and answer() (createSrpOffload())",
        })
    }
}

/// `{ idToken, accessToken, refreshToken, expiresAt (ms), tokenType, username }`.
pub(super) fn tokens_js(record: &SessionRecord) -> JsValue {
    let t = &record.tokens;
    Obj::new()
        .set("idToken", t.id_token.as_str())
        .set("accessToken", t.access_token.as_str())
        .opt("refreshToken", t.refresh_token.as_deref())
        .set("expiresAt", (t.expires_at as f64) * 1000.0)
        .set("tokenType", t.token_type.as_str())
        .set("username", record.username.as_str())
        .into()
}

fn step_js(step: Step, username: &str, issuer: &str) -> JsValue {
    match step {
        Step::Done(record) => Obj::new()
            .set("done", true)
            .set("tokens", tokens_js(&record))
            .into(),
        Step::Next(next) => next_js(next, username, issuer),
    }
}

fn next_js(n: NextStep, username: &str, issuer: &str) -> JsValue {
    let delivery = n.code_delivery.as_ref().map(|d| {
        JsValue::from(
            Obj::new()
                .opt("deliveryMedium", d.medium.as_deref())
                .opt("destination", d.destination.as_deref())
                .opt("attributeName", d.attribute.as_deref()),
        )
    });
    let uri = n
        .totp_secret
        .as_deref()
        .map(|s| otpauth_uri(issuer, username, s));
    Obj::new()
        .set("done", false)
        .set("next", n.challenge.as_str())
        .opt("codeDelivery", delivery)
        .set("mfaTypes", Obj::list(&n.mfa_types))
        .set("requiredAttributes", Obj::list(&n.required_attributes))
        .set("userAttributes", Obj::map(&n.user_attributes))
        .set("availableChallenges", Obj::list(&n.available_challenges))
        .opt("totpSecret", n.totp_secret.as_deref())
        .opt("otpauthUri", uri.as_deref())
        .set("parameters", Obj::map(&n.parameters))
        .into()
}

/// The owned form of a `confirmSignIn` answer.
enum Owned {
    Code(Zeroizing<String>),
    NewPassword(Zeroizing<String>, Vec<(String, String)>),
    MfaType(String, Option<String>),
    Custom(String),
    Select(ChallengeName, Option<Zeroizing<String>>),
    WebAuthn(String),
}

fn owned_answer(a: &JsValue) -> Result<Owned, Error> {
    let secret = |k| opt_string(a, k).map(|v| v.map(Zeroizing::new));
    if let Some(code) = secret("code")? {
        return Ok(Owned::Code(code));
    }
    if let Some(p) = secret("newPassword")? {
        return Ok(Owned::NewPassword(p, string_map(a, "attributes")?));
    }
    if let Some(t) = opt_string(a, "mfaType")? {
        return Ok(Owned::MfaType(t, opt_string(a, "email")?));
    }
    if let Some(answer) = opt_string(a, "answer")? {
        return Ok(Owned::Custom(answer));
    }
    if let Some(c) = opt_string(a, "challenge")? {
        let challenge = ChallengeName::parse(&c).ok_or(Error::InvalidArgument {
            field: "challenge",
            reason: "unknown challenge name",
        })?;
        return Ok(Owned::Select(challenge, secret("password")?));
    }
    if let Some(c) = opt_string(a, "credential")? {
        return Ok(Owned::WebAuthn(c));
    }
    Err(Error::InvalidArgument {
        field: "answer",
        reason: "give one of code, newPassword, mfaType, answer, challenge or credential",
    })
}

impl Owned {
    fn as_answer(&self, pending: Option<ChallengeName>) -> Answer<'_> {
        match self {
            Owned::Code(c) => Answer::Code(c),
            Owned::NewPassword(p, _) => Answer::NewPassword {
                password: p,
                attributes: &[],
            },
            // In MFA_SETUP, the chosen factor starts its setup.
            Owned::MfaType(t, email) if pending == Some(ChallengeName::MfaSetup) => {
                match (t.as_str(), email) {
                    ("EMAIL_OTP", Some(e)) => Answer::SetUpEmail(e),
                    _ => Answer::SetUpTotp,
                }
            }
            Owned::MfaType(t, _) => Answer::MfaType(t),
            Owned::Custom(a) => Answer::Custom(a),
            Owned::Select(c, p) => Answer::Select {
                challenge: *c,
                password: p.as_deref().map(String::as_str),
            },
            Owned::WebAuthn(c) => Answer::WebAuthn(c),
        }
    }
}

#[wasm_bindgen]
impl AuthClient {
    /// Checks `options` (see `CognitoAuthOptions` in index.d.ts) and creates
    /// the driver; `emit(name, detail)` receives events.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue, emit: Option<Function>) -> Result<AuthClient, JsValue> {
        let config = config(&options).map_err(to_js)?;
        Ok(AuthClient {
            client: Client::new(config, emit),
        })
    }

    /// `signIn({ username, password, authFlow, preferredChallenge,
    /// clientMetadata, signal })` → a step.
    #[wasm_bindgen(js_name = signIn)]
    pub fn sign_in(&self, options: JsValue) -> Promise {
        let client = self.client.clone();
        promise(async move {
            let username = string(&options, "username")?;
            let flow = match opt_string(&options, "authFlow")? {
                Some(f) => Some(auth_flow(
                    &f,
                    opt_string(&options, "preferredChallenge")?.as_deref(),
                )?),
                None => None,
            };
            let args = SignInArgs {
                username: username.clone(),
                password: opt_string(&options, "password")?.map(Zeroizing::new),
                flow,
                client_metadata: string_map(&options, "clientMetadata")?,
            };
            let step = client.sign_in(args, signal(&options).as_ref()).await?;
            Ok(step_js(step, &username, "AWSCognito"))
        })
    }

    /// `confirmSignIn(answer)` → the next step.
    #[wasm_bindgen(js_name = confirmSignIn)]
    pub fn confirm_sign_in(&self, answer: JsValue) -> Promise {
        let client = self.client.clone();
        promise(async move {
            let owned = owned_answer(&answer)?;
            let attributes: Vec<(&str, &str)> = match &owned {
                Owned::NewPassword(_, attrs) => attrs
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect(),
                _ => Vec::new(),
            };
            let pending = client.pending_challenge();
            let answer_value = match owned.as_answer(pending) {
                Answer::NewPassword { password, .. } => Answer::NewPassword {
                    password,
                    attributes: &attributes,
                },
                other => other,
            };
            let username = client.pending_username().unwrap_or_default();
            let step = client
                .confirm_sign_in(answer_value, signal(&answer).as_ref())
                .await?;
            Ok(step_js(step, &username, "AWSCognito"))
        })
    }

    /// `prepareSignIn()`: computes the next sign-in's SRP ephemeral now.
    #[wasm_bindgen(js_name = prepareSignIn)]
    pub fn prepare_sign_in(&self, _options: JsValue) -> Promise {
        let client = self.client.clone();
        promise(async move {
            client.prepare_sign_in().await?;
            Ok(JsValue::UNDEFINED)
        })
    }

    /// `getTokens({ forceRefresh })` → the tokens, refreshed if needed.
    #[wasm_bindgen(js_name = getTokens)]
    pub fn get_tokens(&self, options: JsValue) -> Promise {
        let client = self.client.clone();
        promise(async move {
            let force = opt_bool(&options, "forceRefresh")?.unwrap_or(false);
            Ok(tokens_js(&client.get_tokens(force).await?))
        })
    }

    /// `signOut({ global, revoke, signal })`.
    #[wasm_bindgen(js_name = signOut)]
    pub fn sign_out(&self, options: JsValue) -> Promise {
        let client = self.client.clone();
        promise(async move {
            let global = opt_bool(&options, "global")?.unwrap_or(false);
            let revoke = opt_bool(&options, "revoke")?.unwrap_or(true);
            client
                .sign_out(global, revoke, signal(&options).as_ref())
                .await?;
            Ok(JsValue::UNDEFINED)
        })
    }
}
