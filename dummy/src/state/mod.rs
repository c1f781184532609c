//! The dummy's in-memory data, and [`State`], the handle tests use to look at it.
//!
//! Everything the API can create lives in one [`Store`] behind one mutex, held only while a
//! request reads or changes it (never while encoding a response or waiting on the network).
//! Users sit in an insertion-ordered map keyed by an internal sequence number, with indexes by
//! `user_id` and by email; the Intercom id encodes the sequence number. Looking a user up by any
//! key and storing an event are O(1); a page of users is a slice of the map.

mod contacts;
mod conversations;
mod cursor;
mod events;
mod tags;
mod threads;
mod users;

use std::{
    collections::{BTreeSet, HashMap},
    fmt,
    sync::{Arc, Mutex, MutexGuard},
};

use indexmap::IndexMap;
use serde_json::{Value, json};

use super::ids;
use intercom_api::types;

pub(crate) use events::UserEvents;
pub(crate) use users::TagFilter;

/// How the dummy finds a stored user: by your `user_id`, by email, or by the Intercom id it
/// assigned. It is the client's [`EventUser`](intercom_api::EventUser) (the same type, so an
/// identity a test sends events for is the key it looks the user up with).
///
/// ```
/// use intercom_api::EventUser;
/// use intercom_dummy::{DummyServer, UserKey};
///
/// # #[tokio::main]
/// # async fn main() -> std::io::Result<()> {
/// let server = DummyServer::builder().seed_users(1).start().await?;
/// let by_email: EventUser = UserKey::email("user1@example.com");
/// assert!(server.state().user(&by_email).is_some());
/// let stored = server.state().user(&UserKey::user_id("1")).expect("seeded");
/// assert!(server.state().user(&UserKey::intercom_id(&stored.intercom_id)).is_some());
/// # Ok(())
/// # }
/// ```
pub use intercom_api::EventUser as UserKey;

/// A user as the dummy stores it: the user as the API returns it, plus what the API does not
/// return.
///
/// ```
/// use intercom_api::UserRef;
/// use intercom_dummy::{DummyServer, UserKey};
///
/// # #[tokio::main]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let server = DummyServer::builder().seed_users(1).start().await?;
/// server.client().tags().create("VIP").users([UserRef::user_id("1")]).send().await?;
/// let stored = server.state().user(&UserKey::user_id("1")).expect("seeded");
/// assert_eq!(stored.tags, ["VIP"]);
/// assert_eq!(stored.intercom_id.len(), 24);
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct StoredUser {
    /// The Intercom id the dummy assigned: 24 lowercase hex characters. The events API accepts
    /// it as `id` / `intercom_user_id` and returns it in event lists and summaries.
    pub intercom_id: String,
    /// The user, exactly as `GET /v1/users?email=...` returns it.
    pub user: types::User,
    /// The companies last sent for the user (the API never returns them).
    pub companies: Vec<types::Company>,
    /// The names of the tags the user carries, in tag creation order.
    pub tags: Vec<String>,
}

/// How many things the dummy holds.
///
/// ```
/// use intercom_api::UserRef;
/// use intercom_dummy::DummyServer;
///
/// # #[tokio::main]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let server = DummyServer::builder().seed_users(2).start().await?;
/// server.client().notes().create(UserRef::user_id("1"), "Called about billing").send().await?;
/// let counts = server.state().counts();
/// assert_eq!((counts.users, counts.notes, counts.tags), (2, 1, 0));
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Counts {
    /// Users.
    pub users: usize,
    /// Tags.
    pub tags: usize,
    /// Notes, over all users.
    pub notes: usize,
    /// Message threads, over all users.
    pub threads: usize,
    /// Distinct events stored, over all users (duplicates are not stored).
    pub events: usize,
}

