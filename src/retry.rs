//! [`RetryConfig`] and the rules of what is retried, when, and after how long.
//!
//! Implemented once, around the execution of every request (see `transport`), never per call.

use std::time::{Duration, SystemTime};

use reqwest::{StatusCode, header::HeaderMap};

use crate::{
    operations::Replay,
    rate_limit::{REMAINING, RESET, header_number},
};

/// How many times to try a request and how long to wait between tries.
///
/// Retried: connection failures and the statuses 408, 429, 500, 502, 503, 504, for requests that
/// are safe to replay (the description's `x-replay: safe`: GETs, PUTs, DELETE, `POST /events` —
/// de-duplicated by the server —, and `POST /v1/users`, an upsert). Writes that act each time
/// they are sent (`x-replay: if-not-processed`: notes, message threads and replies, tag
/// creation, impressions, event summaries) are retried only when the request provably never
/// reached the server (the connection could not be opened) or was refused with 429. See
/// [`operations`](crate::operations) for each operation's rule.
///
/// The wait before a retry is, in this order: the `Retry-After` header (seconds or an HTTP date);
/// else, when `X-RateLimit-Remaining` is 0, the time until `X-RateLimit-Reset`; else exponential
/// backoff with full jitter (a random wait between zero and `initial_backoff × 2^(retry − 1)`,
/// capped at `max_backoff`). When the server asks for a wait longer than `max_backoff`, the
/// client does not retry and returns the rate-limit error, which carries the wait.
///
/// ```
/// use std::time::Duration;
/// use intercom_api::RetryConfig;
///
/// let standard = RetryConfig::standard();
/// assert_eq!(standard.max_attempts(), 3);
/// assert_eq!(standard.initial_backoff(), Duration::from_millis(500));
/// assert_eq!(standard.max_backoff(), Duration::from_secs(20));
///
/// let patient = RetryConfig::standard().with_max_attempts(5).with_max_backoff(Duration::from_secs(60));
/// assert_eq!(patient.max_attempts(), 5);
/// assert_eq!(RetryConfig::disabled().max_attempts(), 1);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryConfig {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self::standard()
    }
}

impl RetryConfig {
    /// 3 attempts in all, 500 ms initial backoff, waits capped at 20 s.
    ///
    /// ```
    /// use std::time::Duration;
    /// use intercom_api::RetryConfig;
    ///
    /// let standard = RetryConfig::standard();
    /// assert_eq!(standard, RetryConfig::default());
    /// assert_eq!(standard.max_attempts(), 3);
    /// assert_eq!(standard.initial_backoff(), Duration::from_millis(500));
    /// ```
    pub fn standard() -> Self {
        RetryConfig {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(20),
        }
    }

    /// One attempt: never retry.
    ///
    /// ```
    /// use intercom_api::RetryConfig;
    ///
    /// let once = RetryConfig::disabled();
    /// assert_eq!(once.max_attempts(), 1);
    /// assert_eq!(once.max_backoff(), RetryConfig::standard().max_backoff());
    /// ```
    pub fn disabled() -> Self {
        RetryConfig {
            max_attempts: 1,
            ..Self::standard()
        }
    }

