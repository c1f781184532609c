//! The client is bounded whatever a server sends: answer sizes, error excerpts and decode
//! paths, page streams, rate-limit waits and the time of a whole call. Every case runs against a
//! hostile raw HTTP server on 127.0.0.1 (`support::hostile`), not the dummy server.

mod support;

use std::time::Duration;

use futures_util::StreamExt;
use intercom_api::{
    Client, ClientBuilder, Error, EventUser, NewEvent, RetryConfig, TimeLimit, UserRef,
    time::UnixTime,
};
use serde_json::{Value, json};

use crate::support::{
    clock::{NOW, RecordingClock},
    hostile::{Hostile, Reply},
};

fn builder(server: &Hostile) -> ClientBuilder {
    Client::builder()
        .base_url(server.url())
        .basic("dummy-app-id", "dummy-api-key")
        .token("dummy-access-token")
        .clock(RecordingClock::fixed())
}

fn user(n: usize) -> Value {
    json!({"type": "user", "id": format!("id-{n}"), "user_id": n.to_string(), "email": format!("u{n}@example.com")})
}

/// A users page: `users` users, this `page`, a `next_page` and `total_pages`.
fn users_page(users: usize, page: i64, next_page: Option<i64>, total_pages: i64) -> Reply {
    Reply::json(&json!({
        "type": "user.list",
        "users": (0..users).map(user).collect::<Vec<_>>(),
        "page": page,
        "next_page": next_page,
        "previous_page": null,
        "total_count": 1_000_000,
        "total_pages": total_pages,
    }))
}

/// An events page with `events` events and this `next` link.
fn events_page(events: usize, next: &str) -> Reply {
    let events: Vec<Value> = (0..events)
        .map(|i| json!({"type": "event", "event_name": "viewed", "created_at": 1_671_028_894 - i as i64, "user_id": "314159"}))
        .collect();
    Reply::json(&json!({"type": "event.list", "events": events, "pages": {"next": next}}))
}

/// The page number of a users request (`page=` in the query, 1 without).
fn page_of(target: &str) -> i64 {
    target
        .split(['?', '&'])
        .find_map(|pair| pair.strip_prefix("page="))
        .and_then(|n| n.parse().ok())
        .unwrap_or(1)
}

async fn get_user(client: &Client) -> Result<intercom_api::types::User, Error> {
    client.users().get(UserRef::user_id("1")).send().await
}

// Answer sizes.

