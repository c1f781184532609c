//! What the retry layer saw during one call, for the error a failed call returns.
//!
//! progenitor's generated `send()` drops the status when an error body is not JSON (an HTML
//! 502 from a proxy). The layer records the last answer's status and headers in a task-local
//! scope around each call, so the error can still say what the server answered.

use std::cell::RefCell;

use reqwest::{StatusCode, header::HeaderMap};

/// The last answer of a call and how many attempts it took.
#[derive(Clone, Debug, Default)]
pub(crate) struct CallOutcome {
    pub attempts: u32,
    pub status: Option<StatusCode>,
    pub headers: HeaderMap,
}

tokio::task_local! {
    static OUTCOME: RefCell<CallOutcome>;
}

/// Runs `call` in a fresh scope and returns its output with what the retry layer recorded.
pub(crate) async fn scope<F: Future>(call: F) -> (F::Output, CallOutcome) {
    OUTCOME
        .scope(RefCell::new(CallOutcome::default()), async {
            let output = call.await;
            (output, OUTCOME.with(|outcome| outcome.take()))
        })
        .await
}

/// Updates the current call's record; a no-op outside [`scope`] (e.g. the raw client).
pub(crate) fn record(update: impl FnOnce(&mut CallOutcome)) {
    let _ = OUTCOME.try_with(|outcome| update(&mut outcome.borrow_mut()));
}
