//! Helpers of the reliability tests (`tests/reliability_*.rs`): a clock that records waits
//! instead of sleeping, and the retry settings that keep soak tests fast.
#![allow(dead_code)] // each test binary uses a different subset

use std::{
    sync::{Arc, Mutex},
    time::{Duration, SystemTime},
};

use intercom_api::{
    RetryConfig,
    clock::{Clock, Sleep},
};

/// The system time, and sleeps that are recorded and return at once: the client's waits can be
/// asserted (including a wait until an `X-RateLimit-Reset` the dummy computed from the real
/// time) without the test waiting.
#[derive(Debug, Default)]
pub struct LiveClock {
    sleeps: Mutex<Vec<Duration>>,
}

impl LiveClock {
    pub fn new() -> Arc<LiveClock> {
        Arc::new(LiveClock::default())
    }

    /// Every wait asked for, in order.
    pub fn sleeps(&self) -> Vec<Duration> {
        self.sleeps.lock().unwrap().clone()
    }
}

impl Clock for LiveClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }

    fn sleep(&self, duration: Duration) -> Sleep {
        self.sleeps.lock().unwrap().push(duration);
        Box::pin(async {})
    }
}

/// `attempts` tries per request, no backoff (the soak tests' setting).
pub fn eager(attempts: u32) -> RetryConfig {
    RetryConfig::standard()
        .with_max_attempts(attempts)
        .with_initial_backoff(Duration::ZERO)
}
