//! Compares two versions of a schema node, recursively, and records what changed.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::{
    Change, ChangeKind, Subject,
    rules::{self, Direction, Presence, Ruling},
    shape::{Additional, Kind, Shape},
};

/// How deep nested inline schemas are followed (component `$ref`s stop the descent anyway).
const MAX_DEPTH: usize = 32;

/// Compares schemas of one subject (an operation or a component schema).
pub(super) struct Comparer<'a> {
    /// The base description, against which `before` nodes resolve.
    pub base: &'a Value,
    /// The head description, against which `after` nodes resolve.
    pub head: &'a Value,
    pub subject: Subject,
    pub direction: Direction,
    pub changes: Vec<Change>,
}

impl<'a> Comparer<'a> {
    pub(super) fn new(
        base: &'a Value,
        head: &'a Value,
        subject: Subject,
        direction: Direction,
    ) -> Self {
        Comparer {
            base,
            head,
            subject,
            direction,
            changes: Vec::new(),
        }
    }

    /// Records a change at `at`.
    pub(super) fn push(&mut self, at: &str, kind: ChangeKind, detail: String, ruling: Ruling) {
        self.changes.push(Change {
            subject: self.subject.clone(),
            at: at.to_string(),
            kind,
            verdict: ruling.0,
            detail,
            reason: ruling.1,
        });
    }

    /// Compares two versions of the schema at `at`.
    pub(super) fn schema(&mut self, at: &str, before: &'a Value, after: &'a Value) {
        self.node(at, before, after, 0, false);
    }

    /// `nullable_done`: the caller (a property) already compared `nullable` with `required`.
    fn node(
        &mut self,
        at: &str,
        before: &'a Value,
        after: &'a Value,
        depth: usize,
        nullable_done: bool,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        let b = Shape::of(self.base, before);
        let a = Shape::of(self.head, after);
        if !nullable_done && b.nullable != a.nullable {
            self.push(
                at,
                ChangeKind::NullableChanged,
                nullable_detail(a.nullable),
                rules::nullable_changed_elsewhere(),
            );
        }
        if b.kind != a.kind {
            self.push(
                at,
                ChangeKind::TypeChanged,
                format!("type changed from {} to {}", b.kind, a.kind),
                rules::type_changed(),
            );
            return;
        }
        self.enum_values(at, &b, &a);
        self.validation_rules(at, &b.rules, &a.rules);
        match &a.kind {
            // The same component on both sides: compared once, in its own section.
            Kind::Named(_) => {}
            Kind::OneOf | Kind::AnyOf => self.variants(at, &b, &a, depth),
            _ => {
                if let (Some(bi), Some(ai)) = (b.items, a.items) {
                    self.node(&format!("{at}[]"), bi, ai, depth + 1, false);
                }
                self.properties(at, &b, &a, depth);
                self.additional(at, &b, &a, depth);
                self.patterns(at, &b, &a, depth);
            }
        }
    }

    fn properties(&mut self, at: &str, b: &Shape<'a>, a: &Shape<'a>, depth: usize) {
        let names: BTreeSet<&str> = b
            .properties
            .keys()
            .chain(a.properties.keys())
            .copied()
            .collect();
        for name in names {
            let here = join(at, name);
            match (b.properties.get(name), a.properties.get(name)) {
                (Some(_), None) => self.push(
                    &here,
                    ChangeKind::PropertyRemoved,
                    "property removed".into(),
                    rules::property_removed(self.direction),
                ),
                (None, Some(_)) => {
                    let required = a.required.contains(name);
                    self.push(
                        &here,
                        ChangeKind::PropertyAdded,
                        format!(
                            "property added ({})",
                            if required { "required" } else { "optional" }
                        ),
                        rules::property_added(self.direction, required),
                    );
                }
                (Some(before), Some(after)) => {
                    self.presence(
                        &here,
                        b.required.contains(name),
                        before,
                        a.required.contains(name),
                        after,
                    );
                    self.node(&here, before, after, depth + 1, true);
                }
                (None, None) => {}
            }
        }
    }

