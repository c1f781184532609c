//! [`DummyServer`]: binding, the accept loop, connections, shutdown; and its builder.

use std::{
    collections::BTreeMap,
    fmt, io,
    net::{Ipv4Addr, Ipv6Addr, SocketAddr},
    panic::AssertUnwindSafe,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use futures_util::FutureExt;
use hyper::{server::conn::http1, service::service_fn};
use hyper_util::{
    rt::{TokioIo, TokioTimer},
    server::graceful::GracefulShutdown,
};
use tokio::{
    net::TcpListener,
    sync::{Notify, Semaphore, watch},
    task::JoinHandle,
};

use super::{
    Credentials, Faults, RandomFaults, RateLimitConfig, RequestLog, State,
    rate_limit::Limiter,
    service::{self, BODY_BUDGET, Shared},
    state::{Limits, Store, lock},
};
use intercom_api::{time::UnixTime, types};

/// How long a client may take to send a request's headers unless configured otherwise
/// ([`DummyServerBuilder::header_timeout`]); then its connection is closed.
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a client may take to send a request's body unless configured otherwise
/// ([`DummyServerBuilder::body_timeout`]); then it is answered 400 and its connection closed.
pub const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(30);
/// How many connections a server keeps open at once unless configured otherwise
/// ([`DummyServerBuilder::max_connections`]): well under the common limit of 1,024 file
/// descriptors.
pub const DEFAULT_MAX_CONNECTIONS: usize = 512;
/// How many bytes the request log keeps unless configured otherwise
/// ([`DummyServerBuilder::request_log_bytes`]): 64 MiB.
pub const DEFAULT_LOG_BYTES: usize = 64 * 1024 * 1024;
/// How long shutdown waits for requests in flight.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);
/// The request log keeps this many requests unless configured otherwise.
pub const DEFAULT_LOG_CAPACITY: usize = 10_000;

/// A running dummy Intercom server on 127.0.0.1, serving the v1 API and the Data Events API
/// from memory. It stops when dropped (requests in flight are finished first).
///
/// Start one per test: servers share nothing.
///
/// ```no_run
/// use intercom_dummy::DummyServer;
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let server = DummyServer::start().await?;
/// let credentials = server.credentials();
///
/// let user: serde_json::Value = reqwest::Client::new()
///     .post(format!("{}/v1/users", server.base_url()))
///     .basic_auth(&credentials.app_id, Some(&credentials.api_key))
///     .json(&serde_json::json!({"email": "ben@intercom.io", "name": "Ben"}))
///     .send()
///     .await?
///     .error_for_status()?
///     .json()
///     .await?;
/// assert_eq!(user["name"], "Ben");
/// assert_eq!(server.state().user_count(), 1);
/// # Ok(())
/// # }
/// ```
pub struct DummyServer {
    addr: SocketAddr,
    base_url: String,
    shared: Arc<Shared>,
    stop: Option<watch::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl fmt::Debug for DummyServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DummyServer")
            .field("base_url", &self.base_url)
            .field("credentials", &self.shared.credentials)
            .finish()
    }
}

