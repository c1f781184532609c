//! Helpers shared by the integration tests: fixtures and the description's examples.
#![allow(dead_code)] // each test binary uses a different subset

use std::path::{Path, PathBuf};

use intercom_api::operations::{self, Credential};

// The one reader of the description's operations and `$ref`s (shared with build.rs, the
// crate's validator and the xtask).
#[allow(dead_code)]
#[path = "../../codegen/spec.rs"]
mod spec;
use serde_json::Value;

pub mod clock;
pub mod flaky;

/// The crate root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The message of the `Error::Config` a client build must have failed with.
pub fn config_error(result: Result<intercom_api::Client, intercom_api::Error>) -> String {
    match result {
        Err(intercom_api::Error::Config(message)) => message,
        other => panic!("expected a configuration error, got {other:?}"),
    }
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

/// The one request the server received, checked field by field.
pub async fn assert_sent(
    server: &wiremock::MockServer,
    method: &str,
    path: &str,
    query: &[(&str, &str)],
    body: Option<Value>,
) -> wiremock::Request {
    let received = server.received_requests().await.expect("recording is on");
    assert_eq!(received.len(), 1, "expected one request, got {received:?}");
    let request = received.into_iter().next().unwrap();
    assert_eq!(request.method.as_str(), method);
    assert_eq!(request.url.path(), path);
    // `curl -u dummy-app-id:dummy-api-key` or the Bearer token, as the operation's `security` says.
    // The router matches `{id}` segments too; it picks the same operation the server would.
    let operation = match operations::route(method, path, query) {
        operations::Routed::Operation(operation) => operation,
        other => panic!("no operation is sent as {method} {path}: {other:?}"),
    };
    let expected_auth = match operation.credentials[0] {
        Credential::Basic => "Basic ZHVtbXktYXBwLWlkOmR1bW15LWFwaS1rZXk=",
        Credential::Bearer => "Bearer dummy-access-token",
    };
    assert_eq!(request.headers.get("authorization").unwrap(), expected_auth);
    assert!(
        request.headers.get("api-version").is_none(),
        "progenitor's header is removed"
    );

    let mut sent_query: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    sent_query.sort();
    let mut expected_query: Vec<(String, String)> = query
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    expected_query.sort();
    assert_eq!(sent_query, expected_query, "query of {}", request.url);
    // And the exact text, in the order given.
    let text = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(query)
        .finish();
    let expected_text = (!text.is_empty()).then_some(text);
    assert_eq!(
        request.url.query(),
        expected_text.as_deref(),
        "query of {}",
        request.url
    );

    let content_type = request
        .headers
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string());
    match body {
        Some(expected) => {
            assert_eq!(content_type.as_deref(), Some("application/json"));
            let sent: Value = serde_json::from_slice(&request.body).expect("a JSON body");
            let differences = json_differences(&expected, &sent, "");
            assert!(
                differences.is_empty(),
                "body differs from the docs: {differences:?}"
            );
        }
        None => {
            assert_eq!(content_type, None, "no body, no content type");
            assert!(
                request.body.is_empty(),
                "unexpected body {:?}",
                request.body
            );
        }
    }
    request
}

/// A client builder pointed at `server`, with the docs' dummy credentials and a token.
pub fn builder_for(server: &wiremock::MockServer) -> intercom_api::ClientBuilder {
    intercom_api::Client::builder()
        .base_url(server.uri())
        .basic("dummy-app-id", "dummy-api-key")
        .token("dummy-access-token")
}

/// A server answering every request with `status` and `body`.
pub async fn answer_all(status: u16, body: Option<Value>) -> wiremock::MockServer {
    let server = wiremock::MockServer::start().await;
    let mut response = wiremock::ResponseTemplate::new(status);
    if let Some(body) = body {
        response = response.set_body_json(body);
    }
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(response)
        .mount(&server)
        .await;
    server
}
