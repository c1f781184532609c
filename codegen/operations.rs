//! The table of operations: every per-operation fact the hand-written code needs, read from the
//! description once and emitted into the generated code as `operations::ALL` and one constant
//! per operation (`operations::LIST_USERS`, ...), of the type `crate::operations::Operation`.
//!
//! | fact | from the description |
//! | --- | --- |
//! | method, path | the path item and the method under it |
//! | wire path | `x-wire-path` when the path item is a stand-in (two operations of one path and method), else the path |
//! | credentials | `security` (the operation's, else the document's): `http` schemes `basic` and `bearer` |
//! | replay rule | `x-replay: safe | if-not-processed`; a GET without it is `safe`, another method `if-not-processed` (and `cargo xtask lint` asks it to say) |
//! | required query | query parameters with `required: true` (and their `enum`, which tells two operations of one wire path apart) |
//! | one-of query | `x-required-any`: at least one of these query parameters |
//! | limits | `minimum`, `maximum` and `default` of integer query parameters |
//! | version header | a header parameter named `Intercom-Version` |
//! | error body | the component schema of the operation's error responses |

use std::collections::BTreeMap;

use heck::{ToPascalCase, ToShoutySnakeCase, ToSnakeCase};
use serde_json::Value;

use super::spec::{self, SpecOperation};

/// The `x-` extension that says whether an operation may be sent again.
pub const REPLAY_EXTENSION: &str = "x-replay";
/// The `x-` extension that gives the path sent on the wire when the path key is a stand-in.
pub const WIRE_PATH_EXTENSION: &str = "x-wire-path";
/// The `x-` extension that lists query parameters of which at least one is required.
pub const REQUIRED_ANY_EXTENSION: &str = "x-required-any";
/// The rule of an operation object: its `x-replay`, else `safe` for a GET (`None` when a
/// non-GET says nothing).
pub fn replay_of(node: &Value, method: &str) -> Option<String> {
    match node.get(REPLAY_EXTENSION) {
        Some(value) => Some(
            value
                .as_str()
                .map_or_else(|| value.to_string(), str::to_string),
        ),
        None if method.eq_ignore_ascii_case("get") || method.eq_ignore_ascii_case("head") => {
            Some("safe".to_string())
        }
        None => None,
    }
}

/// The path an operation is sent to: its `x-wire-path`, else its path key.
pub fn wire_path_of<'a>(node: &'a Value, path: &'a str) -> &'a str {
    node.get(WIRE_PATH_EXTENSION)
        .and_then(Value::as_str)
        .unwrap_or(path)
}

/// The values `x-replay` takes, with the Rust variant each stands for.
pub const REPLAY_VALUES: &[(&str, &str)] =
    &[("safe", "Safe"), ("if-not-processed", "IfNotProcessed")];

/// One operation's facts, as read from the description.
#[derive(Clone, Debug, PartialEq)]
pub struct Facts {
    /// `operationId` (`listUsers`).
    pub operation_id: String,
    /// progenitor's method name and `OperationInfo::operation_id` (`list_users`).
    pub name: String,
    pub summary: String,
    /// Upper case (`GET`).
    pub method: String,
    pub path: String,
    pub wire_path: String,
    /// `Basic`, `Bearer`, in the description's order of preference.
    pub credentials: Vec<&'static str>,
    /// `Safe` or `IfNotProcessed`.
    pub replay: &'static str,
    /// Required query parameters, each with the values it is limited to (empty: any).
    pub required_query: Vec<(String, Vec<String>)>,
    pub required_any_query: Vec<String>,
    /// Integer query parameters with a minimum, a maximum or a default.
    pub limits: Vec<Limit>,
    pub intercom_version: bool,
    /// The component schema of the error responses (`V1Error`), or `""` when they have none.
    pub error_schema: String,
}

/// The bounds and default of an integer query parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Limit {
    pub name: String,
    pub minimum: Option<i64>,
    pub maximum: Option<i64>,
    pub default: Option<i64>,
}

