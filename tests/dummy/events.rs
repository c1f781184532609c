//! The dummy server's Data Events API: submit (202, de-duplicated), list with `pages.next`,
//! summary, summaries; over HTTP as the documents' curl examples send them, and through the
//! generated client.

use std::num::NonZeroU64;

use crate::support::{
    dummy_http::{Api, answer_to},
    fixtures::fixture,
};
use intercom_api::{schema, types};
use intercom_dummy::UserKey;
use reqwest::Method;
use serde_json::json;

/// A server with the docs' user 314159 (frodo.baggins@example.com).
async fn with_frodo() -> Api {
    let api = Api::start().await;
    api.create_user(json!({"user_id": "314159", "email": "frodo.baggins@example.com"}))
        .await;
    api
}

#[tokio::test]
async fn the_docs_event_is_accepted_with_an_empty_body_and_stored_as_sent() {
    let api = with_frodo().await;
    let request = fixture("createEvent.request.json");
    // The docs' request carries an `id` that is not an Intercom id of this server; the user is
    // found by it first, so send it without.
    let mut body = request.clone();
    body.as_object_mut().unwrap().remove("id");
    let accepted = api.post_event(&body).await;
    assert_eq!(accepted.status, 202, "{}", accepted.text);
    assert_eq!(accepted.text, "", "an empty body");
    assert_eq!(accepted.header("content-type"), None);

    let key = UserKey::user_id("314159");
    let events = api.server.state().events(&key);
    assert_eq!(events.len(), 1);
    let event = &events[0];
    assert_eq!(event.event_name, "invited-friend");
    assert_eq!(event.created_at.unix(), 1671028894);
    assert_eq!(
        serde_json::to_value(&event.metadata).unwrap(),
        request["metadata"]
    );
    let intercom_id = api.server.state().user(&key).unwrap().intercom_id;
    assert_eq!(
        event.intercom_user_id.as_deref(),
        Some(intercom_id.as_str())
    );

    // With the docs' foreign `id`, nobody is found.
    let unknown = api.post_event(&request).await;
    assert_eq!(unknown.status, 404);
    let errors = unknown.error_list();
    assert_eq!(errors[0]["code"], "not_found");
}

#[tokio::test]
async fn users_are_found_by_user_id_email_or_intercom_id() {
    let api = with_frodo().await;
    let key = UserKey::email("frodo.baggins@example.com");
    let intercom_id = api.server.state().user(&key).unwrap().intercom_id;
    for (n, identity) in [
        json!({"user_id": "314159"}),
        json!({"email": "frodo.baggins@example.com"}),
        json!({"id": intercom_id}),
    ]
    .into_iter()
    .enumerate()
    {
        let mut body = identity.clone();
        body["event_name"] = json!("logged-in");
        body["created_at"] = json!(1_700_000_000 + n as i64);
        let answer = api.post_event(&body).await;
        assert_eq!(answer.status, 202, "{identity}: {}", answer.text);
    }
    assert_eq!(api.server.state().event_count(&key), 3);
    let nobody = api
        .post_event(&json!({"event_name": "x", "created_at": 1, "email": "nobody@example.com"}))
        .await;
    assert_eq!(nobody.status, 404);
    assert_eq!(nobody.error_list()[0]["message"], "User Not Found");
}

#[tokio::test]
async fn a_duplicate_is_accepted_and_not_stored() {
    let api = with_frodo().await;
    let event = json!({"event_name": "ordered", "created_at": 1700000000, "user_id": "314159"});
    for _ in 0..3 {
        assert_eq!(api.post_event(&event).await.status, 202);
    }
    // Same name, another second: a different event. Another name, same second: too.
    assert_eq!(
        api.post_event(
            &json!({"event_name": "ordered", "created_at": 1700000001, "user_id": "314159"})
        )
        .await
        .status,
        202
    );
    assert_eq!(
        api.post_event(&json!({"event_name": "paid", "created_at": 1700000000, "email": "frodo.baggins@example.com"}))
            .await
            .status,
        202
    );
    let state = api.server.state();
    assert_eq!(state.event_count(&UserKey::user_id("314159")), 3);
    assert_eq!(state.duplicate_events(), 2);
    assert_eq!(state.counts().events, 3);
}

