//! `client.events().create_many(...)`: many events, bounded concurrency, paced at the quota,
//! each outcome as it happens or a full report, optionally journaled for exact reruns.

use std::sync::{Arc, Mutex};

use futures_util::{Stream, StreamExt, future, stream};

use super::{
    bulk_pace::Pacer,
    events::{NewEvent, send_event},
};
use crate::{
    Client, Error,
    journal::{JournalEntry, JournalError, JournalStore},
    lock::lock,
    time::UnixTime,
    types,
};

/// Concurrent requests of a bulk submit unless set otherwise with [`CreateMany::concurrency`].
pub const DEFAULT_BULK_CONCURRENCY: usize = 16;

/// Submits events with at most `concurrency` requests in flight, retrying each as the client's
/// [`RetryConfig`](crate::RetryConfig) allows, and reports every failure without stopping the
/// rest: [`send`](Self::send) for the whole report at the end, [`stream`](Self::stream) for each
/// event's outcome as it happens (memory bounded for any number of events), and
/// [`journal`](Self::journal) for reruns that skip what was acknowledged.
///
/// When Intercom's answers carry `X-RateLimit-Limit`, `-Remaining` and `-Reset`, requests are
/// spread over the window so that the quota is used without running into 429s (the budget is the
/// remaining requests less those in flight, spread up to a second before the announced reset;
/// other clients of the same app share the quota and can still cause 429s, which are retried).
///
/// Events are numbered by their position in the input, from 0, or by the index given with each
/// ([`Events::create_many_indexed`](super::Events::create_many_indexed)).
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
#[must_use = "nothing is sent until .send() or .stream()"]
pub struct CreateMany<S> {
    client: Client,
    events: S,
    concurrency: usize,
}

/// Events in a bulk submit: a [`NewEvent`] (numbered by its position) or `(index, NewEvent)`
/// (see [`Events::create_many_indexed`](super::Events::create_many_indexed)).
pub trait BulkEvent {
    /// The event and its index, given its position in the input.
    fn into_indexed(self, position: usize) -> (usize, NewEvent);
}

impl BulkEvent for NewEvent {
    fn into_indexed(self, position: usize) -> (usize, NewEvent) {
        (position, self)
    }
}

impl BulkEvent for (usize, NewEvent) {
    fn into_indexed(self, _position: usize) -> (usize, NewEvent) {
        self
    }
}

/// What happened to one event of a bulk submit.
///
/// ```no_run
/// use futures_util::StreamExt;
/// use intercom_api::{BulkStatus, EventUser, NewEvent};
/// # async fn run(client: intercom_api::Client) {
/// # let events: Vec<NewEvent> = Vec::new();
/// let mut outcomes = std::pin::pin!(client.events().create_many(events).stream());
/// while let Some(outcome) = outcomes.next().await {
///     if let BulkStatus::Failed(error) = &outcome.status {
///         eprintln!("event #{} at {}: {error}", outcome.index, outcome.event.created_at);
///     }
/// }
/// # }
/// ```
#[derive(Debug)]
pub struct BulkOutcome {
    /// Its index: position in the input (0-based) or the index given with it.
    pub index: usize,
    /// The event as sent (with its `created_at`), ready to send again.
    pub event: types::EventRequest,
    /// Accepted, or why not.
    pub status: BulkStatus,
}

/// Whether Intercom took an event.
#[derive(Debug)]
#[non_exhaustive]
pub enum BulkStatus {
    /// Intercom answered 202 (duplicates included).
    Accepted,
    /// The journal records a 202 from an earlier run: not sent again.
    AcceptedEarlier,
    /// It failed after any retries.
    Failed(Error),
}

