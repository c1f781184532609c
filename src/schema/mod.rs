//! Payload validation against the OpenAPI description the client is generated from.
//!
//! Validate any JSON value against a named schema of `openapi/intercom.yaml`, or against an
//! operation's request or response body, and get back every violation with its JSON pointer
//! and a readable message. OpenAPI 3.0's `nullable` and the description's vendor extensions
//! (`x-pattern-properties`, `x-required-any`) are honoured. Use it in your own tests to check
//! payloads before they reach Intercom.
//!
//! ```
//! use intercom_api::{operations, schema};
//! use serde_json::json;
//!
//! let err = schema::validate_request(operations::CREATE_NOTE.operation_id, &json!({"body": "hi"})).unwrap_err();
//! assert_eq!(err.violations()[0].pointer, "");
//! assert_eq!(err.violations()[0].message, "one of `user_id`, `email` is required");
//!
//! assert!(schema::validate("Tag", &json!({"id": null, "name": "VIP", "tagged_user_count": 3})).is_ok());
//! ```

mod json_schema;
mod openapi;
// The one reader of the description's operations and `$ref`s, shared with build.rs and the xtask.
#[allow(dead_code)] // each includer uses a different subset
#[path = "../../codegen/spec.rs"]
mod spec;
mod violation;

use std::{
    collections::HashMap,
    fmt,
    sync::{Arc, LazyLock, RwLock},
};

use serde_json::Value;

pub use violation::Violation;

/// A compiled schema of the description, ready to validate values.
///
/// ```
/// use intercom_api::schema::Schema;
/// use serde_json::json;
///
/// // Compiled once (and cached), then used for as many values as needed.
/// let user = Schema::named("User")?;
/// assert!(user.is_valid(&json!({"email": "ben@intercom.io", "name": null})));
/// assert!(!user.is_valid(&json!({"email": 42})));
/// # Ok::<(), intercom_api::schema::Error>(())
/// ```
#[derive(Clone)]
pub struct Schema {
    label: Arc<str>,
    validator: Arc<jsonschema::Validator>,
    /// The JSON Schema document compiled, to name the schemas a violation is about.
    document: Arc<Value>,
}

impl fmt::Debug for Schema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Schema")
            .field("label", &self.label)
            .finish()
    }
}

/// What went wrong when validating: the schema could not be found, or the value breaks it.
///
/// ```
/// use intercom_api::schema::{self, Error};
/// use serde_json::json;
///
/// let error = schema::validate("Usr", &json!({})).unwrap_err();
/// assert_eq!(error, Error::UnknownSchema("Usr".to_string()));
/// assert_eq!(error.to_string(), "the description has no schema named `Usr`");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// No schema of this name in `components.schemas`.
    UnknownSchema(String),
    /// No operation with this `operationId`.
    UnknownOperation(String),
    /// The operation has no JSON body where one was asked for.
    NoBody {
        /// The operation.
        operation: String,
        /// `"request"` or the response status asked for.
        part: String,
    },
    /// The value breaks the schema; every violation is listed.
    Invalid {
        /// What was validated against, e.g. `schema User` or `createNote request body`.
        schema: String,
        /// Each violation, in document order.
        violations: Vec<Violation>,
    },
}

