//! Fault injection: make the next matching requests fail the way real networks and servers do.
//!
//! Queue a [`FaultRule`] (a [`Fault`], which requests it matches, how many times, and whether
//! the request is processed first) with [`Faults::inject`], or let [`RandomFaults`] hit a
//! seeded share of requests. Queued rules are used first, in the order they were injected.

use std::{
    collections::VecDeque,
    fmt,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::Duration,
};

use intercom_api::operations::{self, Operation, OperationId, Routed};

use super::{query, rng::SplitMix64, state::lock};

/// A way for a request to go wrong.
///
/// Each kind has a default [`FaultTiming`] (see [`Fault::default_timing`]): faults that answer
/// instead of the server (statuses, the HTML pages, a dropped connection) strike before the
/// request is processed; faults that damage the server's answer (a body cut or garbled, a wrong
/// content type) strike after, so the state has changed although the client cannot tell.
///
/// ```
/// use intercom_api::{Error, RetryConfig, UserRef};
/// use intercom_dummy::{DummyServer, Fault};
///
/// # #[tokio::main]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = DummyServer::builder().seed_users(1).start().await?;
/// # let client = server.client_builder().retry(RetryConfig::disabled()).build()?;
/// server.faults().inject(Fault::DropConnection);
/// let lost = client.users().get(UserRef::user_id("1")).send().await.unwrap_err();
/// assert!(matches!(lost, Error::Transport { .. }));
/// server.faults().inject(Fault::HtmlPage);
/// let garbled = client.users().get(UserRef::user_id("1")).send().await.unwrap_err();
/// assert!(matches!(garbled, Error::Decode(_)));
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// `429` with `Retry-After` (whole seconds, rounded up) and the API's error object.
    TooManyRequests {
        /// What `Retry-After` says.
        retry_after: Duration,
    },
    /// `429` with no `Retry-After`: only `X-RateLimit-Reset` (UNIX seconds, now plus
    /// `reset_after`) and `X-RateLimit-Remaining: 0`, and the API's error object.
    RateLimitReset {
        /// How far in the future `X-RateLimit-Reset` is.
        reset_after: Duration,
    },
    /// This status (e.g. 500, 503, 504) with the API's error object (`server_error` for 5xx).
    /// A number that is not an HTTP status is answered as 500.
    Status(u16),
    /// `502 Bad Gateway` with an HTML page, as a proxy in front of the API sends it.
    BadGatewayHtml,
    /// Waits this long, then carries on (processing before or after the wait, per the timing).
    Delay(Duration),
    /// Closes the connection without sending any response.
    DropConnection,
    /// Sends the status, the headers (with the full `Content-Length`) and half the body, then
    /// closes the connection.
    DropMidBody,
    /// A complete response whose JSON body is cut in half (`Content-Length` matches the cut).
    TruncatedJson,
    /// A complete response whose body is not JSON at all, under a JSON content type.
    MalformedJson,
    /// The right JSON body, labelled `Content-Type: text/html`.
    JsonAsHtml,
    /// `200` with an HTML page (a captive portal or login page) instead of the API's answer.
    HtmlPage,
}

impl Fault {
    /// When this kind strikes unless a rule says otherwise.
    ///
    /// ```
    /// use intercom_dummy::{Fault, FaultTiming};
    ///
    /// // An answer instead of the server's: the request is not processed.
    /// assert_eq!(Fault::Status(500).default_timing(), FaultTiming::BeforeProcessing);
    /// // A damaged answer: the request was processed first.
    /// assert_eq!(Fault::TruncatedJson.default_timing(), FaultTiming::AfterProcessing);
    /// ```
    pub fn default_timing(&self) -> FaultTiming {
        match self {
            Fault::DropMidBody
            | Fault::TruncatedJson
            | Fault::MalformedJson
            | Fault::JsonAsHtml => FaultTiming::AfterProcessing,
            _ => FaultTiming::BeforeProcessing,
        }
    }

    /// A rule with this fault for the next `times` requests.
    ///
    /// ```
    /// use intercom_dummy::{DummyServer, Fault};
    ///
    /// # #[tokio::main]
    /// # async fn main() -> std::io::Result<()> {
    /// let server = DummyServer::start().await?;
    /// server.faults().inject(Fault::Status(502).times(3));
    /// assert_eq!(server.faults().pending(), 3);
    /// # Ok(())
    /// # }
    /// ```
    pub fn times(self, times: usize) -> FaultRule {
        FaultRule::new(self).times(times)
    }

