//! Message threads (`/v1/users/message_threads`): list, get, start, reply, mark read.

use intercom_api::types;
use serde_json::json;

use super::ben;
use crate::support::{
    fixtures::{decode, fixture},
    mock::{assert_sent, client_answering, raw_client_answering},
};

// The request each operation of the generated client sends, and its documented answer.

#[tokio::test]
async fn list_message_threads() {
    let threads = fixture("listMessageThreads.response.json");
    let (server, client) = raw_client_answering(200, Some(threads.clone())).await;
    let got = client
        .list_message_threads()
        .email("ben@intercom.io")
        .send()
        .await
        .unwrap();
    let query = [("email", "ben@intercom.io")];
    assert_sent(&server, "GET", "/v1/users/message_threads", &query, None).await;
    assert_eq!(
        got.into_inner(),
        decode::<types::MessageThreadList>(threads)
    );
}

#[tokio::test]
async fn get_message_thread() {
    let (server, client) =
        raw_client_answering(200, Some(fixture("getMessageThread.response.json"))).await;
    let thread = client
        .get_message_thread()
        .email("ben@intercom.io")
        .thread_id(123)
        .send()
        .await
        .unwrap();
    let query = [("email", "ben@intercom.io"), ("thread_id", "123")];
    assert_sent(&server, "GET", "/v1/users/message_threads", &query, None).await;
    assert_eq!(thread.thread_id, 5591);
    assert_eq!(thread.messages.len(), 3);
    assert!(
        thread.messages[1].from.is_none(),
        "the admin reply has no author"
    );
}

#[tokio::test]
async fn create_message_thread() {
    let request = fixture("createMessageThread.request.json");
    let (server, client) =
        raw_client_answering(200, Some(fixture("createMessageThread.response.json"))).await;
    let body: types::MessageThreadCreateRequest = decode(request.clone());
    let thread = client
        .create_message_thread()
        .body(body)
        .send()
        .await
        .unwrap();
    assert_sent(
        &server,
        "POST",
        "/v1/users/message_threads",
        &[],
        Some(request),
    )
    .await;
    assert_eq!(thread.updated_at, None);
}

#[tokio::test]
async fn reply_to_message_thread() {
    let request = fixture("replyMessageThread.request.json");
    let (server, client) =
        raw_client_answering(200, Some(fixture("replyMessageThread.response.json"))).await;
    let body: types::MessageThreadReplyRequest = decode(request.clone());
    let thread = client
        .reply_message_thread()
        .body(body)
        .send()
        .await
        .unwrap();
    assert_sent(
        &server,
        "PUT",
        "/v1/users/message_threads",
        &[],
        Some(request),
    )
    .await;
    assert_eq!(thread.messages.len(), 2);
}

#[tokio::test]
async fn mark_message_thread_read() {
    let (server, client) =
        raw_client_answering(200, Some(fixture("replyMessageThread.response.json"))).await;
    let body = types::MessageThreadReplyRequest::builder()
        .email(Some("ben@intercom.io".to_string()))
        .thread_id(5591)
        .read(Some(true));
    client
        .reply_message_thread()
        .body(body)
        .send()
        .await
        .unwrap();
    let expected = json!({"email": "ben@intercom.io", "thread_id": 5591, "read": true});
    assert_sent(
        &server,
        "PUT",
        "/v1/users/message_threads",
        &[],
        Some(expected),
    )
    .await;
}

// The handle, `client.message_threads()`.

#[tokio::test]
async fn message_threads_list_and_get() {
    let (server, client) =
        client_answering(200, Some(fixture("listMessageThreads.response.json"))).await;
    let threads = client
        .message_threads()
        .list(ben())
        .current_url("https://example.org/")
        .send()
        .await
        .unwrap();
    assert_eq!(threads.len(), 1);
    let query = [
        ("current_url", "https://example.org/"),
        ("email", "ben@intercom.io"),
    ];
    assert_sent(&server, "GET", "/v1/users/message_threads", &query, None).await;

    let (server, client) =
        client_answering(200, Some(fixture("getMessageThread.response.json"))).await;
    let thread = client
        .message_threads()
        .get(ben(), 123)
        .send()
        .await
        .unwrap();
    assert_eq!(thread.thread_id, 5591);
    let query = [("email", "ben@intercom.io"), ("thread_id", "123")];
    assert_sent(&server, "GET", "/v1/users/message_threads", &query, None).await;
}

#[tokio::test]
async fn message_threads_create_reply_and_mark() {
    let (server, client) =
        client_answering(200, Some(fixture("createMessageThread.response.json"))).await;
    client
        .message_threads()
        .create(ben(), "Hey Intercom, What is up?")
        .url("http://example.com/my/sweet/url")
        .send()
        .await
        .unwrap();
    let body = fixture("createMessageThread.request.json");
    assert_sent(
        &server,
        "POST",
        "/v1/users/message_threads",
        &[],
        Some(body),
    )
    .await;

    let (server, client) =
        client_answering(200, Some(fixture("replyMessageThread.response.json"))).await;
    client
        .message_threads()
        .reply(ben(), 11547, "Not much either :(")
        .url("http://example.com/my/sweet/url")
        .send()
        .await
        .unwrap();
    let body = fixture("replyMessageThread.request.json");
    assert_sent(&server, "PUT", "/v1/users/message_threads", &[], Some(body)).await;

    for read in [true, false] {
        let (server, client) =
            client_answering(200, Some(fixture("replyMessageThread.response.json"))).await;
        let threads = client.message_threads();
        let request = if read {
            threads.mark_read(ben(), 5591)
        } else {
            threads.mark_unread(ben(), 5591)
        };
        request.send().await.unwrap();
        let body = json!({"email": "ben@intercom.io", "thread_id": 5591, "read": read});
        assert_sent(&server, "PUT", "/v1/users/message_threads", &[], Some(body)).await;
    }
}
