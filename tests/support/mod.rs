//! The one support module of the integration tests under `tests/` (`client`, `dummy`): each
//! binary includes it with `#[path = "../support/mod.rs"] mod support;` and uses a subset.
//!
//! - [`fixtures`]: the documents' example bodies and the description's examples;
//! - [`mock`]: a wiremock server answering everything, clients of it, and the assertion on the
//!   one request it received;
//! - [`clock`]: the recording clock (waits recorded, not slept);
//! - [`retry`]: retry settings of the tests;
//! - [`raw_http`]: the one reader of a raw HTTP request, and a raw exchange with a server;
//! - [`hostile`]: a raw HTTP server that sends what no well-behaved server would;
//! - [`dummy_http`]: plain HTTP to the dummy server, as the documents' curl examples send it;
//! - [`capture`]: what tracing and the `log` facade write, kept in memory;
//! - [`own_process`]: running a test alone in a process of its own;
//! - [`rng`]: a small deterministic generator of test inputs.
#![allow(dead_code)] // each test binary uses a different subset

// The one reader of the description's operations and `$ref`s (shared with build.rs, the
// crate's validator and the xtask).
#[allow(dead_code)]
#[path = "../../codegen/spec.rs"]
mod spec;

pub mod capture;
pub mod clock;
pub mod dummy_http;
pub mod fixtures;
pub mod hostile;
pub mod mock;
pub mod own_process;
pub mod raw_http;
pub mod retry;
pub mod rng;