/// Why [`State::insert_users`] stopped.
///
/// ```
/// use intercom_api::types;
/// use intercom_dummy::DummyServer;
///
/// # #[tokio::main]
/// # async fn main() -> std::io::Result<()> {
/// let server = DummyServer::start().await?;
/// let ben = types::User { user_id: Some("7902".to_string()), ..Default::default() };
/// // The second user has neither user_id nor email.
/// let error = server.state().insert_users([ben, types::User::default()]).unwrap_err();
/// assert_eq!(error.index, 1);
/// assert_eq!(server.state().user_count(), 1);
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InsertError {
    /// The position in the iterator of the user that was refused; the ones before it were
    /// inserted.
    pub index: usize,
    /// Why it was refused.
    pub reason: String,
}

impl fmt::Display for InsertError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "user #{} was not inserted: {}", self.index, self.reason)
    }
}

impl std::error::Error for InsertError {}

/// What a request asked for that the state cannot do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum StoreError {
    UserNotFound,
    TagNotFound,
    ThreadNotFound,
    ConversationNotFound,
    /// A `starting_after` this list never gave out.
    UnknownCursor,
    /// The identifiers sent belong to two different users, or would re-key a user.
    Conflict(String),
    /// The store holds as many users or events as its limit allows (the message says which).
    Full(String),
    /// A value is larger than the store's limit for it: (field, message).
    TooLarge(&'static str, String),
}

/// How much a store may hold (set on the builder; see [`DEFAULT_MAX_USERS`] and the others).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Limits {
    pub(crate) users: usize,
    pub(crate) events: usize,
    pub(crate) metadata_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            users: DEFAULT_MAX_USERS,
            events: DEFAULT_MAX_EVENTS,
            metadata_bytes: DEFAULT_MAX_METADATA_BYTES,
        }
    }
}

/// How many users a server stores unless configured otherwise
/// ([`DummyServerBuilder::max_users`](super::DummyServerBuilder::max_users)); past it, creating a
/// user is answered with an error (402 `request_failed`, or the events API's `error.list`).
pub const DEFAULT_MAX_USERS: usize = 1_000_000;

/// How many distinct events a server stores unless configured otherwise
/// ([`DummyServerBuilder::max_events`](super::DummyServerBuilder::max_events)).
pub const DEFAULT_MAX_EVENTS: usize = 2_000_000;

/// The largest event `metadata` or user `custom_data` a server stores, in bytes of JSON, unless
/// configured otherwise
/// ([`DummyServerBuilder::max_metadata_bytes`](super::DummyServerBuilder::max_metadata_bytes));
/// larger ones are answered with 400 naming the field.
pub const DEFAULT_MAX_METADATA_BYTES: usize = 64 * 1024;

/// One user and everything that belongs to them (deleted with them).
#[derive(Clone, Debug, Default)]
pub(crate) struct UserRecord {
    pub(crate) user: types::User,
    pub(crate) companies: Vec<types::Company>,
    pub(crate) tags: BTreeSet<u64>,
    pub(crate) notes: Vec<types::Note>,
    pub(crate) threads: Vec<i64>,
    pub(crate) events: Option<Box<UserEvents>>,
}

#[derive(Clone, Debug)]
pub(crate) struct TagRecord {
    pub(crate) id: u64,
    pub(crate) name: String,
    pub(crate) color: String,
    pub(crate) members: BTreeSet<u64>,
}

#[derive(Clone, Debug)]
pub(crate) struct ThreadRecord {
    pub(crate) owner: u64,
    pub(crate) thread: types::MessageThread,
}

/// All the data of one dummy server.
#[derive(Debug)]
pub(crate) struct Store {
    next_user: u64,
    /// Boxed so that removing a user (which shifts the entries after it) moves pointers only.
    users: IndexMap<u64, Box<UserRecord>>,
    by_user_id: HashMap<String, u64>,
    by_email: HashMap<String, u64>,
    next_tag: u64,
    /// By name, in creation order.
    tags: IndexMap<String, TagRecord>,
    next_thread: i64,
    threads: HashMap<i64, ThreadRecord>,
    total_events: usize,
    duplicate_events: u64,
    /// Conversations started through the Bearer API, by id, in creation order.
    conversations: IndexMap<u64, conversations::ConversationRecord>,
    next_conversation: u64,
    next_message: u64,
    pub(crate) limits: Limits,
}

