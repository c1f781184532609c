//! Invalid payloads are rejected, each with the JSON pointer and a message naming the problem.

use intercom_api::schema;
use serde_json::{Value, json};

/// Validates `payload` as `operation`'s request body and returns `(pointer, message)` pairs.
fn violations(operation: &str, payload: Value) -> Vec<(String, String)> {
    match schema::validate_request(operation, &payload) {
        Ok(()) => panic!("{operation}: {payload} was accepted"),
        Err(e) => e
            .violations()
            .iter()
            .map(|v| (v.pointer.clone(), v.message.clone()))
            .collect(),
    }
}

/// Asserts one violation at `pointer` whose message contains `needle`.
fn assert_rejected(operation: &str, payload: Value, pointer: &str, needle: &str) {
    let found = violations(operation, payload.clone());
    assert!(
        found
            .iter()
            .any(|(p, m)| p == pointer && m.contains(needle)),
        "{operation}: {payload}: expected a violation at {pointer:?} mentioning {needle:?}, got {found:?}"
    );
}

#[test]
fn note_without_identity_names_both_identifiers() {
    assert_eq!(
        violations("createNote", json!({"body": "hi"})),
        vec![(
            String::new(),
            "one of `user_id`, `email` is required".to_string()
        )]
    );
}

#[test]
fn note_without_body() {
    assert_rejected(
        "createNote",
        json!({"email": "ben@intercom.io"}),
        "",
        "`body` is required",
    );
}

#[test]
fn user_without_identity() {
    assert_rejected(
        "createUser",
        json!({"name": "Ben"}),
        "",
        "one of `user_id`, `email`",
    );
}

#[test]
fn delete_without_identity() {
    assert_rejected("deleteUser", json!({}), "", "one of `user_id`, `email`");
}

#[test]
fn user_with_wrong_types() {
    let found = violations(
        "createUser",
        json!({"email": 5, "created_at": "2013-04-23", "custom_data": []}),
    );
    let pointers: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        pointers,
        ["/created_at", "/custom_data", "/email"],
        "{found:?}"
    );
    assert!(found[0].1.contains("integer"), "{found:?}");
}

#[test]
fn company_created_at_must_be_unix_seconds() {
    assert_rejected(
        "updateUser",
        json!({"email": "a@b.c", "companies": [{"id": 6, "created_at": 1.5}]}),
        "/companies/0/created_at",
        "integer",
    );
}

#[test]
fn tag_with_unknown_color() {
    assert_rejected(
        "createTag",
        json!({"name": "VIP", "color": "pink"}),
        "/color",
        "not one of: green, red, teal, gold, blue, purple",
    );
}

#[test]
fn tag_users_without_tag_or_untag() {
    assert_rejected(
        "updateTag",
        json!({"name": "VIP", "emails": ["a@b.c"]}),
        "",
        "`tag_or_untag` is required when `user_ids` or `emails` is sent",
    );
}

#[test]
fn creating_a_tag_cannot_untag() {
    assert_rejected(
        "createTag",
        json!({"name": "VIP", "user_ids": ["1"], "tag_or_untag": "untag"}),
        "/tag_or_untag",
        "not one of: tag",
    );
}

