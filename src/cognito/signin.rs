//! Sign-in as a sans-IO state machine over `InitiateAuth` and
//! `RespondToAuthChallenge` (Amazon Cognito API Reference, both pages;
//! Developer Guide, "Authentication flows"), plus `AssociateSoftwareToken`
//! / `VerifySoftwareToken` for MFA_SETUP.
//!
//! [`SignIn::start`] gives the first request; every response goes to
//! [`SignIn::process`], which returns the next request to send (SRP and
//! device steps are answered here), the user's next step, or the tokens;
//! [`SignIn::answer`] turns the user's answer into the next request. The
//! `Session` string Cognito returns is carried between steps.

use crate::prelude::*;

use zeroize::Zeroizing;

use super::challenge::{ChallengeName, NextStep};
use super::pool::{Body, UserPool};
use super::response::{process_response, req_str, str_list, str_map, CodeDelivery};
use super::tokens::TokenSet;
use super::CognitoError;
use crate::http::{find_header, HttpRequest};
use crate::json::Json;
use crate::srp::{
    answer_password_verifier, cognito_timestamp, EphemeralKey, PasswordClaim,
    PasswordVerifierChallenge,
};
use crate::Error;

/// Which `AuthFlow` starts the sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthFlow {
    /// `USER_SRP_AUTH`: the password never leaves the client.
    UserSrp,
    /// `USER_PASSWORD_AUTH`: the password is sent (over TLS).
    UserPassword,
    /// `CUSTOM_AUTH` straight to the custom challenge.
    Custom,
    /// `CUSTOM_AUTH` with SRP first (`CHALLENGE_NAME: SRP_A`).
    CustomWithSrp,
    /// `USER_AUTH` (choice-based), with an optional `PREFERRED_CHALLENGE`
    /// (`PASSWORD`, `PASSWORD_SRP`, `EMAIL_OTP`, `SMS_OTP`, `WEB_AUTHN`).
    UserAuth {
        /// The preferred first factor, if any.
        preferred: Option<ChallengeName>,
    },
}

/// A device remembered from an earlier sign-in (`NewDeviceMetadata` plus
/// the password of [`crate::srp::generate_device_verifier`]).
#[derive(Clone)]
pub struct RememberedDevice {
    /// `DeviceKey`.
    pub key: String,
    /// `DeviceGroupKey`.
    pub group_key: String,
    /// The device's random password (secret).
    pub password: Zeroizing<String>,
}

/// `NewDeviceMetadata` of a finished sign-in: confirm it with
/// [`UserPool::confirm_device_request`] to remember the device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDevice {
    /// `DeviceKey`.
    pub key: String,
    /// `DeviceGroupKey`.
    pub group_key: String,
}

/// A finished sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedIn {
    /// The tokens.
    pub tokens: TokenSet,
    /// A new device to confirm, when the pool tracks devices.
    pub new_device: Option<NewDevice>,
}

/// What to do after a response.
#[derive(Debug)]
pub enum Progress {
    /// Send this request and [`SignIn::process`] its response (the SDK
    /// answered an SRP or device step itself).
    Send(HttpRequest),
    /// The user must answer: [`SignIn::answer`].
    Next(NextStep),
    /// Signed in.
    Done(SignedIn),
    /// A device SRP step needs an `SRP_A` from the caller's SRP backend
    /// ([`SrpSetup::remote_only`]): pass it to [`SignIn::answer_srp_a`].
    NeedSrpA,
    /// The `PASSWORD_VERIFIER` claim is the caller's to compute (the sign-in
    /// was started with [`SrpSetup::offload`], or with an `A` whose `a` the
    /// caller holds): compute it (in a Web Worker, with a native modular
    /// exponentiation, or with [`SrpJob::compute`]) and pass the result to
    /// [`SignIn::answer_srp`].
    Compute(Box<SrpJob>),
}

/// Where a sign-in's SRP work happens (issue: prepare `a` and `A` ahead,
/// and take the exponentiations off the caller's main thread). The default
/// is what [`SignIn::start`] does: a fresh ephemeral when `SRP_A` is
/// needed and the `PASSWORD_VERIFIER` claim computed inside
/// [`SignIn::process`].
#[derive(Debug, Default)]
pub struct SrpSetup {
    /// An ephemeral prepared ahead, sent as the first `SRP_A` instead of a
    /// fresh one. Single use: a restart (e.g. without a stale device) or a
    /// second SRP step draws a fresh one.
    pub prepared: Option<PreparedSrp>,
    /// Hand the `PASSWORD_VERIFIER` computation to the caller as
    /// [`Progress::Compute`] instead of doing it inline. Device SRP
    /// (`DEVICE_PASSWORD_VERIFIER`) is answered inline unless
    /// `remote_only`.
    pub offload: bool,
    /// No SRP math here at all (the effect-driven machines, whose SRP runs
    /// in its own module): every `SRP_A` comes from the caller (prepared,
    /// [`SignIn::set_prepared_a`], or [`Progress::NeedSrpA`] for a device)
    /// and every claim, device claims included, is a [`Progress::Compute`].
    pub remote_only: bool,
}

