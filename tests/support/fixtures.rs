//! The documents' example bodies (`tests/fixtures/`) and the description's examples, and a
//! comparison of JSON values that names each difference.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::spec;

/// The crate root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture's JSON, by file name (`tests/fixtures/<name>`).
pub fn fixture(name: &str) -> Value {
    read_json(&root().join("tests/fixtures").join(name))
}

pub fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// One example body the description points at.
#[derive(Debug, Clone)]
pub struct Example {
    /// e.g. `createNote request` or `getUser 404 response`.
    pub label: String,
    pub operation_id: String,
    /// `None` for the request body, the status otherwise.
    pub status: Option<String>,
    /// The component schema the body refers to (`User`, `NoteRequest`, ...).
    pub schema_name: String,
    pub file: PathBuf,
}

/// Every `externalValue` example of every request and response body in the description.
pub fn examples() -> Vec<Example> {
    let spec = intercom_api::schema::description();
    let mut found = Vec::new();
    for operation in spec::operations(spec) {
        let (operation_id, operation) = (operation.id, operation.node);
        if let Some(body) = operation.get("requestBody") {
            collect(&mut found, operation_id, None, spec::resolve(spec, body));
        }
        if let Some(responses) = operation.get("responses").and_then(Value::as_object) {
            for (status, response) in responses {
                collect(
                    &mut found,
                    operation_id,
                    Some(status.clone()),
                    spec::resolve(spec, response),
                );
            }
        }
    }
    found
}

fn collect(found: &mut Vec<Example>, operation_id: &str, status: Option<String>, part: &Value) {
    let Some(media) = part.pointer("/content/application~1json") else {
        return;
    };
    let label = match &status {
        None => format!("{operation_id} request"),
        Some(status) => format!("{operation_id} {status} response"),
    };
    for example in media
        .get("examples")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let (_, example) = example;
        let external = example["externalValue"]
            .as_str()
            .unwrap_or_else(|| panic!("{label}: examples must be externalValue fixtures"));
        let schema_name = media["schema"]["$ref"]
            .as_str()
            .and_then(|r| r.strip_prefix("#/components/schemas/"))
            .unwrap_or_else(|| panic!("{label}: the body must $ref a named component schema"))
            .to_string();
        found.push(Example {
            label: label.clone(),
            operation_id: operation_id.to_string(),
            status: status.clone(),
            schema_name,
            file: root().join("openapi").join(external),
        });
    }
}

/// Differences between two JSON values, treating `50` and `50.0` as the same number (JSON
/// does not tell them apart); empty when they are equal.
pub fn json_differences(expected: &Value, actual: &Value, at: &str) -> Vec<String> {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            let mut out = Vec::new();
            for (key, value) in e {
                match a.get(key) {
                    Some(other) => {
                        out.extend(json_differences(value, other, &format!("{at}/{key}")))
                    }
                    None => out.push(format!("{at}/{key} was dropped (was {value})")),
                }
            }
            for key in a.keys().filter(|k| !e.contains_key(*k)) {
                out.push(format!("{at}/{key} was added ({})", a[key]));
            }
            out
        }
        (Value::Array(e), Value::Array(a)) if e.len() == a.len() => e
            .iter()
            .zip(a)
            .enumerate()
            .flat_map(|(i, (e, a))| json_differences(e, a, &format!("{at}/{i}")))
            .collect(),
        (Value::Number(e), Value::Number(a)) if e.as_f64() == a.as_f64() => Vec::new(),
        (e, a) if e == a => Vec::new(),
        (e, a) => vec![format!("{at}: expected {e}, got {a}")],
    }
}

/// `value` (a fixture's JSON) decoded as `T`; panics if it does not decode.
pub fn decode<T: serde::de::DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("fixture decodes")
}
