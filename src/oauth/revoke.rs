//! Token revocation, `POST /oauth2/revoke` (RFC 7009; Amazon Cognito
//! Developer Guide, "Revoke endpoint"): Cognito revokes a refresh token and
//! the access and ID tokens issued with it.

use super::response::failure;
use super::HostedUi;
use crate::http::HttpRequest;
use crate::Error;

impl HostedUi {
    /// Revokes `refresh_token` (RFC 7009 §2.1). Cognito only revokes refresh
    /// tokens, so no `token_type_hint` is sent.
    pub fn revoke_request(&self, refresh_token: &str) -> Result<HttpRequest, Error> {
        if refresh_token.is_empty() {
            return Err(Error::EmptyArgument {
                field: "refreshToken",
            });
        }
        Ok(self.form_post("/oauth2/revoke", &[("token", refresh_token)]))
    }
}

/// Processes the revocation response (RFC 7009 §2.2): 200 is success
/// whatever the body (an unknown or already revoked token also gets 200);
/// otherwise the OAuth error (§2.2.1), e.g. `unsupported_token_type`.
pub fn process_revoke_response<K: AsRef<str>, V: AsRef<str>>(
    status: u16,
    headers: &[(K, V)],
    body: &[u8],
) -> Result<(), Error> {
    if status == 200 {
        Ok(())
    } else {
        Err(failure("revoke", status, headers, body))
    }
}
