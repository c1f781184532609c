//! The dummy server's message threads: start, list, get, reply, mark read / unread, over HTTP
//! as the documents' curl examples send them, and through the generated client.

use crate::support::{dummy_http::Api, fixtures::fixture};
use intercom_api::{schema, types};
use intercom_dummy::UserKey;
use serde_json::{Value, json};

async fn with_ben() -> Api {
    let api = Api::start().await;
    api.create_user(json!({"email": "ben@intercom.io", "user_id": "123", "name": "Ben"}))
        .await;
    api.create_user(json!({"email": "bob@example.com", "user_id": "456", "name": "Bob"}))
        .await;
    api
}

#[tokio::test]
async fn the_docs_create_example_starts_a_thread_from_the_user() {
    let api = with_ben().await;
    let created = api
        .post(
            "/v1/users/message_threads",
            &fixture("createMessageThread.request.json"),
        )
        .await;
    assert_eq!(created.status, 200, "{}", created.text);
    schema::validate_response("createMessageThread", 200, &created.json).unwrap();
    let thread = &created.json;
    assert_eq!(thread["updated_at"], Value::Null);
    assert_eq!(thread["read"], true);
    assert_eq!(thread["created_by_user"], true);
    assert_eq!(thread["message_type"], "inbox");
    let message = &thread["messages"][0];
    assert_eq!(message["html"], "<p>Hey Intercom, What is up?</p>");
    assert_eq!(message["url"], "http://example.com/my/sweet/url");
    assert_eq!(
        message["from"],
        json!({"email": "ben@intercom.io", "user_id": "123", "name": "Ben", "is_admin": false, "avatar": {}})
    );
    assert_eq!(
        api.server.state().threads(&UserKey::user_id("123")).len(),
        1
    );
}

