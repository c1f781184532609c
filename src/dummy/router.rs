//! Which operation of the description a request is: by path, method and, where one path and
//! method carry two operations, by the query.
//!
//! Paths are matched exactly as sent (no percent-decoding, no `..` resolution), with at most one
//! trailing slash: `/v1/users/` is `/v1/users`, `//v1/users` and `/v1/users/%2e%2e` are unknown.

use hyper::http::Method;

use super::query;
#[cfg(test)]
use super::reply::Family;

/// A resource path of the API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Route {
    Users,
    Notes,
    Impressions,
    MessageThreads,
    Tags,
    Events,
    EventSummaries,
}

const ROUTES: [Route; 7] = [
    Route::Users,
    Route::Notes,
    Route::Impressions,
    Route::MessageThreads,
    Route::Tags,
    Route::Events,
    Route::EventSummaries,
];

impl Route {
    /// The route's path without a trailing slash.
    pub(crate) fn path(self) -> &'static str {
        match self {
            Route::Users => "/v1/users",
            Route::Notes => "/v1/users/notes",
            Route::Impressions => "/v1/users/impressions",
            Route::MessageThreads => "/v1/users/message_threads",
            Route::Tags => "/v1/tags",
            Route::Events => "/events",
            Route::EventSummaries => "/events/summaries",
        }
    }

    /// The methods the route answers, for `405` and its `Allow` header.
    pub(crate) fn allowed(self) -> &'static str {
        match self {
            Route::Users => "GET, POST, PUT, DELETE",
            Route::Notes | Route::Impressions | Route::EventSummaries => "POST",
            Route::MessageThreads => "GET, POST, PUT",
            Route::Tags => "GET, POST, PUT",
            Route::Events => "GET, POST",
        }
    }

    /// The route of a request path: exact, or with one trailing slash.
    pub(crate) fn find(path: &str) -> Option<Route> {
        let trimmed = path.strip_suffix('/').unwrap_or(path);
        ROUTES.into_iter().find(|route| route.path() == trimmed)
    }
}

/// The operations of the description, by `operationId`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Operation {
    ListUsers,
    GetUser,
    CreateUser,
    UpdateUser,
    DeleteUser,
    CreateNote,
    CreateImpression,
    ListMessageThreads,
    GetMessageThread,
    CreateMessageThread,
    ReplyMessageThread,
    GetTag,
    CreateTag,
    UpdateTag,
    CreateEvent,
    ListEvents,
    GetEventSummary,
    SubmitEventSummaries,
}

impl Operation {
    /// The `operationId` in `openapi/intercom.yaml`, used to validate against the description.
    pub(crate) fn id(self) -> &'static str {
        match self {
            Operation::ListUsers => "listUsers",
            Operation::GetUser => "getUser",
            Operation::CreateUser => "createUser",
            Operation::UpdateUser => "updateUser",
            Operation::DeleteUser => "deleteUser",
            Operation::CreateNote => "createNote",
            Operation::CreateImpression => "createImpression",
            Operation::ListMessageThreads => "listMessageThreads",
            Operation::GetMessageThread => "getMessageThread",
            Operation::CreateMessageThread => "createMessageThread",
            Operation::ReplyMessageThread => "replyMessageThread",
            Operation::GetTag => "getTag",
            Operation::CreateTag => "createTag",
            Operation::UpdateTag => "updateTag",
            Operation::CreateEvent => "createEvent",
            Operation::ListEvents => "listEvents",
            Operation::GetEventSummary => "getEventSummary",
            Operation::SubmitEventSummaries => "submitEventSummaries",
        }
    }

    /// The operation `method` on `route` stands for, given the query; `None` when the route
    /// does not answer the method.
    ///
    /// * `GET /v1/users(/)` with `email` or `user_id` is getUser, otherwise listUsers (old
    ///   clients use `/v1/users/` for both);
    /// * `GET /v1/users/message_threads(/)` with `thread_id` is getMessageThread;
    /// * `GET /events(/)` with `summary` (other than `false`) is getEventSummary.
    pub(crate) fn dispatch(
        route: Route,
        method: &Method,
        query: &[(String, String)],
    ) -> Option<Operation> {
        let has = |name: &str| query::get(query, name).is_some();
        let operation = match (route, method.as_str()) {
            (Route::Users, "GET") if has("email") || has("user_id") => Operation::GetUser,
            (Route::Users, "GET") => Operation::ListUsers,
            (Route::Users, "POST") => Operation::CreateUser,
            (Route::Users, "PUT") => Operation::UpdateUser,
            (Route::Users, "DELETE") => Operation::DeleteUser,
            (Route::Notes, "POST") => Operation::CreateNote,
            (Route::Impressions, "POST") => Operation::CreateImpression,
            (Route::MessageThreads, "GET") if has("thread_id") => Operation::GetMessageThread,
            (Route::MessageThreads, "GET") => Operation::ListMessageThreads,
            (Route::MessageThreads, "POST") => Operation::CreateMessageThread,
            (Route::MessageThreads, "PUT") => Operation::ReplyMessageThread,
            (Route::Tags, "GET") => Operation::GetTag,
            (Route::Tags, "POST") => Operation::CreateTag,
            (Route::Tags, "PUT") => Operation::UpdateTag,
            (Route::Events, "POST") => Operation::CreateEvent,
            (Route::Events, "GET") => match query::get(query, "summary") {
                None | Some("false") => Operation::ListEvents,
                Some(_) => Operation::GetEventSummary,
            },
            (Route::EventSummaries, "POST") => Operation::SubmitEventSummaries,
            _ => return None,
        };
        Some(operation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn paths_match_exactly_with_one_optional_trailing_slash() {
        assert_eq!(Route::find("/v1/users"), Some(Route::Users));
        assert_eq!(Route::find("/v1/users/"), Some(Route::Users));
        assert_eq!(Route::find("/events/"), Some(Route::Events));
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
            assert_eq!(Route::find(unknown), None, "{unknown}");
        }
        for route in ROUTES {
            assert_eq!(
                Family::of_path(route.path()) == Family::Events,
                route.path().starts_with("/events")
            );
        }
    }

    #[test]
    fn the_query_chooses_between_two_operations_of_one_path() {
        let get = Method::GET;
        let d = |route, query: &[(&str, &str)]| Operation::dispatch(route, &get, &q(query));
        assert_eq!(d(Route::Users, &[]), Some(Operation::ListUsers));
        assert_eq!(
            d(Route::Users, &[("per_page", "3")]),
            Some(Operation::ListUsers)
        );
        assert_eq!(
            d(Route::Users, &[("email", "a@b")]),
            Some(Operation::GetUser)
        );
        assert_eq!(
            d(Route::Users, &[("user_id", "1")]),
            Some(Operation::GetUser)
        );
        assert_eq!(
            d(
                Route::MessageThreads,
                &[("email", "a@b"), ("thread_id", "1")]
            ),
            Some(Operation::GetMessageThread)
        );
        assert_eq!(
            d(Route::Events, &[("summary", "true")]),
            Some(Operation::GetEventSummary)
        );
        assert_eq!(
            d(Route::Events, &[("summary", "false")]),
            Some(Operation::ListEvents)
        );
        assert_eq!(
            d(Route::Events, &[("summary", "yes")]),
            Some(Operation::GetEventSummary)
        );
        assert_eq!(Operation::dispatch(Route::Notes, &get, &[]), None);
        assert_eq!(Operation::dispatch(Route::Users, &Method::PATCH, &[]), None);
    }
}
