//! Page streams end: on an empty page, past `total_pages`, on a repeated cursor, or at the page
//! limit for a server whose pages never end.

use futures_util::StreamExt;
use intercom_api::{Error, EventUser};
use serde_json::{Value, json};

use crate::support::hostile::{Hostile, Reply};

use super::{builder, user};

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
