//! Turning the JSON Schema engine's errors into [`Violation`]s a person can act on.

use std::fmt;

use jsonschema::{ValidationError, error::ValidationErrorKind as Kind};
use serde_json::Value;

/// One way a value breaks a schema.
///
/// ```
/// use intercom_api::schema;
/// use serde_json::json;
///
/// let error = schema::validate("Note", &json!({"html": "<p>Hi</p>", "created_at": "today"})).unwrap_err();
/// let violation = &error.violations()[0];
/// assert_eq!(violation.pointer, "/created_at");
/// assert!(violation.to_string().starts_with("at /created_at: "), "{violation}");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// JSON pointer (RFC 6901) to the offending value; `""` is the whole document. For a
    /// missing property, the object that lacks it.
    pub pointer: String,
    /// What is wrong, naming the field(s) concerned.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        write!(f, "at {at}: {}", self.message)
    }
}

/// The violations one engine error stands for (usually one; a failed `oneOf` whose intended
/// branch is clear reports that branch's own violations instead).
pub(crate) fn describe(error: &ValidationError<'_>, document: &Value) -> Vec<Violation> {
    let pointer = error.instance_path().as_str().to_string();
    let message = match error.kind() {
        Kind::Required { property } => format!("`{}` is required", name(property)),
        Kind::Enum { options } => format!(
            "{} is not one of: {}",
            error.instance(),
            options
                .as_array()
                .map(|o| o.iter().map(name).collect::<Vec<_>>().join(", "))
                .unwrap_or_default()
        ),
        Kind::AnyOf { context } | Kind::OneOfNotValid { context } => {
            if let Some(message) = required_message(context) {
                message
            } else if let Some(branch) = intended_branch(context, error.instance_path().as_str()) {
                return branch.iter().flat_map(|e| describe(e, document)).collect();
            } else {
                let node = schema_at(document, error.schema_path().as_str());
                format!("must be one of: {}", alternatives(node, document))
            }
        }
        Kind::MaxProperties { limit } => format!(
            "has {} keys; at most {limit} are allowed",
            error.instance().as_object().map_or(0, |keys| keys.len())
        ),
        Kind::MinLength { limit: 1 } => match pointer.rsplit_once('/') {
            Some((_, field)) if !field.is_empty() => format!("`{field}` must not be empty"),
            _ => "must not be empty".to_string(),
        },
        _ => error.to_string(),
    };
    vec![Violation { pointer, message }]
}

/// Messages for the "one of these fields" shapes of this description.
fn required_message(context: &[Vec<ValidationError<'static>>]) -> Option<String> {
    // `anyOf: [{required: [user_id]}, {required: [email]}]`
    let mut missing = Vec::new();
    for branch in context {
        match required_only(branch) {
            Some(names) => missing.extend(names),
            None => {
                missing.clear();
                break;
            }
        }
    }
    if !missing.is_empty() {
        return Some(format!("one of {} is required", quoted(&missing, ", ")));
    }
    // `anyOf: [{required: [tag_or_untag]}, {not: {anyOf: [{required: [user_ids]}, ...]}}]`
    let [needed, guard] = context else {
        return None;
    };
    let needed = required_only(needed)?;
    let [only] = guard.as_slice() else {
        return None;
    };
    let Kind::Not { schema } = only.kind() else {
        return None;
    };
    let triggers = required_lists(schema)?;
    Some(format!(
        "{} is required when {} is sent",
        quoted(&needed, ", "),
        quoted(&triggers, " or ")
    ))
}

/// The branch the value was evidently meant for: among the branches whose type fits the value,
/// the one with strictly the fewest errors.
fn intended_branch<'c>(
    context: &'c [Vec<ValidationError<'static>>],
    at: &str,
) -> Option<&'c [ValidationError<'static>]> {
    let mut fitting: Vec<&Vec<ValidationError<'static>>> = context
        .iter()
        .filter(|branch| {
            !branch
                .iter()
                .any(|e| e.instance_path().as_str() == at && matches!(e.kind(), Kind::Type { .. }))
        })
        .collect();
    fitting.sort_by_key(|branch| branch.len());
    match fitting.as_slice() {
        [best] => Some(best),
        [best, next, ..] if best.len() < next.len() => Some(best),
        _ => None,
    }
}

fn required_only(branch: &[ValidationError<'static>]) -> Option<Vec<String>> {
    if branch.is_empty() {
        return None;
    }
    branch
        .iter()
        .map(|error| match error.kind() {
            Kind::Required { property } => Some(name(property)),
            _ => None,
        })
        .collect()
}

/// For `{anyOf: [{required: [a]}, {required: [b]}]}`: `[a, b]`.
fn required_lists(schema: &Value) -> Option<Vec<String>> {
    let lists = schema
        .get("anyOf")?
        .as_array()?
        .iter()
        .map(|member| member.get("required")?.as_array())
        .collect::<Option<Vec<_>>>()?;
    Some(lists.into_iter().flatten().map(name).collect())
}

/// The schema holding the failed keyword (`schema_path` ends with the keyword itself).
fn schema_at<'d>(document: &'d Value, schema_path: &str) -> Option<&'d Value> {
    let parent = schema_path
        .rsplit_once('/')
        .map_or("", |(parent, _)| parent);
    document.pointer(parent)
}

/// "a string, MetadataNumber, RichLink {url, value}" for the members of a `oneOf`/`anyOf`.
fn alternatives(node: Option<&Value>, document: &Value) -> String {
    let members = node
        .and_then(|n| n.get("oneOf").or_else(|| n.get("anyOf")))
        .and_then(Value::as_array);
    let Some(members) = members else {
        return "the allowed forms".to_string();
    };
    members
        .iter()
        .map(|member| {
            if let Some(reference) = member.get("$ref").and_then(Value::as_str) {
                let target = reference
                    .strip_prefix('#')
                    .and_then(|p| document.pointer(p));
                let short = reference.rsplit('/').next().unwrap_or(reference);
                match target
                    .and_then(|t| t.get("required"))
                    .and_then(Value::as_array)
                {
                    Some(required) => {
                        let fields: Vec<String> = required.iter().map(name).collect();
                        format!("{short} {{{}}}", fields.join(", "))
                    }
                    None => match target.and_then(|t| t.get("type")).map(name) {
                        Some(kind) => format!("a {kind}"),
                        None => short.to_string(),
                    },
                }
            } else {
                match member.get("type").map(name) {
                    Some(kind) => format!("a {kind}"),
                    None => member.to_string(),
                }
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn name(value: &Value) -> String {
    value
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| value.to_string())
}

fn quoted(names: &[String], separator: &str) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(separator)
}
