//! The user-pool sign-in and account operations, by name (`signIn`,
//! `confirmSignIn`, `prepareSignIn`, `signUp`, …): their arguments read,
//! their machines run, their values shaped as index.d.ts documents them.
//! Left out of the core built for the session and hosted-UI jobs (cargo
//! feature `signin`).

use crate::prelude::*;

use super::account::AccountOp;
use super::client::Cx;
use super::io::LocalFuture;
use super::ops::{tokens_json, unknown};
use super::options::auth_flow;
use super::signin::{SignInArgs, Step};
use super::value::{num, opt_bool, opt_number, opt_string, string, string_list, string_map, Obj};
use crate::cognito::{
    otpauth_uri, process_associate_software_token_response, process_code_delivery_response,
    process_empty_response, process_get_user_response, process_list_devices_response,
    process_sign_up_response, process_update_user_attributes_response,
    process_verify_software_token_response, Answer, ChallengeName, CodeDelivery, MfaSetting,
    NextStep,
};
use crate::http::HttpResponse;
use crate::json::Json;
use crate::session::SessionRecord;
use crate::Error;
use zeroize::Zeroizing;

/// Runs the sign-in or account operation `method`.
pub(super) fn run<'a>(
    cx: &'a Cx,
    method: &'a str,
    o: &'a Json,
) -> LocalFuture<'a, Result<Json, Error>> {
    Box::pin(async move {
        match method {
            "signIn" => sign_in(cx, o).await,
            "confirmSignIn" => confirm_sign_in(cx, o).await,
            "prepareSignIn" => cx.prepare_sign_in().await.map(|_| Json::Null),
            "registerPasskey" => cx.register_passkey().await,
            "listPasskeys" => cx.list_passkeys().await,
            "deletePasskey" => cx.delete_passkey(string(o, "credentialId")?).await,
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
        let preferred = opt_string(o, "preferredChallenge")?;
        let flow = match opt_string(o, "authFlow")? {
            Some(f) => Some(auth_flow(&f, preferred.as_deref())?),
            // A preferred first factor implies choice-based sign-in.
            None if preferred.is_some() => Some(auth_flow("USER_AUTH", preferred.as_deref())?),
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
