//! Nothing a server sends is lost: for every response schema of the description, an instance
//! with arbitrary unknown keys at every object level decodes into its generated type and
//! encodes back to the same JSON. Also: the fields named from Intercom's published material,
//! and builders that work without `.extra(..)`.

use std::collections::BTreeSet;

use crate::support::fixtures::json_differences;
use intercom_api::{schema, types};
use proptest::{
    prelude::*,
    test_runner::{Config, TestCaseError, TestRunner},
};
use serde::{Serialize, de::DeserializeOwned};
use serde_json::{Map, Value, json};

/// Every component schema that is the JSON body of a response of some operation.
fn response_schemas() -> BTreeSet<String> {
    let spec = schema::description();
    let mut names = BTreeSet::new();
    for (_, method, path) in schema::operations() {
        let responses = spec["paths"][path][method]["responses"]
            .as_object()
            .unwrap();
        for response in responses.values() {
            let response = resolve(response);
            if let Some(reference) = response
                .pointer("/content/application~1json/schema/$ref")
                .and_then(Value::as_str)
            {
                names.insert(reference.rsplit('/').next().unwrap().to_string());
            }
        }
    }
    names
}

fn resolve(node: &Value) -> &Value {
    match node.get("$ref").and_then(Value::as_str) {
        Some(reference) => schema::description()
            .pointer(reference.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("{reference} does not resolve")),
        None => node,
    }
}

fn schema_name(node: &Value) -> Option<&str> {
    node.get("$ref")?.as_str()?.rsplit('/').next()
}

/// Keys no schema declares: every declared property name is checked not to start with it.
const UNKNOWN_PREFIX: &str = "x_";

/// An instance of `node`: every object with `properties` gets 0 to 3 unknown keys with
/// arbitrary JSON values. Optional properties are present or absent (never `null`, which the
/// generated types read as absent); required nullable ones may be `null`.
fn instance(node: &'static Value) -> BoxedStrategy<Value> {
    let name = schema_name(node);
    let node = resolve(node);
    // A summary time may arrive as an ISO 8601 string; it is read to the second and encoded
    // as UNIX seconds (src/time.rs tests that form). Seconds round-trip exactly.
    if name == Some("SummaryTime") || name == Some("UnixTime") {
        return (0i64..4_000_000_000).prop_map(Value::from).boxed();
    }
    if let Some(members) = node.get("oneOf").and_then(Value::as_array) {
        let members: Vec<_> = members.iter().map(instance).collect();
        return proptest::strategy::Union::new(members).boxed();
    }
    if let Some([only]) = node
        .get("allOf")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
    {
        return instance(only);
    }
    match node.get("type").and_then(Value::as_str) {
        Some("object") => object(node),
        Some("array") => prop::collection::vec(instance(&node["items"]), 0..3)
            .prop_map(Value::Array)
            .boxed(),
        Some("string") => "\\PC{0,12}".prop_map(Value::from).boxed(),
        Some("integer") => {
            let low = node
                .get("minimum")
                .and_then(Value::as_i64)
                .unwrap_or(i64::MIN);
            (low..=i64::MAX).prop_map(Value::from).boxed()
        }
        Some("number") => prop_oneof![
            any::<i64>().prop_map(Value::from),
            (-1e9f64..1e9).prop_map(Value::from),
        ]
        .boxed(),
        Some("boolean") => any::<bool>().prop_map(Value::from).boxed(),
        other => panic!("no instances for schema type {other:?}: {node}"),
    }
}