impl DummyServer {
    /// Starts a server with the defaults: the documents' credentials (`dummy-app-id`,
    /// `dummy-api-key`, and the token `dummy-access-token`), no rate limit, no data, an
    /// ephemeral port on 127.0.0.1. Must be called within a Tokio runtime; the server runs on
    /// it.
    ///
    /// ```
    /// use intercom_dummy::DummyServer;
    ///
    /// # #[tokio::main]
    /// # async fn main() -> std::io::Result<()> {
    /// let server = DummyServer::start().await?;
    /// assert!(server.base_url().starts_with("http://127.0.0.1:"));
    /// assert_eq!(server.state().user_count(), 0);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn start() -> io::Result<DummyServer> {
        Self::builder().start().await
    }

    /// A builder, to set credentials, a rate limit, seed data, the port, ...
    ///
    /// ```
    /// use intercom_dummy::DummyServer;
    ///
    /// # #[tokio::main]
    /// # async fn main() -> std::io::Result<()> {
    /// let server = DummyServer::builder().seed_users(2).request_log_capacity(100).start().await?;
    /// assert_eq!(server.state().user_count(), 2);
    /// # Ok(())
    /// # }
    /// ```
    pub fn builder() -> DummyServerBuilder {
        DummyServerBuilder::default()
    }

    /// `http://127.0.0.1:<port>`, without a trailing slash: the base URL to give a client (a
    /// server bound to every interface gives its loopback address here).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The credentials it accepts.
    pub fn credentials(&self) -> &Credentials {
        &self.shared.credentials
    }

    /// A client builder pointed at this server with its credentials (both the v1 app id and
    /// key, and the events token); add settings, then `.build()`.
    ///
    /// ```
    /// use intercom_api::{RetryConfig, UserRef};
    /// use intercom_dummy::DummyServer;
    ///
    /// # #[tokio::main]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let server = DummyServer::builder().seed_users(1).start().await?;
    /// let client = server.client_builder().retry(RetryConfig::disabled()).build()?;
    /// let user = client.users().get(UserRef::user_id("1")).send().await?;
    /// assert_eq!(user.email.as_deref(), Some("user1@example.com"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn client_builder(&self) -> intercom_api::ClientBuilder {
        let credentials = self.credentials();
        intercom_api::Client::builder()
            .base_url(self.base_url())
            .basic(&credentials.app_id, &credentials.api_key)
            .token(&credentials.access_token)
    }

    /// A client of this server with the default settings (see [`client_builder`](Self::client_builder)).
    ///
    /// ```
    /// use intercom_api::UserRef;
    /// use intercom_dummy::DummyServer;
    ///
    /// # #[tokio::main]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let server = DummyServer::start().await?;
    /// let client = server.client();
    /// client.users().create(UserRef::email("ben@intercom.io")).send().await?;
    /// assert_eq!(server.state().user_count(), 1);
    /// # Ok(())
    /// # }
    /// ```
    pub fn client(&self) -> intercom_api::Client {
        self.client_builder()
            .build()
            .expect("the dummy server's base URL and credentials make a valid client")
    }

    /// Its data, for assertions and seeding.
    pub fn state(&self) -> State {
        State::new(self.shared.store.clone())
    }

    /// Its fault injection controls.
    pub fn faults(&self) -> Faults {
        self.shared.faults.clone()
    }

    /// The requests it received.
    pub fn log(&self) -> RequestLog {
        self.shared.log.clone()
    }

    /// Back to a fresh server: no data, no logged requests, no faults, a new rate-limit
    /// window. Credentials and settings stay.
    ///
    /// ```
    /// use intercom_api::UserRef;
    /// use intercom_dummy::DummyServer;
    ///
    /// # #[tokio::main]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let server = DummyServer::start().await?;
    /// server.client().users().create(UserRef::email("ben@intercom.io")).send().await?;
    /// // Between two tests sharing one server:
    /// server.reset();
    /// assert_eq!(server.state().user_count(), 0);
    /// assert!(server.log().is_empty());
    /// # Ok(())
    /// # }
    /// ```
    pub fn reset(&self) {
        self.state().clear();
        self.shared.log.clear();
        self.shared.faults.reset();
        if let Some(limiter) = &self.shared.limiter {
            lock(limiter).reset();
        }
    }

    /// Stops accepting connections, lets requests in flight finish (up to 5 seconds), and
    /// returns when the server is down. Dropping the server does the same without waiting.
    ///
    /// ```
    /// use intercom_api::RetryConfig;
    /// use intercom_dummy::DummyServer;
    ///
    /// # #[tokio::main]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let server = DummyServer::start().await?;
    /// let client = server.client_builder().retry(RetryConfig::disabled()).build()?;
    /// server.shutdown().await;
    /// // Nothing listens there any more.
    /// assert!(client.users().list().send().await.is_err());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn shutdown(mut self) {
        self.stop.take();
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for DummyServer {
    fn drop(&mut self) {
        // Closing the channel stops the accept loop, which then shuts connections down.
        self.stop.take();
    }
}

