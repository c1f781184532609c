//! Bulk outcomes as a stream, the journal (in memory and in SQLite) and pacing at the quota,
//! against the dummy server.

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use futures_util::StreamExt;
use intercom_api::{
    BulkStatus, EventUser, NewEvent, RetryConfig,
    journal::{JournalError, JournalStore, MemoryJournal, SqliteJournal},
};
use intercom_dummy::{DummyServer, RateLimitConfig};

/// `n` events without `created_at`: event `i` is `bulk-{i}` for user `i mod 10 + 1`.
fn events(n: usize) -> Vec<NewEvent> {
    (0..n)
        .map(|i| {
            NewEvent::new(
                format!("bulk-{i}"),
                EventUser::user_id((i % 10 + 1).to_string()),
            )
        })
        .collect()
}

async fn server() -> DummyServer {
    DummyServer::builder().seed_users(10).start().await.unwrap()
}

#[tokio::test]
async fn the_stream_yields_every_outcome_with_its_index_and_the_event_as_sent() {
    let server = server().await;
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

#[tokio::test]
async fn a_rerun_with_the_journal_skips_the_acknowledged_and_reuses_the_times_first_assigned() {
    let server = server().await;
    let client = server.client();
    let path = std::env::temp_dir().join(format!("bulk-journal-{}.sqlite", std::process::id()));
    let _ = std::fs::remove_file(&path);

    // The first run stops after 300 of 1,000 outcomes (as if the process died).
    let first = client
        .events()
        .create_many(events(1_000))
        .journal(SqliteJournal::open(&path).unwrap())
        .stream()
        .take(300)
        .collect::<Vec<_>>()
        .await;
    assert!(
        first
            .iter()
            .all(|o| o.as_ref().is_ok_and(|o| o.is_accepted()))
    );
    let (recorded, acknowledged) = SqliteJournal::open(&path).unwrap().counts().unwrap();
    assert!(
        recorded >= 300,
        "entries are recorded before sending: {recorded}"
    );
    assert!(acknowledged <= 300, "{acknowledged}");
    let stored_after_first = server.state().counts().events;
    assert!(stored_after_first >= 300);

    // A second later every new time would differ: a rerun must use the recorded ones.
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    let report = client
        .events()
        .create_many(events(1_000))
        .journal(SqliteJournal::open(&path).unwrap())
        .send()
        .await
        .unwrap();
    assert!(report.is_complete(), "{report:?}");
    assert_eq!(report.submitted, 1_000);
    assert_eq!(
        server.state().counts().events,
        1_000,
        "every event exactly once"
    );
    assert_eq!(
        SqliteJournal::open(&path).unwrap().counts().unwrap(),
        (1_000, 1_000)
    );

    // A third run sends nothing.
    let requests_before = server.log().len();
    let outcomes: Vec<_> = client
        .events()
        .create_many(events(1_000))
        .journal(SqliteJournal::open(&path).unwrap())
        .stream()
        .collect()
        .await;
    assert!(
        outcomes
            .iter()
            .all(|o| matches!(o, Ok(o) if matches!(o.status, BulkStatus::AcceptedEarlier)))
    );
    assert_eq!(server.log().len(), requests_before);
    std::fs::remove_file(&path).ok();
}

#[tokio::test]
async fn a_changed_event_is_an_error_naming_its_index_and_nothing_of_its_batch_is_sent() {
    let server = server().await;
    let client = server.client();
    let journal = Arc::new(Mutex::new(MemoryJournal::default()));
    let report = client
        .events()
        .create_many(events(10))
        .journal(journal.clone())
        .send()
        .await
        .unwrap();
    assert!(report.is_complete());

    let mut changed = events(12);
    changed[4] = changed[4].clone().metadata("plan", "pro");
    let error = client
        .events()
        .create_many(changed)
        .journal(journal.clone())
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(error, JournalError::InputChanged { index: 4 }),
        "{error}"
    );
    assert_eq!(
        server.state().counts().events,
        10,
        "the two appended events were not sent"
    );
    assert_eq!(
        journal.lock().unwrap().load(&[10, 11]).unwrap(),
        vec![None, None]
    );
}

#[tokio::test]
async fn indices_must_increase() {
    let server = server().await;
    let input = [(3, events(1)[0].clone()), (3, events(2)[1].clone())];
    let error = server
        .client()
        .events()
        .create_many_indexed(input)
        .journal(MemoryJournal::default())
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(error, JournalError::IndexOrder { index: 3 }),
        "{error}"
    );
}

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
