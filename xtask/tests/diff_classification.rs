//! Each pair of descriptions in `tests/specs/` (base.yaml and a head with known changes) gives
//! exactly the expected changes, each with the expected verdict.

mod common;

use common::spec;
use xtask::diff::{self, Change, ChangeKind, ChangeKind::*, Subject, Verdict, Verdict::*};

/// `(verdict, subject, at, kind)` of a change, `subject` as `operation X`, `schema X` or `api`.
type Summary = (Verdict, String, String, ChangeKind);

fn summary(change: &Change) -> Summary {
    let subject = match &change.subject {
        Subject::Operation(id) => format!("operation {id}"),
        Subject::Schema(name) => format!("schema {name}"),
        Subject::GeneratedApi => "api".to_string(),
    };
    (change.verdict, subject, change.at.clone(), change.kind)
}

fn expected(rows: &[(Verdict, &str, &str, ChangeKind)]) -> Vec<Summary> {
    rows.iter()
        .map(|(v, s, at, k)| (*v, s.to_string(), at.to_string(), *k))
        .collect()
}

/// The description-level changes from base.yaml to `head`.
fn described(head: &str) -> Vec<Summary> {
    diff::compare_descriptions(&spec("base"), &spec(head))
        .changes
        .iter()
        .map(summary)
        .collect()
}

/// The generated-API changes from base.yaml to `head`.
fn generated(head: &str) -> Vec<Summary> {
    let report = diff::compare(&spec("base"), &spec(head));
    assert_eq!(report.generated_api_error, None, "{head} must generate");
    report
        .changes
        .iter()
        .filter(|c| c.subject == Subject::GeneratedApi)
        .map(summary)
        .collect()
}

const HEADS: &[&str] = &[
    "request_properties_added",
    "response_properties_changed",
    "operations_changed",
    "parameters_changed",
    "presence_changed",
    "enums_changed",
    "nested_changed",
    "validation_rules_changed",
    "extensions_changed",
];

#[test]
fn identical_descriptions_have_no_changes() {
    for name in std::iter::once("base").chain(HEADS.iter().copied()) {
        let report = diff::compare(&spec(name), &spec(name));
        assert_eq!(report.changes, Vec::new(), "{name} against itself");
        assert_eq!(report.generated_api_error, None);
        assert!(!report.is_breaking());
    }
}

#[test]
fn every_test_description_generates_and_differs_from_the_base() {
    for head in HEADS {
        let report = diff::compare(&spec("base"), &spec(head));
        assert_eq!(report.generated_api_error, None, "{head}");
        assert!(!report.changes.is_empty(), "{head} changes nothing");
    }
}

#[test]
fn a_new_required_request_property_is_breaking_and_an_optional_one_compatible() {
    assert_eq!(
        described("request_properties_added"),
        expected(&[
            (Compatible, "schema NoteRequest", "pinned", PropertyAdded),
            (Breaking, "schema NoteRequest", "priority", PropertyAdded),
        ])
    );
    assert_eq!(
        generated("request_properties_added"),
        expected(&[
            (Compatible, "api", "types::NoteRequest.pinned", ItemAdded),
            (Compatible, "api", "types::NoteRequest.priority", ItemAdded),
        ])
    );
}

#[test]
fn a_removed_response_property_is_breaking_and_a_new_one_compatible() {
    assert_eq!(
        described("response_properties_changed"),
        expected(&[
            (Breaking, "schema Note", "html", PropertyRemoved),
            (Compatible, "schema Note", "summary", PropertyAdded),
        ])
    );
    assert_eq!(
        generated("response_properties_changed"),
        expected(&[
            (Breaking, "api", "types::Note.html", ItemRemoved),
            (Compatible, "api", "types::Note.summary", ItemAdded),
        ])
    );
}

#[test]
fn removed_operations_are_breaking_new_and_moved_ones_compatible() {
    assert_eq!(
        described("operations_changed"),
        expected(&[
            (Breaking, "operation getTag", "", OperationRemoved),
            (Compatible, "operation listNotes", "", OperationMoved),
            (Compatible, "operation listTags", "", OperationAdded),
        ])
    );
    let api = generated("operations_changed");
    for row in expected(&[
        (Breaking, "api", "Client::get_tag", ItemRemoved),
        (Compatible, "api", "Client::list_tags", ItemAdded),
        (Breaking, "api", "builder::GetTag", ItemRemoved),
        (Compatible, "api", "builder::ListTags::send", ItemAdded),
    ]) {
        assert!(api.contains(&row), "{row:?} not in {api:#?}");
    }
    assert!(
        !api.iter()
            .any(|(_, _, at, _)| at.starts_with("builder::ListNotes")),
        "moving an operation keeps its builder: {api:#?}"
    );
}

