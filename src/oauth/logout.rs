//! Cognito's logout endpoint, `GET /logout?client_id=…&logout_uri=…`
//! (Amazon Cognito Developer Guide, "Logout endpoint"): ends the hosted-UI
//! session cookie and redirects to one of the app client's sign-out URLs.
//! This is Cognito's own form, not OpenID RP-initiated logout.

use crate::prelude::*;

use super::endpoint::check_uri;
use super::{form, HostedUi};
use crate::Error;

impl HostedUi {
    /// The URL to navigate to; `logout_uri` must be one of the app client's
    /// allowed sign-out URLs.
    pub fn logout_url(&self, logout_uri: &str) -> Result<String, Error> {
        check_uri("logoutUri", logout_uri)?;
        Ok([
            self.endpoint("/logout"),
            form::serialize(&[("client_id", &self.client_id), ("logout_uri", logout_uri)]),
        ]
        .join("?"))
    }
}
