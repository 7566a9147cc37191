//! How requests are sent, as data: the per-attempt timeout, the retry
//! policy and extra headers. The machines decide every retry
//! ([`crate::machine`]); the driver performs each attempt (`fetch`).
//!
//! Retries follow "Error retries and exponential backoff in AWS" (AWS
//! General Reference): full jitter; throttling is retried for every
//! operation (the request was not processed), 5xx and lost responses only
//! for idempotent ones, since a lost `RespondToAuthChallenge` may have been
//! consumed.

use crate::prelude::*;

mod retry;

pub use retry::{is_throttling_name, parse_retry_after, Idempotency, Outcome, RetryPolicy};

/// The transport options: per-attempt timeout, retry policy, and headers
/// added to every request (e.g. for a proxy).
#[derive(Clone, Debug)]
pub struct Transport {
    /// Per-attempt timeout, milliseconds (the driver aborts the attempt).
    pub timeout_ms: u32,
    /// When and how often to retry.
    pub retry: RetryPolicy,
    /// Headers added to requests (e.g. for a proxy).
    pub headers: Vec<(String, String)>,
    /// The URL `headers` are for (`CognitoAuth`: the user-pool API endpoint,
    /// whose JSON API is posted to its root, so they never reach the
    /// hosted-UI domain nor the JWKS, even on the same host); `None`: every
    /// request.
    pub header_scope: Option<String>,
}

impl Transport {
    /// The headers that go with a request to `url`: `headers` for the
    /// scope's URL itself (with or without its final `/`), or for any URL
    /// without a scope.
    pub fn headers_for(&self, url: &str) -> &[(String, String)] {
        let inside = match &self.header_scope {
            None => true,
            Some(base) => url
                .strip_prefix(base.trim_end_matches('/'))
                .is_some_and(|rest| rest.is_empty() || rest == "/"),
        };
        if inside {
            &self.headers
        } else {
            &[]
        }
    }
}

impl Default for Transport {
    fn default() -> Self {
        Transport {
            timeout_ms: 15_000,
            retry: RetryPolicy::default(),
            headers: Vec::new(),
            header_scope: None,
        }
    }
}
