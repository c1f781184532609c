//! [`DummyServer`]: binding, the accept loop, connections, shutdown; and its builder.

use std::{
    fmt, io,
    net::{Ipv4Addr, Ipv6Addr, SocketAddr},
    panic::AssertUnwindSafe,
    sync::{Arc, Mutex},
    time::Duration,
};

use futures_util::FutureExt;
use hyper::{server::conn::http1, service::service_fn};
use hyper_util::{
    rt::{TokioIo, TokioTimer},
    server::graceful::GracefulShutdown,
};
use tokio::{net::TcpListener, sync::watch, task::JoinHandle};

use super::{
    Credentials, Faults, RandomFaults, RateLimit, RequestLog, State,
    rate_limit::Limiter,
    service::{self, Shared},
    state::{Store, lock},
};
use crate::{time::UnixTime, types};

/// How long a client may take to send a request's headers.
const HEADER_TIMEOUT: Duration = Duration::from_secs(30);
/// How long shutdown waits for requests in flight.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);
/// The request log keeps this many requests unless configured otherwise.
///
/// ```
/// use intercom_api::dummy::DEFAULT_LOG_CAPACITY;
///
/// assert_eq!(DEFAULT_LOG_CAPACITY, 10_000);
/// ```
pub const DEFAULT_LOG_CAPACITY: usize = 10_000;

/// A running dummy Intercom server on 127.0.0.1, serving the v1 API and the Data Events API
/// from memory. It stops when dropped (requests in flight are finished first).
///
/// Start one per test: servers share nothing.
///
/// ```no_run
/// use intercom_api::dummy::DummyServer;
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
    /// use intercom_api::dummy::DummyServer;
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
    /// use intercom_api::dummy::DummyServer;
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
    ///
    /// ```
    /// use intercom_api::{Client, dummy::DummyServer};
    ///
    /// # #[tokio::main]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let server = DummyServer::start().await?;
    /// let client = Client::builder()
    ///     .base_url(server.base_url())
    ///     .basic("dummy-app-id", "dummy-api-key")
    ///     .build()?;
    /// assert_eq!(client.base_url(), server.base_url());
    /// # Ok(())
    /// # }
    /// ```
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The address the server listens on.
    ///
    /// ```
    /// use intercom_api::dummy::DummyServer;
    ///
    /// # #[tokio::main]
    /// # async fn main() -> std::io::Result<()> {
    /// let server = DummyServer::start().await?;
    /// assert!(server.addr().ip().is_loopback());
    /// assert_eq!(server.base_url(), format!("http://{}", server.addr()));
    /// # Ok(())
    /// # }
    /// ```
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The credentials it accepts.
    ///
    /// ```
    /// use intercom_api::dummy::DummyServer;
    ///
    /// # #[tokio::main]
    /// # async fn main() -> std::io::Result<()> {
    /// let server = DummyServer::builder().app_id("my-app").start().await?;
    /// assert_eq!(server.credentials().app_id, "my-app");
    /// assert_eq!(server.credentials().api_key, "dummy-api-key");
    /// # Ok(())
    /// # }
    /// ```
    pub fn credentials(&self) -> &Credentials {
        &self.shared.credentials
    }

    /// A client builder pointed at this server with its credentials (both the v1 app id and
    /// key, and the events token); add settings, then `.build()`.
    ///
    /// ```
    /// use intercom_api::{RetryConfig, UserRef, dummy::DummyServer};
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
    pub fn client_builder(&self) -> crate::ClientBuilder {
        let credentials = self.credentials();
        crate::Client::builder()
            .base_url(self.base_url())
            .basic(&credentials.app_id, &credentials.api_key)
            .token(&credentials.access_token)
    }

    /// A client of this server with the default settings (see [`client_builder`](Self::client_builder)).
    ///
    /// ```
    /// use intercom_api::{UserRef, dummy::DummyServer};
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
    pub fn client(&self) -> crate::Client {
        self.client_builder()
            .build()
            .expect("the dummy server's base URL and credentials make a valid client")
    }

    /// Its data, for assertions and seeding.
    ///
    /// ```
    /// use intercom_api::dummy::{DummyServer, UserKey};
    ///
    /// # #[tokio::main]
    /// # async fn main() -> std::io::Result<()> {
    /// let server = DummyServer::builder().seed_users(3).start().await?;
    /// let state = server.state();
    /// let second = state.user(&UserKey::email("user2@example.com")).expect("seeded");
    /// assert_eq!(second.user.name.as_deref(), Some("User 2"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn state(&self) -> State {
        State::new(self.shared.store.clone())
    }

    /// Its fault injection controls.
    ///
    /// ```
    /// use intercom_api::{RetryConfig, UserRef, dummy::{DummyServer, Fault}};
    ///
    /// # #[tokio::main]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let server = DummyServer::builder().seed_users(1).start().await?;
    /// let client = server.client_builder().retry(RetryConfig::disabled()).build()?;
    /// server.faults().inject(Fault::Status(503));
    /// let error = client.users().get(UserRef::user_id("1")).send().await.unwrap_err();
    /// assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    /// # Ok(())
    /// # }
    /// ```
    pub fn faults(&self) -> Faults {
        self.shared.faults.clone()
    }

    /// The requests it received.
    ///
    /// ```
    /// use intercom_api::{UserRef, dummy::DummyServer};
    ///
    /// # #[tokio::main]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let server = DummyServer::start().await?;
    /// server.client().users().create(UserRef::email("ben@intercom.io")).send().await?;
    /// let sent = server.log().entries();
    /// assert_eq!((sent[0].method.as_str(), sent[0].path.as_str()), ("POST", "/v1/users"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn log(&self) -> RequestLog {
        self.shared.log.clone()
    }

    /// Back to a fresh server: no data, no logged requests, no faults, a new rate-limit
    /// window. Credentials and settings stay.
    ///
    /// ```
    /// use intercom_api::{UserRef, dummy::DummyServer};
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
    /// use intercom_api::{RetryConfig, dummy::DummyServer};
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
/// use intercom_api::dummy::{DummyServer, RateLimit};
///
/// # async fn run() -> std::io::Result<()> {
/// let server = DummyServer::builder()
///     .app_id("my-app")
///     .api_key("my-key")
///     .access_token("my-token")
///     .rate_limit(RateLimit::new(100, Duration::from_secs(10)))
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
    rate_limit: Option<RateLimit>,
    addr: SocketAddr,
    seed_users: usize,
    log_capacity: usize,
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
            .field("random_faults", &self.random_faults)
            .field("verbose", &self.verbose)
            .finish()
    }
}

