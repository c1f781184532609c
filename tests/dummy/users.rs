//! The dummy server's users: create (upsert), get, update, delete, list with pages and tag
//! filters, over HTTP as the documents' curl examples send them, and through the generated
//! client.

use std::num::NonZeroU64;

use crate::support::{
    dummy_http::{Answer, Api, answer_to},
    fixtures::fixture,
};
use intercom_api::{schema, types};
use intercom_dummy::{DummyServer, UserKey};
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::test]
async fn the_docs_create_example_stores_the_user_as_sent() {
    let api = Api::start().await;
    // curl -s "https://api.intercom.io/v1/users" -X POST -u dummy-app-id:dummy-api-key
    //   -H "Content-Type: application/json" --data '{...}'
    let created = api
        .post("/v1/users", &fixture("createUser.request.json"))
        .await;
    assert_eq!(created.status, 200, "{}", created.text);
    assert_eq!(
        created.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    schema::validate_response("createUser", 200, &created.json).expect("a valid User");
    let user = &created.json;
    assert_eq!(user["email"], "ben@intercom.io");
    assert_eq!(user["user_id"], "7902");
    assert_eq!(user["name"], "Ben McRedmond");
    assert_eq!(user["created_at"], 1257553080);
    assert_eq!(user["custom_data"], json!({"plan": "pro"}));
    assert_eq!(user["last_seen_ip"], "1.2.3.4");
    assert_eq!(user["last_seen_user_agent"], "ie6");
    assert_eq!(
        user["last_impression_at"], 1300000000,
        "last_request_at sets it"
    );
    assert!(
        user.get("companies").is_none(),
        "companies are not returned"
    );

    let stored = api
        .server
        .state()
        .user(&UserKey::email("ben@intercom.io"))
        .expect("stored");
    assert_eq!(stored.companies.len(), 1);
    assert_eq!(stored.companies[0].name.as_deref(), Some("Intercom"));
    assert_eq!(stored.intercom_id.len(), 24);
    assert!(stored.intercom_id.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(serde_json::to_value(&stored.user).unwrap(), *user);
}

#[tokio::test]
async fn post_is_an_upsert_by_user_id_or_email() {
    let api = Api::start().await;
    api.create_user(json!({"user_id": "1", "name": "First", "custom_data": {"a": 1, "b": 2}}))
        .await;
    // Same user_id: updated, email added, custom_data merged key by key.
    let updated = api
        .create_user(json!({"user_id": "1", "email": "one@example.com", "custom_data": {"b": 3}}))
        .await;
    assert_eq!(updated["name"], "First");
    assert_eq!(updated["email"], "one@example.com");
    assert_eq!(updated["custom_data"], json!({"a": 1, "b": 3}));
    // By email alone: the same user again.
    let renamed = api
        .create_user(json!({"email": "one@example.com", "name": "Uno"}))
        .await;
    assert_eq!(renamed["user_id"], "1");
    assert_eq!(api.server.state().user_count(), 1);

    // An email-only user gets a user_id when one is sent with its email.
    api.create_user(json!({"email": "two@example.com"})).await;
    let keyed = api
        .create_user(json!({"email": "two@example.com", "user_id": "2"}))
        .await;
    assert_eq!(keyed["user_id"], "2");
    assert_eq!(api.server.state().user_count(), 2);
    assert!(api.server.state().user(&UserKey::user_id("2")).is_some());
}

#[tokio::test]
async fn identifiers_of_two_different_users_are_refused_with_402() {
    let api = Api::start().await;
    api.create_user(json!({"user_id": "1", "email": "one@example.com"}))
        .await;
    api.create_user(json!({"user_id": "2", "email": "two@example.com"}))
        .await;
    let before = api.server.state().snapshot();
    for body in [
        json!({"user_id": "1", "email": "two@example.com"}),
        json!({"user_id": "3", "email": "two@example.com"}),
    ] {
        let answer = api.post("/v1/users", &body).await;
        assert_eq!(answer.status, 402, "{body}: {}", answer.text);
        let (kind, message) = answer.v1_error();
        assert_eq!(kind, "request_failed");
        assert!(message.contains("two@example.com"), "{message}");
    }
    assert_eq!(api.server.state().snapshot(), before);
}

#[tokio::test]
async fn put_updates_an_existing_user_only() {
    let api = Api::start().await;
    api.create_user(fixture("createUser.request.json")).await;
    // The docs' update: by email, a new name.
    let answer = api
        .put("/v1/users", &fixture("updateUser.request.json"))
        .await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(answer.json["name"], "Benjamin McRedmond");
    assert_eq!(answer.json["user_id"], "7902", "the other fields stay");

    // By user_id, a new email: the old one no longer finds the user.
    let moved = api
        .put(
            "/v1/users",
            &json!({"user_id": "7902", "email": "ben@example.com"}),
        )
        .await;
    assert_eq!(moved.json["email"], "ben@example.com");
    assert_eq!(api.get("/v1/users?email=ben@intercom.io").await.status, 404);
    assert_eq!(api.get("/v1/users?email=ben@example.com").await.status, 200);

    let missing = api
        .put(
            "/v1/users",
            &json!({"email": "nobody@example.com", "name": "X"}),
        )
        .await;
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.json,
        json!({"error": {"type": "not_found", "message": "The User was not found"}})
    );
    assert_eq!(api.server.state().user_count(), 1);
}

#[tokio::test]
async fn get_one_user_by_email_or_user_id_with_or_without_the_slash() {
    let api = Api::start().await;
    api.create_user(json!({"email": "ben+tag@intercom.io", "user_id": "123", "name": "Ben"}))
        .await;
    for path in [
        "/v1/users/?email=ben%2Btag@intercom.io",
        "/v1/users?email=ben%2Btag%40intercom.io",
        "/v1/users/?user_id=123",
        "/v1/users?user_id=123",
        "/v1/users?user_id=123&email=someone-else@example.com",
    ] {
        let answer = api.get(path).await;
        assert_eq!(answer.status, 200, "{path}: {}", answer.text);
        assert_eq!(answer.json["name"], "Ben", "{path}");
        schema::validate_response("getUser", 200, &answer.json).unwrap();
    }
    for path in [
        "/v1/users/?email=nobody@intercom.io",
        "/v1/users?user_id=999",
    ] {
        let answer = api.get(path).await;
        assert_eq!(answer.status, 404, "{path}");
        assert_eq!(
            answer.json,
            json!({"error": {"type": "not_found", "message": "The User was not found"}}),
            "exactly the documented object"
        );
    }
}

#[tokio::test]
async fn lists_pages_of_users_in_creation_order() {
    let api = Api::start_with(DummyServer::builder().seed_users(7)).await;
    let page = async |n: u32| api.get(&format!("/v1/users/?per_page=3&page={n}")).await;
    let first = page(1).await;
    assert_eq!(first.status, 200, "{}", first.text);
    schema::validate_response("listUsers", 200, &first.json).unwrap();
    let emails = |answer: &Answer| -> Vec<String> {
        answer.json["users"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["email"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        emails(&first),
        [
            "user1@example.com",
            "user2@example.com",
            "user3@example.com"
        ]
    );
    assert_eq!(first.json["total_count"], 7);
    assert_eq!(first.json["total_pages"], 3);
    assert_eq!(first.json["page"], 1);
    assert_eq!(first.json["next_page"], 2);
    assert_eq!(first.json["previous_page"], Value::Null);

    let last = page(3).await;
    assert_eq!(emails(&last), ["user7@example.com"]);
    assert_eq!(last.json["next_page"], Value::Null);
    assert_eq!(last.json["previous_page"], 2);

    let beyond = page(4).await;
    assert_eq!(emails(&beyond), Vec::<String>::new());
    assert_eq!(beyond.json["total_count"], 7);
}

#[tokio::test]
async fn per_page_defaults_to_500_and_refuses_more() {
    let api = Api::start_with(DummyServer::builder().seed_users(1_234)).await;
    let all = api.get("/v1/users").await;
    assert_eq!(all.json["users"].as_array().unwrap().len(), 500);
    assert_eq!(all.json["total_pages"], 3);
    let third = api.get("/v1/users?page=3").await;
    assert_eq!(third.json["users"].as_array().unwrap().len(), 234);

    for (query, field) in [
        ("per_page=501", "/per_page"),
        ("per_page=0", "/per_page"),
        ("page=0", "/page"),
        ("page=first", "/page"),
    ] {
        let answer = api.get(&format!("/v1/users?{query}")).await;
        assert_eq!(answer.status, 400, "{query}");
        let (kind, message) = answer.v1_error();
        assert_eq!(kind, "bad_request");
        assert!(message.contains(field), "{query}: {message}");
    }
}

#[tokio::test]
async fn lists_filter_by_tag_id_or_name() {
    let api = Api::start_with(DummyServer::builder().seed_users(5)).await;
    let tag = api
        .post(
            "/v1/tags",
            &json!({"name": "VIP", "user_ids": ["2", "4"], "tag_or_untag": "tag"}),
        )
        .await;
    let id = tag.json["id"].as_str().unwrap().to_string();
    for query in [
        "tag_name=VIP".to_string(),
        format!("tag_id={id}"),
        format!("tag_id={id}&tag_name=VIP"),
    ] {
        let answer = api.get(&format!("/v1/users?{query}")).await;
        let ids: Vec<&str> = answer.json["users"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["user_id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["2", "4"], "{query}");
        assert_eq!(answer.json["total_count"], 2);
    }
    for query in [
        "tag_name=Nobody",
        "tag_id=999",
        "tag_id=abc",
        "tag_name=VIP&tag_id=999",
    ] {
        let answer = api.get(&format!("/v1/users?{query}")).await;
        assert_eq!(answer.status, 200);
        assert_eq!(answer.json["total_count"], 0, "{query}");
    }
}

#[tokio::test]
async fn delete_takes_identifiers_in_a_body_or_the_query_and_removes_what_belongs_to_the_user() {
    let api = Api::start().await;
    api.create_user(fixture("createUser.request.json")).await;
    api.post(
        "/v1/users/notes",
        &json!({"email": "ben@intercom.io", "body": "a note"}),
    )
    .await;
    api.post(
        "/v1/users/message_threads",
        &json!({"user_id": "7902", "body": "Hello"}),
    )
    .await;
    api.post_event(&json!({"event_name": "x", "created_at": 1, "user_id": "7902"}))
        .await;
    api.post(
        "/v1/tags",
        &json!({"name": "T", "user_ids": ["7902"], "tag_or_untag": "tag"}),
    )
    .await;
    let counts = api.server.state().counts();
    assert_eq!((counts.notes, counts.threads, counts.events), (1, 1, 1));

    // The docs: DELETE with a JSON body naming both identifiers.
    let deleted = api
        .send(
            Method::DELETE,
            "/v1/users",
            &fixture("deleteUser.request.json"),
        )
        .await;
    assert_eq!(deleted.status, 200, "{}", deleted.text);
    assert_eq!(
        deleted.json["name"], "Ben McRedmond",
        "the deleted user is returned"
    );
    let counts = api.server.state().counts();
    assert_eq!(
        (counts.users, counts.notes, counts.threads, counts.events),
        (0, 0, 0, 0)
    );
    assert_eq!(
        api.server.state().tag("T").unwrap().tagged_user_count,
        Some(0)
    );

    let again = api
        .send(
            Method::DELETE,
            "/v1/users",
            &fixture("deleteUser.request.json"),
        )
        .await;
    assert_eq!(again.status, 404);
    assert_eq!(again.v1_error().1, "The User was not found");

    // Old clients put the identifiers in the query string.
    api.create_user(json!({"user_id": "8", "email": "eight@example.com"}))
        .await;
    let by_query =
        answer_to(api.basic(Method::DELETE, "/v1/users/?email=eight%40example.com")).await;
    assert_eq!(by_query.status, 200, "{}", by_query.text);
    assert_eq!(by_query.json["user_id"], "8");
    let nothing = answer_to(api.basic(Method::DELETE, "/v1/users")).await;
    assert_eq!(nothing.status, 400);
    assert!(
        nothing.v1_error().1.contains("`user_id`"),
        "{}",
        nothing.text
    );
}

#[tokio::test]
async fn explicit_nulls_are_accepted_as_absent() {
    let api = Api::start().await;
    let answer = api
        .post(
            "/v1/users",
            &json!({
                "email": "ben@intercom.io", "user_id": null, "name": null,
                "created_at": null, "custom_data": {"plan": null}, "companies": null,
            }),
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert_eq!(
        answer.json["custom_data"],
        json!({"plan": null}),
        "kept as sent"
    );
    assert!(answer.json.get("user_id").is_none());
}

#[tokio::test]
async fn invalid_bodies_are_refused_with_the_field_named_and_change_nothing() {
    let api = Api::start_with(DummyServer::builder().seed_users(2)).await;
    let before = api.server.state().snapshot();
    let cases = [
        (json!({"name": "No identifier"}), "`user_id`, `email`"),
        (
            json!({"email": "a@b", "created_at": "yesterday"}),
            "/created_at",
        ),
        (json!({"email": 42}), "/email"),
        (json!({"email": "a@b", "custom_data": []}), "/custom_data"),
        (
            json!({"email": "a@b", "companies": [{"id": true}]}),
            "/companies/0/id",
        ),
        (json!(["email", "a@b"]), "object"),
        (json!({"email": "a@b", "created_at": 1e300}), "created_at"),
    ];
    for (body, named) in cases {
        let answer = api.post("/v1/users", &body).await;
        assert_eq!(answer.status, 400, "{body}: {}", answer.text);
        let (kind, message) = answer.v1_error();
        assert_eq!(kind, "bad_request");
        assert!(message.contains(named), "{body}: {message}");
    }
    let not_json = answer_to(
        api.basic(Method::POST, "/v1/users")
            .header("content-type", "application/json")
            .body("{\"email\": "),
    )
    .await;
    assert_eq!(not_json.status, 400);
    assert!(not_json.v1_error().1.contains("not valid JSON"));
    let empty = answer_to(api.basic(Method::POST, "/v1/users")).await;
    assert_eq!(empty.status, 400);
    assert!(empty.v1_error().1.contains("JSON body is required"));
    assert_eq!(api.server.state().snapshot(), before);
}

#[tokio::test]
async fn the_generated_client_works_against_it() {
    let api = Api::start().await;
    let client = api.generated_client();
    let request: types::UserRequest =
        serde_json::from_value(fixture("createUser.request.json")).unwrap();
    let created = client.create_user().body(request).send().await.unwrap();
    assert_eq!(created.name.as_deref(), Some("Ben McRedmond"));

    let got = client
        .get_user()
        .email("ben@intercom.io")
        .send()
        .await
        .unwrap();
    assert_eq!(got.user_id.as_deref(), Some("7902"));

    let update = types::UserRequest::builder()
        .user_id(Some("7902".to_string()))
        .name(Some("Benjamin".to_string()));
    let updated = client.update_user().body(update).send().await.unwrap();
    assert_eq!(updated.name.as_deref(), Some("Benjamin"));

    let page = client
        .list_users()
        .per_page(NonZeroU64::new(10).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(page.total_count, 1);

    let missing = client
        .get_user()
        .user_id("nobody")
        .send()
        .await
        .unwrap_err();
    let progenitor_client::Error::ErrorResponse(response) = missing else {
        panic!("expected the error object, got {missing:?}");
    };
    assert_eq!(response.status().as_u16(), 404);
    assert_eq!(response.error.message, "The User was not found");

    let identity = types::UserIdentity::builder().user_id(Some("7902".to_string()));
    let deleted = client.delete_user().body(identity).send().await.unwrap();
    assert_eq!(deleted.name.as_deref(), Some("Benjamin"));
    assert_eq!(api.server.state().user_count(), 0);
}

#[tokio::test]
async fn empty_identities_are_refused_naming_the_field_and_nothing_is_stored() {
    let api = Api::start_with(DummyServer::builder().seed_users(1)).await;
    let before = api.server.state().snapshot();
    let bodies = [
        ("/v1/users", json!({"user_id": "", "email": ""}), "user_id"),
        ("/v1/users", json!({"email": ""}), "email"),
        (
            "/v1/users",
            json!({"user_id": "", "email": "ben@intercom.io"}),
            "user_id",
        ),
        (
            "/v1/users/notes",
            json!({"user_id": "", "body": "hi"}),
            "user_id",
        ),
        ("/v1/users/impressions", json!({"email": ""}), "email"),
        (
            "/v1/users/message_threads",
            json!({"user_id": "", "body": "hi"}),
            "user_id",
        ),
    ];
    for (path, body, field) in bodies {
        let answer = api.post(path, &body).await;
        assert_eq!(answer.status, 400, "{path} {body}: {}", answer.text);
        let (kind, message) = answer.v1_error();
        assert_eq!(kind, "bad_request");
        assert!(
            message.contains(&format!("`{field}` must not be empty")),
            "{path} {body}: {message}"
        );
    }
    let updated = api.put("/v1/users", &json!({"email": ""})).await;
    assert_eq!(updated.status, 400, "{}", updated.text);
    for query in ["/v1/users/?email=", "/v1/users/message_threads?user_id="] {
        let answer = api.get(query).await;
        assert_eq!(answer.status, 400, "{query}: {}", answer.text);
        assert!(
            answer.v1_error().1.contains("must not be empty"),
            "{query}: {}",
            answer.text
        );
    }
    assert_eq!(api.server.state().snapshot(), before);
    assert_eq!(api.server.state().user_count(), 1);
}
