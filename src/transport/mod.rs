//! The one place that performs network I/O. It sends a core
//! [`HttpRequest`](crate::oauth::HttpRequest) and returns the status, the
//! headers the core reads and the body text; reading them is the core's job.
//!
//! Retries follow "Error retries and exponential backoff in AWS" (AWS
//! General Reference): full jitter; throttling is retried for every
//! operation (the request was not processed), 5xx and lost responses only
//! for idempotent ones, since a lost `RespondToAuthChallenge` may have been
//! consumed.

#[cfg(target_arch = "wasm32")]
mod fetch;
mod retry;

#[cfg(target_arch = "wasm32")]
pub use fetch::{sleep, HttpResponse, LocalFuture, Transport};
pub use retry::{is_throttling_name, Idempotency, Outcome, RetryPolicy};