impl Default for Store {
    fn default() -> Self {
        Store {
            next_user: 1,
            users: IndexMap::new(),
            by_user_id: HashMap::new(),
            by_email: HashMap::new(),
            next_tag: 1,
            tags: IndexMap::new(),
            next_thread: 1,
            threads: HashMap::new(),
            total_events: 0,
            duplicate_events: 0,
            conversations: IndexMap::new(),
            next_conversation: 1,
            next_message: 1,
            limits: Limits::default(),
        }
    }
}

impl Store {
    /// An empty store with these limits.
    pub(crate) fn with_limits(limits: Limits) -> Self {
        Store {
            limits,
            ..Store::default()
        }
    }

    /// Refuses a `metadata` / `custom_data` larger than the limit.
    pub(crate) fn check_metadata<T: serde::Serialize>(
        &self,
        field: &'static str,
        value: &T,
    ) -> Result<(), StoreError> {
        let limit = self.limits.metadata_bytes;
        let mut counter = SizeCounter { bytes: 0, limit };
        // Stops writing (with an error) as soon as the limit is passed.
        let _ = serde_json::to_writer(&mut counter, value);
        if counter.bytes > limit {
            return Err(StoreError::TooLarge(
                field,
                format!(
                    "`{field}` is larger than the dummy server's limit of {limit} bytes of JSON"
                ),
            ));
        }
        Ok(())
    }

    /// The user a key names.
    pub(crate) fn find(&self, key: &UserKey) -> Option<u64> {
        match key {
            UserKey::UserId(id) => self.by_user_id.get(id).copied(),
            UserKey::Email(email) => self.by_email.get(email).copied(),
            UserKey::IntercomId(id) => {
                ids::parse_intercom_id(id).filter(|seq| self.users.contains_key(seq))
            }
        }
    }

    /// The user a v1 request names: by `user_id` when it is sent and known, else by email.
    pub(crate) fn find_v1(&self, user_id: Option<&str>, email: Option<&str>) -> Option<u64> {
        user_id
            .and_then(|id| self.by_user_id.get(id))
            .or_else(|| email.and_then(|e| self.by_email.get(e)))
            .copied()
    }

    pub(crate) fn record(&self, seq: u64) -> Option<&UserRecord> {
        self.users.get(&seq).map(Box::as_ref)
    }

    pub(crate) fn record_mut(&mut self, seq: u64) -> Option<&mut UserRecord> {
        self.users.get_mut(&seq).map(Box::as_mut)
    }

    pub(crate) fn user(&self, seq: u64) -> Result<&types::User, StoreError> {
        self.record(seq)
            .map(|r| &r.user)
            .ok_or(StoreError::UserNotFound)
    }

    fn stored_user(&self, seq: u64, record: &UserRecord) -> StoredUser {
        StoredUser {
            intercom_id: ids::intercom_id(seq),
            user: record.user.clone(),
            companies: record.companies.clone(),
            tags: self
                .tags
                .values()
                .filter(|t| record.tags.contains(&t.id))
                .map(|t| t.name.clone())
                .collect(),
        }
    }

    fn counts(&self) -> Counts {
        Counts {
            users: self.users.len(),
            tags: self.tags.len(),
            notes: self.users.values().map(|r| r.notes.len()).sum(),
            threads: self.threads.len(),
            events: self.total_events,
        }
    }

