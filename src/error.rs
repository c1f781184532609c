//! [`Error`]: the one error type of the crate.

use std::{fmt, time::Duration};

use reqwest::StatusCode;

use crate::{operations::Replay, rate_limit::RateLimit, retry::is_retryable_status, types};

/// Everything that can go wrong when talking to Intercom.
///
/// ```
/// use intercom_api::Error;
///
/// fn explain(error: &Error) {
///     match error {
///         Error::Api(api) if api.status.as_u16() == 404 => println!("no such user"),
///         Error::RateLimited(limited) => println!("slow down for {:?}", limited.retry_after),
///         other => println!("{other} (retryable: {})", other.is_retryable()),
///     }
/// }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// Intercom answered with an error status (other than 429).
    Api(Box<ApiError>),
    /// Intercom refused the request for its rate limit (429), after any retries.
    RateLimited(Box<RateLimited>),
    /// The answer could not be read as the documented type.
    Decode(Box<DecodeError>),
    /// No answer in time: one attempt outlasted the timeout, or the whole call (attempts and
    /// waits) outlasted the call timeout; `limit` says which, and its value.
    Timeout {
        /// The operation, e.g. `get_user`.
        operation: String,
        /// The limit that was reached.
        limit: TimeLimit,
        /// The underlying error (for the call timeout, one that carries the limit).
        source: reqwest::Error,
    },
    /// The answer's body is larger than the client's response limit
    /// ([`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes)); it was
    /// not read further, and not retried.
    ResponseTooLarge {
        /// The operation, e.g. `list_users`.
        operation: String,
        /// The HTTP status of the answer.
        status: StatusCode,
        /// The limit, in bytes.
        limit: u64,
    },
    /// A page stream reached the client's page limit
    /// ([`ClientBuilder::max_pages`](crate::ClientBuilder::max_pages)) while the server still
    /// announced a next page. The pages read before it were delivered.
    TooManyPages {
        /// The operation, e.g. `list_users`.
        operation: String,
        /// The limit, in pages.
        limit: u64,
    },
    /// The connection could not be opened or broke before an answer arrived.
    Transport {
        /// The operation, e.g. `get_user`.
        operation: String,
        /// The underlying error.
        source: reqwest::Error,
    },
    /// The request was refused before it was sent (it would have been invalid).
    InvalidRequest {
        /// The operation, e.g. `get_user`.
        operation: String,
        /// What is wrong with it.
        message: String,
    },
    /// The client could not be built (a missing credential, a bad base URL...).
    Config(String),
}

/// Which time limit a [`Error::Timeout`] reached, with its value.
///
/// ```
/// use std::time::Duration;
/// use intercom_api::{Error, TimeLimit};
///
/// fn advice(error: &Error) -> &'static str {
///     match error {
///         Error::Timeout { limit: TimeLimit::Attempt(_), .. } => "raise ClientBuilder::timeout",
///         Error::Timeout { limit: TimeLimit::Call(_), .. } => "raise ClientBuilder::call_timeout",
///         _ => "",
///     }
/// }
/// assert_eq!(TimeLimit::Call(Duration::from_secs(60)).to_string(), "the call timeout of 60s");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeLimit {
    /// One attempt outlasted [`ClientBuilder::timeout`](crate::ClientBuilder::timeout); `None`
    /// when the timeout is that of the caller's own `reqwest::Client`.
    Attempt(Option<Duration>),
    /// The whole call, attempts and waits together, outlasted
    /// [`ClientBuilder::call_timeout`](crate::ClientBuilder::call_timeout).
    Call(Duration),
}

impl fmt::Display for TimeLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TimeLimit::Attempt(Some(limit)) => write!(f, "the attempt timeout of {limit:?}"),
            TimeLimit::Attempt(None) => f.write_str("the timeout of the caller's reqwest client"),
            TimeLimit::Call(limit) => write!(f, "the call timeout of {limit:?}"),
        }
    }
}

