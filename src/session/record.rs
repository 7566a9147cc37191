//! The stored records: a session (tokens + who + how they were obtained) and
//! a remembered device. Stored as compact JSON; a corrupt or foreign record
//! reads as absent (signed out), never as an error that blocks sign-in.

use crate::prelude::*;

use crate::cognito::{RememberedDevice, TokenSet};
use crate::json::Json;
use crate::jwt::decode_jwt;
use zeroize::Zeroizing;

/// The largest session record read back: three tokens at the JWT limit
/// ([`crate::jwt::MAX_JWT_BYTES`], which Cognito's few-KiB tokens are far
/// below) and the record's own fields.
pub const MAX_RECORD_BYTES: usize = 3 * crate::jwt::MAX_JWT_BYTES + 4096;

/// How the session's tokens were obtained, which decides how they are
/// refreshed and how sign-out works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The user-pool JSON API (`InitiateAuth`): refreshed with
    /// `GetTokensFromRefreshToken` / `REFRESH_TOKEN_AUTH`, revoked with
    /// `RevokeToken`.
    Api,
    /// The hosted UI (`/oauth2/token`): refreshed and revoked at the OAuth
    /// endpoints, signed out at `/logout`.
    OAuth,
}

impl Source {
    fn as_str(self) -> &'static str {
        match self {
            Source::Api => "api",
            Source::OAuth => "oauth",
        }
    }
}

/// A signed-in session as stored.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionRecord {
    /// The tokens.
    pub tokens: TokenSet,
    /// The canonical username (the access token's `username` claim).
    pub username: String,
    /// How the tokens were obtained.
    pub source: Source,
    /// The remembered device the session signed in with, if any (sent with
    /// refresh requests, as Cognito requires for device-bound tokens).
    pub device_key: Option<String>,
}

impl core::fmt::Debug for SessionRecord {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SessionRecord")
            .field("tokens", &self.tokens)
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

/// The `username` claim of an access token (`cognito:username` of an ID
/// token), unverified: for storage keys and `SECRET_HASH` only.
pub(crate) fn username_of(tokens: &TokenSet) -> Option<String> {
    let claim = |token: &str, key: &str| {
        decode_jwt(token)
            .ok()?
            .claims
            .get(key)
            .and_then(Json::as_str)
            .map(str::to_owned)
    };
    claim(&tokens.access_token, "username").or_else(|| claim(&tokens.id_token, "cognito:username"))
}

impl SessionRecord {
    /// A record for freshly obtained `tokens`; the username comes from the
    /// access token, else `fallback` (what the user typed).
    pub fn new(
        tokens: TokenSet,
        fallback: &str,
        source: Source,
        device_key: Option<String>,
    ) -> Self {
        let username = username_of(&tokens).unwrap_or_else(|| fallback.to_owned());
        SessionRecord {
            tokens,
            username,
            source,
            device_key,
        }
    }

    /// The JSON text to store.
    pub fn to_storage_string(&self) -> String {
        let mut members = vec![
            ("v".to_owned(), Json::Number("1".to_owned())),
            (
                "source".to_owned(),
                Json::String(self.source.as_str().to_owned()),
            ),
            ("username".to_owned(), Json::String(self.username.clone())),
            (
                "tokens".to_owned(),
                Json::String(self.tokens.to_storage_string()),
            ),
        ];
        if let Some(d) = &self.device_key {
            members.push(("device".to_owned(), Json::String(d.clone())));
        }
        Json::Object(members).to_json_string()
    }

