//! Which operations use each component schema, in requests or responses, through any chain of
//! `$ref`s: what decides whether a change to the schema is judged as a request or a response.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value;

use super::{operations, rules::Direction, shape};
use crate::codegen;

/// The operations using a component schema.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Usage {
    /// Operations sending it (request body or parameter).
    pub request: BTreeSet<String>,
    /// Operations receiving it (response body).
    pub response: BTreeSet<String>,
}

impl Usage {
    pub(super) fn direction(&self) -> Direction {
        match (self.request.is_empty(), self.response.is_empty()) {
            (false, true) => Direction::Request,
            (true, false) => Direction::Response,
            _ => Direction::Both,
        }
    }
}

/// The usage of every component schema in either description.
pub(super) fn merged(base: &Value, head: &Value) -> BTreeMap<String, Usage> {
    let mut all = usage(base);
    for (name, found) in usage(head) {
        let entry = all.entry(name).or_default();
        entry.request.extend(found.request);
        entry.response.extend(found.response);
    }
    all
}

fn usage(spec: &Value) -> BTreeMap<String, Usage> {
    let mut all: BTreeMap<String, Usage> = BTreeMap::new();
    for (id, operation) in operations::operations(spec) {
        let mut requests: Vec<&Value> = operation.parameters(spec).into_values().collect();
        requests.extend(operation.node.get("requestBody"));
        let responses: Vec<&Value> = operation
            .node
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|r| r.values())
            .collect();
        for name in reachable(spec, requests) {
            all.entry(name).or_default().request.insert(id.clone());
        }
        for name in reachable(spec, responses) {
            all.entry(name).or_default().response.insert(id.clone());
        }
    }
    all
}

/// Names of the component schemas `roots` refer to, directly or through other references.
fn reachable<'a>(spec: &'a Value, roots: Vec<&'a Value>) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut followed = BTreeSet::new();
    let mut pending = roots;
    while let Some(node) = pending.pop() {
        match node {
            Value::Object(map) => {
                if let Some(reference) = map.get("$ref").and_then(Value::as_str)
                    && followed.insert(reference.to_string())
                {
                    if let Some(name) = shape::component_name(reference) {
                        names.insert(name.to_string());
                    }
                    pending.extend(codegen::spec::pointee(spec, reference));
                }
                pending.extend(map.values());
            }
            Value::Array(items) => pending.extend(items),
            _ => {}
        }
    }
    names
}
