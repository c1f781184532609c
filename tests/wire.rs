//! Each of the 24 operations of the generated client, against a real HTTP server on 127.0.0.1:
//! the method, path, query (its exact text), JSON body, content type and credentials sent are
//! those of the docs' curl lines and examples, and the docs' example response decodes.
//! `getMessageThread` and `getEventSummary` are sent to the paths of the list operations they
//! share with the docs (`x-wire-path`), though the description lists them under other keys.
//! The blog's Bearer calls (users and conversations) send `Authorization: Bearer`; its
//! "Create a New Conversation" goes to `POST /messages` (see the description).

mod support;

use std::num::NonZeroU64;

use crate::support::{
    fixtures::fixture,
    mock::{answer_all, assert_sent, builder_for},
};
use intercom_api::{RetryConfig, generated::Client, types};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use wiremock::MockServer;

/// A server answering every request with `status` and `body`, and a raw client pointed at it.
async fn serve(status: u16, body: Option<Value>) -> (MockServer, Client) {
    let server = answer_all(status, body).await;
    let client = builder_for(&server)
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    let raw = client.raw().clone();
    (server, raw)
}

fn decode<T: DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("fixture decodes")
}

#[tokio::test]
async fn list_users() {
    let page = fixture("listUsers.response.completed.json");
    let (server, client) = serve(200, Some(page.clone())).await;
    let users = client
        .list_users()
        .per_page(NonZeroU64::new(3).unwrap())
        .send()
        .await
        .unwrap();
    assert_sent(&server, "GET", "/v1/users", &[("per_page", "3")], None).await;
    assert_eq!(users.into_inner(), decode::<types::UserList>(page));
}

#[tokio::test]
async fn list_users_with_every_filter() {
    let (server, client) = serve(200, Some(fixture("listUsers.response.completed.json"))).await;
    client
        .list_users()
        .page(NonZeroU64::new(2).unwrap())
        .per_page(NonZeroU64::new(500).unwrap())
        .tag_id("17")
        .tag_name("Free Trial")
        .send()
        .await
        .unwrap();
    let query = [
        ("page", "2"),
        ("per_page", "500"),
        ("tag_id", "17"),
        ("tag_name", "Free Trial"),
    ];
    assert_sent(&server, "GET", "/v1/users", &query, None).await;
}

#[tokio::test]
async fn get_user_by_email() {
    let user = fixture("getUser.response.json");
    let (server, client) = serve(200, Some(user.clone())).await;
    let got = client
        .get_user()
        .email("ben@intercom.io")
        .send()
        .await
        .unwrap();
    assert_sent(
        &server,
        "GET",
        "/v1/users/",
        &[("email", "ben@intercom.io")],
        None,
    )
    .await;
    assert_eq!(got.into_inner(), decode::<types::User>(user));
}

#[tokio::test]
async fn get_user_by_user_id() {
    let (server, client) = serve(200, Some(fixture("getUser.response.json"))).await;
    client.get_user().user_id("123").send().await.unwrap();
    assert_sent(&server, "GET", "/v1/users/", &[("user_id", "123")], None).await;
}

#[tokio::test]
async fn create_user() {
    let request = fixture("createUser.request.json");
    let response = fixture("createUser.response.json");
    let (server, client) = serve(200, Some(response.clone())).await;
    let body: types::UserRequest = decode(request.clone());
    let user = client.create_user().body(body).send().await.unwrap();
    assert_sent(&server, "POST", "/v1/users", &[], Some(request)).await;
    assert_eq!(user.into_inner(), decode::<types::User>(response));
}

#[tokio::test]
async fn create_user_answered_with_201() {
    let (_server, client) = serve(201, Some(fixture("createUser.response.json"))).await;
    let body: types::UserRequest = decode(fixture("createUser.request.json"));
    let user = client.create_user().body(body).send().await.unwrap();
    assert_eq!(user.status().as_u16(), 201);
    assert_eq!(user.email.as_deref(), Some("ben@intercom.io"));
}

