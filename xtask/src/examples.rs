//! The examples of a description, and whether each one validates against its schema.
//!
//! Examples sit on media objects (request bodies, responses) and parameters, inline (`example`,
//! `examples.<name>.value`) or in files next to the description (`examples.<name>.externalValue`,
//! resolved against the description's directory as OpenAPI specifies). Component schemas may
//! carry an `example` too. Only JSON media types are checked.

use std::path::Path;

use serde_json::Value;

use crate::{codegen, validation::Validator};

/// What checking the examples found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Checked {
    /// How many examples were validated.
    pub examples: usize,
    /// One line per problem, naming where the example is and what is wrong with it.
    pub problems: Vec<String>,
}

/// Validates every example of `spec` against its schema; `spec_dir` is the directory of the
/// description file (what `externalValue`s are relative to).
pub fn check(spec: &Value, spec_dir: &Path) -> Checked {
    let mut checker = Checker {
        spec,
        spec_dir,
        validator: Validator::new(spec),
        found: Checked::default(),
    };
    for found in codegen::spec::operations(spec) {
        let (label, operation) = (&found.label, found.node);
        checker.parameters(label, operation.get("parameters"));
        if let Some(body) = operation.get("requestBody").filter(|b| !is_ref(b)) {
            checker.content(&format!("{label} request body"), body);
        }
        for (status, response) in object(operation.get("responses")) {
            if !is_ref(response) {
                checker.content(&format!("{label} response {status}"), response);
            }
        }
    }
    for (path, item) in object(spec.get("paths")) {
        checker.parameters(&format!("path {path}"), item.get("parameters"));
    }
    for (kind, label) in [("requestBodies", "request body"), ("responses", "response")] {
        for (name, part) in object(spec.pointer(&format!("/components/{kind}"))) {
            checker.content(&format!("components.{kind}.{name} ({label})"), part);
        }
    }
    for (name, parameter) in object(spec.pointer("/components/parameters")) {
        checker.parameter(&format!("components.parameters.{name}"), parameter);
    }
    for (name, schema) in object(spec.pointer("/components/schemas")) {
        if let Some(value) = schema.get("example") {
            let reference = serde_json::json!({ "$ref": format!("#/components/schemas/{name}") });
            checker.validate(&format!("schema {name} example"), &reference, value);
        }
    }
    checker.found
}

struct Checker<'a> {
    spec: &'a Value,
    spec_dir: &'a Path,
    validator: Validator,
    found: Checked,
}

impl Checker<'_> {
    fn parameters(&mut self, label: &str, parameters: Option<&Value>) {
        for parameter in parameters.and_then(Value::as_array).into_iter().flatten() {
            if !is_ref(parameter) {
                let name = parameter.get("name").and_then(Value::as_str).unwrap_or("?");
                self.parameter(&format!("{label} parameter {name}"), parameter);
            }
        }
    }

    fn parameter(&mut self, label: &str, parameter: &Value) {
        match parameter.get("schema") {
            Some(schema) => self.examples_of(label, parameter, schema),
            None => self.content(label, parameter),
        }
    }

    /// The examples of each JSON media type of a request body, response or parameter.
    fn content(&mut self, label: &str, part: &Value) {
        for (media_type, media) in object(part.get("content")) {
            if !is_json(media_type) {
                continue;
            }
            match media.get("schema") {
                Some(schema) => self.examples_of(label, media, schema),
                None if media.get("example").is_some() || media.get("examples").is_some() => {
                    self.problem(format!("{label}: has examples but no schema to check them"));
                }
                None => {}
            }
        }
    }

    /// `example` and `examples` of a media object or parameter, against `schema`.
    fn examples_of(&mut self, label: &str, holder: &Value, schema: &Value) {
        if let Some(value) = holder.get("example") {
            self.validate(&format!("{label} example"), schema, value);
        }
        for (name, example) in object(holder.get("examples")) {
            let label = format!("{label} example `{name}`");
            let example = match example.get("$ref").and_then(Value::as_str) {
                None => example,
                Some(target) => match target.strip_prefix('#').and_then(|p| self.spec.pointer(p)) {
                    Some(found) => found,
                    None => {
                        self.problem(format!("{label}: `$ref: {target}` points at nothing"));
                        continue;
                    }
                },
            };
            if let Some(value) = example.get("value") {
                self.validate(&label, schema, value);
            } else if let Some(file) = example.get("externalValue").and_then(Value::as_str) {
                if let Some(value) = self.external(&label, file) {
                    self.validate(&format!("{label} ({file})"), schema, &value);
                }
            } else {
                self.problem(format!("{label}: has neither `value` nor `externalValue`"));
            }
        }
    }

    /// The JSON of an `externalValue` file, or `None` after recording why it cannot be read.
    fn external(&mut self, label: &str, file: &str) -> Option<Value> {
        if file.contains("://") {
            self.problem(format!(
                "{label}: externalValue `{file}` is a URL; only files next to the description \
                 can be checked"
            ));
            return None;
        }
        let path = self.spec_dir.join(file);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => {
                self.problem(format!(
                    "{label}: externalValue `{file}` cannot be read ({}: {e})",
                    path.display()
                ));
                return None;
            }
        };
        match serde_json::from_str(&text) {
            Ok(value) => Some(value),
            Err(e) => {
                self.problem(format!("{label}: externalValue `{file}` is not JSON: {e}"));
                None
            }
        }
    }

    fn validate(&mut self, label: &str, schema: &Value, value: &Value) {
        self.found.examples += 1;
        if let Err(violations) = self.validator.check(schema, value) {
            for violation in violations {
                self.problem(format!("{label}: does not match its schema: {violation}"));
            }
        }
    }

    fn problem(&mut self, problem: String) {
        self.found.problems.push(problem);
    }
}

fn object(value: Option<&Value>) -> impl Iterator<Item = (&String, &Value)> {
    value.and_then(Value::as_object).into_iter().flatten()
}

fn is_ref(value: &Value) -> bool {
    value.get("$ref").is_some()
}

pub(crate) fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or("").trim();
    essence == "application/json" || essence.ends_with("+json")
}
