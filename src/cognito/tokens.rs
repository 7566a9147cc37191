//! The token set of a finished sign-in or refresh (`AuthenticationResultType`
//! in the Amazon Cognito API Reference), when it expires, and how to
//! refresh it: `GetTokensFromRefreshToken` (with refresh-token rotation) or
//! `InitiateAuth` with `REFRESH_TOKEN_AUTH`.

use crate::prelude::*;

use super::pool::{Body, UserPool};
use super::response::{opt_str, process_response, req_str};
use super::CognitoError;
use crate::http::{find_header, HttpRequest};
use crate::json::Json;
use crate::jwt::decode_jwt;
use crate::Error;

/// ID, access and refresh tokens with their expiry on the local clock.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenSet {
    /// `IdToken`.
    pub id_token: String,
    /// `AccessToken`.
    pub access_token: String,
    /// `RefreshToken` (absent from a refresh without rotation: the old one
    /// stays valid and is kept by [`TokenSet::merge_refresh`]).
    pub refresh_token: Option<String>,
    /// `ExpiresIn`, seconds.
    pub expires_in: u64,
    /// `TokenType`, `Bearer`.
    pub token_type: String,
    /// When the access token expires, in seconds since the Unix epoch on
    /// the *local* clock: the earlier of `ExpiresIn` and the token's own
    /// `exp − iat`, counted from when the response arrived.
    pub expires_at: i64,
    /// Server clock minus local clock, in seconds (from the `Date` header,
    /// else the access token's `iat`; 0 if neither is known).
    pub clock_skew: i64,
}

/// Tokens are bearer credentials: `Debug` shows only expiry.
impl core::fmt::Debug for TokenSet {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("TokenSet")
            .field("expires_in", &self.expires_in)
            .field("expires_at", &self.expires_at)
            .field("clock_skew", &self.clock_skew)
            .field("has_refresh_token", &self.refresh_token.is_some())
            .finish_non_exhaustive()
    }
}

fn invalid(operation: &'static str, reason: &'static str) -> Error {
    Error::Cognito(CognitoError::InvalidResponse {
        operation,
        status: 200,
        reason,
    })
}

/// `exp` and `iat` of a JWT's claims (unverified: for timing only).
fn exp_iat(token: &str) -> Option<(i64, i64)> {
    let claims = decode_jwt(token).ok()?.claims;
    let n = |k: &str| claims.get(k).and_then(Json::as_f64).map(|f| f as i64);
    Some((n("exp")?, n("iat")?))
}

/// 2^53 − 1, JavaScript's `Number.MAX_SAFE_INTEGER`.
const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// The access token's lifetime in seconds (the earlier of `expires_in` and
/// its own `exp − iat`) and the clock skew (server minus local: from the
/// `Date` header, else the token's `iat`, else 0). The claims are the
/// server's word and may be anything: the arithmetic saturates, since
/// times beyond i64 once overflowed here (see the fuzz targets).
pub(crate) fn lifetime_and_skew(
    access_token: &str,
    expires_in: u64,
    now: i64,
    date: Option<&str>,
) -> (i64, i64) {
    let expires_in = i64::try_from(expires_in).unwrap_or(i64::MAX);
    let claims = exp_iat(access_token);
    let lifetime = match claims {
        Some((exp, iat)) if exp >= iat => exp.saturating_sub(iat).min(expires_in),
        _ => expires_in,
    };
    let clock_skew = match (date.and_then(parse_http_date), claims) {
        (Some(server), _) => server.saturating_sub(now),
        // A freshly issued token's iat is the server's "now".
        (None, Some((_, iat))) => iat.saturating_sub(now),
        _ => 0,
    };
    // Within the integers JSON numbers (JavaScript's) carry exactly, so a
    // stored session reads back as it was written (the `oauth_response`
    // fuzz target found a skew of ~2^63 that did not).
    (
        lifetime,
        clock_skew.clamp(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER),
    )
}

impl TokenSet {
    /// Reads an `AuthenticationResult` received at local time `now` (Unix
    /// seconds) with the response's `Date` header value, if any.
    pub(crate) fn from_result(
        operation: &'static str,
        result: &Json,
        now: i64,
        date: Option<&str>,
    ) -> Result<TokenSet, Error> {
        let id_token = req_str(operation, result, "IdToken")?;
        let access_token = req_str(operation, result, "AccessToken")?;
        let expires_in = match result.get("ExpiresIn") {
            None => 3600.0,
            Some(v) => v
                .as_f64()
                .filter(|f| *f >= 0.0 && *f <= 1e9)
                .ok_or_else(|| invalid(operation, "ExpiresIn is not a number of seconds"))?,
        } as u64;
        let (lifetime, clock_skew) = lifetime_and_skew(&access_token, expires_in, now, date);
        Ok(TokenSet {
            id_token,
            access_token,
            refresh_token: opt_str(operation, result, "RefreshToken")?,
            expires_in,
            token_type: opt_str(operation, result, "TokenType")?
                .unwrap_or_else(|| "Bearer".to_owned()),
            expires_at: now.saturating_add(lifetime),
            clock_skew,
        })
    }

    /// Whether the access token expires within `margin` seconds of local
    /// time `now` (so refresh before using it).
    pub fn needs_refresh(&self, now: i64, margin: i64) -> bool {
        now.saturating_add(margin) >= self.expires_at
    }

