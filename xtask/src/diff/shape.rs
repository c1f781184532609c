//! A schema node reduced to what the diff compares: `$ref`s named, `allOf` wrappers unwrapped
//! (keeping their `nullable`), `allOf` of several members merged, validation-only combinators
//! set apart (as codegen's `strip_validation_only` defines them), `oneOf`/`anyOf` members
//! labelled.

use std::{
    collections::{BTreeMap, BTreeSet},
    fmt,
};

use serde_json::Value;

use super::rules::Extra;
use crate::codegen::{self, spec};

/// How deep `$ref`s to non-component places and merged `allOf`s are followed.
const MAX_DEPTH: usize = 16;

/// What a schema is, as far as its Rust type goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// A `$ref` to a component schema (a named Rust type).
    Named(String),
    /// A `type`, with its `format`.
    Typed {
        name: String,
        format: Option<String>,
    },
    /// `oneOf` members (an untagged Rust enum).
    OneOf,
    /// `anyOf` members (an untagged Rust enum).
    AnyOf,
    /// No constraint on the type.
    Any,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Kind::Named(name) => f.write_str(name),
            Kind::Typed { name, format: None } => f.write_str(name),
            Kind::Typed {
                name,
                format: Some(format),
            } => write!(f, "{name} ({format})"),
            Kind::OneOf => f.write_str("oneOf"),
            Kind::AnyOf => f.write_str("anyOf"),
            Kind::Any => f.write_str("any value"),
        }
    }
}

/// What a schema allows for keys other than its properties.
#[derive(Clone, Copy, Debug)]
pub(super) enum Additional<'a> {
    Any,
    Forbidden,
    Schema(&'a Value),
}

impl Additional<'_> {
    pub(super) fn extra(&self) -> Extra {
        match self {
            Additional::Any => Extra::Any,
            Additional::Forbidden => Extra::Forbidden,
            Additional::Schema(_) => Extra::Schema,
        }
    }
}

/// A schema node, normalised.
#[derive(Clone, Debug)]
pub(super) struct Shape<'a> {
    pub kind: Kind,
    pub nullable: bool,
    pub default: Option<&'a Value>,
    pub properties: BTreeMap<&'a str, &'a Value>,
    pub required: BTreeSet<&'a str>,
    pub items: Option<&'a Value>,
    pub additional: Additional<'a>,
    /// `x-pattern-properties`: key pattern to value schema.
    pub patterns: BTreeMap<&'a str, &'a Value>,
    pub enum_values: Option<Vec<&'a Value>>,
    /// `oneOf`/`anyOf` members, by label (the component name, else the type).
    pub variants: Vec<(String, &'a Value)>,
    /// Validation-only combinators (`anyOf` of `required` lists and the like), by keyword.
    pub rules: BTreeMap<String, Value>,
}

impl<'a> Shape<'a> {
    /// Normalises `node`, a schema of the description `spec`.
    pub(super) fn of(spec: &'a Value, node: &'a Value) -> Shape<'a> {
        Shape::at_depth(spec, node, 0)
    }

    fn at_depth(spec: &'a Value, node: &'a Value, depth: usize) -> Shape<'a> {
        let mut shape = Shape::empty();
        let Some(map) = node.as_object() else {
            return shape; // `true`, `{}`-like or malformed: any value
        };
        if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
            // OpenAPI 3.0 ignores the siblings of `$ref`.
            return match component_name(reference) {
                Some(name) => Shape {
                    kind: Kind::Named(name.to_string()),
                    ..Shape::empty()
                },
                None => match spec::pointee(spec, reference) {
                    Some(target) if depth < MAX_DEPTH => Shape::at_depth(spec, target, depth + 1),
                    _ => Shape {
                        kind: Kind::Named(reference.to_string()),
                        ..Shape::empty()
                    },
                },
            };
        }
        shape.rules = validation_rules(node);
        shape.nullable = map.get("nullable").and_then(Value::as_bool) == Some(true);
        shape.default = map.get("default");

        let all_of = map
            .get("allOf")
            .and_then(Value::as_array)
            .filter(|_| !shape.rules.contains_key("allOf"));
        if let Some(members) = all_of {
            if let [only] = members.as_slice()
                && !map.contains_key("type")
                && !map.contains_key("properties")
            {
                // `allOf: [X]` wraps X to give it a description or `nullable`.
                let mut inner = Shape::at_depth(spec, only, depth + 1);
                inner.nullable |= shape.nullable;
                inner.default = shape.default.or(inner.default);
                inner.rules.extend(shape.rules);
                return inner;
            }
            for member in members {
                let member = match member.get("$ref").and_then(Value::as_str) {
                    Some(reference) => spec::pointee(spec, reference).unwrap_or(member),
                    None => member,
                };
                if depth < MAX_DEPTH {
                    let merged = Shape::at_depth(spec, member, depth + 1);
                    shape.properties.extend(merged.properties);
                    shape.required.extend(merged.required);
                }
            }
        }

        for (keyword, kind) in [("oneOf", Kind::OneOf), ("anyOf", Kind::AnyOf)] {
            if shape.rules.contains_key(keyword) {
                continue;
            }
            if let Some(members) = map.get(keyword).and_then(Value::as_array) {
                shape.kind = kind;
                shape.variants = label_variants(spec, members, depth);
            }
        }

        if let Some(properties) = map.get("properties").and_then(Value::as_object) {
            shape
                .properties
                .extend(properties.iter().map(|(k, v)| (k.as_str(), v)));
        }
        shape.required.extend(
            map.get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str),
        );
        shape.items = map.get("items");
        shape.additional = match map.get("additionalProperties") {
            None | Some(Value::Bool(true)) => Additional::Any,
            Some(Value::Bool(false)) => Additional::Forbidden,
            Some(Value::Object(o)) if o.is_empty() => Additional::Any,
            Some(schema) => Additional::Schema(schema),
        };
        if let Some(patterns) = map.get("x-pattern-properties").and_then(Value::as_object) {
            shape.patterns = patterns.iter().map(|(k, v)| (k.as_str(), v)).collect();
        }
        shape.enum_values = map
            .get("enum")
            .and_then(Value::as_array)
            .map(|values| values.iter().collect());

        if shape.kind == Kind::Any {
            shape.kind = match map.get("type").and_then(Value::as_str) {
                Some(name) => Kind::Typed {
                    name: name.to_string(),
                    format: map
                        .get("format")
                        .and_then(Value::as_str)
                        .map(str::to_string),
                },
                None if !shape.properties.is_empty() => typed("object"),
                None if shape.items.is_some() => typed("array"),
                None => Kind::Any,
            };
        }
        shape
    }

    fn empty() -> Shape<'a> {
        Shape {
            kind: Kind::Any,
            nullable: false,
            default: None,
            properties: BTreeMap::new(),
            required: BTreeSet::new(),
            items: None,
            additional: Additional::Any,
            patterns: BTreeMap::new(),
            enum_values: None,
            variants: Vec::new(),
            rules: BTreeMap::new(),
        }
    }

    /// Whether the Rust field typify makes for a property of this shape is an `Option<T>`:
    /// nullable values always are; a property that is not required is too, unless it has a
    /// `default` or an intrinsic one (an inline array becomes a `Vec`, an inline map a map,
    /// both defaulting to empty).
    pub(super) fn field_is_option(&self, required: bool) -> bool {
        self.nullable || (!required && self.default.is_none() && !self.has_intrinsic_default())
    }

    fn has_intrinsic_default(&self) -> bool {
        match &self.kind {
            Kind::Typed { name, .. } if name == "array" => true,
            Kind::Typed { name, .. } if name == "object" => self.properties.is_empty(),
            _ => false,
        }
    }
}

