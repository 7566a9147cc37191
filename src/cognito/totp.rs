//! The `otpauth://totp/…` URI that authenticator apps read from a QR code
//! (Google Authenticator "Key Uri Format"; RFC 6238 defaults: SHA1, 6
//! digits, 30 s, which is what Cognito's `AssociateSoftwareToken` secret
//! uses).

use crate::prelude::*;

/// `otpauth://totp/<issuer>:<account>?secret=<secret>&issuer=<issuer>`,
/// with label and parameters percent-encoded (RFC 3986 unreserved kept).
pub fn otpauth_uri(issuer: &str, account: &str, secret: &str) -> String {
    let mut uri = String::from("otpauth://totp/");
    encode(issuer, &mut uri);
    uri.push(':');
    encode(account, &mut uri);
    uri.push_str("?secret=");
    encode(secret, &mut uri);
    uri.push_str("&issuer=");
    encode(issuer, &mut uri);
    uri
}

fn encode(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
        }
    }
}