/// Every operation's facts, or every problem found while reading them (one line each).
pub fn table(document: &Value) -> Result<Vec<Facts>, Vec<String>> {
    let mut facts = Vec::new();
    let mut problems = Vec::new();
    for operation in spec::operations(document) {
        match read(document, &operation) {
            Ok(read) => facts.push(read),
            Err(mut found) => problems.append(&mut found),
        }
    }
    problems.extend(ambiguities(&facts));
    if problems.is_empty() {
        Ok(facts)
    } else {
        Err(problems)
    }
}

fn read(document: &Value, operation: &SpecOperation<'_>) -> Result<Facts, Vec<String>> {
    let at = &operation.label;
    let node = operation.node;
    let mut problems = Vec::new();
    let operation_id = node
        .get("operationId")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let method = operation.method.to_uppercase();

    // Without a rule a write is not replayed; `cargo xtask lint` asks for one (`unmarked`).
    let replay = match replay_of(node, &method) {
        None => "IfNotProcessed",
        Some(value) => match REPLAY_VALUES.iter().find(|(name, _)| *name == value) {
            Some((_, variant)) => variant,
            None => {
                let allowed: Vec<&str> = REPLAY_VALUES.iter().map(|(name, _)| *name).collect();
                problems.push(format!(
                    "{at}: `{REPLAY_EXTENSION}: {value}` is not one of {}",
                    allowed.join(", ")
                ));
                "IfNotProcessed"
            }
        },
    };

    let wire_path = match node.get(WIRE_PATH_EXTENSION) {
        None => operation.path.to_string(),
        Some(Value::String(wire)) if wire.starts_with('/') && !wire.contains('{') => {
            if operation.path.contains('{') {
                problems.push(format!(
                    "{at}: `{WIRE_PATH_EXTENSION}` is only for paths without parameters"
                ));
            }
            wire.clone()
        }
        Some(other) => {
            problems.push(format!(
                "{at}: `{WIRE_PATH_EXTENSION}: {other}` must be a path starting with `/`, \
                 without parameters"
            ));
            operation.path.to_string()
        }
    };

    let credentials = credentials(document, node, at, &mut problems);

    let mut required_query = Vec::new();
    let mut limits = Vec::new();
    let mut intercom_version = false;
    let mut query_names = Vec::new();
    for parameter in spec::parameters(document, operation) {
        let name = parameter
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let schema = parameter.get("schema").map(|s| spec::resolve(document, s));
        match parameter.get("in").and_then(Value::as_str) {
            Some("header") if name.eq_ignore_ascii_case("intercom-version") => {
                intercom_version = true;
            }
            Some("query") => {
                query_names.push(name.to_string());
                if parameter.get("required") == Some(&Value::Bool(true)) {
                    let values = schema
                        .and_then(|s| s.get("enum"))
                        .and_then(Value::as_array)
                        .map(|values| values.iter().map(scalar_text).collect())
                        .unwrap_or_default();
                    required_query.push((name.to_string(), values));
                }
                if let Some(schema) = schema.filter(|s| s.get("type") == Some(&"integer".into())) {
                    let int = |key: &str| schema.get(key).and_then(Value::as_i64);
                    let limit = Limit {
                        name: name.to_string(),
                        minimum: int("minimum"),
                        maximum: int("maximum"),
                        default: int("default"),
                    };
                    if limit.minimum.is_some() || limit.maximum.is_some() || limit.default.is_some()
                    {
                        limits.push(limit);
                    }
                }
            }
            _ => {}
        }
    }

    let required_any_query: Vec<String> = node
        .get(REQUIRED_ANY_EXTENSION)
        .and_then(Value::as_array)
        .map(|names| {
            names
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    for name in &required_any_query {
        if !query_names.contains(name) {
            problems.push(format!(
                "{at}: `{REQUIRED_ANY_EXTENSION}` names `{name}`, which is not one of its query \
                 parameters"
            ));
        }
    }

    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Facts {
        name: operation_id.to_snake_case(),
        summary: node
            .get("summary")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        operation_id,
        method,
        path: operation.path.to_string(),
        wire_path,
        credentials,
        replay,
        required_query,
        required_any_query,
        limits,
        intercom_version,
        error_schema: error_schema(document, node),
    })
}

/// The credentials (`Basic`, `Bearer`) of an operation object, as far as they can be read.
pub fn credentials_of(document: &Value, node: &Value) -> Vec<&'static str> {
    credentials(document, node, "", &mut Vec::new())
}