/// A client SRP ephemeral (`a`, `A = g^a mod N`, RFC 5054 §2.6) prepared
/// before the sign-in started.
pub enum PreparedSrp {
    /// `a` and `A` held here.
    Local(Box<EphemeralKey>),
    /// Only `A` is known here (lowercase hex, Cognito's `SRP_A`); `a` is
    /// held by the caller's SRP backend (a Web Worker), so the claim is
    /// always handed back as [`Progress::Compute`].
    Remote {
        /// `A` in hex.
        public_a: String,
    },
}

impl core::fmt::Debug for PreparedSrp {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            PreparedSrp::Local(_) => f.write_str("PreparedSrp::Local(..)"),
            PreparedSrp::Remote { .. } => f.write_str("PreparedSrp::Remote(..)"),
        }
    }
}

/// The `PASSWORD_VERIFIER` claim to compute (Amazon Cognito API Reference,
/// `RespondToAuthChallenge`: `PASSWORD_CLAIM_SIGNATURE`, `TIMESTAMP`), as
/// [`crate::srp::answer_password_verifier`] computes it: everything the
/// computation needs besides `a`. Holds the password: zeroed on drop and
/// never shown by `Debug`.
pub struct SrpJob {
    /// The pool name (the user-pool id after `_`), SRP's realm.
    pub pool_name: String,
    /// `USER_ID_FOR_SRP`.
    pub user_id_for_srp: String,
    /// The password.
    pub password: Zeroizing<String>,
    /// `SALT` (hex, possibly negative).
    pub salt: String,
    /// `SRP_B` (hex).
    pub srp_b: String,
    /// `SECRET_BLOCK` (base64).
    pub secret_block: String,
    /// `TIMESTAMP` for the response's local time (the caller may sign
    /// another one and pass it to [`SignIn::answer_srp`]).
    pub timestamp: String,
    /// `A` (hex) that was sent as `SRP_A`: identifies the ephemeral.
    pub public_a: String,
    /// The ephemeral when `a` is held here ([`SrpJob::compute`] uses it);
    /// `None` for a [`PreparedSrp::Remote`] one.
    pub ephemeral: Option<EphemeralKey>,
}

impl core::fmt::Debug for SrpJob {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SrpJob")
            .field("pool_name", &self.pool_name)
            .field("user_id_for_srp", &self.user_id_for_srp)
            .field("timestamp", &self.timestamp)
            .field("remote", &self.ephemeral.is_none())
            .finish_non_exhaustive()
    }
}

impl SrpJob {
    /// The challenge parameters as [`crate::srp::answer_password_verifier`]
    /// takes them.
    pub fn challenge(&self) -> PasswordVerifierChallenge<'_> {
        PasswordVerifierChallenge {
            salt: &self.salt,
            srp_b: &self.srp_b,
            secret_block: &self.secret_block,
            user_id_for_srp: &self.user_id_for_srp,
        }
    }

    /// Computes the claim here with the job's own ephemeral (the inline
    /// path); `UnexpectedChallenge` when `a` is held elsewhere.
    pub fn compute(&self) -> Result<PasswordClaim, Error> {
        let key = self
            .ephemeral
            .as_ref()
            .ok_or_else(|| unexpected(ChallengeName::PasswordVerifier))?;
        answer_password_verifier(
            key,
            &self.pool_name,
            &self.password,
            &self.challenge(),
            &self.timestamp,
        )
    }
}

