//! `SECRET_HASH`, required on every user-pool API call for an app client that
//! has a secret: base64(HMAC-SHA256(key = client secret, username | client id)).
//! See "Computing secret hash values" in the Amazon Cognito Developer Guide.

use crate::prelude::*;

use base64ct::{Base64, Encoding};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The `SECRET_HASH` for `username` (after an SRP challenge: the canonical
/// `USERNAME` Cognito returned) and the app client.
pub fn secret_hash(username: &str, client_id: &str, client_secret: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(client_secret.as_bytes())
        .expect("HMAC takes keys of any length");
    mac.update(username.as_bytes());
    mac.update(client_id.as_bytes());
    Base64::encode_string(&mac.finalize().into_bytes())
}