    /// A rule with this fault for the next request with this method and path.
    ///
    /// ```
    /// use intercom_api::{RetryConfig, UserRef};
    /// use intercom_dummy::{DummyServer, Fault, UserKey};
    ///
    /// # #[tokio::main]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let server = DummyServer::builder().seed_users(1).start().await?;
    /// # let client = server.client_builder().retry(RetryConfig::disabled()).build()?;
    /// server.faults().inject(Fault::Status(500).on("POST", "/v1/users/notes"));
    /// client.users().get(UserRef::user_id("1")).send().await?; // not hit
    /// assert!(client.notes().create(UserRef::user_id("1"), "Hi").send().await.is_err());
    /// assert!(server.state().notes(&UserKey::user_id("1")).is_empty());
    /// # Ok(())
    /// # }
    /// ```
    pub fn on(self, method: &str, path: &str) -> FaultRule {
        FaultRule::new(self).method(method).path(path)
    }

    /// A rule with this fault, the request processed first.
    ///
    /// ```
    /// use intercom_api::{RetryConfig, UserRef};
    /// use intercom_dummy::{DummyServer, Fault, UserKey};
    ///
    /// # #[tokio::main]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let server = DummyServer::builder().seed_users(1).start().await?;
    /// # let client = server.client_builder().retry(RetryConfig::disabled()).build()?;
    /// // The note is stored, but the client never hears so.
    /// server.faults().inject(Fault::DropConnection.after_processing());
    /// assert!(client.notes().create(UserRef::user_id("1"), "Hi").send().await.is_err());
    /// assert_eq!(server.state().notes(&UserKey::user_id("1")).len(), 1);
    /// # Ok(())
    /// # }
    /// ```
    pub fn after_processing(self) -> FaultRule {
        FaultRule::new(self).after_processing()
    }

    /// A rule with this fault, the request not processed.
    ///
    /// ```
    /// use intercom_dummy::{Fault, FaultTiming};
    ///
    /// // A body cut short, and the request never processed.
    /// let rule = Fault::DropMidBody.before_processing();
    /// assert_eq!(rule.timing(), FaultTiming::BeforeProcessing);
    /// ```
    pub fn before_processing(self) -> FaultRule {
        FaultRule::new(self).before_processing()
    }
}

/// Whether the request changes the server's state before the fault strikes.
///
/// ```
/// use intercom_dummy::{Fault, FaultTiming};
///
/// let lost_answer = Fault::Status(504).after_processing();
/// assert_eq!(lost_answer.timing(), FaultTiming::AfterProcessing);
/// assert_eq!(Fault::Status(504).default_timing(), FaultTiming::BeforeProcessing);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FaultTiming {
    /// The fault strikes first: the request is never processed (for [`Fault::Delay`]: the
    /// wait comes first, then the request is processed if the client is still connected; a
    /// client that timed out and closed the connection cancels it).
    BeforeProcessing,
    /// The request is processed (the state changes), then the fault strikes its response:
    /// "processed, but the answer was lost".
    AfterProcessing,
}

/// A fault, which requests it hits, how many of them, and its timing.
///
/// ```
/// use intercom_dummy::{Fault, FaultRule, FaultTiming};
///
/// // The next two POST /events are processed, then their connections dropped mid-body.
/// let rule = Fault::DropMidBody.on("POST", "/events").times(2);
/// assert_eq!(rule.timing(), FaultTiming::AfterProcessing);
///
/// // The next request of any kind answers 503 and is not processed.
/// let rule = FaultRule::new(Fault::Status(503));
/// assert_eq!(rule.timing(), FaultTiming::BeforeProcessing);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FaultRule {
    fault: Fault,
    requests: Requests,
    times: usize,
    timing: Option<FaultTiming>,
}

impl From<Fault> for FaultRule {
    fn from(fault: Fault) -> Self {
        FaultRule::new(fault)
    }
}

impl FaultRule {
    /// The fault, once, for any request, with its default timing.
    ///
    /// ```
    /// use intercom_dummy::{Fault, FaultRule};
    ///
    /// let rule = FaultRule::new(Fault::BadGatewayHtml);
    /// assert_eq!(rule, Fault::BadGatewayHtml.into());
    /// assert_eq!(rule.fault(), &Fault::BadGatewayHtml);
    /// ```
    pub fn new(fault: Fault) -> Self {
        FaultRule {
            fault,
            requests: Requests::default(),
            times: 1,
            timing: None,
        }
    }