    /// Tries per request, the first included (at least 1).
    ///
    /// ```
    /// use intercom_api::RetryConfig;
    ///
    /// assert_eq!(RetryConfig::standard().with_max_attempts(5).max_attempts(), 5);
    /// // Zero would never send the request: it counts as one attempt.
    /// assert_eq!(RetryConfig::standard().with_max_attempts(0).max_attempts(), 1);
    /// ```
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The backoff before the first retry (doubled for each further retry, then jittered).
    pub fn with_initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest wait between tries, whatever its source.
    pub fn with_max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// Tries per request, the first included.
    ///
    /// ```
    /// use intercom_api::RetryConfig;
    ///
    /// assert_eq!(RetryConfig::standard().max_attempts(), 3);
    /// ```
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The backoff before the first retry.
    ///
    /// ```
    /// use std::time::Duration;
    /// use intercom_api::RetryConfig;
    ///
    /// assert_eq!(RetryConfig::standard().initial_backoff(), Duration::from_millis(500));
    /// ```
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// The longest wait between tries.
    ///
    /// ```
    /// use std::time::Duration;
    /// use intercom_api::RetryConfig;
    ///
    /// assert_eq!(RetryConfig::standard().max_backoff(), Duration::from_secs(20));
    /// ```
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// The upper bound of the jittered backoff after `failed_attempts` tries (1-based).
    pub(crate) fn backoff_ceiling(&self, failed_attempts: u32) -> Duration {
        let doublings = failed_attempts.saturating_sub(1).min(31);
        self.initial_backoff
            .saturating_mul(1u32 << doublings)
            .min(self.max_backoff)
    }
}

/// Where the wait before a retry came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum WaitSource {
    RetryAfter,
    RateLimitReset,
    Backoff,
}

impl WaitSource {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            WaitSource::RetryAfter => "retry-after",
            WaitSource::RateLimitReset => "x-ratelimit-reset",
            WaitSource::Backoff => "backoff",
        }
    }
}

/// The wait before the next try.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Wait {
    pub duration: Duration,
    pub source: WaitSource,
}

/// The wait the server asked for: `Retry-After`, else the rate-limit reset when none is left.
pub(crate) fn server_wait(headers: &HeaderMap, now: SystemTime) -> Option<Wait> {
    if let Some(duration) = retry_after(headers, now) {
        return Some(Wait {
            duration,
            source: WaitSource::RetryAfter,
        });
    }
    // `X-RateLimit-Limit` is not needed to know when to come back: a 429 may carry only the
    // remaining count and the reset.
    if header_number(headers, &REMAINING)? != 0 {
        return None;
    }
    let reset = header_number(headers, &RESET)?;
    let reset = SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(reset))?;
    Some(Wait {
        duration: reset.duration_since(now).unwrap_or_default(),
        source: WaitSource::RateLimitReset,
    })
}

/// The wait before retry number `failed_attempts` (1-based): what the server asked for, else
/// jittered backoff.
pub(crate) fn wait_before_retry(
    config: &RetryConfig,
    failed_attempts: u32,
    headers: Option<&HeaderMap>,
    now: SystemTime,
) -> Wait {
    headers
        .and_then(|h| server_wait(h, now))
        .unwrap_or_else(|| {
            let ceiling = config.backoff_ceiling(failed_attempts);
            let jittered = ceiling.mul_f64(fastrand::f64());
            Wait {
                duration: jittered,
                source: WaitSource::Backoff,
            }
        })
}

/// `Retry-After` as seconds or an HTTP date, relative to `now`.
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or_default())
}

/// Whether an answer with this status is worth another try.
pub(crate) fn is_retryable_status(status: StatusCode, replay: Replay) -> bool {
    match replay {
        Replay::Safe => matches!(status.as_u16(), 408 | 429 | 500 | 502 | 503 | 504),
        // 429 means the request was refused before it was acted on.
        Replay::IfNotProcessed => status == StatusCode::TOO_MANY_REQUESTS,
    }
}

