//! Turning answers and progenitor's errors into the crate's [`Error`].

use std::{
    fmt::{self, Write as _},
    time::{Duration, SystemTime},
};

use reqwest::{
    StatusCode,
    header::{HeaderMap, HeaderValue},
};
use serde::de::DeserializeOwned;

use super::{CallOutcome, bound::Bound, context::X_REQUEST_ID};
use crate::{
    error::{ApiError, DecodeError, Error, RateLimited, TimeLimit},
    rate_limit::RateLimit,
    retry::server_wait,
    types,
};

/// How much of an unexpected body an error keeps.
const EXCERPT_CHARS: usize = 200;
/// How much of a decoding error's message an error keeps (serde quotes the offending value).
const MESSAGE_CHARS: usize = 300;
/// How much of a decoding error's JSON path an error keeps (a key can be as long as the body).
const PATH_CHARS: usize = 300;
/// How many bytes of a body an excerpt looks at: enough for [`EXCERPT_CHARS`] characters of
/// UTF-8 after whitespace runs are folded, whatever the body's size.
const EXCERPT_SCAN_BYTES: usize = 4 * EXCERPT_CHARS + 1024;

/// An error body of the description (`V1Error` or `ErrorList`), reduced to what both say.
pub(crate) trait ErrorBody: DeserializeOwned {
    fn into_parts(self) -> ErrorParts;
}

pub(crate) struct ErrorParts {
    code: Option<String>,
    message: String,
    errors: Vec<types::ErrorListItem>,
    request_id: Option<String>,
}

impl ErrorBody for types::V1Error {
    fn into_parts(self) -> ErrorParts {
        ErrorParts {
            code: Some(self.error.type_),
            message: self.error.message,
            errors: Vec::new(),
            request_id: None,
        }
    }
}

impl ErrorBody for types::ErrorList {
    fn into_parts(self) -> ErrorParts {
        let first = self.errors.first();
        ErrorParts {
            code: first.map(|e| e.code.clone()),
            message: first
                .and_then(|e| e.message.clone())
                .unwrap_or_else(|| "(no message)".to_string()),
            errors: self.errors,
            request_id: self.request_id,
        }
    }
}

/// The error of a generated operation whose success type is `T`, in the crate's terms: mostly
/// an [`Error`], but an undocumented status may still carry a `T` (and `T` names the JSON path
/// when a success body did not decode).
///
/// `attempt_timeout` is the client's per-attempt timeout, named by a timeout error (`None` when
/// the caller's own reqwest client sets it).
pub(crate) async fn from_progenitor<T, E>(
    operation: &'static str,
    error: progenitor_client::Error<E>,
    outcome: &CallOutcome,
    now: SystemTime,
    attempt_timeout: Option<Duration>,
) -> Result<T, Error>
where
    T: DeserializeOwned,
    E: ErrorBody,
{
    use progenitor_client::Error as P;
    Err(match error {
        P::ErrorResponse(answer) => {
            let (status, headers) = (answer.status(), answer.headers().clone());
            from_parts(
                operation,
                status,
                &headers,
                answer.into_inner().into_parts(),
                now,
            )
        }
        // The body did not decode: a success body of the wrong shape, or an error body that is
        // not an Intercom error object (an HTML page from a proxy). The retry layer recorded the
        // status that progenitor does not keep here.
        P::InvalidResponsePayload(body, _) => match outcome.status {
            Some(status) if !status.is_success() => {
                let none = HeaderMap::new();
                let headers = outcome.headers.as_deref().unwrap_or(&none);
                error_from_body(operation, status, headers, &body, now)
            }
            status => decode_error::<T>(operation, status, outcome.request_id.as_ref(), &body),
        },
        P::UnexpectedResponse(response) => return decode_response(operation, response, now).await,
        P::CommunicationError(source)
        | P::ResponseBodyError(source)
        | P::InvalidUpgrade(source) => transport_error(operation, source, attempt_timeout),
        P::InvalidRequest(message) | P::Custom(message) => Error::InvalidRequest {
            operation: operation.to_string(),
            message,
        },
    })
}

/// Reads a (buffered) answer as `T` when it is a success, as an error otherwise.
pub(crate) async fn decode_response<T: DeserializeOwned>(
    operation: &'static str,
    response: reqwest::Response,
    now: SystemTime,
) -> Result<T, Error> {
    let status = response.status();
    let headers = response.headers().clone();
    // The transport buffered the body: reading it cannot time out.
    let body = response
        .bytes()
        .await
        .map_err(|source| transport_error(operation, source, None))?;
    if !status.is_success() {
        return Err(error_from_body(operation, status, &headers, &body, now));
    }
    // An empty success body is `null`, which is what `()` decodes from.
    let json: &[u8] = if body.is_empty() { b"null" } else { &body };
    serde_json::from_slice(json)
        .map_err(|_| decode_error::<T>(operation, Some(status), headers.get(X_REQUEST_ID), &body))
}