    /// Only requests with this method (case-insensitive).
    pub fn method(mut self, method: &str) -> Self {
        self.requests = self.requests.method(method);
        self
    }

    /// Only requests for this path (a trailing slash does not matter; the query is ignored).
    pub fn path(mut self, path: &str) -> Self {
        self.requests = self.requests.path(path);
        self
    }

    /// Only requests the description routes to this operation, whatever their path
    /// parameters (`/users/{id}`) or the query that tells two operations apart (`GET
    /// /v1/users?email=` is `getUser`, `GET /v1/users` is `listUsers`).
    ///
    /// ```
    /// use intercom_api::{RetryConfig, UserRef, operations};
    /// use intercom_dummy::{DummyServer, Fault, FaultRule};
    ///
    /// # #[tokio::main]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let server = DummyServer::builder().seed_users(1).start().await?;
    /// # let client = server.client_builder().retry(RetryConfig::disabled()).build()?;
    /// server.faults().inject(FaultRule::new(Fault::Status(500)).operation(&operations::GET_USER));
    /// client.users().list().send().await?; // same method and path, another operation
    /// assert!(client.users().get(UserRef::user_id("1")).send().await.is_err());
    /// # Ok(())
    /// # }
    /// ```
    pub fn operation(mut self, operation: &Operation) -> Self {
        self.requests = self.requests.operation(operation);
        self
    }

    /// For the next `times` matching requests (default 1).
    pub fn times(mut self, times: usize) -> Self {
        self.times = times;
        self
    }

    /// The request is processed, then the fault strikes its response.
    pub fn after_processing(mut self) -> Self {
        self.timing = Some(FaultTiming::AfterProcessing);
        self
    }

    /// The fault strikes before the request is processed.
    pub fn before_processing(mut self) -> Self {
        self.timing = Some(FaultTiming::BeforeProcessing);
        self
    }

    /// The fault.
    ///
    /// ```
    /// use intercom_dummy::Fault;
    ///
    /// let rule = Fault::Status(429).times(2);
    /// assert_eq!(rule.fault(), &Fault::Status(429));
    /// ```
    pub fn fault(&self) -> &Fault {
        &self.fault
    }

    /// When it strikes: the rule's choice, else the fault's default.
    ///
    /// ```
    /// use std::time::Duration;
    /// use intercom_dummy::{Fault, FaultTiming};
    ///
    /// let slow = Fault::Delay(Duration::from_secs(2)).on("GET", "/v1/users");
    /// assert_eq!(slow.timing(), FaultTiming::BeforeProcessing);
    /// assert_eq!(slow.after_processing().timing(), FaultTiming::AfterProcessing);
    /// ```
    pub fn timing(&self) -> FaultTiming {
        self.timing.unwrap_or_else(|| self.fault.default_timing())
    }
}

/// Which requests a fault is for: the one way rules and random faults say it (any request
/// unless a method, a path or an operation is given; all that are given must match).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Requests {
    /// Uppercase.
    method: Option<String>,
    /// Without a trailing slash.
    path: Option<String>,
    /// The operation the description routes the request to.
    operation: Option<OperationId>,
}

impl Requests {
    fn method(mut self, method: &str) -> Self {
        self.method = Some(method.to_ascii_uppercase());
        self
    }

    fn path(mut self, path: &str) -> Self {
        self.path = Some(normalize(path).to_string());
        self
    }

    fn operation(mut self, operation: &Operation) -> Self {
        self.operation = Some(operation.id);
        self
    }

    fn matches(&self, request: &Request<'_>) -> bool {
        self.method.as_deref().is_none_or(|m| m == request.method)
            && self
                .path
                .as_deref()
                .is_none_or(|p| p == normalize(request.path))
            && self.operation.is_none_or(|o| Some(o) == request.operation)
    }
}

/// A request as fault rules see it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Request<'a> {
    /// Uppercase.
    pub(crate) method: &'a str,
    pub(crate) path: &'a str,
    /// The operation the description routes it to, if any.
    pub(crate) operation: Option<OperationId>,
}

