//! wasm-bindgen bindings: convert JS values to core types and back, map
//! errors. No protocol logic lives here.

mod account;
mod auth;
mod error;
mod hosted; // hosted UI
mod jwt; // hosted UI: JwtVerifier
mod oauth; // hosted UI: server-side functions
mod srp;
pub(crate) mod value;