fn object(node: &'static Value) -> BoxedStrategy<Value> {
    let Some(properties) = node.get("properties").and_then(Value::as_object) else {
        // A map: its values follow `additionalProperties` (any JSON for `true`).
        let values = match node.get("additionalProperties") {
            Some(Value::Object(values)) if !values.is_empty() => {
                instance(&node["additionalProperties"])
            }
            _ => any_json(),
        };
        let most = node
            .get("maxProperties")
            .and_then(Value::as_u64)
            .map_or(4, |n| n.min(4) as usize);
        return prop::collection::btree_map("k_[a-z]{1,6}", values, 0..=most)
            .prop_map(|map| Value::Object(map.into_iter().collect()))
            .boxed();
    };
    let required: BTreeSet<&str> = node
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let fields: Vec<BoxedStrategy<Option<(String, Value)>>> = properties
        .iter()
        .map(|(key, property)| {
            assert!(!key.starts_with(UNKNOWN_PREFIX), "{key} looks unknown");
            let key = key.clone();
            let value = instance(property);
            if required.contains(key.as_str()) {
                let nullable = property.get("nullable") == Some(&Value::Bool(true));
                let value = if nullable {
                    prop_oneof![1 => Just(Value::Null), 3 => value].boxed()
                } else {
                    value
                };
                value.prop_map(move |v| Some((key.clone(), v))).boxed()
            } else {
                prop::option::of(value.prop_map(move |v| (key.clone(), v))).boxed()
            }
        })
        .collect();
    // Keys starting with UNKNOWN_PREFIX.
    let unknown = prop::collection::btree_map("x_[a-z]{1,8}", any_json(), 0..=3);
    (fields, unknown)
        .prop_map(|(fields, unknown)| {
            let mut object: Map<String, Value> = fields.into_iter().flatten().collect();
            object.extend(unknown);
            Value::Object(object)
        })
        .boxed()
}

/// Arbitrary JSON, nested a little.
fn any_json() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (-1e12f64..1e12).prop_map(Value::from),
        "\\PC{0,10}".prop_map(Value::from),
    ];
    leaf.prop_recursive(2, 12, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            prop::collection::btree_map("\\PC{0,6}", inner, 0..3)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
    .boxed()
}

/// Decodes `value` as `T` and encodes it again: what differs from `value`.
fn round_trip<T: DeserializeOwned + Serialize>(value: &Value) -> Vec<String> {
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(decoded) => {
            let encoded = serde_json::to_value(&decoded).expect("generated types encode");
            json_differences(value, &encoded, "")
        }
        Err(e) => vec![format!("does not decode: {e} (at {})", e.path())],
    }
}

fn round_trip_as(schema_name: &str, value: &Value) -> Vec<String> {
    macro_rules! table {
        ($($name:ident),* $(,)?) => {
            match schema_name {
                $(stringify!($name) => round_trip::<types::$name>(value),)*
                other => vec![format!("no Rust type mapped for response schema `{other}`; add it")],
            }
        };
    }
    table!(
        User,
        UserList,
        Note,
        Impression,
        MessageThread,
        MessageThreadList,
        Tag,
        EventList,
        EventSummary,
        V1Error,
        ErrorList,
        Contact,
        ContactList,
        Conversation,
        ConversationList,
        ConversationMessage,
    )
}

#[test]
fn unknown_keys_at_every_level_of_every_response_survive_a_round_trip() {
    let names = response_schemas();
    assert!(names.len() >= 10, "only {names:?}");
    for name in &names {
        let reference = Box::leak(Box::new(json!({
            "$ref": format!("#/components/schemas/{name}")
        })));
        let mut runner = TestRunner::new(Config {
            cases: 96,
            failure_persistence: None,
            ..Config::default()
        });
        let result = runner.run(&instance(reference), |value| {
            let problems = round_trip_as(name, &value);
            if problems.is_empty() {
                Ok(())
            } else {
                Err(TestCaseError::fail(format!(
                    "{name}: {}\n  instance: {value}",
                    problems.join("; ")
                )))
            }
        });
        if let Err(e) = result {
            panic!("{e}");
        }
    }
}

