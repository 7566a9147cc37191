//! # cognito-wasm
//!
//! An Amazon Cognito user-pool authentication SDK: Cognito's SRP password
//! verifier, the hosted-UI authorization-code + PKCE flow and token
//! verification, written as a sans-IO Rust core and compiled to WebAssembly
//! for browsers, Cloudflare Workers, Deno and Node.
//!
//! The core never performs I/O: every protocol step builds a request or
//! processes a response, so it is tested natively with `cargo test`. The
//! `js` module (wasm32 only) is a thin wasm-bindgen layer over it.

#[cfg(target_arch = "wasm32")]
pub mod client;
pub mod cognito;
pub mod error;
pub mod jwt;
pub mod oauth;
pub mod session;
pub mod srp;
pub mod transport;

#[cfg(target_arch = "wasm32")]
mod js;

pub use error::Error;

/// The wasm's global allocator: Talc instead of Rust's default dlmalloc,
/// several KiB smaller in the module (single-threaded wasm only).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
