//! The operations of the API and their per-operation facts, generated from the description.
//!
//! Each operation of `openapi/intercom.yaml` is a constant here ([`LIST_USERS`],
//! [`CREATE_EVENT`], ...; [`ALL`] lists them) holding what the crate reads from the
//! description: the method and the path sent, the credential, whether a failed try may be sent
//! again, the query parameters it requires, and its limits. The transport, the retry layer and
//! the dummy server read these facts; none of them is written anywhere else by hand.
//!
//! ```
//! use intercom_api::operations::{self, Credential, Replay};
//!
//! let create = &operations::CREATE_EVENT;
//! assert_eq!((create.method, create.wire_path), ("POST", "/events"));
//! assert_eq!(create.credentials, &[Credential::Bearer]);
//! // De-duplicated by Intercom on (user, event name, created_at): safe to send again.
//! assert_eq!(create.replay, Replay::Safe);
//!
//! // progenitor's name of the operation (its `OperationInfo`), as the transport looks it up.
//! let note = operations::by_name(operations::CREATE_NOTE.name).unwrap();
//! assert_eq!(note.replay, Replay::IfNotProcessed);
//! assert_eq!(operations::LIST_USERS.query_limit("per_page").and_then(|l| l.maximum), Some(500));
//! ```

mod routing;

pub use crate::generated::operations::*;
pub use routing::{Routed, neighbours, path_params, route};

/// An operation of the description and the facts the crate reads from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Operation {
    /// Which operation this is.
    pub id: OperationId,
    /// The description's `operationId` (`listUsers`).
    pub operation_id: &'static str,
    /// The generated client's method (`list_users`), also progenitor's `OperationInfo`.
    pub name: &'static str,
    /// The description's one-line summary.
    pub summary: &'static str,
    /// The HTTP method, upper case (`GET`).
    pub method: &'static str,
    /// The path in the description, relative to the base URL (`/v1/users`).
    pub path: &'static str,
    /// The path sent (`x-wire-path`): differs from [`path`](Self::path) where two operations
    /// share one path and method on the wire and the description keeps them apart.
    pub wire_path: &'static str,
    /// The credentials the operation accepts (`security`), in order of preference.
    pub credentials: &'static [Credential],
    /// Whether a try that may have reached the server may be sent again (`x-replay`).
    pub replay: Replay,
    /// Query parameters that must be present (with the values they are limited to, if any).
    pub required_query: &'static [QueryRequirement],
    /// Query parameters of which at least one must be present (`x-required-any`).
    pub required_any_query: &'static [&'static str],
    /// Bounds and defaults of integer query parameters.
    pub limits: &'static [QueryLimit],
    /// Whether the operation takes the `Intercom-Version` header.
    pub intercom_version: bool,
    /// The component schema of the operation's error bodies (`V1Error`, `ErrorList`).
    pub error_schema: &'static str,
}

impl Operation {
    /// The limits of the integer query parameter `name`, if it has any.
    ///
    /// A `const fn`, so a limit can be a constant:
    ///
    /// ```
    /// use intercom_api::operations::LIST_USERS;
    ///
    /// const PER_PAGE_DEFAULT: Option<i64> = match LIST_USERS.query_limit("per_page") {
    ///     Some(limit) => limit.default,
    ///     None => None,
    /// };
    /// assert_eq!(PER_PAGE_DEFAULT, Some(500));
    /// ```
    pub const fn query_limit(&self, name: &str) -> Option<&'static QueryLimit> {
        let mut i = 0;
        while i < self.limits.len() {
            if same(self.limits[i].name, name) {
                return Some(&self.limits[i]);
            }
            i += 1;
        }
        None
    }

    /// Whether the operation accepts this credential.
    pub fn accepts(&self, credential: Credential) -> bool {
        self.credentials.contains(&credential)
    }
}

/// `a == b` for `&str` in a `const fn`.
const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// A credential an operation accepts (the description's `security` schemes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Credential {
    /// HTTP Basic: the app id and an API key (the v1 API).
    Basic,
    /// `Bearer` and an access token (the Data Events API).
    Bearer,
}

/// Whether a request may be sent again after it may have reached the server (`x-replay`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Replay {
    /// Idempotent, or de-duplicated by the server: retried after any retryable failure.
    Safe,
    /// Acts each time it is sent: retried only when the server provably did not act on it
    /// (a 429, a connection that was never opened).
    IfNotProcessed,
}

/// A query parameter an operation requires.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct QueryRequirement {
    /// The parameter's name.
    pub name: &'static str,
    /// The values it may take (its `enum`); empty when any value will do.
    pub one_of: &'static [&'static str],
}

impl QueryRequirement {
    /// Whether the pair `name=value` meets the requirement.
    ///
    /// ```
    /// use intercom_api::operations::GET_EVENT_SUMMARY;
    ///
    /// let summary = GET_EVENT_SUMMARY.required_query.iter().find(|r| r.name == "summary").unwrap();
    /// assert!(summary.allows("summary", "true"));
    /// assert!(!summary.allows("summary", "false"));
    /// ```
    pub fn allows(&self, name: &str, value: &str) -> bool {
        name == self.name && (self.one_of.is_empty() || self.one_of.contains(&value))
    }
}

/// The bounds and default of an integer query parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct QueryLimit {
    /// The parameter's name.
    pub name: &'static str,
    /// Its `minimum`.
    pub minimum: Option<i64>,
    /// Its `maximum`.
    pub maximum: Option<i64>,
    /// Its `default`: what the server uses when it is not sent.
    pub default: Option<i64>,
}
