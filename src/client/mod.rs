//! [`Client`]: the entry point, with one handle per resource.

mod builder;
#[cfg(feature = "rustls")]
mod tls;

use std::{future::Future, sync::Arc};

use progenitor_client::{ClientInfo, ResponseValue};
use serde::de::DeserializeOwned;

pub use builder::{ClientBuilder, Region, defaults};

use crate::{
    error::Error,
    generated,
    operations::Operation,
    rate_limit::RateLimit,
    resources::{Contacts, Conversations, Events, Impressions, MessageThreads, Notes, Tags, Users},
    transport::{self, ErrorBody},
};

/// A client of the Intercom v1 API and the Data Events API.
///
/// Cheap to clone (the connection pool and settings are shared); every call is a builder ending
/// in `.send().await`. Build one with [`Client::builder`] or [`Client::from_env`].
///
/// ```no_run
/// use intercom_api::{Client, UserRef};
///
/// # async fn run() -> Result<(), intercom_api::Error> {
/// let client = Client::builder().basic("my-app-id", "my-api-key").build()?;
/// let user = client.users().get(UserRef::email("ben@intercom.io")).send().await?;
/// println!("{:?}", user.name);
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct Client {
    /// Shared, so that a handle or a call builder clones a pointer, not the base URL string and
    /// the connection pool's and settings' reference counts.
    raw: Arc<generated::Client>,
}

