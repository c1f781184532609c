//! Which operation of the description a request is, read from the operation table: its wire
//! path, its method and, where one path and method carry two operations, the query parameters
//! each requires. The dummy server routes with it.
//!
//! Paths are matched exactly as sent (no percent-decoding, no `..` resolution), with at most one
//! trailing slash: `/v1/users/` is `/v1/users`, `//v1/users` and `/v1/users/%2e%2e` are unknown.
//! A `{parameter}` segment of a path matches any one non-empty segment.

use std::cmp::Reverse;

use super::{ALL, Operation};

/// Where a request leads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Routed {
    /// The operation that serves it.
    Operation(&'static Operation),
    /// No operation has this path.
    NotFound,
    /// Operations have this path, none this method: the `Allow` list, e.g. `GET, POST`.
    MethodNotAllowed(String),
}

/// The order methods are listed in an `Allow` header.
const METHOD_ORDER: &[&str] = &["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

/// The operation that serves `method path?query`.
///
/// Of the operations with this path and method, the one whose required query parameters are
/// all named in the query wins, the one that requires the most when several are
/// (`GET /v1/users?email=..` is getUser, `GET /v1/users` listUsers, `GET /events?summary=..`
/// getEventSummary). When none has all it requires, the one with the most of them named is
/// chosen. Values are not looked at here: the chosen operation's validation says what is wrong
/// with them, or what is missing.
///
/// ```
/// use intercom_api::operations::{self, OperationId, Routed};
///
/// let get = |path, query: &[(&str, &str)]| match operations::route("GET", path, query) {
///     Routed::Operation(operation) => Some(operation.id),
///     _ => None,
/// };
/// assert_eq!(get("/v1/users/", &[("per_page", "3")]), Some(OperationId::ListUsers));
/// assert_eq!(get("/v1/users/", &[("email", "ben@intercom.io")]), Some(OperationId::GetUser));
/// assert_eq!(get("/events", &[("type", "user"), ("user_id", "7"), ("summary", "true")]),
///            Some(OperationId::GetEventSummary));
/// assert_eq!(operations::route("GET", "/v1/nothing", &[] as &[(&str, &str)]), Routed::NotFound);
/// assert_eq!(operations::route("GET", "/v1/users/notes", &[] as &[(&str, &str)]),
///            Routed::MethodNotAllowed("POST".to_string()));
/// ```
pub fn route<K: AsRef<str>, V: AsRef<str>>(method: &str, path: &str, query: &[(K, V)]) -> Routed {
    let at_path: Vec<&'static Operation> = ALL
        .iter()
        .copied()
        .filter(|operation| path_matches(operation.wire_path, path))
        .collect();
    if at_path.is_empty() {
        return Routed::NotFound;
    }
    let named = |name: &str| query.iter().any(|(key, _)| key.as_ref() == name);
    let chosen = at_path
        .iter()
        .enumerate()
        .filter(|(_, operation)| operation.method == method)
        .max_by_key(|(position, operation)| {
            let present = operation
                .required_query
                .iter()
                .filter(|requirement| named(requirement.name))
                .count();
            let any = operation.required_any_query.iter().any(|name| named(name));
            let all = present == operation.required_query.len()
                && (any || operation.required_any_query.is_empty());
            let demands = operation.required_query.len() + usize::from(any);
            // On a tie the operation listed first wins.
            (
                all,
                present,
                if all { demands } else { 0 },
                Reverse(*position),
            )
        })
        .map(|(_, operation)| *operation);
    match chosen {
        Some(operation) => Routed::Operation(operation),
        None => Routed::MethodNotAllowed(allow(&at_path)),
    }
}

/// Whether a request path is the operation's wire path (with at most one trailing slash).
fn path_matches(wire_path: &str, path: &str) -> bool {
    let trimmed = path.strip_suffix('/').unwrap_or(path);
    let wire = wire_path.strip_suffix('/').unwrap_or(wire_path);
    if !wire.contains('{') {
        return trimmed == wire;
    }
    let mut sent = trimmed.split('/');
    let mut expected = wire.split('/');
    loop {
        match (sent.next(), expected.next()) {
            (None, None) => return true,
            (Some(segment), Some(pattern)) => {
                let parameter = pattern.starts_with('{') && pattern.ends_with('}');
                if (parameter && segment.is_empty()) || (!parameter && segment != pattern) {
                    return false;
                }
            }
            _ => return false,
        }
    }
}

/// The values of the `{parameter}` segments of `wire_path` in a request `path` that
/// [`route`] matched to it, as sent (not percent-decoded): `/users/{id}` and `/users/42` give
/// `[("id", "42")]`.
///
/// ```
/// use intercom_api::operations::{self, path_params};
///
/// let wire_path = operations::GET_CONTACT.wire_path;
/// assert_eq!(path_params(wire_path, "/users/42"), [("id", "42")]);
/// ```
pub fn path_params<'p>(wire_path: &'static str, path: &'p str) -> Vec<(&'static str, &'p str)> {
    let trimmed = path.strip_suffix('/').unwrap_or(path);
    wire_path
        .split('/')
        .zip(trimmed.split('/'))
        .filter_map(|(pattern, segment)| {
            let name = pattern.strip_prefix('{')?.strip_suffix('}')?;
            Some((name, segment))
        })
        .collect()
}