#[tokio::test]
async fn list_and_get_by_query_with_or_without_the_slash() {
    let api = with_ben().await;
    let start = async |email: &str, body: &str| {
        api.post(
            "/v1/users/message_threads",
            &json!({"email": email, "body": body}),
        )
        .await
    };
    let first = start("ben@intercom.io", "one").await.json["thread_id"]
        .as_i64()
        .unwrap();
    let second = start("ben@intercom.io", "two").await.json["thread_id"]
        .as_i64()
        .unwrap();
    let bobs = start("bob@example.com", "bob's").await.json["thread_id"]
        .as_i64()
        .unwrap();

    // curl -s "https://api.intercom.io/v1/users/message_threads?email=ben@intercom.io"
    let list = api
        .get("/v1/users/message_threads?email=ben@intercom.io")
        .await;
    assert_eq!(list.status, 200, "{}", list.text);
    schema::validate_response("listMessageThreads", 200, &list.json).unwrap();
    let ids: Vec<i64> = list
        .json
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["thread_id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [first, second]);

    for path in [
        format!("/v1/users/message_threads?email=ben@intercom.io&thread_id={second}"),
        format!("/v1/users/message_threads/?user_id=123&thread_id={second}"),
    ] {
        let got = api.get(&path).await;
        assert_eq!(got.status, 200, "{path}: {}", got.text);
        assert_eq!(got.json["thread_id"], second);
        assert_eq!(got.json["messages"][0]["html"], "<p>two</p>");
    }

    let not_theirs = api
        .get(&format!(
            "/v1/users/message_threads?email=ben@intercom.io&thread_id={bobs}"
        ))
        .await;
    assert_eq!(not_theirs.status, 404);
    assert_eq!(not_theirs.v1_error().1, "The Message Thread was not found");
    let unknown_user = api
        .get("/v1/users/message_threads?email=nobody@example.com")
        .await;
    assert_eq!(unknown_user.status, 404);
    assert_eq!(unknown_user.v1_error().1, "The User was not found");
    let bad_id = api
        .get("/v1/users/message_threads?email=ben@intercom.io&thread_id=first")
        .await;
    assert_eq!(bad_id.status, 400);
    assert!(
        bad_id.v1_error().1.contains("/thread_id"),
        "{}",
        bad_id.text
    );
    let no_user = api.get("/v1/users/message_threads").await;
    assert_eq!(no_user.status, 400);
    assert!(
        no_user
            .v1_error()
            .1
            .contains("one of `user_id`, `email` is required")
    );
}

#[tokio::test]
async fn replies_append_and_read_marks_the_thread() {
    let api = with_ben().await;
    let created = api
        .post(
            "/v1/users/message_threads",
            &json!({"email": "ben@intercom.io", "body": "Hey Intercom, What is up?"}),
        )
        .await;
    let thread_id = created.json["thread_id"].as_i64().unwrap();

    // The docs' reply, on the thread just created.
    let mut reply = fixture("replyMessageThread.request.json");
    reply["thread_id"] = json!(thread_id);
    let replied = api.put("/v1/users/message_threads", &reply).await;
    assert_eq!(replied.status, 200, "{}", replied.text);
    let messages = replied.json["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[1]["html"], "<p>Not much either :(</p>");
    assert_eq!(messages[1]["url"], "http://example.com/my/sweet/url");
    assert!(replied.json["updated_at"].is_i64());

    let unread = api
        .put(
            "/v1/users/message_threads/",
            &json!({"user_id": "123", "thread_id": thread_id, "read": false}),
        )
        .await;
    assert_eq!(unread.json["read"], false);
    assert_eq!(unread.json["messages"].as_array().unwrap().len(), 2);
    let read = api
        .put(
            "/v1/users/message_threads",
            &json!({"user_id": "123", "thread_id": thread_id, "read": true, "body": null}),
        )
        .await;
    assert_eq!(read.json["read"], true);
    assert_eq!(
        api.server.state().threads(&UserKey::user_id("123"))[0].read,
        Some(true)
    );

    let neither = api
        .put(
            "/v1/users/message_threads",
            &json!({"user_id": "123", "thread_id": thread_id}),
        )
        .await;
    assert_eq!(neither.status, 400);
    assert!(neither.v1_error().1.contains("`body`"), "{}", neither.text);
    let by_someone_else = api
        .put(
            "/v1/users/message_threads",
            &json!({"user_id": "456", "thread_id": thread_id, "body": "hijack"}),
        )
        .await;
    assert_eq!(by_someone_else.status, 404);
    let unknown = api
        .put(
            "/v1/users/message_threads",
            &json!({"user_id": "123", "thread_id": 999, "read": true}),
        )
        .await;
    assert_eq!(unknown.status, 404);
    assert_eq!(
        api.server.state().threads(&UserKey::user_id("123"))[0]
            .messages
            .len(),
        2
    );
}

#[tokio::test]
async fn the_generated_client_works_against_it() {
    let api = with_ben().await;
    let client = api.generated_client();
    let create = types::MessageThreadCreateRequest::builder()
        .email(Some("ben@intercom.io".to_string()))
        .body("Hello")
        .url(Some("http://example.com/page".to_string()));
    let thread = client
        .create_message_thread()
        .body(create)
        .send()
        .await
        .unwrap();
    let reply = types::MessageThreadReplyRequest::builder()
        .email(Some("ben@intercom.io".to_string()))
        .thread_id(thread.thread_id)
        .body(Some("More".to_string()));
    let replied = client
        .reply_message_thread()
        .body(reply)
        .send()
        .await
        .unwrap();
    assert_eq!(replied.messages.len(), 2);
    let got = client
        .get_message_thread()
        .email("ben@intercom.io")
        .thread_id(thread.thread_id)
        .send()
        .await
        .unwrap();
    assert_eq!(got.into_inner(), replied.into_inner());
    let list = client
        .list_message_threads()
        .user_id("123")
        .send()
        .await
        .unwrap();
    assert_eq!(list.len(), 1);
}
