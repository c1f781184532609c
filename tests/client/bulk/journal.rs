//! The journal of a bulk submit (in memory here): an event changed since it was recorded stops
//! the run naming its index, and indices must increase.

use std::sync::{Arc, Mutex};

use intercom_api::journal::{JournalError, JournalStore, MemoryJournal};

use super::{dummy_with_ten_users, events};

#[tokio::test]
async fn a_changed_event_is_an_error_naming_its_index_and_nothing_of_its_batch_is_sent() {
    let server = dummy_with_ten_users().await;
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
    let server = dummy_with_ten_users().await;
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