/// Settings for a [`DummyServer`].
///
/// ```no_run
/// use std::time::Duration;
/// use intercom_dummy::{DummyServer, RateLimitConfig};
///
/// # async fn run() -> std::io::Result<()> {
/// let server = DummyServer::builder()
///     .app_id("my-app")
///     .api_key("my-key")
///     .access_token("my-token")
///     .rate_limit(RateLimitConfig::new(100, Duration::from_secs(10)))
///     .seed_users(1_000)
///     .start()
///     .await?;
/// assert_eq!(server.state().user_count(), 1_000);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct DummyServerBuilder {
    credentials: Credentials,
    rate_limit: Option<RateLimitConfig>,
    addr: SocketAddr,
    seed_users: usize,
    log_capacity: usize,
    log_bytes: usize,
    max_connections: usize,
    header_timeout: Duration,
    body_timeout: Duration,
    limits: Limits,
    random_faults: Option<RandomFaults>,
    verbose: bool,
}

impl Default for DummyServerBuilder {
    fn default() -> Self {
        DummyServerBuilder {
            credentials: Credentials::default(),
            rate_limit: None,
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            seed_users: 0,
            log_capacity: DEFAULT_LOG_CAPACITY,
            log_bytes: DEFAULT_LOG_BYTES,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            header_timeout: DEFAULT_HEADER_TIMEOUT,
            body_timeout: DEFAULT_BODY_TIMEOUT,
            limits: Limits::default(),
            random_faults: None,
            verbose: false,
        }
    }
}

impl fmt::Debug for DummyServerBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DummyServerBuilder")
            .field("credentials", &self.credentials)
            .field("rate_limit", &self.rate_limit)
            .field("addr", &self.addr)
            .field("seed_users", &self.seed_users)
            .field("log_capacity", &self.log_capacity)
            .field("log_bytes", &self.log_bytes)
            .field("max_connections", &self.max_connections)
            .field("header_timeout", &self.header_timeout)
            .field("body_timeout", &self.body_timeout)
            .field("limits", &self.limits)
            .field("random_faults", &self.random_faults)
            .field("verbose", &self.verbose)
            .finish()
    }
}

