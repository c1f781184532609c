//! [`Client`]: the entry point, with one handle per resource.

mod builder;

use std::{future::Future, sync::Arc};

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo, ResponseValue};
use serde::de::DeserializeOwned;

pub use builder::{ClientBuilder, Region, defaults};

use crate::{
    error::Error,
    generated,
    rate_limit::RateLimit,
    resources::{Events, Impressions, MessageThreads, Notes, Tags, Users},
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
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client with the credentials of the environment (see [`ClientBuilder::from_env`]) and
    /// every other setting at its default.
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_env()?.build()
    }

    /// The generated client underneath: every operation of the description, with the same
    /// authentication, retries and tracing. For what the handles do not cover.
    pub fn raw(&self) -> &generated::Client {
        &self.raw
    }

    /// The base URL requests go to, without a trailing slash.
    pub fn base_url(&self) -> &str {
        self.raw.baseurl()
    }

    /// The rate limit as of the last answer that reported one (`X-RateLimit-*` headers).
    pub fn rate_limit(&self) -> Option<RateLimit> {
        self.raw.inner().settings().rate_limit.last()
    }

    /// Users: list, get, create, update, delete.
    pub fn users(&self) -> Users {
        Users::new(self.clone())
    }

    /// Notes on users.
    pub fn notes(&self) -> Notes {
        Notes::new(self.clone())
    }

    /// Impressions (page views).
    pub fn impressions(&self) -> Impressions {
        Impressions::new(self.clone())
    }

    /// Message threads: list, get, create, reply, mark read or unread.
    pub fn message_threads(&self) -> MessageThreads {
        MessageThreads::new(self.clone())
    }

    /// Tags: get, create, update, tag and untag users.
    pub fn tags(&self) -> Tags {
        Tags::new(self.clone())
    }

    /// Data events: create (one or many), list, summary, submit summaries.
    pub fn events(&self) -> Events {
        Events::new(self.clone())
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
        operation: &'static str,
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
                    let now = self.raw.inner().settings().clock.now();
                    Box::pin(transport::from_progenitor(operation, error, &outcome, now)).await
                }
            }
        }
    }

    /// GETs an absolute URL on the same origin as the base URL (a `pages.next` link) through the
    /// same authentication and retries, and reads the answer as `T`.
    pub(crate) async fn get_link<T: DeserializeOwned>(
        &self,
        operation: &'static str,
        link: &str,
    ) -> Result<T, Error> {
        let invalid = |message: String| Error::InvalidRequest {
            operation: operation.to_string(),
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
        let info = OperationInfo {
            operation_id: operation,
        };
        self.raw
            .pre::<()>(&mut request, &info)
            .await
            .map_err(|e| invalid(e.to_string()))?;
        // No scope: `decode_response` has the whole answer, status and headers included.
        let result = self.raw.exec(request, &info).await;
        let now = self.raw.inner().settings().clock.now();
        match result {
            Ok(response) => transport::decode_response(operation, response, now).await,
            Err(source) => Err(transport::transport_error(operation, source)),
        }
    }
}