impl Client {
    /// A builder with the defaults (see [`ClientBuilder`]).
    ///
    /// ```
    /// use intercom_api::Client;
    ///
    /// let client = Client::builder().token("my-access-token").build()?;
    /// assert_eq!(client.base_url(), "https://api.intercom.io");
    /// # Ok::<(), intercom_api::Error>(())
    /// ```
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client with the credentials of the environment (see [`ClientBuilder::from_env`]) and
    /// every other setting at its default.
    ///
    /// ```
    /// use intercom_api::{Client, Error};
    ///
    /// match Client::from_env() {
    ///     Ok(client) => println!("talking to {}", client.base_url()),
    ///     // No credentials, or an app id without its key: a configuration error naming the variables.
    ///     Err(error) => assert!(matches!(error, Error::Config(_)), "{error}"),
    /// }
    /// ```
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_env()?.build()
    }

    /// The generated client underneath: every operation of the description, with the same
    /// authentication, retries and tracing. For what the handles do not cover.
    ///
    /// ```no_run
    /// # async fn run(client: intercom_api::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// // The generated builder of the operation; it answers with a `ResponseValue`.
    /// let answer = client.raw().get_tag().name("Free Trial").send().await?;
    /// println!("{} ({:?} users)", answer.status(), answer.into_inner().tagged_user_count);
    /// # Ok(())
    /// # }
    /// ```
    pub fn raw(&self) -> &generated::Client {
        &self.raw
    }

    /// The base URL requests go to, without a trailing slash.
    ///
    /// ```
    /// use intercom_api::Client;
    ///
    /// let client = Client::builder()
    ///     .token("my-access-token")
    ///     .base_url("https://proxy.example.com/intercom/")
    ///     .build()?;
    /// assert_eq!(client.base_url(), "https://proxy.example.com/intercom");
    /// # Ok::<(), intercom_api::Error>(())
    /// ```
    pub fn base_url(&self) -> &str {
        self.raw.baseurl()
    }

    /// The rate limit as of the newest answer that reported one (`X-RateLimit-*` headers; an
    /// answer for an earlier window, arriving late, does not roll it back).
    ///
    /// ```no_run
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// client.users().list().per_page(1).send().await?;
    /// if let Some(limit) = client.rate_limit() {
    ///     println!("{} of {} requests left until {}", limit.remaining, limit.limit, limit.reset);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.raw.inner().settings().rate_limit.last()
    }

    /// Users: list, get, create, update, delete.
    ///
    /// ```no_run
    /// use intercom_api::UserRef;
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let users = client.users();
    /// let ben = users.get(UserRef::email("ben@intercom.io")).send().await?;
    /// users.update(UserRef::email("ben@intercom.io")).name("Benjamin").send().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn users(&self) -> Users {
        Users::new(self.clone())
    }

    /// Notes on users.
    ///
    /// ```no_run
    /// use intercom_api::UserRef;
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// client.notes().create(UserRef::user_id("7902"), "Asked for a refund").send().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn notes(&self) -> Notes {
        Notes::new(self.clone())
    }

    /// Impressions (page views).
    ///
    /// ```no_run
    /// use intercom_api::UserRef;
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let seen = client.impressions().create(UserRef::user_id("7902")).send().await?;
    /// if seen.unread_messages > 0 {
    ///     let threads = client.message_threads().list(UserRef::user_id("7902")).send().await?;
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn impressions(&self) -> Impressions {
        Impressions::new(self.clone())
    }

    /// Message threads: list, get, create, reply, mark read or unread.
    ///
    /// ```no_run
    /// use intercom_api::UserRef;
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let inbox = client.message_threads().list(UserRef::email("ben@intercom.io")).send().await?;
    /// println!("{} threads", inbox.len());
    /// # Ok(())
    /// # }
    /// ```
    pub fn message_threads(&self) -> MessageThreads {
        MessageThreads::new(self.clone())
    }

    /// Tags: get, create, update, tag and untag users.
    ///
    /// ```no_run
    /// use intercom_api::UserRef;
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// client.tags().tag_users("VIP", [UserRef::user_id("7902")]).send().await?;
    /// let vip = client.tags().get("VIP").send().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn tags(&self) -> Tags {
        Tags::new(self.clone())
    }

    /// Data events: create (one or many), list, summary, submit summaries.
    ///
    /// ```no_run
    /// use intercom_api::{EventUser, NewEvent};
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let events = client.events();
    /// events.create(NewEvent::new("upgraded-plan", EventUser::user_id("7902"))).send().await?;
    /// let summary = events.summary(EventUser::user_id("7902")).send().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn events(&self) -> Events {
        Events::new(self.clone())
    }

    /// Users through the Bearer-token API (`/users`, access token): list, get, create. The
    /// same people as [`users`](Self::users) (the v1 API), addressed by Intercom's id.
    ///
    /// ```no_run
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let john = client.contacts().create("john.doe@example.com").name("John Doe").send().await?;
    /// let same = client.contacts().get(&john.id).send().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn contacts(&self) -> Contacts {
        Contacts::new(self.clone())
    }

    /// Conversations through the Bearer-token API: list, get, start one as an admin.
    ///
    /// ```no_run
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let message = client.conversations().create("814860", "6657a8386abd0160d35d1ea4", "Hi!").send().await?;
    /// let first_page = client.conversations().list().per_page(50).send().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn conversations(&self) -> Conversations {
        Conversations::new(self.clone())
    }

    /// The most pages a page stream reads ([`ClientBuilder::max_pages`]).
    pub(crate) fn max_pages(&self) -> u64 {
        self.raw.inner().settings().max_pages
    }

    /// The longest bulk pacing holds a request back: the longer of the call timeout
    /// ([`ClientBuilder::call_timeout`]) and a retry's wait ([`RetryConfig::max_backoff`]).
    ///
    /// [`RetryConfig::max_backoff`]: crate::RetryConfig::max_backoff
    pub(crate) fn max_pacing_wait(&self) -> std::time::Duration {
        let settings = self.raw.inner().settings();
        settings.call_timeout.max(settings.retry.max_backoff())
    }

    /// The current second, by the client's clock.
    pub(crate) fn now(&self) -> crate::time::UnixTime {
        let now = self.raw.inner().settings().clock.now();
        crate::time::UnixTime::from(chrono::DateTime::<chrono::Utc>::from(now))
    }

    /// Runs one generated operation and converts its outcome to the crate's terms.
    ///
    /// The generated operation's future is large (kilobytes: the request, the retry loop, the
    /// response); it is put on the heap once, here, so that the layers above move a pointer
    /// instead of copying the whole state machine at every `.await` (see BENCHMARKS.md).
    pub(crate) fn call<T, E>(
        &self,
        operation: &'static Operation,
        request: impl Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>>,
    ) -> impl Future<Output = Result<T, Error>>
    where
        T: DeserializeOwned,
        E: ErrorBody,
    {
        let request = Box::pin(request);
        async move {
            match transport::scope(async { request.await.map(ResponseValue::into_inner) }).await {
                Ok(value) => Ok(value),
                // The error path (rare, and a large future of its own) is on the heap too.
                Err((error, outcome)) => {
                    let settings = self.raw.inner().settings();
                    let now = settings.clock.now();
                    let timeout = settings.attempt_timeout;
                    Box::pin(transport::from_progenitor(
                        operation.name,
                        error,
                        &outcome,
                        now,
                        timeout,
                    ))
                    .await
                }
            }
        }
    }

    /// GETs an absolute URL on the same origin as the base URL (a `pages.next` link) through the
    /// same authentication and retries, and reads the answer as `T`.
    pub(crate) async fn get_link<T: DeserializeOwned>(
        &self,
        operation: &'static Operation,
        link: &str,
    ) -> Result<T, Error> {
        let name = operation.name;
        let invalid = |message: String| Error::InvalidRequest {
            operation: name.to_string(),
            message,
        };
        let url = reqwest::Url::parse(link)
            .map_err(|e| invalid(format!("the next-page link {link:?} is not a URL: {e}")))?;
        let base = reqwest::Url::parse(self.base_url())
            .map_err(|e| invalid(format!("the base URL is not a URL: {e}")))?;
        if url.origin() != base.origin() {
            // Never send the credentials to another host.
            return Err(invalid(format!(
                "the next-page link points at {}, not at {}; not following it",
                url.origin().ascii_serialization(),
                base.origin().ascii_serialization()
            )));
        }
        let mut request = reqwest::Request::new(reqwest::Method::GET, url);
        request.headers_mut().insert(
            reqwest::header::ACCEPT,
            reqwest::header::HeaderValue::from_static("application/json"),
        );
        // The link is the server's: its path and query are sent as they are, with the
        // operation's credential.
        let transport = self.raw.inner();
        transport
            .authorize(&mut request, operation)
            .map_err(invalid)?;
        // No scope: `decode_response` has the whole answer, status and headers included.
        let result = transport
            .execute(&self.raw.client, request, operation)
            .await;
        let now = transport.settings().clock.now();
        match result {
            Ok(response) => transport::decode_response(name, response, now).await,
            Err(source) => Err(transport::transport_error(
                name,
                source,
                transport.settings().attempt_timeout,
            )),
        }
    }
}
