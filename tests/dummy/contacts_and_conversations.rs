//! The dummy server's Bearer-token users (`/users`) and conversations (`/conversations`,
//! `POST /messages`): over HTTP as the blog sends them, and through `client.contacts()` and
//! `client.conversations()`. A user created with Bearer is the v1 API's and the events API's
//! user; a conversation created for a user is listed, read back and deleted with the user.

use crate::support::{
    dummy_http::{Api, answer_to},
    fixtures::fixture,
};
use futures_util::TryStreamExt;
use intercom_api::{Error, EventUser, NewEvent, UserRef, time::UnixTime};
use intercom_dummy::{DummyServer, UserKey};
use reqwest::Method;
use serde_json::{Value, json};

/// The blog's "Create a New User", with `signed_up_at` in UNIX seconds.
async fn create_john(api: &Api) -> Value {
    let body = fixture("createContact.request.corrected.json");
    let answer = answer_to(api.bearer(Method::POST, "/users").json(&body)).await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    answer.json
}

#[tokio::test]
async fn the_blogs_calls_over_http_create_list_and_read_back() {
    let api = Api::start().await;
    let john = create_john(&api).await;
    assert_eq!(john["type"], "contact");
    assert_eq!(john["email"], "john.doe@example.com");
    assert_eq!(john["signed_up_at"], 1671102883);
    let id = john["id"].as_str().unwrap();

    let one = answer_to(api.bearer(Method::GET, &format!("/users/{id}"))).await;
    assert_eq!(one.status, 200, "{}", one.text);
    assert_eq!(one.json, john);
    let list = answer_to(api.bearer(Method::GET, "/users?per_page=50")).await;
    assert_eq!(list.json["type"], "list");
    assert_eq!(list.json["data"], json!([john]));

    // The blog's conversation body, to a real user, where Intercom takes it: POST /messages.
    let mut body = fixture("createConversation.request.json");
    body["to"]["id"] = json!(id);
    let message = answer_to(api.bearer(Method::POST, "/messages").json(&body)).await;
    assert_eq!(message.status, 200, "{}", message.text);
    assert_eq!(message.json["type"], "admin_message");
    assert_eq!(message.json["body"], "Hello, how can I assist you?");
    let conversation_id = message.json["conversation_id"].as_str().unwrap();

    let listed = answer_to(api.bearer(Method::GET, "/conversations?per_page=50")).await;
    assert_eq!(listed.json["type"], "conversation.list");
    assert_eq!(listed.json["conversations"][0]["id"], conversation_id);
    let read_back =
        answer_to(api.bearer(Method::GET, &format!("/conversations/{conversation_id}"))).await;
    assert_eq!(read_back.status, 200, "{}", read_back.text);
    assert_eq!(read_back.json, listed.json["conversations"][0]);
    assert_eq!(
        read_back.json["source"]["author"],
        json!({"type": "admin", "id": "YOUR_ADMIN_ID"})
    );
    assert_eq!(
        read_back.json["contacts"]["contacts"],
        json!([{"type": "contact", "id": id}])
    );
    assert_eq!(
        read_back.json["source"]["body"],
        "Hello, how can I assist you?"
    );
}

#[tokio::test]
async fn the_blogs_post_to_conversations_and_iso_signed_up_at_are_refused_with_reasons() {
    let api = Api::start().await;
    let john = create_john(&api).await;
    let mut body = fixture("createConversation.request.json");
    body["to"]["id"] = john["id"].clone();
    let wrong_path = answer_to(api.bearer(Method::POST, "/conversations").json(&body)).await;
    assert_eq!(wrong_path.status, 405, "{}", wrong_path.text);
    assert_eq!(wrong_path.header("allow"), Some("GET"));

    let iso = json!({"email": "a@example.com", "signed_up_at": "2024-05-01T10:00:00.000Z"});
    let refused = answer_to(api.bearer(Method::POST, "/users").json(&iso)).await;
    assert_eq!(refused.status, 400, "{}", refused.text);
    let errors = refused.error_list();
    assert_eq!(errors[0]["field"], "signed_up_at", "{errors:?}");
    assert!(
        errors[0]["message"].as_str().unwrap().contains("integer"),
        "{errors:?}"
    );
}

