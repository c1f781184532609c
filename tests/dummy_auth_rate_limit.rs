//! The dummy server's authentication (Basic on /v1, Bearer or Basic on /events), rate
//! limiting, and the request log's redaction of secrets.

mod support;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::support::dummy_http::{Api, answer_to};
use intercom_dummy::{Credentials, DummyServer, REDACTED, RateLimitConfig};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn v1_takes_the_docs_basic_credentials_and_nothing_else() {
    let api = Api::start().await;
    let url = api.url("/v1/users");
    // curl -s "https://api.intercom.io/v1/users" -u dummy-app-id:dummy-api-key
    let ok = answer_to(
        api.http
            .get(&url)
            .basic_auth("dummy-app-id", Some("dummy-api-key")),
    )
    .await;
    assert_eq!(ok.status, 200);

    let refused = [
        api.http.get(&url),
        api.http.get(&url).basic_auth("dummy-app-id", Some("wrong")),
        api.http
            .get(&url)
            .basic_auth("someone", Some("dummy-api-key")),
        api.http.get(&url).basic_auth("dummy-app-id", None::<&str>),
        api.http.get(&url).bearer_auth("dummy-access-token"),
        api.http
            .get(&url)
            .header("authorization", "Basic not-base64!"),
    ];
    for request in refused {
        let answer = answer_to(request).await;
        assert_eq!(answer.status, 401, "{}", answer.text);
        assert_eq!(
            answer.v1_error(),
            (
                "unauthorized".to_string(),
                "No valid API key provided".to_string()
            )
        );
        assert_eq!(
            answer.header("www-authenticate"),
            Some("Basic realm=\"Intercom\"")
        );
    }
}

#[tokio::test]
async fn events_take_the_bearer_token_and_not_basic() {
    let api = Api::start().await;
    api.create_user(json!({"user_id": "1"})).await;
    let url = api.url("/events");
    let event = json!({"event_name": "e", "created_at": 1, "user_id": "1"});
    let bearer = answer_to(
        api.http
            .post(&url)
            .bearer_auth("dummy-access-token")
            .json(&event),
    )
    .await;
    assert_eq!(bearer.status, 202);
    // The description gives the Data Events API only `bearerAuth`, as Intercom's documents do.
    for request in [
        api.http
            .post(&url)
            .basic_auth("dummy-app-id", Some("dummy-api-key"))
            .json(&event),
        api.http.post(&url).json(&event),
        api.http.post(&url).bearer_auth("wrong").json(&event),
        api.http
            .post(&url)
            .bearer_auth("dummy-api-key")
            .json(&event),
    ] {
        let answer = answer_to(request).await;
        assert_eq!(answer.status, 401);
        let errors = answer.error_list();
        assert_eq!(errors[0]["code"], "unauthorized");
        assert_eq!(
            answer.header("www-authenticate"),
            Some("Bearer realm=\"Intercom\"")
        );
    }
}

#[tokio::test]
async fn credentials_are_settable_and_never_printed() {
    let api = Api::start_with(
        DummyServer::builder()
            .app_id("app")
            .api_key("s3cret-key")
            .access_token("s3cret-token"),
    )
    .await;
    let url = api.url("/v1/users");
    let old = answer_to(
        api.http
            .get(&url)
            .basic_auth("dummy-app-id", Some("dummy-api-key")),
    )
    .await;
    assert_eq!(old.status, 401);
    let new = answer_to(api.http.get(&url).basic_auth("app", Some("s3cret-key"))).await;
    assert_eq!(new.status, 200);
    let token = answer_to(
        api.http
            .get(api.url("/events?type=user&user_id=x"))
            .bearer_auth("s3cret-token"),
    )
    .await;
    assert_eq!(token.status, 404, "authenticated; the user does not exist");

    let credentials = api.server.credentials().clone();
    assert_eq!(
        credentials,
        Credentials {
            app_id: "app".to_string(),
            api_key: "s3cret-key".to_string(),
            access_token: "s3cret-token".to_string(),
        }
    );
    for printed in [
        format!("{credentials:?}"),
        format!("{:?}", api.server),
        format!(
            "{:?}",
            DummyServer::builder()
                .api_key("s3cret-key")
                .access_token("s3cret-token")
        ),
    ] {
        assert!(!printed.contains("s3cret"), "{printed}");
    }
}

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

#[tokio::test]
async fn rate_limits_count_down_and_answer_429_with_retry_after() {
    let api =
        Api::start_with(DummyServer::builder().rate_limit(RateLimitConfig::per_minute(3))).await;
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    for remaining in ["2", "1", "0"] {
        let answer = api.get("/v1/users").await;
        assert_eq!(answer.status, 200);
        assert_eq!(answer.header("x-ratelimit-limit"), Some("3"));
        assert_eq!(answer.header("x-ratelimit-remaining"), Some(remaining));
        let reset: u64 = answer.header("x-ratelimit-reset").unwrap().parse().unwrap();
        assert!(reset > now && reset <= now + 62, "UNIX seconds: {reset}");
    }
    let limited = api.get("/v1/users").await;
    assert_eq!(limited.status, 429);
    assert_eq!(limited.v1_error().0, "rate_limit_exceeded");
    let retry_after: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after));
    assert_eq!(limited.header("x-ratelimit-remaining"), Some("0"));

    let events = answer_to(api.bearer(Method::GET, "/events?type=user&user_id=1")).await;
    assert_eq!(events.status, 429);
    assert_eq!(events.error_list()[0]["code"], "rate_limit_exceeded");

    // Unauthenticated requests are not counted but still see the headers.
    let anonymous = answer_to(api.http.get(api.url("/v1/users"))).await;
    assert_eq!(anonymous.status, 401);
    assert_eq!(anonymous.header("x-ratelimit-limit"), Some("3"));

    api.server.reset();
    assert_eq!(api.get("/v1/users").await.status, 200);
}

#[tokio::test]
async fn a_short_window_refills() {
    let api = Api::start_with(
        DummyServer::builder().rate_limit(RateLimitConfig::new(1, Duration::from_secs(1))),
    )
    .await;
    assert_eq!(api.get("/v1/users").await.status, 200);
    let limited = api.get("/v1/users").await;
    assert_eq!(limited.status, 429);
    let wait: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    tokio::time::sleep(Duration::from_secs(wait)).await;
    assert_eq!(api.get("/v1/users").await.status, 200);
}

#[tokio::test]
async fn without_a_limit_there_are_no_rate_limit_headers() {
    let api = Api::start().await;
    for _ in 0..20 {
        let answer = api.get("/v1/users").await;
        assert_eq!(answer.status, 200);
        assert_eq!(answer.header("x-ratelimit-limit"), None);
    }
}
