//! The component schemas section of the diff: each schema added, removed or compared, judged
//! by how the operations use it.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::{Change, ChangeKind, Subject, compare::Comparer, rules, usage::Usage};

/// Changes to `components.schemas`, by schema name.
pub(super) fn compare(base: &Value, head: &Value, usage: &BTreeMap<String, Usage>) -> Vec<Change> {
    let before = schemas(base);
    let after = schemas(head);
    let names: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    let mut changes = Vec::new();
    for name in names {
        let direction = usage
            .get(name)
            .map_or(rules::Direction::Both, Usage::direction);
        let mut comparer = Comparer::new(base, head, Subject::Schema(name.clone()), direction);
        match (before.get(name), after.get(name)) {
            (Some(_), None) => comparer.push(
                "",
                ChangeKind::SchemaRemoved,
                "schema removed".into(),
                rules::schema_removed(),
            ),
            (None, Some(_)) => comparer.push(
                "",
                ChangeKind::SchemaAdded,
                "schema added".into(),
                rules::schema_added(),
            ),
            (Some(b), Some(a)) => comparer.schema("", b, a),
            (None, None) => {}
        }
        changes.extend(comparer.changes);
    }
    changes
}

fn schemas(spec: &Value) -> BTreeMap<String, &Value> {
    spec.pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| schemas.iter().map(|(k, v)| (k.clone(), v)).collect())
        .unwrap_or_default()
}
