//! The verifier that `ConfirmDevice` registers for a remembered device.
//!
//! A device authenticates later with the same SRP as a user
//! (`DEVICE_SRP_AUTH` / `DEVICE_PASSWORD_VERIFIER`), with the device group key
//! as the realm, the device key as the identity and a random password that
//! only the device keeps. See "Working with user devices in your user pool".

use crate::prelude::*;

use super::bignum::Num;
use super::engine::Residue;
use super::hashing::{minimal_be_bytes, pad_be, x_hash};
use crate::Error;
use base64ct::{Base64, Encoding};
use zeroize::Zeroizing;

/// What `ConfirmDevice` needs, plus the secret the device keeps.
pub struct DeviceVerifier {
    /// The device's random password (base64 of 40 random bytes). Secret:
    /// store it with the device key, never send it.
    pub password: Zeroizing<String>,
    /// `DeviceSecretVerifierConfig.Salt`: base64 of the padded salt bytes.
    pub salt_b64: String,
    /// `DeviceSecretVerifierConfig.PasswordVerifier`: base64 of the padded
    /// verifier bytes `v = g^x mod N`.
    pub verifier_b64: String,
}

impl core::fmt::Debug for DeviceVerifier {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("DeviceVerifier")
            .field("salt_b64", &self.salt_b64)
            .finish_non_exhaustive()
    }
}

/// A fresh device password, salt and verifier for `device_key` in
/// `device_group_key` (both from `NewDeviceMetadata` in the sign-in result).
pub fn generate_device_verifier(
    device_group_key: &str,
    device_key: &str,
) -> Result<DeviceVerifier, Error> {
    let mut pw = Zeroizing::new([0u8; 40]);
    let mut salt = [0u8; 16];
    getrandom::fill(&mut pw[..]).map_err(|_| Error::Random)?;
    getrandom::fill(&mut salt).map_err(|_| Error::Random)?;
    let password = Zeroizing::new(Base64::encode_string(&pw[..]));
    device_verifier_with(device_group_key, device_key, password, &salt)
}

/// [`generate_device_verifier`] with a given password and salt (for tests).
pub fn device_verifier_with(
    device_group_key: &str,
    device_key: &str,
    password: Zeroizing<String>,
    salt: &[u8],
) -> Result<DeviceVerifier, Error> {
    if device_group_key.is_empty() || device_key.is_empty() {
        return Err(Error::EmptyArgument {
            field: "device key",
        });
    }
    let salt_bytes = minimal_be_bytes(&Num::from_be_bytes(salt));
    let x = x_hash(device_group_key, device_key, &password, salt);
    let v = Residue::pow_g_256(&x).to_be_bytes();
    Ok(DeviceVerifier {
        password,
        salt_b64: Base64::encode_string(&salt_bytes),
        verifier_b64: Base64::encode_string(&pad_be(&v[..])),
    })
}
