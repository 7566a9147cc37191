//! Every public operation, by name: reads its arguments (JSON), starts its
//! machine, and shapes its value as the JS API documents it (index.d.ts).

use super::account::AccountOp;
use super::client::{Client, Cx};
use super::hosted::{exchange_code, token_call, JwksCache, RedirectOptions, ID_TOKEN_GRACE};
use super::io::LocalFuture;
use super::options::{auth_flow, transport};
use super::signin::{SignInArgs, Step};
use super::value::{num, opt_bool, opt_number, opt_string, string, string_list, string_map, Obj};
use super::verifier::Verifier;
use super::{Io, Machine};
use crate::cognito::{
    otpauth_uri, process_associate_software_token_response, process_code_delivery_response,
    process_empty_response, process_get_user_response, process_list_devices_response,
    process_sign_up_response, process_update_user_attributes_response,
    process_verify_software_token_response, Answer, ChallengeName, CodeDelivery, MfaSetting,
    NextStep,
};
use crate::http::HttpResponse;
use crate::json::Json;
use crate::jwt::JwtVerifier;
use crate::oauth::{AuthorizeOptions, HostedUi, TokenSet};
use crate::session::SessionRecord;
use crate::Error;
use std::rc::Rc;
use zeroize::Zeroizing;

/// `{ idToken, accessToken, refreshToken, expiresAt (ms), tokenType, username }`.
fn tokens_json(record: &SessionRecord) -> Json {
    let t = &record.tokens;
    Obj::new()
        .set("idToken", t.id_token.as_str())
        .set("accessToken", t.access_token.as_str())
        .opt("refreshToken", t.refresh_token.as_deref())
        .set("expiresAt", num((t.expires_at as f64) * 1000.0))
        .set("tokenType", t.token_type.as_str())
        .set("username", record.username.as_str())
        .into()
}

fn delivery_json(d: &CodeDelivery) -> Json {
    Obj::new()
        .opt("deliveryMedium", d.medium.as_deref())
        .opt("destination", d.destination.as_deref())
        .opt("attributeName", d.attribute.as_deref())
        .into()
}

fn step_json(step: Step, username: &str) -> Json {
    match step {
        Step::Done(record) => Obj::new()
            .set("done", true)
            .set("tokens", tokens_json(&record))
            .into(),
        Step::Next(next) => next_json(next, username),
    }
}

