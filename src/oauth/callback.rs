//! The authorization response (RFC 6749 §4.1.2 and §4.1.2.1): reading the
//! callback URL, tying it to the pending transaction (`state`, RFC 6749
//! §10.12; `iss`, RFC 9207 §2.4), and cleaning it from the address bar.

use crate::prelude::*;

use super::{form, OAuthError, Transaction};
use crate::jwt::ct_eq;
use crate::Error;

/// The parameters this SDK reads from a callback, removed again by
/// [`clean_callback_url`].
const RESPONSE_PARAMS: [&str; 6] = [
    "code",
    "state",
    "error",
    "error_description",
    "error_uri",
    "iss",
];

/// How long a transaction stays valid by default, in seconds: enough to
/// sign up and confirm an email inside the hosted UI, short enough that a
/// forgotten tab's transaction is useless.
pub const DEFAULT_TRANSACTION_MAX_AGE: u64 = 30 * 60;

/// The authorization response parameters of a callback URL.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct CallbackParams {
    /// `code` (§4.1.2): the authorization code.
    pub code: Option<String>,
    /// `state` (§4.1.2): must equal the transaction's.
    pub state: Option<String>,
    /// `error` (§4.1.2.1), e.g. `access_denied`.
    pub error: Option<String>,
    /// `error_description` (§4.1.2.1).
    pub error_description: Option<String>,
    /// `iss` (RFC 9207 §2): the issuer, when the server sends it.
    pub iss: Option<String>,
}

/// The code is a credential: `Debug` shows only whether it is present.
impl core::fmt::Debug for CallbackParams {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("CallbackParams")
            .field("code", &self.code.as_ref().map(|_| "<redacted>"))
            .field("state", &self.state.as_ref().map(|_| "<redacted>"))
            .field("error", &self.error)
            .field("error_description", &self.error_description)
            .field("iss", &self.iss)
            .finish()
    }
}

fn invalid(reason: &'static str) -> Error {
    Error::OAuth(OAuthError::InvalidCallback { reason })
}

/// The query of a URL (between `?` and `#`), if any.
fn query_of(url: &str) -> Option<&str> {
    let before_fragment = url.split('#').next().unwrap_or("");
    before_fragment.split_once('?').map(|(_, q)| q)
}

/// Reads a callback URL (absolute or just `?query`). A response parameter
/// that appears twice is refused (RFC 6749 §3.1: "MUST NOT be included more
/// than once"), as is bad percent-encoding.
pub fn parse_callback_url(url: &str) -> Result<CallbackParams, Error> {
    let query = query_of(url).ok_or(invalid("it has no query string"))?;
    let pairs =
        form::parse(query).ok_or(invalid("a parameter is not valid percent-encoded UTF-8"))?;
    let mut out = CallbackParams::default();
    for (k, v) in pairs {
        let slot = match k.as_str() {
            "code" => &mut out.code,
            "state" => &mut out.state,
            "error" => &mut out.error,
            "error_description" => &mut out.error_description,
            "iss" => &mut out.iss,
            _ => continue,
        };
        if slot.replace(v).is_some() {
            return Err(invalid("a response parameter appears more than once"));
        }
    }
    Ok(out)
}

/// Whether a URL looks like an authorization response (has `code` or
/// `error`, and `state`), so an app can call the callback handler only on
/// its callback page.
pub fn is_callback_url(url: &str) -> bool {
    parse_callback_url(url)
        .map(|p| p.state.is_some() && (p.code.is_some() || p.error.is_some()))
        .unwrap_or(false)
}

/// Ties a callback to the pending sign-in and returns the authorization
/// code. Checks, in order: `state` present; a pending transaction exists
/// (`None`: unknown, reused or another tab's); `state` equal to it; the
/// transaction younger than `max_age` seconds at `now`; `iss`, when both the
/// callback and `expected_issuer` have one, equal (RFC 9207 §2.4); then an
/// `error` response; then `code` present. The state is checked before the
/// error so that a forged error cannot pass for this sign-in's.
///
/// Remove the transaction from storage before calling this, whatever the
/// result: it is single-use, and a replayed callback then fails with
/// [`OAuthError::UnknownState`] instead of exchanging the code twice.
pub fn validate_callback(
    params: &CallbackParams,
    transaction: Option<&Transaction>,
    now: u64,
    max_age: u64,
    expected_issuer: Option<&str>,
) -> Result<String, Error> {
    let state = params.state.as_deref().ok_or(OAuthError::StateMissing)?;
    let tx = transaction.ok_or(OAuthError::UnknownState)?;
    if !ct_eq(state.as_bytes(), tx.state.as_bytes()) {
        return Err(OAuthError::StateMismatch.into());
    }
    if now.saturating_sub(tx.created_at) > max_age {
        return Err(OAuthError::TransactionExpired.into());
    }
    if let (Some(got), Some(want)) = (params.iss.as_deref(), expected_issuer) {
        if got != want {
            return Err(OAuthError::IssuerMismatch.into());
        }
    }
    if let Some(error) = &params.error {
        return Err(OAuthError::CallbackError {
            error: error.clone(),
            description: params.error_description.clone(),
        }
        .into());
    }
    match &params.code {
        Some(code) if !code.is_empty() => Ok(code.clone()),
        _ => Err(invalid("it has neither a code nor an error")),
    }
}