/// The user's answer to a [`NextStep`].
#[derive(Debug, Clone, Copy)]
pub enum Answer<'a> {
    /// SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP, SMS_OTP, or the first TOTP
    /// code of MFA_SETUP.
    Code(&'a str),
    /// NEW_PASSWORD_REQUIRED: the new password and required attributes.
    NewPassword {
        /// The new password.
        password: &'a str,
        /// `(name, value)` pairs, e.g. `("name", "Jo")`.
        attributes: &'a [(&'a str, &'a str)],
    },
    /// SELECT_MFA_TYPE: `SMS_MFA`, `SOFTWARE_TOKEN_MFA` or `EMAIL_OTP`.
    MfaType(&'a str),
    /// MFA_SETUP: set up TOTP (AssociateSoftwareToken).
    SetUpTotp,
    /// MFA_SETUP with `EMAIL_OTP` among `MFAS_CAN_SETUP`: the address to
    /// receive codes (`EMAIL`); Cognito answers with an EMAIL_OTP challenge.
    SetUpEmail(&'a str),
    /// CUSTOM_CHALLENGE: the answer for the trigger.
    Custom(&'a str),
    /// SELECT_CHALLENGE: the chosen challenge; `password` for `PASSWORD`
    /// and `PASSWORD_SRP` (else the one given to [`SignIn::start`]).
    Select {
        /// The chosen challenge.
        challenge: ChallengeName,
        /// The password, when the choice needs one.
        password: Option<&'a str>,
    },
    /// WEB_AUTHN: the `PublicKeyCredential` JSON from the host's WebAuthn
    /// ceremony (`CREDENTIAL`).
    WebAuthn(&'a str),
}

/// What a sign-in starts with.
#[derive(Clone, Copy)]
pub struct SignInOptions<'a> {
    /// The username (or alias) as the user typed it.
    pub username: &'a str,
    /// The password (SRP and password flows).
    pub password: Option<&'a str>,
    /// The flow.
    pub flow: &'a AuthFlow,
    /// A remembered device for this user, if any.
    pub device: Option<&'a RememberedDevice>,
    /// `ClientMetadata` for Lambda triggers.
    pub client_metadata: &'a [(&'a str, &'a str)],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pending {
    /// An InitiateAuth or RespondToAuthChallenge is in flight.
    Auth(&'static str),
    /// Waiting for [`SignIn::answer`] to this challenge.
    Answer(ChallengeName),
    Associate,
    /// Waiting for the first TOTP code of MFA_SETUP.
    TotpCode,
    Verify,
    /// Waiting for [`SignIn::answer_srp`] with the claim of an [`SrpJob`]
    /// for this challenge.
    Compute(ChallengeName),
    /// Waiting for [`SignIn::answer_srp_a`] (device SRP, remote only).
    SrpA,
    Finished,
}

/// A sign-in in progress. Holds the password and the SRP secret until the
/// flow no longer needs them (zeroed on drop); `Debug` shows neither.
pub struct SignIn {
    pool: UserPool,
    flow: AuthFlow,
    username: String,
    password: Option<Zeroizing<String>>,
    device: Option<RememberedDevice>,
    srp: Option<EphemeralKey>,
    /// The SRP setup: a prepared ephemeral not used yet, and whether the
    /// claim is the caller's to compute.
    srp_setup: SrpSetup,
    /// `A` (hex) of the ephemeral in flight when its `a` is held by the
    /// caller's backend ([`PreparedSrp::Remote`]).
    srp_remote: Option<String>,
    /// `A` (hex) of the device ephemeral in flight, when remote only.
    device_remote: Option<String>,
    /// `SECRET_BLOCK` of the [`SrpJob`] handed out, echoed by
    /// [`SignIn::answer_srp`].
    srp_secret_block: Option<String>,
    session: Option<String>,
    metadata: Vec<(String, String)>,
    pending: Pending,
    /// The challenge the user last answered, to answer again after a
    /// mistyped code.
    answered: Option<ChallengeName>,
}

impl core::fmt::Debug for SignIn {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SignIn")
            .field("flow", &self.flow)
            .field("pending", &self.pending)
            .finish_non_exhaustive()
    }
}

fn wrong(expected: &'static str) -> Error {
    Error::Cognito(CognitoError::WrongAnswer { expected })
}

fn param<'p>(params: &'p [(String, String)], key: &str) -> Option<&'p str> {
    params
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

impl SignIn {
    /// Starts a sign-in: the state and the `InitiateAuth` request.
    pub fn start(
        pool: &UserPool,
        options: SignInOptions<'_>,
    ) -> Result<(SignIn, HttpRequest), Error> {
        SignIn::start_with_srp(pool, options, SrpSetup::default())
    }

    /// [`SignIn::start`] with a prepared ephemeral and/or the
    /// `PASSWORD_VERIFIER` claim handed to the caller (see [`SrpSetup`]).
    pub fn start_with_srp(
        pool: &UserPool,
        options: SignInOptions<'_>,
        srp: SrpSetup,
    ) -> Result<(SignIn, HttpRequest), Error> {
        if options.username.is_empty() {
            return Err(Error::EmptyArgument { field: "username" });
        }
        let needs_password = matches!(
            options.flow,
            AuthFlow::UserSrp | AuthFlow::UserPassword | AuthFlow::CustomWithSrp
        ) || matches!(
            options.flow,
            AuthFlow::UserAuth {
                preferred: Some(ChallengeName::Password | ChallengeName::PasswordSrp)
            }
        );
        let password = options.password.filter(|p| !p.is_empty());
        if needs_password && password.is_none() {
            return Err(Error::EmptyArgument { field: "password" });
        }
        let mut s = SignIn {
            pool: pool.clone(),
            flow: options.flow.clone(),
            username: options.username.to_owned(),
            password: password.map(|p| Zeroizing::new(p.to_owned())),
            device: options.device.cloned(),
            srp: None,
            srp_setup: srp,
            srp_remote: None,
            device_remote: None,
            srp_secret_block: None,
            session: None,
            metadata: options
                .client_metadata
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            pending: Pending::Finished,
            answered: None,
        };
        let request = s.initiate()?;
        Ok((s, request))
    }

    /// The canonical username so far (Cognito's `USERNAME` once a challenge
    /// named it).
    pub fn username(&self) -> &str {
        &self.username
    }

    /// Whether the flow waits for [`SignIn::answer`] (a challenge the user
    /// answers, including again after a mistyped code).
    pub fn awaits_answer(&self) -> bool {
        matches!(self.pending, Pending::Answer(_) | Pending::TotpCode)
    }

    /// The challenge waiting for an answer, if any.
    pub fn pending_challenge(&self) -> Option<ChallengeName> {
        match self.pending {
            Pending::Answer(c) => Some(c),
            Pending::TotpCode => Some(ChallengeName::MfaSetup),
            _ => None,
        }
    }

    /// The current `Session`, if any.
    pub fn session(&self) -> Option<&str> {
        self.session.as_deref()
    }

    /// Whether `error` says Cognito no longer knows the remembered device
    /// (`ResourceNotFoundException` while a device key was sent): then
    /// forget it and [`SignIn::restart_without_device`].
    pub fn is_stale_device(&self, error: &Error) -> bool {
        self.device.is_some()
            && matches!(error, Error::Cognito(CognitoError::Service { code, .. })
                if code == "ResourceNotFoundException")
    }

    /// Starts again without the remembered device: what to do when Cognito
    /// no longer knows it (`ResourceNotFoundException` naming the device),
    /// as amazon-cognito-identity-js does. Forget the stored device too.
    pub fn restart_without_device(&mut self) -> Result<HttpRequest, Error> {
        self.device = None;
        self.session = None;
        self.initiate()
    }

    fn initiate(&mut self) -> Result<HttpRequest, Error> {
        let (flow, challenge_name, preferred) = match &self.flow {
            AuthFlow::UserSrp => ("USER_SRP_AUTH", None, None),
            AuthFlow::UserPassword => ("USER_PASSWORD_AUTH", None, None),
            AuthFlow::Custom => ("CUSTOM_AUTH", None, None),
            AuthFlow::CustomWithSrp => ("CUSTOM_AUTH", Some("SRP_A"), None),
            AuthFlow::UserAuth { preferred } => ("USER_AUTH", None, *preferred),
        };
        let srp = matches!(self.flow, AuthFlow::UserSrp | AuthFlow::CustomWithSrp)
            || preferred == Some(ChallengeName::PasswordSrp);
        let srp_a = if srp { Some(self.user_srp_a()?) } else { None };
        let password = (matches!(self.flow, AuthFlow::UserPassword)
            || preferred == Some(ChallengeName::Password))
        .then_some(self.password.as_deref().map(String::as_str))
        .flatten();
        let mut params: Vec<(&str, &str)> = vec![("USERNAME", &self.username)];
        let opt = [
            ("SRP_A", srp_a.as_deref()),
            ("PASSWORD", password),
            ("CHALLENGE_NAME", challenge_name),
            ("PREFERRED_CHALLENGE", preferred.map(ChallengeName::as_str)),
        ];
        params.extend(opt.iter().filter_map(|(k, v)| v.map(|v| (*k, v))));
        let hash = self.pool.secret_hash(&self.username);
        if let Some(h) = &hash {
            params.push(("SECRET_HASH", h));
        }
        if let Some(d) = &self.device {
            params.push(("DEVICE_KEY", &d.key));
        }
        let body = Body::new()
            .str("AuthFlow", flow)
            .str("ClientId", self.pool.client_id())
            .map("AuthParameters", &params)
            .map("ClientMetadata", &self.metadata())
            .build();
        self.pending = Pending::Auth("InitiateAuth");
        Ok(self.pool.request("InitiateAuth", &body))
    }

    /// `SRP_A` for a user SRP step: the prepared ephemeral if one is left,
    /// else a fresh one.
    fn user_srp_a(&mut self) -> Result<String, Error> {
        self.srp_remote = None;
        match self.srp_setup.prepared.take() {
            Some(PreparedSrp::Remote { public_a }) => {
                self.srp = None;
                self.srp_remote = Some(public_a.clone());
                Ok(public_a)
            }
            Some(PreparedSrp::Local(key)) => {
                let a = key.public_hex();
                self.srp = Some(*key);
                Ok(a)
            }
            None if self.srp_setup.remote_only => Err(no_ephemeral()),
            None => self.fresh_srp_a(),
        }
    }

    /// A fresh ephemeral made here: its `A`.
    #[cfg(feature = "inline-srp")]
    fn fresh_srp_a(&mut self) -> Result<String, Error> {
        let key = EphemeralKey::generate()?;
        let a = key.public_hex();
        self.srp = Some(key);
        Ok(a)
    }

    #[cfg(not(feature = "inline-srp"))]
    fn fresh_srp_a(&mut self) -> Result<String, Error> {
        Err(no_ephemeral())
    }

    /// Whether (re)starting this sign-in sends an `SRP_A`.
    pub fn starts_with_srp(&self) -> bool {
        matches!(self.flow, AuthFlow::UserSrp | AuthFlow::CustomWithSrp)
            || matches!(
                self.flow,
                AuthFlow::UserAuth {
                    preferred: Some(ChallengeName::PasswordSrp)
                }
            )
    }

    /// Sets the `A` (hex) the next user SRP step sends, whose `a` the
    /// caller's backend holds (remote only: before
    /// [`SignIn::restart_without_device`] or a `PASSWORD_SRP` choice).
    pub fn set_prepared_a(&mut self, public_a: String) {
        self.srp_setup.prepared = Some(PreparedSrp::Remote { public_a });
    }

    /// Answers [`Progress::NeedSrpA`] (`DEVICE_SRP_AUTH`) with the `A` (hex)
    /// of an ephemeral the caller's backend holds.
    pub fn answer_srp_a(&mut self, public_a: &str) -> Result<HttpRequest, Error> {
        if self.pending != Pending::SrpA {
            return Err(wrong("a response to process, not an SRP A"));
        }
        if public_a.is_empty() {
            return Err(Error::EmptyArgument { field: "SRP_A" });
        }
        self.device_remote = Some(public_a.to_owned());
        Ok(self.respond(ChallengeName::DeviceSrpAuth, &[("SRP_A", public_a)]))
    }

    fn metadata(&self) -> Vec<(&str, &str)> {
        self.metadata
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    }

    /// A `RespondToAuthChallenge` request: `USERNAME`, `SECRET_HASH` (with
    /// the canonical username) and `DEVICE_KEY` are added to `responses`.
    fn respond(&mut self, challenge: ChallengeName, responses: &[(&str, &str)]) -> HttpRequest {
        let mut params: Vec<(&str, &str)> = vec![("USERNAME", &self.username)];
        params.extend_from_slice(responses);
        let hash = self.pool.secret_hash(&self.username);
        if let Some(h) = &hash {
            params.push(("SECRET_HASH", h));
        }
        if let Some(d) = &self.device {
            if !params.iter().any(|(k, _)| *k == "DEVICE_KEY") {
                params.push(("DEVICE_KEY", &d.key));
            }
        }
        let body = Body::new()
            .str("ChallengeName", challenge.as_str())
            .str("ClientId", self.pool.client_id())
            .map("ChallengeResponses", &params)
            .opt("Session", self.session.as_deref())
            .map("ClientMetadata", &self.metadata())
            .build();
        self.pending = Pending::Auth("RespondToAuthChallenge");
        self.pool.request("RespondToAuthChallenge", &body)
    }

    /// Processes the response to the last request, received at local time
    /// `now` (Unix seconds; also the SRP timestamp).
    pub fn process<K: AsRef<str>, V: AsRef<str>>(
        &mut self,
        status: u16,
        headers: &[(K, V)],
        body: &[u8],
        now: i64,
    ) -> Result<Progress, Error> {
        match self.pending {
            Pending::Auth(op) => {
                let json = process_response(op, status, headers, body)
                    .inspect_err(|e| self.allow_retry(e, false))?;
                self.process_auth(op, &json, now, find_header(headers, "date"))
            }
            Pending::Associate => {
                let op = "AssociateSoftwareToken";
                let json = process_response(op, status, headers, body)?;
                let secret = req_str(op, &json, "SecretCode")?;
                self.take_session(&json);
                self.pending = Pending::TotpCode;
                Ok(Progress::Next(NextStep {
                    totp_secret: Some(secret),
                    ..step(ChallengeName::MfaSetup, Vec::new())
                }))
            }
            Pending::Verify => {
                let op = "VerifySoftwareToken";
                let json = process_response(op, status, headers, body)
                    .inspect_err(|e| self.allow_retry(e, true))?;
                if json.get("Status").and_then(Json::as_str) != Some("SUCCESS") {
                    // The code was wrong; the user may try again.
                    self.pending = Pending::TotpCode;
                    return Err(Error::Cognito(CognitoError::Service {
                        code: "EnableSoftwareTokenMFAException".to_owned(),
                        message: "the TOTP code was not accepted".to_owned(),
                        status,
                        request_id: None,
                    }));
                }
                self.take_session(&json);
                Ok(Progress::Send(self.respond(ChallengeName::MfaSetup, &[])))
            }
            _ => Err(wrong("an answer, not a response")),
        }
    }

    /// After a mistyped code (`CodeMismatchException`, or any refusal of a
    /// first TOTP code) the same step may be answered again, as Cognito
    /// keeps the session for a few attempts. So may NEW_PASSWORD_REQUIRED
    /// after a new password the policy refuses (`InvalidPasswordException`)
    /// or a missing required attribute (`InvalidParameterException`), as
    /// amazon-cognito-identity-js's `completeNewPasswordChallenge` allows.
    fn allow_retry(&mut self, e: &Error, totp_setup: bool) {
        let Error::Cognito(CognitoError::Service { code, .. }) = e else {
            return;
        };
        let again = matches!(
            (self.answered, code.as_str()),
            (Some(_), "CodeMismatchException")
                | (
                    Some(ChallengeName::NewPasswordRequired),
                    "InvalidPasswordException" | "InvalidParameterException",
                )
        );
        if totp_setup {
            self.pending = Pending::TotpCode;
        } else if let (Some(c), true) = (self.answered, again) {
            self.pending = Pending::Answer(c);
        }
    }

    fn take_session(&mut self, json: &Json) {
        if let Some(s) = json.get("Session").and_then(Json::as_str) {
            self.session = Some(s.to_owned());
        }
    }

    fn process_auth(
        &mut self,
        op: &'static str,
        json: &Json,
        now: i64,
        date: Option<&str>,
    ) -> Result<Progress, Error> {
        self.answered = None;
        if let Some(result) = json.get("AuthenticationResult").filter(|r| r.is_object()) {
            let tokens = TokenSet::from_result(op, result, now, date)?;
            let new_device = result.get("NewDeviceMetadata").and_then(|d| {
                Some(NewDevice {
                    key: d.get("DeviceKey")?.as_str()?.to_owned(),
                    group_key: d.get("DeviceGroupKey")?.as_str()?.to_owned(),
                })
            });
            self.finish();
            return Ok(Progress::Done(SignedIn { tokens, new_device }));
        }
        let Some(name) = json.get("ChallengeName").and_then(Json::as_str) else {
            self.finish();
            return Err(Error::Cognito(CognitoError::NoResult { operation: op }));
        };
        let challenge = ChallengeName::parse(name).ok_or_else(|| {
            Error::Cognito(CognitoError::UnexpectedChallenge {
                name: name.to_owned(),
            })
        })?;
        self.take_session(json);
        let params = str_map(op, json.get("ChallengeParameters"))?;
        // SECRET_HASH from here on uses the canonical name Cognito returns
        // (sign-in by alias or e-mail yields the real username).
        if let Some(u) = param(&params, "USERNAME").filter(|u| !u.is_empty()) {
            self.username = u.to_owned();
        }
        match challenge {
            ChallengeName::PasswordVerifier => self.password_verifier(&params, now, false),
            ChallengeName::DevicePasswordVerifier => self.password_verifier(&params, now, true),
            ChallengeName::DeviceSrpAuth => {
                if self.device.is_none() {
                    return Err(unexpected(challenge));
                }
                if self.srp_setup.remote_only {
                    self.pending = Pending::SrpA;
                    return Ok(Progress::NeedSrpA);
                }
                let a = self.fresh_srp_a()?;
                Ok(Progress::Send(self.respond(challenge, &[("SRP_A", &a)])))
            }
            _ => {
                let mut next = step(challenge, params);
                let p = &next.parameters;
                next.code_delivery = CodeDelivery::from_params(p);
                next.mfa_types = match challenge {
                    ChallengeName::SelectMfaType => {
                        str_list(param_json(p, "MFAS_CAN_CHOOSE").as_ref())
                    }
                    ChallengeName::MfaSetup => str_list(param_json(p, "MFAS_CAN_SETUP").as_ref()),
                    _ => Vec::new(),
                };
                if challenge == ChallengeName::NewPasswordRequired {
                    next.required_attributes =
                        str_list(param_json(p, "requiredAttributes").as_ref())
                            .into_iter()
                            .map(|a| a.trim_start_matches("userAttributes.").to_owned())
                            .collect();
                    next.user_attributes = param(p, "userAttributes")
                        .and_then(|u| Json::parse(u.as_bytes()))
                        .and_then(|u| str_map(op, Some(&u)).ok())
                        .unwrap_or_default();
                }
                next.available_challenges = str_list(json.get("AvailableChallenges"));
                self.pending = Pending::Answer(challenge);
                Ok(Progress::Next(next))
            }
        }
    }

    /// PASSWORD_VERIFIER (user) or DEVICE_PASSWORD_VERIFIER (device): the
    /// SRP claim (see [`crate::srp::answer_password_verifier`]).
    fn password_verifier(
        &mut self,
        params: &[(String, String)],
        now: i64,
        device: bool,
    ) -> Result<Progress, Error> {
        let challenge = if device {
            ChallengeName::DevicePasswordVerifier
        } else {
            ChallengeName::PasswordVerifier
        };
        if self.srp_setup.remote_only {
            let remote = if device {
                self.device_remote.take()
            } else {
                self.srp_remote.take()
            };
            return self.srp_job(
                params,
                now,
                remote.ok_or_else(no_ephemeral).map(Some)?,
                device,
            );
        }
        let remote = if device { None } else { self.srp_remote.take() };
        if remote.is_some() || (!device && self.srp_setup.offload) {
            return self.srp_job(params, now, remote, false);
        }
        self.inline_claim(params, now, device, challenge)
    }

    #[cfg(not(feature = "inline-srp"))]
    fn inline_claim(
        &mut self,
        _: &[(String, String)],
        _: i64,
        _: bool,
        _: ChallengeName,
    ) -> Result<Progress, Error> {
        Err(no_ephemeral())
    }

    #[cfg(feature = "inline-srp")]
    fn inline_claim(
        &mut self,
        params: &[(String, String)],
        now: i64,
        device: bool,
        challenge: ChallengeName,
    ) -> Result<Progress, Error> {
        let key = self.srp.take().ok_or_else(|| unexpected(challenge))?;
        let get = |k: &'static str| param(params, k).ok_or(Error::EmptyArgument { field: k });
        let (realm, user_id, password) = match (device, &self.device, &self.password) {
            (true, Some(d), _) => (d.group_key.clone(), d.key.clone(), d.password.clone()),
            (false, _, Some(p)) => (
                self.pool.realm().to_owned(),
                get("USER_ID_FOR_SRP")?.to_owned(),
                p.clone(),
            ),
            _ => return Err(unexpected(challenge)),
        };
        let timestamp = cognito_timestamp(now);
        let claim = answer_password_verifier(
            &key,
            &realm,
            &password,
            &PasswordVerifierChallenge {
                salt: get("SALT")?,
                srp_b: get("SRP_B")?,
                secret_block: get("SECRET_BLOCK")?,
                user_id_for_srp: &user_id,
            },
            &timestamp,
        )?;
        Ok(Progress::Send(self.respond(
            challenge,
            &[
                ("PASSWORD_CLAIM_SECRET_BLOCK", &claim.secret_block),
                ("PASSWORD_CLAIM_SIGNATURE", &claim.signature),
                ("TIMESTAMP", &claim.timestamp),
            ],
        )))
    }

    /// PASSWORD_VERIFIER handed to the caller: the [`SrpJob`], with the
    /// ephemeral when `a` is held here (`remote` is `A` otherwise).
    fn srp_job(
        &mut self,
        params: &[(String, String)],
        now: i64,
        remote: Option<String>,
        device: bool,
    ) -> Result<Progress, Error> {
        let challenge = if device {
            ChallengeName::DevicePasswordVerifier
        } else {
            ChallengeName::PasswordVerifier
        };
        let ephemeral = match remote {
            Some(_) => None,
            None => Some(self.srp.take().ok_or_else(|| unexpected(challenge))?),
        };
        let get = |k: &'static str| {
            param(params, k)
                .map(str::to_owned)
                .ok_or(Error::EmptyArgument { field: k })
        };
        // A device proves its own password, with its group key as the realm
        // and its key as the user.
        let (realm, user_id, password) = match (device, &self.device, &self.password) {
            (true, Some(d), _) => (d.group_key.clone(), d.key.clone(), d.password.clone()),
            (false, _, Some(p)) => (
                self.pool.realm().to_owned(),
                get("USER_ID_FOR_SRP")?,
                p.clone(),
            ),
            _ => return Err(unexpected(challenge)),
        };
        let public_a = match (&remote, &ephemeral) {
            (Some(a), _) => a.clone(),
            (None, Some(key)) => key.public_hex(),
            (None, None) => return Err(unexpected(challenge)),
        };
        let job = SrpJob {
            pool_name: realm,
            user_id_for_srp: user_id,
            password,
            salt: get("SALT")?,
            srp_b: get("SRP_B")?,
            secret_block: get("SECRET_BLOCK")?,
            timestamp: cognito_timestamp(now),
            public_a,
            ephemeral,
        };
        self.srp_secret_block = Some(job.secret_block.clone());
        self.pending = Pending::Compute(challenge);
        Ok(Progress::Compute(Box::new(job)))
    }

    /// Answers the [`Progress::Compute`] step with the claim computed for
    /// its [`SrpJob`]: `PASSWORD_CLAIM_SIGNATURE` (base64) and the
    /// `TIMESTAMP` it signs. The `RespondToAuthChallenge` request to send.
    pub fn answer_srp(&mut self, signature: &str, timestamp: &str) -> Result<HttpRequest, Error> {
        let Pending::Compute(challenge) = self.pending else {
            return Err(wrong("a response to process, not an SRP claim"));
        };
        if signature.is_empty() {
            return Err(Error::EmptyArgument {
                field: "PASSWORD_CLAIM_SIGNATURE",
            });
        }
        if timestamp.is_empty() {
            return Err(Error::EmptyArgument { field: "TIMESTAMP" });
        }
        let block = self.srp_secret_block.take().unwrap_or_default();
        Ok(self.respond(
            challenge,
            &[
                ("PASSWORD_CLAIM_SECRET_BLOCK", &block),
                ("PASSWORD_CLAIM_SIGNATURE", signature),
                ("TIMESTAMP", timestamp),
            ],
        ))
    }

    /// Whether the flow waits for [`SignIn::answer_srp`].
    pub fn awaits_srp(&self) -> bool {
        matches!(self.pending, Pending::Compute(_))
    }

    /// Answers the pending [`NextStep`]: the next request to send.
    pub fn answer(&mut self, answer: Answer<'_>) -> Result<HttpRequest, Error> {
        let challenge = match self.pending {
            Pending::TotpCode => {
                let Answer::Code(code) = answer else {
                    return Err(wrong("the first code from the authenticator app"));
                };
                let body = Body::new()
                    .opt("Session", self.session.as_deref())
                    .str("UserCode", code)
                    .build();
                self.pending = Pending::Verify;
                return Ok(self.pool.request("VerifySoftwareToken", &body));
            }
            Pending::Answer(c) => c,
            _ => return Err(wrong("a response to process, not an answer")),
        };
        self.answered = Some(challenge);
        use ChallengeName as C;
        let code_key = match challenge {
            C::SmsMfa => "SMS_MFA_CODE",
            C::SoftwareTokenMfa => "SOFTWARE_TOKEN_MFA_CODE",
            C::EmailOtp => "EMAIL_OTP_CODE",
            C::SmsOtp => "SMS_OTP_CODE",
            _ => "",
        };
        match (challenge, answer) {
            (_, Answer::Code(code)) if !code_key.is_empty() => {
                Ok(self.respond(challenge, &[(code_key, code)]))
            }
            (
                C::NewPasswordRequired,
                Answer::NewPassword {
                    password,
                    attributes,
                },
            ) => {
                let keys: Vec<String> = attributes
                    .iter()
                    .map(|(n, _)| ["userAttributes.", n].concat())
                    .collect();
                let mut r: Vec<(&str, &str)> = vec![("NEW_PASSWORD", password)];
                r.extend(
                    keys.iter()
                        .zip(attributes)
                        .map(|(k, (_, v))| (k.as_str(), *v)),
                );
                Ok(self.respond(challenge, &r))
            }
            (C::SelectMfaType, Answer::MfaType(t)) => Ok(self.respond(challenge, &[("ANSWER", t)])),
            (C::MfaSetup, Answer::SetUpTotp) => {
                let body = Body::new().opt("Session", self.session.as_deref()).build();
                self.pending = Pending::Associate;
                Ok(self.pool.request("AssociateSoftwareToken", &body))
            }
            (C::MfaSetup, Answer::SetUpEmail(email)) => {
                Ok(self.respond(challenge, &[("EMAIL", email)]))
            }
            (C::CustomChallenge, Answer::Custom(a)) => {
                Ok(self.respond(challenge, &[("ANSWER", a)]))
            }
            (C::WebAuthn, Answer::WebAuthn(credential)) => {
                Ok(self.respond(challenge, &[("CREDENTIAL", credential)]))
            }
            (
                C::SelectChallenge,
                Answer::Select {
                    challenge: chosen,
                    password,
                },
            ) => {
                if let Some(p) = password.filter(|p| !p.is_empty()) {
                    self.password = Some(Zeroizing::new(p.to_owned()));
                }
                let name = chosen.as_str();
                match chosen {
                    C::Password => {
                        let p = self
                            .password
                            .clone()
                            .ok_or(Error::EmptyArgument { field: "password" })?;
                        Ok(self.respond(challenge, &[("ANSWER", name), ("PASSWORD", &p)]))
                    }
                    C::PasswordSrp => {
                        if self.password.is_none() {
                            return Err(Error::EmptyArgument { field: "password" });
                        }
                        let a = self.user_srp_a()?;
                        Ok(self.respond(challenge, &[("ANSWER", name), ("SRP_A", &a)]))
                    }
                    _ => Ok(self.respond(challenge, &[("ANSWER", name)])),
                }
            }
            _ => Err(wrong(expected_answer(challenge))),
        }
    }

    /// Drops the secrets once the flow is over.
    fn finish(&mut self) {
        self.pending = Pending::Finished;
        self.password = None;
        self.srp = None;
        self.srp_setup.prepared = None;
        self.srp_remote = None;
        self.device_remote = None;
        self.srp_secret_block = None;
    }
}

fn no_ephemeral() -> Error {
    Error::SrpBackend {
        reason: "no SRP ephemeral prepared".to_owned(),
    }
}

fn expected_answer(c: ChallengeName) -> &'static str {
    match c {
        ChallengeName::NewPasswordRequired => "a new password",
        ChallengeName::SelectMfaType => "an MFA type",
        ChallengeName::MfaSetup => "an MFA setup choice",
        ChallengeName::CustomChallenge => "a custom challenge answer",
        ChallengeName::SelectChallenge => "a challenge choice",
        ChallengeName::WebAuthn => "a WebAuthn credential",
        _ => "a code",
    }
}

fn unexpected(c: ChallengeName) -> Error {
    Error::Cognito(CognitoError::UnexpectedChallenge {
        name: c.as_str().to_owned(),
    })
}

fn param_json(params: &[(String, String)], key: &str) -> Option<Json> {
    param(params, key).map(|v| Json::String(v.to_owned()))
}

fn step(challenge: ChallengeName, parameters: Vec<(String, String)>) -> NextStep {
    NextStep {
        challenge,
        code_delivery: None,
        mfa_types: Vec::new(),
        required_attributes: Vec::new(),
        user_attributes: Vec::new(),
        available_challenges: Vec::new(),
        totp_secret: None,
        parameters,
    }
}
