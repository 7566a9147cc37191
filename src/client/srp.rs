//! Where a sign-in's SRP math runs (Cognito `USER_SRP_AUTH`, RFC 5054
//! SRP-6a). By default here, in wasm, with the ephemeral `a`, `A = g^a`
//! generated when the sign-in starts. Two options move work elsewhere:
//!
//! - `prepareSignIn()` computes the next sign-in's ephemeral ahead (e.g.
//!   when the form is shown), so only `g^x` and `S` are left after the
//!   `PASSWORD_VERIFIER` challenge arrives. Single use.
//! - the `srp` option, a backend object with `prepare()` →
//!   `{ publicA, id }` and `answer(id, params)` → `{ signature, timestamp }`
//!   (`createSrpOffload()`: a Web Worker running the same wasm, so the
//!   page's main thread is not blocked; `a` never leaves the worker).
//!   `CognitoAuth` in a browser page passes one by default (pkg/auth.js).

use super::Client;
use crate::cognito::{PreparedSrp, SrpJob, SrpSetup};
use crate::js::value::{get, Obj};
use crate::srp::EphemeralKey;
use crate::Error;
use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// An ephemeral ready for the next sign-in.
pub(crate) enum Ready {
    /// `a` held here.
    Local(Box<EphemeralKey>),
    /// `a` held by the backend under `id`.
    Remote { public_a: String, id: JsValue },
}

/// The backend's failure as the SDK's error: its own code where it is one
/// of the SRP core's, else `SrpWorkerFailed` with its message.
fn backend_error(e: &JsValue) -> Error {
    let code = get(e, "code").as_string().unwrap_or_default();
    match code.as_str() {
        "InvalidSrpB" => Error::InvalidSrpB,
        "InvalidSrpU" => Error::InvalidSrpU,
        "TimeoutError" => Error::Timeout,
        _ => Error::SrpBackend {
            reason: get(e, "message")
                .as_string()
                .unwrap_or_else(|| "the SRP backend failed".to_owned()),
        },
    }
}

/// `backend[method](...args)`, awaited.
async fn call(backend: &JsValue, method: &str, args: &[JsValue]) -> Result<JsValue, Error> {
    let f: Function = Reflect::get(backend, &method.into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or(Error::InvalidArgument {
            field: "srp",
            reason: "must have prepare() and answer() methods",
        })?;
    let args: js_sys::Array = args.iter().collect();
    let result = f.apply(backend, &args).map_err(|e| backend_error(&e))?;
    JsFuture::from(Promise::resolve(&result))
        .await
        .map_err(|e| backend_error(&e))
}

impl Client {
    async fn make_ready(&self) -> Result<Ready, Error> {
        match &self.0.config.srp_backend {
            Some(backend) => {
                let prepared = call(backend, "prepare", &[]).await?;
                let public_a = get(&prepared, "publicA")
                    .as_string()
                    .ok_or(Error::SrpBackend {
                        reason: "prepare() gave no publicA".to_owned(),
                    })?;
                Ok(Ready::Remote {
                    public_a,
                    id: get(&prepared, "id"),
                })
            }
            None => Ok(Ready::Local(Box::new(EphemeralKey::generate()?))),
        }
    }

    /// Prepares the next sign-in's SRP ephemeral now (replacing one
    /// prepared earlier and not used).
    pub async fn prepare_sign_in(&self) -> Result<(), Error> {
        let ready = self.make_ready().await?;
        let replaced = self.0.srp_ready.borrow_mut().replace(ready);
        if let Some(Ready::Remote { id, .. }) = replaced {
            if let Some(b) = &self.0.config.srp_backend {
                let _ = call(b, "dispose", &[id]).await;
            }
        }
        Ok(())
    }

    /// The SRP set-up of a sign-in that uses SRP: a prepared ephemeral if
    /// there is one, the backend's if configured, else the inline default.
    pub(super) async fn srp_setup(&self) -> Result<SrpSetup, Error> {
        let ready = self.0.srp_ready.borrow_mut().take();
        let ready = match ready {
            Some(r) => r,
            None if self.0.config.srp_backend.is_some() => self.make_ready().await?,
            None => return Ok(SrpSetup::default()),
        };
        Ok(match ready {
            Ready::Local(key) => SrpSetup {
                prepared: Some(PreparedSrp::Local(key)),
                offload: false,
            },
            Ready::Remote { public_a, id } => {
                *self.0.srp_in_use.borrow_mut() = Some(id);
                SrpSetup {
                    prepared: Some(PreparedSrp::Remote { public_a }),
                    offload: true,
                }
            }
        })
    }

    /// The `PASSWORD_VERIFIER` claim for `job`: `(signature, timestamp)`.
    pub(super) async fn compute_srp(&self, job: &SrpJob) -> Result<(String, String), Error> {
        if job.ephemeral.is_some() {
            let claim = job.compute()?;
            return Ok((claim.signature, claim.timestamp));
        }
        let id = self.0.srp_in_use.borrow_mut().take();
        let (Some(backend), Some(id)) = (&self.0.config.srp_backend, id) else {
            return Err(Error::SrpBackend {
                reason: "no prepared SRP ephemeral for this challenge".to_owned(),
            });
        };
        let challenge: JsValue = Obj::new()
            .set("SALT", job.salt.as_str())
            .set("SRP_B", job.srp_b.as_str())
            .set("SECRET_BLOCK", job.secret_block.as_str())
            .set("USER_ID_FOR_SRP", job.user_id_for_srp.as_str())
            .into();
        let params: JsValue = Obj::new()
            .set("userPoolId", self.0.config.pool.pool_id())
            .set("password", job.password.as_str())
            .set("challengeParameters", challenge)
            .set("now", js_sys::Date::now())
            .into();
        let claim = call(backend, "answer", &[id, params]).await?;
        let field = |k: &str| {
            get(&claim, k).as_string().ok_or(Error::SrpBackend {
                reason: "answer() gave no signature or timestamp".to_owned(),
            })
        };
        Ok((field("signature")?, field("timestamp")?))
    }
}
