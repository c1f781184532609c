//! Retries: how many attempts, which wait each used (Retry-After, then the rate-limit reset,
//! then jittered backoff), and that writes which are not idempotent are not replayed. The clock
//! is a test clock: waits are recorded, not slept.

use std::{sync::Arc, time::Duration};

use crate::support::{
    clock::{NOW, RecordingClock},
    fixtures::fixture,
    hostile::{Hostile, Reply},
    mock::builder_for,
    raw_http::port_nobody_listens_on,
};
use intercom_api::{Client, Error, EventUser, NewEvent, RetryConfig, UserRef};
use serde_json::json;
use wiremock::{Mock, MockServer, ResponseTemplate, matchers::any};

/// Answers the first `times` requests with `first`, every later one with `then`.
async fn sequence(first: ResponseTemplate, times: u64, then: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(first)
        .up_to_n_times(times)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(any()).respond_with(then).mount(&server).await;
    server
}

fn client(server: &MockServer, clock: &Arc<RecordingClock>) -> Client {
    builder_for(server).clock(clock.clone()).build().unwrap()
}

fn user_ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(fixture("getUser.response.json"))
}

fn status(code: u16) -> ResponseTemplate {
    ResponseTemplate::new(code)
        .set_body_json(json!({"error": {"type": "server_error", "message": "boom"}}))
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

#[tokio::test]
async fn safe_reads_are_retried_with_jittered_backoff() {
    for code in [408, 500, 502, 503, 504] {
        let server = sequence(status(code), 2, user_ok()).await;
        let clock = RecordingClock::fixed();
        let user = client(&server, &clock)
            .users()
            .get(UserRef::user_id("123"))
            .send()
            .await;
        assert!(user.is_ok(), "{code}: {user:?}");
        assert_eq!(requests(&server).await, 3, "{code}");
        let sleeps = clock.sleeps();
        assert_eq!(sleeps.len(), 2, "{code}");
        assert!(sleeps[0] <= Duration::from_millis(500), "{sleeps:?}");
        assert!(sleeps[1] <= Duration::from_secs(1), "{sleeps:?}");
    }
}

#[tokio::test]
async fn attempts_stop_at_the_configured_number() {
    let server = sequence(status(503), 10, user_ok()).await;
    let clock = RecordingClock::fixed();
    let client = builder_for(&server)
        .clock(clock.clone())
        .retry(RetryConfig::standard().with_max_attempts(4))
        .build()
        .unwrap();
    let error = client
        .users()
        .get(UserRef::user_id("123"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(requests(&server).await, 4);
    assert_eq!(clock.sleeps().len(), 3);

    let server = sequence(status(503), 10, user_ok()).await;
    let clock = RecordingClock::fixed();
    let client = builder_for(&server)
        .clock(clock.clone())
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    client
        .users()
        .get(UserRef::user_id("123"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(requests(&server).await, 1);
    assert!(clock.sleeps().is_empty());
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let server = sequence(status(404), 10, user_ok()).await;
    let clock = RecordingClock::fixed();
    client(&server, &clock)
        .users()
        .get(UserRef::user_id("123"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(requests(&server).await, 1);
}

#[tokio::test]
async fn retry_after_seconds_is_waited_first() {
    let limited = status(429)
        .insert_header("retry-after", "3")
        .insert_header("x-ratelimit-limit", "10")
        .insert_header("x-ratelimit-remaining", "0")
        .insert_header("x-ratelimit-reset", (NOW + 8).to_string());
    let server = sequence(limited, 1, user_ok()).await;
    let clock = RecordingClock::fixed();
    client(&server, &clock)
        .users()
        .get(UserRef::user_id("123"))
        .send()
        .await
        .unwrap();
    assert_eq!(clock.sleeps(), [Duration::from_secs(3)]);
}

#[tokio::test]
async fn retry_after_as_an_http_date() {
    // NOW + 6 s = Tue, 14 Nov 2023 22:13:26 GMT.
    let limited = status(429).insert_header("retry-after", "Tue, 14 Nov 2023 22:13:26 GMT");
    let server = sequence(limited, 1, user_ok()).await;
    let clock = RecordingClock::fixed();
    client(&server, &clock)
        .users()
        .get(UserRef::user_id("123"))
        .send()
        .await
        .unwrap();
    assert_eq!(clock.sleeps(), [Duration::from_secs(6)]);
}

#[tokio::test]
async fn without_retry_after_the_rate_limit_reset_is_waited() {
    let limited = status(429)
        .insert_header("x-ratelimit-limit", "10")
        .insert_header("x-ratelimit-remaining", "0")
        .insert_header("x-ratelimit-reset", (NOW + 4).to_string());
    let server = sequence(limited, 1, user_ok()).await;
    let clock = RecordingClock::fixed();
    client(&server, &clock)
        .users()
        .get(UserRef::user_id("123"))
        .send()
        .await
        .unwrap();
    assert_eq!(clock.sleeps(), [Duration::from_secs(4)]);
}

#[tokio::test]
async fn a_wait_longer_than_the_cap_is_reported_not_waited() {
    let limited = status(429).insert_header("retry-after", "3600");
    let server = sequence(limited, 10, user_ok()).await;
    let clock = RecordingClock::fixed();
    let error = client(&server, &clock)
        .users()
        .get(UserRef::user_id("123"))
        .send()
        .await
        .unwrap_err();
    let Error::RateLimited(limited) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(limited.retry_after, Some(Duration::from_secs(3600)));
    assert_eq!(requests(&server).await, 1);
    assert!(clock.sleeps().is_empty());
}

#[tokio::test]
async fn notes_threads_and_tag_creation_are_not_replayed_after_a_5xx() {
    let clock = RecordingClock::fixed();
    let ben = || UserRef::email("ben@intercom.io");

    let server = sequence(status(503), 10, user_ok()).await;
    let error = client(&server, &clock)
        .notes()
        .create(ben(), "hi")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(requests(&server).await, 1, "one note, not two");

    let server = sequence(status(500), 10, user_ok()).await;
    client(&server, &clock)
        .message_threads()
        .create(ben(), "hi")
        .send()
        .await
        .unwrap_err();
    assert_eq!(requests(&server).await, 1);

    let server = sequence(status(502), 10, user_ok()).await;
    client(&server, &clock)
        .message_threads()
        .reply(ben(), 1, "hi")
        .send()
        .await
        .unwrap_err();
    assert_eq!(requests(&server).await, 1);

    let server = sequence(status(504), 10, user_ok()).await;
    client(&server, &clock)
        .tags()
        .create("VIP")
        .send()
        .await
        .unwrap_err();
    assert_eq!(requests(&server).await, 1);
    assert!(clock.sleeps().is_empty());
}

#[tokio::test]
async fn notes_are_retried_after_a_429_which_means_not_processed() {
    let note = ResponseTemplate::new(200).set_body_json(fixture("createNote.response.json"));
    let server = sequence(status(429).insert_header("retry-after", "1"), 1, note).await;
    let clock = RecordingClock::fixed();
    let client = client(&server, &clock);
    client
        .notes()
        .create(UserRef::email("ben@intercom.io"), "hi")
        .send()
        .await
        .unwrap();
    assert_eq!(requests(&server).await, 2);
    assert_eq!(clock.sleeps(), [Duration::from_secs(1)]);
}

#[tokio::test]
async fn upserts_and_events_are_replayed() {
    let created = ResponseTemplate::new(200).set_body_json(fixture("createUser.response.json"));
    let server = sequence(status(503), 1, created).await;
    let clock = RecordingClock::fixed();
    client(&server, &clock)
        .users()
        .create(UserRef::email("ben@intercom.io"))
        .send()
        .await
        .unwrap();
    assert_eq!(requests(&server).await, 2);

    let server = sequence(status(500), 2, ResponseTemplate::new(202)).await;
    let event = NewEvent::new("signed-in", EventUser::user_id("1"));
    client(&server, &clock)
        .events()
        .create(event)
        .send()
        .await
        .unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 3);
    // Every try carries the same created_at, so Intercom de-duplicates the replays.
    let times: Vec<serde_json::Value> = received
        .iter()
        .map(|r| r.body_json::<serde_json::Value>().unwrap()["created_at"].clone())
        .collect();
    assert_eq!(times, [json!(NOW), json!(NOW), json!(NOW)]);
}

#[tokio::test]
async fn a_refused_connection_is_retried_even_for_notes() {
    let port = port_nobody_listens_on();
    let clock = RecordingClock::fixed();
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .basic("dummy-app-id", "dummy-api-key")
        .clock(clock.clone())
        .build()
        .unwrap();
    let error = client
        .notes()
        .create(UserRef::email("ben@intercom.io"), "hi")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert_eq!(
        clock.sleeps().len(),
        2,
        "3 attempts: the request never reached a server"
    );
}

#[tokio::test]
async fn a_connection_dropped_after_the_request_is_retried_only_when_safe() {
    // The first connection is closed once the request has arrived, unanswered.
    let body = fixture("getUser.response.json");
    let hangs_up_once = Hostile::start(move |r| match r.n {
        0 => Reply::Hangup,
        _ => Reply::json(&body),
    })
    .await;
    let clock = RecordingClock::fixed();
    let client = Client::builder()
        .base_url(hangs_up_once.url())
        .basic("dummy-app-id", "dummy-api-key")
        .clock(clock.clone())
        .build()
        .unwrap();
    let user = client
        .users()
        .get(UserRef::user_id("123"))
        .send()
        .await
        .unwrap();
    assert_eq!(user.name.as_deref(), Some("Ben"));
    assert_eq!(hangs_up_once.requests(), 2);

    let note = fixture("createNote.response.json");
    let hangs_up_once = Hostile::start(move |r| match r.n {
        0 => Reply::Hangup,
        _ => Reply::json(&note),
    })
    .await;
    let client = Client::builder()
        .base_url(hangs_up_once.url())
        .basic("dummy-app-id", "dummy-api-key")
        .clock(clock.clone())
        .build()
        .unwrap();
    let error = client
        .notes()
        .create(UserRef::email("ben@intercom.io"), "hi")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert_eq!(
        hangs_up_once.requests(),
        1,
        "the note may have been stored: not sent again"
    );
}

#[tokio::test]
async fn the_opt_in_mode_waits_for_the_reset_before_sending() {
    let exhausted = user_ok()
        .insert_header("x-ratelimit-limit", "10")
        .insert_header("x-ratelimit-remaining", "0")
        .insert_header("x-ratelimit-reset", (NOW + 5).to_string());
    let server = sequence(exhausted, 1, user_ok()).await;
    let clock = RecordingClock::fixed();
    let client = builder_for(&server)
        .clock(clock.clone())
        .wait_on_rate_limit(true)
        .build()
        .unwrap();
    client
        .users()
        .get(UserRef::user_id("1"))
        .send()
        .await
        .unwrap();
    assert!(clock.sleeps().is_empty(), "nothing known yet");
    assert_eq!(client.rate_limit().map(|l| l.remaining), Some(0));
    client
        .users()
        .get(UserRef::user_id("1"))
        .send()
        .await
        .unwrap();
    assert_eq!(clock.sleeps(), [Duration::from_secs(5)]);

    // Without the mode, the client sends at once.
    let server = sequence(
        user_ok()
            .insert_header("x-ratelimit-limit", "10")
            .insert_header("x-ratelimit-remaining", "0")
            .insert_header("x-ratelimit-reset", (NOW + 5).to_string()),
        1,
        user_ok(),
    )
    .await;
    let clock = RecordingClock::fixed();
    let client = self::client(&server, &clock);
    client
        .users()
        .get(UserRef::user_id("1"))
        .send()
        .await
        .unwrap();
    client
        .users()
        .get(UserRef::user_id("1"))
        .send()
        .await
        .unwrap();
    assert!(clock.sleeps().is_empty());
}
