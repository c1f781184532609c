//! Conversations (`/conversations`, and `POST /messages` to start one): list, get, create.

use std::num::NonZeroU64;

use intercom_api::types;

use crate::support::{
    fixtures::{decode, fixture},
    mock::{assert_sent, raw_client_answering},
};

// The request each operation of the generated client sends, and its documented answer.

#[tokio::test]
async fn list_conversations() {
    let page = fixture("listConversations.response.completed.json");
    let (server, client) = raw_client_answering(200, Some(page.clone())).await;
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
    let (server, client) = raw_client_answering(200, Some(conversation.clone())).await;
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
    let (server, client) = raw_client_answering(200, Some(response.clone())).await;
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
