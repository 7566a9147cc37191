//! When to try a request again, and after how long ("Error retries and
//! exponential backoff in AWS", AWS General Reference: capped exponential
//! backoff with full jitter).

/// Whether sending an operation twice is harmless.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Idempotency {
    /// Reads and idempotent writes (`GetUser`, `ListDevices`, a JWKS fetch):
    /// retried after 5xx and lost responses too.
    Idempotent,
    /// Sign-in steps, refresh with rotation, sign-up, code confirmations:
    /// retried only when throttled, because a lost response may mean the
    /// server already acted (a consumed session or code).
    NonIdempotent,
}

/// What one attempt produced, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// A response arrived with `status`; `throttled` when it says the
    /// request was throttled (429, or `TooManyRequestsException` & co).
    Response {
        /// The HTTP status.
        status: u16,
        /// Whether the response is a throttling error.
        throttled: bool,
    },
    /// No response: network failure or timeout.
    NoResponse,
    /// A failure that retrying cannot fix (e.g. aborted by the caller).
    Final,
}

/// Cognito's throttling error names (Amazon Cognito API Reference, "Common
/// Errors" and each operation's errors).
pub fn is_throttling_name(name: &str) -> bool {
    matches!(
        name,
        "TooManyRequestsException" | "ThrottlingException" | "Throttling" | "RequestLimitExceeded"
    )
}

/// How many times to retry and how long to wait.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 disables retrying).
    pub max_retries: u32,
    /// The backoff base, milliseconds: attempt `n` waits a uniformly random
    /// time in `[0, min(max_delay_ms, base_ms · 2ⁿ))`.
    pub base_ms: u32,
    /// The backoff cap, milliseconds.
    pub max_delay_ms: u32,
}

impl Default for RetryPolicy {
    /// Three retries, 100 ms base, 5 s cap (as the AWS SDKs' "standard"
    /// mode).
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            base_ms: 100,
            max_delay_ms: 5_000,
        }
    }
}

impl RetryPolicy {
    /// The wait before retry number `attempt + 1` after `outcome`, or `None`
    /// to stop and return the outcome. `unit` is a uniform random number in
    /// `[0, 1)` (the jitter).
    pub fn delay_ms(
        &self,
        attempt: u32,
        idempotency: Idempotency,
        outcome: Outcome,
        unit: f64,
    ) -> Option<u32> {
        if attempt >= self.max_retries {
            return None;
        }
        let idempotent = idempotency == Idempotency::Idempotent;
        let retry = match outcome {
            Outcome::Response {
                throttled: true, ..
            } => true,
            Outcome::Response { status, .. } => idempotent && (500..600).contains(&status),
            Outcome::NoResponse => idempotent,
            Outcome::Final => false,
        };
        if !retry {
            return None;
        }
        let ceiling = u64::from(self.base_ms)
            .saturating_mul(1u64 << attempt.min(20))
            .min(u64::from(self.max_delay_ms));
        Some((ceiling as f64 * unit.clamp(0.0, 1.0)) as u32)
    }

    /// The wait before a retry when the answer said how long to wait
    /// (`Retry-After`, RFC 9110 §10.2.3): at least that, as the AWS SDKs
    /// do (retrying sooner only meets the throttle again), but never more
    /// than `max_delay_ms`, the longest the caller agreed to wait.
    pub fn with_retry_after(&self, backoff_ms: u32, retry_after_ms: Option<u64>) -> u32 {
        match retry_after_ms {
            Some(asked) => backoff_ms.max(asked.min(u64::from(self.max_delay_ms)) as u32),
            None => backoff_ms,
        }
    }
}

