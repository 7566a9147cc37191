//! The pending sign-in between the redirect to `/oauth2/authorize` and the
//! callback: what must be remembered to finish it, and a compact string form
//! for storage (sessionStorage by default).
//!
//! The string form is itself form-encoded (`v=1&state=…&…`): it reuses the
//! encoder the authorize URL needs anyway, so storing it costs no JSON
//! writer, and it names its fields so later versions can add some.

use crate::prelude::*;

use super::{form, pkce, OAuthError};
use crate::Error;

/// The current string format; [`Transaction::parse`] refuses others.
const VERSION: &str = "1";

/// A pending hosted-UI sign-in. Single-use: remove it from storage as soon as
/// its callback arrives, before exchanging the code, whatever the outcome.
#[derive(Clone, PartialEq, Eq)]
pub struct Transaction {
    /// The `state` sent (RFC 6749 §4.1.1), echoed by the callback.
    pub state: String,
    /// The `nonce` sent (OIDC Core §3.1.2.1), echoed in the ID token.
    pub nonce: String,
    /// The PKCE `code_verifier` (RFC 7636 §4.1), sent with the code.
    pub code_verifier: String,
    /// The `redirect_uri` sent, which the token request must repeat (RFC 6749
    /// §4.1.3).
    pub redirect_uri: String,
    /// When the sign-in started, in seconds since the Unix epoch.
    pub created_at: u64,
    /// The application's own data, handed back after the callback (never
    /// sent to the server).
    pub app_state: Option<String>,
}

/// The verifier, state and nonce are secrets until used: `Debug` omits them.
impl core::fmt::Debug for Transaction {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Transaction")
            .field("redirect_uri", &self.redirect_uri)
            .field("created_at", &self.created_at)
            .finish_non_exhaustive()
    }
}

impl Transaction {
    /// The string to store.
    pub fn to_storage_string(&self) -> String {
        let created = crate::error::decimal(self.created_at);
        let mut pairs = vec![
            ("v", VERSION),
            ("state", self.state.as_str()),
            ("nonce", self.nonce.as_str()),
            ("code_verifier", self.code_verifier.as_str()),
            ("redirect_uri", self.redirect_uri.as_str()),
            ("created_at", created.as_str()),
        ];
        if let Some(app) = &self.app_state {
            pairs.push(("app_state", app.as_str()));
        }
        form::serialize(&pairs)
    }

    /// Reads back [`Transaction::to_storage_string`]'s output; anything else
    /// (tampered, truncated, another version) is
    /// [`OAuthError::InvalidTransaction`].
    pub fn parse(stored: &str) -> Result<Transaction, Error> {
        let bad = || Error::OAuth(OAuthError::InvalidTransaction);
        let pairs = form::parse(stored).ok_or_else(bad)?;
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        if get("v").as_deref() != Some(VERSION) {
            return Err(bad());
        }
        let required = |name: &str| get(name).filter(|v| !v.is_empty()).ok_or_else(bad);
        let tx = Transaction {
            state: required("state")?,
            nonce: required("nonce")?,
            code_verifier: required("code_verifier")?,
            redirect_uri: required("redirect_uri")?,
            created_at: required("created_at")?.parse().map_err(|_| bad())?,
            app_state: get("app_state"),
        };
        if !pkce::is_valid_code_verifier(&tx.code_verifier) {
            return Err(bad());
        }
        Ok(tx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Transaction {
        Transaction {
            state: "st-1".into(),
            nonce: "n_2".into(),
            code_verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".into(),
            redirect_uri: "https://app.example/cb?x=1&y=a b".into(),
            created_at: 1_763_780_000,
            app_state: Some("{\"returnTo\":\"/orders?id=7&x\"}".into()),
        }
    }

    #[test]
    fn round_trips_through_its_string_form() {
        for tx in [
            sample(),
            Transaction {
                app_state: None,
                ..sample()
            },
        ] {
            let s = tx.to_storage_string();
            assert_eq!(Transaction::parse(&s).unwrap(), tx);
        }
    }

    #[test]
    fn corrupt_strings_are_refused() {
        let s = sample().to_storage_string();
        let cases = [
            String::new(),
            "garbage".into(),
            s.replace("v=1", "v=2"),
            s.replace("created_at=", "created_at=x"),
            s.replace("code_verifier=dB", "code_verifier=%2B"),
            s.replace("state=st-1", "state="),
            s[..s.len() / 2].to_owned(),
            s.replace("nonce=n_2", "nonce=%ZZ"),
        ];
        for c in cases {
            assert_eq!(
                Transaction::parse(&c).unwrap_err().code(),
                "OAuthInvalidTransaction",
                "{c}"
            );
        }
    }

    #[test]
    fn debug_output_hides_secrets() {
        let d = format!("{:?}", sample());
        assert!(!d.contains("dBjft") && !d.contains("st-1") && !d.contains("n_2"));
    }
}
