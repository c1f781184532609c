//! A clock for tests: a fixed "now" and sleeps that are recorded and return at once.

use std::{
    sync::{Arc, Mutex},
    time::{Duration, SystemTime},
};

use intercom_api::clock::{Clock, Sleep};

/// The fixed time of [`TestClock`]: 2023-11-14T22:13:20Z.
pub const NOW: u64 = 1_700_000_000;

#[derive(Debug, Default)]
pub struct TestClock {
    sleeps: Mutex<Vec<Duration>>,
}

impl TestClock {
    pub fn new() -> Arc<TestClock> {
        Arc::new(TestClock::default())
    }

    /// Every wait asked for, in order.
    pub fn sleeps(&self) -> Vec<Duration> {
        self.sleeps.lock().unwrap().clone()
    }
}

impl Clock for TestClock {
    fn now(&self) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(NOW)
    }

    fn sleep(&self, duration: Duration) -> Sleep {
        self.sleeps.lock().unwrap().push(duration);
        Box::pin(async {})
    }
}