#[test]
fn replay_rules_credentials_and_wire_paths_are_classified() {
    assert_eq!(
        described("extensions_changed"),
        expected(&[
            (
                Compatible,
                "operation createNote",
                "x-replay",
                ReplayChanged
            ),
            (Compatible, "operation getTag", "", OperationMoved),
            (
                Breaking,
                "operation listNotes",
                "security",
                CredentialRemoved
            ),
            (
                Compatible,
                "operation listNotes",
                "security",
                CredentialAdded
            ),
        ])
    );
    let report = diff::compare(&spec("base"), &spec("extensions_changed"));
    let moved = report
        .changes
        .iter()
        .find(|c| c.kind == OperationMoved)
        .unwrap();
    assert_eq!(moved.detail, "moved from GET /tags to GET /labels");
    let replay = report
        .changes
        .iter()
        .find(|c| c.kind == ReplayChanged)
        .unwrap();
    assert_eq!(
        replay.detail,
        "x-replay changed from if-not-processed to safe"
    );
    // The facts are values of the operation table, not items: the generated API is unchanged.
    assert_eq!(generated("extensions_changed"), Vec::new());
}

#[test]
fn parameters_added_removed_made_required_and_retyped() {
    assert_eq!(
        described("parameters_changed"),
        expected(&[
            // The shared header parameter (a $ref to components.parameters) is resolved, so
            // the change shows under each operation using it.
            (
                Breaking,
                "operation createNote",
                "header parameter Intercom-Version",
                RequiredChanged
            ),
            (
                Breaking,
                "operation getTag",
                "query parameter name",
                TypeChanged
            ),
            (
                Breaking,
                "operation listNotes",
                "header parameter Intercom-Version",
                RequiredChanged
            ),
            (
                Compatible,
                "operation listNotes",
                "query parameter cursor",
                ParameterAdded
            ),
            (
                Breaking,
                "operation listNotes",
                "query parameter order",
                ParameterAdded
            ),
            (
                Breaking,
                "operation listNotes",
                "query parameter per_page",
                ParameterRemoved
            ),
            (
                Compatible,
                "operation listNotes",
                "query parameter user_id",
                RequiredChanged
            ),
        ])
    );
    assert_eq!(
        generated("parameters_changed"),
        expected(&[
            (Breaking, "api", "builder::GetTag::name", ItemChanged),
            (Compatible, "api", "builder::ListNotes::cursor", ItemAdded),
            (Compatible, "api", "builder::ListNotes::order", ItemAdded),
            (Breaking, "api", "builder::ListNotes::per_page", ItemRemoved),
        ])
    );
}

#[test]
fn required_and_nullable_changes_follow_the_direction_and_the_rust_field_type() {
    assert_eq!(
        described("presence_changed"),
        expected(&[
            // Response, already an Option: compatible.
            (Compatible, "schema Note", "author", NullableChanged),
            // Response, String becomes Option<String>: breaking.
            (Breaking, "schema Note", "html", NullableChanged),
            (Breaking, "schema Note", "id", RequiredChanged),
            // Response, a Vec either way: compatible.
            (Compatible, "schema NoteList", "notes", RequiredChanged),
            // Request, String becomes Option<String>: breaking.
            (Breaking, "schema NoteRequest", "body", RequiredChanged),
            (Breaking, "schema NoteRequest", "email", RequiredChanged),
            // Request, a Vec either way, but requests without it are now rejected.
            (Breaking, "schema NoteRequest", "labels", RequiredChanged),
        ])
    );
    assert_eq!(
        generated("presence_changed"),
        expected(&[
            (Breaking, "api", "types::Note.html", ItemChanged),
            (Breaking, "api", "types::Note.id", ItemChanged),
            (Breaking, "api", "types::NoteRequest.body", ItemChanged),
            (Breaking, "api", "types::NoteRequest.email", ItemChanged),
        ])
    );
}

#[test]
fn enum_values_follow_the_direction() {
    assert_eq!(
        described("enums_changed"),
        expected(&[
            (Breaking, "schema Color", "", EnumValueRemoved),
            (Compatible, "schema Color", "", EnumValueAdded),
            (Breaking, "schema Tag", "rank", EnumValueRemoved),
            (Breaking, "schema Tag", "rank", EnumValueAdded),
        ])
    );
}

