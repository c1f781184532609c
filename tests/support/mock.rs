//! A wiremock server answering every request, clients pointed at it with the documents'
//! credentials, and the checks on the one request it received or on a client that could not be
//! built.

use intercom_api::{
    Client, ClientBuilder, Error, RetryConfig,
    operations::{self, Credential},
};
use serde_json::Value;
use wiremock::MockServer;

use super::fixtures::json_differences;

/// The message of the `Error::Config` a client build must have failed with.
pub fn config_error(result: Result<Client, Error>) -> String {
    match result {
        Err(Error::Config(message)) => message,
        other => panic!("expected a configuration error, got {other:?}"),
    }
}

/// The one request the server received, checked field by field.
pub async fn assert_sent(
    server: &MockServer,
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
pub fn builder_for(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .base_url(server.uri())
        .basic("dummy-app-id", "dummy-api-key")
        .token("dummy-access-token")
}

/// A server answering every request with `status` and `body`.
pub async fn answer_all(status: u16, body: Option<Value>) -> MockServer {
    let server = MockServer::start().await;
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

/// A server answering every request with `status` and `body`, and a client of it without
/// retries.
pub async fn client_answering(status: u16, body: Option<Value>) -> (MockServer, Client) {
    let server = answer_all(status, body).await;
    let client = builder_for(&server)
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    (server, client)
}

/// A server answering every request with `status` and `body`, and the generated client
/// underneath a client of it without retries.
pub async fn raw_client_answering(
    status: u16,
    body: Option<Value>,
) -> (MockServer, intercom_api::generated::Client) {
    let (server, client) = client_answering(status, body).await;
    (server, client.raw().clone())
}