/// A transport failure, a timeout, or a limit of the transport that stopped the call.
/// reqwest's error names the URL, whose query may hold a user's email or user_id
/// (`/v1/users/?email=...`): only the origin and path are kept, so the error can be logged.
pub(crate) fn transport_error(
    operation: &'static str,
    mut source: reqwest::Error,
    attempt_timeout: Option<Duration>,
) -> Error {
    if let Some(url) = source.url_mut() {
        url.set_query(None);
        url.set_fragment(None);
    }
    let operation = operation.to_string();
    match Bound::find(&source) {
        Some(Bound::TooLarge { status, limit }) => Error::ResponseTooLarge {
            operation,
            status: *status,
            limit: *limit,
        },
        Some(Bound::CallTimeout { limit }) => Error::Timeout {
            operation,
            limit: TimeLimit::Call(*limit),
            source,
        },
        Some(Bound::RateLimitWait { wait, rate_limit }) => {
            Error::RateLimited(Box::new(RateLimited {
                operation,
                retry_after: Some(*wait),
                rate_limit: Some(*rate_limit),
                message: Some(
                    "not sent: the rate-limit window resets later than the client may wait"
                        .to_string(),
                ),
                request_id: None,
            }))
        }
        None if source.is_timeout() => Error::Timeout {
            operation,
            limit: TimeLimit::Attempt(attempt_timeout),
            source,
        },
        None => Error::Transport { operation, source },
    }
}

/// An error answer whose body may or may not be one of Intercom's error objects.
fn error_from_body(
    operation: &'static str,
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
    now: SystemTime,
) -> Error {
    let parts = serde_json::from_slice::<types::V1Error>(body)
        .map(ErrorBody::into_parts)
        .or_else(|_| serde_json::from_slice::<types::ErrorList>(body).map(ErrorBody::into_parts))
        .unwrap_or_else(|_| ErrorParts {
            code: None,
            message: if body.is_empty() {
                status.canonical_reason().unwrap_or("no body").to_string()
            } else {
                excerpt(body)
            },
            errors: Vec::new(),
            request_id: None,
        });
    from_parts(operation, status, headers, parts, now)
}

fn from_parts(
    operation: &'static str,
    status: StatusCode,
    headers: &HeaderMap,
    parts: ErrorParts,
    now: SystemTime,
) -> Error {
    let request_id = parts.request_id.or_else(|| request_id(headers));
    if status == StatusCode::TOO_MANY_REQUESTS {
        return Error::RateLimited(Box::new(RateLimited {
            operation: operation.to_string(),
            retry_after: server_wait(headers, now).map(|wait| wait.duration),
            rate_limit: RateLimit::from_headers(headers),
            message: (parts.code.is_some()).then_some(parts.message),
            request_id,
        }));
    }
    Error::Api(Box::new(ApiError {
        operation: operation.to_string(),
        status,
        code: parts.code,
        message: parts.message,
        errors: parts.errors,
        request_id,
    }))
}

/// A success body that does not decode as `T`, with the JSON path that failed.
fn decode_error<T: DeserializeOwned>(
    operation: &'static str,
    status: Option<StatusCode>,
    request_id: Option<&HeaderValue>,
    body: &[u8],
) -> Error {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let (path, message) = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Err(error) => (
            bounded(error.path(), PATH_CHARS),
            bounded(&explain_untagged(error.inner().to_string()), MESSAGE_CHARS),
        ),
        Ok(_) => (
            ".".to_string(),
            "trailing data after the JSON value".to_string(),
        ),
    };
    Error::Decode(Box::new(DecodeError {
        operation: operation.to_string(),
        status,
        path,
        message,
        body_excerpt: excerpt(body),
        request_id: request_id.and_then(|v| v.to_str().ok()).map(str::to_string),
    }))
}

