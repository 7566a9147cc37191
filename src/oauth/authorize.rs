//! The authorization request (RFC 6749 §4.1.1 with PKCE, RFC 7636 §4.3, and
//! OIDC Core §3.1.2.1) on Cognito's `/oauth2/authorize` endpoint, with
//! Cognito's extra parameters `identity_provider`, `idp_identifier` and
//! `lang` (Amazon Cognito Developer Guide, "Authorize endpoint").

use crate::prelude::*;

use super::endpoint::check_uri;
use super::{form, pkce, HostedUi, Transaction};
use crate::Error;

/// What to ask the hosted UI for. Only `redirect_uri` is required.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AuthorizeOptions<'a> {
    /// Where Cognito sends the user back; must be one of the app client's
    /// allowed callback URLs.
    pub redirect_uri: &'a str,
    /// Scopes, e.g. `["openid", "email"]`; empty leaves `scope` out, and
    /// Cognito grants all the client's allowed scopes.
    pub scopes: &'a [&'a str],
    /// Skip the hosted UI and go straight to this provider (`Google`,
    /// `Facebook`, a SAML or OIDC provider name, `COGNITO`).
    pub identity_provider: Option<&'a str>,
    /// Pick a SAML/OIDC provider by one of its identifiers (e.g. an email
    /// domain).
    pub idp_identifier: Option<&'a str>,
    /// Pre-fill the username field (OIDC Core §3.1.2.1 `login_hint`).
    pub login_hint: Option<&'a str>,
    /// `login` to force re-authentication, `none` for a silent check (OIDC
    /// Core §3.1.2.1), where managed login supports it.
    pub prompt: Option<&'a str>,
    /// The managed-login language, e.g. `fr`.
    pub lang: Option<&'a str>,
    /// Application data returned with the callback's result; stored locally
    /// in the transaction, never sent to Cognito.
    pub app_state: Option<&'a str>,
}

/// An authorization request ready to navigate to, and the transaction to
/// store until its callback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    /// The `/oauth2/authorize` URL.
    pub url: String,
    /// What the callback needs; store it (`Transaction::to_storage_string`).
    pub transaction: Transaction,
}

impl HostedUi {
    /// Starts a sign-in: fresh PKCE verifier, `state` and `nonce` from the
    /// CSPRNG, and the authorize URL (S256 challenge). `now` is seconds since
    /// the Unix epoch, recorded to expire the transaction.
    pub fn authorize(
        &self,
        options: &AuthorizeOptions<'_>,
        now: u64,
    ) -> Result<Authorization, Error> {
        let transaction = Transaction {
            state: pkce::random_token()?,
            nonce: pkce::random_token()?,
            code_verifier: pkce::code_verifier()?,
            redirect_uri: options.redirect_uri.to_owned(),
            created_at: now,
            app_state: options.app_state.map(str::to_owned),
        };
        let url = self.authorize_url(options, &transaction)?;
        Ok(Authorization { url, transaction })
    }