impl BulkOutcome {
    /// True unless it failed.
    ///
    /// ```
    /// use intercom_api::{BulkOutcome, BulkStatus, types::EventRequest, time::UnixTime};
    ///
    /// let event = EventRequest {
    ///     event_name: "signed-up".to_string(),
    ///     created_at: UnixTime::from_unix(1_700_000_000).unwrap(),
    ///     user_id: Some("7902".to_string()),
    ///     id: None, email: None, metadata: None,
    /// };
    /// assert!(BulkOutcome { index: 0, event, status: BulkStatus::AcceptedEarlier }.is_accepted());
    /// ```
    pub fn is_accepted(&self) -> bool {
        !matches!(self.status, BulkStatus::Failed(_))
    }
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
    /// Events Intercom accepted (202), duplicates included, and with a journal those accepted in
    /// an earlier run.
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

/// Events whose entries are read and recorded in one journal transaction, and acknowledgements
/// recorded together (at most this many are sent again after a crash, harmlessly).
const JOURNAL_BATCH: usize = 256;

impl<S> CreateMany<S>
where
    S: Stream,
    S::Item: BulkEvent,
{
    pub(crate) fn new(client: Client, events: S) -> Self {
        CreateMany {
            client,
            events,
            concurrency: DEFAULT_BULK_CONCURRENCY,
        }
    }

    /// Requests in flight at most (at least 1; default 16).
    pub fn concurrency(mut self, concurrency: usize) -> Self {
        self.concurrency = concurrency.max(1);
        self
    }

    /// Records every event's `created_at` in `journal` before its first send, and every
    /// acknowledgement, so that a rerun over the same input with the same journal skips the
    /// acknowledged events and sends the rest with the times first assigned: Intercom then holds
    /// every event exactly once, however often a run was interrupted (see [`crate::journal`],
    /// also for what happens when the input changes).
    ///
    /// ```no_run
    /// use intercom_api::{EventUser, NewEvent, journal::SqliteJournal};
    /// # async fn run(client: intercom_api::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let events = (0..20_000).map(|i| NewEvent::new("imported", EventUser::user_id(i.to_string())));
    /// let journal = SqliteJournal::open("backfill.journal")?;
    /// // Killed half-way? The same line again sends only what was not acknowledged.
    /// let report = client.events().create_many(events).journal(journal).send().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn journal(self, journal: impl JournalStore + 'static) -> Journaled<S> {
        Journaled {
            inner: self,
            journal: Arc::new(Mutex::new(Box::new(journal))),
        }
    }

    /// Every event's outcome, in completion order, as it happens.
    ///
    /// ```no_run
    /// use futures_util::StreamExt;
    /// use intercom_api::{EventUser, NewEvent};
    /// # async fn run(client: intercom_api::Client) {
    /// let events = (0..1_000_000).map(|i| NewEvent::new("viewed-page", EventUser::user_id(i.to_string())));
    /// let mut failed = 0;
    /// let mut outcomes = std::pin::pin!(client.events().create_many(events).stream());
    /// while let Some(outcome) = outcomes.next().await {
    ///     failed += usize::from(!outcome.is_accepted());
    /// }
    /// # }
    /// ```
    pub fn stream(self) -> impl Stream<Item = BulkOutcome> {
        // Without a journal nothing can stop the run, so there is no error to drop.
        outcomes(self, None).filter_map(|outcome| future::ready(outcome.ok()))
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
        self.stream()
            .fold(BulkReport::default(), |mut report, outcome| {
                report.add(outcome);
                future::ready(report)
            })
            .await
    }
}

/// A bulk submit with a journal: see [`CreateMany::journal`].
#[must_use = "nothing is sent until .send() or .stream()"]
pub struct Journaled<S> {
    inner: CreateMany<S>,
    journal: SharedJournal,
}

impl<S> std::fmt::Debug for Journaled<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journaled")
            .field("inner", &self.inner)
            .finish_non_exhaustive()
    }
}