    /// Everything, as JSON, for before / after comparisons.
    fn snapshot(&self) -> Value {
        let users: Vec<Value> = self
            .users
            .iter()
            .map(|(seq, record)| {
                let stored = self.stored_user(*seq, record);
                let threads: Vec<&types::MessageThread> = record
                    .threads
                    .iter()
                    .filter_map(|id| self.threads.get(id).map(|t| &t.thread))
                    .collect();
                json!({
                    "intercom_id": stored.intercom_id,
                    "user": stored.user,
                    "companies": stored.companies,
                    "tags": stored.tags,
                    "notes": record.notes,
                    "threads": threads,
                    "events": record.events.as_ref().map(|e| e.snapshot()),
                })
            })
            .collect();
        let tags: Vec<types::Tag> = self.tags.values().map(tags::view).collect();
        json!({
            "users": users,
            "tags": tags,
            "next_user": self.next_user,
            "next_tag": self.next_tag,
            "next_thread": self.next_thread,
            "total_events": self.total_events,
            "duplicate_events": self.duplicate_events,
            "conversations": self.conversations.values().map(|c| &c.conversation).collect::<Vec<_>>(),
            "next_conversation": self.next_conversation,
        })
    }
}

/// Counts the bytes written to it, failing past `limit`.
struct SizeCounter {
    bytes: usize,
    limit: usize,
}

impl std::io::Write for SizeCounter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.bytes += buf.len();
        if self.bytes > self.limit {
            return Err(std::io::Error::other("over the limit"));
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Locks a mutex, carrying on if a panicking thread poisoned it (the data is still usable, and
/// a test server must keep answering).
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Direct access to a dummy server's data, for assertions and for seeding.
///
/// Get one with [`DummyServer::state`](super::DummyServer::state); it is a cheap handle
/// (clone it freely) on the same data the server serves.
///
/// ```no_run
/// use intercom_dummy::{DummyServer, UserKey};
///
/// # async fn run() -> std::io::Result<()> {
/// let server = DummyServer::start().await?;
/// // ... let the code under test talk to server.base_url() ...
/// let state = server.state();
/// assert_eq!(state.counts().users, 0);
/// assert!(state.user(&UserKey::email("ben@intercom.io")).is_none());
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct State {
    store: Arc<Mutex<Store>>,
}

impl fmt::Debug for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("State")
            .field("counts", &self.counts())
            .finish()
    }
}

impl State {
    pub(crate) fn new(store: Arc<Mutex<Store>>) -> Self {
        State { store }
    }

    fn read<R>(&self, f: impl FnOnce(&Store) -> R) -> R {
        f(&lock(&self.store))
    }

    /// The user a key names, if stored.
    pub fn user(&self, key: &UserKey) -> Option<StoredUser> {
        self.read(|store| {
            let seq = store.find(key)?;
            let record = store.record(seq)?;
            Some(store.stored_user(seq, record))
        })
    }

    /// Every user, in creation order. Copies them all: for large stores prefer
    /// [`user_count`](Self::user_count) and [`user`](Self::user).
    pub fn users(&self) -> Vec<StoredUser> {
        self.read(|store| {
            store
                .users
                .iter()
                .map(|(seq, record)| store.stored_user(*seq, record))
                .collect()
        })
    }

    /// How many users are stored.
    pub fn user_count(&self) -> usize {
        self.read(|store| store.users.len())
    }

    /// Stores users directly, without HTTP: each is an upsert keyed by `user_id` or email, like
    /// `POST /v1/users`, but the user sent replaces the stored one entirely. Fast enough to load
    /// a million users in seconds (in a release build).
    ///
    /// Stops at the first user that has neither `user_id` nor email, or whose identifiers
    /// belong to two different stored users; the users before it stay inserted.
    ///
    /// ```no_run
    /// use intercom_api::types;
    /// use intercom_dummy::DummyServer;
    ///
    /// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// let server = DummyServer::start().await?;
    /// let users = (0..100_000).map(|i| types::User {
    ///     email: Some(format!("user{i}@example.com")),
    ///     user_id: Some(i.to_string()),
    ///     ..Default::default()
    /// });
    /// assert_eq!(server.state().insert_users(users)?, 100_000);
    /// # Ok(())
    /// # }
    /// ```
    pub fn insert_users(
        &self,
        users: impl IntoIterator<Item = types::User>,
    ) -> Result<usize, InsertError> {
        let users = users.into_iter();
        let mut store = lock(&self.store);
        store.reserve_users(users.size_hint().0);
        let mut inserted = 0;
        for (index, user) in users.enumerate() {
            store
                .put_user(user)
                .map_err(|reason| InsertError { index, reason })?;
            inserted += 1;
        }
        Ok(inserted)
    }