impl DummyServerBuilder {
    /// All three credentials at once.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = credentials;
        self
    }

    /// The app id accepted as the HTTP Basic user name.
    pub fn app_id(mut self, app_id: impl Into<String>) -> Self {
        self.credentials.app_id = app_id.into();
        self
    }

    /// The API key accepted as the HTTP Basic password.
    pub fn api_key(mut self, api_key: impl Into<String>) -> Self {
        self.credentials.api_key = api_key.into();
        self
    }

    /// The access token accepted as a Bearer token on `/events`.
    pub fn access_token(mut self, token: impl Into<String>) -> Self {
        self.credentials.access_token = token.into();
        self
    }

    /// Limits authenticated requests per window; every response then carries the
    /// `X-RateLimit-*` headers, and requests past the limit get 429 with `Retry-After`.
    pub fn rate_limit(mut self, limit: RateLimitConfig) -> Self {
        self.rate_limit = Some(limit);
        self
    }

    /// Listens on this port of 127.0.0.1 instead of an ephemeral one.
    pub fn port(mut self, port: u16) -> Self {
        self.addr.set_port(port);
        self
    }

    /// Listens on this address (e.g. `0.0.0.0:4010` to serve other machines or containers).
    ///
    /// ```
    /// use std::net::SocketAddr;
    /// use intercom_dummy::DummyServer;
    ///
    /// # #[tokio::main]
    /// # async fn main() -> std::io::Result<()> {
    /// let server = DummyServer::builder().bind(SocketAddr::from(([0, 0, 0, 0], 0))).start().await?;
    /// assert!(server.addr().ip().is_unspecified());
    /// // This machine still reaches it on loopback.
    /// assert!(server.base_url().starts_with("http://127.0.0.1:"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn bind(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// Starts with `count` users: user `i` (from 1) has email `user{i}@example.com`, user_id
    /// `{i}`, name `User {i}` and `created_at` 1,600,000,000 + `i`. For more control use
    /// [`State::insert_users`].
    pub fn seed_users(mut self, count: usize) -> Self {
        self.seed_users = count;
        self
    }

    /// How many requests the request log keeps (the most recent; default 10,000; 0 keeps none).
    pub fn request_log_capacity(mut self, capacity: usize) -> Self {
        self.log_capacity = capacity;
        self
    }

    /// How many bytes the request log keeps (the most recent requests; default
    /// [`DEFAULT_LOG_BYTES`], 64 MiB). A request heavier than this on its own is logged without
    /// its body.
    pub fn request_log_bytes(mut self, bytes: usize) -> Self {
        self.log_bytes = bytes;
        self
    }

    /// How many connections it keeps open at once (default [`DEFAULT_MAX_CONNECTIONS`], 512; at
    /// least 1). When a new connection arrives at the limit, the oldest connection that is not
    /// being answered (idle, or still sending its request) is closed to make room, so slow or
    /// idle clients cannot lock normal ones out.
    pub fn max_connections(mut self, connections: usize) -> Self {
        self.max_connections = connections.max(1);
        self
    }

    /// How long a client may take to send a request's headers (default
    /// [`DEFAULT_HEADER_TIMEOUT`], 30 s).
    ///
    /// ```
    /// use std::time::Duration;
    /// use intercom_dummy::DummyServer;
    ///
    /// # #[tokio::main]
    /// # async fn main() -> std::io::Result<()> {
    /// let server = DummyServer::builder().header_timeout(Duration::from_secs(5)).start().await?;
    /// # drop(server);
    /// # Ok(())
    /// # }
    /// ```
    pub fn header_timeout(mut self, timeout: Duration) -> Self {
        self.header_timeout = timeout;
        self
    }

    /// How long a client may take to send a request's body (default [`DEFAULT_BODY_TIMEOUT`],
    /// 30 s); then the request is answered 400 and its connection closed.
    ///
    /// ```
    /// use std::time::Duration;
    /// use intercom_dummy::DummyServer;
    ///
    /// # #[tokio::main]
    /// # async fn main() -> std::io::Result<()> {
    /// let server = DummyServer::builder().body_timeout(Duration::from_secs(5)).start().await?;
    /// # drop(server);
    /// # Ok(())
    /// # }
    /// ```
    pub fn body_timeout(mut self, timeout: Duration) -> Self {
        self.body_timeout = timeout;
        self
    }

    /// How many users clients may create (default [`DEFAULT_MAX_USERS`](super::DEFAULT_MAX_USERS));
    /// past it, creating a user is answered 402 `request_failed` (updates and reads keep
    /// working). Seeding through [`State`] is not limited.
    pub fn max_users(mut self, users: usize) -> Self {
        self.limits.users = users;
        self
    }

    /// How many distinct events clients may store (default
    /// [`DEFAULT_MAX_EVENTS`](super::DEFAULT_MAX_EVENTS)); past it, `POST /events` is answered
    /// 402 with an `error.list` (duplicates of stored events are still accepted).
    pub fn max_events(mut self, events: usize) -> Self {
        self.limits.events = events;
        self
    }

    /// The largest event `metadata` or user `custom_data` (after merging) stored, in bytes of
    /// JSON (default [`DEFAULT_MAX_METADATA_BYTES`](super::DEFAULT_MAX_METADATA_BYTES));
    /// larger ones are answered 400 naming the field.
    pub fn max_metadata_bytes(mut self, bytes: usize) -> Self {
        self.limits.metadata_bytes = bytes;
        self
    }

    /// Starts with random faults on (see [`Faults::set_random`]).
    pub fn random_faults(mut self, random: RandomFaults) -> Self {
        self.random_faults = Some(random);
        self
    }

    /// Prints one line per request (method, path, status; never the query, headers or body)
    /// to stderr.
    ///
    /// ```
    /// use intercom_dummy::DummyServer;
    ///
    /// # #[tokio::main]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let server = DummyServer::builder().verbose(true).start().await?;
    /// // Prints `GET /v1/users -> 200` to stderr.
    /// server.client().users().list().send().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn verbose(mut self, verbose: bool) -> Self {
        self.verbose = verbose;
        self
    }

    /// Binds and starts serving on the current Tokio runtime.
    ///
    /// ```
    /// use intercom_dummy::DummyServer;
    ///
    /// # #[tokio::main]
    /// # async fn main() -> std::io::Result<()> {
    /// let builder = DummyServer::builder().seed_users(5);
    /// // Each start is an independent server on its own port.
    /// let (first, second) = (builder.clone().start().await?, builder.start().await?);
    /// assert_ne!(first.base_url(), second.base_url());
    /// second.state().clear();
    /// assert_eq!((first.state().user_count(), second.state().user_count()), (5, 0));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn start(self) -> io::Result<DummyServer> {
        let listener = TcpListener::bind(self.addr).await?;
        let addr = listener.local_addr()?;
        // Bound to every interface: this machine reaches it on loopback.
        let reachable = if addr.ip().is_unspecified() {
            SocketAddr::new(
                if addr.is_ipv4() {
                    Ipv4Addr::LOCALHOST.into()
                } else {
                    Ipv6Addr::LOCALHOST.into()
                },
                addr.port(),
            )
        } else {
            addr
        };
        let base_url = format!("http://{reachable}");
        let store = Arc::new(Mutex::new(Store::with_limits(self.limits)));
        let state = State::new(store.clone());
        if self.seed_users > 0 {
            state
                .insert_users((1..=self.seed_users).map(seed_user))
                .map_err(io::Error::other)?;
        }
        let faults = Faults::default();
        faults.set_random(self.random_faults);
        let shared = Arc::new(Shared {
            log: RequestLog::new(self.log_capacity, self.log_bytes, &self.credentials),
            credentials: self.credentials,
            body_budget: Arc::new(Semaphore::new(BODY_BUDGET)),
            body_timeout: self.body_timeout,
            store,
            faults,
            limiter: self.rate_limit.map(|limit| Mutex::new(Limiter::new(limit))),
            base_url: base_url.clone(),
            verbose: self.verbose,
        });
        let (stop, stopped) = watch::channel(());
        let settings = ConnectionSettings {
            max_connections: self.max_connections,
            header_timeout: self.header_timeout,
        };
        let task = tokio::spawn(accept_loop(listener, shared.clone(), settings, stopped));
        Ok(DummyServer {
            addr,
            base_url,
            shared,
            stop: Some(stop),
            task: Some(task),
        })
    }
}