/// An error answer from Intercom: the v1 `{"error": {"type", "message"}}` object and the events
/// API's `error.list`, unified. Any other body (an HTML page from a proxy) keeps the status.
///
/// ```
/// use intercom_api::{ApiError, Error};
/// # let error = Error::Api(Box::new(ApiError {
/// #     operation: intercom_api::operations::GET_USER.name.to_string(),
/// #     status: reqwest::StatusCode::NOT_FOUND,
/// #     code: Some("not_found".to_string()),
/// #     message: "The User was not found".to_string(),
/// #     errors: Vec::new(),
/// #     request_id: Some("0007b1a4".to_string()),
/// # }));
///
/// if let Error::Api(api) = &error {
///     assert_eq!(api.status.as_u16(), 404);
///     assert_eq!(api.code.as_deref(), Some("not_found"));
///     assert_eq!(api.message, "The User was not found");
/// }
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct ApiError {
    /// The operation, e.g. `get_user`.
    pub operation: String,
    /// The HTTP status.
    pub status: StatusCode,
    /// The error kind: the v1 `type` (`not_found`, ...) or the first `error.list` code; `None`
    /// when the body was not an Intercom error object.
    pub code: Option<String>,
    /// A human-readable message (for a body that is not an error object, its start).
    pub message: String,
    /// Every entry of an `error.list` (empty for v1 errors).
    pub errors: Vec<types::ErrorListItem>,
    /// The request id, from the body or the `X-Request-Id` header.
    pub request_id: Option<String>,
}

/// A 429 answer: how long to wait, and the rate limit as Intercom reported it.
///
/// ```
/// use std::time::Duration;
/// use intercom_api::{Error, RateLimited};
/// # let error = Error::RateLimited(Box::new(RateLimited {
/// #     operation: intercom_api::operations::CREATE_EVENT.name.to_string(),
/// #     retry_after: Some(Duration::from_secs(2)),
/// #     rate_limit: None,
/// #     message: Some("Exceeded rate limit".to_string()),
/// #     request_id: None,
/// # }));
///
/// if let Error::RateLimited(limited) = &error {
///     // Come back after the wait Intercom asked for.
///     assert_eq!(limited.retry_after, Some(Duration::from_secs(2)));
/// }
/// assert!(error.is_retryable());
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct RateLimited {
    /// The operation, e.g. `create_event`.
    pub operation: String,
    /// How long Intercom asked to wait (`Retry-After`, else until the rate-limit reset).
    pub retry_after: Option<Duration>,
    /// The `X-RateLimit-*` headers of the answer.
    pub rate_limit: Option<RateLimit>,
    /// The error message of the body, if any.
    pub message: Option<String>,
    /// The request id, from the body or the `X-Request-Id` header.
    pub request_id: Option<String>,
}

/// An answer that is not the documented JSON.
///
/// ```
/// use intercom_api::{DecodeError, Error};
/// # let error = Error::Decode(Box::new(DecodeError {
/// #     operation: intercom_api::operations::LIST_USERS.name.to_string(),
/// #     status: Some(reqwest::StatusCode::OK),
/// #     path: "users[0].created_at".to_string(),
/// #     message: "invalid type: string \"yesterday\", expected a UNIX timestamp".to_string(),
/// #     body_excerpt: "{\"users\":[{\"created_at\":\"yesterday\"".to_string(),
/// #     request_id: None,
/// # }));
///
/// if let Error::Decode(decode) = &error {
///     assert_eq!(decode.path, "users[0].created_at");
/// }
/// // A damaged answer is not retried (the request may have been applied).
/// assert!(!error.is_retryable());
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct DecodeError {
    /// The operation, e.g. `list_users`.
    pub operation: String,
    /// The HTTP status of the answer.
    pub status: Option<StatusCode>,
    /// The JSON path that failed, e.g. `users[0].created_at` (`.` for the whole body).
    pub path: String,
    /// What was wrong there (at most 300 characters: it may quote the offending value).
    pub message: String,
    /// The start of the body, to see what came instead.
    pub body_excerpt: String,
    /// The `X-Request-Id` of the answer.
    pub request_id: Option<String>,
}