    /// The tag of this name, as `GET /v1/tags?name=...` returns it.
    pub fn tag(&self, name: &str) -> Option<types::Tag> {
        self.read(|store| store.tags.get(name).map(tags::view))
    }

    /// Every tag, in creation order.
    pub fn tags(&self) -> Vec<types::Tag> {
        self.read(|store| store.tags.values().map(tags::view).collect())
    }

    /// The user's notes, oldest first (without the `user` the API adds to each answer).
    pub fn notes(&self, key: &UserKey) -> Vec<types::Note> {
        self.read(|store| {
            store
                .find(key)
                .and_then(|seq| store.record(seq))
                .map(|r| r.notes.clone())
                .unwrap_or_default()
        })
    }

    /// The conversations admins started with the user through the Bearer API, oldest first.
    pub fn conversations(&self, key: &UserKey) -> Vec<types::Conversation> {
        self.read(|store| {
            store
                .find(key)
                .map(|seq| store.conversations_of(seq))
                .unwrap_or_default()
        })
    }

    /// The user's message threads, oldest first.
    pub fn threads(&self, key: &UserKey) -> Vec<types::MessageThread> {
        self.read(|store| {
            store
                .find(key)
                .and_then(|seq| store.record(seq))
                .map(|r| {
                    r.threads
                        .iter()
                        .filter_map(|id| store.threads.get(id).map(|t| t.thread.clone()))
                        .collect()
                })
                .unwrap_or_default()
        })
    }

    /// The user's stored events, oldest `created_at` first (ties in arrival order).
    pub fn events(&self, key: &UserKey) -> Vec<types::Event> {
        self.read(|store| {
            store
                .find(key)
                .and_then(|seq| store.record(seq))
                .and_then(|r| r.events.as_ref())
                .map(|e| e.chronological())
                .unwrap_or_default()
        })
    }

    /// How many distinct events the user has.
    pub fn event_count(&self, key: &UserKey) -> usize {
        self.read(|store| {
            store
                .find(key)
                .and_then(|seq| store.record(seq))
                .and_then(|r| r.events.as_ref())
                .map_or(0, |e| e.len())
        })
    }

    /// The user's event summary, one item per event name (sorted by name), as
    /// `GET /events?summary=true` returns it.
    pub fn event_summary(&self, key: &UserKey) -> Vec<types::EventSummaryItem> {
        self.read(|store| {
            store
                .find(key)
                .and_then(|seq| store.record(seq))
                .and_then(|r| r.events.as_ref())
                .map(|e| e.summary_items())
                .unwrap_or_default()
        })
    }

    /// How many events were answered 202 as duplicates and not stored, since the start or the
    /// last reset.
    pub fn duplicate_events(&self) -> u64 {
        self.read(|store| store.duplicate_events)
    }

    /// How many users, tags, notes, threads and events are stored.
    pub fn counts(&self) -> Counts {
        self.read(Store::counts)
    }

    /// The whole state as JSON (users with their Intercom ids, tags, notes, threads, events;
    /// tags; id counters): equal snapshots mean nothing changed.
    pub fn snapshot(&self) -> Value {
        self.read(Store::snapshot)
    }

    /// Forgets everything: the state of a freshly started server.
    pub fn clear(&self) {
        let mut store = lock(&self.store);
        *store = Store::with_limits(store.limits);
    }
}