/// The `i`th seed user.
fn seed_user(i: usize) -> types::User {
    types::User {
        email: Some(format!("user{i}@example.com")),
        user_id: Some(i.to_string()),
        name: Some(format!("User {i}")),
        created_at: UnixTime::from_unix(1_600_000_000 + i as i64),
        custom_data: Some(types::CustomData(serde_json::Map::new())),
        session_count: Some(0),
        unsubscribed_from_emails: Some(false),
        ..types::User::default()
    }
}

/// How often, at most, the server hands memory freed by closed connections back to the system.
const TRIM_INTERVAL: Duration = Duration::from_secs(1);

/// Hands the memory the allocator keeps free back to the system. glibc's malloc keeps what
/// request bodies freed in its arenas (resident), and raises its mmap threshold after the first
/// large free, so without this the peak of a burst of uploads stays resident after they end.
fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory of the allocator; no pointer is involved.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// How connections are served.
struct ConnectionSettings {
    max_connections: usize,
    header_timeout: Duration,
}

/// One open connection, as the accept loop sees it.
#[derive(Default)]
struct Connection {
    /// A request of it is being answered (set by the service).
    busy: Arc<AtomicBool>,
    /// Tells its task to close it.
    close: Notify,
}

/// The open connections, oldest first.
#[derive(Default)]
struct Connections {
    open: Mutex<BTreeMap<u64, Arc<Connection>>>,
    /// A connection closed since memory was last handed back.
    closed: AtomicBool,
}