#[tokio::test]
async fn errors_are_error_lists_naming_what_is_wrong() {
    let api = Api::start().await;
    let unknown = answer_to(api.bearer(Method::GET, "/users/d0d0cafe00000000000000ff")).await;
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.error_list()[0]["code"], "not_found");
    let no_conversation = answer_to(api.bearer(Method::GET, "/conversations/77")).await;
    assert_eq!(no_conversation.status, 404);
    assert_eq!(
        no_conversation.error_list()[0]["message"],
        "Resource Not Found"
    );
    let to_nobody = json!({"message_type": "inapp", "body": "hi",
        "from": {"type": "admin", "id": "1"}, "to": {"type": "user", "id": "USER_ID"}});
    let answer = answer_to(api.bearer(Method::POST, "/messages").json(&to_nobody)).await;
    assert_eq!(answer.status, 404);
    assert_eq!(answer.error_list()[0]["message"], "User Not Found");
    let bad_cursor = answer_to(api.bearer(Method::GET, "/conversations?starting_after=zz")).await;
    assert_eq!(bad_cursor.status, 400);
    assert!(
        bad_cursor.error_list()[0]["message"]
            .as_str()
            .unwrap()
            .contains("starting_after")
    );
    let too_many = answer_to(api.bearer(Method::GET, "/users?per_page=151")).await;
    assert_eq!(too_many.status, 400);
    assert_eq!(too_many.error_list()[0]["field"], "per_page");
    // The Bearer API takes the access token, not the v1 app id and key.
    let basic = answer_to(api.basic(Method::GET, "/users")).await;
    assert_eq!(basic.status, 401);
    assert_eq!(basic.error_list()[0]["code"], "unauthorized");
}

#[tokio::test]
async fn a_bearer_user_is_the_v1_and_events_apis_user() {
    let server = DummyServer::start().await.unwrap();
    let client = server.client();
    let signed_up = UnixTime::from_unix(1671102883).unwrap();
    let john = client
        .contacts()
        .create("john.doe@example.com")
        .name("John Doe")
        .signed_up_at(signed_up)
        .send()
        .await
        .unwrap();

    // v1: the same user, by email; its `created_at` is the sign-up time.
    let v1 = client
        .users()
        .get(UserRef::email("john.doe@example.com"))
        .send()
        .await
        .unwrap();
    assert_eq!(v1.name.as_deref(), Some("John Doe"));
    assert_eq!(v1.created_at, Some(signed_up));
    // A v1 update shows through the Bearer API, and the v1 user_id is its external_id.
    client
        .users()
        .create(UserRef::both("25", "john.doe@example.com"))
        .name("Johnny")
        .send()
        .await
        .unwrap();
    let again = client.contacts().get(&john.id).send().await.unwrap();
    assert_eq!(again.name.as_deref(), Some("Johnny"));
    assert_eq!(again.external_id.as_deref(), Some("25"));
    // A second create with the same email updates, it does not duplicate.
    client
        .contacts()
        .create("john.doe@example.com")
        .name("John")
        .send()
        .await
        .unwrap();
    assert_eq!(server.state().user_count(), 1);

    // Events: the contact's id is the events API's Intercom id.
    let event = NewEvent::new("signed-in", EventUser::intercom_id(john.id.clone()));
    client.events().create(event).send().await.unwrap();
    assert_eq!(
        server
            .state()
            .event_count(&UserKey::email("john.doe@example.com")),
        1
    );
}