/// Whether a transport failure is worth another try.
pub(crate) fn is_retryable_error(error: &reqwest::Error, replay: Replay) -> bool {
    // The connection was never opened: the server cannot have seen the request.
    if error.is_connect() {
        return true;
    }
    match replay {
        // reqwest reports a body that broke off while it was read as a decode error (the
        // transport only buffers bytes, it decodes nothing): the connection was lost mid-body.
        Replay::Safe => {
            error.is_timeout() || error.is_request() || error.is_body() || error.is_decode()
        }
        Replay::IfNotProcessed => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rate_limit::headers;

    fn at(seconds: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(seconds)
    }

    #[test]
    fn retry_after_wins_over_the_rate_limit_reset() {
        let both = headers(&[
            ("retry-after", "7"),
            ("x-ratelimit-limit", "10"),
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", "1700000030"),
        ]);
        let wait = wait_before_retry(&RetryConfig::standard(), 1, Some(&both), at(1_700_000_000));
        assert_eq!(
            wait,
            Wait {
                duration: Duration::from_secs(7),
                source: WaitSource::RetryAfter
            }
        );
    }

    #[test]
    fn retry_after_may_be_an_http_date() {
        let date = headers(&[("retry-after", "Tue, 14 Nov 2023 22:13:40 GMT")]);
        // 1700000020 is 2023-11-14T22:13:40Z.
        let wait = server_wait(&date, at(1_700_000_000)).unwrap();
        assert_eq!(
            wait,
            Wait {
                duration: Duration::from_secs(20),
                source: WaitSource::RetryAfter
            }
        );
    }

    #[test]
    fn the_reset_is_used_only_when_nothing_is_left() {
        let exhausted = headers(&[
            ("x-ratelimit-limit", "10"),
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", "1700000004"),
        ]);
        let wait = server_wait(&exhausted, at(1_700_000_000)).unwrap();
        assert_eq!(
            wait,
            Wait {
                duration: Duration::from_secs(4),
                source: WaitSource::RateLimitReset
            }
        );

        let some_left = headers(&[
            ("x-ratelimit-limit", "10"),
            ("x-ratelimit-remaining", "3"),
            ("x-ratelimit-reset", "1700000004"),
        ]);
        assert_eq!(server_wait(&some_left, at(1_700_000_000)), None);

        // Without X-RateLimit-Limit (a 429 that says only when to come back).
        let no_limit = headers(&[
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", "1700000009"),
        ]);
        assert_eq!(
            server_wait(&no_limit, at(1_700_000_000)),
            Some(Wait {
                duration: Duration::from_secs(9),
                source: WaitSource::RateLimitReset
            })
        );
        // A reset already past: retry at once; a reset no clock can hold: no server wait.
        let past = headers(&[
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", "1600000000"),
        ]);
        assert_eq!(
            server_wait(&past, at(1_700_000_000)).map(|w| w.duration),
            Some(Duration::ZERO)
        );
        let absurd = headers(&[
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", "18446744073709551615"),
        ]);
        assert_eq!(server_wait(&absurd, at(1_700_000_000)), None);
        let reset_only = headers(&[("x-ratelimit-reset", "1700000009")]);
        assert_eq!(server_wait(&reset_only, at(1_700_000_000)), None);
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_with_full_jitter() {
        let config = RetryConfig::standard();
        assert_eq!(config.backoff_ceiling(1), Duration::from_millis(500));
        assert_eq!(config.backoff_ceiling(2), Duration::from_secs(1));
        assert_eq!(config.backoff_ceiling(7), Duration::from_secs(20));
        assert_eq!(config.backoff_ceiling(400), Duration::from_secs(20));
        for _ in 0..100 {
            let wait = wait_before_retry(&config, 2, None, at(0));
            assert_eq!(wait.source, WaitSource::Backoff);
            assert!(wait.duration <= Duration::from_secs(1), "{wait:?}");
        }
    }

    #[test]
    fn writes_that_create_are_not_replayed() {
        // Each operation's rule is its `x-replay` (tests/client/retry.rs sends each kind to the dummy server).
        assert!(is_retryable_status(
            StatusCode::SERVICE_UNAVAILABLE,
            Replay::Safe
        ));
        assert!(!is_retryable_status(
            StatusCode::SERVICE_UNAVAILABLE,
            Replay::IfNotProcessed
        ));
        assert!(is_retryable_status(
            StatusCode::TOO_MANY_REQUESTS,
            Replay::IfNotProcessed
        ));
        assert!(!is_retryable_status(StatusCode::NOT_FOUND, Replay::Safe));
    }
}
