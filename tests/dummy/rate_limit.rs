//! The dummy server's rate limiting: `X-RateLimit-*` headers counting down, 429 with
//! `Retry-After`, windows that refill.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::support::dummy_http::{Api, answer_to};
use intercom_dummy::{DummyServer, RateLimitConfig};
use reqwest::Method;

#[tokio::test]
async fn rate_limits_count_down_and_answer_429_with_retry_after() {
    let api =
        Api::start_with(DummyServer::builder().rate_limit(RateLimitConfig::per_minute(3))).await;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    for remaining in ["2", "1", "0"] {
        let answer = api.get("/v1/users").await;
        assert_eq!(answer.status, 200);
        assert_eq!(answer.header("x-ratelimit-limit"), Some("3"));
        assert_eq!(answer.header("x-ratelimit-remaining"), Some(remaining));
        let reset: u64 = answer.header("x-ratelimit-reset").unwrap().parse().unwrap();
        assert!(reset > now && reset <= now + 62, "UNIX seconds: {reset}");
    }
    let limited = api.get("/v1/users").await;
    assert_eq!(limited.status, 429);
    assert_eq!(limited.v1_error().0, "rate_limit_exceeded");
    let retry_after: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after));
    assert_eq!(limited.header("x-ratelimit-remaining"), Some("0"));

    let events = answer_to(api.bearer(Method::GET, "/events?type=user&user_id=1")).await;
    assert_eq!(events.status, 429);
    assert_eq!(events.error_list()[0]["code"], "rate_limit_exceeded");

    // Unauthenticated requests are not counted but still see the headers.
    let anonymous = answer_to(api.http.get(api.url("/v1/users"))).await;
    assert_eq!(anonymous.status, 401);
    assert_eq!(anonymous.header("x-ratelimit-limit"), Some("3"));

    api.server.reset();
    assert_eq!(api.get("/v1/users").await.status, 200);
}

#[tokio::test]
async fn a_short_window_refills() {
    let api = Api::start_with(
        DummyServer::builder().rate_limit(RateLimitConfig::new(1, Duration::from_secs(1))),
    )
    .await;
    assert_eq!(api.get("/v1/users").await.status, 200);
    let limited = api.get("/v1/users").await;
    assert_eq!(limited.status, 429);
    let wait: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    tokio::time::sleep(Duration::from_secs(wait)).await;
    assert_eq!(api.get("/v1/users").await.status, 200);
}

#[tokio::test]
async fn without_a_limit_there_are_no_rate_limit_headers() {
    let api = Api::start().await;
    for _ in 0..20 {
        let answer = api.get("/v1/users").await;
        assert_eq!(answer.status, 200);
        assert_eq!(answer.header("x-ratelimit-limit"), None);
    }
}