/// serde names only the enum when a value fits none of an untagged enum's variants; the
/// description says what each variant is: `not a MetadataValue (at line 1 column 71): a
/// string, a number, an object with url and value (RichLink) or an object with amount and
/// currency (MonetaryAmount)`. Other messages are returned unchanged.
fn explain_untagged(message: String) -> String {
    const NO_VARIANT: &str = "data did not match any variant of untagged enum ";
    let Some(rest) = message.strip_prefix(NO_VARIANT) else {
        return message;
    };
    // serde_json adds ` at line L column C`.
    let (name, at) = rest.split_once(' ').unwrap_or((rest, ""));
    let schemas = &crate::schema::description()["components"]["schemas"];
    let Some(variants) = schemas[name]["oneOf"].as_array() else {
        return message;
    };
    let kinds: Vec<String> = variants
        .iter()
        .map(|variant| {
            let named = variant["$ref"].as_str().and_then(|r| r.rsplit('/').next());
            let schema = named.map_or(variant, |n| &schemas[n]);
            let kind = match (schema["type"].as_str(), schema["required"].as_array()) {
                (Some("object"), Some(required)) => {
                    let fields: Vec<&str> = required.iter().filter_map(|f| f.as_str()).collect();
                    format!("an object with {}", fields.join(" and "))
                }
                (Some(kind @ ("array" | "object" | "integer")), _) => format!("an {kind}"),
                (Some(kind), _) => format!("a {kind}"),
                (None, _) => "a value".to_string(),
            };
            match named {
                Some(named) if schema["type"] == "object" => format!("{kind} ({named})"),
                _ => kind,
            }
        })
        .collect();
    let Some((last, rest)) = kinds.split_last() else {
        return message;
    };
    let listed = if rest.is_empty() {
        last.clone()
    } else {
        format!("{} or {last}", rest.join(", "))
    };
    let at = if at.is_empty() {
        String::new()
    } else {
        format!(" ({at})")
    };
    format!("not a {name}{at}: {listed}")
}

fn request_id(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(X_REQUEST_ID)?.to_str().ok()?;
    Some(value.to_string())
}

/// The start of a body, as one line of text (whitespace runs folded to one space), at most
/// [`EXCERPT_CHARS`] characters; only the first [`EXCERPT_SCAN_BYTES`] bytes are looked at.
fn excerpt(body: &[u8]) -> String {
    let scanned = &body[..body.len().min(EXCERPT_SCAN_BYTES)];
    let text = String::from_utf8_lossy(scanned);
    let mut out = Limited::new(EXCERPT_CHARS);
    for (i, word) in text.split_whitespace().enumerate() {
        if (i > 0 && out.write_str(" ").is_err()) || out.write_str(word).is_err() {
            break;
        }
    }
    if scanned.len() < body.len() && !out.cut {
        // Whitespace hid the rest of the scanned bytes: the body goes on.
        out.cut = true;
    }
    out.finish()
}

/// `value`'s `Display`, cut to `max` characters with `…` when it was longer; never more than
/// `max` characters are kept in memory, however long the value's text.
fn bounded(value: &dyn fmt::Display, max: usize) -> String {
    let mut out = Limited::new(max);
    let _ = write!(out, "{value}");
    out.finish()
}

/// A `fmt::Write` that keeps the first `max` characters and refuses the rest.
struct Limited {
    text: String,
    left: usize,
    cut: bool,
}

impl Limited {
    fn new(max: usize) -> Self {
        Limited {
            text: String::new(),
            left: max,
            cut: false,
        }
    }

    fn finish(mut self) -> String {
        if self.cut {
            self.text.push('…');
        }
        self.text
    }
}

impl fmt::Write for Limited {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        match s.char_indices().nth(self.left) {
            None => {
                self.left -= s.chars().count();
                self.text.push_str(s);
                Ok(())
            }
            Some((cut, _)) => {
                self.text.push_str(&s[..cut]);
                self.left = 0;
                self.cut = true;
                // Stops the formatting: nothing more would be kept.
                Err(fmt::Error)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_no_variant_fits_is_explained_from_the_description() {
        let body = br#"{"event_name": "e", "created_at": 1, "metadata": {"plan": {"seats": 3}}}"#;
        let Error::Decode(decode) =
            decode_error::<crate::types::Event>("list_events", None, None, body)
        else {
            panic!("a decode error");
        };
        assert_eq!(decode.path, "metadata.plan");
        assert_eq!(
            decode.message,
            "not a MetadataValue (at line 1 column 71): a string, a number, an object with url and value (RichLink) \
             or an object with amount and currency (MonetaryAmount)"
        );
        let other = "invalid type: integer `7`, expected a string".to_string();
        assert_eq!(explain_untagged(other.clone()), other);
    }

    #[test]
    fn a_decode_error_quotes_a_huge_value_only_in_part() {
        let body = format!(
            r#"{{"type":"user","created_at":"{}"}}"#,
            "x".repeat(1 << 20)
        );
        let Error::Decode(decode) = decode_error::<types::User>(
            crate::operations::GET_USER.name,
            None,
            None,
            body.as_bytes(),
        ) else {
            panic!("a decode error")
        };
        assert_eq!(decode.path, "created_at");
        assert!(
            decode.message.starts_with("invalid value: string \"xxx"),
            "{}",
            decode.message
        );
        assert_eq!(decode.message.chars().count(), MESSAGE_CHARS + 1);
        assert_eq!(decode.body_excerpt.chars().count(), EXCERPT_CHARS + 1);
        assert!(Error::Decode(decode).to_string().len() < 1_000);
    }
}
