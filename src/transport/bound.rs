//! The limits the transport enforces on one call (response size, the call deadline, the
//! rate-limit wait), as an error that travels through progenitor's `reqwest::Result`.
//!
//! progenitor's hook returns `reqwest::Result`, and a `reqwest::Error` cannot be built from
//! outside reqwest; a [`Bound`] is carried as the source of one (see [`Bound::into_reqwest`]) and
//! found again by [`Bound::find`] when the crate's [`Error`](crate::Error) is made.

use std::{error::Error as StdError, fmt, time::Duration};

use bytes::Bytes;
use reqwest::StatusCode;

use crate::rate_limit::RateLimit;

/// A limit of the client that stopped a call.
#[derive(Debug)]
pub(crate) enum Bound {
    /// The answer's body is larger than `ClientBuilder::max_response_bytes`.
    TooLarge { status: StatusCode, limit: u64 },
    /// The call took longer than `ClientBuilder::call_timeout`, attempts and waits included.
    CallTimeout { limit: Duration },
    /// The rate-limit window resets later than the client may wait (`wait_on_rate_limit`).
    RateLimitWait {
        wait: Duration,
        rate_limit: RateLimit,
    },
}

impl fmt::Display for Bound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Bound::TooLarge { status, limit } => write!(
                f,
                "the {status} answer is larger than the response limit of {limit} bytes"
            ),
            Bound::CallTimeout { limit } => {
                write!(f, "the call took longer than its call timeout of {limit:?}")
            }
            Bound::RateLimitWait { wait, .. } => write!(
                f,
                "no request left in the rate-limit window, which resets in {:.1} s: longer than \
                 the client may wait",
                wait.as_secs_f64()
            ),
        }
    }
}

impl StdError for Bound {}

impl Bound {
    /// A `reqwest::Error` whose source is this bound: a body stream that fails at once.
    pub(crate) async fn into_reqwest(self) -> reqwest::Error {
        use futures_util::StreamExt;
        // The stream fails at once, then never yields nor ends.
        let failing = futures_util::stream::once(std::future::ready(Err::<Bytes, Bound>(self)))
            .chain(futures_util::stream::pending());
        let mut response =
            reqwest::Response::from(http::Response::new(reqwest::Body::wrap_stream(failing)));
        loop {
            if let Err(error) = response.chunk().await {
                return error;
            }
        }
    }

    /// The bound in `error`'s chain of sources, if it has one.
    pub(crate) fn find(error: &reqwest::Error) -> Option<&Bound> {
        let mut cause: Option<&(dyn StdError + 'static)> = error.source();
        while let Some(inner) = cause {
            if let Some(bound) = inner.downcast_ref::<Bound>() {
                return Some(bound);
            }
            cause = inner.source();
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_bound_survives_the_trip_through_reqwest() {
        let error = Bound::TooLarge {
            status: StatusCode::OK,
            limit: 7,
        }
        .into_reqwest()
        .await;
        assert!(!error.is_timeout() && !error.is_connect());
        match Bound::find(&error) {
            Some(Bound::TooLarge { status, limit }) => {
                assert_eq!((*status, *limit), (StatusCode::OK, 7))
            }
            other => panic!("the bound is lost: {other:?} in {error:?}"),
        }
    }
}