/// The methods of the operations at one path, for `405` and its `Allow` header.
fn allow(at_path: &[&'static Operation]) -> String {
    let mut methods: Vec<&str> = at_path.iter().map(|operation| operation.method).collect();
    methods.sort_by_key(|method| {
        METHOD_ORDER
            .iter()
            .position(|known| known == method)
            .unwrap_or(METHOD_ORDER.len())
    });
    methods.dedup();
    methods.join(", ")
}

/// The operations whose wire path shares the request path's first segment (`/events/x` →
/// the events operations): what an unknown path is answered like.
///
/// ```
/// use intercom_api::operations;
///
/// assert!(operations::neighbours("/events/nope").all(|op| op.wire_path.starts_with("/events")));
/// assert_eq!(operations::neighbours("/nope").count(), 0);
/// ```
pub fn neighbours(path: &str) -> impl Iterator<Item = &'static Operation> + '_ {
    let first = |p: &str| {
        p.trim_start_matches('/')
            .split('/')
            .next()
            .map(str::to_string)
    };
    let wanted = first(path);
    ALL.iter()
        .copied()
        .filter(move |operation| first(operation.wire_path) == wanted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::operations::OperationId;

    #[test]
    fn path_parameters_are_handed_over_as_sent() {
        let routed = route("GET", "/users/d0d0cafe0000000000000001/", &q(&[]));
        let Routed::Operation(operation) = routed else {
            panic!("GET /users/{{id}} is routed: {routed:?}");
        };
        assert_eq!(operation.id, OperationId::GetContact);
        let params = path_params(operation.wire_path, "/users/d0d0cafe0000000000000001/");
        assert_eq!(params, [("id", "d0d0cafe0000000000000001")]);
        assert_eq!(
            path_params("/conversations/{id}", "/conversations/a%2Fb"),
            [("id", "a%2Fb")]
        );
        assert!(path_params("/users", "/users").is_empty());
        // `GET /users` is the list, `/users/x/y` nothing.
        assert!(
            matches!(route("GET", "/users", &q(&[])), Routed::Operation(op) if op.id == OperationId::ListContacts)
        );
        assert_eq!(route("GET", "/users/x/y", &q(&[])), Routed::NotFound);
    }

    fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn id(path: &str, method: &str, query: &[(&str, &str)]) -> Option<OperationId> {
        match route(method, path, &q(query)) {
            Routed::Operation(operation) => Some(operation.id),
            _ => None,
        }
    }

    #[test]
    fn paths_match_exactly_with_one_optional_trailing_slash() {
        assert_eq!(id("/v1/users", "GET", &[]), Some(OperationId::ListUsers));
        assert_eq!(id("/v1/users/", "GET", &[]), Some(OperationId::ListUsers));
        assert_eq!(id("/events/", "POST", &[]), Some(OperationId::CreateEvent));
        for unknown in [
            "//v1/users",
            "/v1/users//",
            "/v1/users/%2e%2e",
            "/v1/users/../tags",
            "/V1/USERS",
            "/v1",
            "",
            "/",
        ] {
            assert_eq!(
                route("GET", unknown, &q(&[])),
                Routed::NotFound,
                "{unknown}"
            );
        }
    }

    #[test]
    fn templated_segments_match_one_non_empty_segment() {
        assert!(path_matches("/users/{id}", "/users/42"));
        assert!(path_matches("/users/{id}", "/users/42/"));
        assert!(!path_matches("/users/{id}", "/users/"));
        assert!(!path_matches("/users/{id}", "/users/42/notes"));
        assert!(!path_matches("/users/{id}", "/contacts/42"));
    }

    #[test]
    fn the_query_chooses_between_two_operations_of_one_path() {
        use OperationId::*;
        assert_eq!(
            id("/v1/users", "GET", &[("per_page", "3")]),
            Some(ListUsers)
        );
        assert_eq!(id("/v1/users", "GET", &[("email", "a@b")]), Some(GetUser));
        assert_eq!(id("/v1/users/", "GET", &[("user_id", "1")]), Some(GetUser));
        let thread = [("email", "a@b"), ("thread_id", "1")];
        assert_eq!(
            id("/v1/users/message_threads", "GET", &thread),
            Some(GetMessageThread)
        );
        assert_eq!(
            id("/v1/users/message_threads", "GET", &[("email", "a@b")]),
            Some(ListMessageThreads)
        );
        let user = [("type", "user"), ("user_id", "1")];
        let summary = [user[0], user[1], ("summary", "true")];
        assert_eq!(id("/events", "GET", &summary), Some(GetEventSummary));
        assert_eq!(id("/events", "GET", &user), Some(ListEvents));
        // `summary` is limited to `true`; the summary's validation says so for any other value.
        let not_summary = [user[0], user[1], ("summary", "false")];
        assert_eq!(id("/events", "GET", &not_summary), Some(GetEventSummary));
        // Nothing required is there: the operation with the most of it, to name what is missing.
        assert_eq!(
            id("/events", "GET", &[("summary", "true")]),
            Some(GetEventSummary)
        );
        assert_eq!(
            id("/v1/users/message_threads", "GET", &[("thread_id", "1")]),
            Some(GetMessageThread)
        );
    }

    #[test]
    fn a_known_path_with_another_method_lists_the_allowed_ones() {
        assert_eq!(
            route("GET", "/v1/users/notes", &q(&[])),
            Routed::MethodNotAllowed("POST".to_string())
        );
        assert_eq!(
            route("PATCH", "/v1/users", &q(&[])),
            Routed::MethodNotAllowed("GET, POST, PUT, DELETE".to_string())
        );
        assert_eq!(
            route("DELETE", "/events", &q(&[])),
            Routed::MethodNotAllowed("GET, POST".to_string())
        );
    }

    #[test]
    fn unknown_paths_are_answered_like_their_first_segment() {
        assert!(neighbours("/events/nope").all(|op| op.wire_path.starts_with("/events")));
        assert!(neighbours("/events/nope").next().is_some());
        assert!(neighbours("/v1/nope").all(|op| op.wire_path.starts_with("/v1/")));
        assert_eq!(neighbours("/nope").count(), 0);
    }
}
