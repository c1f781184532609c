//! Tags (`/v1/tags`): get by name, create, update, tag and untag users.

use intercom_api::{UserRef, types};
use serde_json::json;

use super::ben;
use crate::support::{
    fixtures::{decode, fixture},
    mock::{assert_sent, client_answering, raw_client_answering},
};

// The request each operation of the generated client sends, and its documented answer.

#[tokio::test]
async fn get_tag_by_name() {
    let (server, client) = raw_client_answering(200, Some(fixture("getTag.response.json"))).await;
    let tag = client.get_tag().name("Free Trial").send().await.unwrap();
    assert_sent(&server, "GET", "/v1/tags", &[("name", "Free Trial")], None).await;
    assert_eq!(tag.color.as_deref(), Some("green"));
    assert_eq!(tag.id, None);
}

#[tokio::test]
async fn create_tag() {
    let request = fixture("createTag.request.json");
    let (server, client) =
        raw_client_answering(200, Some(fixture("createTag.response.json"))).await;
    let body: types::TagCreateRequest = decode(request.clone());
    let tag = client.create_tag().body(body).send().await.unwrap();
    assert_sent(&server, "POST", "/v1/tags", &[], Some(request)).await;
    assert_eq!(tag.name, "Free Trial");
}

#[tokio::test]
async fn update_tag() {
    let request = fixture("updateTag.request.json");
    let (server, client) =
        raw_client_answering(200, Some(fixture("updateTag.response.json"))).await;
    let body: types::TagUpdateRequest = decode(request.clone());
    client.update_tag().body(body).send().await.unwrap();
    assert_sent(&server, "PUT", "/v1/tags", &[], Some(request)).await;
}

// The handle, `client.tags()`.

#[tokio::test]
async fn tags_get_create_update() {
    let (server, client) = client_answering(200, Some(fixture("getTag.response.json"))).await;
    client.tags().get("Free Trial").send().await.unwrap();
    assert_sent(&server, "GET", "/v1/tags", &[("name", "Free Trial")], None).await;

    let (server, client) = client_answering(200, Some(fixture("createTag.response.json"))).await;
    client
        .tags()
        .create("Free Trial")
        .users([UserRef::user_id("abc123"), UserRef::user_id("def456")])
        .send()
        .await
        .unwrap();
    let body = fixture("createTag.request.json");
    assert_sent(&server, "POST", "/v1/tags", &[], Some(body)).await;

    let (server, client) = client_answering(200, Some(fixture("updateTag.response.json"))).await;
    client
        .tags()
        .update("Free Trial")
        .color(types::TagColor::Red)
        .send()
        .await
        .unwrap();
    let body = json!({"name": "Free Trial", "color": "red"});
    assert_sent(&server, "PUT", "/v1/tags", &[], Some(body)).await;
}

#[tokio::test]
async fn tags_tag_and_untag_users_by_user_id_or_email() {
    let users = || {
        [
            UserRef::user_id("abc123"),
            ben(),
            UserRef::both("def456", "d@example.com"),
        ]
    };
    let (server, client) = client_answering(200, Some(fixture("updateTag.response.json"))).await;
    client
        .tags()
        .tag_users("Free Trial", users())
        .send()
        .await
        .unwrap();
    let body = json!({
        "name": "Free Trial", "tag_or_untag": "tag",
        "user_ids": ["abc123", "def456"], "emails": ["ben@intercom.io"]
    });
    assert_sent(&server, "PUT", "/v1/tags", &[], Some(body)).await;

    let (server, client) = client_answering(200, Some(fixture("updateTag.response.json"))).await;
    client
        .tags()
        .untag_users("Free Trial", users())
        .send()
        .await
        .unwrap();
    let body = json!({
        "name": "Free Trial", "tag_or_untag": "untag",
        "user_ids": ["abc123", "def456"], "emails": ["ben@intercom.io"]
    });
    assert_sent(&server, "PUT", "/v1/tags", &[], Some(body)).await;
}