/// A `Retry-After` value in milliseconds from `now` (Unix seconds): either
/// delay-seconds or an HTTP date (RFC 9110 §10.2.3); `None` if unreadable.
pub fn parse_retry_after(value: &str, now: i64) -> Option<u64> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(
            value
                .parse::<u64>()
                .unwrap_or(u64::MAX)
                .saturating_mul(1000),
        );
    }
    let at = crate::cognito::parse_http_date(value)?;
    Some((at.saturating_sub(now).max(0) as u64).saturating_mul(1000))
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: RetryPolicy = RetryPolicy {
        max_retries: 3,
        base_ms: 100,
        max_delay_ms: 1_000,
    };

    fn resp(status: u16, throttled: bool) -> Outcome {
        Outcome::Response { status, throttled }
    }

    #[test]
    fn throttling_is_retried_for_every_operation() {
        for idem in [Idempotency::Idempotent, Idempotency::NonIdempotent] {
            assert!(P.delay_ms(0, idem, resp(400, true), 0.5).is_some());
            assert!(P.delay_ms(0, idem, resp(429, true), 0.5).is_some());
        }
    }

    #[test]
    fn server_errors_and_lost_responses_only_when_idempotent() {
        assert_eq!(
            P.delay_ms(0, Idempotency::Idempotent, resp(503, false), 0.5),
            Some(50)
        );
        assert_eq!(
            P.delay_ms(0, Idempotency::NonIdempotent, resp(503, false), 0.5),
            None
        );
        assert!(P
            .delay_ms(0, Idempotency::Idempotent, Outcome::NoResponse, 0.5)
            .is_some());
        assert_eq!(
            P.delay_ms(0, Idempotency::NonIdempotent, Outcome::NoResponse, 0.5),
            None
        );
    }

    #[test]
    fn definitive_answers_are_not_retried() {
        for status in [200, 400, 401, 404] {
            assert_eq!(
                P.delay_ms(0, Idempotency::Idempotent, resp(status, false), 0.5),
                None
            );
        }
        assert_eq!(
            P.delay_ms(0, Idempotency::Idempotent, Outcome::Final, 0.5),
            None
        );
    }

    #[test]
    fn backoff_is_capped_exponential_with_full_jitter() {
        let t = resp(429, true);
        let idem = Idempotency::Idempotent;
        // Just below 1: the ceiling for each attempt.
        let top: Vec<_> = (0..3)
            .map(|a| P.delay_ms(a, idem, t, 0.999_999).unwrap())
            .collect();
        assert_eq!(top, vec![99, 199, 399]);
        assert_eq!(P.delay_ms(0, idem, t, 0.0), Some(0));
        let capped = RetryPolicy {
            max_retries: 30,
            ..P
        };
        assert_eq!(capped.delay_ms(25, idem, t, 0.999_999), Some(999));
        assert_eq!(P.delay_ms(3, idem, t, 0.5), None, "max_retries reached");
        let off = RetryPolicy {
            max_retries: 0,
            ..P
        };
        assert_eq!(off.delay_ms(0, idem, t, 0.5), None);
    }

    #[test]
    fn throttling_names() {
        assert!(is_throttling_name("TooManyRequestsException"));
        assert!(!is_throttling_name("NotAuthorizedException"));
        assert!(!is_throttling_name("LimitExceededException"));
    }
    #[test]
    fn retry_after_is_waited_within_the_cap() {
        assert_eq!(P.with_retry_after(3, None), 3);
        assert_eq!(P.with_retry_after(3, Some(1_000)), 1_000);
        assert_eq!(P.with_retry_after(3, Some(0)), 3);
        assert_eq!(P.with_retry_after(3, Some(u64::MAX)), P.max_delay_ms);
        assert_eq!(parse_retry_after("2", 0), Some(2_000));
        assert_eq!(parse_retry_after(" 0 ", 0), Some(0));
        assert_eq!(parse_retry_after("99999999999999999999", 0), Some(u64::MAX));
        let now = 784_111_777; // Sun, 06 Nov 1994 08:49:37 GMT
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:40 GMT", now),
            Some(3_000)
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:00 GMT", now),
            Some(0)
        );
        for bad in ["", "-1", "1.5", "soon", "Sun, 06 Nov 1994"] {
            assert_eq!(parse_retry_after(bad, now), None, "{bad}");
        }
    }
}