/// The schemes of the operation's `security` (else the document's), in order.
fn credentials(
    document: &Value,
    node: &Value,
    at: &str,
    problems: &mut Vec<String>,
) -> Vec<&'static str> {
    let requirements = node
        .get("security")
        .or_else(|| document.get("security"))
        .and_then(Value::as_array);
    let mut found = Vec::new();
    for requirement in requirements.into_iter().flatten() {
        let Some(schemes) = requirement.as_object() else {
            continue;
        };
        if schemes.len() != 1 {
            problems.push(format!(
                "{at}: a security requirement with {} schemes at once is not supported; list \
                 alternatives as separate requirements",
                schemes.len()
            ));
            continue;
        }
        for name in schemes.keys() {
            let scheme = document
                .pointer(&format!("/components/securitySchemes/{name}"))
                .map(|s| spec::resolve(document, s));
            let kind = scheme.and_then(|s| {
                (s.get("type").and_then(Value::as_str) == Some("http"))
                    .then(|| s.get("scheme").and_then(Value::as_str))
                    .flatten()
            });
            match kind.map(str::to_ascii_lowercase).as_deref() {
                Some("basic") => found.push("Basic"),
                Some("bearer") => found.push("Bearer"),
                _ => problems.push(format!(
                    "{at}: security scheme `{name}` is not an `http` scheme `basic` or `bearer` \
                     of components.securitySchemes"
                )),
            }
        }
    }
    if found.is_empty() && problems.is_empty() {
        problems.push(format!(
            "{at}: says no credential (`security`, on the operation or the document)"
        ));
    }
    found
}

/// The component schema of the first error response that has a JSON body.
fn error_schema(document: &Value, node: &Value) -> String {
    let Some(responses) = node.get("responses").and_then(Value::as_object) else {
        return String::new();
    };
    responses
        .iter()
        .filter(|(status, _)| status.starts_with('4') || status.starts_with('5'))
        .filter_map(|(_, response)| {
            spec::resolve(document, response)
                .pointer("/content/application~1json/schema/$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
        })
        .next()
        .unwrap_or_default()
        .to_string()
}

/// Writes that do not say whether they may be sent again (`x-replay`): the build treats them
/// as `if-not-processed` (never replayed once they may have reached the server), and
/// `cargo xtask lint` reports them, so that the choice is made, not defaulted.
pub fn unmarked(document: &Value) -> Vec<String> {
    spec::operations(document)
        .into_iter()
        .filter(|operation| replay_of(operation.node, operation.method).is_none())
        .map(|operation| {
            format!(
                "{}: a {} must say whether it may be sent again: add `{REPLAY_EXTENSION}: safe` \
                 (idempotent, or de-duplicated by the server) or `{REPLAY_EXTENSION}: \
                 if-not-processed` (it acts each time it is sent); without it, it is not replayed",
                operation.label,
                operation.method.to_uppercase()
            )
        })
        .collect()
}

/// Two operations of one wire path and method that no query can tell apart.
fn ambiguities(facts: &[Facts]) -> Vec<String> {
    let mut seen: BTreeMap<(String, String, String), &str> = BTreeMap::new();
    let mut problems = Vec::new();
    for operation in facts {
        let selector = format!(
            "{:?} {:?}",
            operation.required_query, operation.required_any_query
        );
        let key = (
            operation.method.clone(),
            operation.wire_path.trim_end_matches('/').to_string(),
            selector,
        );
        if let Some(other) = seen.insert(key, &operation.operation_id) {
            problems.push(format!(
                "operation {} ({} {}): sent as the same request as {other} (same wire path, \
                 method and required query); give one a required query parameter that tells \
                 them apart",
                operation.operation_id, operation.method, operation.wire_path
            ));
        }
    }
    problems
}

fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Checks that progenitor named each operation as the table does (its `OperationInfo`).
pub fn check_names(facts: &[Facts], generated: &str) -> Result<(), String> {
    let missing: Vec<String> = facts
        .iter()
        .filter(|f| !generated.contains(&format!("operation_id: \"{}\"", f.name)))
        .map(|f| format!("{} (expected `{}`)", f.operation_id, f.name))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the operation table's names differ from progenitor's for: {}; use an operationId \
             of letters and digits only",
            missing.join(", ")
        ))
    }
}

