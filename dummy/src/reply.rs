//! What a handler answers ([`Reply`]) and the documented error objects ([`ApiError`]), in the
//! shape of the API shape the request was for.

use bytes::Bytes;
use hyper::http::{HeaderName, HeaderValue, StatusCode};
use serde::Serialize;

use intercom_api::{
    operations::{self, Operation},
    schema, types,
};

/// How an error body looks: the description's error schema of the operation answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ErrorShape {
    /// The v1 API's `{"error": {"type", "message"}}`.
    V1,
    /// The newer API's `{"type": "error.list", "request_id", "errors": [...]}`.
    ErrorList,
}

impl ErrorShape {
    /// The shape of an operation's error bodies in the description.
    pub(crate) fn of(operation: &Operation) -> ErrorShape {
        if operation.error_schema == ERROR_LIST_SCHEMA {
            ErrorShape::ErrorList
        } else {
            ErrorShape::V1
        }
    }

    /// The shape of the operations a path belongs to, by its first segment (`/events/x` is
    /// answered like the events API; unknown paths in the v1 shape).
    pub(crate) fn of_path(path: &str) -> ErrorShape {
        operations::neighbours(path)
            .next()
            .map_or(ErrorShape::V1, ErrorShape::of)
    }
}

/// The description's schema of the Data Events API's error bodies (`error.list`).
const ERROR_LIST_SCHEMA: &str = "ErrorList";

pub(crate) const JSON: &str = "application/json; charset=utf-8";
pub(crate) const HTML: &str = "text/html; charset=utf-8";

/// A complete response before the server adds its common headers.
#[derive(Clone, Debug)]
pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) content_type: Option<&'static str>,
    pub(crate) body: Bytes,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
}

impl Reply {
    /// `value` as a JSON body.
    pub(crate) fn json<T: Serialize>(status: StatusCode, value: &T) -> Reply {
        match serde_json::to_vec(value) {
            Ok(body) => Reply {
                status,
                content_type: Some(JSON),
                body: Bytes::from(body),
                headers: Vec::new(),
            },
            Err(e) => ApiError::server_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("the dummy server could not encode its response: {e}"),
            )
            .render(ErrorShape::V1, ""),
        }
    }

    /// A status with no body (POST /events answers 202 this way).
    pub(crate) fn empty(status: StatusCode) -> Reply {
        Reply {
            status,
            content_type: None,
            body: Bytes::new(),
            headers: Vec::new(),
        }
    }

    /// An HTML page (what a proxy in front of an API answers).
    pub(crate) fn html(status: StatusCode, page: &'static str) -> Reply {
        Reply {
            status,
            content_type: Some(HTML),
            body: Bytes::from_static(page.as_bytes()),
            headers: Vec::new(),
        }
    }
}

/// One field-level problem, rendered as one `errors[]` item by the events API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FieldError {
    pub(crate) code: &'static str,
    pub(crate) field: Option<String>,
    pub(crate) message: String,
}

