//! The dummy server's limits: stores at their cap answer Intercom-style errors and
//! keep serving reads; the request log is capped in bytes and keeps no refused bodies.

use intercom_api::{EventUser, NewEvent, RetryConfig, UserRef};
use intercom_dummy::{DummyServer, UserKey};
use serde_json::{Value, json};

fn basic(request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
    request.basic_auth("dummy-app-id", Some("dummy-api-key"))
}

#[tokio::test]
async fn a_full_user_store_refuses_creates_and_keeps_serving_reads() {
    let server = DummyServer::builder()
        .seed_users(2)
        .max_users(3)
        .start()
        .await
        .expect("starts");
    let http = reqwest::Client::new();
    let users = format!("{}/v1/users", server.base_url());
    let third = basic(http.post(&users))
        .json(&json!({"user_id": "3"}))
        .send()
        .await
        .expect("answers");
    assert_eq!(third.status(), 200);
    let fourth = basic(http.post(&users))
        .json(&json!({"user_id": "4", "email": "four@example.com"}))
        .send()
        .await
        .expect("answers");
    assert_eq!(fourth.status(), 402);
    let error: Value = fourth.json().await.expect("JSON");
    assert_eq!(error["error"]["type"], "request_failed");
    let message = error["error"]["message"].as_str().expect("a message");
    assert!(message.contains("limit of 3 users"), "{message}");
    assert_eq!(server.state().user_count(), 3);

    // Reads, updates of stored users and deletes keep working; a delete makes room.
    let read = basic(http.get(&users))
        .query(&[("user_id", "3")])
        .send()
        .await
        .expect("answers");
    assert_eq!(read.status(), 200);
    let list: Value = basic(http.get(&users))
        .send()
        .await
        .expect("answers")
        .json()
        .await
        .expect("JSON");
    assert_eq!(list["users"].as_array().map(Vec::len), Some(3));
    let update = basic(http.post(&users))
        .json(&json!({"user_id": "3", "name": "Three"}))
        .send()
        .await
        .expect("answers");
    assert_eq!(
        update.status(),
        200,
        "an upsert of a stored user is no new user"
    );
    let client = server
        .client_builder()
        .retry(RetryConfig::disabled())
        .build()
        .expect("client");
    client
        .users()
        .delete(UserRef::user_id("1"))
        .send()
        .await
        .expect("deleted");
    client
        .users()
        .create(UserRef::user_id("4"))
        .send()
        .await
        .expect("room again");
}