    /// Keeps `previous`'s refresh token when a refresh (without rotation)
    /// returned none.
    pub fn merge_refresh(mut self, previous: &TokenSet) -> TokenSet {
        if self.refresh_token.is_none() {
            self.refresh_token = previous.refresh_token.clone();
        }
        self
    }

    /// A compact JSON string for storage.
    pub fn to_storage_string(&self) -> String {
        Body::new()
            .str("id", &self.id_token)
            .str("access", &self.access_token)
            .opt("refresh", self.refresh_token.as_deref())
            .json(
                "expiresIn",
                Json::Number(crate::error::decimal(self.expires_in)),
            )
            .str("type", &self.token_type)
            .json(
                "expiresAt",
                Json::Number(crate::error::signed_decimal(self.expires_at)),
            )
            .json(
                "skew",
                Json::Number(crate::error::signed_decimal(self.clock_skew)),
            )
            .build()
            .to_json_string()
    }

    /// Reads back [`TokenSet::to_storage_string`]; `None` if it is corrupt
    /// (treat as signed out).
    pub fn from_storage_string(text: &str) -> Option<TokenSet> {
        let j = Json::parse(text.as_bytes())?;
        let s = |k: &str| j.get(k).and_then(Json::as_str).map(str::to_owned);
        let n = |k: &str| j.get(k).and_then(Json::as_f64);
        Some(TokenSet {
            id_token: s("id")?,
            access_token: s("access")?,
            refresh_token: match j.get("refresh") {
                None => None,
                Some(v) => Some(v.as_str()?.to_owned()),
            },
            expires_in: n("expiresIn").filter(|f| *f >= 0.0)? as u64,
            token_type: s("type")?,
            expires_at: n("expiresAt")? as i64,
            clock_skew: n("skew")? as i64,
        })
    }
}

/// Parses an HTTP date in the preferred IMF-fixdate format (RFC 7231
/// §7.1.1.1, `Sun, 06 Nov 1994 08:49:37 GMT`) to Unix seconds.
pub fn parse_http_date(value: &str) -> Option<i64> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    // Byte search, not `split_once(", ")`: a `&str` pattern links core's
    // two-way substring searcher (about 2.5 KiB of wasm).
    let value = value.trim();
    let comma = value.as_bytes().windows(2).position(|w| w == b", ")?;
    let rest = value.get(comma + 2..)?;
    let mut parts = rest.split(' ');
    let (day, month, year, time, zone) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if parts.next().is_some() || zone != "GMT" || day.len() != 2 || year.len() != 4 {
        return None;
    }
    let num = |s: &str| -> Option<i64> {
        s.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| s.parse().ok())?
    };
    let month = MONTHS.iter().position(|m| *m == month)? as i64 + 1;
    let (day, year) = (num(day)?, num(year)?);
    let mut t = time.split(':');
    let (h, m, s) = (num(t.next()?)?, num(t.next()?)?, num(t.next()?)?);
    if t.next().is_some() || !(1..=31).contains(&day) || h > 23 || m > 59 || s > 60 {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + h * 3600 + m * 60 + s)
}

/// Days since 1970-01-01 of a Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

impl UserPool {
    /// `GetTokensFromRefreshToken`: new tokens, and a new refresh token when
    /// the app client rotates them (API Reference,
    /// "GetTokensFromRefreshToken"). The client secret itself goes in
    /// `ClientSecret` here, not a `SECRET_HASH`.
    pub fn get_tokens_from_refresh_token_request(
        &self,
        refresh_token: &str,
        device_key: Option<&str>,
    ) -> HttpRequest {
        let body = Body::new()
            .str("RefreshToken", refresh_token)
            .str("ClientId", self.client_id())
            .opt("ClientSecret", self.client_secret())
            .opt("DeviceKey", device_key)
            .build();
        self.request("GetTokensFromRefreshToken", &body)
    }

    /// `InitiateAuth` with `REFRESH_TOKEN_AUTH` (API Reference,
    /// "InitiateAuth", AuthParameters). With a client secret, `SECRET_HASH`
    /// needs `username`: the access token's `username` claim (for pools
    /// with aliases that is the `sub`, not what the user typed).
    pub fn refresh_token_auth_request(
        &self,
        refresh_token: &str,
        username: &str,
        device_key: Option<&str>,
    ) -> HttpRequest {
        let hash = self.secret_hash(username);
        let mut params = vec![("REFRESH_TOKEN", refresh_token)];
        if let Some(h) = &hash {
            params.push(("SECRET_HASH", h));
        }
        if let Some(d) = device_key {
            params.push(("DEVICE_KEY", d));
        }
        let body = Body::new()
            .str("AuthFlow", "REFRESH_TOKEN_AUTH")
            .str("ClientId", self.client_id())
            .map("AuthParameters", &params)
            .build();
        self.request("InitiateAuth", &body)
    }
}

/// Processes a refresh response (from either request above, named by
/// `operation`) received at local time `now`: the new token set, keeping
/// `previous`'s refresh token if none was returned.
pub fn process_refresh_response<K: AsRef<str>, V: AsRef<str>>(
    operation: &'static str,
    status: u16,
    headers: &[(K, V)],
    body: &[u8],
    now: i64,
    previous: &TokenSet,
) -> Result<TokenSet, Error> {
    let json = process_response(operation, status, headers, body)?;
    let result = json
        .get("AuthenticationResult")
        .filter(|r| r.is_object())
        .ok_or(Error::Cognito(CognitoError::NoResult { operation }))?;
    let date = find_header(headers, "date");
    Ok(TokenSet::from_result(operation, result, now, date)?.merge_refresh(previous))
}
