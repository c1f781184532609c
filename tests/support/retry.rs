//! Retry settings of the tests.

use std::time::Duration;

use intercom_api::RetryConfig;

/// `attempts` tries per request with no backoff between them (the soak tests' setting: their
/// waits would only be recorded by the clock anyway).
pub fn retry_without_waiting(attempts: u32) -> RetryConfig {
    RetryConfig::standard()
        .with_max_attempts(attempts)
        .with_initial_backoff(Duration::ZERO)
}
