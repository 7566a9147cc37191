//! `signIn`, `confirmSignIn` and `prepareSignIn`: a [`SignIn`] core
//! (InitiateAuth / RespondToAuthChallenge, Amazon Cognito API Reference)
//! run to its end. Steps the SDK answers itself are sent at once; SRP is
//! always an `srp` effect (the SRP module, in a Web Worker, inline, or
//! OpenSSL: the driver's choice); a challenge for the user is returned and
//! kept until `confirmSignIn`.
//!
//! On success a new device is confirmed (`ConfirmDevice`, as
//! amazon-cognito-identity-js does) and the session stored; a stale
//! remembered device (`ResourceNotFoundException`) is forgotten and the
//! sign-in started again without it.

use crate::prelude::*;

use super::client::Cx;
use super::io::host_error;
use super::io::LocalFuture;
use super::value::{num, Obj};
use crate::cognito::{
    process_confirm_device_response, Answer, AuthFlow, ChallengeName, NextStep, PreparedSrp,
    Progress, RememberedDevice, SignIn, SignInOptions, SignedIn, SrpJob, SrpSetup,
};
use crate::http::HttpRequest;
use crate::json::Json;
use crate::session::{DeviceRecord, SessionRecord, Source};
use crate::srp::DeviceVerifier;
use crate::transport::Idempotency;
use crate::Error;
use zeroize::Zeroizing;

/// What `signIn` starts with.
pub struct SignInArgs {
    /// The username or alias, as typed.
    pub username: String,
    /// The password, for the flows that take one.
    pub password: Option<Zeroizing<String>>,
    /// The flow (else the configured default).
    pub flow: Option<AuthFlow>,
    /// `ClientMetadata` for Lambda triggers.
    pub client_metadata: Vec<(String, String)>,
}

/// Where a sign-in stands after a call.
pub enum Step {
    /// Signed in; the session is stored.
    Done(SessionRecord),
    /// The user must answer this step with `confirmSignIn`.
    Next(NextStep),
}

fn field<'j>(v: &'j Json, k: &str) -> Result<&'j str, Error> {
    v.get(k)
        .and_then(Json::as_str)
        .filter(|s| !s.is_empty())
        .ok_or(Error::SrpBackend {
            reason: "the SRP module gave an incomplete answer".to_owned(),
        })
}

