//! The dummy server (`intercom_dummy`), in this process: what it answers over HTTP (as the
//! documents' curl examples and the blog send it) and to the generated client, what it holds
//! afterwards, and how it holds up. One module per resource, one per concern.
//!
//! `cargo test -p intercom-api --test dummy` runs them; `-- users::` runs one module. The
//! `intercom-dummy` command, as a process, is tested in `dummy/tests/`.

#[path = "../support/mod.rs"]
mod support;

// Resources.
mod contacts_and_conversations;
mod events;
mod message_threads;
mod tags_notes_impressions;
mod users;

// Concerns.
mod auth;
mod faults;
mod limits;
mod malformed;
mod rate_limit;
mod request_log;
mod robustness;
