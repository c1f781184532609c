//! The dummy server's tags, notes and impressions, over HTTP as the documents' curl examples
//! send them, and through the generated client.

use crate::support::{dummy_http::Api, fixtures::fixture};
use intercom_api::{schema, types};
use intercom_dummy::{DummyServer, UserKey};
use serde_json::json;

#[tokio::test]
async fn the_docs_tag_examples() {
    let api = Api::start().await;
    // POST /v1/tags naming users that do not exist: the tag is created, nobody is tagged.
    let created = api
        .post("/v1/tags", &fixture("createTag.request.json"))
        .await;
    assert_eq!(created.status, 200, "{}", created.text);
    schema::validate_response("createTag", 200, &created.json).unwrap();
    assert_eq!(created.json["name"], "Free Trial");
    assert_eq!(created.json["color"], "green", "the default colour");
    assert_eq!(created.json["segment"], false);
    assert_eq!(created.json["tagged_user_count"], 0);
    assert!(created.json["id"].is_string());

    // curl -s "https://api.intercom.io/v1/tags/?name=Free%20Trial"
    let got = api.get("/v1/tags/?name=Free%20Trial").await;
    assert_eq!(got.status, 200);
    assert_eq!(got.json, created.json);

    let updated = api
        .put("/v1/tags", &fixture("updateTag.request.json"))
        .await;
    assert_eq!(updated.status, 200, "{}", updated.text);
    assert_eq!(updated.json["id"], created.json["id"], "the same tag");
    assert_eq!(api.server.state().tags().len(), 1);
}

#[tokio::test]
async fn tagging_and_untagging_by_user_ids_and_emails() {
    let api = Api::start_with(DummyServer::builder().seed_users(4)).await;
    let tag = api
        .post(
            "/v1/tags",
            &json!({
                "name": "VIP", "color": "purple", "tag_or_untag": "tag",
                "user_ids": ["1", "2", "nobody"], "emails": ["user3@example.com"],
            }),
        )
        .await;
    assert_eq!(tag.json["tagged_user_count"], 3);
    assert_eq!(tag.json["color"], "purple");

    let untagged = api
        .put(
            "/v1/tags",
            &json!({"name": "VIP", "tag_or_untag": "untag", "emails": ["user1@example.com"], "color": "teal"}),
        )
        .await;
    assert_eq!(untagged.json["tagged_user_count"], 2);
    assert_eq!(untagged.json["color"], "teal");

    // Creating again with the same name is harmless (a retried create) and can tag more.
    let again = api
        .post(
            "/v1/tags",
            &json!({"name": "VIP", "user_ids": ["4"], "tag_or_untag": "tag"}),
        )
        .await;
    assert_eq!(again.json["tagged_user_count"], 3);
    assert_eq!(again.json["id"], tag.json["id"]);
    assert_eq!(again.json["color"], "teal", "kept when not sent");

    let state = api.server.state();
    assert_eq!(state.user(&UserKey::user_id("2")).unwrap().tags, ["VIP"]);
    assert!(state.user(&UserKey::user_id("1")).unwrap().tags.is_empty());
    assert_eq!(state.tag("VIP").unwrap().tagged_user_count, Some(3));
}

#[tokio::test]
async fn tag_errors() {
    let api = Api::start().await;
    let missing = api.get("/v1/tags?name=Nope").await;
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.v1_error(),
        ("not_found".to_string(), "The Tag was not found".to_string())
    );
    let no_name = api.get("/v1/tags").await;
    assert_eq!(no_name.status, 400);
    assert!(
        no_name.v1_error().1.contains("`name` is required"),
        "{}",
        no_name.text
    );
    let update_missing = api.put("/v1/tags", &json!({"name": "Nope"})).await;
    assert_eq!(update_missing.status, 404);

    for (body, named) in [
        (json!({"name": "T", "color": "pink"}), "/color"),
        (
            json!({"name": "T", "user_ids": ["1"]}),
            "`tag_or_untag` is required when `user_ids`",
        ),
        (
            json!({"name": "T", "user_ids": ["1"], "tag_or_untag": "untag"}),
            "/tag_or_untag",
        ),
        (json!({"color": "red"}), "`name` is required"),
        (
            json!({"name": "T", "user_ids": "1", "tag_or_untag": "tag"}),
            "/user_ids",
        ),
    ] {
        let answer = api.post("/v1/tags", &body).await;
        assert_eq!(answer.status, 400, "{body}");
        let message = answer.v1_error().1;
        assert!(message.contains(named), "{body}: {message}");
    }
    assert!(api.server.state().tags().is_empty());
}

