//! Waits and deadlines: a rate-limit wait never exceeds the retry configuration, bulk pacing
//! never waits longer than a call may take, and a silent server meets the attempt and call
//! timeouts.

use std::time::Duration;

use intercom_api::{Error, EventUser, NewEvent, RetryConfig, TimeLimit, time::UnixTime};
use serde_json::json;

use crate::support::{
    clock::{NOW, RecordingClock},
    hostile::{Hostile, Reply},
};

use super::{builder, get_user, user};

/// A 200 that leaves no request in a window resetting at `reset`.
fn exhausted(reset: u64) -> Reply {
    Reply::json(&user(1))
        .header("x-ratelimit-limit", "500")
        .header("x-ratelimit-remaining", "0")
        .header("x-ratelimit-reset", &reset.to_string())
}

#[tokio::test]
async fn the_rate_limit_wait_never_exceeds_the_retry_configuration() {
    // A reset in the year 9999.
    let server = Hostile::start(|_| exhausted(253_402_300_799)).await;
    let clock = RecordingClock::fixed();
    let client = builder(&server)
        .clock(clock.clone())
        .wait_on_rate_limit(true)
        .build()
        .unwrap();
    get_user(&client).await.unwrap();
    let error = get_user(&client).await.unwrap_err();
    let Error::RateLimited(limited) = &error else {
        panic!("expected RateLimited, got {error:?}")
    };
    assert_eq!(
        limited.retry_after,
        Some(Duration::from_secs(253_402_300_799 - NOW))
    );
    assert_eq!(limited.operation, "get_user");
    assert!(clock.sleeps().is_empty(), "{:?}", clock.sleeps());
    // Not sent.
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn bulk_pacing_does_not_wait_for_a_window_further_away_than_a_call_may_take() {
    // Every event accepted, and every answer says no request is left until the year 9999.
    let server = Hostile::start(|_| {
        Reply::status_json(202, &json!({}))
            .header("x-ratelimit-limit", "500")
            .header("x-ratelimit-remaining", "0")
            .header("x-ratelimit-reset", "253402300799")
    })
    .await;
    let client = builder(&server).build().unwrap();
    let events = (0..3).map(|i| {
        NewEvent::new("paced", EventUser::user_id(format!("{}", i + 1)))
            .created_at(UnixTime::from_unix(1_700_000_000).unwrap())
    });
    // A liveness bound, not a speed target: unbounded pacing would wait until the year 9999.
    let report = tokio::time::timeout(
        Duration::from_secs(60),
        client.events().create_many(events).concurrency(1).send(),
    )
    .await
    .expect("the pacer waited for a window the client may not wait for");
    assert_eq!(report.accepted, 3, "{report:?}");
    assert_eq!(server.requests(), 3);
}

#[tokio::test]
async fn a_rate_limit_wait_within_the_configuration_is_waited() {
    let server = Hostile::start(|_| exhausted(NOW + 5)).await;
    let clock = RecordingClock::fixed();
    let client = builder(&server)
        .clock(clock.clone())
        .wait_on_rate_limit(true)
        .build()
        .unwrap();
    get_user(&client).await.unwrap();
    get_user(&client).await.unwrap();
    assert_eq!(clock.sleeps(), [Duration::from_secs(5)]);
    assert_eq!(server.requests(), 2);
}

#[tokio::test]
async fn a_silent_server_meets_the_call_timeout() {
    let server = Hostile::start(|_| Reply::Silent).await;
    let client = builder(&server)
        .timeout(Duration::from_secs(30))
        .call_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let error = get_user(&client).await.unwrap_err();
    assert!(
        matches!(&error, Error::Timeout { limit: TimeLimit::Call(limit), operation, .. }
            if *limit == Duration::from_millis(300) && operation == "get_user"),
        "{error:?}"
    );
    let text = error.to_string();
    assert!(
        text.contains("call timeout of 300ms") && text.contains("call_timeout"),
        "{text}"
    );
    assert!(error.is_retryable());
}

#[tokio::test]
async fn a_silent_server_meets_the_attempt_timeout() {
    let server = Hostile::start(|_| Reply::Silent).await;
    let client = builder(&server)
        .timeout(Duration::from_millis(200))
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    let error = get_user(&client).await.unwrap_err();
    assert!(
        matches!(&error, Error::Timeout { limit: TimeLimit::Attempt(Some(limit)), .. }
            if *limit == Duration::from_millis(200)),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("attempt timeout of 200ms"),
        "{error}"
    );
}

#[tokio::test]
async fn a_retry_that_cannot_finish_in_time_is_not_made() {
    // 503 asking for 5 s, within max_backoff (20 s) but beyond a 1 s call timeout.
    let server = Hostile::start(|_| {
        Reply::status_json(
            503,
            &json!({"type": "error.list", "errors": [{"code": "service_unavailable"}]}),
        )
        .header("retry-after", "5")
    })
    .await;
    let clock = RecordingClock::fixed();
    let client = builder(&server)
        .clock(clock.clone())
        .call_timeout(Duration::from_secs(1))
        .build()
        .unwrap();
    let error = get_user(&client).await.unwrap_err();
    assert!(
        matches!(&error, Error::Api(api) if api.status.as_u16() == 503),
        "{error:?}"
    );
    assert!(clock.sleeps().is_empty(), "{:?}", clock.sleeps());
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn a_call_timeout_beyond_any_instant_is_no_deadline() {
    let server = Hostile::start(|_| Reply::json(&user(1))).await;
    let client = builder(&server)
        .call_timeout(Duration::MAX)
        .max_response_bytes(u64::MAX)
        .build()
        .unwrap();
    assert_eq!(
        get_user(&client).await.unwrap().user_id.as_deref(),
        Some("1")
    );
}