/// The URL without the authorization response parameters, for
/// `history.replaceState`, so the code and state do not stay in the address
/// bar, the history or a bookmark. Other parameters and the fragment are
/// kept as they were.
pub fn clean_callback_url(url: &str) -> String {
    let (before_fragment, fragment) = match url.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (url, None),
    };
    let (base, query) = match before_fragment.split_once('?') {
        Some((b, q)) => (b, q),
        None => return url.to_owned(),
    };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|p| {
            let name = p.split('=').next().unwrap_or("");
            !p.is_empty()
                && !RESPONSE_PARAMS
                    .iter()
                    .any(|r| form::decode(name).as_deref() == Some(*r))
        })
        .collect();
    let mut out = base.to_owned();
    if !kept.is_empty() {
        out.push('?');
        out.push_str(&kept.join("&"));
    }
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tx() -> Transaction {
        Transaction {
            state: "STATE-abc".into(),
            nonce: "nonce".into(),
            code_verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".into(),
            redirect_uri: "https://app.example/cb".into(),
            created_at: 1_000,
            app_state: None,
        }
    }

    fn run(url: &str, tx: Option<&Transaction>, now: u64) -> Result<String, Error> {
        let p = parse_callback_url(url)?;
        validate_callback(&p, tx, now, 600, Some("https://issuer.example"))
    }

    fn code_of(r: Result<String, Error>) -> &'static str {
        r.unwrap_err().code()
    }

    #[test]
    fn a_valid_callback_yields_its_code() {
        let t = tx();
        let got = run(
            "https://app.example/cb?code=a%2Bb+c&state=STATE-abc#x",
            Some(&t),
            1_100,
        );
        assert_eq!(got.unwrap(), "a+b c");
        let with_iss =
            "https://app.example/cb?code=c&state=STATE-abc&iss=https%3A%2F%2Fissuer.example";
        assert_eq!(run(with_iss, Some(&t), 1_100).unwrap(), "c");
        assert!(is_callback_url(with_iss));
        assert!(!is_callback_url("https://app.example/cb?page=2"));
    }

    #[test]
    fn every_error_path_has_its_own_code() {
        let t = tx();
        let cases: &[(&str, Option<&Transaction>, u64, &str)] = &[
            ("https://app.example/cb", Some(&t), 1_000, "OAuthInvalidCallback"),
            ("https://app.example/cb?code=c&state=%zz", Some(&t), 1_000, "OAuthInvalidCallback"),
            ("https://app.example/cb?code=c&code=d&state=STATE-abc", Some(&t), 1_000, "OAuthInvalidCallback"),
            ("https://app.example/cb?code=c&state=STATE-abc&state=STATE-abc", Some(&t), 1_000, "OAuthInvalidCallback"),
            ("https://app.example/cb?code=c", Some(&t), 1_000, "OAuthStateMissing"),
            ("https://app.example/cb?error=access_denied", Some(&t), 1_000, "OAuthStateMissing"),
            ("https://app.example/cb?code=c&state=STATE-abc", None, 1_000, "OAuthUnknownState"),
            ("https://app.example/cb?code=c&state=STATE-abd", Some(&t), 1_000, "OAuthStateMismatch"),
            ("https://app.example/cb?code=c&state=", Some(&t), 1_000, "OAuthStateMismatch"),
            ("https://app.example/cb?code=c&state=STATE-abc", Some(&t), 1_601, "OAuthTransactionExpired"),
            ("https://app.example/cb?code=c&state=STATE-abc&iss=https%3A%2F%2Fevil.example", Some(&t), 1_000, "OAuthIssuerMismatch"),
            ("https://app.example/cb?error=access_denied&error_description=User+cancelled&state=STATE-abc", Some(&t), 1_000, "OAuthCallbackError"),
            ("https://app.example/cb?state=STATE-abc", Some(&t), 1_000, "OAuthInvalidCallback"),
            ("https://app.example/cb?code=&state=STATE-abc", Some(&t), 1_000, "OAuthInvalidCallback"),
            // The code sits in the fragment, not the query: not a code response.
            ("https://app.example/cb#code=c&state=STATE-abc", Some(&t), 1_000, "OAuthInvalidCallback"),
        ];
        for (url, tx, now, want) in cases {
            assert_eq!(code_of(run(url, *tx, *now)), *want, "{url}");
        }
        // An error response still names the server's error and description.
        let err = run(
            "https://app.example/cb?error=access_denied&error_description=User+cancelled&state=STATE-abc",
            Some(&t),
            1_000,
        )
        .unwrap_err();
        assert_eq!(
            err,
            Error::OAuth(OAuthError::CallbackError {
                error: "access_denied".into(),
                description: Some("User cancelled".into())
            })
        );
    }

    #[test]
    fn exactly_at_max_age_is_still_valid() {
        let t = tx();
        assert!(run(
            "https://app.example/cb?code=c&state=STATE-abc",
            Some(&t),
            1_600
        )
        .is_ok());
    }

    #[test]
    fn cleaning_removes_only_response_parameters() {
        let cases = [
            (
                "https://a.example/cb?code=x&state=y",
                "https://a.example/cb",
            ),
            (
                "https://a.example/cb?tab=2&code=x&state=y#top",
                "https://a.example/cb?tab=2#top",
            ),
            (
                "https://a.example/cb?error=e&error_description=d&error_uri=u&iss=i&keep",
                "https://a.example/cb?keep",
            ),
            (
                "https://a.example/cb?%63ode=x&codes=1",
                "https://a.example/cb?codes=1",
            ),
            ("https://a.example/cb", "https://a.example/cb"),
            ("https://a.example/cb#code=x", "https://a.example/cb#code=x"),
        ];
        for (input, want) in cases {
            assert_eq!(clean_callback_url(input), want, "{input}");
        }
    }

    #[test]
    fn debug_output_hides_the_code() {
        let p = parse_callback_url("https://a.example/?code=SECRETCODE&state=S").unwrap();
        assert!(!format!("{p:?}").contains("SECRETCODE"));
    }
}