/// The table as Rust source: `pub mod operations { ... }`.
pub fn render(facts: &[Facts]) -> String {
    let mut out = String::new();
    out.push_str(
        "/// The operations of the description, one constant each, with every per-operation fact \
         the crate reads (generated from `openapi/intercom.yaml`).\n\
         pub mod operations {\n\
         use crate::operations::{Credential, Operation, QueryLimit, QueryRequirement, Replay};\n",
    );
    out.push_str(
        "/// Which operation an [`Operation`] is, for `match`es (a description may gain \
         operations, so a `match` needs a `_` arm).\n\
         #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]\n\
         #[non_exhaustive]\n\
         pub enum OperationId {\n",
    );
    for f in facts {
        out.push_str(&format!(
            "/// `{}`: {}\n{},\n",
            f.operation_id,
            doc_text(&f.summary),
            f.operation_id.to_pascal_case()
        ));
    }
    out.push_str("}\n");
    for f in facts {
        out.push_str(&format!(
            "/// `{} {}`: {}\npub const {}: Operation = Operation {{\n",
            f.method,
            f.wire_path,
            doc_text(&f.summary),
            f.operation_id.to_shouty_snake_case()
        ));
        out.push_str(&format!(
            "id: OperationId::{},\noperation_id: {:?},\nname: {:?},\nsummary: {:?},\n\
             method: {:?},\npath: {:?},\nwire_path: {:?},\n",
            f.operation_id.to_pascal_case(),
            f.operation_id,
            f.name,
            f.summary,
            f.method,
            f.path,
            f.wire_path
        ));
        let credentials: Vec<String> = f
            .credentials
            .iter()
            .map(|c| format!("Credential::{c}"))
            .collect();
        out.push_str(&format!(
            "credentials: &[{}],\nreplay: Replay::{},\n",
            credentials.join(", "),
            f.replay
        ));
        let required: Vec<String> = f
            .required_query
            .iter()
            .map(|(name, values)| {
                format!("QueryRequirement {{ name: {name:?}, one_of: &{values:?} }}")
            })
            .collect();
        out.push_str(&format!(
            "required_query: &[{}],\nrequired_any_query: &{:?},\n",
            required.join(", "),
            f.required_any_query
        ));
        let limits: Vec<String> = f
            .limits
            .iter()
            .map(|limit| {
                format!(
                    "QueryLimit {{ name: {:?}, minimum: {:?}, maximum: {:?}, default: {:?} }}",
                    limit.name, limit.minimum, limit.maximum, limit.default
                )
            })
            .collect();
        out.push_str(&format!(
            "limits: &[{}],\nintercom_version: {},\nerror_schema: {:?},\n}};\n",
            limits.join(", "),
            f.intercom_version,
            f.error_schema
        ));
    }
    let all: Vec<String> = facts
        .iter()
        .map(|f| format!("&{}", f.operation_id.to_shouty_snake_case()))
        .collect();
    out.push_str(&format!(
        "/// Every operation, in the order of their paths in the description.\npub const ALL: &[&Operation] = &[{}];\n",
        all.join(", ")
    ));
    out.push_str(
        "/// The operation progenitor calls `name` (its method name and \
         `OperationInfo::operation_id`, e.g. `list_users`).\n\
         pub fn by_name(name: &str) -> Option<&'static Operation> {\nmatch name {\n",
    );
    for f in facts {
        out.push_str(&format!(
            "{:?} => Some(&{}),\n",
            f.name,
            f.operation_id.to_shouty_snake_case()
        ));
    }
    out.push_str("_ => None,\n}\n}\n");
    out.push_str(
        "impl OperationId {\n/// The operation's facts.\npub fn operation(self) -> &'static \
         Operation {\nmatch self {\n",
    );
    for f in facts {
        out.push_str(&format!(
            "OperationId::{} => &{},\n",
            f.operation_id.to_pascal_case(),
            f.operation_id.to_shouty_snake_case()
        ));
    }
    out.push_str("}\n}\n}\n}\n");
    out
}

/// A summary as one doc-comment line.
fn doc_text(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
