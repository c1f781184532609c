//! [`RateLimit`]: the `X-RateLimit-*` headers Intercom sends with every answer.

use std::{sync::Mutex, time::SystemTime};

use reqwest::header::{HeaderMap, HeaderName};

use crate::time::UnixTime;

/// The rate limit as of the last answer: `X-RateLimit-Limit`, `-Remaining` and `-Reset`.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use intercom_api::{rate_limit::RateLimit, time::UnixTime};
///
/// let limit = RateLimit { limit: 500, remaining: 0, reset: UnixTime::from_unix(1_700_000_010).unwrap() };
/// let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
/// assert!(limit.is_exhausted_at(now));
/// assert_eq!(limit.until_reset(now), Some(Duration::from_secs(10)));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests allowed per window.
    pub limit: u64,
    /// Requests left in the current window.
    pub remaining: u64,
    /// When the window resets.
    pub reset: UnixTime,
}

impl RateLimit {
    /// Reads the three headers; `None` unless all three are present and valid.
    ///
    /// ```
    /// use intercom_api::rate_limit::RateLimit;
    /// use intercom_api::HeaderMap;
    ///
    /// let mut headers = HeaderMap::new();
    /// headers.insert("x-ratelimit-limit", "500".parse().unwrap());
    /// headers.insert("x-ratelimit-remaining", "499".parse().unwrap());
    /// headers.insert("x-ratelimit-reset", "1700000060".parse().unwrap());
    /// let limit = RateLimit::from_headers(&headers).unwrap();
    /// assert_eq!((limit.limit, limit.remaining, limit.reset.unix()), (500, 499, 1_700_000_060));
    /// headers.remove("x-ratelimit-reset");
    /// assert_eq!(RateLimit::from_headers(&headers), None);
    /// ```
    pub fn from_headers(headers: &HeaderMap) -> Option<RateLimit> {
        let reset = header_number(headers, &RESET)?;
        Some(RateLimit {
            limit: header_number(headers, &LIMIT)?,
            remaining: header_number(headers, &REMAINING)?,
            reset: UnixTime::from_unix(i64::try_from(reset).ok()?)?,
        })
    }

    /// True when no request is left and the window has not reset by `now`.
    ///
    /// ```
    /// use std::time::{Duration, SystemTime};
    /// use intercom_api::{rate_limit::RateLimit, time::UnixTime};
    ///
    /// let at = |seconds| SystemTime::UNIX_EPOCH + Duration::from_secs(seconds);
    /// let limit = RateLimit { limit: 100, remaining: 0, reset: UnixTime::from_unix(1_700_000_060).unwrap() };
    /// assert!(limit.is_exhausted_at(at(1_700_000_000)));
    /// // Once the window has reset, requests are allowed again.
    /// assert!(!limit.is_exhausted_at(at(1_700_000_060)));
    /// ```
    pub fn is_exhausted_at(&self, now: SystemTime) -> bool {
        self.remaining == 0 && self.until_reset(now).is_some()
    }

    /// How long from `now` until the window resets; `None` once it has.
    ///
    /// ```
    /// use std::time::{Duration, SystemTime};
    /// use intercom_api::{rate_limit::RateLimit, time::UnixTime};
    ///
    /// let at = |seconds| SystemTime::UNIX_EPOCH + Duration::from_secs(seconds);
    /// let limit = RateLimit { limit: 100, remaining: 42, reset: UnixTime::from_unix(1_700_000_060).unwrap() };
    /// assert_eq!(limit.until_reset(at(1_700_000_000)), Some(Duration::from_secs(60)));
    /// assert_eq!(limit.until_reset(at(1_700_000_061)), None);
    /// ```
    pub fn until_reset(&self, now: SystemTime) -> Option<std::time::Duration> {
        let reset = SystemTime::from(self.reset.as_datetime());
        reset.duration_since(now).ok().filter(|d| !d.is_zero())
    }
}

/// `X-RateLimit-Limit` (header names as constants: a lookup by name then needs no parsing).
pub(crate) const LIMIT: HeaderName = HeaderName::from_static("x-ratelimit-limit");
/// `X-RateLimit-Remaining`.
pub(crate) const REMAINING: HeaderName = HeaderName::from_static("x-ratelimit-remaining");
/// `X-RateLimit-Reset`.
pub(crate) const RESET: HeaderName = HeaderName::from_static("x-ratelimit-reset");

/// A header holding a whole number, if present and valid.
pub(crate) fn header_number(headers: &HeaderMap, name: &HeaderName) -> Option<u64> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

/// The newest rate limit seen, shared by every clone of a client.
#[derive(Debug, Default)]
pub(crate) struct RateLimitState(Mutex<Option<RateLimit>>);

impl RateLimitState {
    /// Keeps the newest knowledge: answers of concurrent requests arrive out of order, so one
    /// for an older window (an earlier reset) is ignored, and within a window the lowest
    /// `remaining` is kept (requests are only ever used up until the window resets).
    pub(crate) fn record(&self, headers: &HeaderMap) {
        if let Some(seen) = RateLimit::from_headers(headers) {
            let mut last = crate::lock::lock(&self.0);
            *last = Some(match *last {
                Some(known) if known.reset > seen.reset => known,
                Some(known) if known.reset == seen.reset && known.limit == seen.limit => {
                    RateLimit {
                        remaining: known.remaining.min(seen.remaining),
                        ..seen
                    }
                }
                _ => seen,
            });
        }
    }

    pub(crate) fn last(&self) -> Option<RateLimit> {
        *crate::lock::lock(&self.0)
    }
}

/// A header map from `(name, value)` pairs, for unit tests.
#[cfg(test)]
pub(crate) fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    pairs
        .iter()
        .map(|(k, v)| {
            (
                reqwest::header::HeaderName::from_static(k),
                v.parse().unwrap(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_all_three_headers_or_nothing() {
        let full = headers(&[
            ("x-ratelimit-limit", "500"),
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", "1700000010"),
        ]);
        let seen = RateLimit::from_headers(&full).unwrap();
        assert_eq!(
            (seen.limit, seen.remaining, seen.reset.unix()),
            (500, 0, 1_700_000_010)
        );
        let now = SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        assert!(seen.is_exhausted_at(now));
        assert_eq!(
            seen.until_reset(now),
            Some(std::time::Duration::from_secs(10))
        );

        let partial = headers(&[("x-ratelimit-limit", "500"), ("x-ratelimit-reset", "soon")]);
        assert_eq!(RateLimit::from_headers(&partial), None);
    }

    #[test]
    fn out_of_order_answers_do_not_roll_the_state_back() {
        let state = RateLimitState::default();
        let answer = |remaining: &str, reset: &str| {
            headers(&[
                ("x-ratelimit-limit", "10"),
                ("x-ratelimit-remaining", remaining),
                ("x-ratelimit-reset", reset),
            ])
        };
        state.record(&answer("4", "1700000010"));
        state.record(&answer("5", "1700000010"));
        assert_eq!(state.last().map(|l| l.remaining), Some(4));
        state.record(&answer("9", "1700000020"));
        state.record(&answer("3", "1700000010"));
        let last = state.last().unwrap();
        assert_eq!((last.remaining, last.reset.unix()), (9, 1_700_000_020));
    }
}
