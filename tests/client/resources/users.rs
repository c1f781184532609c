//! The v1 users (`/v1/users`): list, get, create (upsert), update, delete.

use std::num::NonZeroU64;

use intercom_api::{UserRef, time::UnixTime, types};
use serde_json::json;

use super::ben;
use crate::support::{
    fixtures::{decode, fixture},
    mock::{assert_sent, client_answering, raw_client_answering},
};

// The request each operation of the generated client sends, and its documented answer.

#[tokio::test]
async fn list_users() {
    let page = fixture("listUsers.response.completed.json");
    let (server, client) = raw_client_answering(200, Some(page.clone())).await;
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
    let (server, client) =
        raw_client_answering(200, Some(fixture("listUsers.response.completed.json"))).await;
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
    let (server, client) = raw_client_answering(200, Some(user.clone())).await;
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
    let (server, client) = raw_client_answering(200, Some(fixture("getUser.response.json"))).await;
    client.get_user().user_id("123").send().await.unwrap();
    assert_sent(&server, "GET", "/v1/users/", &[("user_id", "123")], None).await;
}

#[tokio::test]
async fn create_user() {
    let request = fixture("createUser.request.json");
    let response = fixture("createUser.response.json");
    let (server, client) = raw_client_answering(200, Some(response.clone())).await;
    let body: types::UserRequest = decode(request.clone());
    let user = client.create_user().body(body).send().await.unwrap();
    assert_sent(&server, "POST", "/v1/users", &[], Some(request)).await;
    assert_eq!(user.into_inner(), decode::<types::User>(response));
}

#[tokio::test]
async fn create_user_answered_with_201() {
    let (_server, client) =
        raw_client_answering(201, Some(fixture("createUser.response.json"))).await;
    let body: types::UserRequest = decode(fixture("createUser.request.json"));
    let user = client.create_user().body(body).send().await.unwrap();
    assert_eq!(user.status().as_u16(), 201);
    assert_eq!(user.email.as_deref(), Some("ben@intercom.io"));
}

#[tokio::test]
async fn update_user() {
    let request = fixture("updateUser.request.json");
    let (server, client) =
        raw_client_answering(200, Some(fixture("updateUser.response.json"))).await;
    let body: types::UserRequest = decode(request.clone());
    let user = client.update_user().body(body).send().await.unwrap();
    assert_sent(&server, "PUT", "/v1/users", &[], Some(request)).await;
    assert_eq!(user.name.as_deref(), Some("Benjamin McRedmond"));
}

#[tokio::test]
async fn delete_user_sends_a_json_body() {
    let request = fixture("deleteUser.request.json");
    let (server, client) =
        raw_client_answering(200, Some(fixture("deleteUser.response.json"))).await;
    let body: types::UserIdentity = decode(request.clone());
    let user = client.delete_user().body(body).send().await.unwrap();
    assert_sent(&server, "DELETE", "/v1/users", &[], Some(request)).await;
    assert_eq!(user.user_id.as_deref(), Some("7902"));
}

// The handle, `client.users()`.

#[tokio::test]
async fn users_list_one_page_with_filters() {
    let (server, client) =
        client_answering(200, Some(fixture("listUsers.response.completed.json"))).await;
    let page = client
        .users()
        .list()
        .per_page(3)
        .tag_name("Free Trial")
        .send()
        .await
        .unwrap();
    assert_eq!(page.users.len(), 3);
    let query = [("per_page", "3"), ("tag_name", "Free Trial")];
    assert_sent(&server, "GET", "/v1/users", &query, None).await;
}

#[tokio::test]
async fn users_list_refuses_out_of_range_page_sizes_before_sending() {
    let (server, client) =
        client_answering(200, Some(fixture("listUsers.response.completed.json"))).await;
    let error = client
        .users()
        .list()
        .per_page(501)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "list_users was not sent: per_page is at most 500"
    );
    let error = client.users().list().page(0).send().await.unwrap_err();
    assert!(
        matches!(error, intercom_api::Error::InvalidRequest { .. }),
        "{error:?}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn users_get_by_email_and_by_user_id() {
    let (server, client) = client_answering(200, Some(fixture("getUser.response.json"))).await;
    let user = client.users().get(ben()).send().await.unwrap();
    assert_eq!(user.name.as_deref(), Some("Ben"));
    assert_sent(
        &server,
        "GET",
        "/v1/users/",
        &[("email", "ben@intercom.io")],
        None,
    )
    .await;

    let (server, client) = client_answering(200, Some(fixture("getUser.response.json"))).await;
    client
        .users()
        .get(UserRef::user_id("123"))
        .send()
        .await
        .unwrap();
    assert_sent(&server, "GET", "/v1/users/", &[("user_id", "123")], None).await;
}

#[tokio::test]
async fn users_create_sends_the_docs_example() {
    let (server, client) = client_answering(200, Some(fixture("createUser.response.json"))).await;
    let company: types::Company = serde_json::from_value(json!({
        "id": 6, "name": "Intercom", "created_at": 103201, "plan": "Messaging", "monthly_spend": 50
    }))
    .unwrap();
    let user = client
        .users()
        .create(UserRef::both("7902", "ben@intercom.io"))
        .name("Ben McRedmond")
        .created_at(UnixTime::from_unix(1257553080).unwrap())
        .custom_attribute("plan", "pro")
        .last_seen_ip("1.2.3.4")
        .last_seen_user_agent("ie6")
        .company(company)
        .last_request_at(UnixTime::from_unix(1300000000).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(user.user_id.as_deref(), Some("7902"));
    let body = fixture("createUser.request.json");
    assert_sent(&server, "POST", "/v1/users", &[], Some(body)).await;
}

#[tokio::test]
async fn users_update_and_delete() {
    let (server, client) = client_answering(200, Some(fixture("updateUser.response.json"))).await;
    client
        .users()
        .update(ben())
        .name("Benjamin McRedmond")
        .send()
        .await
        .unwrap();
    let body = fixture("updateUser.request.json");
    assert_sent(&server, "PUT", "/v1/users", &[], Some(body)).await;

    let (server, client) = client_answering(200, Some(fixture("deleteUser.response.json"))).await;
    let deleted = client
        .users()
        .delete(UserRef::both("7902", "ben@intercom.io"))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.email.as_deref(), Some("ben@intercom.io"));
    let body = fixture("deleteUser.request.json");
    assert_sent(&server, "DELETE", "/v1/users", &[], Some(body)).await;
}
