//! The recording clock: sleeps are recorded and return at once, so the client's waits can be
//! asserted without the test waiting.

use std::{
    sync::{Arc, Mutex},
    time::{Duration, SystemTime},
};

use intercom_api::clock::{Clock, Sleep};

/// The "now" of [`RecordingClock::fixed`]: 2023-11-14T22:13:20Z.
pub const NOW: u64 = 1_700_000_000;

/// A clock whose sleeps are recorded and return at once; its time is either fixed at [`NOW`]
/// or the system time.
#[derive(Debug, Default)]
pub struct RecordingClock {
    /// `None`: the system time.
    now: Option<SystemTime>,
    sleeps: Mutex<Vec<Duration>>,
}

impl RecordingClock {
    /// Always [`NOW`]: waits computed from a time the test sets (`Retry-After` dates,
    /// `X-RateLimit-Reset`) are exact.
    pub fn fixed() -> Arc<RecordingClock> {
        Arc::new(RecordingClock {
            now: Some(SystemTime::UNIX_EPOCH + Duration::from_secs(NOW)),
            sleeps: Mutex::default(),
        })
    }

    /// The system time: for waits until an `X-RateLimit-Reset` the dummy server computed from
    /// the real time.
    pub fn system_time() -> Arc<RecordingClock> {
        Arc::new(RecordingClock::default())
    }

    /// Every wait asked for, in order.
    pub fn sleeps(&self) -> Vec<Duration> {
        self.sleeps.lock().unwrap().clone()
    }
}

impl Clock for RecordingClock {
    fn now(&self) -> SystemTime {
        self.now.unwrap_or_else(SystemTime::now)
    }

    fn sleep(&self, duration: Duration) -> Sleep {
        self.sleeps.lock().unwrap().push(duration);
        Box::pin(async {})
    }
}