fn typed(name: &str) -> Kind {
    Kind::Typed {
        name: name.to_string(),
        format: None,
    }
}

/// `X` for `#/components/schemas/X`.
pub(super) fn component_name(reference: &str) -> Option<&str> {
    reference
        .strip_prefix("#/components/schemas/")
        .filter(|name| !name.contains('/'))
}

/// The combinators of `node` that only constrain values: those `strip_validation_only` (the
/// generator's view) removes from it.
fn validation_rules(node: &Value) -> BTreeMap<String, Value> {
    let stripped = codegen::settings::strip_validation_only(node);
    ["allOf", "anyOf", "oneOf", "not"]
        .into_iter()
        .filter(|key| node.get(*key).is_some() && stripped.get(*key).is_none())
        .filter_map(|key| Some((key.to_string(), node.get(key)?.clone())))
        .collect()
}

/// Labels `oneOf`/`anyOf` members by component name or type, numbering repeats.
fn label_variants<'a>(
    spec: &'a Value,
    members: &'a [Value],
    depth: usize,
) -> Vec<(String, &'a Value)> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    members
        .iter()
        .map(|member| {
            let label = if depth < MAX_DEPTH {
                Shape::at_depth(spec, member, depth + 1).kind.to_string()
            } else {
                "?".to_string()
            };
            let count = seen.entry(label.clone()).or_default();
            *count += 1;
            let label = if *count == 1 {
                label
            } else {
                format!("{label} #{count}")
            };
            (label, member)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::Shape;
    use crate::diff::public_items;

    /// `Shape::field_is_option` predicts typify's choice between `T` and `Option<T>` for every
    /// property of every component object, in the real description and the test base, as
    /// the generated code shows it.
    #[test]
    fn field_is_option_agrees_with_the_generated_code() {
        let real = crate::codegen::load_spec(&crate::spec_path(&crate::default_root())).unwrap();
        let test_base =
            crate::codegen::parse_spec(include_str!("../../tests/specs/base.yaml")).unwrap();
        let mut checked = 0;
        for spec in [&real, &test_base] {
            let items = public_items(&crate::generate(spec).unwrap()).unwrap();
            let schemas = spec["components"]["schemas"].as_object().unwrap();
            for (name, schema) in schemas {
                let shape = Shape::of(spec, schema);
                for (property, node) in &shape.properties {
                    let field = if *property == "type" {
                        "type_"
                    } else {
                        property
                    };
                    let Some(item) = items.get(&format!("types::{name}.{field}")) else {
                        continue;
                    };
                    let predicted =
                        Shape::of(spec, node).field_is_option(shape.required.contains(property));
                    let actual = item.signature.starts_with("::std::option::Option<");
                    assert_eq!(predicted, actual, "{name}.{property}: {}", item.signature);
                    checked += 1;
                }
            }
        }
        assert!(checked > 100, "only {checked} fields checked");
    }
}
