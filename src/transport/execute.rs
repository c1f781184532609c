//! Sending a request: retries, rate-limit waits, the call timeout, buffering the answer within
//! the response limit, one tracing span per try.

use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use reqwest::{Request, Response, ResponseBuilderExt};
use tracing::{Instrument, field::Empty};

use super::{Transport, bound::Bound, context};
use crate::{
    operations::{Operation, Replay},
    retry::{Wait, WaitSource, is_retryable_error, is_retryable_status, wait_before_retry},
};

impl Transport {
    /// Sends `request`, retrying what the [`RetryConfig`](crate::RetryConfig) and the
    /// operation's replay rule (`x-replay`) allow, and returns the last answer with its body
    /// buffered.
    ///
    /// The whole call, attempts and waits, ends by the call timeout: a wait that would end after
    /// it is not taken (the last answer is returned), an attempt still running when it passes
    /// ends with [`Bound::CallTimeout`]. A body over the response limit ends the call with
    /// [`Bound::TooLarge`], without a retry.
    pub(crate) async fn execute(
        &self,
        http: &reqwest::Client,
        request: Request,
        operation: &'static Operation,
    ) -> reqwest::Result<Response> {
        let settings = self.settings();
        let replay = operation.replay;
        let operation = operation.name;
        let max_attempts = settings.retry.max_attempts();
        // A call timeout too large to add to now is no deadline at all.
        let deadline = Instant::now().checked_add(settings.call_timeout);
        let mut request = request;
        let mut attempt = 0;
        loop {
            attempt += 1;
            if let Err(bound) = self.wait_for_rate_limit_reset(operation, deadline).await {
                return Err(bound.into_reqwest().await);
            }
            // A request with a streaming body cannot be cloned, and so cannot be retried.
            let spare = (attempt < max_attempts)
                .then(|| request.try_clone())
                .flatten();
            let sending = self.send_once(http, request, operation, attempt);
            let sent = match deadline {
                Some(deadline) => tokio::time::timeout_at(deadline.into(), sending).await,
                None => Ok(sending.await),
            };
            context::record(|call| call.attempts = attempt);
            let outcome = match sent {
                Ok(Ok(response)) => Ok(response),
                Ok(Err(Failure::Http(error))) => Err(error),
                Ok(Err(Failure::Bound(bound))) => return Err(bound.into_reqwest().await),
                Err(_elapsed) => {
                    let limit = settings.call_timeout;
                    return Err(Bound::CallTimeout { limit }.into_reqwest().await);
                }
            };
            let Some(spare) = spare else {
                return outcome;
            };
            let wait = match &outcome {
                Ok(response) if is_retryable_status(response.status(), replay) => {
                    let now = settings.clock.now();
                    let wait =
                        wait_before_retry(&settings.retry, attempt, Some(response.headers()), now);
                    if wait.source != WaitSource::Backoff
                        && wait.duration > settings.retry.max_backoff()
                    {
                        // The server asks for more patience than configured: report, don't wait.
                        return outcome;
                    }
                    wait
                }
                Err(error) if is_retryable_error(error, replay) => {
                    wait_before_retry(&settings.retry, attempt, None, settings.clock.now())
                }
                _ => return outcome,
            };
            if !fits_before(deadline, wait.duration) {
                // The retry could not finish within the call timeout: report the last answer.
                return outcome;
            }
            log_retry(operation, attempt, &outcome, wait, replay);
            settings.clock.sleep(wait.duration).await;
            request = spare;
        }
    }

    /// One try, in its own span, with the answer's body read in full (so a connection that
    /// breaks mid-body is a retryable transport error here, not a decode error later).
    async fn send_once(
        &self,
        http: &reqwest::Client,
        request: Request,
        operation: &'static str,
        attempt: u32,
    ) -> Result<Response, Failure> {
        let span = tracing::info_span!(
            "intercom.request",
            operation,
            method = %request.method(),
            path = request.url().path(),
            attempt,
            status = Empty,
            duration_ms = Empty,
            request_id = Empty,
        );
        let started = Instant::now();
        let attempt_future = async {
            let response = http.execute(request).await.map_err(Failure::Http)?;
            self.settings().rate_limit.record(response.headers());
            if response.content_length() == Some(0) {
                // Nothing to read, so nothing that can break off (an accepted event's 202).
                Ok(response)
            } else {
                buffer(response, self.settings().max_response_bytes).await
            }
        };
        // Without a subscriber the span is disabled: skip the instrumentation wrapper.
        let result = if span.is_disabled() {
            attempt_future.await
        } else {
            attempt_future.instrument(span.clone()).await
        };
        if let Err(Failure::Bound(Bound::TooLarge { status, .. })) = &result {
            // The answer arrived (its body is refused): the call's record names its status.
            let status = *status;
            context::record(|call| call.status = Some(status));
        }
        if let Ok(response) = &result {
            if !span.is_disabled() {
                span.record("duration_ms", started.elapsed().as_millis() as u64);
                span.record("status", response.status().as_u16());
                if let Some(id) = response
                    .headers()
                    .get(context::X_REQUEST_ID)
                    .and_then(|v| v.to_str().ok())
                {
                    span.record("request_id", id);
                }
            }
            context::record(|call| call.saw(response.status(), response.headers()));
        } else if !span.is_disabled() {
            span.record("duration_ms", started.elapsed().as_millis() as u64);
        }
        result
    }