impl<S> Journaled<S>
where
    S: Stream,
    S::Item: BulkEvent,
{
    /// Requests in flight at most (at least 1; default 16).
    pub fn concurrency(mut self, concurrency: usize) -> Self {
        self.inner = self.inner.concurrency(concurrency);
        self
    }

    /// Every event's outcome as it happens (those acknowledged in an earlier run as
    /// [`BulkStatus::AcceptedEarlier`]); a journal error is the last item.
    ///
    /// ```no_run
    /// use futures_util::StreamExt;
    /// # use intercom_api::{NewEvent, journal::MemoryJournal};
    /// # async fn run(client: intercom_api::Client, events: Vec<NewEvent>) -> Result<(), intercom_api::journal::JournalError> {
    /// let outcomes = client.events().create_many(events).journal(MemoryJournal::default()).stream();
    /// let mut outcomes = std::pin::pin!(outcomes);
    /// while let Some(outcome) = outcomes.next().await {
    ///     let outcome = outcome?;
    ///     println!("#{}: {:?}", outcome.index, outcome.status);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn stream(self) -> impl Stream<Item = Result<BulkOutcome, JournalError>> {
        outcomes(self.inner, Some(self.journal))
    }

    /// Submits every event not acknowledged in an earlier run and reports (events acknowledged
    /// earlier count as accepted).
    ///
    /// ```no_run
    /// # use intercom_api::{NewEvent, journal::MemoryJournal};
    /// # async fn run(client: intercom_api::Client, events: Vec<NewEvent>) -> Result<(), intercom_api::journal::JournalError> {
    /// let report = client.events().create_many(events).journal(MemoryJournal::default()).send().await?;
    /// assert_eq!(report.accepted + report.failures.len(), report.submitted);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn send(self) -> Result<BulkReport, JournalError> {
        let mut report = BulkReport::default();
        let mut outcomes = std::pin::pin!(self.stream());
        while let Some(outcome) = outcomes.next().await {
            report.add(outcome?);
        }
        Ok(report)
    }
}

impl BulkReport {
    fn add(&mut self, outcome: BulkOutcome) {
        self.submitted += 1;
        match outcome.status {
            BulkStatus::Accepted | BulkStatus::AcceptedEarlier => self.accepted += 1,
            BulkStatus::Failed(error) => self.failures.push(BulkFailure {
                index: outcome.index,
                event: outcome.event,
                error,
            }),
        }
    }
}

type SharedJournal = Arc<Mutex<Box<dyn JournalStore>>>;

/// One event's next step.
enum Work {
    /// Acknowledged in an earlier run.
    Earlier(usize, types::EventRequest),
    /// To send (its `created_at` durable when journaled).
    Send(usize, types::EventRequest),
    /// The journal stopped the run.
    Stop(JournalError),
}

/// The outcomes of a bulk submit; with a journal, a journal error is the last item.
fn outcomes<S>(
    request: CreateMany<S>,
    journal: Option<SharedJournal>,
) -> impl Stream<Item = Result<BulkOutcome, JournalError>>
where
    S: Stream,
    S::Item: BulkEvent,
{
    let CreateMany {
        client,
        events,
        concurrency,
    } = request;
    let pacer = Pacer::default();
    let prepare_client = client.clone();
    let prepare_journal = journal.clone();
    let mut last_index = None;
    let work = events
        .enumerate()
        .map(|(position, event)| event.into_indexed(position))
        .ready_chunks(JOURNAL_BATCH)
        .map(move |chunk| {
            stream::iter(prepare(
                &prepare_client,
                prepare_journal.as_ref(),
                chunk,
                &mut last_index,
            ))
        })
        .flatten()
        // Nothing is prepared after the journal stopped the run.
        .scan(false, |stopped, work| {
            let next = (!*stopped).then(|| {
                *stopped = matches!(work, Work::Stop(_));
                work
            });
            future::ready(next)
        });
    let sent = work
        .map(move |work| {
            let client = client.clone();
            let pacer = pacer.clone();
            async move {
                match work {
                    Work::Stop(error) => Err(error),
                    Work::Earlier(index, event) => Ok(BulkOutcome {
                        index,
                        event,
                        status: BulkStatus::AcceptedEarlier,
                    }),
                    Work::Send(index, event) => {
                        let permit = pacer.acquire(&client).await;
                        // The copy is what the outcome reports; the original is serialized.
                        let result = send_event(&client, event.clone()).await;
                        permit.finish(&client, matches!(result, Err(Error::RateLimited(_))));
                        Ok(BulkOutcome {
                            index,
                            event,
                            status: match result {
                                Ok(()) => BulkStatus::Accepted,
                                Err(error) => BulkStatus::Failed(error),
                            },
                        })
                    }
                }
            }
        })
        .buffer_unordered(concurrency);
    let acks = Arc::new(Mutex::new(Vec::new()));
    let (record_journal, record_acks) = (journal.clone(), acks.clone());
    let recorded = sent
        .map(move |outcome| {
            if let (Some(journal), Ok(outcome)) = (&record_journal, &outcome)
                && matches!(outcome.status, BulkStatus::Accepted)
            {
                let mut acks = lock(&record_acks);
                acks.push(outcome.index as u64);
                if acks.len() >= JOURNAL_BATCH {
                    flush(journal, &mut acks)?;
                }
            }
            outcome
        })
        .map(Some)
        // At the end, the acknowledgements still pending.
        .chain(stream::once(async move {
            let journal = journal.as_ref()?;
            flush(journal, &mut lock(&acks)).err().map(Err)
        }))
        .filter_map(future::ready);
    // The run ends at the first journal error.
    recorded.scan(false, |stopped, outcome| {
        let next = (!*stopped).then(|| {
            *stopped = outcome.is_err();
            outcome
        });
        future::ready(next)
    })
}

