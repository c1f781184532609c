//! `events().create_many`: every event accounted for, failures reported without stopping the
//! rest, `created_at` fixed before the first try; `.stream()` yields every outcome with its
//! index and the event as sent.

use futures_util::StreamExt;
use intercom_api::{BulkStatus, EventUser, NewEvent, time::UnixTime};
use serde_json::{Value, json};
use wiremock::{
    Mock, MockServer, ResponseTemplate,
    matchers::{any, body_partial_json},
};

use super::{dummy_with_ten_users, events};
use crate::support::{
    clock::{NOW, RecordingClock},
    mock::builder_for,
};

async fn server_rejecting_user(bad: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(body_partial_json(json!({"user_id": bad})))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "type": "error.list", "request_id": "r1",
            "errors": [{"code": "not_found", "message": "User Not Found"}]
        })))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(202))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn every_event_is_accounted_for_and_failures_do_not_stop_the_rest() {
    let server = server_rejecting_user("ghost").await;
    let client = builder_for(&server)
        .clock(RecordingClock::fixed())
        .build()
        .unwrap();
    let users = ["alice", "bob", "ghost"];
    let events = (0..30).map(|i| {
        NewEvent::new("viewed-page", EventUser::user_id(users[i % 3]))
            .created_at(UnixTime::from_unix(1_600_000_000 + i as i64).unwrap())
    });
    let report = client
        .events()
        .create_many(events)
        .concurrency(4)
        .send()
        .await;

    assert_eq!(report.submitted, 30);
    assert_eq!(report.accepted, 20);
    assert_eq!(report.failures.len(), 10);
    assert!(!report.is_complete());
    let mut failed: Vec<usize> = report.failures.iter().map(|f| f.index).collect();
    failed.sort();
    assert_eq!(failed, (0..30).filter(|i| i % 3 == 2).collect::<Vec<_>>());
    for failure in &report.failures {
        assert_eq!(failure.event.user_id.as_deref(), Some("ghost"));
        assert_eq!(
            failure.event.created_at.unix(),
            1_600_000_000 + failure.index as i64
        );
        assert_eq!(failure.error.status().map(|s| s.as_u16()), Some(404));
    }
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        30,
        "404 is not retried"
    );
}

#[tokio::test]
async fn missing_created_at_is_filled_once_before_sending() {
    let server = server_rejecting_user("ghost").await;
    let client = builder_for(&server)
        .clock(RecordingClock::fixed())
        .build()
        .unwrap();
    let report = client
        .events()
        .create_many([NewEvent::new("signed-in", EventUser::user_id("ghost"))])
        .send()
        .await;
    assert_eq!(report.failures[0].event.created_at.unix(), NOW as i64);
    let sent: Value = server.received_requests().await.unwrap()[0]
        .body_json()
        .unwrap();
    assert_eq!(sent["created_at"], json!(NOW));
}

#[tokio::test]
async fn concurrency_one_sends_in_input_order_and_streams_work_too() {
    let server = server_rejecting_user("nobody").await;
    let client = builder_for(&server).build().unwrap();
    let events = futures_util::stream::iter((0..12).map(|i| {
        NewEvent::new(format!("step-{i}"), EventUser::email("ben@intercom.io"))
            .created_at(UnixTime::from_unix(1_600_000_000).unwrap())
    }));
    let report = client
        .events()
        .create_many_stream(events)
        .concurrency(1)
        .send()
        .await;
    assert!(report.is_complete(), "{report:?}");
    let names: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| {
            r.body_json::<Value>().unwrap()["event_name"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        names,
        (0..12).map(|i| format!("step-{i}")).collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn nothing_to_send_is_a_complete_empty_report() {
    let server = MockServer::start().await;
    let client = builder_for(&server).build().unwrap();
    let report = client.events().create_many(Vec::new()).send().await;
    assert_eq!(
        (report.submitted, report.accepted, report.failures.len()),
        (0, 0, 0)
    );
    assert!(report.is_complete());
}

#[tokio::test]
async fn the_stream_yields_every_outcome_with_its_index_and_the_event_as_sent() {
    let server = dummy_with_ten_users().await;
    let mut input = events(50);
    input[7] = NewEvent::new("bulk-7", EventUser::user_id("ghost"));
    let outcomes: Vec<_> = server
        .client()
        .events()
        .create_many(input)
        .concurrency(4)
        .stream()
        .collect()
        .await;
    let mut indices: Vec<usize> = outcomes.iter().map(|o| o.index).collect();
    indices.sort();
    assert_eq!(indices, (0..50).collect::<Vec<_>>());
    let failed: Vec<_> = outcomes.iter().filter(|o| !o.is_accepted()).collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].index, 7);
    assert_eq!(failed[0].event.user_id.as_deref(), Some("ghost"));
    assert!(matches!(&failed[0].status, BulkStatus::Failed(e) if e.to_string().contains("404")));
    assert_eq!(server.state().counts().events, 49);
}