impl Connections {
    /// Closes the oldest connection that is not being answered; false if all are.
    fn close_oldest_idle(&self) -> bool {
        let mut open = lock(&self.open);
        let oldest = open
            .iter()
            .find(|(_, c)| !c.busy.load(Ordering::Acquire))
            .map(|(id, _)| *id);
        match oldest.and_then(|id| open.remove(&id)) {
            Some(connection) => {
                connection.close.notify_one();
                true
            }
            None => false,
        }
    }
}

/// Accepts connections until `stopped` closes, then shuts them down gracefully. At most
/// `max_connections` are open at once: at the limit, a new connection makes the oldest one not
/// being answered close (or, if every one is, waits for one to end).
async fn accept_loop(
    listener: TcpListener,
    shared: Arc<Shared>,
    settings: ConnectionSettings,
    mut stopped: watch::Receiver<()>,
) {
    let graceful = GracefulShutdown::new();
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(settings.header_timeout)
        // A client that goes away (even half-closing) cancels its request: a delayed request
        // whose client timed out is never processed, unless the fault says after processing.
        .half_close(false)
        .keep_alive(true)
        // Per connection, hyper buffers at most this much of what the client sends (its default
        // is ~400 KiB): with hundreds of connections uploading, that is what the server holds.
        .max_buf_size(64 * 1024);
    let permits = Arc::new(Semaphore::new(settings.max_connections));
    let connections = Arc::new(Connections::default());
    let mut next_id: u64 = 0;
    let mut trim = tokio::time::interval(TRIM_INTERVAL);
    trim.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        let stream = tokio::select! {
            _ = trim.tick() => {
                if connections.closed.swap(false, Ordering::AcqRel) {
                    drop(tokio::task::spawn_blocking(release_free_memory));
                }
                continue;
            }
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => stream,
                Err(_) => {
                    // Out of file descriptors or similar: give the system a moment.
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
            _ = stopped.changed() => break,
        };
        let permit = match permits.clone().try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                connections.close_oldest_idle();
                tokio::select! {
                    permit = permits.clone().acquire_owned() => match permit {
                        Ok(permit) => permit,
                        Err(_) => break, // never closed
                    },
                    _ = stopped.changed() => break,
                }
            }
        };
        let _ = stream.set_nodelay(true);
        next_id += 1;
        let id = next_id;
        let connection = Arc::new(Connection::default());
        lock(&connections.open).insert(id, connection.clone());
        let shared = shared.clone();
        let busy = connection.busy.clone();
        let service = service_fn(move |request| {
            let served = service::serve(shared.clone(), request, busy.clone());
            async move {
                AssertUnwindSafe(served)
                    .catch_unwind()
                    .await
                    .unwrap_or_else(|_| Ok(service::panicked()))
            }
        });
        let serving = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        let connections = connections.clone();
        tokio::spawn(async move {
            tokio::select! {
                // A connection error (client gone, injected drop) ends only that connection.
                _ = serving => {}
                _ = connection.close.notified() => {}
            }
            lock(&connections.open).remove(&id);
            drop(permit);
            connections.closed.store(true, Ordering::Release);
        });
    }
    drop(listener);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await;
}
