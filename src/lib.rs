//! # cognito-wasm
//!
//! An Amazon Cognito user-pool authentication SDK: Cognito's SRP password
//! verifier, the hosted-UI authorization-code + PKCE flow and token
//! verification, written as a sans-IO Rust core and compiled to WebAssembly
//! for browsers, Cloudflare Workers, Deno and Node.
//!
//! The core never performs I/O: every public operation is a state machine
//! ([`machine`]) that returns effects as data (an HTTP request, a storage
//! write, an SRP job, …) for a small JS driver to perform, so every
//! protocol decision is tested natively with `cargo test`. The `wasm`
//! module (wasm32 only) is the narrow export surface: two modules are built
//! from this crate, the core (`core-exports`: create, step and drop
//! machines, JSON in and out) and the SRP module (`srp-exports`), fetched
//! only for a password or device sign-in.

// The wasm build is `no_std`: std's panic machinery formats every panic
// message with `core::fmt`, which the modules would carry for nothing (the
// panic handler below aborts). Native builds (tests, the emulator) use std.
#![cfg_attr(all(target_arch = "wasm32", target_os = "unknown", not(test)), no_std)]

extern crate alloc;

pub mod cognito;
pub mod error;
pub mod http;
pub mod json;
pub mod jwt;
pub mod machine;
pub mod oauth;
mod prelude;
pub mod session;
pub mod srp;
pub mod transport;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use error::Error;

/// The wasm's global allocator: Talc instead of Rust's default dlmalloc,
/// several KiB smaller in the module (single-threaded wasm only).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// A panic in the wasm is a bug: it traps (the driver turns the trap into a
/// `CognitoError`), without formatting a message no one reads.
#[cfg(all(target_arch = "wasm32", target_os = "unknown", not(test)))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}
