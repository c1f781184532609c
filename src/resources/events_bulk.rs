//! `client.events().create_many(...)`: many events, bounded concurrency, a full report.

use futures_util::{Stream, StreamExt};

use super::events::{NewEvent, send_event};
use crate::{Client, Error, types};

/// Concurrent requests of a bulk submit unless set otherwise with [`CreateMany::concurrency`].
///
/// ```
/// assert_eq!(intercom_api::resources::DEFAULT_BULK_CONCURRENCY, 16);
/// ```
pub const DEFAULT_BULK_CONCURRENCY: usize = 16;

/// Submits events with at most `concurrency` requests in flight, retrying each as the client's
/// [`RetryConfig`](crate::RetryConfig) allows, and reports every failure without stopping the
/// rest.
///
/// Each event's `created_at` is fixed (to the current second when not given) before its first
/// try, so a retried event is the same event to Intercom, which de-duplicates on
/// (user, event name, `created_at`). The same rule means that two events with the same user and
/// name and no `created_at`, sent within one second, are one event to Intercom: give them
/// distinct times if both must count.
///
/// ```no_run
/// use intercom_api::{EventUser, NewEvent};
/// # async fn run(client: intercom_api::Client) {
/// let events = (0..1000).map(|i| {
///     NewEvent::new("viewed-page", EventUser::user_id(format!("user-{}", i % 50)))
///         .metadata("page", i)
/// });
/// let report = client.events().create_many(events).concurrency(32).send().await;
/// println!("{} accepted, {} failed", report.accepted, report.failures.len());
/// for failure in &report.failures {
///     eprintln!("event #{}: {}", failure.index, failure.error);
/// }
/// # }
/// ```
#[must_use = "nothing is sent until .send()"]
pub struct CreateMany<S> {
    client: Client,
    events: S,
    concurrency: usize,
}

impl<S> std::fmt::Debug for CreateMany<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreateMany")
            .field("concurrency", &self.concurrency)
            .finish_non_exhaustive()
    }
}

/// What a bulk submit did with every event.
///
/// ```no_run
/// use intercom_api::{EventUser, NewEvent};
/// # async fn run(client: intercom_api::Client) {
/// # let events = vec![NewEvent::new("signed-up", EventUser::user_id("7902"))];
/// let report = client.events().create_many(events).send().await;
/// assert_eq!(report.accepted + report.failures.len(), report.submitted);
/// if !report.is_complete() {
///     eprintln!("{} of {} events failed", report.failures.len(), report.submitted);
/// }
/// # }
/// ```
#[derive(Debug, Default)]
pub struct BulkReport {
    /// Events taken from the input.
    pub submitted: usize,
    /// Events Intercom accepted (202), duplicates included.
    pub accepted: usize,
    /// Events that failed after any retries, in completion order.
    pub failures: Vec<BulkFailure>,
}

impl BulkReport {
    /// True when every event was accepted.
    ///
    /// ```
    /// use intercom_api::BulkReport;
    ///
    /// let report = BulkReport { submitted: 3, accepted: 3, failures: Vec::new() };
    /// assert!(report.is_complete());
    /// assert!(!BulkReport { submitted: 3, accepted: 2, failures: Vec::new() }.is_complete());
    /// ```
    pub fn is_complete(&self) -> bool {
        self.failures.is_empty() && self.accepted == self.submitted
    }
}

/// One event that could not be submitted.
///
/// ```no_run
/// # use intercom_api::{BulkReport, Client};
/// # async fn run(client: Client, report: BulkReport) -> Result<(), Box<dyn std::error::Error>> {
/// for failure in report.failures {
///     eprintln!("event #{} ({}): {}", failure.index, failure.event.event_name, failure.error);
///     // Sent again with the same `created_at`, it cannot be counted twice.
///     if failure.error.is_retryable() {
///         client.raw().create_event().body(failure.event).send().await?;
///     }
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct BulkFailure {
    /// Its position in the input (0-based).
    pub index: usize,
    /// The event as sent (with its `created_at`), ready to send again.
    pub event: types::EventRequest,
    /// Why it failed.
    pub error: Error,
}

impl<S> CreateMany<S>
where
    S: Stream<Item = NewEvent>,
{
    pub(crate) fn new(client: Client, events: S) -> Self {
        CreateMany {
            client,
            events,
            concurrency: DEFAULT_BULK_CONCURRENCY,
        }
    }

    /// Requests in flight at most (at least 1; default 16).
    ///
    /// ```no_run
    /// use intercom_api::{EventUser, NewEvent};
    /// # async fn run(client: intercom_api::Client) {
    /// # let events: Vec<NewEvent> = Vec::new();
    /// // Gentle on the rate limit: two requests at a time.
    /// let report = client.events().create_many(events).concurrency(2).send().await;
    /// # }
    /// ```
    pub fn concurrency(mut self, concurrency: usize) -> Self {
        self.concurrency = concurrency.max(1);
        self
    }

    /// Submits every event and reports.
    ///
    /// ```no_run
    /// use intercom_api::{EventUser, NewEvent};
    /// # async fn run(client: intercom_api::Client) {
    /// let events = (1..=100)
    ///     .map(|page| NewEvent::new("viewed-page", EventUser::user_id("7902")).metadata("page", page));
    /// // Never an error: every failure is in the report.
    /// let report = client.events().create_many(events).send().await;
    /// println!("{} accepted, {} failed", report.accepted, report.failures.len());
    /// # }
    /// ```
    pub async fn send(self) -> BulkReport {
        // Borrowed by every request's future: they all run inside this one.
        let client = &self.client;
        self.events
            .enumerate()
            .map(|(index, event)| async move {
                let body = event.into_request(|| client.now());
                // The copy is what a failure reports; the original is serialized and dropped.
                let result = send_event(client, body.clone()).await;
                (index, body, result)
            })
            .buffer_unordered(self.concurrency)
            .fold(
                BulkReport::default(),
                |mut report, (index, event, result)| async move {
                    report.submitted += 1;
                    match result {
                        Ok(()) => report.accepted += 1,
                        Err(error) => report.failures.push(BulkFailure {
                            index,
                            event,
                            error,
                        }),
                    }
                    report
                },
            )
            .await
    }
}