impl<'a> Request<'a> {
    /// `method path?query`, routed as the server routes it.
    pub(crate) fn new(method: &'a str, path: &'a str, query: Option<&str>) -> Self {
        let operation = query::parse(query).ok().and_then(|query| {
            match operations::route(method, path, &query) {
                Routed::Operation(operation) => Some(operation.id),
                Routed::NotFound | Routed::MethodNotAllowed(_) => None,
            }
        });
        Request {
            method,
            path,
            operation,
        }
    }
}

fn normalize(path: &str) -> &str {
    if path.len() > 1 {
        path.strip_suffix('/').unwrap_or(path)
    } else {
        path
    }
}

/// Faults for a seeded share of requests, for soak tests: each matching request is hit with
/// probability `rate` by one of `kinds` picked at random, each with its own timing. The choices
/// come from a deterministic generator seeded with `seed`, so the same requests in the same
/// order meet the same faults (concurrent requests may arrive in a different order).
///
/// ```
/// use intercom_dummy::{Fault, RandomFaults};
///
/// let soak = RandomFaults::new(42, 0.1)
///     .kinds([
///         Fault::Status(503).into(),
///         Fault::DropConnection.after_processing(),
///         Fault::DropMidBody.into(),
///     ])
///     .method("POST");
/// assert_eq!(soak.rate(), 0.1);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct RandomFaults {
    seed: u64,
    rate: f64,
    kinds: Vec<FaultRule>,
    requests: Requests,
}

impl RandomFaults {
    /// Faults for a share `rate` (0.0 to 1.0) of requests, seeded with `seed`. The kinds
    /// default to 500, 503, 502 with HTML, a dropped connection, a dropped body and truncated
    /// JSON, each with its default timing.
    ///
    /// ```
    /// use intercom_dummy::RandomFaults;
    ///
    /// assert_eq!(RandomFaults::new(7, 0.05).rate(), 0.05);
    /// // Out of range: clamped to 0.0 to 1.0.
    /// assert_eq!(RandomFaults::new(7, 2.0).rate(), 1.0);
    /// ```
    pub fn new(seed: u64, rate: f64) -> Self {
        RandomFaults {
            seed,
            rate: if rate.is_nan() {
                0.0
            } else {
                rate.clamp(0.0, 1.0)
            },
            kinds: [
                Fault::Status(500),
                Fault::Status(503),
                Fault::BadGatewayHtml,
                Fault::DropConnection,
                Fault::DropMidBody,
                Fault::TruncatedJson,
            ]
            .into_iter()
            .map(FaultRule::new)
            .collect(),
            requests: Requests::default(),
        }
    }

    /// The faults to pick from; only each rule's fault and timing are used (not its method,
    /// path or count). An empty list means no faults.
    pub fn kinds(mut self, kinds: impl IntoIterator<Item = FaultRule>) -> Self {
        self.kinds = kinds.into_iter().collect();
        self
    }

    /// Only requests with this method.
    pub fn method(mut self, method: &str) -> Self {
        self.requests = self.requests.method(method);
        self
    }

    /// Only requests for this path.
    pub fn path(mut self, path: &str) -> Self {
        self.requests = self.requests.path(path);
        self
    }

    /// Only requests the description routes to this operation (see
    /// [`FaultRule::operation`]).
    ///
    /// ```
    /// use intercom_api::operations;
    /// use intercom_dummy::RandomFaults;
    ///
    /// let events_only = RandomFaults::new(3, 0.5).operation(&operations::CREATE_EVENT);
    /// # assert_eq!(events_only.rate(), 0.5);
    /// ```
    pub fn operation(mut self, operation: &Operation) -> Self {
        self.requests = self.requests.operation(operation);
        self
    }

    /// The share of matching requests hit.
    ///
    /// ```
    /// use intercom_dummy::RandomFaults;
    ///
    /// assert_eq!(RandomFaults::new(42, 0.1).rate(), 0.1);
    /// assert_eq!(RandomFaults::new(42, f64::NAN).rate(), 0.0);
    /// ```
    pub fn rate(&self) -> f64 {
        self.rate
    }
}

/// The fault a request meets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ChosenFault {
    pub(crate) fault: Fault,
    pub(crate) timing: FaultTiming,
}

#[derive(Debug, Default)]
struct Queue {
    rules: VecDeque<FaultRule>,
    random: Option<(RandomFaults, SplitMix64)>,
}

#[derive(Debug, Default)]
struct Inner {
    /// True while anything is queued or random faults are on: the fast path skips the lock.
    armed: AtomicBool,
    fired: AtomicU64,
    queue: Mutex<Queue>,
}

