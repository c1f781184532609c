//! The layer under every operation: authentication, the `Intercom-Version` header, retries,
//! rate limits and tracing. progenitor's generated client calls it through `ClientHooks`
//! (see `hooks.rs`); pagination's raw next-page requests go through the same path.

mod bound;
mod context;
mod decode;
mod execute;
mod hooks;

use std::{fmt, sync::Arc, time::Duration};

use reqwest::header::{AUTHORIZATION, HeaderName, HeaderValue};

pub(crate) use context::{CallOutcome, scope};
pub(crate) use decode::{ErrorBody, decode_response, from_progenitor, transport_error};

use crate::{
    clock::Clock,
    operations::{Credential, Operation},
    rate_limit::RateLimitState,
    retry::RetryConfig,
};

/// The generated client's inner value: the settings of one [`Client`](crate::Client), built by
/// [`ClientBuilder`](crate::ClientBuilder); its credentials never appear in `Debug`. Public only
/// as [`generated::Transport`](crate::generated::Transport), because the generated client names it.
#[derive(Clone)]
pub struct Transport(Arc<Settings>);

pub(crate) struct Settings {
    /// `Basic base64(app_id:api_key)`, marked sensitive.
    pub basic: Option<HeaderValue>,
    /// `Bearer <token>`, marked sensitive.
    pub bearer: Option<HeaderValue>,
    pub intercom_version: Option<HeaderValue>,
    pub retry: RetryConfig,
    pub clock: Arc<dyn Clock>,
    pub rate_limit: RateLimitState,
    pub wait_on_rate_limit: bool,
    /// The largest answer body read, in bytes.
    pub max_response_bytes: u64,
    /// The per-attempt timeout of the client's reqwest client (`None`: the caller's own client).
    pub attempt_timeout: Option<Duration>,
    /// The time allowed for a whole call, attempts and waits included.
    pub call_timeout: Duration,
    /// The most pages a page stream reads.
    pub max_pages: u64,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let set = |value: &Option<HeaderValue>| {
            if value.is_some() {
                "[REDACTED]"
            } else {
                "none"
            }
        };
        f.debug_struct("Transport")
            .field("basic", &set(&self.0.basic))
            .field("bearer", &set(&self.0.bearer))
            .field("intercom_version", &self.0.intercom_version)
            .field("retry", &self.0.retry)
            .field("clock", &self.0.clock)
            .field("rate_limit", &self.0.rate_limit.last())
            .field("wait_on_rate_limit", &self.0.wait_on_rate_limit)
            .field("max_response_bytes", &self.0.max_response_bytes)
            .field("attempt_timeout", &self.0.attempt_timeout)
            .field("call_timeout", &self.0.call_timeout)
            .field("max_pages", &self.0.max_pages)
            .finish()
    }
}

const INTERCOM_VERSION: HeaderName = HeaderName::from_static("intercom-version");
/// The header progenitor adds (a constant name: removing by `&str` would parse it each time).
const API_VERSION: HeaderName = HeaderName::from_static("api-version");

impl Transport {
    pub(crate) fn new(settings: Settings) -> Transport {
        Transport(Arc::new(settings))
    }

    pub(crate) fn settings(&self) -> &Settings {
        &self.0
    }

    /// Makes a generated request what the description says goes on the wire for `operation`:
    /// its path (`x-wire-path`), the query it requires, its credential (`security`) and, when
    /// it takes one, the `Intercom-Version` header.
    pub(crate) fn prepare(
        &self,
        request: &mut reqwest::Request,
        operation: &Operation,
    ) -> Result<(), String> {
        if operation.wire_path != operation.path {
            let path = request.url().path();
            if let Some(base) = path.strip_suffix(operation.path) {
                let wire = format!("{base}{}", operation.wire_path);
                request.url_mut().set_path(&wire);
            }
        }
        if !operation.required_any_query.is_empty() {
            let present = request
                .url()
                .query_pairs()
                .any(|(name, _)| operation.required_any_query.contains(&name.as_ref()));
            if !present {
                return Err(format!(
                    "{} needs one of the query parameters {}",
                    operation.operation_id,
                    operation.required_any_query.join(", ")
                ));
            }
        }
        self.authorize(request, operation)
    }

    /// Adds the operation's credential (and `Intercom-Version`, if it takes it) to a request,
    /// and removes progenitor's `api-version` header.
    pub(crate) fn authorize(
        &self,
        request: &mut reqwest::Request,
        operation: &Operation,
    ) -> Result<(), String> {
        let settings = &self.0;
        let credential = operation
            .credentials
            .iter()
            .find_map(|credential| match credential {
                Credential::Basic => settings.basic.as_ref(),
                Credential::Bearer => settings.bearer.as_ref(),
            })
            .ok_or_else(|| missing_credential(operation))?;
        let headers = request.headers_mut();
        // progenitor adds the description's version as `api-version`; Intercom has no use for it.
        headers.remove(API_VERSION);
        headers.insert(AUTHORIZATION, credential.clone());
        if operation.intercom_version
            && let Some(version) = &settings.intercom_version
        {
            headers
                .entry(INTERCOM_VERSION)
                .or_insert_with(|| version.clone());
        }
        Ok(())
    }
}

/// What to set for an operation whose credentials the client was not given.
fn missing_credential(operation: &Operation) -> String {
    let wanted: Vec<&str> = operation
        .credentials
        .iter()
        .map(|credential| match credential {
            Credential::Basic => "an app id and API key (ClientBuilder::basic)",
            Credential::Bearer => "an access token (ClientBuilder::token)",
        })
        .collect();
    format!(
        "{} ({} {}) authenticates with {}",
        operation.operation_id,
        operation.method,
        operation.wire_path,
        wanted.join(" or ")
    )
}
