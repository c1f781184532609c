//! Bulk pacing at the quota the answers announce: no request of a bulk submit is refused.

use std::time::Duration;

use intercom_api::RetryConfig;
use intercom_dummy::{DummyServer, RateLimitConfig};

use super::events;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn paced_at_the_quota_no_request_is_refused() {
    // 40 requests a second, 130 events: four windows; without pacing, 16 at a time would
    // exhaust each window in a fraction of it and get 429s (not retried here).
    let server = DummyServer::builder()
        .seed_users(10)
        .rate_limit(RateLimitConfig::new(40, Duration::from_secs(1)))
        .start()
        .await
        .unwrap();
    let client = server
        .client_builder()
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    let report = client
        .events()
        .create_many(events(130))
        .concurrency(16)
        .send()
        .await;
    let refused: Vec<String> = report
        .failures
        .iter()
        .map(|f| f.error.to_string())
        .collect();
    assert!(refused.is_empty(), "{refused:?}");
    assert_eq!(server.state().counts().events, 130);
}
