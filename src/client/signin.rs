//! Running a [`SignIn`] (InitiateAuth / RespondToAuthChallenge, Amazon
//! Cognito API Reference) to its end: requests the SDK answers itself (SRP,
//! device SRP, MFA setup) are sent at once; a challenge for the user is
//! returned as a [`Step::Next`] and kept until `confirmSignIn`.
//!
//! On success the new device is confirmed (`ConfirmDevice`, as
//! amazon-cognito-identity-js does) and the session is stored; a stale
//! remembered device (`ResourceNotFoundException`) is forgotten and the
//! sign-in started again without it.

use super::{now, Client};
use crate::cognito::{
    process_confirm_device_response, Answer, AuthFlow, ChallengeName, NextStep, Progress,
    RememberedDevice, SignIn, SignInOptions, SignedIn, SrpSetup,
};
use crate::oauth::HttpRequest;
use crate::session::{DeviceRecord, SessionRecord, Source};
use crate::srp::generate_device_verifier;
use crate::transport::Idempotency;
use crate::Error;
use wasm_bindgen::JsValue;
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

impl Client {
    async fn load_device(&self, username: &str) -> Result<Option<RememberedDevice>, Error> {
        let key = self.0.keys.device(username);
        let stored = self.0.config.storage.get(&key).await?;
        Ok(stored
            .as_deref()
            .and_then(DeviceRecord::from_storage_string)
            .map(|d| d.0))
    }

    /// The challenge the pending sign-in waits for, if any.
    pub fn pending_challenge(&self) -> Option<crate::cognito::ChallengeName> {
        self.0
            .pending
            .borrow()
            .as_ref()
            .and_then(|(s, _)| s.pending_challenge())
    }

    /// The canonical username of the pending sign-in, if any.
    pub fn pending_username(&self) -> Option<String> {
        self.0
            .pending
            .borrow()
            .as_ref()
            .map(|(s, _)| s.username().to_owned())
    }

    /// Starts a sign-in (abandoning any pending one).
    pub async fn sign_in(&self, args: SignInArgs, signal: Option<&JsValue>) -> Result<Step, Error> {
        self.0.pending.borrow_mut().take();
        let device = self.load_device(&args.username).await?;
        let flow = args
            .flow
            .clone()
            .unwrap_or_else(|| self.0.config.default_flow.clone());
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
        let setup = if uses_srp {
            self.srp_setup().await?
        } else {
            SrpSetup::default()
        };
        let (sign_in, request) = SignIn::start_with_srp(
            &self.0.config.pool,
            SignInOptions {
                username: &args.username,
                password: args.password.as_deref().map(String::as_str),
                flow: &flow,
                device: device.as_ref(),
                client_metadata: &metadata,
            },
            setup,
        )?;
        self.drive(sign_in, args.username, request, signal).await
    }

    /// Answers the pending step.
    pub async fn confirm_sign_in(
        &self,
        answer: Answer<'_>,
        signal: Option<&JsValue>,
    ) -> Result<Step, Error> {
        let (mut sign_in, typed) = self
            .0
            .pending
            .borrow_mut()
            .take()
            .ok_or(Error::NoSignInInProgress)?;
        match sign_in.answer(answer) {
            Ok(request) => self.drive(sign_in, typed, request, signal).await,
            Err(e) => {
                // A wrong kind of answer leaves the step waiting.
                if sign_in.awaits_answer() {
                    *self.0.pending.borrow_mut() = Some((sign_in, typed));
                }
                Err(e)
            }
        }
    }

    async fn drive(
        &self,
        mut sign_in: SignIn,
        typed: String,
        mut request: HttpRequest,
        signal: Option<&JsValue>,
    ) -> Result<Step, Error> {
        loop {
            // Sign-in steps consume the session: never resent blindly.
            let response = self
                .send(&request, Idempotency::NonIdempotent, signal)
                .await?;
            let progress = sign_in.process(
                response.status,
                &response.headers,
                response.body.as_bytes(),
                now(),
            );
            match progress {
                Ok(Progress::Send(next)) => request = next,
                Ok(Progress::Compute(job)) => {
                    let (signature, timestamp) = self.compute_srp(&job).await?;
                    request = sign_in.answer_srp(&signature, &timestamp)?;
                }
                Ok(Progress::Next(step)) => {
                    *self.0.pending.borrow_mut() = Some((sign_in, typed));
                    return Ok(Step::Next(step));
                }
                Ok(Progress::Done(done)) => {
                    return self.finish(&sign_in, &typed, done, signal).await
                }
                Err(e) if sign_in.is_stale_device(&e) => {
                    let storage = &self.0.config.storage;
                    storage.remove(&self.0.keys.device(&typed)).await?;
                    storage
                        .remove(&self.0.keys.device(sign_in.username()))
                        .await?;
                    request = sign_in.restart_without_device()?;
                }
                Err(e) => {
                    if sign_in.awaits_answer() {
                        *self.0.pending.borrow_mut() = Some((sign_in, typed));
                    }
                    return Err(e);
                }
            }
        }
    }

    /// Stores the session of a finished sign-in, confirming a new device
    /// first when configured to. The device is remembered under the
    /// canonical username and under what the user typed (an alias), so the
    /// next sign-in finds it either way.
    async fn finish(
        &self,
        sign_in: &SignIn,
        typed: &str,
        done: SignedIn,
        signal: Option<&JsValue>,
    ) -> Result<Step, Error> {
        let SignedIn { tokens, new_device } = done;
        let mut record = SessionRecord::new(tokens, sign_in.username(), Source::Api, None);
        if let (Some(device), true) = (new_device, self.0.config.remember_devices) {
            // A device that cannot be confirmed only costs the next sign-in
            // its MFA skip; the sign-in itself has succeeded.
            if let Ok(remembered) = self
                .confirm_device(&record, &device.key, &device.group_key, signal)
                .await
            {
                record.device_key = Some(remembered.key.clone());
                let stored = DeviceRecord(remembered).to_storage_string();
                let storage = &self.0.config.storage;
                for name in [record.username.as_str(), typed] {
                    let _ = storage.set(&self.0.keys.device(name), &stored).await;
                }
            }
        } else if let Some(d) = self.load_device(typed).await.ok().flatten() {
            record.device_key = Some(d.key);
        }
        self.save_session(record.clone()).await?;
        self.emit("signedIn", &JsValue::UNDEFINED);
        Ok(Step::Done(record))
    }

    /// `ConfirmDevice` with a fresh verifier (Amazon Cognito Developer
    /// Guide, "Working with user devices in your user pool").
    async fn confirm_device(
        &self,
        record: &SessionRecord,
        key: &str,
        group_key: &str,
        signal: Option<&JsValue>,
    ) -> Result<RememberedDevice, Error> {
        let verifier = generate_device_verifier(group_key, key)?;
        let request = self.0.config.pool.confirm_device_request(
            &record.tokens.access_token,
            key,
            &verifier,
            None,
        );
        let response = self.send(&request, Idempotency::Idempotent, signal).await?;
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
    }
}
