//! The behaviour of the operations. Each handler validates what it was sent against the
//! description (through [`intercom_api::schema`]) before touching the state, decodes it into the
//! generated request type, locks the state only for the change itself, and encodes the
//! generated response type. An operation of the description without a behaviour here is still
//! routed and validated, and answered `501` naming it.

mod contacts;
mod conversations;
mod events;
mod notes;
mod tags;
mod threads;
mod users;

use std::sync::Mutex;

use hyper::http::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{
    query,
    reply::{ApiError, ErrorShape, FieldError, Reply},
    state::{Store, StoreError, lock},
};
use intercom_api::{
    operations::{Operation, OperationId, QueryLimit},
    schema,
    time::UnixTime,
};

/// What a handler gets to see of a request.
pub(crate) struct Call<'a> {
    pub(crate) operation: &'static Operation,
    pub(crate) shape: ErrorShape,
    pub(crate) query: &'a [(String, String)],
    /// The values of the operation's `{parameter}` path segments, as sent.
    pub(crate) path_params: Vec<(&'static str, &'a str)>,
    pub(crate) body: &'a [u8],
    /// `http://host:port` of this server as the client addressed it, for absolute links.
    pub(crate) origin: &'a str,
    pub(crate) now: UnixTime,
}

/// Runs the operation.
pub(crate) fn handle(call: &Call<'_>, store: &Mutex<Store>) -> Result<Reply, ApiError> {
    use OperationId::*;
    // A description may gain operations that have no behaviour here yet.
    #[allow(unreachable_patterns)]
    match call.operation.id {
        ListUsers | GetUser | CreateUser | UpdateUser | DeleteUser => users::handle(call, store),
        CreateNote | CreateImpression => notes::handle(call, store),
        ListMessageThreads | GetMessageThread | CreateMessageThread | ReplyMessageThread => {
            threads::handle(call, store)
        }
        GetTag | CreateTag | UpdateTag => tags::handle(call, store),
        CreateEvent | ListEvents | GetEventSummary | SubmitEventSummaries => {
            events::handle(call, store)
        }
        ListContacts | GetContact | CreateContact => contacts::handle(call, store),
        ListConversations | GetConversation | CreateConversation => {
            conversations::handle(call, store)
        }
        _ => not_implemented(call),
    }
}

/// An operation without a behaviour: its request is validated, then answered `501`.
fn not_implemented(call: &Call<'_>) -> Result<Reply, ApiError> {
    call.validate_query()?;
    let operation = call.operation;
    if schema::Schema::request_body(operation.operation_id).is_ok() {
        call.json::<Value>()?;
    }
    Err(ApiError::new(
        StatusCode::NOT_IMPLEMENTED,
        "not_implemented",
        format!(
            "The dummy server has no behaviour for {} ({} {}) yet; the request is valid",
            operation.operation_id, operation.method, operation.wire_path
        ),
    ))
}