fn flush(journal: &SharedJournal, acks: &mut Vec<u64>) -> Result<(), JournalError> {
    if acks.is_empty() {
        return Ok(());
    }
    lock(journal).record_acknowledged(acks)?;
    acks.clear();
    Ok(())
}

/// A batch of events made ready to send: with a journal, their entries read, checked and the new
/// ones recorded (durably) before any of them is sent.
fn prepare(
    client: &Client,
    journal: Option<&SharedJournal>,
    chunk: Vec<(usize, NewEvent)>,
    last_index: &mut Option<usize>,
) -> Vec<Work> {
    for (index, _) in &chunk {
        if last_index.is_some_and(|last| *index <= last) {
            return vec![Work::Stop(JournalError::IndexOrder {
                index: *index as u64,
            })];
        }
        *last_index = Some(*index);
    }
    let Some(journal) = journal else {
        return chunk
            .into_iter()
            .map(|(index, event)| Work::Send(index, event.into_request(|| client.now())))
            .collect();
    };
    match prepare_journaled(client, &mut **lock(journal), chunk) {
        Ok(work) => work,
        Err(error) => vec![Work::Stop(error)],
    }
}

fn prepare_journaled(
    client: &Client,
    journal: &mut dyn JournalStore,
    chunk: Vec<(usize, NewEvent)>,
) -> Result<Vec<Work>, JournalError> {
    let indices: Vec<u64> = chunk.iter().map(|(index, _)| *index as u64).collect();
    let entries = journal.load(&indices)?;
    if entries.len() != chunk.len() {
        return Err(JournalError::Store(format!(
            "asked for {} entries, the store gave {}",
            chunk.len(),
            entries.len()
        )));
    }
    let mut work = Vec::with_capacity(chunk.len());
    let mut assigned = Vec::new();
    for ((index, event), entry) in chunk.into_iter().zip(entries) {
        let fingerprint = event.fingerprint();
        match entry {
            Some(entry) if entry.fingerprint != fingerprint => {
                return Err(JournalError::InputChanged {
                    index: index as u64,
                });
            }
            Some(entry) => {
                let at = UnixTime::from_unix(entry.created_at).ok_or_else(|| {
                    JournalError::Store(format!(
                        "event #{index}: the recorded created_at {} is out of range",
                        entry.created_at
                    ))
                })?;
                let body = event.into_request(|| at);
                work.push(if entry.acknowledged {
                    Work::Earlier(index, body)
                } else {
                    Work::Send(index, body)
                });
            }
            None => {
                let body = event.into_request(|| client.now());
                assigned.push((
                    index as u64,
                    JournalEntry {
                        fingerprint,
                        created_at: body.created_at.unix(),
                        acknowledged: false,
                    },
                ));
                work.push(Work::Send(index, body));
            }
        }
    }
    if !assigned.is_empty() {
        journal.record_assigned(&assigned)?;
    }
    Ok(work)
}