#[tokio::test]
async fn update_user() {
    let request = fixture("updateUser.request.json");
    let (server, client) = serve(200, Some(fixture("updateUser.response.json"))).await;
    let body: types::UserRequest = decode(request.clone());
    let user = client.update_user().body(body).send().await.unwrap();
    assert_sent(&server, "PUT", "/v1/users", &[], Some(request)).await;
    assert_eq!(user.name.as_deref(), Some("Benjamin McRedmond"));
}

#[tokio::test]
async fn delete_user_sends_a_json_body() {
    let request = fixture("deleteUser.request.json");
    let (server, client) = serve(200, Some(fixture("deleteUser.response.json"))).await;
    let body: types::UserIdentity = decode(request.clone());
    let user = client.delete_user().body(body).send().await.unwrap();
    assert_sent(&server, "DELETE", "/v1/users", &[], Some(request)).await;
    assert_eq!(user.user_id.as_deref(), Some("7902"));
}

#[tokio::test]
async fn create_note() {
    let request = fixture("createNote.request.json");
    let (server, client) = serve(200, Some(fixture("createNote.response.json"))).await;
    let body: types::NoteRequest = decode(request.clone());
    let note = client.create_note().body(body).send().await.unwrap();
    assert_sent(&server, "POST", "/v1/users/notes", &[], Some(request)).await;
    assert_eq!(note.html, "<p>This is the text of my note.</p>");
    assert_eq!(note.created_at, None);
}

#[tokio::test]
async fn create_impression() {
    let request = fixture("createImpression.request.json");
    let (server, client) = serve(200, Some(fixture("createImpression.response.json"))).await;
    let body: types::ImpressionRequest = decode(request.clone());
    let impression = client.create_impression().body(body).send().await.unwrap();
    assert_sent(&server, "POST", "/v1/users/impressions", &[], Some(request)).await;
    assert_eq!(impression.unread_messages, 1);
}

#[tokio::test]
async fn list_message_threads() {
    let threads = fixture("listMessageThreads.response.json");
    let (server, client) = serve(200, Some(threads.clone())).await;
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
    let (server, client) = serve(200, Some(fixture("getMessageThread.response.json"))).await;
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
    let (server, client) = serve(200, Some(fixture("createMessageThread.response.json"))).await;
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
    let (server, client) = serve(200, Some(fixture("replyMessageThread.response.json"))).await;
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
    let (server, client) = serve(200, Some(fixture("replyMessageThread.response.json"))).await;
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

#[tokio::test]
async fn get_tag_by_name() {
    let (server, client) = serve(200, Some(fixture("getTag.response.json"))).await;
    let tag = client.get_tag().name("Free Trial").send().await.unwrap();
    assert_sent(&server, "GET", "/v1/tags", &[("name", "Free Trial")], None).await;
    assert_eq!(tag.color.as_deref(), Some("green"));
    assert_eq!(tag.id, None);
}

#[tokio::test]
async fn create_tag() {
    let request = fixture("createTag.request.json");
    let (server, client) = serve(200, Some(fixture("createTag.response.json"))).await;
    let body: types::TagCreateRequest = decode(request.clone());
    let tag = client.create_tag().body(body).send().await.unwrap();
    assert_sent(&server, "POST", "/v1/tags", &[], Some(request)).await;
    assert_eq!(tag.name, "Free Trial");
}

#[tokio::test]
async fn update_tag() {
    let request = fixture("updateTag.request.json");
    let (server, client) = serve(200, Some(fixture("updateTag.response.json"))).await;
    let body: types::TagUpdateRequest = decode(request.clone());
    client.update_tag().body(body).send().await.unwrap();
    assert_sent(&server, "PUT", "/v1/tags", &[], Some(request)).await;
}

#[tokio::test]
async fn create_event_is_accepted_with_an_empty_body() {
    let request = fixture("createEvent.request.json");
    let (server, client) = serve(202, None).await;
    let body: types::EventRequest = decode(request.clone());
    let accepted = client
        .create_event()
        .intercom_version("2.14")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.status().as_u16(), 202);
    let sent = assert_sent(&server, "POST", "/events", &[], Some(request)).await;
    assert_eq!(sent.headers.get("intercom-version").unwrap(), "2.14");
}