#[test]
fn nested_objects_arrays_one_of_wrappers_and_shared_responses_are_followed() {
    assert_eq!(
        described("nested_changed"),
        expected(&[
            (
                Breaking,
                "operation createNote",
                "response 404",
                TypeChanged
            ),
            (Breaking, "operation getTag", "response 404", TypeChanged),
            (Breaking, "operation listNotes", "response 404", TypeChanged),
            (Breaking, "schema Error", "", SchemaRemoved),
            (Compatible, "schema Note", "author.avatar", PropertyAdded),
            (Breaking, "schema Note", "author.email", TypeChanged),
            (Compatible, "schema Note", "created_at", NullableChanged),
            (Breaking, "schema NoteRequest", "labels[]", TypeChanged),
            (
                Compatible,
                "schema NoteRequest",
                "target<boolean>",
                VariantAdded
            ),
            (Compatible, "schema Problem", "", SchemaAdded),
        ])
    );
    let api = generated("nested_changed");
    for row in expected(&[
        (Breaking, "api", "builder::CreateNote::send", ItemChanged),
        (Breaking, "api", "types::Error", ItemRemoved),
        (Compatible, "api", "types::Problem", ItemAdded),
        (Breaking, "api", "types::NoteAuthor.email", ItemChanged),
        (Breaking, "api", "types::NoteRequest.labels", ItemChanged),
    ]) {
        assert!(api.contains(&row), "{row:?} not in {api:#?}");
    }
}

#[test]
fn looser_validation_rules_are_compatible_and_new_ones_breaking() {
    assert_eq!(
        described("validation_rules_changed"),
        expected(&[
            (
                Compatible,
                "operation getTag",
                "query parameter id",
                ParameterAdded
            ),
            (
                Breaking,
                "operation getTag",
                "parameters",
                ValidationRuleChanged
            ),
            (Compatible, "schema NoteRequest", "", ValidationRuleChanged),
            (Compatible, "schema NoteRequest", "phone", PropertyAdded),
        ])
    );
}

#[test]
fn the_text_report_names_each_change_with_its_verdict_and_reason() {
    let mut report = diff::compare(&spec("base"), &spec("request_properties_added"));
    report.base = "HEAD".into();
    report.head = "working tree".into();
    let text = diff::render_text(&report);
    assert!(
        text.starts_with("openapi/intercom.yaml: HEAD → working tree\n"),
        "{text}"
    );
    assert!(
        text.contains("\nschema NoteRequest (sent by createNote)\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "  breaking    priority: property added (required) — requests without it are now \
             rejected, and code building the type must set it\n"
        ),
        "{text}"
    );
    assert!(
        text.ends_with("Breaking: 1 breaking and 3 compatible change(s).\n"),
        "{text}"
    );
}

#[test]
fn the_json_report_carries_every_change() {
    let report = diff::compare(&spec("base"), &spec("response_properties_changed"));
    let json: serde_json::Value = serde_json::from_str(&diff::render_json(&report)).unwrap();
    assert_eq!(json["breaking"], true);
    assert_eq!(
        json["counts"],
        serde_json::json!({"breaking": 2, "compatible": 2})
    );
    assert_eq!(
        json["changes"][0],
        serde_json::json!({
            "subject": {"kind": "schema", "name": "Note"},
            "at": "html",
            "kind": "property_removed",
            "verdict": "breaking",
            "detail": "property removed",
            "reason": "code reading the field stops compiling",
        })
    );
    assert_eq!(
        json["changes"][3]["subject"],
        serde_json::json!({"kind": "generated_api"})
    );
}

#[test]
fn a_head_that_does_not_generate_keeps_the_description_diff_and_says_why() {
    let mut head = spec("request_properties_added");
    head["paths"]["/tags"]["get"]
        .as_object_mut()
        .unwrap()
        .remove("summary");
    let report = diff::compare(&spec("base"), &head);
    assert!(report.is_breaking());
    let error = report.generated_api_error.unwrap();
    assert!(
        error.starts_with("the head description does not generate"),
        "{error}"
    );
    assert!(
        error.contains("operation getTag (GET /tags): has no summary"),
        "{error}"
    );
}

#[test]
fn self_referencing_schemas_end_instead_of_recursing_forever() {
    let with_loop = |member: &str| {
        let mut spec = spec("base");
        spec["components"]["x-loops"] = serde_json::json!({
            "A": {"oneOf": [{"$ref": "#/components/x-loops/A"}, {"type": member}]}
        });
        spec["components"]["schemas"]["Note"]["properties"]["loop"] =
            serde_json::json!({"$ref": "#/components/x-loops/A"});
        spec
    };
    let changes = diff::compare_descriptions(&with_loop("string"), &with_loop("boolean")).changes;
    assert!(
        changes
            .iter()
            .any(|c| c.kind == VariantRemoved && c.at == "loop<string>"),
        "{changes:#?}"
    );
}
