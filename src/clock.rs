//! [`Clock`]: where the client gets the time and how it waits, replaceable in tests.

use std::{
    fmt,
    future::Future,
    pin::Pin,
    time::{Duration, SystemTime},
};

/// A boxed future that completes after a wait.
///
/// ```
/// use std::time::Duration;
/// use intercom_api::clock::Sleep;
///
/// // What `Clock::sleep` returns: here, a real wait on tokio's timer.
/// fn sleep(duration: Duration) -> Sleep {
///     Box::pin(tokio::time::sleep(duration))
/// }
/// ```
pub type Sleep = Pin<Box<dyn Future<Output = ()> + Send>>;

/// The time source and sleeper of the retry and rate-limit logic.
///
/// The default, [`SystemClock`], reads the system time and sleeps with tokio. Tests replace it
/// (see [`ClientBuilder::clock`](crate::ClientBuilder::clock)) to observe the waits chosen
/// without waiting.
///
/// ```
/// use std::{sync::{Arc, Mutex}, time::{Duration, SystemTime}};
/// use intercom_api::clock::{Clock, Sleep};
///
/// /// Records every wait and returns at once.
/// #[derive(Debug, Default)]
/// struct Recorder(Mutex<Vec<Duration>>);
///
/// impl Clock for Recorder {
///     fn now(&self) -> SystemTime {
///         SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
///     }
///     fn sleep(&self, duration: Duration) -> Sleep {
///         self.0.lock().unwrap().push(duration);
///         Box::pin(async {})
///     }
/// }
///
/// let clock = Arc::new(Recorder::default());
/// let client = intercom_api::Client::builder()
///     .basic("dummy-app-id", "dummy-api-key")
///     .clock(clock.clone())
///     .build()
///     .unwrap();
/// # drop(client);
/// ```
pub trait Clock: fmt::Debug + Send + Sync {
    /// The current time.
    ///
    /// ```
    /// use std::time::SystemTime;
    /// use intercom_api::clock::{Clock, SystemClock};
    ///
    /// let clock: &dyn Clock = &SystemClock;
    /// assert!(clock.now() <= SystemTime::now());
    /// ```
    fn now(&self) -> SystemTime;

    /// A future that completes after `duration`.
    ///
    /// ```
    /// use std::time::{Duration, Instant};
    /// use intercom_api::clock::{Clock, SystemClock};
    ///
    /// # #[tokio::main]
    /// # async fn main() {
    /// let started = Instant::now();
    /// SystemClock.sleep(Duration::from_millis(20)).await;
    /// assert!(started.elapsed() >= Duration::from_millis(20));
    /// # }
    /// ```
    fn sleep(&self, duration: Duration) -> Sleep;
}

/// The real clock: system time, tokio timers.
///
/// ```
/// use std::time::SystemTime;
/// use intercom_api::clock::{Clock, SystemClock};
///
/// let now = SystemClock.now();
/// assert!(now > SystemTime::UNIX_EPOCH);
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }

    fn sleep(&self, duration: Duration) -> Sleep {
        Box::pin(tokio::time::sleep(duration))
    }
}