    /// `required` and `nullable` of a property, one change each, judged in that order (the
    /// `nullable` change from the state after the `required` change).
    fn presence(
        &mut self,
        at: &str,
        was_required: bool,
        before: &'a Value,
        is_required: bool,
        after: &'a Value,
    ) {
        let b = Shape::of(self.base, before);
        let a = Shape::of(self.head, after);
        let start = Presence {
            required: was_required,
            nullable: b.nullable,
            option: b.field_is_option(was_required),
        };
        let middle = Presence {
            required: is_required,
            nullable: b.nullable,
            option: b.field_is_option(is_required),
        };
        let end = Presence {
            required: is_required,
            nullable: a.nullable,
            option: a.field_is_option(is_required),
        };
        if was_required != is_required {
            let detail = if is_required {
                "became required"
            } else {
                "became optional"
            };
            self.push(
                at,
                ChangeKind::RequiredChanged,
                detail.into(),
                rules::presence_changed(self.direction, start, middle),
            );
        }
        if b.nullable != a.nullable {
            self.push(
                at,
                ChangeKind::NullableChanged,
                nullable_detail(a.nullable),
                rules::presence_changed(self.direction, middle, end),
            );
        }
    }

    fn enum_values(&mut self, at: &str, b: &Shape<'a>, a: &Shape<'a>) {
        match (&b.enum_values, &a.enum_values) {
            (None, None) => {}
            (Some(_), None) => self.push(
                at,
                ChangeKind::TypeChanged,
                "no longer an enum".into(),
                rules::type_changed(),
            ),
            (None, Some(values)) => self.push(
                at,
                ChangeKind::TypeChanged,
                format!("became an enum of {}", list(values)),
                rules::type_changed(),
            ),
            (Some(before), Some(after)) => {
                for value in before.iter().filter(|v| !after.contains(v)) {
                    self.push(
                        at,
                        ChangeKind::EnumValueRemoved,
                        format!("enum value {value} removed"),
                        rules::enum_value_removed(self.direction),
                    );
                }
                for value in after.iter().filter(|v| !before.contains(v)) {
                    self.push(
                        at,
                        ChangeKind::EnumValueAdded,
                        format!("enum value {value} added"),
                        rules::enum_value_added(self.direction),
                    );
                }
            }
        }
    }

    fn variants(&mut self, at: &str, b: &Shape<'a>, a: &Shape<'a>, depth: usize) {
        for (label, before) in &b.variants {
            let here = format!("{at}<{label}>");
            match a.variants.iter().find(|(l, _)| l == label) {
                None => self.push(
                    &here,
                    ChangeKind::VariantRemoved,
                    format!("member {label} removed from {}", b.kind),
                    rules::variant_removed(),
                ),
                Some((_, after)) => self.node(&here, before, after, depth + 1, false),
            }
        }
        for (label, _) in a
            .variants
            .iter()
            .filter(|(l, _)| !b.variants.iter().any(|(bl, _)| bl == l))
        {
            self.push(
                &format!("{at}<{label}>"),
                ChangeKind::VariantAdded,
                format!("member {label} added to {}", a.kind),
                rules::variant_added(self.direction),
            );
        }
    }

    fn additional(&mut self, at: &str, b: &Shape<'a>, a: &Shape<'a>, depth: usize) {
        match (b.additional, a.additional) {
            (Additional::Schema(before), Additional::Schema(after)) => {
                self.node(&join(at, "*"), before, after, depth + 1, false)
            }
            (before, after) if before.extra() != after.extra() => self.push(
                at,
                ChangeKind::AdditionalPropertiesChanged,
                format!(
                    "other keys: {} → {}",
                    extra_label(before, self.base),
                    extra_label(after, self.head)
                ),
                rules::additional_properties_changed(before.extra(), after.extra()),
            ),
            _ => {}
        }
    }