#[test]
fn the_generator_reaches_nested_objects() {
    // The property above is only as good as its instances: the deepest objects are reached.
    let reference = Box::leak(Box::new(json!({"$ref": "#/components/schemas/EventList"})));
    let mut runner = TestRunner::deterministic();
    let strategy = instance(reference);
    let found = (0..200).any(|_| {
        let value = strategy.new_tree(&mut runner).unwrap().current();
        value["events"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|event| {
                event["metadata"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .any(|(_, v)| {
                        v.as_object()
                            .is_some_and(|link| link.keys().any(|k| k.starts_with(UNKNOWN_PREFIX)))
                    })
            })
    });
    assert!(
        found,
        "no rich link or amount with an unknown key in 200 event lists"
    );
}

#[test]
fn unknown_keys_are_kept_in_extra_at_each_level() {
    let list: types::EventList = serde_json::from_value(json!({
        "type": "event.list",
        "events": [{
            "event_name": "ordered", "created_at": 1, "intercom_user_id": "u1",
            "metadata": {"price": {"amount": 5, "currency": "eur", "tax": 1}},
            "app_id": "abc"
        }],
        "pages": {"next": null, "since": "https://api.intercom.io/events?since=1", "per_page": 50},
        "cursor": {"deep": [1, 2]}
    }))
    .unwrap();
    assert_eq!(list.extra["cursor"], json!({"deep": [1, 2]}));
    assert_eq!(list.events[0].extra["app_id"], "abc");
    let pages = list.pages.as_ref().unwrap();
    assert_eq!(
        pages.since.as_deref(),
        Some("https://api.intercom.io/events?since=1")
    );
    assert_eq!(pages.extra["per_page"], 50);
    let price = &list.events[0].metadata.as_ref().unwrap().0["price"];
    let types::MetadataValue::MonetaryAmount(price) = price else {
        panic!("{price:?}")
    };
    assert_eq!(price.extra["tax"], 1);
}

#[test]
fn a_v1_user_has_intercoms_own_id() {
    let user: types::User = serde_json::from_value(json!({
        "intercom_id": "52322b3b5d2dd84f23000001", "email": "ben@intercom.io", "user_id": "7902"
    }))
    .unwrap();
    assert_eq!(
        user.intercom_id.as_deref(),
        Some("52322b3b5d2dd84f23000001")
    );
    assert!(user.extra.is_empty());
}

#[test]
fn summary_times_are_read_as_seconds_or_iso_8601_and_given_back_as_seconds() {
    let summary: types::EventSummary = serde_json::from_value(json!({
        "type": "event.summary",
        "events": [
            {"name": "placed-order", "count": 1, "first": 1389913941,
             "last": "2014-01-16T23:12:21.000+00:00 "},
        ]
    }))
    .unwrap();
    let item = &summary.events[0];
    assert_eq!(item.first, item.last);
    let encoded = serde_json::to_value(item).unwrap();
    assert_eq!(encoded["last"], 1389913941);
    schema::validate(
        "EventSummaryItem",
        &json!({"name": "n", "count": 1, "first": "2014-01-16T23:12:21.000+00:00"}),
    )
    .unwrap();
    assert!(
        schema::validate(
            "EventSummaryItem",
            &json!({"name": "n", "count": 1, "first": "yesterday"})
        )
        .is_err()
    );
}

#[test]
fn builders_work_without_extra() {
    let company: types::Company = types::Company::builder()
        .name(Some("Intercom".to_string()))
        .try_into()
        .unwrap();
    assert_eq!(company.name.as_deref(), Some("Intercom"));
    assert!(company.extra.is_empty());
    let tag: types::Tag = types::Tag::builder()
        .name("Pro")
        .id(None)
        .tagged_user_count(Some(3))
        .try_into()
        .unwrap();
    assert_eq!(
        serde_json::to_value(&tag).unwrap(),
        json!({"name": "Pro", "id": null, "tagged_user_count": 3})
    );
    let user: types::User = types::User::builder()
        .email(Some("ben@intercom.io".to_string()))
        .try_into()
        .unwrap();
    assert_eq!(
        user,
        types::User {
            email: Some("ben@intercom.io".into()),
            ..Default::default()
        }
    );
    // A required field is still required.
    let missing: Result<types::Tag, _> = types::Tag::builder().name("Pro").try_into();
    assert!(missing.is_err());
}