/// An error answer: status, machine-readable kind, human message, optional field details.
#[derive(Clone, Debug)]
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    /// The v1 `error.type`, or the events `errors[].code` when there are no field details.
    pub(crate) code: &'static str,
    pub(crate) message: String,
    pub(crate) fields: Vec<FieldError>,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            fields: Vec::new(),
            headers: Vec::new(),
        }
    }

    /// 400: the request is malformed (not JSON, bad query encoding, ...).
    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    /// 400 from the description's validator: every violation, each naming its field.
    pub(crate) fn invalid(what: &str, error: &schema::Error) -> Self {
        let violations = error.violations();
        if violations.is_empty() {
            // A lookup error (unknown operation) is the dummy's bug, not the client's.
            return Self::server_error(StatusCode::INTERNAL_SERVER_ERROR, error.to_string());
        }
        let listed: Vec<String> = violations.iter().map(ToString::to_string).collect();
        let fields = violations
            .iter()
            .map(|v| FieldError {
                code: if v.message.ends_with("is required") {
                    "parameter_not_found"
                } else {
                    "parameter_invalid"
                },
                field: field_of(&v.pointer, &v.message),
                message: v.message.clone(),
            })
            .collect();
        ApiError {
            fields,
            ..Self::bad_request(format!("Invalid {what}: {}", listed.join("; ")))
        }
    }

    /// 401 in the shape's words.
    pub(crate) fn unauthorized(shape: ErrorShape) -> Self {
        match shape {
            ErrorShape::V1 => Self::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "No valid API key provided",
            ),
            ErrorShape::ErrorList => Self::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "Access Token Invalid",
            ),
        }
    }

    /// 404 for a user that does not exist, exactly as the documents word it.
    pub(crate) fn user_not_found(shape: ErrorShape) -> Self {
        match shape {
            ErrorShape::V1 => Self::not_found("The User was not found"),
            ErrorShape::ErrorList => Self::not_found("User Not Found"),
        }
    }

    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// 402 "Request Failed": the parameters were valid but the request cannot be done.
    pub(crate) fn request_failed(message: impl Into<String>) -> Self {
        Self::new(StatusCode::PAYMENT_REQUIRED, "request_failed", message)
    }

    pub(crate) fn server_error(status: StatusCode, message: impl Into<String>) -> Self {
        Self::new(status, "server_error", message)
    }

    pub(crate) fn with_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }

    /// The error object of `shape`; `request_id` goes into the events `error.list`.
    pub(crate) fn render(self, shape: ErrorShape, request_id: &str) -> Reply {
        let mut reply = match shape {
            ErrorShape::V1 => Reply::json(
                self.status,
                &types::V1Error {
                    error: types::V1ErrorDetail {
                        type_: self.code.to_string(),
                        message: self.message,
                        extra: Default::default(),
                    },
                    extra: Default::default(),
                },
            ),
            ErrorShape::ErrorList => {
                let errors = if self.fields.is_empty() {
                    vec![types::ErrorListItem {
                        code: self.code.to_string(),
                        field: None,
                        message: Some(self.message),
                        extra: Default::default(),
                    }]
                } else {
                    self.fields
                        .into_iter()
                        .map(|f| types::ErrorListItem {
                            code: f.code.to_string(),
                            field: f.field,
                            message: Some(f.message),
                            extra: Default::default(),
                        })
                        .collect()
                };
                Reply::json(
                    self.status,
                    &types::ErrorList {
                        type_: "error.list".to_string(),
                        request_id: Some(request_id.to_string()),
                        errors,
                        extra: Default::default(),
                    },
                )
            }
        };
        reply.headers.extend(self.headers);
        reply
    }
}

/// The field a violation is about: its pointer as a dotted path (`metadata.price`), or for a
/// missing field (pointer at the object) the name the message quotes.
fn field_of(pointer: &str, message: &str) -> Option<String> {
    let trimmed = pointer.trim_start_matches('/');
    if !trimmed.is_empty() {
        return Some(trimmed.replace('/', "."));
    }
    if message.starts_with("one of") {
        return None; // several fields would do; the message names them
    }
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(message[start..start + len].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn body(reply: &Reply) -> Value {
        serde_json::from_slice(&reply.body).unwrap()
    }

    #[test]
    fn not_found_has_the_documented_shape() {
        let reply = ApiError::user_not_found(ErrorShape::V1).render(ErrorShape::V1, "id");
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
        assert_eq!(
            body(&reply),
            json!({"error": {"type": "not_found", "message": "The User was not found"}})
        );
    }

    #[test]
    fn validation_errors_name_their_fields_in_both_shapes() {
        let error = schema::validate_request(
            intercom_api::operations::CREATE_EVENT.operation_id,
            &json!({"created_at": "soon", "user_id": "1"}),
        )
        .unwrap_err();
        let v1 = body(&ApiError::invalid("request body", &error).render(ErrorShape::V1, "r"));
        let message = v1["error"]["message"].as_str().unwrap();
        assert!(message.contains("/created_at"), "{message}");
        assert!(message.contains("`event_name` is required"), "{message}");
        assert_eq!(v1["error"]["type"], "bad_request");

        let events =
            body(&ApiError::invalid("request body", &error).render(ErrorShape::ErrorList, "r"));
        assert_eq!(events["type"], "error.list");
        assert_eq!(events["request_id"], "r");
        let fields: Vec<&str> = events["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["event_name", "created_at"]);
        assert_eq!(events["errors"][0]["code"], "parameter_not_found");
        assert_eq!(events["errors"][1]["code"], "parameter_invalid");
    }
}
