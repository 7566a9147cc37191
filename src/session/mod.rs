//! The signed-in session: what is stored, under which keys, and when tokens
//! need refreshing. Sans-IO; the storage backends that read and write the
//! records live in [`storage`] (wasm only).
//!
//! Everything the SDK keeps (tokens, remembered devices, pending hosted-UI
//! transactions) goes through one storage, under keys that start with
//! `cognito-wasm.<clientId>.` ([`Keys`]).

mod keys;
mod record;
#[cfg(target_arch = "wasm32")]
pub mod storage;

pub use keys::Keys;
pub use record::{DeviceRecord, SessionRecord, Source};