    /// Reads [`SessionRecord::to_storage_string`]'s output; `None` if corrupt
    /// or larger than [`MAX_RECORD_BYTES`] (tampered storage, or a record
    /// posted on the tabs' channel: it is not parsed at all).
    pub fn from_storage_string(text: &str) -> Option<SessionRecord> {
        if text.len() > MAX_RECORD_BYTES {
            return None;
        }
        let j = Json::parse(text.as_bytes())?;
        if j.get("v").and_then(Json::as_f64) != Some(1.0) {
            return None;
        }
        let source = match j.get("source")?.as_str()? {
            "api" => Source::Api,
            "oauth" => Source::OAuth,
            _ => return None,
        };
        Some(SessionRecord {
            tokens: TokenSet::from_storage_string(j.get("tokens")?.as_str()?)?,
            username: j.get("username")?.as_str()?.to_owned(),
            source,
            device_key: j.get("device").and_then(Json::as_str).map(str::to_owned),
        })
    }
}

/// A remembered device as stored: its key, group and the random device
/// password whose verifier Cognito holds (`ConfirmDevice`).
#[derive(Clone)]
pub struct DeviceRecord(pub RememberedDevice);

impl DeviceRecord {
    /// The JSON text to store.
    pub fn to_storage_string(&self) -> String {
        Json::Object(vec![
            ("key".to_owned(), Json::String(self.0.key.clone())),
            ("group".to_owned(), Json::String(self.0.group_key.clone())),
            (
                "password".to_owned(),
                Json::String(String::clone(&self.0.password)),
            ),
        ])
        .to_json_string()
    }

    /// Reads [`DeviceRecord::to_storage_string`]'s output; `None` if corrupt.
    pub fn from_storage_string(text: &str) -> Option<DeviceRecord> {
        let j = Json::parse(text.as_bytes())?;
        let s = |k: &str| j.get(k).and_then(Json::as_str).map(str::to_owned);
        Some(DeviceRecord(RememberedDevice {
            key: s("key")?,
            group_key: s("group")?,
            password: Zeroizing::new(s("password")?),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens() -> TokenSet {
        TokenSet {
            id_token: "i.d.t".into(),
            access_token: "a.c.t".into(),
            refresh_token: Some("r".into()),
            expires_in: 3600,
            token_type: "Bearer".into(),
            expires_at: 1_700_000_000,
            clock_skew: -3,
        }
    }

    #[test]
    fn session_round_trips() {
        let r = SessionRecord::new(tokens(), "alice", Source::OAuth, Some("dk".into()));
        assert_eq!(r.username, "alice", "undecodable token: fallback username");
        let back = SessionRecord::from_storage_string(&r.to_storage_string()).unwrap();
        assert!(back == r);
    }

    #[test]
    fn corrupt_or_foreign_records_read_as_absent() {
        for text in [
            "",
            "{",
            "null",
            "{\"v\":2}",
            "{\"v\":1,\"source\":\"x\"}",
            "[1]",
        ] {
            assert!(SessionRecord::from_storage_string(text).is_none(), "{text}");
        }
        assert!(DeviceRecord::from_storage_string("{\"key\":1}").is_none());
    }

    #[test]
    fn an_oversized_record_reads_as_absent() {
        // A record at the limit still reads back; one byte of padding more
        // (JSON whitespace, so otherwise valid) does not.
        let text = SessionRecord::new(tokens(), "alice", Source::Api, None).to_storage_string();
        let at_limit = [text.as_str(), &" ".repeat(MAX_RECORD_BYTES - text.len())].concat();
        assert!(SessionRecord::from_storage_string(&at_limit).is_some());
        let over = [at_limit.as_str(), " "].concat();
        assert!(SessionRecord::from_storage_string(&over).is_none());
    }

    #[test]
    fn device_round_trips() {
        let d = DeviceRecord(RememberedDevice {
            key: "us-east-1_x".into(),
            group_key: "g".into(),
            password: Zeroizing::new("p".into()),
        });
        let back = DeviceRecord::from_storage_string(&d.to_storage_string()).unwrap();
        assert_eq!(
            (back.0.key, back.0.group_key, back.0.password.as_str()),
            (d.0.key.clone(), d.0.group_key.clone(), "p")
        );
    }
}