impl DummyServerBuilder {
    /// All three credentials at once.
    ///
    /// ```
    /// use intercom_api::dummy::{Credentials, DummyServer};
    ///
    /// # #[tokio::main]
    /// # async fn main() -> std::io::Result<()> {
    /// let credentials = Credentials {
    ///     app_id: "app".to_string(),
    ///     api_key: "key".to_string(),
    ///     access_token: "token".to_string(),
    /// };
    /// let server = DummyServer::builder().credentials(credentials.clone()).start().await?;
    /// assert_eq!(server.credentials(), &credentials);
    /// # Ok(())
    /// # }
    /// ```
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = credentials;
        self
    }

    /// The app id accepted as the HTTP Basic user name.
    ///
    /// ```
    /// use intercom_api::dummy::DummyServer;
    ///
    /// # #[tokio::main]
    /// # async fn main() -> std::io::Result<()> {
    /// let server = DummyServer::builder().app_id("tx2p130c").start().await?;
    /// assert!(server.credentials().basic_auth_header().starts_with("Basic "));
    /// assert_eq!(server.credentials().app_id, "tx2p130c");
    /// # Ok(())
    /// # }
    /// ```
    pub fn app_id(mut self, app_id: impl Into<String>) -> Self {
        self.credentials.app_id = app_id.into();
        self
    }

    /// The API key accepted as the HTTP Basic password.
    ///
    /// ```
    /// use intercom_api::{Client, dummy::DummyServer};
    ///
    /// # #[tokio::main]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let server = DummyServer::builder().api_key("s3cret").start().await?;
    /// let default_key = Client::builder()
    ///     .base_url(server.base_url())
    ///     .basic("dummy-app-id", "dummy-api-key")
    ///     .build()?;
    /// let refused = default_key.users().list().send().await.unwrap_err();
    /// assert_eq!(refused.status().map(|s| s.as_u16()), Some(401));
    /// # Ok(())
    /// # }
    /// ```
    pub fn api_key(mut self, api_key: impl Into<String>) -> Self {
        self.credentials.api_key = api_key.into();
        self
    }

    /// The access token accepted as a Bearer token on `/events`.
    ///
    /// ```
    /// use intercom_api::{EventUser, dummy::DummyServer};
    ///
    /// # #[tokio::main]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let server = DummyServer::builder().access_token("tok_123").seed_users(1).start().await?;
    /// // `client()` sends the server's own token to `/events`.
    /// let events = server.client().events().list(EventUser::user_id("1")).send().await?;
    /// assert!(events.events.is_empty());
    /// # Ok(())
    /// # }
    /// ```
    pub fn access_token(mut self, token: impl Into<String>) -> Self {
        self.credentials.access_token = token.into();
        self
    }

    /// Limits authenticated requests per window; every response then carries the
    /// `X-RateLimit-*` headers, and requests past the limit get 429 with `Retry-After`.
    ///
    /// ```
    /// use intercom_api::{Error, RetryConfig, dummy::{DummyServer, RateLimit}};
    ///
    /// # #[tokio::main]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let server = DummyServer::builder().rate_limit(RateLimit::per_minute(2)).start().await?;
    /// let client = server.client_builder().retry(RetryConfig::disabled()).build()?;
    /// client.users().list().send().await?;
    /// client.users().list().send().await?;
    /// assert_eq!(client.rate_limit().map(|limit| limit.remaining), Some(0));
    /// assert!(matches!(client.users().list().send().await, Err(Error::RateLimited(_))));
    /// # Ok(())
    /// # }
    /// ```
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = Some(limit);
        self
    }

    /// Listens on this port of 127.0.0.1 instead of an ephemeral one.
    ///
    /// ```
    /// use intercom_api::dummy::DummyServer;
    ///
    /// # #[tokio::main]
    /// # async fn main() -> std::io::Result<()> {
    /// # let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    /// // A fixed port, e.g. for a test suite written in another language.
    /// let server = DummyServer::builder().port(port).start().await?;
    /// assert_eq!(server.base_url(), format!("http://127.0.0.1:{port}"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn port(mut self, port: u16) -> Self {
        self.addr.set_port(port);
        self
    }

    /// Listens on this address (e.g. `0.0.0.0:4010` to serve other machines or containers).
    ///
    /// ```
    /// use std::net::SocketAddr;
    /// use intercom_api::dummy::DummyServer;
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
    ///
    /// ```
    /// use intercom_api::dummy::{DummyServer, UserKey};
    ///
    /// # #[tokio::main]
    /// # async fn main() -> std::io::Result<()> {
    /// let server = DummyServer::builder().seed_users(1_000).start().await?;
    /// let last = server.state().user(&UserKey::user_id("1000")).expect("seeded");
    /// assert_eq!(last.user.email.as_deref(), Some("user1000@example.com"));
    /// assert_eq!(last.user.created_at.map(|t| t.unix()), Some(1_600_001_000));
    /// # Ok(())
    /// # }
    /// ```
    pub fn seed_users(mut self, count: usize) -> Self {
        self.seed_users = count;
        self
    }

    /// How many requests the request log keeps (the most recent; default 10,000; 0 keeps none).
    ///
    /// ```
    /// use intercom_api::dummy::DummyServer;
    ///
    /// # #[tokio::main]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// // A soak test that only counts requests.
    /// let server = DummyServer::builder().request_log_capacity(0).start().await?;
    /// server.client().users().list().send().await?;
    /// assert_eq!((server.log().len(), server.log().received()), (0, 1));
    /// # Ok(())
    /// # }
    /// ```
    pub fn request_log_capacity(mut self, capacity: usize) -> Self {
        self.log_capacity = capacity;
        self
    }

    /// Starts with random faults on (see [`Faults::set_random`]).
    ///
    /// ```
    /// use intercom_api::{RetryConfig, dummy::{DummyServer, Fault, RandomFaults}};
    ///
    /// # #[tokio::main]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// // Every request (rate 1.0) meets a 503.
    /// let random = RandomFaults::new(42, 1.0).kinds([Fault::Status(503).into()]);
    /// let server = DummyServer::builder().random_faults(random).start().await?;
    /// let client = server.client_builder().retry(RetryConfig::disabled()).build()?;
    /// assert!(client.users().list().send().await.is_err());
    /// assert_eq!(server.faults().fired(), 1);
    /// # Ok(())
    /// # }
    /// ```
    pub fn random_faults(mut self, random: RandomFaults) -> Self {
        self.random_faults = Some(random);
        self
    }

    /// Prints one line per request (method, path, status; never the query, headers or body)
    /// to stderr.
    ///
    /// ```
    /// use intercom_api::dummy::DummyServer;
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
    /// use intercom_api::dummy::DummyServer;
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
        let store = Arc::new(Mutex::new(Store::default()));
        let state = State::new(store.clone());
        if self.seed_users > 0 {
            state
                .insert_users((1..=self.seed_users).map(seed_user))
                .map_err(io::Error::other)?;
        }
        let faults = Faults::default();
        faults.set_random(self.random_faults);
        let shared = Arc::new(Shared {
            log: RequestLog::new(self.log_capacity, &self.credentials),
            credentials: self.credentials,
            store,
            faults,
            limiter: self.rate_limit.map(|limit| Mutex::new(Limiter::new(limit))),
            base_url: base_url.clone(),
            verbose: self.verbose,
        });
        let (stop, stopped) = watch::channel(());
        let task = tokio::spawn(accept_loop(listener, shared.clone(), stopped));
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

/// Accepts connections until `stopped` closes, then shuts them down gracefully.
async fn accept_loop(listener: TcpListener, shared: Arc<Shared>, mut stopped: watch::Receiver<()>) {
    let graceful = GracefulShutdown::new();
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        // A client that goes away (even half-closing) cancels its request: a delayed request
        // whose client timed out is never processed, unless the fault says after processing.
        .half_close(false)
        .keep_alive(true);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, _peer)) = accepted else {
                    // Out of file descriptors or similar: give the system a moment.
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                };
                let _ = stream.set_nodelay(true);
                let shared = shared.clone();
                let service = service_fn(move |request| {
                    let served = service::serve(shared.clone(), request);
                    async move {
                        AssertUnwindSafe(served)
                            .catch_unwind()
                            .await
                            .unwrap_or_else(|_| Ok(service::panicked()))
                    }
                });
                let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
                tokio::spawn(async move {
                    // A connection error (client gone, injected drop) ends only that connection.
                    let _ = connection.await;
                });
            }
            _ = stopped.changed() => break,
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await;
}
