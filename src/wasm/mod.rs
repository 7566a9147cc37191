//! The narrow export surface of the two wasm modules built from this
//! crate (each with its own cargo feature, so each carries only what its
//! exports reach):
//!
//! - `core-exports` ([`machines`]): open a client or verifier from its
//!   options, start an operation's machine, step it with the driver's
//!   input, drop it. Inputs and outputs are JSON strings read and written
//!   by the core's own JSON code: no per-field marshalling, no closures, no
//!   promise in the wasm.
//! - `srp-exports` ([`srp`]): the SRP math (ephemerals, the
//!   `PASSWORD_VERIFIER` claim, device verifiers), loaded only for a
//!   password or device sign-in and for the low-level `srp` API.

#[cfg(feature = "srp-exports")]
mod error;
#[cfg(feature = "core-exports")]
mod machines;
#[cfg(feature = "srp-exports")]
mod srp;