    fn patterns(&mut self, at: &str, b: &Shape<'a>, a: &Shape<'a>, depth: usize) {
        for (pattern, before) in &b.patterns {
            let here = format!("{}[/{pattern}/]", at);
            match a.patterns.get(pattern) {
                Some(after) => self.node(&here, before, after, depth + 1, false),
                None => self.push(
                    &here,
                    ChangeKind::ValidationRuleChanged,
                    format!("pattern property /{pattern}/ removed"),
                    rules::validation_rule_changed(self.direction, Some(true)),
                ),
            }
        }
        for pattern in a.patterns.keys().filter(|p| !b.patterns.contains_key(*p)) {
            self.push(
                &format!("{}[/{pattern}/]", at),
                ChangeKind::ValidationRuleChanged,
                format!("pattern property /{pattern}/ added"),
                rules::validation_rule_changed(self.direction, Some(false)),
            );
        }
    }

    /// Validation-only combinators of an object.
    fn validation_rules(
        &mut self,
        at: &str,
        before: &BTreeMap<String, Value>,
        after: &BTreeMap<String, Value>,
    ) {
        if before == after {
            return;
        }
        let groups = |rules: &BTreeMap<String, Value>| -> Option<Option<BTreeSet<String>>> {
            match rules.len() {
                0 => Some(None),
                1 => rules.get("anyOf").and_then(one_of_required).map(Some),
                _ => None,
            }
        };
        let loosened = match (groups(before), groups(after)) {
            (Some(b), Some(a)) => Some(required_any_loosened(b.as_ref(), a.as_ref())),
            _ => None,
        };
        self.push(
            at,
            ChangeKind::ValidationRuleChanged,
            format!(
                "validation rule changed from {} to {}",
                describe_rules(before),
                describe_rules(after)
            ),
            rules::validation_rule_changed(self.direction, loosened),
        );
    }
}

/// For "at least one of these names" rules (`x-required-any`, `anyOf` of one-name `required`
/// lists): whether `after` accepts everything `before` accepted (`None`: no rule).
pub(super) fn required_any_loosened(
    before: Option<&BTreeSet<String>>,
    after: Option<&BTreeSet<String>>,
) -> bool {
    match (before, after) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some(before), Some(after)) => after.is_superset(before),
    }
}

/// `{user_id, email}` for `[{required: [user_id]}, {required: [email]}]`.
fn one_of_required(members: &Value) -> Option<BTreeSet<String>> {
    members
        .as_array()?
        .iter()
        .map(|member| {
            let map = member.as_object()?;
            let [name] = map.get("required")?.as_array()?.as_slice() else {
                return None;
            };
            (map.len() == 1).then(|| name.as_str().map(str::to_string))?
        })
        .collect()
}

fn describe_rules(rules: &BTreeMap<String, Value>) -> String {
    if rules.is_empty() {
        return "none".into();
    }
    if rules.len() == 1
        && let Some(names) = rules.get("anyOf").and_then(one_of_required)
    {
        return format!("one of {} required", quoted(&names));
    }
    rules
        .iter()
        .map(|(key, value)| format!("{key}: {value}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `` `a`, `b` `` for a set of names.
pub(super) fn quoted(names: &BTreeSet<String>) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn list(values: &[&Value]) -> String {
    values
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn extra_label(additional: Additional<'_>, spec: &Value) -> String {
    match additional {
        Additional::Any => "any value".into(),
        Additional::Forbidden => "forbidden".into(),
        Additional::Schema(schema) => Shape::of(spec, schema).kind.to_string(),
    }
}

fn nullable_detail(nullable: bool) -> String {
    if nullable {
        "became nullable"
    } else {
        "no longer nullable"
    }
    .into()
}

/// `at.name`, or `name` at the top.
pub(super) fn join(at: &str, name: &str) -> String {
    if at.is_empty() {
        name.to_string()
    } else {
        format!("{at}.{name}")
    }
}