#[tokio::test]
async fn list_events() {
    let page = fixture("listEvents.response.completed.json");
    let (server, client) = serve(200, Some(page.clone())).await;
    let events = client
        .list_events()
        .type_(types::EventsUserType::User)
        .user_id("314159")
        .per_page(NonZeroU64::new(1).unwrap())
        .intercom_version("2.14")
        .send()
        .await
        .unwrap();
    // The docs: `/events?type=user&user_id={user_id}`; parameters go in alphabetical order.
    let query = [("per_page", "1"), ("type", "user"), ("user_id", "314159")];
    let sent = assert_sent(&server, "GET", "/events", &query, None).await;
    assert_eq!(sent.headers.get("intercom-version").unwrap(), "2.14");
    assert_eq!(events.into_inner(), decode::<types::EventList>(page));
}

#[tokio::test]
async fn get_event_summary() {
    let summary = fixture("getEventSummary.response.json");
    let (server, client) = serve(200, Some(summary.clone())).await;
    let got = client
        .get_event_summary()
        .summary(true)
        .type_(types::EventsUserType::User)
        .user_id("string")
        .send()
        .await
        .unwrap();
    // The docs' curl line: `/events?summary=true&type=string&user_id=string`, with the `type`
    // their text gives (`user`; see the description).
    let query = [("summary", "true"), ("type", "user"), ("user_id", "string")];
    assert_sent(&server, "GET", "/events", &query, None).await;
    assert_eq!(got.into_inner(), decode::<types::EventSummary>(summary));
}

#[tokio::test]
async fn submit_event_summaries() {
    let request = fixture("submitEventSummaries.request.json");
    let (server, client) = serve(200, None).await;
    let body: types::EventSummariesRequest = decode(request.clone());
    client
        .submit_event_summaries()
        .body(body)
        .send()
        .await
        .unwrap();
    assert_sent(&server, "POST", "/events/summaries", &[], Some(request)).await;
}

#[tokio::test]
async fn list_contacts() {
    let page = fixture("listContacts.response.completed.json");
    let (server, client) = serve(200, Some(page.clone())).await;
    let got = client
        .list_contacts()
        .per_page(NonZeroU64::new(50).unwrap())
        .send()
        .await
        .unwrap();
    // The blog: `GET /users` with `params: {per_page: 50}`.
    assert_sent(&server, "GET", "/users", &[("per_page", "50")], None).await;
    assert_eq!(got.into_inner(), decode::<types::ContactList>(page));
}

#[tokio::test]
async fn list_contacts_after_a_cursor() {
    let (server, client) = serve(200, Some(fixture("listContacts.response.completed.json"))).await;
    client
        .list_contacts()
        .starting_after("WzE3MTcwMjA3MjgwMDAsIjY2NTdhODM4NmFiZDAxNjBkMzVkMWVhNCIsMl0=")
        .send()
        .await
        .unwrap();
    let query = [(
        "starting_after",
        "WzE3MTcwMjA3MjgwMDAsIjY2NTdhODM4NmFiZDAxNjBkMzVkMWVhNCIsMl0=",
    )];
    assert_sent(&server, "GET", "/users", &query, None).await;
}

#[tokio::test]
async fn get_contact() {
    let user = fixture("getContact.response.completed.json");
    let (server, client) = serve(200, Some(user.clone())).await;
    let got = client
        .get_contact()
        .id("6657a8386abd0160d35d1ea4")
        .send()
        .await
        .unwrap();
    assert_sent(&server, "GET", "/users/6657a8386abd0160d35d1ea4", &[], None).await;
    let got = got.into_inner();
    assert_eq!(got, decode::<types::Contact>(user));
    assert_eq!(
        got.extra["workspace_id"],
        "this_is_an_id283_that_should_be_at_least_"
    );
}

