//! Rust SDK for the Intercom v1 REST API (users, notes, impressions, message threads, tags) and
//! the Data Events API.
//!
//! The client and every model are generated at build time by [progenitor] from the hand-written
//! OpenAPI 3.0 description in `openapi/intercom.yaml`; this crate adds a thin layer on top:
//!
//! * [`Client`]: credentials, region or base URL, timeouts, retries and rate limits, with one
//!   handle per resource ([`Client::users`], [`Client::events`], ...), each call a builder
//!   ending in `.send().await`;
//! * [`types`]: the request and response models, generated from the description, and
//!   [`generated`], the raw client underneath;
//! * [`operations`]: every operation's facts (method, path, credential, replay rule, limits),
//!   read from the description;
//! * [`Error`]: one error type with the status, the request id and whether to retry;
//! * [`schema`]: validation of any JSON payload against the description, with JSON pointers;
//! * [`time::UnixTime`]: the UNIX-seconds timestamps of the API as `chrono` values;
//! * [`webhook`]: verifying the signature of Intercom's webhook notifications and reading them;
//!   [`messenger::user_hash`]: the Messenger's identity-verification hash;
//! * the dummy Intercom server to test against is its own crate, `intercom-dummy` (it was
//!   `intercom_api::dummy` behind the `dummy` feature).
//!
//! ```no_run
//! use intercom_api::{Client, EventUser, NewEvent, UserRef};
//!
//! # async fn run() -> Result<(), intercom_api::Error> {
//! let client = Client::builder()
//!     .basic("my-app-id", "my-api-key") // v1 API
//!     .token("my-access-token")         // Data Events API
//!     .build()?;
//!
//! let ben = UserRef::email("ben@intercom.io");
//! let user = client.users().create(ben.clone()).name("Ben McRedmond").send().await?;
//! client.notes().create(ben.clone(), "Upgraded to pro").send().await?;
//! client
//!     .events()
//!     .create(NewEvent::new("upgraded-plan", EventUser::email("ben@intercom.io")).metadata("plan", "pro"))
//!     .send()
//!     .await?;
//! # Ok(())
//! # }
//! ```
//!
//! # The ten calls an application makes
//!
//! Application Craft's server-side wrapper of the v1 API (one of the documents this crate was
//! built from) lists the calls a typical application makes.
//! Each is one line here (`client` is a [`Client`], `user` a [`UserRef`]):
//!
//! | wrapper call | here |
//! | --- | --- |
//! | `users.getAll(page, per_page)` | `client.users().list().page(page).per_page(per_page).send().await` (or `.stream()` for every user) |
//! | `users.getId(id)` | `client.users().get(UserRef::user_id(id)).send().await` |
//! | `users.getEmail(email)` | `client.users().get(UserRef::email(email)).send().await` |
//! | `users.create(data)` | `client.users().create(user).name("Ben").send().await` |
//! | `users.update(data)` | `client.users().update(user).name("Benjamin").send().await` |
//! | `users.delete(data)` | `client.users().delete(user).send().await` |
//! | `users.impression(data)` | `client.impressions().create(user).current_url(url).send().await` |
//! | `threads.get(data)` | `client.message_threads().list(user).send().await`, or `.get(user, thread_id)` for one |
//! | `threads.create(data)` | `client.message_threads().create(user, "Hello").send().await` |
//! | `threads.reply(data)` | `client.message_threads().reply(user, thread_id, "Thanks").send().await` |
//!
//! # Retries, rate limits, errors
//!
//! Retries happen once, under every call; see [`RetryConfig`] for what is replayed and how long
//! the client waits. The last `X-RateLimit-*` headers are available from
//! [`Client::rate_limit`]. Errors are described at [`Error`].
//!
//! Whatever a server sends, a call is bounded: the answer's size
//! ([`ClientBuilder::max_response_bytes`]), each attempt's time ([`ClientBuilder::timeout`]), the
//! whole call's time ([`ClientBuilder::call_timeout`]), every wait ([`RetryConfig`]'s
//! `max_backoff`) and the pages of a stream ([`ClientBuilder::max_pages`]); the defaults are in
//! [`defaults`].
//!
//! [progenitor]: https://github.com/oxidecomputer/progenitor
#![warn(missing_docs)]

mod client;
pub mod clock;
mod error;
pub mod generated;
mod hex;
pub mod identity;
pub mod journal;
mod lock;
pub mod messenger;
pub mod operations;
mod paginate;
pub mod rate_limit;
pub mod resources;
mod retry;
pub mod schema;
pub mod time;
mod transport;
mod types_ext;
pub mod webhook;

pub use client::{Client, ClientBuilder, Region, defaults};
pub use error::{ApiError, DecodeError, Error, RateLimited, Result, TimeLimit};
pub use generated::types;
pub use identity::{EventUser, UserRef};
/// The HTTP types the public API names ([`ApiError::status`],
/// [`rate_limit::RateLimit::from_headers`]), re-exported from reqwest so that naming them needs
/// no dependency of your own.
pub use reqwest::{
    StatusCode,
    header::{HeaderMap, HeaderName, HeaderValue},
};
pub use resources::{BulkFailure, BulkOutcome, BulkReport, BulkStatus, NewEvent};
pub use retry::RetryConfig;

/// The names most programs need: `use intercom_api::prelude::*;`.
pub mod prelude {
    pub use crate::{Client, Error, EventUser, NewEvent, Region, RetryConfig, UserRef, types};
}

#[doc = include_str!("../README.md")]
// README's examples use the dummy server (`intercom-dummy`, a dev-dependency).
#[cfg(doctest)]
pub struct ReadmeDoctests;
