//! Checks the description against the rules progenitor (and this SDK) depend on.
//!
//! progenitor panics without naming the operation for several layouts (two different success
//! bodies, a `default` response, ...). These checks run first so a mistake in the description
//! fails the build with the operation or schema at fault and the rule it breaks.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::{
    operations,
    spec::{self, resolve, walk_schema},
};

/// Every rule broken by the description, one readable line each; empty when it is fine.
pub fn lint(spec: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let version = spec.get("openapi").and_then(Value::as_str).unwrap_or("");
    if !version.starts_with("3.0.") {
        problems.push(format!(
            "document: `openapi: {version}` is not 3.0.x; progenitor reads OpenAPI 3.0 only"
        ));
    }
    let declared_tags: BTreeSet<&str> = spec
        .get("tags")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|tag| tag.get("name").and_then(Value::as_str))
        .collect();

    let mut operation_ids = BTreeMap::new();
    for operation in spec::operations(spec) {
        let where_ = &operation.label;
        lint_operation(spec, where_, operation.node, &declared_tags, &mut problems);
        if !operation.id.is_empty()
            && let Some(first) = operation_ids.insert(operation.id, where_.clone())
        {
            problems.push(format!(
                "{where_}: operationId `{}` is already used by {first}; each must be unique",
                operation.id
            ));
        }
    }
    // Credentials, replay rules, wire paths: what the operation table needs.
    if let Err(mut found) = operations::table(spec) {
        problems.append(&mut found);
    }

    lint_schemas(spec, &mut problems);
    lint_refs(spec, spec, "document", &mut problems);
    problems
}

fn lint_operation(
    spec: &Value,
    where_: &str,
    operation: &Value,
    declared_tags: &BTreeSet<&str>,
    problems: &mut Vec<String>,
) {
    if operation
        .get("operationId")
        .and_then(Value::as_str)
        .is_none()
    {
        problems.push(format!("{where_}: has no operationId"));
    }
    if operation
        .get("summary")
        .and_then(Value::as_str)
        .is_none_or(|s| s.trim().is_empty())
    {
        problems.push(format!("{where_}: has no summary"));
    }
    let tags: Vec<&str> = operation
        .get("tags")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    if tags.is_empty() {
        problems.push(format!("{where_}: has no tag"));
    }
    for tag in tags {
        if !declared_tags.contains(tag) {
            problems.push(format!(
                "{where_}: tag `{tag}` is not declared in the top-level tags"
            ));
        }
    }

    let Some(responses) = operation.get("responses").and_then(Value::as_object) else {
        problems.push(format!("{where_}: has no responses"));
        return;
    };
    if responses.contains_key("default") {
        problems.push(format!(
            "{where_}: has a `default` response; progenitor panics when its body differs from \
             the success body, so list the error statuses (e.g. 4XX, 5XX) instead"
        ));
    }
    let mut success_bodies = BTreeMap::new();
    let mut error_bodies = BTreeMap::new();
    for (status, response) in responses {
        let response = resolve(spec, response);
        let body = response
            .get("content")
            .and_then(|content| content.get("application/json"))
            .and_then(|media| media.get("schema"))
            .map(|schema| schema.to_string())
            .unwrap_or_else(|| "no body".to_string());
        if status.starts_with('2') {
            success_bodies.insert(status.clone(), body);
        } else if status.starts_with('4') || status.starts_with('5') {
            error_bodies.insert(status.clone(), body);
        }
    }
    if success_bodies.is_empty() {
        problems.push(format!("{where_}: documents no 2xx response"));
    }
    if error_bodies.is_empty() {
        problems.push(format!("{where_}: documents no error response (4XX/5XX)"));
    }
    for (kind, bodies) in [("success", &success_bodies), ("error", &error_bodies)] {
        let distinct: BTreeSet<&String> = bodies.values().collect();
        if distinct.len() > 1 {
            let listing: Vec<String> = bodies.iter().map(|(s, b)| format!("{s}: {b}")).collect();
            problems.push(format!(
                "{where_}: its {kind} responses have {} different bodies ({}); progenitor \
                 accepts one {kind} body per operation, so split the operation or share a schema",
                distinct.len(),
                listing.join("; ")
            ));
        }
    }
}

fn lint_schemas(spec: &Value, problems: &mut Vec<String>) {
    let Some(schemas) = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return;
    };
    let response_reachable = schemas_reachable_from_responses(spec);
    for (name, schema) in schemas {
        walk_schema(schema, &format!("schema {name}"), &mut |at, node| {
            let Some(map) = node.as_object() else { return };
            if map.contains_key("$ref") && map.len() > 1 {
                let siblings: Vec<&String> = map.keys().filter(|k| *k != "$ref").collect();
                problems.push(format!(
                    "{at}: `$ref` has siblings {siblings:?}, which OpenAPI 3.0 ignores (a \
                     sibling `nullable` is lost); wrap the reference: `allOf: [{{$ref: ...}}]`"
                ));
            }
            if map.get("format").and_then(Value::as_str) == Some("date-time") {
                problems.push(format!(
                    "{at}: `format: date-time` decodes RFC 3339 strings, but Intercom sends UNIX \
                     seconds; use `$ref: '#/components/schemas/UnixTime'`"
                ));
            }
            if map.get("additionalProperties") == Some(&Value::Bool(true))
                && map.contains_key("properties")
            {
                problems.push(format!(
                    "{at}: `additionalProperties: true` next to `properties` makes the generated \
                     type drop unknown keys silently; use `additionalProperties: {{}}` to keep them"
                ));
            }
            if response_reachable.contains(name.as_str())
                && map.contains_key("enum")
                && map.get("type").and_then(Value::as_str) == Some("string")
            {
                problems.push(format!(
                    "{at}: a closed string `enum` in a response fails to decode on any new \
                     server value; use an open `type: string` with the values in its description"
                ));
            }
        });
    }
}

/// Checks every `$ref` points at something that exists.
fn lint_refs(spec: &Value, node: &Value, at: &str, problems: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            if let Some(target) = map.get("$ref").and_then(Value::as_str) {
                let found = target
                    .strip_prefix('#')
                    .is_some_and(|pointer| spec.pointer(pointer).is_some());
                if !found {
                    problems.push(format!("{at}: `$ref: {target}` points at nothing"));
                }
            }
            for (key, value) in map {
                lint_refs(spec, value, &format!("{at}/{key}"), problems);
            }
        }
        Value::Array(items) => {
            for (i, value) in items.iter().enumerate() {
                lint_refs(spec, value, &format!("{at}/{i}"), problems);
            }
        }
        _ => {}
    }
}

/// Names of component schemas a response body can contain (directly or nested).
fn schemas_reachable_from_responses(spec: &Value) -> BTreeSet<&str> {
    let mut pending: Vec<&Value> = Vec::new();
    for operation in spec::operations(spec) {
        if let Some(responses) = operation.node.get("responses").and_then(Value::as_object) {
            for response in responses.values() {
                let response = resolve(spec, response);
                if let Some(content) = response.get("content").and_then(Value::as_object) {
                    pending.extend(content.values().filter_map(|media| media.get("schema")));
                }
            }
        }
    }
    let mut reachable = BTreeSet::new();
    while let Some(node) = pending.pop() {
        walk_schema(node, "", &mut |_, sub| {
            if let Some(name) = sub
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
                && reachable.insert(name)
                && let Some(target) = spec.pointer(&format!("/components/schemas/{name}"))
            {
                pending.push(target);
            }
        });
    }
    reachable
}
