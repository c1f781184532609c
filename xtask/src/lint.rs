//! `cargo xtask lint`: the generator's rules (codegen/lint.rs: operationId, summary, tag,
//! documented error responses, the layouts progenitor cannot take) and every example against
//! its schema.

use std::path::Path;

use serde_json::Value;

use crate::{codegen, examples};

/// What the lint found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// How many operations the description has.
    pub operations: usize,
    /// How many examples were validated.
    pub examples: usize,
    /// One line per problem, naming the operation, schema or example and the rule broken;
    /// empty when the description is fine.
    pub problems: Vec<String>,
}

/// Lints `spec`; `spec_dir` is the directory of the description file, which `externalValue`
/// examples are relative to.
pub fn lint(spec: &Value, spec_dir: &Path) -> Report {
    let mut problems = codegen::lint::lint(spec);
    problems.extend(codegen::operations::unmarked(spec));
    let checked = examples::check(spec, spec_dir);
    problems.extend(checked.problems);
    Report {
        operations: codegen::spec::operations(spec).len(),
        examples: checked.examples,
        problems,
    }
}
