//! Cognito's SRP-6a password verifier, client side (pure, no I/O).
//!
//! Cognito's `USER_SRP_AUTH` flow is SRP-6a (RFC 5054) over the 3072-bit
//! group of RFC 5054 Appendix A with `g = 2`, `k = H(N | g)`, SHA-256, and a
//! session key derived with HKDF (RFC 5869, info `"Caldera Derived Key"`).
//! The client proves the password with `PASSWORD_CLAIM_SIGNATURE`, an
//! HMAC-SHA256 over the pool name, the user id, the server's `SECRET_BLOCK`
//! and a timestamp.
//!
//! See "User pool authentication flow" in the Amazon Cognito Developer Guide
//! (`USER_SRP_AUTH`, `PASSWORD_VERIFIER`) and `RespondToAuthChallenge`.

mod bignum;
mod client;
mod device;
// The constant-time 3072-bit engine: its own crate (srp-engine/), optimised
// for speed while the rest of the wasm is optimised for size.
use cognito_srp_engine as engine;
mod group;
mod hashing;
mod secret_hash;
mod timestamp;

pub use client::{
    answer_password_verifier, password_authentication_key, password_claim_signature, EphemeralKey,
    PasswordClaim, PasswordVerifierChallenge, SplitClaim,
};
pub use device::{device_verifier_with, generate_device_verifier, DeviceVerifier};
pub use group::{generator, k_be_bytes, k_multiplier, modulus, modulus_be_bytes};
pub use hashing::{
    minimal_be_bytes, pad_be, padded_hex, salt_hash_bytes, session_key, u_hash, x_hash,
    x_hash_encoded_salt,
};
pub use secret_hash::secret_hash;
pub use timestamp::cognito_timestamp;

pub use bignum::Num;

/// The pool-name part of a user-pool id (`us-east-1_AbC123` → `AbC123`),
/// which Cognito's SRP uses as the realm in `x` and in the signature.
pub fn pool_name(user_pool_id: &str) -> Result<&str, crate::Error> {
    match user_pool_id.split_once('_') {
        Some((region, name)) if !region.is_empty() && !name.is_empty() => Ok(name),
        _ => Err(crate::Error::InvalidUserPoolId),
    }
}