impl Call<'_> {
    /// Runs `change` (a read or a change) on the locked state; a state error comes back in the
    /// words of the request's API shape. The one way handlers touch the state.
    pub(crate) fn store<R>(
        &self,
        store: &Mutex<Store>,
        change: impl FnOnce(&mut Store) -> Result<R, StoreError>,
    ) -> Result<R, ApiError> {
        change(&mut lock(store)).map_err(|e| store_error(e, self.shape))
    }

    /// The last value of a query parameter.
    pub(crate) fn param(&self, name: &str) -> Option<&str> {
        query::get(self.query, name)
    }

    /// The page size asked for with the query parameter `name`: its `default` in the
    /// description when not sent, held to the parameter's `minimum` and `maximum`.
    pub(crate) fn page_size(&self, name: &str) -> usize {
        let limit = self.operation.query_limit(name);
        let bound = |pick: fn(&QueryLimit) -> Option<i64>, otherwise: i64| {
            limit.and_then(pick).unwrap_or(otherwise).max(1)
        };
        let maximum = bound(|l| l.maximum, i64::MAX);
        let asked = self
            .param(name)
            .and_then(|p| p.parse::<i64>().ok())
            .unwrap_or_else(|| bound(|l| l.default, maximum));
        let size = asked.clamp(bound(|l| l.minimum, 1), maximum);
        usize::try_from(size).unwrap_or(usize::MAX)
    }

    /// The value of the path parameter `name` (`{id}` in `/users/{id}`).
    pub(crate) fn path_param(&self, name: &str) -> Option<&str> {
        self.path_params
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| *value)
    }

    /// Checks the query against the operation's parameters.
    pub(crate) fn validate_query(&self) -> Result<(), ApiError> {
        schema::validate_query(self.operation.operation_id, self.query)
            .map_err(|e| ApiError::invalid("query", &e))
    }

    /// Whether a body was sent (anything but whitespace).
    pub(crate) fn has_body(&self) -> bool {
        !self.body.iter().all(u8::is_ascii_whitespace)
    }

    /// The JSON body: parsed, explicit `null`s dropped, validated against the operation's
    /// request body, decoded into the generated type.
    pub(crate) fn json<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        if !self.has_body() {
            return Err(ApiError::bad_request(
                "A JSON body is required (the API expects JSON for POST and PUT)",
            ));
        }
        let value: Value = serde_json::from_slice(self.body)
            .map_err(|e| ApiError::bad_request(format!("The body is not valid JSON: {e}")))?;
        self.validated(value)
    }

    /// `value` (built from the body or the query), nulls dropped, validated and decoded.
    pub(crate) fn validated<T: DeserializeOwned>(&self, mut value: Value) -> Result<T, ApiError> {
        drop_nulls(&mut value);
        schema::validate_request(self.operation.operation_id, &value)
            .map_err(|e| ApiError::invalid("request body", &e))?;
        serde_path_to_error::deserialize(value).map_err(|e| {
            let field = e.path().to_string();
            let message = e.inner().to_string();
            ApiError {
                fields: vec![FieldError {
                    code: "parameter_invalid",
                    field: Some(field.clone()),
                    message: message.clone(),
                }],
                ..ApiError::bad_request(format!("Invalid request body: at {field}: {message}"))
            }
        })
    }
}

/// Drops object members whose value is `null` (old clients send `"name": null` for "not
/// given"), at every depth except inside `custom_data`, which is kept exactly as sent.
fn drop_nulls(value: &mut Value) {
    match value {
        Value::Object(members) => {
            members.retain(|_, v| !v.is_null());
            for (name, member) in members.iter_mut() {
                if name != "custom_data" {
                    drop_nulls(member);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(drop_nulls),
        _ => {}
    }
}

/// A state error as the API words it.
fn store_error(error: StoreError, shape: ErrorShape) -> ApiError {
    match error {
        StoreError::UserNotFound => ApiError::user_not_found(shape),
        StoreError::TagNotFound => ApiError::not_found("The Tag was not found"),
        StoreError::ThreadNotFound => ApiError::not_found("The Message Thread was not found"),
        StoreError::ConversationNotFound => ApiError::not_found("Resource Not Found"),
        StoreError::UnknownCursor => {
            ApiError::bad_request("`starting_after` is not a cursor this list gave out")
        }
        StoreError::Conflict(message) => ApiError::request_failed(message),
        StoreError::Full(message) => ApiError::request_failed(message),
        StoreError::TooLarge(field, message) => ApiError {
            fields: vec![FieldError {
                code: "parameter_invalid",
                field: Some(field.to_string()),
                message: message.clone(),
            }],
            ..ApiError::bad_request(message)
        },
    }
}

/// `200` with `value`.
pub(crate) fn ok<T: serde::Serialize>(value: &T) -> Reply {
    Reply::json(StatusCode::OK, value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nulls_are_dropped_except_in_custom_data() {
        let mut value = json!({
            "email": "a@b", "name": null,
            "custom_data": {"plan": null},
            "companies": [{"id": 6, "name": null}],
        });
        drop_nulls(&mut value);
        assert_eq!(
            value,
            json!({"email": "a@b", "custom_data": {"plan": null}, "companies": [{"id": 6}]})
        );
    }
}