    /// With `wait_on_rate_limit`, sleeps until the reset when the last answer left no request,
    /// unless the reset is further away than a retry may wait ([`RetryConfig::max_backoff`]) or
    /// than the call's deadline: then the call is refused with the wait.
    ///
    /// [`RetryConfig::max_backoff`]: crate::RetryConfig::max_backoff
    async fn wait_for_rate_limit_reset(
        &self,
        operation: &'static str,
        deadline: Option<Instant>,
    ) -> Result<(), Bound> {
        let settings = self.settings();
        if !settings.wait_on_rate_limit {
            return Ok(());
        }
        let Some(limit) = settings.rate_limit.last() else {
            return Ok(());
        };
        let now: SystemTime = settings.clock.now();
        if limit.is_exhausted_at(now)
            && let Some(wait) = limit.until_reset(now)
        {
            if wait > settings.retry.max_backoff() || !fits_before(deadline, wait) {
                return Err(Bound::RateLimitWait {
                    wait,
                    rate_limit: limit,
                });
            }
            tracing::info!(
                operation,
                wait_ms = wait.as_millis() as u64,
                "waiting for the rate-limit reset"
            );
            settings.clock.sleep(wait).await;
        }
        Ok(())
    }
}

/// Why one try produced no answer: reqwest's error (perhaps worth a retry), or a limit of the
/// client (never retried).
enum Failure {
    Http(reqwest::Error),
    Bound(Bound),
}

/// Whether a wait of `wait` from now ends before `deadline`.
fn fits_before(deadline: Option<Instant>, wait: Duration) -> bool {
    match deadline {
        None => true,
        Some(deadline) => wait <= deadline.saturating_duration_since(Instant::now()),
    }
}

/// Reads the whole body, refusing it past `limit` bytes (at once when `Content-Length` says
/// so), and hands back an equivalent response holding it. Memory stays at the body read so far:
/// an endless body stops at the limit.
async fn buffer(mut response: Response, limit: u64) -> Result<Response, Failure> {
    let status = response.status();
    let too_large = || Failure::Bound(Bound::TooLarge { status, limit });
    let announced = response.content_length();
    if announced.is_some_and(|length| length > limit) {
        return Err(too_large());
    }
    let version = response.version();
    // Moved, not copied: reading the body does not need them.
    let headers = std::mem::take(response.headers_mut());
    let url = response.url().clone();
    // One chunk (the common case) is kept as it came; more are copied into one buffer.
    let mut first = Bytes::new();
    let mut joined: Option<Vec<u8>> = None;
    let mut read: u64 = 0;
    while let Some(chunk) = response.chunk().await.map_err(Failure::Http)? {
        read = read.saturating_add(chunk.len() as u64);
        if read > limit {
            return Err(too_large());
        }
        match &mut joined {
            Some(buffer) => buffer.extend_from_slice(&chunk),
            None if first.is_empty() => first = chunk,
            None => {
                // At most the limit: the announced length was checked against it.
                let expected = announced.unwrap_or(0).max(read);
                let mut buffer = Vec::with_capacity(usize::try_from(expected).unwrap_or(0));
                buffer.extend_from_slice(&first);
                buffer.extend_from_slice(&chunk);
                first = Bytes::new();
                joined = Some(buffer);
            }
        }
    }
    let body = joined.map(Bytes::from).unwrap_or(first);
    // The response keeps its URL (without one, reqwest parses a placeholder URL each time).
    // Setting only an extension cannot fail; were it to, the URL is all that would be lost.
    let mut rebuilt = http::Response::builder()
        .url(url)
        .body(body.clone())
        .unwrap_or_else(|_| http::Response::new(body));
    *rebuilt.status_mut() = status;
    *rebuilt.version_mut() = version;
    *rebuilt.headers_mut() = headers;
    Ok(Response::from(rebuilt))
}

fn log_retry(
    operation: &'static str,
    attempt: u32,
    outcome: &reqwest::Result<Response>,
    wait: Wait,
    replay: Replay,
) {
    let reason = match outcome {
        Ok(response) => response.status().as_str().to_string(),
        Err(error) if error.is_connect() => "connect".to_string(),
        Err(error) if error.is_timeout() => "timeout".to_string(),
        Err(_) => "connection".to_string(),
    };
    tracing::warn!(
        operation,
        attempt,
        reason,
        wait_ms = wait.duration.as_millis() as u64,
        wait_source = wait.source.as_str(),
        replay = ?replay,
        "retrying"
    );
}