#[test]
fn reply_needs_thread_identity_and_body_or_read() {
    let found = violations("replyMessageThread", json!({"email": "a@b.c"}));
    assert!(
        found.contains(&(String::new(), "`thread_id` is required".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&(String::new(), "one of `body`, `read` is required".into())),
        "{found:?}"
    );
}

#[test]
fn event_without_user() {
    assert_rejected(
        "createEvent",
        json!({"event_name": "invited-friend", "created_at": 1671028894}),
        "",
        "one of `user_id`, `id`, `email` is required",
    );
}

#[test]
fn event_metadata_rejects_nested_objects() {
    assert_rejected(
        "createEvent",
        json!({"event_name": "e", "created_at": 1, "user_id": "u", "metadata": {"deep": {"a": {"b": 1}}}}),
        "/metadata/deep",
        "must be one of: a string, a number, RichLink {url, value}, MonetaryAmount {amount, currency}",
    );
}

#[test]
fn event_metadata_accepts_the_documented_kinds() {
    let payload = json!({
        "event_name": "ordered", "created_at": 1392036272, "user_id": "314159",
        "metadata": {
            "source": "desktop", "load": 3.67, "contact_date": 1392036272,
            "article": {"url": "https://example.org/ab1de.html", "value": "the dude abides"},
            "price": {"amount": 34999, "currency": "eur"}
        }
    });
    schema::validate_request("createEvent", &payload).unwrap();
}

#[test]
fn event_metadata_date_keys_hold_timestamps() {
    assert_rejected(
        "createEvent",
        json!({"event_name": "e", "created_at": 1, "user_id": "u", "metadata": {"contact_date": "yesterday"}}),
        "/metadata/contact_date",
        "integer",
    );
}

#[test]
fn monetary_amount_is_not_negative_and_has_a_currency() {
    assert_rejected(
        "createEvent",
        json!({"event_name": "e", "created_at": 1, "user_id": "u", "metadata": {"price": {"amount": -5, "currency": "eur"}}}),
        "/metadata/price/amount",
        "minimum of 0",
    );
    assert_rejected(
        "createEvent",
        json!({"event_name": "e", "created_at": 1, "user_id": "u", "metadata": {"price": {"amount": 5, "currency": "eur", "tax": 1}}}),
        "/metadata/price",
        "tax",
    );
}

#[test]
fn event_summaries_need_counts() {
    assert_rejected(
        "submitEventSummaries",
        json!({"user_id": "314159", "event_summaries": {"event_name": "e", "first": 1, "last": 2}}),
        "/event_summaries",
        "`count` is required",
    );
}

#[test]
fn responses_are_validated_too() {
    // A tag whose colour is new to us is still a valid response (the field is open) ...
    let tag = json!({"id": null, "name": "VIP", "color": "fuchsia", "tagged_user_count": null});
    schema::validate_response("getTag", 200, &tag).unwrap();
    // ... but a user list without its paging fields is not.
    let err = schema::validate_response("listUsers", 200, &json!({"users": []})).unwrap_err();
    assert!(
        err.to_string().contains("`total_count` is required"),
        "{err}"
    );
}

#[test]
fn lookups_of_unknown_names_say_which() {
    let err = schema::validate("Usr", &json!({})).unwrap_err();
    assert_eq!(err.to_string(), "the description has no schema named `Usr`");
    let err = schema::validate_request("createUsr", &json!({})).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the description has no operation `createUsr`"
    );
    let err = schema::validate_request("getUser", &json!({})).unwrap_err();
    assert_eq!(
        err.to_string(),
        "operation `getUser` has no JSON body for request"
    );
}

#[test]
fn query_lookups_need_an_identity_and_typed_values() {
    let err = schema::validate_query("getUser", &[("name", "Ben")]).unwrap_err();
    assert_eq!(
        err.violations()[0].message,
        "one of `user_id`, `email` is required"
    );
    schema::validate_query("getUser", &[("email", "ben@intercom.io")]).unwrap();

    let err = schema::validate_query("listUsers", &[("per_page", "501")]).unwrap_err();
    assert_eq!(err.violations()[0].pointer, "/per_page");
    assert!(
        err.violations()[0].message.contains("maximum of 500"),
        "{err}"
    );

    let err = schema::validate_query("listEvents", &[("type", "lead"), ("email", "a@b.c")]);
    assert_eq!(err.unwrap_err().violations()[0].pointer, "/type");
    let err = schema::validate_query("listEvents", &[("type", "user")]).unwrap_err();
    assert_eq!(
        err.violations()[0].message,
        "one of `user_id`, `email`, `intercom_user_id` is required"
    );
    let err = schema::validate_query("getTag", &[("color", "red")]).unwrap_err();
    assert_eq!(err.violations()[0].message, "`name` is required");
}

#[test]
fn identities_cannot_be_empty() {
    assert_rejected(
        "createUser",
        json!({"user_id": "", "email": "ben@intercom.io"}),
        "/user_id",
        "`user_id` must not be empty",
    );
    assert_rejected(
        "createEvent",
        json!({"event_name": "e", "created_at": 1, "email": ""}),
        "/email",
        "`email` must not be empty",
    );
    let error = schema::validate_query("getUser", &[("email", "")]).unwrap_err();
    assert_eq!(error.violations()[0].message, "`email` must not be empty");
}

#[test]
fn event_metadata_holds_at_most_ten_keys() {
    let keys = |n: usize| -> serde_json::Map<String, Value> {
        (0..n).map(|i| (format!("k{i}"), json!(i))).collect()
    };
    let event =
        |n| json!({"event_name": "e", "created_at": 1, "user_id": "u", "metadata": keys(n)});
    schema::validate_request("createEvent", &event(10)).unwrap();
    assert_rejected(
        "createEvent",
        event(11),
        "/metadata",
        "has 11 keys; at most 10 are allowed",
    );
}
