//! Rust SDK for the Intercom v1 REST API (users, notes, impressions, message threads, tags) and
//! the Data Events API.
//!
//! The client and every model are generated at build time by [progenitor] from the hand-written
//! OpenAPI 3.0 description in `openapi/intercom.yaml`, the single source of truth:
//!
//! * [`generated`]: the raw client (one builder per operation, ending in `.send().await`) and
//!   [`types`], the request and response models;
//! * [`schema`]: validation of any JSON payload against the description, with JSON pointers;
//! * [`time::UnixTime`]: the UNIX-seconds timestamps of the API as `chrono` values;
//! * `dummy` (feature `dummy`): an embedded dummy Intercom server to test against.
//!
//! ```no_run
//! use intercom_api::{generated::Client, types};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::new("https://api.intercom.io");
//! let note = types::NoteRequest::builder()
//!     .email(Some("ben@intercom.io".to_string()))
//!     .body("This is the text of my note.");
//! let created = client.create_note().body(note).send().await?;
//! println!("{}", created.html);
//! # Ok(())
//! # }
//! ```
//!
//! [progenitor]: https://github.com/oxidecomputer/progenitor
#![warn(missing_docs)]

#[cfg(feature = "dummy")]
pub mod dummy;
pub mod generated;
pub mod schema;
pub mod time;

pub use generated::types;

#[doc = include_str!("../README.md")]
// README's examples use the dummy server, so they are compiled with the feature (the README's
// test command enables it).
#[cfg(all(doctest, feature = "dummy"))]
pub struct ReadmeDoctests;
