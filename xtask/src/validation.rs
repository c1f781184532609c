//! Validation of example values against the description's schemas, with the crate's own
//! translation to JSON Schema and its violation messages (`src/schema/`, included here).

use serde_json::Value;

#[allow(dead_code)] // the crate uses more of it than the xtask
#[path = "../../src/schema/json_schema.rs"]
mod json_schema;
#[allow(dead_code)]
#[path = "../../src/schema/violation.rs"]
mod violation;

/// Validates values against schemas of one description (read at run time, not the one
/// compiled into the crate).
pub(crate) struct Validator {
    components: Value,
}

impl Validator {
    pub(crate) fn new(spec: &Value) -> Self {
        Validator {
            components: json_schema::components(spec),
        }
    }

    /// Checks `value` against `schema` (an OpenAPI schema, possibly a `$ref`); on failure every
    /// violation, as `at <JSON pointer>: <what is wrong>`, ordered by pointer.
    pub(crate) fn check(&self, schema: &Value, value: &Value) -> Result<(), Vec<String>> {
        let document = json_schema::document_for(&self.components, schema);
        let validator = json_schema::validator(&document)
            .map_err(|e| vec![format!("the schema does not compile: {e}")])?;
        let mut violations: Vec<violation::Violation> = validator
            .iter_errors(value)
            .flat_map(|error| violation::describe(&error, &document))
            .collect();
        if violations.is_empty() {
            return Ok(());
        }
        violations.sort_by(|a, b| a.pointer.cmp(&b.pointer));
        Err(violations.iter().map(ToString::to_string).collect())
    }
}