impl Cx {
    /// Effect `srp`: asks the SRP module for `op`.
    fn srp<'a>(&'a self, op: Obj) -> LocalFuture<'a, Result<Json, Error>> {
        Box::pin(async move {
            self.io
                .effect(op.set("t", "srp"))
                .await
                .map_err(|e| host_error(&e))
        })
    }

    /// A fresh ephemeral from the SRP module: `(id, A)`. `device`: for a
    /// remembered device's own SRP (the driver may run it elsewhere).
    fn srp_prepare<'a>(&'a self, device: bool) -> LocalFuture<'a, Result<(String, String), Error>> {
        Box::pin(async move {
            let op = Obj::new().set("op", "prepare").set("device", device);
            let v = self.srp(op).await?;
            Ok((
                field(&v, "id")?.to_owned(),
                field(&v, "publicA")?.to_owned(),
            ))
        })
    }

    fn srp_dispose<'a>(&'a self, id: String) -> LocalFuture<'a, ()> {
        Box::pin(async move {
            let _ = self
                .srp(Obj::new().set("op", "dispose").set("id", id))
                .await;
        })
    }

    /// The claim of `job` from the SRP module, with the ephemeral `id`.
    fn srp_answer<'a>(
        &'a self,
        id: &'a str,
        job: &'a SrpJob,
        device: bool,
    ) -> LocalFuture<'a, Result<(String, String), Error>> {
        Box::pin(async move {
            let op = Obj::new()
                .set("op", "answer")
                .set("device", device)
                .set("id", id)
                .set("realm", job.pool_name.as_str())
                .set("password", job.password.as_str())
                .set("salt", job.salt.as_str())
                .set("srpB", job.srp_b.as_str())
                .set("secretBlock", job.secret_block.as_str())
                .set("userIdForSrp", job.user_id_for_srp.as_str())
                .set("seconds", num(self.io.now() as f64));
            let v = self.srp(op).await?;
            Ok((
                field(&v, "signature")?.to_owned(),
                field(&v, "timestamp")?.to_owned(),
            ))
        })
    }

    /// Computes the next sign-in's SRP ephemeral now (replacing one
    /// prepared earlier and not used).
    pub(crate) fn prepare_sign_in<'a>(&'a self) -> LocalFuture<'a, Result<(), Error>> {
        Box::pin(async move {
            let ready = self.srp_prepare(false).await?;
            let replaced = self.inner().srp_ready.borrow_mut().replace(ready);
            if let Some((id, _)) = replaced {
                self.srp_dispose(id).await;
            }
            Ok(())
        })
    }

    /// The prepared ephemeral, or a fresh one: `(id, A)`.
    fn ephemeral<'a>(&'a self) -> LocalFuture<'a, Result<(String, String), Error>> {
        Box::pin(async move {
            let ready = self.inner().srp_ready.borrow_mut().take();
            match ready {
                Some(r) => Ok(r),
                None => self.srp_prepare(false).await,
            }
        })
    }

    fn load_device<'a>(
        &'a self,
        username: &'a str,
    ) -> LocalFuture<'a, Result<Option<RememberedDevice>, Error>> {
        Box::pin(async move {
            let stored = self.io.get(&self.inner().keys.device(username)).await?;
            Ok(stored
                .as_deref()
                .and_then(DeviceRecord::from_storage_string)
                .map(|d| d.0))
        })
    }

    /// Starts a sign-in (abandoning any pending one).
    pub(crate) fn sign_in<'a>(&'a self, args: SignInArgs) -> LocalFuture<'a, Result<Step, Error>> {
        Box::pin(async move {
            self.inner().pending.borrow_mut().take();
            let device = self.load_device(&args.username).await?;
            let flow = args
                .flow
                .clone()
                .unwrap_or_else(|| self.config().default_flow.clone());
            let metadata: Vec<(&str, &str)> = args
                .client_metadata
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let uses_srp = matches!(flow, AuthFlow::UserSrp | AuthFlow::CustomWithSrp)
                || matches!(
                    flow,
                    AuthFlow::UserAuth {
                        preferred: Some(ChallengeName::PasswordSrp)
                    }
                );
            // Arguments are checked before an ephemeral is made.
            if args.username.is_empty() {
                return Err(Error::EmptyArgument { field: "username" });
            }
            if uses_srp && args.password.as_deref().is_none_or(|p| p.is_empty()) {
                return Err(Error::EmptyArgument { field: "password" });
            }
            let mut ids = Vec::new();
            let prepared = if uses_srp {
                let (id, public_a) = self.ephemeral().await?;
                ids.push((public_a.clone(), id));
                Some(PreparedSrp::Remote { public_a })
            } else {
                None
            };
            let setup = SrpSetup {
                prepared,
                offload: true,
                remote_only: true,
            };
            let (sign_in, request) = SignIn::start_with_srp(
                &self.config().pool,
                SignInOptions {
                    username: &args.username,
                    password: args.password.as_deref().map(String::as_str),
                    flow: &flow,
                    device: device.as_ref(),
                    client_metadata: &metadata,
                },
                setup,
            )?;
            self.drive(sign_in, args.username, request, ids).await
        })
    }

    /// The challenge the pending sign-in waits for, if any.
    pub(crate) fn pending_challenge(&self) -> Option<ChallengeName> {
        self.inner()
            .pending
            .borrow()
            .as_ref()
            .and_then(|(s, _)| s.pending_challenge())
    }

    /// The canonical username of the pending sign-in, if any.
    pub(crate) fn pending_username(&self) -> Option<String> {
        self.inner()
            .pending
            .borrow()
            .as_ref()
            .map(|(s, _)| s.username().to_owned())
    }

    /// Answers the pending step.
    pub(crate) fn confirm_sign_in<'a>(
        &'a self,
        answer: Answer<'a>,
    ) -> LocalFuture<'a, Result<Step, Error>> {
        Box::pin(async move {
            let (mut sign_in, typed) = self
                .inner()
                .pending
                .borrow_mut()
                .take()
                .ok_or(Error::NoSignInInProgress)?;
            let mut ids = Vec::new();
            // Choosing PASSWORD_SRP sends an `SRP_A`: the SRP module makes it.
            if let Answer::Select {
                challenge: ChallengeName::PasswordSrp,
                ..
            } = answer
            {
                match self.ephemeral().await {
                    Ok((id, public_a)) => {
                        ids.push((public_a.clone(), id));
                        sign_in.set_prepared_a(public_a);
                    }
                    Err(e) => {
                        *self.inner().pending.borrow_mut() = Some((sign_in, typed));
                        return Err(e);
                    }
                }
            }
            match sign_in.answer(answer) {
                Ok(request) => self.drive(sign_in, typed, request, ids).await,
                Err(e) => {
                    // A wrong kind of answer leaves the step waiting.
                    if sign_in.awaits_answer() {
                        *self.inner().pending.borrow_mut() = Some((sign_in, typed));
                    }
                    Err(e)
                }
            }
        })
    }

    /// Sends and processes until the sign-in ends or needs the user. `ids`
    /// maps each `A` sent to the SRP module's id of its ephemeral.
    async fn drive(
        &self,
        mut sign_in: SignIn,
        typed: String,
        mut request: HttpRequest,
        mut ids: Vec<(String, String)>,
    ) -> Result<Step, Error> {
        // The `A` of the device's own ephemeral, once one is sent.
        let mut device_a: Option<String> = None;
        loop {
            // Sign-in steps consume the session: never resent blindly.
            let response = self.send(&request, Idempotency::NonIdempotent).await?;
            let now = self.io.now();
            let progress = sign_in.process(
                response.status,
                &response.headers,
                response.body.as_bytes(),
                now,
            );
            match progress {
                Ok(Progress::Send(next)) => request = next,
                Ok(Progress::NeedSrpA) => {
                    let (id, public_a) = self.srp_prepare(true).await?;
                    request = sign_in.answer_srp_a(&public_a)?;
                    ids.push((public_a, id));
                    device_a = ids.last().map(|(a, _)| a.clone());
                }
                Ok(Progress::Compute(job)) => {
                    let at = ids.iter().position(|(a, _)| *a == job.public_a);
                    let Some((_, id)) = at.map(|i| ids.swap_remove(i)) else {
                        return Err(Error::SrpBackend {
                            reason: "no SRP ephemeral for this challenge".to_owned(),
                        });
                    };
                    let device = device_a.as_deref() == Some(job.public_a.as_str());
                    let (signature, timestamp) = self.srp_answer(&id, &job, device).await?;
                    request = sign_in.answer_srp(&signature, &timestamp)?;
                }
                // WEB_AUTHN: the passkey ceremony is an effect, answered at
                // once ("Passkey sign-in"); where the host has no WebAuthn
                // the step goes to the app, which may answer it with
                // `confirmSignIn({ credential })`.
                Ok(Progress::Next(step)) if step.challenge == ChallengeName::WebAuthn => {
                    let options = step
                        .parameters
                        .iter()
                        .find(|(k, _)| k == "CREDENTIAL_REQUEST_OPTIONS")
                        .map(|(_, v)| v.clone());
                    let outcome = match options {
                        Some(o) => self.webauthn("get", o).await,
                        None => Err(Error::Passkey {
                            code: "PasskeyNotSupported",
                            reason: String::new(),
                        }),
                    };
                    match outcome {
                        Ok(credential) => {
                            request = sign_in.answer(Answer::WebAuthn(&credential))?
                        }
                        Err(Error::Passkey {
                            code: "PasskeyNotSupported",
                            ..
                        }) => {
                            *self.inner().pending.borrow_mut() = Some((sign_in, typed));
                            return Ok(Step::Next(step));
                        }
                        // Cancelled or failed: the challenge stays open (until
                        // Cognito's session expires) for another try.
                        Err(e) => {
                            *self.inner().pending.borrow_mut() = Some((sign_in, typed));
                            return Err(e);
                        }
                    }
                }
                Ok(Progress::Next(step)) => {
                    *self.inner().pending.borrow_mut() = Some((sign_in, typed));
                    return Ok(Step::Next(step));
                }
                Ok(Progress::Done(done)) => return self.finish(&sign_in, &typed, done).await,
                Err(e) if sign_in.is_stale_device(&e) => {
                    let keys = &self.inner().keys;
                    self.io.remove(&keys.device(&typed)).await?;
                    self.io.remove(&keys.device(sign_in.username())).await?;
                    if sign_in.starts_with_srp() {
                        let (id, public_a) = self.srp_prepare(false).await?;
                        ids.push((public_a.clone(), id));
                        sign_in.set_prepared_a(public_a);
                    }
                    request = sign_in.restart_without_device()?;
                }
                Err(e) => {
                    if sign_in.awaits_answer() {
                        *self.inner().pending.borrow_mut() = Some((sign_in, typed));
                    }
                    return Err(e);
                }
            }
        }
    }

    /// Stores the session of a finished sign-in, confirming a new device
    /// first when configured to. The device is remembered under the
    /// canonical username and under what the user typed (an alias).
    fn finish<'a>(
        &'a self,
        sign_in: &'a SignIn,
        typed: &'a str,
        done: SignedIn,
    ) -> LocalFuture<'a, Result<Step, Error>> {
        Box::pin(async move {
            let SignedIn { tokens, new_device } = done;
            let mut record = SessionRecord::new(tokens, sign_in.username(), Source::Api, None);
            if let (Some(device), true) = (new_device, self.config().remember_devices) {
                // A device that cannot be confirmed only costs the next sign-in
                // its MFA skip; the sign-in itself has succeeded.
                if let Ok(remembered) = self
                    .confirm_device(&record, &device.key, &device.group_key)
                    .await
                {
                    record.device_key = Some(remembered.key.clone());
                    let stored = DeviceRecord(remembered).to_storage_string();
                    for name in [record.username.as_str(), typed] {
                        let _ = self.io.set(&self.inner().keys.device(name), &stored).await;
                    }
                }
            } else if let Some(d) = self.load_device(typed).await.ok().flatten() {
                record.device_key = Some(d.key);
            }
            self.save_session(record.clone()).await?;
            self.emit("signedIn").await;
            Ok(Step::Done(record))
        })
    }

    /// `ConfirmDevice` with a fresh verifier from the SRP module (Amazon
    /// Cognito Developer Guide, "Working with user devices in your user
    /// pool").
    fn confirm_device<'a>(
        &'a self,
        record: &'a SessionRecord,
        key: &'a str,
        group_key: &'a str,
    ) -> LocalFuture<'a, Result<RememberedDevice, Error>> {
        Box::pin(async move {
            let op = Obj::new()
                .set("op", "deviceVerifier")
                .set("groupKey", group_key)
                .set("key", key);
            let v = self.srp(op).await?;
            let verifier = DeviceVerifier {
                password: Zeroizing::new(field(&v, "password")?.to_owned()),
                salt_b64: field(&v, "salt")?.to_owned(),
                verifier_b64: field(&v, "verifier")?.to_owned(),
            };
            let request = self.config().pool.confirm_device_request(
                &record.tokens.access_token,
                key,
                &verifier,
                None,
            );
            let response = self.send(&request, Idempotency::Idempotent).await?;
            process_confirm_device_response(
                response.status,
                &response.headers,
                response.body.as_bytes(),
            )?;
            Ok(RememberedDevice {
                key: key.to_owned(),
                group_key: group_key.to_owned(),
                password: verifier.password.clone(),
            })
        })
    }
}