#[tokio::test]
async fn the_docs_note_example_wraps_the_body_and_returns_the_user() {
    let api = Api::start().await;
    api.create_user(json!({"email": "ben@intercom.io", "user_id": "123", "name": "Ben"}))
        .await;
    let note = api
        .post("/v1/users/notes", &fixture("createNote.request.json"))
        .await;
    assert_eq!(note.status, 200, "{}", note.text);
    schema::validate_response("createNote", 200, &note.json).unwrap();
    assert_eq!(note.json["html"], "<p>This is the text of my note.</p>");
    assert!(note.json["created_at"].is_i64());
    assert_eq!(note.json["user"]["user_id"], "123");
    assert_eq!(note.json["user"]["name"], "Ben");

    api.post(
        "/v1/users/notes/",
        &json!({"user_id": "123", "body": "Second"}),
    )
    .await;
    let notes = api.server.state().notes(&UserKey::email("ben@intercom.io"));
    let html: Vec<&str> = notes.iter().map(|n| n.html.as_str()).collect();
    assert_eq!(
        html,
        ["<p>This is the text of my note.</p>", "<p>Second</p>"]
    );

    let unknown = api
        .post(
            "/v1/users/notes",
            &json!({"email": "nobody@example.com", "body": "x"}),
        )
        .await;
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.v1_error().1, "The User was not found");
    let no_body = api
        .post("/v1/users/notes", &json!({"email": "ben@intercom.io"}))
        .await;
    assert_eq!(no_body.status, 400);
    assert!(no_body.v1_error().1.contains("`body` is required"));
    assert_eq!(api.server.state().counts().notes, 2);
}

#[tokio::test]
async fn impressions_record_the_visit_and_count_unread_threads() {
    let api = Api::start().await;
    api.create_user(json!({"email": "ben@intercom.io", "user_id": "1", "last_seen_ip": "1.1.1.1"}))
        .await;
    let first = api
        .post(
            "/v1/users/impressions",
            &fixture("createImpression.request.json"),
        )
        .await;
    assert_eq!(first.status, 200, "{}", first.text);
    assert_eq!(first.json, json!({"unread_messages": 0}));

    let visit = json!({
        "user_id": "1", "user_ip": "2.2.2.2",
        "user_agent": "my-awesome-android-app-v0.0.1", "current_url": "http://example.com/a",
    });
    api.post("/v1/users/impressions", &visit).await;
    let user = api
        .server
        .state()
        .user(&UserKey::user_id("1"))
        .unwrap()
        .user;
    assert_eq!(user.last_seen_ip.as_deref(), Some("2.2.2.2"));
    assert_eq!(
        user.last_seen_user_agent.as_deref(),
        Some("my-awesome-android-app-v0.0.1")
    );
    assert!(user.last_impression_at.is_some());

    let thread = api
        .post(
            "/v1/users/message_threads",
            &json!({"user_id": "1", "body": "Hi"}),
        )
        .await;
    let thread_id = thread.json["thread_id"].as_i64().unwrap();
    api.put(
        "/v1/users/message_threads",
        &json!({"user_id": "1", "thread_id": thread_id, "read": false}),
    )
    .await;
    let unread = api
        .post("/v1/users/impressions", &json!({"user_id": "1"}))
        .await;
    assert_eq!(unread.json["unread_messages"], 1);

    let unknown = api
        .post("/v1/users/impressions", &json!({"user_id": "nobody"}))
        .await;
    assert_eq!(unknown.status, 404);
}

#[tokio::test]
async fn the_generated_client_works_against_it() {
    let api = Api::start_with(DummyServer::builder().seed_users(2)).await;
    let client = api.generated_client();
    let tag = types::TagCreateRequest::builder()
        .name("Free Trial")
        .user_ids(vec!["1".to_string()])
        .tag_or_untag(Some(types::TagCreateRequestTagOrUntag::Tag))
        .color(Some(types::TagColor::Red));
    let created = client.create_tag().body(tag).send().await.unwrap();
    assert_eq!(created.tagged_user_count, Some(1));
    assert_eq!(created.color.as_deref(), Some("red"));
    let got = client.get_tag().name("Free Trial").send().await.unwrap();
    assert_eq!(got.into_inner(), created.into_inner());
    let update = types::TagUpdateRequest::builder()
        .name("Free Trial")
        .emails(vec!["user2@example.com".to_string()])
        .tag_or_untag(Some(types::TagOrUntag::Tag));
    let updated = client.update_tag().body(update).send().await.unwrap();
    assert_eq!(updated.tagged_user_count, Some(2));

    let note = types::NoteRequest::builder()
        .user_id(Some("2".to_string()))
        .body("Called about the invoice");
    let note = client.create_note().body(note).send().await.unwrap();
    assert_eq!(note.html, "<p>Called about the invoice</p>");
    assert_eq!(
        note.user.as_ref().and_then(|u| u.email.as_deref()),
        Some("user2@example.com")
    );

    let impression =
        types::ImpressionRequest::builder().email(Some("user1@example.com".to_string()));
    let impression = client
        .create_impression()
        .body(impression)
        .send()
        .await
        .unwrap();
    assert_eq!(impression.unread_messages, 0);
}