    /// The authorize URL for an existing transaction (whose `redirect_uri`
    /// is used; `options.redirect_uri` and `app_state` are ignored).
    pub fn authorize_url(
        &self,
        options: &AuthorizeOptions<'_>,
        tx: &Transaction,
    ) -> Result<String, Error> {
        check_uri("redirectUri", &tx.redirect_uri)?;
        let challenge = pkce::code_challenge_s256(&tx.code_verifier);
        let scope = options.scopes.join(" ");
        let mut pairs: Vec<(&str, &str)> = vec![
            ("response_type", "code"),
            ("client_id", &self.client_id),
            ("redirect_uri", &tx.redirect_uri),
        ];
        if !scope.is_empty() {
            pairs.push(("scope", &scope));
        }
        pairs.extend([
            ("state", tx.state.as_str()),
            ("nonce", tx.nonce.as_str()),
            ("code_challenge", challenge.as_str()),
            ("code_challenge_method", "S256"),
        ]);
        let optional = [
            ("identity_provider", options.identity_provider),
            ("idp_identifier", options.idp_identifier),
            ("login_hint", options.login_hint),
            ("prompt", options.prompt),
            ("lang", options.lang),
        ];
        pairs.extend(optional.iter().filter_map(|(k, v)| v.map(|v| (*k, v))));
        Ok([self.endpoint("/oauth2/authorize"), form::serialize(&pairs)].join("?"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn ui() -> HostedUi {
        HostedUi::new(
            "example.auth.eu-west-1.amazoncognito.com",
            "client123",
            None,
        )
        .unwrap()
    }

    /// Reads a URL's query back with serde_urlencoded, an independent decoder.
    fn query(url: &str) -> HashMap<String, String> {
        let q = url.split_once('?').unwrap().1;
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(q).unwrap();
        let n = pairs.len();
        let map: HashMap<_, _> = pairs.into_iter().collect();
        assert_eq!(map.len(), n, "no parameter twice");
        map
    }

    #[test]
    fn authorize_url_round_trips_every_parameter() {
        let opts = AuthorizeOptions {
            redirect_uri: "https://app.example/cb?tab=1&x=%C3%A9",
            scopes: &["openid", "email", "aws.cognito.signin.user.admin"],
            identity_provider: Some("Google"),
            idp_identifier: Some("example.com"),
            login_hint: Some("alice+test@example.com"),
            prompt: Some("login"),
            lang: Some("fr"),
            app_state: Some("/back?to=here"),
        };
        let a = ui().authorize(&opts, 1_000).unwrap();
        assert!(a
            .url
            .starts_with("https://example.auth.eu-west-1.amazoncognito.com/oauth2/authorize?"));
        let q = query(&a.url);
        let tx = &a.transaction;
        let expect = [
            ("response_type", "code"),
            ("client_id", "client123"),
            ("redirect_uri", opts.redirect_uri),
            ("scope", "openid email aws.cognito.signin.user.admin"),
            ("state", &tx.state),
            ("nonce", &tx.nonce),
            ("code_challenge_method", "S256"),
            ("identity_provider", "Google"),
            ("idp_identifier", "example.com"),
            ("login_hint", "alice+test@example.com"),
            ("prompt", "login"),
            ("lang", "fr"),
        ];
        for (k, v) in expect {
            assert_eq!(q.get(k).map(String::as_str), Some(v), "{k}");
        }
        assert_eq!(
            q.len(),
            expect.len() + 1,
            "plus code_challenge, nothing else"
        );
        assert_eq!(
            q["code_challenge"],
            pkce::code_challenge_s256(&tx.code_verifier)
        );
        assert!(
            !a.url.contains(&tx.code_verifier),
            "the verifier never leaves"
        );
        assert!(!a.url.contains("back"), "app state stays local");
        assert_eq!(tx.created_at, 1_000);
        assert_eq!(tx.app_state.as_deref(), Some("/back?to=here"));
        assert_eq!(tx.redirect_uri, opts.redirect_uri);
    }

    #[test]
    fn minimal_request_has_no_optional_parameters_and_fresh_randoms() {
        let opts = AuthorizeOptions {
            redirect_uri: "http://localhost:3000/",
            ..Default::default()
        };
        let a = ui().authorize(&opts, 0).unwrap();
        let b = ui().authorize(&opts, 0).unwrap();
        let q = query(&a.url);
        let mut keys: Vec<&str> = q.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "client_id",
                "code_challenge",
                "code_challenge_method",
                "nonce",
                "redirect_uri",
                "response_type",
                "state"
            ]
        );
        assert_ne!(a.transaction.state, b.transaction.state);
        assert_ne!(a.transaction.nonce, b.transaction.nonce);
        assert_ne!(a.transaction.code_verifier, b.transaction.code_verifier);
        assert_ne!(a.transaction.state, a.transaction.nonce);
    }

    #[test]
    fn redirect_uri_is_checked() {
        for bad in [
            "",
            "no-scheme",
            "https://app.example/cb#frag",
            "https://app.example/a b",
        ] {
            let opts = AuthorizeOptions {
                redirect_uri: bad,
                ..Default::default()
            };
            assert_eq!(
                ui().authorize(&opts, 0).unwrap_err().code(),
                "InvalidUrl",
                "{bad:?}"
            );
        }
    }
}
