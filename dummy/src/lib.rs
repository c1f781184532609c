//! A dummy Intercom server, for testing code that talks to Intercom (it was
//! `intercom_api::dummy`, behind the `dummy` feature of `intercom-api`).
//!
//! The v1 documents describe a "dummy app" for testing API clients; Intercom retired it, so
//! this crate provides one. [`DummyServer`] serves the v1 REST API (users, notes, impressions,
//! message threads, tags) and the Data Events API on 127.0.0.1 from memory, one independent
//! state per server:
//!
//! * every request is validated against the same OpenAPI description the client is generated
//!   from (through [`intercom_api::schema`]) before it touches the state; invalid requests get 400
//!   with the documented error object naming the field, unknown users 404
//!   `{"error":{"type":"not_found","message":"The User was not found"}}`, the events API its
//!   `error.list`;
//! * HTTP Basic `dummy-app-id:dummy-api-key` on `/v1` and the Bearer token
//!   `dummy-access-token` (or the same Basic credentials) on `/events`, all settable;
//! * users are upserted by `user_id` or email, listed a page at a time, tagged, noted; events
//!   are de-duplicated on (user, event name, `created_at`) and listed with `pages.next` links;
//! * tests can look at the state ([`State`]), read what clients sent ([`RequestLog`], secrets
//!   redacted), make requests fail the way networks do ([`Faults`]), and rate-limit
//!   ([`RateLimitConfig`]).
//!
//! Every response carries an `X-Request-Id`. The server speaks HTTP/1.1 (built on hyper). Bodies
//! are read as JSON whatever their `Content-Type` says (old clients send form types), up to
//! [`MAX_BODY`]; `GET` and `DELETE` identifiers may come in the query. Events are listed whatever
//! their age (Intercom lists only the last 90 days), so fixed timestamps in tests keep working.
//!
//! ```no_run
//! use intercom_dummy::{DummyServer, Fault, UserKey};
//! use serde_json::json;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let server = DummyServer::start().await?;
//! let http = reqwest::Client::new();
//! let users = format!("{}/v1/users", server.base_url());
//!
//! // What `curl -u dummy-app-id:dummy-api-key` sends.
//! let created = http
//!     .post(&users)
//!     .basic_auth("dummy-app-id", Some("dummy-api-key"))
//!     .json(&json!({"email": "ben@intercom.io", "user_id": "7902"}))
//!     .send()
//!     .await?;
//! assert_eq!(created.status(), 200);
//!
//! // The next GET fails with a 503 (and is not processed).
//! server.faults().inject(Fault::Status(503).on("GET", "/v1/users"));
//! let failed = http
//!     .get(&users)
//!     .query(&[("email", "ben@intercom.io")])
//!     .basic_auth("dummy-app-id", Some("dummy-api-key"))
//!     .send()
//!     .await?;
//! assert_eq!(failed.status(), 503);
//!
//! let stored = server.state().user(&UserKey::user_id("7902")).expect("stored");
//! assert_eq!(stored.user.email.as_deref(), Some("ben@intercom.io"));
//! assert_eq!(server.log().len(), 2);
//! # Ok(())
//! # }
//! ```
//!
//! The `intercom-dummy` binary serves the same from the command line
//! (`cargo run -p intercom-dummy -- --port 4010`), for tests written in
//! other languages.

mod auth;
mod body;
pub mod cli;
mod fault_response;
mod faults;
mod ids;
mod log;
mod query;
mod rate_limit;
mod reply;
mod rng;
mod routes;
mod server;
mod service;
mod state;

pub use auth::{Credentials, DEFAULT_ACCESS_TOKEN, DEFAULT_API_KEY, DEFAULT_APP_ID};
pub use faults::{Fault, FaultRule, FaultTiming, Faults, RandomFaults};
pub use log::{LoggedRequest, REDACTED, RequestLog};
pub use rate_limit::RateLimitConfig;
pub use server::{
    DEFAULT_BODY_TIMEOUT, DEFAULT_HEADER_TIMEOUT, DEFAULT_LOG_BYTES, DEFAULT_LOG_CAPACITY,
    DEFAULT_MAX_CONNECTIONS, DummyServer, DummyServerBuilder,
};
pub use service::MAX_BODY;
pub use state::{
    Counts, DEFAULT_MAX_EVENTS, DEFAULT_MAX_METADATA_BYTES, DEFAULT_MAX_USERS, InsertError, State,
    StoredUser, UserKey,
};
