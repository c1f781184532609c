//! The dummy server's request log: what was sent, without secrets, up to its capacity.

use crate::support::dummy_http::{Api, answer_to};
use intercom_dummy::{DummyServer, REDACTED};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn the_request_log_keeps_what_was_sent_without_secrets() {
    let api = Api::start_with(
        DummyServer::builder()
            .api_key("s3cret-key")
            .access_token("s3cret-token"),
    )
    .await;
    let credentials = api.server.credentials().clone();
    answer_to(
        api.basic(Method::POST, "/v1/users?api_key=s3cret-key")
            .header("x-api-key", "s3cret-key")
            .header("user-agent", "test s3cret-token")
            .json(&json!({"email": "a@example.com", "custom_data": {"leak": "s3cret-key"}})),
    )
    .await;
    answer_to(api.bearer(
        Method::GET,
        "/events?type=user&user_id=1&access_token=s3cret-token",
    ))
    .await;

    let entries = api.server.log().entries();
    assert_eq!(entries.len(), 2);
    let post = &entries[0];
    assert_eq!(
        (post.seq, post.method.as_str(), post.path.as_str()),
        (1, "POST", "/v1/users")
    );
    assert_eq!(post.operation, Some("createUser"));
    assert_eq!(post.status, Some(200));
    assert_eq!(post.header("authorization"), Some("Basic [REDACTED]"));
    assert_eq!(post.header("x-api-key"), Some(REDACTED));
    assert_eq!(post.header("user-agent"), Some("test [REDACTED]"));
    assert_eq!(post.query.as_deref(), Some("api_key=[REDACTED]"));
    assert_eq!(post.body_json().unwrap()["email"], "a@example.com");
    assert_eq!(post.body_json().unwrap()["custom_data"]["leak"], REDACTED);
    assert_eq!(
        entries[1].header("authorization"),
        Some("Bearer [REDACTED]")
    );
    assert_eq!(
        entries[1].query_pairs()[2],
        ("access_token".to_string(), REDACTED.to_string())
    );
    assert_eq!(entries[1].request_id.len(), 36);

    let everything = format!("{entries:?}");
    let basic = credentials.basic_auth_header();
    for secret in [
        "s3cret-key",
        "s3cret-token",
        basic.trim_start_matches("Basic "),
    ] {
        assert!(
            !everything.contains(secret),
            "{secret} leaked: {everything}"
        );
    }
    assert_eq!(api.server.log().received(), 2);
    api.server.log().clear();
    assert!(api.server.log().is_empty());
}

#[tokio::test]
async fn the_log_keeps_the_most_recent_requests_up_to_its_capacity() {
    let api = Api::start_with(DummyServer::builder().request_log_capacity(3)).await;
    for n in 0..5 {
        api.get(&format!("/v1/users?page={}", n + 1)).await;
    }
    let kept: Vec<u64> = api.server.log().entries().iter().map(|e| e.seq).collect();
    assert_eq!(kept, [3, 4, 5]);
    assert_eq!(api.server.log().received(), 5);
    assert_eq!(api.server.log().matching("get", "/v1/users/").len(), 3);
}
