//! Bulk events (`events().create_many`): every outcome accounted for (`outcomes`), the journal
//! that makes a rerun exact (`journal`, and `sqlite_journal` with the feature `journal`), pacing
//! at the quota (`pacing`), and the memory a stream of outcomes keeps flat (`memory`).

use intercom_api::{EventUser, NewEvent};
use intercom_dummy::DummyServer;

mod journal;
mod memory;
mod outcomes;
mod pacing;
// The SQLite journal is behind the crate's `journal` feature, which `cargo test --workspace`
// turns on (the `intercom` command, a workspace member, depends on it).
#[cfg(feature = "journal")]
mod sqlite_journal;

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

/// A dummy server with the users `1` to `10`.
async fn dummy_with_ten_users() -> DummyServer {
    DummyServer::builder().seed_users(10).start().await.unwrap()
}
