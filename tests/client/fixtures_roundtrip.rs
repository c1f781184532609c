//! Every example body of the documents (tests/fixtures, referenced by the description) validates
//! against its schema, decodes into its generated type, and re-encodes to the same JSON.

use std::collections::BTreeSet;

use crate::support::fixtures::{Example, examples, json_differences, read_json, root};
use intercom_api::{schema, types};
use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;

/// Decodes `value` as `T`, re-encodes it, and decodes that again; returns what went wrong.
fn round_trip<T>(value: &Value) -> Vec<String>
where
    T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug,
{
    let decoded: T = match serde_path_to_error::deserialize(value) {
        Ok(decoded) => decoded,
        Err(e) => return vec![format!("does not decode: {e} (at {})", e.path())],
    };
    let encoded = serde_json::to_value(&decoded).expect("generated types encode");
    let mut problems = json_differences(value, &encoded, "");
    match serde_json::from_value::<T>(encoded) {
        Ok(again) if again == decoded => {}
        Ok(again) => problems.push(format!("decoding again differs: {again:?} != {decoded:?}")),
        Err(e) => problems.push(format!("the re-encoded JSON does not decode: {e}")),
    }
    problems
}

/// The generated Rust type of each component schema an example refers to.
fn round_trip_as(schema_name: &str, value: &Value) -> Vec<String> {
    macro_rules! table {
        ($($name:ident),* $(,)?) => {
            match schema_name {
                $(stringify!($name) => round_trip::<types::$name>(value),)*
                other => vec![format!("no Rust type mapped for schema `{other}`; add it to the table")],
            }
        };
    }
    table!(
        User,
        UserList,
        UserRequest,
        UserIdentity,
        Note,
        NoteRequest,
        Impression,
        ImpressionRequest,
        MessageThread,
        MessageThreadList,
        MessageThreadCreateRequest,
        MessageThreadReplyRequest,
        Tag,
        TagCreateRequest,
        TagUpdateRequest,
        EventRequest,
        EventList,
        EventSummary,
        EventSummariesRequest,
        V1Error,
        ErrorList,
        Contact,
        ContactList,
        ContactRequest,
        Conversation,
        ConversationList,
        ConversationRequest,
        ConversationMessage,
    )
}

fn validate(example: &Example, value: &Value) -> Result<(), schema::Error> {
    match &example.status {
        None => schema::validate_request(&example.operation_id, value),
        Some(status) => {
            let code = status.replace("XX", "00").parse().expect("a status code");
            schema::validate_response(&example.operation_id, code, value)
        }
    }
}

#[test]
fn every_example_validates_against_its_schema() {
    let mut failures = Vec::new();
    for example in examples() {
        let value = read_json(&example.file);
        if let Err(e) = validate(&example, &value) {
            failures.push(format!(
                "{} ({}): {e}",
                example.label,
                example.file.display()
            ));
        }
        // The named schema agrees with the operation's body schema.
        if let Err(e) = schema::validate(&example.schema_name, &value) {
            failures.push(format!("{}: {e}", example.label));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_example_decodes_and_reencodes_without_loss() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for example in examples() {
        let value = read_json(&example.file);
        for problem in round_trip_as(&example.schema_name, &value) {
            failures.push(format!(
                "{} as {}: {problem}",
                example.label, example.schema_name
            ));
        }
        checked += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        checked >= 25,
        "only {checked} examples found in the description"
    );
}

#[test]
fn every_fixture_file_is_an_example_of_the_description() {
    let referenced: BTreeSet<String> = examples()
        .iter()
        .map(|e| {
            let file = e.file.canonicalize().unwrap_or_else(|err| {
                panic!("{}: {} does not exist: {err}", e.label, e.file.display())
            });
            file.file_name().unwrap().to_string_lossy().into_owned()
        })
        .collect();
    let on_disk: BTreeSet<String> = std::fs::read_dir(root().join("tests/fixtures"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".json"))
        .collect();
    let orphans: Vec<_> = on_disk.difference(&referenced).collect();
    assert!(
        orphans.is_empty(),
        "fixtures no example points at: {orphans:?}"
    );
}

#[test]
fn every_json_body_of_every_operation_has_an_example() {
    let spec = schema::description();
    let examples = examples();
    let has = |operation: &str, status: Option<&str>| {
        examples
            .iter()
            .any(|e| e.operation_id == operation && e.status.as_deref() == status)
    };
    let mut missing = Vec::new();
    for (id, method, path) in schema::operations() {
        let operation = &spec["paths"][path][method];
        if operation.get("requestBody").is_some() && !has(id, None) {
            missing.push(format!("{id}: request body"));
        }
        let first_json_success = operation["responses"]
            .as_object()
            .unwrap()
            .iter()
            .find(|(status, r)| status.starts_with('2') && r.get("content").is_some())
            .map(|(status, _)| status.as_str());
        if let Some(status) = first_json_success
            && !has(id, Some(status))
        {
            missing.push(format!("{id}: {status} response"));
        }
    }
    assert!(
        missing.is_empty(),
        "bodies without a documented example: {missing:?}"
    );
}
