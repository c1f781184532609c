//! Plain HTTP to the dummy server: a server and a reqwest client of it ([`Api`]), requests
//! shaped like the documents' curl examples, and their answers read whole ([`Answer`]).

use std::time::Duration;

use intercom_dummy::{DummyServer, DummyServerBuilder};
use reqwest::{Method, header::HeaderMap};
use serde_json::Value;

/// A dummy server and a client for it.
pub struct Api {
    pub server: DummyServer,
    pub http: reqwest::Client,
}

/// A response, read.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
    /// The body as JSON; `Value::Null` when it is empty or not JSON.
    pub json: Value,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts the v1 error object and returns its (type, message).
    pub fn v1_error(&self) -> (String, String) {
        let error = &self.json["error"];
        let kind = error["type"].as_str();
        let message = error["message"].as_str();
        assert!(
            kind.is_some()
                && message.is_some()
                && self.json.as_object().map(|o| o.len()) == Some(1),
            "not a v1 error object ({}): {}",
            self.status,
            self.text
        );
        (
            kind.unwrap_or_default().to_string(),
            message.unwrap_or_default().to_string(),
        )
    }

    /// Asserts the events `error.list` (with `request_id` = `X-Request-Id`) and returns its
    /// items.
    pub fn error_list(&self) -> Vec<Value> {
        assert_eq!(self.json["type"], "error.list", "{}", self.text);
        assert_eq!(
            self.json["request_id"].as_str(),
            self.header("x-request-id"),
            "request_id is the X-Request-Id"
        );
        let errors = self.json["errors"].as_array().cloned().unwrap_or_default();
        assert!(!errors.is_empty(), "{}", self.text);
        for error in &errors {
            assert!(error["code"].is_string(), "{error}");
        }
        errors
    }
}

impl Api {
    pub async fn start() -> Api {
        Self::start_with(DummyServer::builder()).await
    }

    pub async fn start_with(builder: DummyServerBuilder) -> Api {
        let server = builder.start().await.expect("the dummy server starts");
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .expect("a client");
        Api { server, http }
    }

    pub fn url(&self, path_and_query: &str) -> String {
        format!("{}{path_and_query}", self.server.base_url())
    }

    /// A request with the server's Basic credentials (what `curl -u app:key` sends) and, with
    /// a body, `Content-Type: application/json` (`-H "Content-Type: application/json"`).
    pub fn basic(&self, method: Method, path_and_query: &str) -> reqwest::RequestBuilder {
        let credentials = self.server.credentials();
        self.http
            .request(method, self.url(path_and_query))
            .basic_auth(&credentials.app_id, Some(&credentials.api_key))
    }

    /// A request with the server's Bearer token, as the events documents' curl examples (and
    /// the blog's `/users`, `/conversations` and `/messages` calls) send.
    pub fn bearer(&self, method: Method, path_and_query: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, self.url(path_and_query))
            .bearer_auth(&self.server.credentials().access_token)
            .header("Intercom-Version", "2.14")
    }

    pub async fn get(&self, path_and_query: &str) -> Answer {
        answer_to(self.basic(Method::GET, path_and_query)).await
    }

    pub async fn send(&self, method: Method, path: &str, body: &Value) -> Answer {
        answer_to(self.basic(method, path).json(body)).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> Answer {
        self.send(Method::POST, path, body).await
    }

    pub async fn put(&self, path: &str, body: &Value) -> Answer {
        self.send(Method::PUT, path, body).await
    }

    /// `POST /events` with the Bearer token.
    pub async fn post_event(&self, body: &Value) -> Answer {
        answer_to(self.bearer(Method::POST, "/events").json(body)).await
    }

    /// Creates a user (asserting 200) and returns it.
    pub async fn create_user(&self, body: Value) -> Value {
        let answer = self.post("/v1/users", &body).await;
        assert_eq!(answer.status, 200, "{}", answer.text);
        answer.json
    }

    /// The generated client underneath a client of the server (its credentials, no retries).
    pub fn generated_client(&self) -> intercom_api::generated::Client {
        let client = self
            .server
            .client_builder()
            .retry(intercom_api::RetryConfig::disabled())
            .build()
            .expect("a client");
        client.raw().clone()
    }
}

/// Sends `request` and reads the whole answer (asserting its `X-Request-Id`).
pub async fn answer_to(request: reqwest::RequestBuilder) -> Answer {
    let response = request.send().await.expect("the server answers");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.expect("a complete body");
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    assert!(
        headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| uuid::Uuid::parse_str(v).ok())
            .is_some_and(|id| id.get_version_num() == 4),
        "every response carries a uuid v4 X-Request-Id: {headers:?}"
    );
    Answer {
        status,
        headers,
        text,
        json,
    }
}
