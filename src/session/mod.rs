//! The signed-in session: what is stored, under which keys, and when tokens
//! need refreshing. Sans-IO: the driver's storage (`get`/`set`/`remove`
//! effects) holds the records.
//!
//! Everything the SDK keeps (tokens, remembered devices, pending hosted-UI
//! transactions) goes through one storage, under keys that start with
//! `cognito-wasm.<clientId>.` ([`Keys`]).

mod keys;
mod record;

pub use keys::Keys;
pub use record::{DeviceRecord, SessionRecord, Source};
