//! Impressions (`/v1/users/impressions`).

use intercom_api::types;
use serde_json::json;

use super::ben;
use crate::support::{
    fixtures::{decode, fixture},
    mock::{assert_sent, client_answering, raw_client_answering},
};

// The request each operation of the generated client sends, and its documented answer.

#[tokio::test]
async fn create_impression() {
    let request = fixture("createImpression.request.json");
    let (server, client) =
        raw_client_answering(200, Some(fixture("createImpression.response.json"))).await;
    let body: types::ImpressionRequest = decode(request.clone());
    let impression = client.create_impression().body(body).send().await.unwrap();
    assert_sent(&server, "POST", "/v1/users/impressions", &[], Some(request)).await;
    assert_eq!(impression.unread_messages, 1);
}

// The handle, `client.impressions()`.

#[tokio::test]
async fn impressions_create() {
    let (server, client) =
        client_answering(200, Some(fixture("createImpression.response.json"))).await;
    let seen = client
        .impressions()
        .create(ben())
        .user_ip("1.2.3.4")
        .user_agent("my-awesome-android-app-v0.0.1")
        .current_url("https://example.org/pricing")
        .send()
        .await
        .unwrap();
    assert_eq!(seen.unread_messages, 1);
    let body = json!({
        "email": "ben@intercom.io", "user_ip": "1.2.3.4",
        "user_agent": "my-awesome-android-app-v0.0.1", "current_url": "https://example.org/pricing"
    });
    assert_sent(&server, "POST", "/v1/users/impressions", &[], Some(body)).await;
}
