//! The bulk journal: what makes a rerun of [`create_many`](crate::resources::Events::create_many)
//! over the same input exact.
//!
//! For every event (by its index in the input) a journal keeps a fingerprint of the event's
//! content, the `created_at` it was given before it was first sent, and whether Intercom
//! acknowledged it. Before an event is sent for the first time its entry is durable; an
//! acknowledgement is recorded after the 202. A rerun with the same journal skips the
//! acknowledged events and sends the others with the times first assigned, so Intercom, which
//! de-duplicates on (user, event name, `created_at`), counts each event exactly once, however
//! often the run was interrupted.
//!
//! **When the input changes between runs**: an index whose fingerprint differs from the one
//! recorded stops the run with [`JournalError::InputChanged`] naming that index, before anything
//! of its batch is sent (never a silent second send of a different event). Events appended after
//! the recorded ones are new entries. To send a changed input, use a new journal.
//!
//! Stores implement [`JournalStore`]; [`MemoryJournal`] keeps entries in memory (tests, or a
//! process that must not be interrupted anyway) and, with the `journal` feature,
//! `SqliteJournal` keeps them in an SQLite file.

#[cfg(feature = "journal")]
mod sqlite;

use std::collections::BTreeMap;

#[cfg(feature = "journal")]
pub use sqlite::SqliteJournal;

/// The SHA-256 of an event's content as given by the caller (see [`crate::NewEvent`]).
pub type Fingerprint = [u8; 32];

/// What a journal knows about one event.
///
/// ```
/// use intercom_api::journal::JournalEntry;
///
/// let entry = JournalEntry { fingerprint: [7; 32], created_at: 1_700_000_000, acknowledged: false };
/// assert!(!entry.acknowledged);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JournalEntry {
    /// The event's content fingerprint when it was first recorded.
    pub fingerprint: Fingerprint,
    /// The `created_at` (UNIX seconds) it was given before it was first sent.
    pub created_at: i64,
    /// True once Intercom answered 202 for it.
    pub acknowledged: bool,
}

/// A store of [`JournalEntry`]s by event index.
///
/// The bulk submitter calls it in batches: [`load`](Self::load) then
/// [`record_assigned`](Self::record_assigned) for a batch of events before any of them is sent,
/// and [`record_acknowledged`](Self::record_acknowledged) for acknowledgements as they gather.
/// The calls are synchronous and short (one transaction each).
///
/// ```
/// use intercom_api::journal::{JournalEntry, JournalStore, MemoryJournal};
///
/// let mut journal = MemoryJournal::default();
/// let entry = JournalEntry { fingerprint: [1; 32], created_at: 1_700_000_000, acknowledged: false };
/// journal.record_assigned(&[(0, entry)])?;
/// journal.record_acknowledged(&[0])?;
/// let loaded = journal.load(&[0, 1])?;
/// assert_eq!(loaded[0].map(|e| e.acknowledged), Some(true));
/// assert_eq!(loaded[1], None);
/// # Ok::<(), intercom_api::journal::JournalError>(())
/// ```
pub trait JournalStore: Send {
    /// The entries of `indices`, in the same order (`None` where nothing is recorded).
    fn load(&mut self, indices: &[u64]) -> Result<Vec<Option<JournalEntry>>, JournalError>;

    /// Records new entries; when this returns `Ok`, they must survive a crash of the process
    /// (for a file store: committed and synced).
    fn record_assigned(&mut self, entries: &[(u64, JournalEntry)]) -> Result<(), JournalError>;

    /// Marks events acknowledged. Losing an acknowledgement in a crash is harmless: the event is
    /// sent again with its recorded `created_at`, and Intercom counts it once.
    fn record_acknowledged(&mut self, indices: &[u64]) -> Result<(), JournalError>;
}

