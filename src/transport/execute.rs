//! Sending a request: retries, rate-limit waits, buffering the answer, one tracing span per try.

use std::time::{Instant, SystemTime};

use reqwest::{Request, Response, ResponseBuilderExt};
use tracing::{Instrument, field::Empty};

use super::{Transport, context};
use crate::{
    operations::{Operation, Replay},
    retry::{Wait, WaitSource, is_retryable_error, is_retryable_status, wait_before_retry},
};

impl Transport {
    /// Sends `request`, retrying what the [`RetryConfig`](crate::RetryConfig) and the
    /// operation's replay rule (`x-replay`) allow, and returns the last answer with its body
    /// buffered.
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
        let mut request = request;
        let mut attempt = 0;
        loop {
            attempt += 1;
            self.wait_for_rate_limit_reset(operation).await;
            // A request with a streaming body cannot be cloned, and so cannot be retried.
            let spare = (attempt < max_attempts)
                .then(|| request.try_clone())
                .flatten();
            let outcome = self.send_once(http, request, operation, attempt).await;
            context::record(|call| call.attempts = attempt);
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
    ) -> reqwest::Result<Response> {
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
            let response = http.execute(request).await?;
            self.settings().rate_limit.record(response.headers());
            if response.content_length() == Some(0) {
                // Nothing to read, so nothing that can break off (an accepted event's 202).
                Ok(response)
            } else {
                buffer(response).await
            }
        };
        // Without a subscriber the span is disabled: skip the instrumentation wrapper.
        let result = if span.is_disabled() {
            attempt_future.await
        } else {
            attempt_future.instrument(span.clone()).await
        };
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

    /// With `wait_on_rate_limit`, sleeps until the reset when the last answer left no request.
    async fn wait_for_rate_limit_reset(&self, operation: &'static str) {
        let settings = self.settings();
        if !settings.wait_on_rate_limit {
            return;
        }
        let Some(limit) = settings.rate_limit.last() else {
            return;
        };
        let now: SystemTime = settings.clock.now();
        if limit.is_exhausted_at(now)
            && let Some(wait) = limit.until_reset(now)
        {
            tracing::info!(
                operation,
                wait_ms = wait.as_millis() as u64,
                "waiting for the rate-limit reset"
            );
            settings.clock.sleep(wait).await;
        }
    }
}

/// Reads the whole body and hands back an equivalent response holding it.
async fn buffer(mut response: Response) -> reqwest::Result<Response> {
    let status = response.status();
    let version = response.version();
    // Moved, not copied: reading the body does not need them.
    let headers = std::mem::take(response.headers_mut());
    let url = response.url().clone();
    let body = response.bytes().await?;
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
