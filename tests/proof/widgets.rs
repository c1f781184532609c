//! Runs inside a copy of the crate whose description gained two operations and nothing else
//! (see tests/description/whole_truth.rs): the generated client and the dummy server
//! serve them with no other change. Prints one line per check; panics on the first failure.

use intercom_api::{Client, RetryConfig, operations::{self, Credential, Replay}};
use intercom_dummy::{DummyServer, Fault};
use serde_json::json;

#[tokio::main]
async fn main() {
    // The table has both, with the facts the description gives.
    let list = operations::by_name("list_widgets").expect("listWidgets is in the table");
    assert_eq!((list.method, list.wire_path), ("GET", "/v1/widgets"));
    assert_eq!(list.credentials, &[Credential::Basic]);
    let create = operations::by_name("create_widget").expect("createWidget is in the table");
    assert_eq!(create.credentials, &[Credential::Bearer]);
    assert_eq!(create.replay, Replay::IfNotProcessed);
    println!("table: listWidgets Basic GET, createWidget Bearer POST not replayed");

    let server = DummyServer::start().await.expect("the dummy server starts");
    let client = Client::builder()
        .base_url(server.base_url())
        .basic("dummy-app-id", "dummy-api-key")
        .token("dummy-access-token")
        .retry(RetryConfig::standard().with_initial_backoff(std::time::Duration::from_millis(1)))
        .build()
        .expect("a client");
    let raw = client.raw();

    // The GET carries Basic, is routed and answered 501 naming the operation; a 503 is retried.
    server.faults().inject(Fault::Status(503).on("GET", "/v1/widgets"));
    let error = raw.list_widgets().send().await.expect_err("no behaviour yet");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(501), "{error:?}");
    let listed = server.log().matching("GET", "/v1/widgets");
    assert_eq!(listed.len(), 2, "the 503 is retried: {listed:?}");
    for entry in &listed {
        assert_eq!(entry.header("authorization"), Some("Basic [REDACTED]"));
    }
    assert_eq!(listed[1].operation, Some("listWidgets"));
    let answer = reqwest::Client::new()
        .get(format!("{}/v1/widgets", server.base_url()))
        .basic_auth("dummy-app-id", Some("dummy-api-key"))
        .send()
        .await
        .expect("an answer");
    assert_eq!(answer.status(), 501);
    let text = answer.text().await.expect("a body");
    assert!(text.contains("listWidgets (GET /v1/widgets)"), "{text}");
    println!("GET: Basic, routed, 501 naming listWidgets, retried after a 503");

    // The POST carries Bearer, is validated, and is not replayed after a 5xx.
    let bad = reqwest::Client::new()
        .post(format!("{}/widgets", server.base_url()))
        .bearer_auth("dummy-access-token")
        .json(&json!({"size": 3}))
        .send()
        .await
        .expect("an answer");
    assert_eq!(bad.status(), 400);
    let text = bad.text().await.expect("a body");
    assert!(text.contains("name"), "the missing field is named: {text}");
    let basic = reqwest::Client::new()
        .post(format!("{}/widgets", server.base_url()))
        .basic_auth("dummy-app-id", Some("dummy-api-key"))
        .json(&json!({"name": "w"}))
        .send()
        .await
        .expect("an answer");
    assert_eq!(basic.status(), 401, "createWidget takes only the Bearer token");

    server.faults().inject(Fault::Status(503).on("POST", "/widgets"));
    let before = server.log().matching("POST", "/widgets").len();
    let error = raw
        .create_widget()
        .body_map(|body| body.name("w"))
        .send()
        .await
        .expect_err("503");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503), "{error:?}");
    let sent = server.log().matching("POST", "/widgets");
    assert_eq!(sent.len(), before + 1, "a 5xx on createWidget is not replayed");
    assert_eq!(
        sent.last().and_then(|e| e.header("authorization")),
        Some("Bearer [REDACTED]")
    );
    let error = raw
        .create_widget()
        .body_map(|body| body.name("w"))
        .send()
        .await
        .expect_err("no behaviour yet");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(501), "{error:?}");
    println!("POST: Bearer, validated, 501 naming createWidget, not replayed after a 503");

    // A method the path does not answer: 405 with the table's Allow list.
    let wrong = reqwest::Client::new()
        .delete(format!("{}/v1/widgets", server.base_url()))
        .basic_auth("dummy-app-id", Some("dummy-api-key"))
        .send()
        .await
        .expect("an answer");
    assert_eq!(wrong.status(), 405);
    assert_eq!(
        wrong.headers().get("allow").and_then(|v| v.to_str().ok()),
        Some("GET")
    );
    println!("405: Allow GET");
    println!("proof: passed");
}
