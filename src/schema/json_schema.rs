//! OpenAPI 3.0 schemas translated to JSON Schema 2020-12, and the validator compiled from them.
//!
//! Nothing here reads the embedded description, so `cargo xtask lint` includes this file (with
//! `violation.rs`) through `#[path]` and validates the examples of a description read at run
//! time exactly as the crate validates payloads: one translation, two users.

use serde_json::{Map, Value, json};

/// `components.schemas` of `description`, translated, as `{"schemas": {...}}`: the part of
/// every validation document that `$ref`s resolve against.
pub(crate) fn components(description: &Value) -> Value {
    let schemas = description
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| {
            schemas
                .iter()
                .map(|(name, schema)| (name.clone(), to_json_schema(schema)))
                .collect::<Map<_, _>>()
        })
        .unwrap_or_default();
    json!({ "schemas": schemas })
}

/// A complete JSON Schema document for `schema` (an OpenAPI schema that may `$ref` components),
/// given the translated `components` of its description.
pub(crate) fn document_for(components: &Value, schema: &Value) -> Value {
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "components": components,
        "allOf": [to_json_schema(schema)],
    })
}

/// Compiles a document made by [`document_for`] with the engine settings the crate uses.
pub(crate) fn validator(
    document: &Value,
) -> Result<jsonschema::Validator, jsonschema::ValidationError<'static>> {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .build(document)
}

/// Translates one OpenAPI 3.0 schema (and everything nested in it) to JSON Schema 2020-12:
/// `nullable`, the boolean `exclusiveMinimum`/`exclusiveMaximum`, and this description's
/// `x-pattern-properties` (3.0 has no `patternProperties`).
pub(crate) fn to_json_schema(schema: &Value) -> Value {
    let Some(map) = schema.as_object() else {
        return schema.clone();
    };
    let mut out = Map::new();
    let mut nullable = false;
    for (key, value) in map {
        match key.as_str() {
            "nullable" => nullable = value.as_bool().unwrap_or(false),
            "properties" | "x-pattern-properties" => {
                let translated = value
                    .as_object()
                    .map(|props| {
                        props
                            .iter()
                            .map(|(name, sub)| (name.clone(), to_json_schema(sub)))
                            .collect::<Map<_, _>>()
                    })
                    .unwrap_or_default();
                let key = if key == "properties" {
                    "properties"
                } else {
                    "patternProperties"
                };
                out.insert(key.to_string(), Value::Object(translated));
            }
            "items" | "additionalProperties" | "not" => {
                out.insert(key.clone(), to_json_schema(value));
            }
            "allOf" | "anyOf" | "oneOf" => {
                let members = value
                    .as_array()
                    .map(|members| members.iter().map(to_json_schema).collect())
                    .unwrap_or_default();
                out.insert(key.clone(), Value::Array(members));
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    for (flag, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if out.get(flag) == Some(&Value::Bool(true)) {
            match out.remove(bound) {
                Some(limit) => out.insert(flag.to_string(), limit),
                None => out.remove(flag),
            };
        } else if out.get(flag) == Some(&Value::Bool(false)) {
            out.remove(flag);
        }
    }
    if nullable {
        return make_nullable(out);
    }
    Value::Object(out)
}

fn make_nullable(mut schema: Map<String, Value>) -> Value {
    if let Some(Value::Array(options)) = schema.get_mut("enum") {
        options.push(Value::Null);
    }
    match schema.get("type").cloned() {
        Some(Value::String(kind)) => {
            schema.insert("type".into(), json!([kind, "null"]));
            Value::Object(schema)
        }
        Some(Value::Array(mut kinds)) => {
            kinds.push(json!("null"));
            schema.insert("type".into(), Value::Array(kinds));
            Value::Object(schema)
        }
        // `allOf: [{$ref}]` and other untyped schemas: null, or whatever the schema allows.
        _ => json!({ "anyOf": [{ "type": "null" }, Value::Object(schema)] }),
    }
}
