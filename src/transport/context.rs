//! What the retry layer saw during one call, for the error a failed call returns.
//!
//! progenitor's generated `send()` drops the status when an error body is not JSON (an HTML
//! 502 from a proxy). The layer records the last answer's status, request id and (for error
//! statuses) headers in a task-local scope around each call, so the error can still say what
//! the server answered.

use std::cell::RefCell;

use reqwest::{
    StatusCode,
    header::{HeaderMap, HeaderName, HeaderValue},
};

/// `X-Request-Id`, the id Intercom gives each request.
pub(crate) const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The last answer of a call and how many attempts it took.
#[derive(Clone, Debug, Default)]
pub(crate) struct CallOutcome {
    pub attempts: u32,
    pub status: Option<StatusCode>,
    /// The `X-Request-Id` of the last answer.
    pub request_id: Option<HeaderValue>,
    /// The headers of the last answer when it was an error (rate limits, `Retry-After`); a
    /// success answer's headers are not copied (the common case pays nothing). Boxed: the
    /// task-local scope moves the whole record in and out of thread-local storage at every
    /// poll, so it is kept small.
    pub headers: Option<Box<HeaderMap>>,
}

impl CallOutcome {
    /// Remembers an answer.
    pub(crate) fn saw(&mut self, status: StatusCode, headers: &HeaderMap) {
        self.status = Some(status);
        self.request_id = headers.get(X_REQUEST_ID).cloned();
        self.headers = (!status.is_success()).then(|| Box::new(headers.clone()));
    }
}

tokio::task_local! {
    static OUTCOME: RefCell<CallOutcome>;
}

/// Runs `call` in a fresh scope; when it fails, returns the error with what the retry layer
/// recorded (a success carries nothing more, so the common case moves only its value).
pub(crate) async fn scope<T, E>(
    call: impl Future<Output = Result<T, E>>,
) -> Result<T, (E, CallOutcome)> {
    OUTCOME
        .scope(RefCell::new(CallOutcome::default()), async {
            call.await
                .map_err(|error| (error, OUTCOME.with(|outcome| outcome.take())))
        })
        .await
}

/// Updates the current call's record; a no-op outside [`scope`] (e.g. the raw client).
pub(crate) fn record(update: impl FnOnce(&mut CallOutcome)) {
    let _ = OUTCOME.try_with(|outcome| update(&mut outcome.borrow_mut()));
}