#[tokio::test]
async fn create_contact_sends_signed_up_at_in_unix_seconds() {
    let request = fixture("createContact.request.corrected.json");
    let (server, client) = serve(200, Some(fixture("createContact.response.completed.json"))).await;
    let body: types::ContactRequest = decode(request.clone());
    let user = client.create_contact().body(body).send().await.unwrap();
    let sent = assert_sent(&server, "POST", "/users", &[], Some(request)).await;
    let sent: Value = serde_json::from_slice(&sent.body).unwrap();
    assert_eq!(sent["signed_up_at"], 1671102883);
    assert_eq!(user.email.as_deref(), Some("john.doe@example.com"));
}

#[tokio::test]
async fn list_conversations() {
    let page = fixture("listConversations.response.completed.json");
    let (server, client) = serve(200, Some(page.clone())).await;
    let got = client
        .list_conversations()
        .per_page(NonZeroU64::new(50).unwrap())
        .send()
        .await
        .unwrap();
    assert_sent(
        &server,
        "GET",
        "/conversations",
        &[("per_page", "50")],
        None,
    )
    .await;
    assert_eq!(got.into_inner(), decode::<types::ConversationList>(page));
}

#[tokio::test]
async fn get_conversation() {
    let conversation = fixture("getConversation.response.json");
    let (server, client) = serve(200, Some(conversation.clone())).await;
    let got = client.get_conversation().id("69").send().await.unwrap();
    assert_sent(&server, "GET", "/conversations/69", &[], None).await;
    assert_eq!(
        got.into_inner(),
        decode::<types::Conversation>(conversation)
    );
}

#[tokio::test]
async fn create_conversation_is_sent_to_messages() {
    let request = fixture("createConversation.request.json");
    let response = fixture("createConversation.response.json");
    let (server, client) = serve(200, Some(response.clone())).await;
    let body: types::ConversationRequest = decode(request.clone());
    let message = client
        .create_conversation()
        .body(body)
        .send()
        .await
        .unwrap();
    assert_sent(&server, "POST", "/messages", &[], Some(request)).await;
    assert_eq!(message.conversation_id.as_deref(), Some("68"));
}

#[tokio::test]
async fn bearer_api_errors_decode_as_an_error_list() {
    let body = json!({"type": "error.list", "request_id": "r1",
                      "errors": [{"code": "not_found", "message": "User Not Found"}]});
    let (_server, client) = serve(404, Some(body)).await;
    let err = client.get_contact().id("nope").send().await.unwrap_err();
    let progenitor_client::Error::ErrorResponse(response) = err else {
        panic!("expected an error response, got {err:?}");
    };
    assert_eq!(response.errors[0].code, "not_found");
}

#[tokio::test]
async fn v1_errors_decode_as_the_error_object() {
    let (_server, client) = serve(404, Some(fixture("v1Error.not_found.json"))).await;
    let err = client
        .get_user()
        .email("nobody@example.com")
        .send()
        .await
        .unwrap_err();
    let progenitor_client::Error::ErrorResponse(response) = err else {
        panic!("expected an error response, got {err:?}");
    };
    assert_eq!(response.status().as_u16(), 404);
    assert_eq!(response.error.type_, "not_found");
}

#[tokio::test]
async fn events_errors_decode_as_an_error_list() {
    let (_server, client) = serve(401, Some(fixture("createEvent.error.completed.json"))).await;
    let body: types::EventRequest = decode(fixture("createEvent.request.json"));
    let err = client.create_event().body(body).send().await.unwrap_err();
    let progenitor_client::Error::ErrorResponse(response) = err else {
        panic!("expected an error response, got {err:?}");
    };
    assert_eq!(response.errors[0].code, "unauthorized");
    assert_eq!(
        response.request_id.as_deref(),
        Some("212c8206-e7a6-44c8-8f27-5f0ad7f1d243")
    );
}