#[tokio::test]
async fn metadata_of_every_documented_type_is_kept_as_sent() {
    let api = with_frodo().await;
    let metadata = json!({
        "source": "desktop",
        "load": 3.67,
        "count": 3,
        "contact_date": 1392036272,
        "article": "https://example.org/ab1de.html",
        "rich": {"url": "https://example.org/ab1de.html", "value": "the dude abides"},
        "price": {"amount": 34999, "currency": "eur"},
    });
    let answer = api
        .post_event(
            &json!({"event_name": "e", "created_at": 5, "user_id": "314159", "metadata": metadata}),
        )
        .await;
    assert_eq!(answer.status, 202, "{}", answer.text);
    let listed = answer_to(api.bearer(Method::GET, "/events?type=user&user_id=314159")).await;
    assert_eq!(listed.json["events"][0]["metadata"], metadata);

    for (bad, field) in [
        (json!({"nested": {"a": {"b": 1}}}), "metadata.nested"),
        (json!({"order_date": "tuesday"}), "metadata.order_date"),
        (
            json!({"price": {"amount": -1, "currency": "eur"}}),
            "metadata.price",
        ),
    ] {
        let answer = api
            .post_event(
                &json!({"event_name": "e", "created_at": 6, "user_id": "314159", "metadata": bad}),
            )
            .await;
        assert_eq!(answer.status, 400, "{bad}");
        let fields: Vec<&str> = answer.json["errors"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|e| e["field"].as_str())
            .collect();
        assert!(
            fields.iter().any(|f| f.starts_with(field)),
            "{bad}: {}",
            answer.text
        );
        answer.error_list();
    }
    assert_eq!(api.server.state().counts().events, 1);
}

#[tokio::test]
async fn invalid_events_get_an_error_list_naming_each_field() {
    let api = with_frodo().await;
    let answer = api.post_event(&json!({"created_at": "yesterday"})).await;
    assert_eq!(answer.status, 400);
    let errors = answer.error_list();
    let named: Vec<(&str, Option<&str>)> = errors
        .iter()
        .map(|e| (e["code"].as_str().unwrap(), e["field"].as_str()))
        .collect();
    assert_eq!(
        named,
        [
            ("parameter_not_found", Some("event_name")),
            ("parameter_not_found", None),
            ("parameter_invalid", Some("created_at")),
        ],
        "{}",
        answer.text
    );
    assert!(
        errors[1]["message"]
            .as_str()
            .unwrap()
            .contains("`user_id`, `id`, `email`")
    );

    let not_json = answer_to(api.bearer(Method::POST, "/events").body("event_name=x")).await;
    assert_eq!(not_json.status, 400);
    assert_eq!(not_json.error_list()[0]["code"], "bad_request");
    assert_eq!(api.server.state().counts().events, 0);
}

