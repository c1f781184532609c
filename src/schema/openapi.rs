//! The description as JSON, embedded at build time, and its translation to JSON Schema (see
//! `json_schema.rs`, which holds the translation itself).

use std::sync::LazyLock;

use serde_json::Value;

use super::json_schema;

/// The description (`openapi/intercom.yaml`) as JSON, embedded at build time.
static DESCRIPTION: LazyLock<Value> = LazyLock::new(|| {
    serde_json::from_str(include_str!(concat!(
        env!("OUT_DIR"),
        "/intercom_openapi.json"
    )))
    .expect("build.rs wrote the description as valid JSON")
});

/// `components.schemas`, translated to JSON Schema once.
static COMPONENTS: LazyLock<Value> = LazyLock::new(|| json_schema::components(&DESCRIPTION));

pub(crate) fn description() -> &'static Value {
    &DESCRIPTION
}

/// A complete JSON Schema document for `schema` (an OpenAPI schema that may `$ref` components).
pub(crate) fn document_for(schema: &Value) -> Value {
    json_schema::document_for(&COMPONENTS, schema)
}

/// Follows local `$ref`s (`#/...`) to what they point at; other values are returned as they are.
pub(crate) fn resolve(node: &Value) -> &Value {
    super::spec::resolve(&DESCRIPTION, node)
}
