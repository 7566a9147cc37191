//! The hosted UI's domain and app client, and URL checks. Cognito serves the
//! OAuth endpoints under the user pool domain (`https://<prefix>.auth.<region>.
//! amazoncognito.com` or a custom domain): `/oauth2/authorize`,
//! `/oauth2/token`, `/oauth2/revoke`, `/oauth2/userInfo`, `/logout` (Amazon
//! Cognito Developer Guide, "User pool endpoints and managed login reference").

use crate::prelude::*;

use super::OAuthError;
use crate::Error;

/// A user-pool domain and the app client that signs in through it.
#[derive(Clone, PartialEq, Eq)]
pub struct HostedUi {
    base: String,
    pub(crate) client_id: String,
    pub(crate) client_secret: Option<String>,
}

impl core::fmt::Debug for HostedUi {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("HostedUi")
            .field("base", &self.base)
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

fn url_error(field: &'static str, reason: &'static str) -> Error {
    Error::OAuth(OAuthError::InvalidUrl { field, reason })
}

/// Whether an authority (`host[:port]`) names the local machine: `localhost`,
/// `127.0.0.0/8` or `[::1]`, where plain http cannot be intercepted.
pub(crate) fn is_loopback(authority: &str) -> bool {
    let host = match authority.strip_prefix('[') {
        Some(rest) => return rest.split(']').next() == Some("::1"),
        None => authority.rsplit_once(':').map_or(authority, |(h, _)| h),
    };
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let octets: Vec<&str> = host.split('.').collect();
    octets.len() == 4
        && octets[0] == "127"
        && octets
            .iter()
            .all(|o| !o.is_empty() && o.len() <= 3 && o.bytes().all(|b| b.is_ascii_digit()))
}

/// Checks the shape every URL this SDK emits or accepts must have: printable
/// ASCII with no spaces (so it cannot smuggle a header or a second URL), a
/// scheme, and no fragment (RFC 6749 §3.1.2).
pub(crate) fn check_uri(field: &'static str, uri: &str) -> Result<(), Error> {
    if uri.is_empty() {
        return Err(url_error(field, "it is empty"));
    }
    if !uri.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(url_error(
            field,
            "it contains spaces or non-ASCII characters; percent-encode them",
        ));
    }
    match uri.split_once(':') {
        Some((scheme, _))
            if !scheme.is_empty()
                && scheme
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b)) => {}
        _ => return Err(url_error(field, "it has no scheme (https://…)")),
    }
    if uri.contains('#') {
        return Err(url_error(field, "it must not contain a fragment (#…)"));
    }
    Ok(())
}

/// Normalises an endpoint base URL: `https://` is assumed when no scheme is
/// given, a trailing `/` is dropped, http is refused unless loopback, and
/// user info, query and fragment are refused.
pub(crate) fn normalize_base(field: &'static str, input: &str) -> Result<String, Error> {
    let input = input.trim();
    // Byte search, not `contains("://")` / `split_once("://")`: a `&str`
    // pattern links core's two-way substring searcher (about 2.5 KiB of wasm).
    let scheme_end = |s: &str| s.as_bytes().windows(3).position(|w| w == b"://");
    let with_scheme = if scheme_end(input).is_some() {
        input.to_owned()
    } else {
        ["https://", input].concat()
    };
    check_uri(field, &with_scheme)?;
    let (scheme, rest) = scheme_end(&with_scheme)
        .and_then(|at| Some((with_scheme.get(..at)?, with_scheme.get(at + 3..)?)))
        .ok_or(url_error(field, "it has no scheme (https://…)"))?;
    let authority = rest.split('/').next().unwrap_or("");
    if authority.is_empty() {
        return Err(url_error(field, "it has no host"));
    }
    if authority.contains('@') {
        return Err(url_error(
            field,
            "it must not contain credentials (user@host)",
        ));
    }
    if rest.contains('?') {
        return Err(url_error(field, "it must not contain a query (?…)"));
    }
    if scheme.eq_ignore_ascii_case("http") {
        if !is_loopback(authority) {
            return Err(Error::OAuth(OAuthError::InsecureUrl { field }));
        }
    } else if !scheme.eq_ignore_ascii_case("https") {
        return Err(url_error(field, "its scheme must be https"));
    }
    Ok([
        scheme.to_ascii_lowercase().as_str(),
        "://",
        rest.trim_end_matches('/'),
    ]
    .concat())
}

impl HostedUi {
    /// The hosted UI at `domain` (a Cognito domain such as
    /// `example.auth.us-east-1.amazoncognito.com`, a custom domain, or a local
    /// emulator such as `http://127.0.0.1:9229`; a path prefix is kept) for
    /// app client `client_id`. `client_secret` is for confidential clients on
    /// a server only; it is sent with HTTP Basic (RFC 6749 §2.3.1), never in
    /// a body or URL.
    pub fn new(
        domain: &str,
        client_id: &str,
        client_secret: Option<&str>,
    ) -> Result<HostedUi, Error> {
        if client_id.is_empty() {
            return Err(Error::EmptyArgument { field: "clientId" });
        }
        Ok(HostedUi {
            base: normalize_base("domain", domain)?,
            client_id: client_id.to_owned(),
            client_secret: client_secret.filter(|s| !s.is_empty()).map(str::to_owned),
        })
    }

    /// The normalised base URL (`https://host[/prefix]`, no trailing slash).
    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// The app client id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// `<base><path>`.
    pub(crate) fn endpoint(&self, path: &str) -> String {
        [self.base.as_str(), path].concat()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_are_normalised_and_plain_http_only_on_loopback() {
        let ok = |d: &str| HostedUi::new(d, "c", None).map(|h| h.base_url().to_owned());
        assert_eq!(
            ok("example.auth.us-east-1.amazoncognito.com").unwrap(),
            "https://example.auth.us-east-1.amazoncognito.com"
        );
        assert_eq!(
            ok("HTTPS://auth.example.com/").unwrap(),
            "https://auth.example.com"
        );
        assert_eq!(
            ok("http://127.0.0.1:9229/pool/").unwrap(),
            "http://127.0.0.1:9229/pool"
        );
        assert_eq!(
            ok("http://localhost:3000").unwrap(),
            "http://localhost:3000"
        );
        assert_eq!(ok("http://[::1]:80").unwrap(), "http://[::1]:80");
        for insecure in [
            "http://auth.example.com",
            "http://127.0.0.1.evil.com",
            "http://10.0.0.1",
        ] {
            assert_eq!(
                ok(insecure).unwrap_err().code(),
                "InsecureUrl",
                "{insecure}"
            );
        }
        for bad in [
            "",
            "https://",
            "https://u:p@auth.example.com",
            "https://auth.example.com?x=1",
            "https://auth.example.com#f",
            "https://auth example.com",
            "ftp://auth.example.com",
        ] {
            assert_eq!(ok(bad).unwrap_err().code(), "InvalidUrl", "{bad:?}");
        }
        assert_eq!(
            HostedUi::new("auth.example.com", "", None)
                .unwrap_err()
                .code(),
            "EmptyArgument"
        );
    }

    #[test]
    fn secret_is_not_in_debug_output() {
        let h = HostedUi::new("auth.example.com", "client", Some("s3cr3t")).unwrap();
        assert!(!format!("{h:?}").contains("s3cr3t"));
    }
}