impl Error {
    /// The HTTP status of Intercom's answer, when there was one.
    ///
    /// ```
    /// use intercom_api::{ApiError, Error};
    /// use intercom_api::StatusCode;
    /// # let api = |status| Error::Api(Box::new(ApiError {
    /// #     operation: intercom_api::operations::GET_USER.name.to_string(),
    /// #     status,
    /// #     code: None,
    /// #     message: String::new(),
    /// #     errors: Vec::new(),
    /// #     request_id: None,
    /// # }));
    ///
    /// assert_eq!(api(StatusCode::NOT_FOUND).status(), Some(StatusCode::NOT_FOUND));
    /// // Errors raised before anything was sent have none.
    /// assert_eq!(Error::Config("no credentials".to_string()).status(), None);
    /// ```
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(api) => Some(api.status),
            Error::RateLimited(_) => Some(StatusCode::TOO_MANY_REQUESTS),
            Error::Decode(decode) => decode.status,
            Error::Timeout { source, .. } | Error::Transport { source, .. } => source.status(),
            Error::ResponseTooLarge { status, .. } => Some(*status),
            Error::TooManyPages { .. } | Error::InvalidRequest { .. } | Error::Config(_) => None,
        }
    }

    /// The request id Intercom gave the failed request, to quote to its support.
    ///
    /// ```
    /// use intercom_api::{ApiError, Error};
    /// # let error = Error::Api(Box::new(ApiError {
    /// #     operation: intercom_api::operations::CREATE_NOTE.name.to_string(),
    /// #     status: reqwest::StatusCode::INTERNAL_SERVER_ERROR,
    /// #     code: Some("server_error".to_string()),
    /// #     message: "Something went wrong".to_string(),
    /// #     errors: Vec::new(),
    /// #     request_id: Some("000e5s4qb3tkpqn0sf0g".to_string()),
    /// # }));
    ///
    /// if let Some(id) = error.request_id() {
    ///     eprintln!("{error}; quote {id} to Intercom's support");
    /// }
    /// assert_eq!(error.request_id(), Some("000e5s4qb3tkpqn0sf0g"));
    /// ```
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(api) => api.request_id.as_deref(),
            Error::RateLimited(limited) => limited.request_id.as_deref(),
            Error::Decode(decode) => decode.request_id.as_deref(),
            _ => None,
        }
    }

    /// True when trying again later may succeed: rate limits, timeouts, connection failures,
    /// and the statuses the client retries (408, 500, 502, 503, 504; not 501 Not Implemented or
    /// 505). The client already retried what was safe to retry.
    ///
    /// ```
    /// use intercom_api::{ApiError, Error};
    /// use intercom_api::StatusCode;
    /// # let api = |status| Error::Api(Box::new(ApiError {
    /// #     operation: intercom_api::operations::GET_USER.name.to_string(),
    /// #     status,
    /// #     code: None,
    /// #     message: String::new(),
    /// #     errors: Vec::new(),
    /// #     request_id: None,
    /// # }));
    ///
    /// assert!(api(StatusCode::SERVICE_UNAVAILABLE).is_retryable());
    /// assert!(!api(StatusCode::NOT_IMPLEMENTED).is_retryable());
    /// assert!(!api(StatusCode::NOT_FOUND).is_retryable());
    /// let refused = Error::InvalidRequest {
    ///     operation: intercom_api::operations::LIST_USERS.name.to_string(),
    ///     message: "per_page starts at 1".to_string(),
    /// };
    /// assert!(!refused.is_retryable());
    /// ```
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::RateLimited(_) | Error::Timeout { .. } | Error::Transport { .. } => true,
            Error::Api(api) => is_retryable_status(api.status, Replay::Safe),
            Error::Decode(_)
            | Error::ResponseTooLarge { .. }
            | Error::TooManyPages { .. }
            | Error::InvalidRequest { .. }
            | Error::Config(_) => false,
        }
    }

    /// The operation that failed (progenitor's snake_case id, e.g. `get_user`), if any.
    ///
    /// ```
    /// use intercom_api::Error;
    ///
    /// let error = Error::InvalidRequest {
    ///     operation: intercom_api::operations::LIST_USERS.name.to_string(),
    ///     message: "per_page is at most 500".to_string(),
    /// };
    /// assert_eq!(error.operation(), Some(intercom_api::operations::LIST_USERS.name));
    /// assert_eq!(Error::Config("no credentials".to_string()).operation(), None);
    /// ```
    pub fn operation(&self) -> Option<&str> {
        match self {
            Error::Api(api) => Some(&api.operation),
            Error::RateLimited(limited) => Some(&limited.operation),
            Error::Decode(decode) => Some(&decode.operation),
            Error::Timeout { operation, .. }
            | Error::Transport { operation, .. }
            | Error::ResponseTooLarge { operation, .. }
            | Error::TooManyPages { operation, .. }
            | Error::InvalidRequest { operation, .. } => Some(operation),
            Error::Config(_) => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(api) => {
                write!(f, "Intercom answered {} to {}", api.status, api.operation)?;
                match &api.code {
                    Some(code) => write!(f, ": {code}: {}", api.message)?,
                    None => write!(f, ": {}", api.message)?,
                }
                request_id_suffix(f, api.request_id.as_deref())
            }
            Error::RateLimited(limited) => {
                write!(f, "Intercom's rate limit refused {}", limited.operation)?;
                if let Some(wait) = limited.retry_after {
                    write!(f, "; retry in {:.1} s", wait.as_secs_f64())?;
                }
                if let Some(limit) = limited.rate_limit {
                    write!(
                        f,
                        " (limit {} per window, resets at {})",
                        limit.limit, limit.reset
                    )?;
                }
                request_id_suffix(f, limited.request_id.as_deref())
            }
            Error::Decode(decode) => {
                write!(
                    f,
                    "could not read Intercom's answer to {}",
                    decode.operation
                )?;
                if let Some(status) = decode.status {
                    write!(f, " ({status})")?;
                }
                write!(
                    f,
                    ": at {}: {}; the body starts with {:?}",
                    decode.path, decode.message, decode.body_excerpt
                )?;
                request_id_suffix(f, decode.request_id.as_deref())
            }
            Error::Timeout {
                operation, limit, ..
            } => {
                let setting = match limit {
                    TimeLimit::Attempt(Some(_)) => "ClientBuilder::timeout",
                    TimeLimit::Attempt(None) => "the reqwest client's timeout",
                    TimeLimit::Call(_) => "ClientBuilder::call_timeout",
                };
                write!(
                    f,
                    "{operation} got no answer within {limit}; raise {setting} or retry later"
                )
            }
            Error::ResponseTooLarge {
                operation,
                status,
                limit,
            } => write!(
                f,
                "the {status} answer to {operation} is larger than the response limit of \
                 {limit} bytes (ClientBuilder::max_response_bytes); it was not read further"
            ),
            Error::TooManyPages { operation, limit } => write!(
                f,
                "{operation} reached the page limit of {limit} pages \
                 (ClientBuilder::max_pages) with more pages announced"
            ),
            Error::Transport { operation, source } => {
                write!(f, "{operation} could not reach Intercom: {source}")?;
                let mut cause = std::error::Error::source(source);
                while let Some(inner) = cause {
                    write!(f, ": {inner}")?;
                    cause = inner.source();
                }
                Ok(())
            }
            Error::InvalidRequest { operation, message } => {
                write!(f, "{operation} was not sent: {message}")
            }
            Error::Config(message) => write!(f, "the Intercom client is misconfigured: {message}"),
        }
    }
}

fn request_id_suffix(f: &mut fmt::Formatter<'_>, request_id: Option<&str>) -> fmt::Result {
    match request_id {
        Some(id) => write!(f, " (request id {id})"),
        None => Ok(()),
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Timeout { source, .. } | Error::Transport { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// The crate's result type.
///
/// ```
/// use intercom_api::{Client, Result};
///
/// /// How many users the application has.
/// async fn user_count(client: &Client) -> Result<i64> {
///     let first_page = client.users().list().per_page(1).send().await?;
///     Ok(first_page.total_count)
/// }
/// ```
pub type Result<T, E = Error> = std::result::Result<T, E>;
