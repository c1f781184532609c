//! Reading the description: its operations, their parameters, `$ref`s and nested schemas.
//!
//! The one walker of the description: the lint and the operation table here, the crate's
//! validator (`src/schema`) and the xtask all include this file, so a `$ref` is followed the
//! same way everywhere.

use serde_json::Value;

/// The HTTP methods a path item can hold, in the order operations are listed.
pub const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// How many `$ref`s in a row are followed before giving up (a cycle of references).
const MAX_REF_CHAIN: usize = 16;

/// An operation of the description, where it is.
#[derive(Clone, Debug)]
pub struct SpecOperation<'a> {
    /// `operation listUsers (GET /v1/users)`, for messages.
    pub label: String,
    /// The path key (`/v1/users`).
    pub path: &'a str,
    /// Lower case (`get`).
    pub method: &'static str,
    /// The `operationId`, or `""` when there is none.
    pub id: &'a str,
    /// The path item the operation is in.
    pub item: &'a Value,
    /// The operation object.
    pub node: &'a Value,
}

/// Every operation, in the order of the paths and of [`METHODS`].
pub fn operations(document: &Value) -> Vec<SpecOperation<'_>> {
    let mut found = Vec::new();
    let Some(paths) = document.get("paths").and_then(Value::as_object) else {
        return found;
    };
    for (path, item) in paths {
        let item = resolve(document, item);
        for method in METHODS {
            if let Some(node) = item.get(*method) {
                let id = node
                    .get("operationId")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let shown = if id.is_empty() {
                    "<no operationId>"
                } else {
                    id
                };
                found.push(SpecOperation {
                    label: format!("operation {shown} ({} {path})", method.to_uppercase()),
                    path,
                    method,
                    id,
                    item,
                    node,
                });
            }
        }
    }
    found
}

/// The operation with this `operationId`.
pub fn operation<'a>(document: &'a Value, id: &str) -> Option<SpecOperation<'a>> {
    operations(document).into_iter().find(|op| op.id == id)
}

/// An operation's parameters, `$ref`s resolved: the path item's, then the operation's, an
/// operation's parameter replacing the path item's of the same name and place.
pub fn parameters<'a>(document: &'a Value, operation: &SpecOperation<'a>) -> Vec<&'a Value> {
    let list = |node: &'a Value| -> Vec<&'a Value> {
        node.get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|p| resolve(document, p))
            .collect()
    };
    let own = list(operation.node);
    let key = |p: &Value| (p.get("name").cloned(), p.get("in").cloned());
    let mut all: Vec<&Value> = list(operation.item)
        .into_iter()
        .filter(|inherited| !own.iter().any(|p| key(p) == key(inherited)))
        .collect();
    all.extend(own);
    all
}

/// Follows local `$ref`s (`#/...`) to what they point at; other values are returned as they
/// are, and so is a reference that points at nothing (or a chain too long to be anything but a
/// cycle).
pub fn resolve<'a>(document: &'a Value, node: &'a Value) -> &'a Value {
    let mut current = node;
    for _ in 0..MAX_REF_CHAIN {
        match target(document, current) {
            Some(next) => current = next,
            None => return current,
        }
    }
    current
}

/// What a node's local `$ref` points at, when it has one that points at something.
pub fn target<'a>(document: &'a Value, node: &Value) -> Option<&'a Value> {
    node.get("$ref")
        .and_then(Value::as_str)
        .and_then(|reference| pointee(document, reference))
}

/// What a local reference (`#/components/schemas/User`) points at.
pub fn pointee<'a>(document: &'a Value, reference: &str) -> Option<&'a Value> {
    reference
        .strip_prefix('#')
        .and_then(|pointer| document.pointer(pointer))
}

/// Calls `visit` on a schema and every schema nested in it (not through `$ref`s), with a
/// readable location.
pub fn walk_schema<'a>(schema: &'a Value, at: &str, visit: &mut dyn FnMut(&str, &'a Value)) {
    visit(at, schema);
    let Some(map) = schema.as_object() else {
        return;
    };
    if let Some(properties) = map.get("properties").and_then(Value::as_object) {
        for (name, sub) in properties {
            walk_schema(sub, &format!("{at}.properties.{name}"), visit);
        }
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(sub) = map.get(key).filter(|v| v.is_object()) {
            walk_schema(sub, &format!("{at}.{key}"), visit);
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(members) = map.get(key).and_then(Value::as_array) {
            for (i, sub) in members.iter().enumerate() {
                walk_schema(sub, &format!("{at}.{key}[{i}]"), visit);
            }
        }
    }
}