#[tokio::test]
async fn lists_newest_first_following_absolute_next_links() {
    let api = with_frodo().await;
    for i in 0..7 {
        let event = json!({"event_name": format!("e{i}"), "created_at": 1_700_000_000 + i, "user_id": "314159"});
        assert_eq!(api.post_event(&event).await.status, 202);
    }
    let mut url = api.url("/events?type=user&email=frodo.baggins%40example.com&per_page=3");
    let mut names = Vec::new();
    let mut pages = 0;
    loop {
        let page = answer_to(
            api.http
                .get(&url)
                .bearer_auth(&api.server.credentials().access_token),
        )
        .await;
        assert_eq!(page.status, 200, "{url}: {}", page.text);
        schema::validate_response("listEvents", 200, &page.json).unwrap();
        assert_eq!(page.json["type"], "event.list");
        assert_eq!(page.json["user_id"], "314159");
        pages += 1;
        for event in page.json["events"].as_array().unwrap() {
            names.push(event["event_name"].as_str().unwrap().to_string());
        }
        match page.json["pages"]["next"].as_str() {
            Some(next) => {
                assert!(
                    next.starts_with(&format!("{}/events?", api.server.base_url())),
                    "an absolute url on this server: {next}"
                );
                assert!(next.contains("cursor="), "{next}");
                url = next.to_string();
            }
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(names, ["e6", "e5", "e4", "e3", "e2", "e1", "e0"]);

    let tampered = answer_to(api.bearer(
        Method::GET,
        "/events?type=user&user_id=314159&cursor=not-a-cursor",
    ))
    .await;
    assert_eq!(tampered.status, 400);
    assert_eq!(tampered.error_list()[0]["field"], "cursor");
}

#[tokio::test]
async fn list_queries_are_validated() {
    let api = with_frodo().await;
    for (query, field) in [
        ("user_id=314159", "type"),
        ("type=lead&user_id=314159", "type"),
        ("type=user", ""),
        ("type=user&user_id=314159&per_page=0", "per_page"),
    ] {
        let answer = answer_to(api.bearer(Method::GET, &format!("/events?{query}"))).await;
        assert_eq!(answer.status, 400, "{query}: {}", answer.text);
        let errors = answer.error_list();
        if !field.is_empty() {
            assert!(
                errors.iter().any(|e| e["field"] == field),
                "{query}: {}",
                answer.text
            );
        }
    }
    let nobody = answer_to(api.bearer(Method::GET, "/events?type=user&user_id=nobody")).await;
    assert_eq!(nobody.status, 404);
    nobody.error_list();
}

#[tokio::test]
async fn summaries_count_events_and_posted_counts() {
    let api = with_frodo().await;
    for at in [1_700_000_300, 1_700_000_100, 1_700_000_200] {
        api.post_event(
            &json!({"event_name": "invited-friend", "created_at": at, "user_id": "314159"}),
        )
        .await;
    }
    api.post_event(
        &json!({"event_name": "logged-in", "created_at": 1_700_000_000, "user_id": "314159"}),
    )
    .await;
    let posted = answer_to(
        api.bearer(Method::POST, "/events/summaries")
            .json(&fixture("submitEventSummaries.request.json")),
    )
    .await;
    assert_eq!(posted.status, 200, "{}", posted.text);
    assert_eq!(posted.text, "");

    // curl 'https://api.intercom.io/events?summary=true&type=user&user_id=314159'
    let summary =
        answer_to(api.bearer(Method::GET, "/events?summary=true&type=user&user_id=314159")).await;
    assert_eq!(summary.status, 200, "{}", summary.text);
    schema::validate_response("getEventSummary", 200, &summary.json).unwrap();
    assert_eq!(summary.json["type"], "event.summary");
    assert_eq!(
        summary.json["intercom_user_id"],
        json!(
            api.server
                .state()
                .user(&UserKey::user_id("314159"))
                .unwrap()
                .intercom_id
        )
    );
    assert_eq!(
        summary.json["events"],
        json!([
            {"name": "invited-friend", "count": 4, "first": 1671028894, "last": 1700000300},
            {"name": "logged-in", "count": 1, "first": 1700000000, "last": 1700000000},
        ])
    );
    let stored = api
        .server
        .state()
        .event_summary(&UserKey::user_id("314159"));
    assert_eq!(stored.len(), 2);
    assert_eq!(
        api.server.state().counts().events,
        4,
        "posted counts are not events"
    );

    let unknown = answer_to(api.bearer(Method::POST, "/events/summaries").json(&json!({
        "user_id": "nobody",
        "event_summaries": {"event_name": "x", "count": 1, "first": 1, "last": 1},
    })))
    .await;
    assert_eq!(unknown.status, 404);
    unknown.error_list();
    let invalid = answer_to(api.bearer(Method::POST, "/events/summaries").json(&json!({
        "user_id": "314159", "event_summaries": [{"event_name": "x"}],
    })))
    .await;
    assert_eq!(invalid.status, 400);
    assert_eq!(invalid.error_list()[0]["field"], "event_summaries");
}

#[tokio::test]
async fn the_generated_client_works_against_it() {
    let api = with_frodo().await;
    // The events calls carry the Bearer token.
    let client = api.generated_client();

    let mut request: types::EventRequest =
        serde_json::from_value(fixture("createEvent.request.json")).unwrap();
    request.id = None;
    let accepted = client
        .create_event()
        .intercom_version("2.14")
        .body(request.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.status().as_u16(), 202);
    client.create_event().body(request).send().await.unwrap();

    let list = client
        .list_events()
        .type_(types::EventsUserType::User)
        .user_id("314159")
        .per_page(NonZeroU64::new(10).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(list.events.len(), 1, "the duplicate was not stored");
    assert_eq!(list.pages.as_ref().and_then(|p| p.next.clone()), None);

    let summary = client
        .get_event_summary()
        .summary(true)
        .type_(types::EventsUserType::User)
        .email("frodo.baggins@example.com")
        .send()
        .await
        .unwrap();
    assert_eq!(summary.events[0].count, 1);

    let counts: types::EventSummariesRequest =
        serde_json::from_value(fixture("submitEventSummaries.request.json")).unwrap();
    client
        .submit_event_summaries()
        .body(counts)
        .send()
        .await
        .unwrap();
    assert_eq!(
        api.server
            .state()
            .event_summary(&UserKey::user_id("314159"))[0]
            .count,
        2
    );
}

#[tokio::test]
async fn empty_identities_and_more_than_ten_metadata_keys_are_refused() {
    let api = with_frodo().await;
    let ten: serde_json::Map<String, serde_json::Value> =
        (0..10).map(|i| (format!("key_{i}"), json!(i))).collect();
    let mut eleven = ten.clone();
    eleven.insert("key_10".to_string(), json!(10));
    let cases = [
        (
            json!({"event_name": "e", "created_at": 5, "user_id": ""}),
            "user_id",
            "must not be empty",
        ),
        (
            json!({"event_name": "e", "created_at": 5, "id": ""}),
            "id",
            "must not be empty",
        ),
        (
            json!({"event_name": "e", "created_at": 5, "email": ""}),
            "email",
            "must not be empty",
        ),
        (
            json!({"event_name": "e", "created_at": 5, "user_id": "314159", "metadata": eleven}),
            "metadata",
            "has 11 keys; at most 10 are allowed",
        ),
    ];
    for (body, field, says) in cases {
        let answer = api.post_event(&body).await;
        assert_eq!(answer.status, 400, "{body}: {}", answer.text);
        let errors = answer.error_list();
        assert!(
            errors
                .iter()
                .any(|e| e["field"] == field
                    && e["message"].as_str().is_some_and(|m| m.contains(says))),
            "{body}: {}",
            answer.text
        );
    }
    for query in ["user_id=", "email=", "intercom_user_id="] {
        let listed =
            answer_to(api.bearer(Method::GET, &format!("/events?type=user&{query}"))).await;
        assert_eq!(listed.status, 400, "{query}: {}", listed.text);
        assert!(listed.text.contains("must not be empty"), "{}", listed.text);
    }
    let summaries = answer_to(api.bearer(Method::POST, "/events/summaries").json(&json!({
        "user_id": "",
        "event_summaries": {"event_name": "e", "count": 1, "first": 1, "last": 2}
    })))
    .await;
    assert_eq!(summaries.status, 400, "{}", summaries.text);
    assert_eq!(api.server.state().counts().events, 0);
    // Ten keys are fine.
    let answer = api
        .post_event(
            &json!({"event_name": "e", "created_at": 5, "user_id": "314159", "metadata": ten}),
        )
        .await;
    assert_eq!(answer.status, 202, "{}", answer.text);
}