/// The fault controls of a dummy server; get them with
/// [`DummyServer::faults`](super::DummyServer::faults). A cheap handle: clone it freely.
///
/// ```no_run
/// use std::time::Duration;
/// use intercom_dummy::{DummyServer, Fault};
///
/// # async fn run() -> std::io::Result<()> {
/// let server = DummyServer::start().await?;
/// let faults = server.faults();
/// faults.inject(Fault::TooManyRequests { retry_after: Duration::from_secs(1) });
/// faults.inject(Fault::Status(503).on("GET", "/v1/users").times(2));
/// // ... the code under test retries ...
/// assert_eq!(faults.pending(), 0);
/// assert_eq!(faults.fired(), 3);
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Default)]
pub struct Faults {
    inner: Arc<Inner>,
}

impl fmt::Debug for Faults {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Faults")
            .field("pending", &self.pending())
            .field("fired", &self.fired())
            .finish()
    }
}

impl Faults {
    /// Queues a rule (or a bare [`Fault`]: once, any request, default timing).
    ///
    /// ```
    /// use std::time::Duration;
    /// use intercom_api::{Error, RetryConfig};
    /// use intercom_dummy::{DummyServer, Fault};
    ///
    /// # #[tokio::main]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let server = DummyServer::start().await?;
    /// # let client = server.client_builder().retry(RetryConfig::disabled()).build()?;
    /// server.faults().inject(Fault::TooManyRequests { retry_after: Duration::from_secs(3) });
    /// let Err(Error::RateLimited(limited)) = client.users().list().send().await else { panic!() };
    /// assert_eq!(limited.retry_after, Some(Duration::from_secs(3)));
    /// # Ok(())
    /// # }
    /// ```
    pub fn inject(&self, rule: impl Into<FaultRule>) {
        let rule = rule.into();
        if rule.times == 0 {
            return;
        }
        let mut queue = lock(&self.inner.queue);
        queue.rules.push_back(rule);
        self.inner.armed.store(true, Ordering::Release);
    }

    /// Turns random faults on (`Some`) or off (`None`); the generator restarts from the seed.
    ///
    /// ```
    /// use intercom_api::RetryConfig;
    /// use intercom_dummy::{DummyServer, Fault, RandomFaults};
    ///
    /// # #[tokio::main]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let server = DummyServer::start().await?;
    /// # let client = server.client_builder().retry(RetryConfig::disabled()).build()?;
    /// let faults = server.faults();
    /// faults.set_random(Some(RandomFaults::new(9, 1.0).kinds([Fault::Status(500).into()])));
    /// assert!(client.users().list().send().await.is_err());
    /// faults.set_random(None);
    /// assert!(client.users().list().send().await.is_ok());
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_random(&self, random: Option<RandomFaults>) {
        let mut queue = lock(&self.inner.queue);
        queue.random = random.map(|r| {
            let rng = SplitMix64::new(r.seed);
            (r, rng)
        });
        self.rearm(&queue);
    }

    /// Drops every queued rule and turns random faults off.
    pub fn clear(&self) {
        let mut queue = lock(&self.inner.queue);
        *queue = Queue::default();
        self.rearm(&queue);
    }

    /// How many more requests queued rules will hit.
    pub fn pending(&self) -> usize {
        lock(&self.inner.queue).rules.iter().map(|r| r.times).sum()
    }

    /// How many requests met a fault (queued or random) since the start or the last reset.
    pub fn fired(&self) -> u64 {
        self.inner.fired.load(Ordering::Acquire)
    }

    pub(crate) fn reset(&self) {
        self.clear();
        self.inner.fired.store(0, Ordering::Release);
    }

    fn rearm(&self, queue: &Queue) {
        let armed = !queue.rules.is_empty() || queue.random.is_some();
        self.inner.armed.store(armed, Ordering::Release);
    }

