//! How requests are sent, as data: the per-attempt timeout, the retry
//! policy and extra headers. The machines decide every retry
//! ([`crate::machine`]); the driver performs each attempt (`fetch`).
//!
//! Retries follow "Error retries and exponential backoff in AWS" (AWS
//! General Reference): full jitter; throttling is retried for every
//! operation (the request was not processed), 5xx and lost responses only
//! for idempotent ones, since a lost `RespondToAuthChallenge` may have been
//! consumed.

mod retry;

pub use retry::{is_throttling_name, Idempotency, Outcome, RetryPolicy};

/// The transport options: per-attempt timeout, retry policy, and headers
/// added to every request (e.g. for a proxy).
#[derive(Clone, Debug)]
pub struct Transport {
    /// Per-attempt timeout, milliseconds (the driver aborts the attempt).
    pub timeout_ms: u32,
    /// When and how often to retry.
    pub retry: RetryPolicy,
    /// Headers added to every request.
    pub headers: Vec<(String, String)>,
}

impl Default for Transport {
    fn default() -> Self {
        Transport {
            timeout_ms: 15_000,
            retry: RetryPolicy::default(),
            headers: Vec::new(),
        }
    }
}
