//! Peak memory stays under the response limit plus a constant, whatever the body: 2 GiB
//! announced by `Content-Length`, 2 GiB chunked, endless chunked, and a body just under the
//! limit (read whole, then refused as JSON). Each case runs alone in a process of its own
//! (`support::own_process`), which measures itself (getrusage's `ru_maxrss`, the peak resident
//! set).
//!
//! `cargo test -p intercom-api --test client -- bounds::memory --nocapture` prints the figures.

use crate::support::{
    hostile::{Hostile, Reply},
    own_process,
};
use intercom_api::{Client, Error, RetryConfig, UserRef, defaults::MAX_RESPONSE_BYTES};

const MIB: u64 = 1 << 20;
/// What the process may add to its peak besides the body: the runtime, the connection, the
/// decoder, the error.
const CONSTANT: u64 = 32 * MIB;

/// The peak resident set of this process so far, in bytes.
fn peak_rss() -> u64 {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let result = unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    assert_eq!(result, 0, "getrusage failed");
    // Linux reports kibibytes.
    usage.ru_maxrss as u64 * 1024
}

/// The cases, by name.
fn case(name: &str) -> Reply {
    match name {
        "2 GiB, Content-Length" => Reply::Announced {
            length: 2 << 30,
            fill: b' ',
        },
        "2 GiB, chunked" => Reply::Chunked {
            status: 200,
            total: Some(2 << 30),
            fill: b' ',
        },
        "endless, chunked" => Reply::Chunked {
            status: 200,
            total: None,
            fill: b'[',
        },
        "limit - 1 byte, chunked" => Reply::Chunked {
            status: 200,
            total: Some(MAX_RESPONSE_BYTES - 1),
            fill: b'x',
        },
        other => panic!("no case {other:?}"),
    }
}

const CASES: [&str; 4] = [
    "2 GiB, Content-Length",
    "2 GiB, chunked",
    "endless, chunked",
    "limit - 1 byte, chunked",
];
const CASE_VARIABLE: &str = "INTERCOM_BOUNDED_MEMORY_CASE";

/// Each case runs alone in a process of its own (this binary again, with the case in an
/// environment variable), so that neither another case's peak nor another test hides its own.
#[test]
fn peak_memory_stays_under_the_limit_plus_a_constant() {
    if own_process::is_alone() {
        let name = std::env::var(CASE_VARIABLE).expect("the case to run");
        return run_case(&name);
    }
    for name in CASES {
        own_process::rerun_alone(
            module_path!(),
            "peak_memory_stays_under_the_limit_plus_a_constant",
            &[(CASE_VARIABLE, name)],
        );
    }
}

fn run_case(name: &str) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let reply = std::sync::Mutex::new(Some(case(name)));
        let server =
            Hostile::start(move |_| reply.lock().unwrap().take().unwrap_or(Reply::Silent)).await;
        let client = Client::builder()
            .base_url(server.url())
            .basic("dummy-app-id", "dummy-api-key")
            .retry(RetryConfig::disabled())
            .build()
            .unwrap();
        let baseline = peak_rss();
        let error = client
            .users()
            .get(UserRef::user_id("1"))
            .send()
            .await
            .unwrap_err();
        let peak = peak_rss();
        eprintln!(
            "{name}: {}; peak RSS {:.1} MiB, {:.1} MiB before the call (limit {} MiB)",
            kind(&error),
            peak as f64 / MIB as f64,
            baseline as f64 / MIB as f64,
            MAX_RESPONSE_BYTES / MIB,
        );
        if name.starts_with("limit") {
            assert!(matches!(error, Error::Decode(_)), "{name}: {error:?}");
        } else {
            assert!(
                matches!(error, Error::ResponseTooLarge { limit: MAX_RESPONSE_BYTES, .. }),
                "{name}: {error:?}"
            );
        }
        assert!(
            peak < baseline + MAX_RESPONSE_BYTES + CONSTANT,
            "{name}: peak RSS {peak} bytes, over {baseline} before the call + the limit + {CONSTANT}"
        );
    });
}

fn kind(error: &Error) -> &'static str {
    match error {
        Error::ResponseTooLarge { .. } => "ResponseTooLarge",
        Error::Decode(_) => "Decode",
        _ => "another error",
    }
}