impl Error {
    /// The violations when the value is invalid; empty for a lookup error.
    ///
    /// ```
    /// use intercom_api::{operations, schema::{self, Error}};
    /// use serde_json::json;
    ///
    /// let error = schema::validate_request(operations::CREATE_USER.operation_id, &json!({"name": "Ben"})).unwrap_err();
    /// assert_eq!(error.violations().len(), 1);
    /// assert_eq!(error.violations()[0].message, "one of `user_id`, `email` is required");
    /// // A lookup error has none.
    /// assert!(Error::UnknownOperation("createUsers".to_string()).violations().is_empty());
    /// ```
    pub fn violations(&self) -> &[Violation] {
        match self {
            Error::Invalid { violations, .. } => violations,
            _ => &[],
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::UnknownSchema(name) => {
                write!(f, "the description has no schema named `{name}`")
            }
            Error::UnknownOperation(id) => {
                write!(f, "the description has no operation `{id}`")
            }
            Error::NoBody { operation, part } => {
                write!(f, "operation `{operation}` has no JSON body for {part}")
            }
            Error::Invalid { schema, violations } => {
                write!(f, "invalid {schema}: {} violation(s)", violations.len())?;
                for violation in violations {
                    write!(f, "\n  {violation}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for Error {}

static CACHE: LazyLock<RwLock<HashMap<String, Schema>>> = LazyLock::new(Default::default);

impl Schema {
    /// The schema named `name` in `components.schemas` (e.g. `"User"`, `"EventRequest"`).
    ///
    /// ```
    /// use intercom_api::{operations, schema::Schema};
    ///
    /// let event = Schema::named("EventRequest")?;
    /// assert_eq!(event.label(), "schema EventRequest");
    /// assert!(Schema::named("Evnt").is_err());
    /// # Ok::<(), intercom_api::schema::Error>(())
    /// ```
    pub fn named(name: &str) -> Result<Schema, Error> {
        let pointer = format!("/components/schemas/{}", escape_pointer(name));
        if openapi::description().pointer(&pointer).is_none() {
            return Err(Error::UnknownSchema(name.to_string()));
        }
        let reference = serde_json::json!({ "$ref": format!("#{pointer}") });
        Schema::compile(format!("schema {name}"), &reference)
    }

    /// The JSON request body of the operation (its `operationId` as in the description, or the
    /// snake_case form progenitor names its method with: [`Operation::operation_id`] or
    /// [`Operation::name`]).
    ///
    /// [`Operation::operation_id`]: crate::operations::Operation::operation_id
    /// [`Operation::name`]: crate::operations::Operation::name
    ///
    /// ```
    /// use intercom_api::{operations, schema::Schema};
    /// use serde_json::json;
    ///
    /// // progenitor's snake_case name finds the operation too.
    /// let note = Schema::request_body(operations::CREATE_NOTE.name)?;
    /// assert_eq!(note.label(), "createNote request body");
    /// assert!(note.is_valid(&json!({"email": "ben@intercom.io", "body": "Called about billing"})));
    /// # Ok::<(), intercom_api::schema::Error>(())
    /// ```
    pub fn request_body(operation_id: &str) -> Result<Schema, Error> {
        let (id, operation) = find_operation(operation_id)?;
        let schema = operation
            .get("requestBody")
            .map(openapi::resolve)
            .and_then(|body| body.pointer("/content/application~1json/schema"))
            .ok_or_else(|| Error::NoBody {
                operation: id.to_string(),
                part: "request".to_string(),
            })?;
        Schema::compile(format!("{id} request body"), schema)
    }

    /// The JSON body the operation answers with `status` (an exact code such as 200, or the
    /// range it falls in, such as `5XX`).
    ///
    /// ```
    /// use intercom_api::{operations, schema::Schema};
    /// use serde_json::json;
    ///
    /// // 503 falls in the operation's `5XX` response: the v1 error object.
    /// let unavailable = Schema::response_body(operations::GET_USER.operation_id, 503)?;
    /// assert!(unavailable.is_valid(&json!({"error": {"type": "server_error", "message": "Try again"}})));
    /// assert!(Schema::response_body(operations::GET_USER.operation_id, 302).is_err());
    /// # Ok::<(), intercom_api::schema::Error>(())
    /// ```
    pub fn response_body(operation_id: &str, status: u16) -> Result<Schema, Error> {
        let (id, operation) = find_operation(operation_id)?;
        let responses = operation.get("responses");
        let range = format!("{}XX", status / 100);
        let schema = responses
            .and_then(|r| r.get(status.to_string()).or_else(|| r.get(&range)))
            .map(openapi::resolve)
            .and_then(|response| response.pointer("/content/application~1json/schema"))
            .ok_or_else(|| Error::NoBody {
                operation: id.to_string(),
                part: format!("status {status}"),
            })?;
        Schema::compile(format!("{id} {status} response body"), schema)
    }

    /// The query parameters of the operation, as one object schema: each parameter a property,
    /// `required` ones required, and the operation's `x-required-any` (e.g. `user_id` or
    /// `email`) as an `anyOf`. [`validate_query`] types the sent strings and checks them.
    ///
    /// ```
    /// use intercom_api::{operations, schema::Schema};
    /// use serde_json::json;
    ///
    /// let list = Schema::query(operations::LIST_USERS.operation_id)?;
    /// assert!(list.is_valid(&json!({"page": 2, "per_page": 50})));
    /// assert!(!list.is_valid(&json!({"per_page": 501})));
    /// # Ok::<(), intercom_api::schema::Error>(())
    /// ```
    pub fn query(operation_id: &str) -> Result<Schema, Error> {
        let (id, operation) = find_operation(operation_id)?;
        let mut properties = serde_json::Map::new();
        let mut required = Vec::new();
        for parameter in query_parameters(operation) {
            let name = parameter["name"].as_str().unwrap_or_default().to_string();
            properties.insert(
                name.clone(),
                parameter.get("schema").cloned().unwrap_or_default(),
            );
            if parameter["required"].as_bool() == Some(true) {
                required.push(Value::String(name));
            }
        }
        let mut object = serde_json::json!({
            "type": "object",
            "properties": properties,
            "required": required,
        });
        if let Some(any) = operation.get("x-required-any").and_then(Value::as_array) {
            let branches: Vec<Value> = any
                .iter()
                .map(|name| serde_json::json!({ "required": [name] }))
                .collect();
            object["anyOf"] = Value::Array(branches);
        }
        Schema::compile(format!("{id} query"), &object)
    }

    /// Checks `value`, returning every violation, ordered by pointer.
    ///
    /// ```
    /// use intercom_api::{operations, schema::Schema};
    /// use serde_json::json;
    ///
    /// let tag = Schema::named("Tag")?;
    /// let error = tag.validate(&json!({"id": "17513", "name": 7, "tagged_user_count": 3})).unwrap_err();
    /// assert_eq!(error.violations()[0].pointer, "/name");
    /// assert_eq!(error.violations()[0].message, "7 is not of type \"string\"");
    /// # Ok::<(), intercom_api::schema::Error>(())
    /// ```
    pub fn validate(&self, value: &Value) -> Result<(), Error> {
        let mut violations: Vec<Violation> = self
            .validator
            .iter_errors(value)
            .flat_map(|error| violation::describe(&error, &self.document))
            .collect();
        // Document order: the whole value first, then its fields by pointer.
        violations.sort_by(|a, b| a.pointer.cmp(&b.pointer));
        if violations.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid {
                schema: self.label.to_string(),
                violations,
            })
        }
    }

    /// True when `value` satisfies the schema.
    ///
    /// ```
    /// use intercom_api::{operations, schema::Schema};
    /// use serde_json::json;
    ///
    /// let impression = Schema::named("Impression")?;
    /// assert!(impression.is_valid(&json!({"unread_messages": 0})));
    /// assert!(!impression.is_valid(&json!({})));
    /// # Ok::<(), intercom_api::schema::Error>(())
    /// ```
    pub fn is_valid(&self, value: &Value) -> bool {
        self.validator.is_valid(value)
    }

    /// What this schema is, e.g. `schema User` or `createNote request body`.
    ///
    /// ```
    /// use intercom_api::{operations, schema::Schema};
    ///
    /// assert_eq!(Schema::named("User")?.label(), "schema User");
    /// assert_eq!(Schema::response_body(operations::LIST_USERS.operation_id, 200)?.label(), "listUsers 200 response body");
    /// # Ok::<(), intercom_api::schema::Error>(())
    /// ```
    pub fn label(&self) -> &str {
        &self.label
    }

    fn compile(label: String, schema: &Value) -> Result<Schema, Error> {
        if let Some(found) = CACHE.read().unwrap_or_else(|e| e.into_inner()).get(&label) {
            return Ok(found.clone());
        }
        let document = openapi::document_for(schema);
        let validator = json_schema::validator(&document).map_err(|e| Error::Invalid {
            schema: label.clone(),
            violations: vec![Violation {
                pointer: String::new(),
                message: format!("the description's schema does not compile: {e}"),
            }],
        })?;
        let compiled = Schema {
            label: label.as_str().into(),
            validator: Arc::new(validator),
            document: Arc::new(document),
        };
        CACHE
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(label, compiled.clone());
        Ok(compiled)
    }
}

/// Validates `value` against the schema named `schema_name` in `components.schemas`.
///
/// ```
/// use intercom_api::{operations, schema};
/// use serde_json::json;
///
/// assert!(schema::validate("MonetaryAmount", &json!({"amount": 2499, "currency": "eur"})).is_ok());
/// let error = schema::validate("MonetaryAmount", &json!({"amount": 2499})).unwrap_err();
/// assert_eq!(error.violations()[0].message, "`currency` is required");
/// ```
pub fn validate(schema_name: &str, value: &Value) -> Result<(), Error> {
    Schema::named(schema_name)?.validate(value)
}

/// Validates `value` as the JSON request body of the operation `operation_id`.
///
/// ```
/// use intercom_api::{operations, schema};
/// use serde_json::json;
///
/// let event = json!({"event_name": "invited-friend", "created_at": 1_700_000_000, "user_id": "314159"});
/// assert!(schema::validate_request(operations::CREATE_EVENT.operation_id, &event).is_ok());
/// let error = schema::validate_request(operations::CREATE_EVENT.operation_id, &json!({"event_name": "invited-friend"})).unwrap_err();
/// assert!(error.to_string().starts_with("invalid createEvent request body"), "{error}");
/// ```
pub fn validate_request(operation_id: &str, value: &Value) -> Result<(), Error> {
    Schema::request_body(operation_id)?.validate(value)
}

/// Validates `value` as the body the operation `operation_id` answers with `status`.
///
/// ```
/// use intercom_api::{operations, schema};
/// use serde_json::json;
///
/// let tag = json!({"id": null, "name": "Free Trial", "tagged_user_count": null});
/// assert!(schema::validate_response(operations::GET_TAG.operation_id, 200, &tag).is_ok());
/// // A 404 answers with the v1 error object, not a tag.
/// assert!(schema::validate_response(operations::GET_TAG.operation_id, 404, &tag).is_err());
/// ```
pub fn validate_response(operation_id: &str, status: u16, value: &Value) -> Result<(), Error> {
    Schema::response_body(operation_id, status)?.validate(value)
}

/// Validates query parameters (name, value pairs as sent) for the operation `operation_id`.
///
/// ```
/// use intercom_api::{operations, schema};
///
/// let err = schema::validate_query(operations::GET_MESSAGE_THREAD.operation_id, &[("thread_id", "x")]).unwrap_err();
/// let messages: Vec<_> = err.violations().iter().map(|v| v.to_string()).collect();
/// assert_eq!(messages, [
///     "at /: one of `user_id`, `email` is required",
///     "at /thread_id: \"x\" is not of type \"integer\"",
/// ]);
/// ```
pub fn validate_query<K: AsRef<str>, V: AsRef<str>>(
    operation_id: &str,
    pairs: &[(K, V)],
) -> Result<(), Error> {
    let schema = Schema::query(operation_id)?;
    let (_, operation) = find_operation(operation_id)?;
    schema.validate(&query_to_json(operation, pairs))
}

/// Query pairs as a JSON object typed by the operation's parameter schemas: `"3"` becomes `3`
/// for an integer parameter and `"true"` becomes `true` for a boolean one; a value that does not
/// parse stays a string, so validation names it. A repeated name keeps its last value.
fn query_to_json<K: AsRef<str>, V: AsRef<str>>(
    operation: &'static Value,
    pairs: &[(K, V)],
) -> Value {
    let kinds: HashMap<&str, &str> = query_parameters(operation)
        .filter_map(|p| {
            let kind = openapi::resolve(p.get("schema")?).get("type")?.as_str()?;
            Some((p.get("name")?.as_str()?, kind))
        })
        .collect();
    let object = pairs
        .iter()
        .map(|(name, text)| {
            let (name, text) = (name.as_ref(), text.as_ref());
            let value = match kinds.get(name) {
                Some(&"integer") => text.parse::<i64>().map(Value::from).ok(),
                Some(&"number") => text.parse::<f64>().ok().map(Value::from),
                Some(&"boolean") => text.parse::<bool>().map(Value::from).ok(),
                _ => None,
            };
            (name.to_string(), value.unwrap_or_else(|| Value::from(text)))
        })
        .collect();
    Value::Object(object)
}

/// The operation's `in: query` parameters, references resolved.
fn query_parameters(operation: &'static Value) -> impl Iterator<Item = &'static Value> {
    operation
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(openapi::resolve)
        .filter(|p| p.get("in").and_then(Value::as_str) == Some("query"))
}

/// The description itself (`openapi/intercom.yaml`), as JSON.
///
/// ```
/// use intercom_api::{operations, schema};
///
/// let description = schema::description();
/// assert_eq!(description["openapi"], "3.0.3");
/// assert_eq!(description["servers"][0]["url"], "https://api.intercom.io");
/// ```
pub fn description() -> &'static Value {
    openapi::description()
}

/// The names of every schema in `components.schemas`.
///
/// ```
/// use intercom_api::{operations, schema};
///
/// let names: Vec<&str> = schema::schema_names().collect();
/// assert!(names.contains(&"User") && names.contains(&"EventRequest"));
/// // Every one of them compiles.
/// assert!(names.iter().all(|name| schema::Schema::named(name).is_ok()));
/// ```
pub fn schema_names() -> impl Iterator<Item = &'static str> {
    openapi::description()
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|schemas| schemas.keys().map(String::as_str))
}

/// `(operationId, method, path)` of every operation in the description.
///
/// ```
/// use intercom_api::{operations, schema};
///
/// assert_eq!(schema::operations().count(), 24);
/// let note = schema::operations().find(|(id, _, _)| *id == operations::CREATE_NOTE.operation_id);
/// assert_eq!(note, Some((operations::CREATE_NOTE.operation_id, "post", "/v1/users/notes")));
/// ```
pub fn operations() -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
    spec::operations(openapi::description())
        .into_iter()
        .map(|operation| (operation.id, operation.method, operation.path))
}

/// Finds an operation by its id, accepting the snake_case form progenitor uses.
fn find_operation(operation_id: &str) -> Result<(&'static str, &'static Value), Error> {
    let wanted = normalize(operation_id);
    spec::operations(openapi::description())
        .into_iter()
        .find(|operation| normalize(operation.id) == wanted)
        .map(|operation| (operation.id, operation.node))
        .ok_or_else(|| Error::UnknownOperation(operation_id.to_string()))
}

fn normalize(id: &str) -> String {
    id.chars()
        .filter(|c| *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

fn escape_pointer(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}