#[tokio::test]
async fn a_full_event_store_answers_an_error_list() {
    let server = DummyServer::builder()
        .seed_users(1)
        .max_events(2)
        .start()
        .await
        .expect("starts");
    let client = server
        .client_builder()
        .retry(RetryConfig::disabled())
        .build()
        .expect("client");
    let user = EventUser::user_id("1");
    for name in ["a", "b"] {
        client
            .events()
            .create(NewEvent::new(name, user.clone()).created_at(
                intercom_api::time::UnixTime::from_unix(1_700_000_000).expect("a time"),
            ))
            .send()
            .await
            .expect("stored");
    }
    let http = reqwest::Client::new();
    let refused = http
        .post(format!("{}/events", server.base_url()))
        .bearer_auth("dummy-access-token")
        .json(&json!({"event_name": "c", "created_at": 1_700_000_000, "user_id": "1"}))
        .send()
        .await
        .expect("answers");
    assert_eq!(refused.status(), 402);
    let error: Value = refused.json().await.expect("JSON");
    assert_eq!(error["type"], "error.list");
    assert_eq!(error["errors"][0]["code"], "request_failed");
    assert!(
        error["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("limit of 2 events")),
        "{error}"
    );
    // A duplicate of a stored event is still accepted (and not stored), reads keep working.
    let duplicate = http
        .post(format!("{}/events", server.base_url()))
        .bearer_auth("dummy-access-token")
        .json(&json!({"event_name": "a", "created_at": 1_700_000_000, "user_id": "1"}))
        .send()
        .await
        .expect("answers");
    assert_eq!(duplicate.status(), 202);
    let listed = client.events().list(user).send().await.expect("listed");
    assert_eq!(listed.events.len(), 2);
    assert_eq!(server.state().event_count(&UserKey::user_id("1")), 2);
}

#[tokio::test]
async fn metadata_over_the_limit_is_refused_naming_the_field() {
    let server = DummyServer::builder()
        .seed_users(1)
        .max_metadata_bytes(100)
        .start()
        .await
        .expect("starts");
    let http = reqwest::Client::new();
    let long = "x".repeat(200);
    let event = http
        .post(format!("{}/events", server.base_url()))
        .bearer_auth("dummy-access-token")
        .json(&json!({"event_name": "a", "created_at": 1, "user_id": "1", "metadata": {"note": long}}))
        .send()
        .await
        .expect("answers");
    assert_eq!(event.status(), 400);
    let error: Value = event.json().await.expect("JSON");
    assert_eq!(error["errors"][0]["field"], "metadata", "{error}");

    let users = format!("{}/v1/users", server.base_url());
    // custom_data is limited after merging: two writes of 60 bytes each pass 100 together.
    let half = "y".repeat(50);
    let first = basic(reqwest::Client::new().post(&users))
        .json(&json!({"user_id": "1", "custom_data": {"a": half}}))
        .send()
        .await
        .expect("answers");
    assert_eq!(first.status(), 200);
    let second = basic(reqwest::Client::new().post(&users))
        .json(&json!({"user_id": "1", "custom_data": {"b": half}}))
        .send()
        .await
        .expect("answers");
    assert_eq!(second.status(), 400);
    let error: Value = second.json().await.expect("JSON");
    let message = error["error"]["message"].as_str().expect("message");
    assert!(message.contains("custom_data"), "{message}");
    let stored = server.state().user(&UserKey::user_id("1")).expect("stored");
    let custom = stored.user.custom_data.expect("custom data");
    assert!(custom.0.contains_key("a") && !custom.0.contains_key("b"));
}

#[tokio::test]
async fn the_log_is_capped_in_bytes_and_keeps_no_refused_bodies() {
    let server = DummyServer::builder()
        .request_log_bytes(64 * 1024)
        .start()
        .await
        .expect("starts");
    let http = reqwest::Client::new();
    let users = format!("{}/v1/users", server.base_url());
    // Unauthenticated: 401, logged without the body.
    let refused = http
        .post(&users)
        .body(vec![b'{'; 10_000])
        .send()
        .await
        .expect("answers");
    assert_eq!(refused.status(), 401);
    let logged = &server.log().entries()[0];
    assert_eq!(logged.status, Some(401));
    assert!(logged.body().is_empty());
    // Authenticated bodies are kept, up to the byte limit.
    for i in 0..20 {
        let padding = "p".repeat(10_000);
        let response = basic(http.post(&users))
            .json(&json!({"user_id": i.to_string(), "name": padding}))
            .send()
            .await
            .expect("answers");
        assert_eq!(response.status(), 200);
    }
    let log = server.log();
    assert_eq!(log.received(), 21);
    assert!(log.bytes() <= 64 * 1024, "{} bytes", log.bytes());
    assert!(log.len() < 10, "{} entries", log.len());
    let newest = log.entries().pop().expect("an entry");
    assert_eq!(newest.body_json().expect("JSON")["user_id"], "19");
    // One request heavier than the whole log is kept without its body.
    let heavy = basic(http.post(&users))
        .json(&json!({"user_id": "heavy", "name": "h".repeat(100_000)}))
        .send()
        .await
        .expect("answers");
    assert_eq!(heavy.status(), 200);
    let newest = log.entries().pop().expect("an entry");
    assert_eq!(newest.status, Some(200));
    assert!(newest.body().is_empty());
}

#[tokio::test]
async fn rate_limited_bodies_are_not_logged() {
    let server = DummyServer::builder()
        .rate_limit(intercom_dummy::RateLimitConfig::per_minute(1))
        .start()
        .await
        .expect("starts");
    let http = reqwest::Client::new();
    let users = format!("{}/v1/users", server.base_url());
    for expected in [200, 429] {
        let response = basic(http.post(&users))
            .json(&json!({"user_id": "1"}))
            .send()
            .await
            .expect("answers");
        assert_eq!(response.status(), expected);
    }
    let entries = server.log().entries();
    assert!(!entries[0].body().is_empty());
    assert_eq!(entries[1].status, Some(429));
    assert!(entries[1].body().is_empty());
}

#[tokio::test]
async fn connections_past_the_limit_close_the_oldest_idle_one() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let server = DummyServer::builder()
        .max_connections(2)
        .seed_users(1)
        .start()
        .await
        .expect("starts");
    // Two idle connections fill the server.
    let mut first = tokio::net::TcpStream::connect(server.addr())
        .await
        .expect("connects");
    let _second = tokio::net::TcpStream::connect(server.addr())
        .await
        .expect("connects");
    // A client still gets its answer: the oldest idle connection makes room.
    let client = server
        .client_builder()
        .retry(RetryConfig::disabled())
        .build()
        .expect("client");
    let user = client
        .users()
        .get(UserRef::user_id("1"))
        .send()
        .await
        .expect("answered");
    assert_eq!(user.user_id.as_deref(), Some("1"));
    // The first connection was closed by the server.
    let _ = first.write_all(b"GET /v1/users HTTP/1.1\r\n\r\n").await;
    let mut buffer = [0u8; 64];
    let read = first.read(&mut buffer).await;
    assert!(matches!(read, Ok(0) | Err(_)), "closed: {read:?}");
}
