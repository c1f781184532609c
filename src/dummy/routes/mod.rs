//! The handlers of the 18 operations. Each validates what it was sent against the description
//! (through [`crate::schema`]) before touching the state, decodes it into the generated
//! request type, locks the state only for the change itself, and encodes the generated
//! response type.

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
    reply::{ApiError, Family, FieldError, Reply},
    router::Operation,
    state::{Store, StoreError},
};
use crate::{schema, time::UnixTime};

/// What a handler gets to see of a request.
pub(crate) struct Call<'a> {
    pub(crate) operation: Operation,
    pub(crate) family: Family,
    pub(crate) query: &'a [(String, String)],
    pub(crate) body: &'a [u8],
    /// `http://host:port` of this server as the client addressed it, for absolute links.
    pub(crate) origin: &'a str,
    pub(crate) now: UnixTime,
}

/// Runs the operation.
pub(crate) fn handle(call: &Call<'_>, store: &Mutex<Store>) -> Result<Reply, ApiError> {
    match call.operation {
        Operation::ListUsers
        | Operation::GetUser
        | Operation::CreateUser
        | Operation::UpdateUser
        | Operation::DeleteUser => users::handle(call, store),
        Operation::CreateNote | Operation::CreateImpression => notes::handle(call, store),
        Operation::ListMessageThreads
        | Operation::GetMessageThread
        | Operation::CreateMessageThread
        | Operation::ReplyMessageThread => threads::handle(call, store),
        Operation::GetTag | Operation::CreateTag | Operation::UpdateTag => {
            tags::handle(call, store)
        }
        Operation::CreateEvent
        | Operation::ListEvents
        | Operation::GetEventSummary
        | Operation::SubmitEventSummaries => events::handle(call, store),
    }
}

impl Call<'_> {
    /// The last value of a query parameter.
    pub(crate) fn param(&self, name: &str) -> Option<&str> {
        query::get(self.query, name)
    }

    /// Checks the query against the operation's parameters.
    pub(crate) fn validate_query(&self) -> Result<(), ApiError> {
        schema::validate_query(self.operation.id(), self.query)
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
        schema::validate_request(self.operation.id(), &value)
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
pub(crate) fn store_error(error: StoreError, family: Family) -> ApiError {
    match error {
        StoreError::UserNotFound => ApiError::user_not_found(family),
        StoreError::TagNotFound => ApiError::not_found("The Tag was not found"),
        StoreError::ThreadNotFound => ApiError::not_found("The Message Thread was not found"),
        StoreError::Conflict(message) => ApiError::request_failed(message),
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