#[tokio::test]
async fn an_answer_announced_over_the_limit_is_refused_unread() {
    let server = Hostile::start(|_| Reply::Announced {
        length: 2 << 30,
        fill: b' ',
    })
    .await;
    let client = builder(&server).build().unwrap();
    let error = get_user(&client).await.unwrap_err();
    let Error::ResponseTooLarge {
        operation,
        status,
        limit,
    } = &error
    else {
        panic!("expected ResponseTooLarge, got {error:?}")
    };
    assert_eq!(
        (operation.as_str(), status.as_u16(), *limit),
        ("get_user", 200, intercom_api::defaults::MAX_RESPONSE_BYTES)
    );
    let text = error.to_string();
    assert!(
        text.contains("get_user") && text.contains("16777216 bytes"),
        "{text}"
    );
    assert!(!error.is_retryable());
    assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
    // Not retried: the same request would bring the same answer.
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn an_endless_chunked_answer_stops_at_the_limit() {
    let server = Hostile::start(|_| Reply::Chunked {
        status: 200,
        total: None,
        fill: b'[',
    })
    .await;
    let client = builder(&server)
        .max_response_bytes(256 * 1024)
        .build()
        .unwrap();
    let error = get_user(&client).await.unwrap_err();
    assert!(
        matches!(&error, Error::ResponseTooLarge { limit: 262_144, operation, .. } if operation == "get_user"),
        "{error:?}"
    );
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn a_long_error_answer_is_refused_too() {
    // 2 MiB of an HTML error page, chunked: over a 1 MiB limit whatever the status.
    let server = Hostile::start(|_| Reply::Chunked {
        status: 502,
        total: Some(2 << 20),
        fill: b'<',
    })
    .await;
    let client = builder(&server)
        .max_response_bytes(1 << 20)
        .build()
        .unwrap();
    let error = get_user(&client).await.unwrap_err();
    assert!(
        matches!(&error, Error::ResponseTooLarge { status, .. } if status.as_u16() == 502),
        "{error:?}"
    );
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn an_answer_in_many_chunks_under_the_limit_is_read_whole() {
    let page = json!({
        "type": "user.list",
        "users": (0..200).map(user).collect::<Vec<_>>(),
        "page": 1, "next_page": null, "previous_page": null, "total_count": 200, "total_pages": 1,
    });
    let body = page.to_string().into_bytes();
    let size = body.len() as u64;
    let server = Hostile::start(move |_| Reply::ChunkedBody {
        body: body.clone(),
        chunk: 1000,
    })
    .await;
    // Exactly the body's size is allowed.
    let client = builder(&server).max_response_bytes(size).build().unwrap();
    let page = client.users().list().send().await.unwrap();
    assert_eq!(page.users.len(), 200);
    assert_eq!(page.users[199].user_id.as_deref(), Some("199"));
    // One byte less is not.
    let client = builder(&server)
        .max_response_bytes(size - 1)
        .build()
        .unwrap();
    let error = client.users().list().send().await.unwrap_err();
    assert!(matches!(error, Error::ResponseTooLarge { .. }), "{error:?}");
}

// Error excerpts and decode paths.

#[tokio::test]
async fn an_error_excerpt_is_a_few_hundred_characters() {
    let html = format!("<html>{}</html>", "<p>bad gateway</p>\n".repeat(50_000));
    let server = Hostile::start(move |_| Reply::Full {
        status: 502,
        headers: vec![("content-type".into(), "text/html".into())],
        body: html.clone().into_bytes(),
    })
    .await;
    let client = builder(&server).build().unwrap();
    let error = get_user(&client).await.unwrap_err();
    let Error::Api(api) = &error else {
        panic!("expected Api, got {error:?}")
    };
    assert_eq!(api.status.as_u16(), 502);
    assert!(
        api.message.starts_with("<html><p>bad gateway</p> <p>"),
        "{}",
        api.message
    );
    assert!(api.message.ends_with('…'), "{}", api.message);
    assert!(api.message.chars().count() <= 201, "{}", api.message);
    assert!(error.to_string().len() < 1_000);
}

#[tokio::test]
async fn a_decode_path_of_huge_keys_is_shortened() {
    // 100 nested keys of 64 KiB, then the body breaks off: the failing path is 6.5 M characters.
    let key = "k".repeat(64 * 1024);
    let mut body = String::from(r#"{"type":"user","id":"1","custom_data":"#);
    for _ in 0..100 {
        body.push_str(&format!("{{\"{key}\":"));
    }
    body.push('[');
    let server = Hostile::start(move |_| Reply::Full {
        status: 200,
        headers: vec![("content-type".into(), "application/json".into())],
        body: body.clone().into_bytes(),
    })
    .await;
    let client = builder(&server).build().unwrap();
    let error = get_user(&client).await.unwrap_err();
    let Error::Decode(decode) = &error else {
        panic!("expected Decode, got {error:?}")
    };
    assert!(
        decode.path.starts_with("custom_data.kkk"),
        "{}",
        decode.path
    );
    assert!(decode.path.ends_with('…'));
    assert!(decode.path.chars().count() <= 301, "{}", decode.path.len());
    assert!(decode.body_excerpt.chars().count() <= 201);
    let text = error.to_string();
    assert!(text.len() < 2_000, "{} characters", text.len());
}

// Page streams.

#[tokio::test]
async fn a_users_stream_stops_on_an_empty_page() {
    // Every page is empty and announces one more.
    let server = Hostile::start(|request| {
        let page = page_of(request.target);
        users_page(0, page, Some(page + 1), 1_000_000)
    })
    .await;
    let client = builder(&server).build().unwrap();
    let users = client.users().list().collect_all().await.unwrap();
    assert!(users.is_empty());
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn a_users_stream_stops_past_total_pages() {
    // Pages keep announcing a next one, but there are 3 pages in all.
    let server = Hostile::start(|request| {
        let page = page_of(request.target);
        users_page(2, page, Some(page + 1), 3)
    })
    .await;
    let client = builder(&server).build().unwrap();
    let users = client.users().list().collect_all().await.unwrap();
    assert_eq!(users.len(), 6);
    assert_eq!(server.requests(), 3);
}

#[tokio::test]
async fn a_users_stream_that_never_ends_reaches_the_page_limit() {
    let server = Hostile::start(|request| {
        let page = page_of(request.target);
        users_page(1, page, Some(page + 1), i64::MAX)
    })
    .await;
    let client = builder(&server).max_pages(5).build().unwrap();
    // The five pages are delivered, then the error.
    let pages: Vec<_> = client.users().list().pages().collect().await;
    assert_eq!(pages.len(), 6);
    assert!(pages[..5].iter().all(Result::is_ok));
    let error = pages[5].as_ref().unwrap_err();
    assert!(
        matches!(error, Error::TooManyPages { operation, limit: 5 } if operation == "list_users"),
        "{error:?}"
    );
    assert!(error.to_string().contains("5 pages"), "{error}");
    assert_eq!(server.requests(), 5);
    let error = client.users().list().collect_all().await.unwrap_err();
    assert!(matches!(error, Error::TooManyPages { .. }), "{error:?}");
}

#[tokio::test]
async fn a_last_page_at_the_limit_is_no_error() {
    let server = Hostile::start(|request| {
        let page = page_of(request.target);
        users_page(1, page, (page < 3).then_some(page + 1), 3)
    })
    .await;
    let client = builder(&server).max_pages(3).build().unwrap();
    assert_eq!(client.users().list().collect_all().await.unwrap().len(), 3);
}

#[tokio::test]
async fn an_events_stream_with_fresh_cursors_reaches_the_page_limit() {
    let server = Hostile::start(|request| {
        events_page(1, &format!("{}/events?before={}", request.base, request.n))
    })
    .await;
    let client = builder(&server).max_pages(4).build().unwrap();
    let error = client
        .events()
        .list(EventUser::user_id("314159"))
        .collect_all()
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::TooManyPages { operation, limit: 4 } if operation == "list_events"),
        "{error:?}"
    );
    assert_eq!(server.requests(), 4);
}

#[tokio::test]
async fn an_events_stream_stops_on_an_empty_page() {
    let server =
        Hostile::start(|request| events_page(0, &format!("{}/events?before=1", request.base)))
            .await;
    let client = builder(&server).build().unwrap();
    let events = client
        .events()
        .list(EventUser::user_id("314159"))
        .collect_all()
        .await
        .unwrap();
    assert!(events.is_empty());
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn an_events_stream_stops_on_a_repeated_cursor() {
    let server =
        Hostile::start(|request| events_page(1, &format!("{}/events?before=1", request.base)))
            .await;
    let client = builder(&server).build().unwrap();
    let events = client
        .events()
        .list(EventUser::user_id("314159"))
        .collect_all()
        .await
        .unwrap();
    // The first page and the linked one; the link repeats, so the stream ends.
    assert_eq!(events.len(), 2);
    assert_eq!(server.requests(), 2);
}

// Waits and deadlines.

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
