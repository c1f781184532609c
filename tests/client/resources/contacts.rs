//! The Bearer users of the blog (`/users`): list, list after a cursor, get, create.

use std::num::NonZeroU64;

use intercom_api::types;
use serde_json::Value;

use crate::support::{
    fixtures::{decode, fixture},
    mock::{assert_sent, raw_client_answering},
};

// The request each operation of the generated client sends, and its documented answer.

#[tokio::test]
async fn list_contacts() {
    let page = fixture("listContacts.response.completed.json");
    let (server, client) = raw_client_answering(200, Some(page.clone())).await;
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
    let (server, client) =
        raw_client_answering(200, Some(fixture("listContacts.response.completed.json"))).await;
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
    let (server, client) = raw_client_answering(200, Some(user.clone())).await;
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
    let (server, client) =
        raw_client_answering(200, Some(fixture("createContact.response.completed.json"))).await;
    let body: types::ContactRequest = decode(request.clone());
    let user = client.create_contact().body(body).send().await.unwrap();
    let sent = assert_sent(&server, "POST", "/users", &[], Some(request)).await;
    let sent: Value = serde_json::from_slice(&sent.body).unwrap();
    assert_eq!(sent["signed_up_at"], 1671102883);
    assert_eq!(user.email.as_deref(), Some("john.doe@example.com"));
}