fn next_json(n: NextStep, username: &str) -> Json {
    let uri = n
        .totp_secret
        .as_deref()
        .map(|s| otpauth_uri("AWSCognito", username, s));
    Obj::new()
        .set("done", false)
        .set("next", n.challenge.as_str())
        .opt("codeDelivery", n.code_delivery.as_ref().map(delivery_json))
        .set("mfaTypes", Obj::list(&n.mfa_types))
        .set("requiredAttributes", Obj::list(&n.required_attributes))
        .set("userAttributes", Obj::map(&n.user_attributes))
        .set("availableChallenges", Obj::list(&n.available_challenges))
        .opt("totpSecret", n.totp_secret.as_deref())
        .opt("otpauthUri", uri)
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

fn owned_answer(a: &Json) -> Result<Owned, Error> {
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
    fn as_answer<'a>(
        &'a self,
        pending: Option<ChallengeName>,
        attributes: &'a [(&'a str, &'a str)],
    ) -> Answer<'a> {
        match self {
            Owned::Code(c) => Answer::Code(c),
            Owned::NewPassword(p, _) => Answer::NewPassword {
                password: p,
                attributes,
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

fn sign_in<'a>(cx: &'a Cx, o: &'a Json) -> LocalFuture<'a, Result<Json, Error>> {
    Box::pin(async move {
        let username = string(o, "username")?;
        let flow = match opt_string(o, "authFlow")? {
            Some(f) => Some(auth_flow(
                &f,
                opt_string(o, "preferredChallenge")?.as_deref(),
            )?),
            None => None,
        };
        let args = SignInArgs {
            username: username.clone(),
            password: opt_string(o, "password")?.map(Zeroizing::new),
            flow,
            client_metadata: string_map(o, "clientMetadata")?,
        };
        let step = cx.sign_in(args).await?;
        Ok(step_json(step, &username))
    })
}

fn confirm_sign_in<'a>(cx: &'a Cx, o: &'a Json) -> LocalFuture<'a, Result<Json, Error>> {
    Box::pin(async move {
        let owned = owned_answer(o)?;
        let attributes: Vec<(&str, &str)> = match &owned {
            Owned::NewPassword(_, attrs) => attrs
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect(),
            _ => Vec::new(),
        };
        let answer = owned.as_answer(cx.pending_challenge(), &attributes);
        let username = cx.pending_username().unwrap_or_default();
        let step = cx.confirm_sign_in(answer).await?;
        Ok(step_json(step, &username))
    })
}

/// Reads a response (and the session used, for calls as the user).
type Process = fn(&HttpResponse, Option<&SessionRecord>, &Json) -> Result<Json, Error>;

fn empty(op: &'static str, r: &HttpResponse) -> Result<Json, Error> {
    process_empty_response(op, r.status, &r.headers, r.body.as_bytes())?;
    Ok(Json::Null)
}

fn delivery(op: &'static str, r: &HttpResponse) -> Result<Json, Error> {
    let d = process_code_delivery_response(op, r.status, &r.headers, r.body.as_bytes())?;
    Ok(Obj::new()
        .opt("codeDelivery", d.as_ref().map(delivery_json))
        .into())
}

/// A required secret string, zeroed after use.
fn secret(o: &Json, key: &'static str) -> Result<Zeroizing<String>, Error> {
    string(o, key).map(Zeroizing::new)
}

/// One factor of `setMfaPreference`: `{ enabled, preferred }` (absent:
/// unchanged; preferring a factor enables it).
fn mfa_setting(o: &Json, key: &'static str) -> Result<Option<MfaSetting>, Error> {
    let v = match o.get(key) {
        None | Some(Json::Null) => return Ok(None),
        Some(v) if v.is_object() => v,
        Some(_) => {
            return Err(Error::InvalidArgument {
                field: key,
                reason: "must be { enabled?: boolean, preferred?: boolean }",
            })
        }
    };
    Ok(Some(MfaSetting {
        enabled: opt_bool(v, "enabled")?.unwrap_or(true),
        preferred: opt_bool(v, "preferred")?.unwrap_or(false),
    }))
}

/// The account operation `method` with its arguments, and how its
/// response is read.
fn account_op(
    pool: &crate::cognito::UserPool,
    method: &str,
    o: &Json,
) -> Result<Option<(AccountOp, Process)>, Error> {
    let meta = || string_map(o, "clientMetadata");
    let user = || string(o, "username");
    let op: (AccountOp, Process) = match method {
        "signUp" => (
            AccountOp::sign_up(
                pool,
                &user()?,
                &secret(o, "password")?,
                &string_map(o, "attributes")?,
                &string_map(o, "validationData")?,
                &meta()?,
            ),
            |r, _, _| {
                let r = process_sign_up_response(r.status, &r.headers, r.body.as_bytes())?;
                Ok(Obj::new()
                    .set("userConfirmed", r.user_confirmed)
                    .opt("userSub", r.user_sub.as_deref())
                    .opt("codeDelivery", r.code_delivery.as_ref().map(delivery_json))
                    .into())
            },
        ),
        "confirmSignUp" => (
            AccountOp::confirm_sign_up(pool, &user()?, &secret(o, "code")?, &meta()?),
            |r, _, _| empty("ConfirmSignUp", r),
        ),
        "resendSignUpCode" => (
            AccountOp::resend_sign_up_code(pool, &user()?, &meta()?),
            |r, _, _| delivery("ResendConfirmationCode", r),
        ),
        "forgotPassword" => (
            AccountOp::forgot_password(pool, &user()?, &meta()?),
            |r, _, _| delivery("ForgotPassword", r),
        ),
        "confirmForgotPassword" => (
            AccountOp::confirm_forgot_password(
                pool,
                &user()?,
                &secret(o, "code")?,
                &secret(o, "newPassword")?,
                &meta()?,
            ),
            |r, _, _| empty("ConfirmForgotPassword", r),
        ),
        "changePassword" => (
            AccountOp::change_password(secret(o, "oldPassword")?, secret(o, "newPassword")?),
            |r, _, _| empty("ChangePassword", r),
        ),
        "getUser" => (AccountOp::get_user(), |r, _, _| {
            let u = process_get_user_response(r.status, &r.headers, r.body.as_bytes())?;
            Ok(Obj::new()
                .set("username", u.username.as_str())
                .set("attributes", Obj::map(&u.attributes))
                .set("mfaSettings", Obj::list(&u.mfa_settings))
                .opt("preferredMfa", u.preferred_mfa.as_deref())
                .into())
        }),
        "fetchUserAttributes" => (AccountOp::get_user(), |r, _, _| {
            let u = process_get_user_response(r.status, &r.headers, r.body.as_bytes())?;
            Ok(Obj::map(&u.attributes))
        }),
        "updateUserAttributes" => {
            let attrs = string_map(o, "attributes")?;
            if attrs.is_empty() {
                return Err(Error::EmptyArgument {
                    field: "attributes",
                });
            }
            (
                AccountOp::update_user_attributes(attrs, meta()?),
                |r, _, _| {
                    let list = process_update_user_attributes_response(
                        r.status,
                        &r.headers,
                        r.body.as_bytes(),
                    )?;
                    let list = Json::Array(list.iter().map(delivery_json).collect());
                    Ok(Obj::new().set("codeDeliveryList", list).into())
                },
            )
        }
        "verifyUserAttribute" => (
            AccountOp::verify_user_attribute(string(o, "attributeName")?, secret(o, "code")?),
            |r, _, _| empty("VerifyUserAttribute", r),
        ),
        "sendUserAttributeVerificationCode" => (
            AccountOp::send_user_attribute_verification_code(string(o, "attributeName")?, meta()?),
            |r, _, _| delivery("GetUserAttributeVerificationCode", r),
        ),
        "deleteUserAttributes" => {
            let names = string_list(o, "attributeNames")?
                .filter(|l| !l.is_empty() && l.iter().all(|s| !s.is_empty()))
                .ok_or(Error::InvalidArgument {
                    field: "attributeNames",
                    reason: "must be a non-empty array of strings",
                })?;
            (AccountOp::delete_user_attributes(names), |r, _, _| {
                empty("DeleteUserAttributes", r)
            })
        }
        "deleteUser" => (AccountOp::delete_user(), |r, _, _| empty("DeleteUser", r)),
        "setMfaPreference" => (
            AccountOp::set_mfa_preference(
                mfa_setting(o, "sms")?,
                mfa_setting(o, "totp")?,
                mfa_setting(o, "email")?,
            ),
            |r, _, _| empty("SetUserMFAPreference", r),
        ),
        "setUpTotp" => {
            opt_string(o, "issuer")?;
            (AccountOp::associate_software_token(), |r, session, o| {
                let secret = process_associate_software_token_response(
                    r.status,
                    &r.headers,
                    r.body.as_bytes(),
                )?;
                let account = session.map_or("", |s| s.username.as_str());
                let issuer = opt_string(o, "issuer").ok().flatten();
                let uri = otpauth_uri(issuer.as_deref().unwrap_or("AWSCognito"), account, &secret);
                Ok(Obj::new()
                    .set("secret", secret.as_str())
                    .set("otpauthUri", uri)
                    .into())
            })
        }
        "verifyTotp" => (
            AccountOp::verify_software_token(secret(o, "code")?, opt_string(o, "deviceName")?),
            |r, _, _| {
                process_verify_software_token_response(r.status, &r.headers, r.body.as_bytes())?;
                Ok(Json::Null)
            },
        ),
        "listDevices" => {
            let limit = opt_number(o, "limit")?.map_or(60, |n| n.clamp(1.0, 60.0) as u8);
            let token = opt_string(o, "paginationToken")?;
            (AccountOp::list_devices(limit, token), |r, _, _| {
                let (devices, next) =
                    process_list_devices_response(r.status, &r.headers, r.body.as_bytes())?;
                let list = devices
                    .iter()
                    .map(|d| {
                        let name = d.attributes.iter().find(|(k, _)| k == "device_name");
                        Obj::new()
                            .set("deviceKey", d.key.as_str())
                            .set("attributes", Obj::map(&d.attributes))
                            .opt("name", name.map(|(_, v)| v.as_str()))
                            .opt(
                                "lastAuthenticated",
                                d.last_authenticated.map(|s| num(s * 1000.0)),
                            )
                            .into()
                    })
                    .collect();
                Ok(Obj::new()
                    .set("devices", Json::Array(list))
                    .opt("paginationToken", next.as_deref())
                    .into())
            })
        }
        "rememberDevice" => (
            AccountOp::set_device_remembered(
                opt_string(o, "deviceKey")?,
                opt_bool(o, "remembered")?.unwrap_or(true),
            ),
            |r, _, _| empty("UpdateDeviceStatus", r),
        ),
        "forgetDevice" => (
            AccountOp::forget_device(opt_string(o, "deviceKey")?),
            |r, _, _| empty("ForgetDevice", r),
        ),
        _ => return Ok(None),
    };
    Ok(Some(op))
}

fn redirect_options(o: &Json) -> Result<RedirectOptions, Error> {
    Ok(RedirectOptions {
        scopes: string_list(o, "scopes")?,
        identity_provider: opt_string(o, "identityProvider")?,
        idp_identifier: opt_string(o, "idpIdentifier")?,
        login_hint: opt_string(o, "loginHint")?,
        prompt: opt_string(o, "prompt")?,
        lang: opt_string(o, "lang")?,
        custom_state: opt_string(o, "customState")?,
    })
}

fn unknown(method: &str) -> Error {
    let _ = method;
    Error::InvalidArgument {
        field: "method",
        reason: "unknown operation",
    }
}

/// Runs `CognitoAuth`'s `method` with `args` (its options object; for
/// `handleRedirectCallback` also a URL string) on `client`. Also the
/// client's events: `start`, `message` (a tab's), `storage` (a storage
/// event), `timer`, `visibility`.
pub fn start_client_op(client: &Client, method: &str, args: Json) -> Machine {
    let client = client.clone();
    let method = method.to_owned();
    Machine::start(move |io| async move {
        let cx = Cx { c: client, io };
        let o = &args;
        match method.as_str() {
            "signIn" => sign_in(&cx, o).await,
            "confirmSignIn" => confirm_sign_in(&cx, o).await,
            "prepareSignIn" => cx.prepare_sign_in().await.map(|_| Json::Null),
            "getTokens" => {
                let force = opt_bool(o, "forceRefresh")?.unwrap_or(false);
                Ok(tokens_json(&cx.get_tokens(force).await?))
            }
            "signOut" => {
                let global = opt_bool(o, "global")?.unwrap_or(false);
                let revoke = opt_bool(o, "revoke")?.unwrap_or(true);
                cx.sign_out(global, revoke).await.map(|_| Json::Null)
            }
            "signInWithRedirect" => {
                let options = redirect_options(o)?;
                let go = opt_bool(o, "navigate")?.unwrap_or(true);
                Ok(cx.sign_in_with_redirect(options, go).await?.into())
            }
            "handleRedirectCallback" => {
                let url = match o {
                    Json::String(u) => Some(u.clone()),
                    _ => opt_string(o, "url")?,
                };
                let (record, custom) = cx.handle_redirect_callback(url).await?;
                Ok(Obj::new()
                    .set("tokens", tokens_json(&record))
                    .opt("customState", custom)
                    .into())
            }
            "getUserInfo" => cx.get_user_info().await,
            "start" => cx.start().await,
            "message" => cx.on_message(o).await,
            "storage" => cx.on_storage(o).await,
            "timer" => cx.on_timer().await,
            "visibility" => {
                cx.on_visibility(matches!(o.get("hidden"), Some(Json::Bool(true))))
                    .await
            }
            m => match account_op(&cx.config().pool, m, o)? {
                Some((op, process)) => {
                    let (r, session) = cx.account(op).await?;
                    process(&r, session.as_ref(), o)
                }
                None => Err(unknown(m)),
            },
        }
    })
}

/// Runs `JwtVerifier.verify(token)` (`args` is the token).
pub fn start_verifier_op(verifier: &Rc<Verifier>, args: Json) -> Machine {
    let verifier = verifier.clone();
    Machine::start(move |io| async move {
        let Json::String(token) = args else {
            return Err(Error::InvalidArgument {
                field: "token",
                reason: "must be a string",
            });
        };
        verifier.verify(&io, &token).await
    })
}

/// `{ domain, clientId, clientSecret }` → the hosted UI.
fn ui(o: &Json) -> Result<HostedUi, Error> {
    HostedUi::new(
        &string(o, "domain")?,
        &string(o, "clientId")?,
        opt_string(o, "clientSecret")?.as_deref(),
    )
}

/// A token response as the server-side functions return it.
fn token_set_json(t: &TokenSet, custom_state: Option<String>) -> Json {
    Obj::new()
        .set("accessToken", t.access_token.as_str())
        .set("tokenType", t.token_type.as_str())
        .opt("expiresIn", t.expires_in.map(|s| num(s as f64)))
        .opt("idToken", t.id_token.as_deref())
        .opt("refreshToken", t.refresh_token.as_deref())
        .opt("scope", t.scope.as_deref())
        .opt("customState", custom_state)
        .into()
}

fn build_authorize_url<'a>(io: &'a Io, o: &'a Json) -> LocalFuture<'a, Result<Json, Error>> {
    Box::pin(async move {
        let scopes = string_list(o, "scopes")?.unwrap_or_default();
        let scopes: Vec<&str> = scopes.iter().map(String::as_str).collect();
        let (redirect, idp, idp_id, hint, prompt, lang, custom) = (
            string(o, "redirectUri")?,
            opt_string(o, "identityProvider")?,
            opt_string(o, "idpIdentifier")?,
            opt_string(o, "loginHint")?,
            opt_string(o, "prompt")?,
            opt_string(o, "lang")?,
            opt_string(o, "customState")?,
        );
        let a = ui(o)?.authorize(
            &AuthorizeOptions {
                redirect_uri: &redirect,
                scopes: &scopes,
                identity_provider: idp.as_deref(),
                idp_identifier: idp_id.as_deref(),
                login_hint: hint.as_deref(),
                prompt: prompt.as_deref(),
                lang: lang.as_deref(),
                app_state: custom.as_deref(),
            },
            io.now() as u64,
        )?;
        Ok(Obj::new()
            .set("url", a.url)
            .set("state", a.transaction.state.as_str())
            .set("transaction", a.transaction.to_storage_string())
            .into())
    })
}

/// `exchangeCode`: with `userPoolId` or `issuer`, the ID token is verified
/// (signature, `iss`, `aud`, `token_use`, `exp`, `iat`, `nonce`).
fn exchange<'a>(io: &'a Io, o: &'a Json) -> LocalFuture<'a, Result<Json, Error>> {
    Box::pin(async move {
        let ui = ui(o)?;
        let t = transport(o)?;
        let url = string(o, "url")?;
        let tx = string(o, "transaction")?;
        let pool = opt_string(o, "userPoolId")?;
        let issuer = opt_string(o, "issuer")?;
        let oidc = opt_string(o, "tokenRules")?.as_deref() == Some("oidc");
        let rules = match (&issuer, &pool) {
            (Some(i), _) if oidc => Some(JwtVerifier::oidc(i, ui.client_id())),
            (_, Some(p)) => {
                let v =
                    JwtVerifier::cognito(p, Some(ui.client_id()), Some(crate::jwt::TokenUse::Id))?;
                Some(match &issuer {
                    Some(i) => v.with_issuer(i),
                    None => v,
                })
            }
            (Some(i), None) => Some(JwtVerifier::oidc(i, ui.client_id())),
            (None, None) => None,
        }
        .map(|v| v.with_grace_seconds(ID_TOKEN_GRACE));
        let jwks_uri = opt_string(o, "jwksUri")?;
        let jwks = rules.as_ref().map(|r| {
            let default = [r.issuer().unwrap_or(""), "/.well-known/jwks.json"].concat();
            JwksCache::new(jwks_uri.unwrap_or(default))
        });
        let id_rules = rules.as_ref().zip(jwks.as_ref());
        let (tokens, custom) = exchange_code(io, &t, &ui, &url, &tx, id_rules).await?;
        Ok(token_set_json(&tokens, custom))
    })
}

/// Runs the server-side `oauth.<method>(args)`: `buildAuthorizeUrl`,
/// `exchangeCode`, `refresh`, `clientCredentials`.
pub fn start_oauth_op(method: &str, args: Json) -> Machine {
    let method = method.to_owned();
    Machine::start(move |io| async move {
        let o = &args;
        match method.as_str() {
            "buildAuthorizeUrl" => build_authorize_url(&io, o).await,
            "exchangeCode" => exchange(&io, o).await,
            "refresh" | "clientCredentials" => {
                let ui = ui(o)?;
                let request = if method == "refresh" {
                    ui.refresh_token_request(&string(o, "refreshToken")?)?
                } else {
                    let scopes = string_list(o, "scopes")?.unwrap_or_default();
                    let scopes: Vec<&str> = scopes.iter().map(String::as_str).collect();
                    ui.client_credentials_request(&scopes)?
                };
                let t = transport(o)?;
                let call = token_call(&io, &t, &request, None, None, false).await?;
                Ok(token_set_json(&call.tokens, None))
            }
            m => Err(unknown(m)),
        }
    })
}
