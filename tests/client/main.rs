//! The SDK (`intercom_api`): every operation resource by resource, and each of the client's
//! concerns (construction, errors, retries, pagination, bounds, bulk events, faults, secrets,
//! ...), against wiremock, a hostile raw server or the dummy server on 127.0.0.1.
//!
//! `cargo test -p intercom-api --test client` runs them; `-- retry::` runs one module. A few
//! tests need the process to themselves (they change the environment, install a tracing
//! subscriber or a logger, or measure the peak memory): they run alone in a child process of
//! this binary (`support::own_process`).

#[path = "../support/mod.rs"]
mod support;

// Every operation, resource by resource.
mod resources;

// Building a client and what it sends besides the operation.
mod construction;
mod from_env;
mod spans;

// What comes back: errors, decoding, nothing lost.
mod errors;
mod fixtures_roundtrip;
mod invalid_payloads;
mod nothing_lost;

// Retries, pages, bounds and bulk.
mod bounds;
mod bulk;
mod pagination;
mod retry;

// Reliability: faults the dummy server injects, a soak, arbitrary answers, secrets.
mod arbitrary_answers;
mod faults;
mod secrets;
mod soak;

// Webhook signatures and the identity-verification hash.
mod security_helpers;