    /// The fault a request meets, if any (consuming one use of a rule). `request` is called
    /// only when a fault is queued or random faults are on.
    pub(crate) fn take<'a>(&self, request: impl FnOnce() -> Request<'a>) -> Option<ChosenFault> {
        if !self.inner.armed.load(Ordering::Acquire) {
            return None;
        }
        let request = request();
        let mut queue = lock(&self.inner.queue);
        let chosen = Self::from_rules(&mut queue, &request)
            .or_else(|| Self::from_random(&mut queue, &request));
        self.rearm(&queue);
        drop(queue);
        if chosen.is_some() {
            self.inner.fired.fetch_add(1, Ordering::AcqRel);
        }
        chosen
    }

    fn from_rules(queue: &mut Queue, request: &Request<'_>) -> Option<ChosenFault> {
        let index = queue
            .rules
            .iter()
            .position(|r| r.requests.matches(request))?;
        let rule = queue.rules.get_mut(index)?;
        rule.times -= 1;
        let chosen = ChosenFault {
            fault: rule.fault.clone(),
            timing: rule.timing(),
        };
        if rule.times == 0 {
            queue.rules.remove(index);
        }
        Some(chosen)
    }

    fn from_random(queue: &mut Queue, request: &Request<'_>) -> Option<ChosenFault> {
        let (random, rng) = queue.random.as_mut()?;
        if random.kinds.is_empty() || !random.requests.matches(request) {
            return None;
        }
        if rng.next_f64() >= random.rate {
            return None;
        }
        let rule = random.kinds.get(rng.next_index(random.kinds.len()))?;
        Some(ChosenFault {
            fault: rule.fault.clone(),
            timing: rule.timing(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_match_by_method_and_path_and_run_out() {
        let faults = Faults::default();
        assert_eq!(faults.take(|| Request::new("GET", "/v1/users", None)), None);
        faults.inject(Fault::Status(503).on("post", "/events/").times(2));
        assert_eq!(faults.pending(), 2);
        assert_eq!(faults.take(|| Request::new("GET", "/events", None)), None);
        assert_eq!(
            faults.take(|| Request::new("POST", "/v1/users", None)),
            None
        );
        let hit = faults
            .take(|| Request::new("POST", "/events", None))
            .unwrap();
        assert_eq!(hit.fault, Fault::Status(503));
        assert_eq!(hit.timing, FaultTiming::BeforeProcessing);
        assert!(
            faults
                .take(|| Request::new("POST", "/events/", None))
                .is_some()
        );
        assert_eq!(faults.take(|| Request::new("POST", "/events", None)), None);
        assert_eq!(faults.fired(), 2);
        assert_eq!(faults.pending(), 0);
    }

    #[test]
    fn rules_fire_in_injection_order_with_their_timing() {
        let faults = Faults::default();
        faults.inject(Fault::DropConnection.after_processing());
        faults.inject(Fault::DropMidBody);
        faults.inject(Fault::DropMidBody.before_processing());
        let timings: Vec<_> = (0..3)
            .map(|_| {
                faults
                    .take(|| Request::new("GET", "/", None))
                    .unwrap()
                    .timing
            })
            .collect();
        assert_eq!(
            timings,
            [
                FaultTiming::AfterProcessing,
                FaultTiming::AfterProcessing,
                FaultTiming::BeforeProcessing
            ]
        );
    }

    #[test]
    fn random_faults_are_deterministic_for_a_seed() {
        let run = |seed| {
            let faults = Faults::default();
            faults.set_random(Some(RandomFaults::new(seed, 0.3)));
            (0..1000)
                .map(|_| {
                    faults
                        .take(|| Request::new("POST", "/events", None))
                        .map(|p| p.fault)
                })
                .collect::<Vec<_>>()
        };
        let first = run(7);
        assert_eq!(first, run(7));
        assert_ne!(first, run(8));
        let hits = first.iter().filter(|f| f.is_some()).count();
        assert!((200..400).contains(&hits), "{hits} of 1000 at 30%");
        let filtered = Faults::default();
        filtered.set_random(Some(RandomFaults::new(1, 1.0).method("POST")));
        assert!(
            filtered
                .take(|| Request::new("GET", "/v1/users", None))
                .is_none()
        );
        assert!(
            filtered
                .take(|| Request::new("POST", "/v1/users", None))
                .is_some()
        );
        let contact = RandomFaults::new(1, 1.0).operation(&operations::GET_CONTACT);
        filtered.set_random(Some(contact));
        assert!(
            filtered
                .take(|| Request::new("GET", "/users", None))
                .is_none()
        );
        assert!(
            filtered
                .take(|| Request::new("GET", "/users/c1", None))
                .is_some()
        );
        filtered.clear();
        assert!(
            filtered
                .take(|| Request::new("POST", "/v1/users", None))
                .is_none()
        );
    }
}