#[tokio::test]
async fn a_conversation_created_for_a_user_is_listed_read_back_and_deleted_with_them() {
    let server = DummyServer::start().await.unwrap();
    let client = server.client();
    let john = client
        .contacts()
        .create("john.doe@example.com")
        .send()
        .await
        .unwrap();
    let message = client
        .conversations()
        .create("814860", &john.id, "Hello, how can I assist you?")
        .assignee("814860")
        .send()
        .await
        .unwrap();
    let id = message.conversation_id.clone().expect("a conversation id");

    let conversation = client.conversations().get(&id).send().await.unwrap();
    let source = conversation.source.clone().unwrap();
    assert_eq!(source.body.as_deref(), Some("Hello, how can I assist you?"));
    assert_eq!(source.id, Some(message.id.clone()));
    assert_eq!(
        conversation.contacts.clone().unwrap().contacts.unwrap()[0].id,
        Some(john.id.clone())
    );
    let listed = client.conversations().list().collect_all().await.unwrap();
    assert_eq!(listed, vec![conversation.clone()]);
    let key = UserKey::email("john.doe@example.com");
    assert_eq!(server.state().conversations(&key), vec![conversation]);

    client
        .users()
        .delete(UserRef::email("john.doe@example.com"))
        .send()
        .await
        .unwrap();
    match client.conversations().get(&id).send().await {
        Err(Error::Api(api)) => assert_eq!(api.status.as_u16(), 404),
        other => panic!("expected a 404, got {other:?}"),
    }
    assert!(
        client
            .conversations()
            .list()
            .collect_all()
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn streams_follow_the_cursors_through_every_page() {
    let server = DummyServer::builder().seed_users(7).start().await.unwrap();
    let client = server.client();
    let users: Vec<_> = client
        .contacts()
        .list()
        .per_page(3)
        .stream()
        .try_collect()
        .await
        .unwrap();
    let emails: Vec<_> = users.iter().map(|u| u.email.clone().unwrap()).collect();
    let expected: Vec<_> = (1..=7).map(|i| format!("user{i}@example.com")).collect();
    assert_eq!(emails, expected);
    let first = client.contacts().list().per_page(3).send().await.unwrap();
    let pages = first.pages.unwrap();
    assert_eq!((pages.page, pages.total_pages), (Some(1), Some(3)));
    assert_eq!(first.total_count, Some(7));

    for user in &users[..5] {
        client
            .conversations()
            .create("1", &user.id, "hi")
            .send()
            .await
            .unwrap();
    }
    let pages: Vec<_> = client
        .conversations()
        .list()
        .per_page(2)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        pages
            .iter()
            .map(|p| p.conversations.len())
            .collect::<Vec<_>>(),
        [2, 2, 1]
    );
    assert!(pages[2].pages.as_ref().unwrap().next.is_none());
    let served = server.log().matching("GET", "/conversations").len();
    assert_eq!(served, 3);
}

#[tokio::test]
async fn per_page_out_of_bounds_is_refused_before_sending() {
    let server = DummyServer::start().await.unwrap();
    let client = server.client();
    for per_page in [0, 151] {
        match client
            .conversations()
            .list()
            .per_page(per_page)
            .send()
            .await
        {
            Err(Error::InvalidRequest { operation, message }) => {
                assert_eq!(operation, "list_conversations");
                assert!(message.contains("per_page"), "{message}");
            }
            other => panic!("expected InvalidRequest, got {other:?}"),
        }
    }
    assert!(server.log().entries().is_empty());
}

#[tokio::test]
async fn a_user_upsert_is_replayed_after_a_5xx_a_message_is_not() {
    use intercom_dummy::Fault;
    let server = DummyServer::start().await.unwrap();
    let client = server.client();
    // The upsert was applied, then the answer lost to a 503: sent again, still one user.
    server
        .faults()
        .inject(Fault::Status(503).on("POST", "/users").after_processing());
    let john = client
        .contacts()
        .create("john@example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(server.log().matching("POST", "/users").len(), 2);
    assert_eq!(server.state().user_count(), 1);

    // The message was sent, then the answer lost: not sent again, so one conversation.
    server.faults().inject(
        Fault::Status(503)
            .on("POST", "/messages")
            .after_processing(),
    );
    match client
        .conversations()
        .create("1", &john.id, "hi")
        .send()
        .await
    {
        Err(Error::Api(api)) => assert_eq!(api.status.as_u16(), 503),
        other => panic!("expected the 503, got {other:?}"),
    }
    assert_eq!(server.log().matching("POST", "/messages").len(), 1);
    let key = UserKey::email("john@example.com");
    assert_eq!(server.state().conversations(&key).len(), 1);
}
