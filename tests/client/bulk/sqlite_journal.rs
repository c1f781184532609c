//! The SQLite journal (feature `journal`): a rerun after a stop skips the acknowledged events
//! and sends the rest with the times first assigned, so every event is stored exactly once.

use std::time::Duration;

use futures_util::StreamExt;
use intercom_api::{BulkStatus, journal::SqliteJournal};

use super::{dummy_with_ten_users, events};

#[tokio::test]
async fn a_rerun_with_the_journal_skips_the_acknowledged_and_reuses_the_times_first_assigned() {
    let server = dummy_with_ten_users().await;
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
