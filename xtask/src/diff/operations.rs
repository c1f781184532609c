//! The operations section of the diff: operations added, removed or moved, and for the others
//! their parameters, request body and responses (`$ref`s to components resolved).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::{
    Change, ChangeKind, Subject,
    compare::{Comparer, quoted, required_any_loosened},
    rules::{self, Direction},
};
use crate::{
    codegen::{self, spec},
    examples::is_json,
};

/// One operation of a description.
pub(super) struct Operation<'a> {
    pub method: &'static str,
    pub path: &'a str,
    pub node: &'a Value,
    found: spec::SpecOperation<'a>,
}

impl<'a> Operation<'a> {
    /// Its parameters, path-level ones included (the operation's own win), `$ref`s resolved,
    /// keyed by `(in, name)`.
    pub(super) fn parameters(&self, document: &'a Value) -> BTreeMap<(String, String), &'a Value> {
        spec::parameters(document, &self.found)
            .into_iter()
            .map(|parameter| {
                let field = |key: &str| {
                    parameter
                        .get(key)
                        .and_then(Value::as_str)
                        .unwrap_or("?")
                        .to_string()
                };
                ((field("in"), field("name")), parameter)
            })
            .collect()
    }

    /// `METHOD path` as sent: the wire path (`x-wire-path`) where it differs from the key.
    fn heading(&self) -> String {
        let wire = codegen::operations::wire_path_of(self.node, self.path);
        format!("{} {wire}", self.method.to_uppercase())
    }
}

/// Every operation, by `operationId` (`METHOD path` when it has none).
pub(super) fn operations(document: &Value) -> BTreeMap<String, Operation<'_>> {
    spec::operations(document)
        .into_iter()
        .map(|found| {
            let operation = Operation {
                method: found.method,
                path: found.path,
                node: found.node,
                found,
            };
            let id = if operation.found.id.is_empty() {
                operation.heading()
            } else {
                operation.found.id.to_string()
            };
            (id, operation)
        })
        .collect()
}

/// `METHOD path` of every operation of either description (the head's when both have it).
pub(super) fn headings(base: &Value, head: &Value) -> BTreeMap<String, String> {
    let mut all: BTreeMap<String, String> = operations(base)
        .into_iter()
        .map(|(id, op)| (id, op.heading()))
        .collect();
    all.extend(
        operations(head)
            .into_iter()
            .map(|(id, op)| (id, op.heading())),
    );
    all
}

/// Changes to the operations, by operation id.
pub(super) fn compare(base: &Value, head: &Value) -> Vec<Change> {
    let before = operations(base);
    let after = operations(head);
    let ids: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    let mut changes = Vec::new();
    for id in ids {
        let mut comparer = Comparer::new(
            base,
            head,
            Subject::Operation(id.clone()),
            Direction::Request,
        );
        match (before.get(id), after.get(id)) {
            (Some(_), None) => comparer.push(
                "",
                ChangeKind::OperationRemoved,
                "operation removed".into(),
                rules::operation_removed(),
            ),
            (None, Some(_)) => comparer.push(
                "",
                ChangeKind::OperationAdded,
                "operation added".into(),
                rules::operation_added(),
            ),
            (Some(b), Some(a)) => compare_operation(&mut comparer, b, a),
            (None, None) => {}
        }
        changes.extend(comparer.changes);
    }
    changes
}

fn compare_operation<'a>(c: &mut Comparer<'a>, b: &Operation<'a>, a: &Operation<'a>) {
    if b.heading() != a.heading() {
        c.push(
            "",
            ChangeKind::OperationMoved,
            format!("moved from {} to {}", b.heading(), a.heading()),
            rules::operation_moved(),
        );
    }
    replay(c, b, a);
    credentials(c, b, a);
    parameters(c, b, a);
    required_any(c, b, a);
    request_body(c, b, a);
    responses(c, b, a);
}

fn parameters<'a>(c: &mut Comparer<'a>, b: &Operation<'a>, a: &Operation<'a>) {
    c.direction = Direction::Request;
    let before = b.parameters(c.base);
    let after = a.parameters(c.head);
    let keys: BTreeSet<&(String, String)> = before.keys().chain(after.keys()).collect();
    for key in keys {
        let at = format!("{} parameter {}", key.0, key.1);
        match (before.get(key), after.get(key)) {
            (Some(_), None) => c.push(
                &at,
                ChangeKind::ParameterRemoved,
                "parameter removed".into(),
                rules::parameter_removed(),
            ),
            (None, Some(p)) => {
                let required = is_required(p);
                c.push(
                    &at,
                    ChangeKind::ParameterAdded,
                    format!("parameter added ({})", required_word(required)),
                    rules::parameter_added(required),
                );
            }
            (Some(bp), Some(ap)) => {
                if is_required(bp) != is_required(ap) {
                    c.push(
                        &at,
                        ChangeKind::RequiredChanged,
                        format!("became {}", required_word(is_required(ap))),
                        rules::input_required(is_required(ap)),
                    );
                }
                if let (Some(bs), Some(as_)) = (bp.get("schema"), ap.get("schema")) {
                    c.schema(&at, bs, as_);
                }
            }
            (None, None) => {}
        }
    }
}

/// `x-replay`: whether a try that may have reached the server is sent again.
fn replay<'a>(c: &mut Comparer<'a>, b: &Operation<'a>, a: &Operation<'a>) {
    let rule = |op: &Operation<'_>| codegen::operations::replay_of(op.node, op.method);
    let (before, after) = (rule(b), rule(a));
    if before == after {
        return;
    }
    let shown = |rule: &Option<String>| rule.clone().unwrap_or_else(|| "unset".to_string());
    let now_safe = after.as_deref() == Some("safe");
    c.push(
        "x-replay",
        ChangeKind::ReplayChanged,
        format!(
            "x-replay changed from {} to {}",
            shown(&before),
            shown(&after)
        ),
        rules::replay_changed(now_safe),
    );
}