/// Why a journaled bulk submit stopped.
///
/// ```
/// use intercom_api::journal::JournalError;
///
/// let error = JournalError::InputChanged { index: 41 };
/// assert_eq!(
///     error.to_string(),
///     "event #41 differs from the one recorded in the journal: the input changed since the \
///      journal was written (use a new journal to send it)"
/// );
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum JournalError {
    /// The event at `index` is not the one the journal recorded at that index.
    InputChanged {
        /// The event's index in the input.
        index: u64,
    },
    /// Input indices must increase (each event has its own index).
    IndexOrder {
        /// The index that came after a greater or equal one.
        index: u64,
    },
    /// The store failed (the message says what and where).
    Store(String),
}

impl std::fmt::Display for JournalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JournalError::InputChanged { index } => write!(
                f,
                "event #{index} differs from the one recorded in the journal: the input changed \
                 since the journal was written (use a new journal to send it)"
            ),
            JournalError::IndexOrder { index } => write!(
                f,
                "event index {index} does not follow the previous one: indices must increase"
            ),
            JournalError::Store(message) => write!(f, "journal: {message}"),
        }
    }
}

impl std::error::Error for JournalError {}

/// A journal in memory: it makes reruns within one process exact (after a
/// [`JournalError`] or a dropped stream), not across crashes.
///
/// ```
/// use intercom_api::journal::{JournalStore, MemoryJournal};
///
/// let mut journal = MemoryJournal::default();
/// assert_eq!(journal.load(&[0])?, vec![None]);
/// assert_eq!(journal.len(), 0);
/// # Ok::<(), intercom_api::journal::JournalError>(())
/// ```
#[derive(Debug, Default)]
pub struct MemoryJournal {
    entries: BTreeMap<u64, JournalEntry>,
}

impl MemoryJournal {
    /// Entries recorded.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when nothing is recorded.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl JournalStore for MemoryJournal {
    fn load(&mut self, indices: &[u64]) -> Result<Vec<Option<JournalEntry>>, JournalError> {
        Ok(indices
            .iter()
            .map(|i| self.entries.get(i).copied())
            .collect())
    }

    fn record_assigned(&mut self, entries: &[(u64, JournalEntry)]) -> Result<(), JournalError> {
        self.entries.extend(entries.iter().copied());
        Ok(())
    }

    fn record_acknowledged(&mut self, indices: &[u64]) -> Result<(), JournalError> {
        for index in indices {
            if let Some(entry) = self.entries.get_mut(index) {
                entry.acknowledged = true;
            }
        }
        Ok(())
    }
}

impl<J: JournalStore + ?Sized> JournalStore for Box<J> {
    fn load(&mut self, indices: &[u64]) -> Result<Vec<Option<JournalEntry>>, JournalError> {
        (**self).load(indices)
    }

    fn record_assigned(&mut self, entries: &[(u64, JournalEntry)]) -> Result<(), JournalError> {
        (**self).record_assigned(entries)
    }

    fn record_acknowledged(&mut self, indices: &[u64]) -> Result<(), JournalError> {
        (**self).record_acknowledged(indices)
    }
}

/// A store shared with the caller, who can read it after (or while) a submit uses it.
///
/// ```
/// use std::sync::{Arc, Mutex};
/// use intercom_api::journal::{JournalStore, MemoryJournal};
///
/// let shared = Arc::new(Mutex::new(MemoryJournal::default()));
/// let mut for_the_submit = shared.clone();
/// assert_eq!(for_the_submit.load(&[0])?, vec![None]);
/// assert!(shared.lock().unwrap().is_empty());
/// # Ok::<(), intercom_api::journal::JournalError>(())
/// ```
impl<J: JournalStore> JournalStore for std::sync::Arc<std::sync::Mutex<J>> {
    fn load(&mut self, indices: &[u64]) -> Result<Vec<Option<JournalEntry>>, JournalError> {
        crate::lock::lock(self).load(indices)
    }

    fn record_assigned(&mut self, entries: &[(u64, JournalEntry)]) -> Result<(), JournalError> {
        crate::lock::lock(self).record_assigned(entries)
    }

    fn record_acknowledged(&mut self, indices: &[u64]) -> Result<(), JournalError> {
        crate::lock::lock(self).record_acknowledged(indices)
    }
}
