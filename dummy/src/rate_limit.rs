//! Rate limiting (off unless configured): a fixed number of requests per window, announced in
//! `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset` (UNIX seconds).

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// A limit of `limit` requests per `window`, counted from the first request of each window.
/// Windows shorter than a second count as a second, longer than a year as a year. (It was
/// `RateLimit`, which clashed with the client's `intercom_api::rate_limit::RateLimit`, what a
/// server announced.)
///
/// ```
/// use std::time::Duration;
/// use intercom_dummy::RateLimitConfig;
///
/// let limit = RateLimitConfig::per_minute(500);
/// assert_eq!(limit, RateLimitConfig::new(500, Duration::from_secs(60)));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimitConfig {
    /// Requests allowed per window.
    pub limit: u32,
    /// The window's length.
    pub window: Duration,
}

impl RateLimitConfig {
    /// `limit` requests per `window`.
    ///
    /// ```
    /// use std::time::Duration;
    /// use intercom_dummy::RateLimitConfig;
    ///
    /// let limit = RateLimitConfig::new(100, Duration::from_secs(10));
    /// assert_eq!((limit.limit, limit.window), (100, Duration::from_secs(10)));
    /// ```
    pub fn new(limit: u32, window: Duration) -> Self {
        RateLimitConfig { limit, window }
    }

    /// `limit` requests per minute.
    ///
    /// ```
    /// use std::time::Duration;
    /// use intercom_dummy::RateLimitConfig;
    ///
    /// assert_eq!(RateLimitConfig::per_minute(500).window, Duration::from_secs(60));
    /// ```
    pub fn per_minute(limit: u32) -> Self {
        Self::new(limit, Duration::from_secs(60))
    }
}

/// The longest window honoured (a year), so that time arithmetic cannot overflow.
const MAX_WINDOW: Duration = Duration::from_secs(365 * 24 * 60 * 60);

/// Where a client stands in the current window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Quota {
    pub(crate) limit: u32,
    pub(crate) remaining: u32,
    /// When the window ends, UNIX seconds (rounded up).
    pub(crate) reset: u64,
    /// Whole seconds until then, at least 1.
    pub(crate) retry_after: u64,
}

/// The counter of one server.
#[derive(Debug)]
pub(crate) struct Limiter {
    config: RateLimitConfig,
    window_start: Instant,
    used: u32,
}

impl Limiter {
    pub(crate) fn new(config: RateLimitConfig) -> Self {
        let config = RateLimitConfig {
            window: config.window.clamp(Duration::from_secs(1), MAX_WINDOW),
            ..config
        };
        Limiter {
            config,
            window_start: Instant::now(),
            used: 0,
        }
    }

    fn roll(&mut self, now: Instant) {
        if now.duration_since(self.window_start) >= self.config.window {
            self.window_start = now;
            self.used = 0;
        }
    }

    fn quota(&self, now: Instant) -> Quota {
        let left = (self.window_start + self.config.window).saturating_duration_since(now);
        let unix_now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let retry_after = left.as_secs() + u64::from(left.subsec_nanos() > 0);
        let reset = (unix_now + left).as_secs() + u64::from((unix_now + left).subsec_nanos() > 0);
        Quota {
            limit: self.config.limit,
            remaining: self.config.limit.saturating_sub(self.used),
            reset,
            retry_after: retry_after.max(1),
        }
    }

    /// Counts one request: `Ok` with what is left, `Err` when the window is used up.
    pub(crate) fn take(&mut self) -> Result<Quota, Quota> {
        let now = Instant::now();
        self.roll(now);
        if self.used >= self.config.limit {
            return Err(self.quota(now));
        }
        self.used += 1;
        Ok(self.quota(now))
    }

    /// The quota without counting a request.
    pub(crate) fn peek(&mut self) -> Quota {
        let now = Instant::now();
        self.roll(now);
        self.quota(now)
    }

    /// A fresh window.
    pub(crate) fn reset(&mut self) {
        self.window_start = Instant::now();
        self.used = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_down_then_refuses_until_the_window_ends() {
        let mut limiter = Limiter::new(RateLimitConfig::per_minute(2));
        assert_eq!(limiter.take().unwrap().remaining, 1);
        assert_eq!(limiter.take().unwrap().remaining, 0);
        let refused = limiter.take().unwrap_err();
        assert_eq!(refused.remaining, 0);
        assert!((1..=60).contains(&refused.retry_after));
        let unix_now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        assert!(refused.reset > unix_now && refused.reset <= unix_now + 61);
        limiter.reset();
        assert_eq!(limiter.peek().remaining, 2);
    }
}