/// `security`: the credentials the operation is sent with.
fn credentials<'a>(c: &mut Comparer<'a>, b: &Operation<'a>, a: &Operation<'a>) {
    let before = codegen::operations::credentials_of(c.base, b.node);
    let after = codegen::operations::credentials_of(c.head, a.node);
    for credential in &before {
        if !after.contains(credential) {
            c.push(
                "security",
                ChangeKind::CredentialRemoved,
                format!("{credential} credential removed"),
                rules::credential_removed(),
            );
        }
    }
    for credential in &after {
        if !before.contains(credential) {
            c.push(
                "security",
                ChangeKind::CredentialAdded,
                format!("{credential} credential added"),
                rules::credential_added(before.is_empty()),
            );
        }
    }
}

/// `x-required-any`: at least one of these query parameters.
fn required_any<'a>(c: &mut Comparer<'a>, b: &Operation<'a>, a: &Operation<'a>) {
    let names = |op: &Operation<'_>| -> Option<BTreeSet<String>> {
        let list = op.node.get("x-required-any")?.as_array()?;
        Some(
            list.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
        )
    };
    let (before, after) = (names(b), names(a));
    if before == after {
        return;
    }
    let describe = |names: &Option<BTreeSet<String>>| match names {
        Some(names) => format!("one of {} required", quoted(names)),
        None => "none".to_string(),
    };
    c.push(
        "parameters",
        ChangeKind::ValidationRuleChanged,
        format!(
            "x-required-any changed from {} to {}",
            describe(&before),
            describe(&after)
        ),
        rules::validation_rule_changed(
            Direction::Request,
            Some(required_any_loosened(before.as_ref(), after.as_ref())),
        ),
    );
}

fn request_body<'a>(c: &mut Comparer<'a>, b: &Operation<'a>, a: &Operation<'a>) {
    c.direction = Direction::Request;
    let before = b
        .node
        .get("requestBody")
        .map(|body| spec::resolve(c.base, body));
    let after = a
        .node
        .get("requestBody")
        .map(|body| spec::resolve(c.head, body));
    let at = "request body";
    match (before, after) {
        (Some(_), None) => c.push(
            at,
            ChangeKind::RequestBodyRemoved,
            "request body removed".into(),
            rules::request_body_removed(),
        ),
        (None, Some(body)) => {
            let required = is_required(body);
            c.push(
                at,
                ChangeKind::RequestBodyAdded,
                format!("request body added ({})", required_word(required)),
                rules::request_body_added(required),
            );
        }
        (Some(bb), Some(ab)) => {
            if is_required(bb) != is_required(ab) {
                c.push(
                    at,
                    ChangeKind::RequiredChanged,
                    format!("became {}", required_word(is_required(ab))),
                    rules::input_required(is_required(ab)),
                );
            }
            match (json_schema(bb), json_schema(ab)) {
                (Some(bs), Some(as_)) => c.schema(at, bs, as_),
                (Some(_), None) => c.push(
                    at,
                    ChangeKind::RequestBodyRemoved,
                    "JSON body removed".into(),
                    rules::request_body_removed(),
                ),
                (None, Some(_)) => c.push(
                    at,
                    ChangeKind::RequestBodyAdded,
                    format!("JSON body added ({})", required_word(is_required(ab))),
                    rules::request_body_added(is_required(ab)),
                ),
                (None, None) => {}
            }
        }
        (None, None) => {}
    }
}

fn responses<'a>(c: &mut Comparer<'a>, b: &Operation<'a>, a: &Operation<'a>) {
    c.direction = Direction::Response;
    let list = |spec: &'a Value, op: &Operation<'a>| -> BTreeMap<&'a str, &'a Value> {
        op.node
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(status, response)| (status.as_str(), spec::resolve(spec, response)))
            .collect()
    };
    let before = list(c.base, b);
    let after = list(c.head, a);
    let statuses: BTreeSet<&str> = before.keys().chain(after.keys()).copied().collect();
    for status in statuses {
        let at = format!("response {status}");
        match (before.get(status), after.get(status)) {
            (Some(_), None) => c.push(
                &at,
                ChangeKind::ResponseRemoved,
                "response removed".into(),
                rules::response_removed(),
            ),
            (None, Some(_)) => c.push(
                &at,
                ChangeKind::ResponseAdded,
                "response added".into(),
                rules::response_added(),
            ),
            (Some(br), Some(ar)) => match (json_schema(br), json_schema(ar)) {
                (Some(bs), Some(as_)) => c.schema(&at, bs, as_),
                (Some(_), None) => c.push(
                    &at,
                    ChangeKind::ResponseBodyRemoved,
                    "body removed".into(),
                    rules::response_body_removed(),
                ),
                (None, Some(_)) => c.push(
                    &at,
                    ChangeKind::ResponseBodyAdded,
                    "body added".into(),
                    rules::response_body_added(),
                ),
                (None, None) => {}
            },
            (None, None) => {}
        }
    }
}

/// The schema of the JSON media type of a request body or response.
fn json_schema(part: &Value) -> Option<&Value> {
    part.get("content")?
        .as_object()?
        .iter()
        .find(|(media_type, _)| is_json(media_type))?
        .1
        .get("schema")
}

fn is_required(node: &Value) -> bool {
    node.get("required").and_then(Value::as_bool) == Some(true)
}

fn required_word(required: bool) -> &'static str {
    if required { "required" } else { "optional" }
}
