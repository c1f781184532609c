//! `cargo xtask lint`: the generator's rules and every example against its schema.

mod common;

use std::path::Path;

use serde_json::{Value, json};
use xtask::lint;

/// base.yaml with one example on createNote's request body.
fn spec_with_example(example: Value) -> Value {
    let mut spec = common::spec("base");
    spec["paths"]["/notes"]["post"]["requestBody"]["content"]["application/json"]["examples"] =
        json!({ "docs": example });
    spec
}

#[test]
fn the_repository_description_has_no_problems() {
    let root = common::repository_root();
    let spec = xtask::codegen::load_spec(&xtask::spec_path(&root)).unwrap();
    let report = lint::lint(&spec, &root.join("openapi"));
    assert_eq!(report.problems, Vec::<String>::new());
    assert_eq!(report.operations, 24);
    // Every externalValue example of the description was validated.
    let text = std::fs::read_to_string(xtask::spec_path(&root)).unwrap();
    assert_eq!(report.examples, text.matches("externalValue:").count());
}

#[test]
fn an_external_example_is_validated_against_its_schema() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("good.json"),
        r#"{"body": "hi", "email": "a@b.c"}"#,
    )
    .unwrap();
    std::fs::write(dir.path().join("bad.json"), r#"{"body": 3}"#).unwrap();

    let good = spec_with_example(json!({"externalValue": "good.json"}));
    let report = lint::lint(&good, dir.path());
    assert_eq!((report.examples, report.problems), (1, Vec::new()));

    let bad = spec_with_example(json!({"externalValue": "bad.json"}));
    assert_eq!(
        lint::lint(&bad, dir.path()).problems,
        [
            "operation createNote (POST /notes) request body example `docs` (bad.json): does not \
             match its schema: at /: one of `user_id`, `email` is required",
            "operation createNote (POST /notes) request body example `docs` (bad.json): does not \
             match its schema: at /body: 3 is not of type \"string\"",
        ]
    );
}

#[test]
fn a_missing_or_malformed_example_file_is_a_problem() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("broken.json"), "{not json").unwrap();

    let missing = spec_with_example(json!({"externalValue": "../fixtures/nowhere.json"}));
    let problems = lint::lint(&missing, dir.path()).problems;
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with(
            "operation createNote (POST /notes) request body example `docs`: externalValue \
             `../fixtures/nowhere.json` cannot be read ("
        ),
        "{problems:?}"
    );

    let broken = spec_with_example(json!({"externalValue": "broken.json"}));
    let problems = lint::lint(&broken, dir.path()).problems;
    assert!(
        problems[0].contains("externalValue `broken.json` is not JSON"),
        "{problems:?}"
    );

    let empty = spec_with_example(json!({"summary": "nothing"}));
    let problems = lint::lint(&empty, Path::new(".")).problems;
    assert!(
        problems[0].ends_with("has neither `value` nor `externalValue`"),
        "{problems:?}"
    );
}

#[test]
fn inline_examples_of_bodies_parameters_and_schemas_are_validated() {
    let mut spec =
        spec_with_example(json!({"value": {"body": "hi", "user_id": "7", "color": "pink"}}));
    spec["paths"]["/notes"]["get"]["parameters"][1]["example"] = json!("ten");
    spec["components"]["schemas"]["Tag"]["example"] = json!({"name": "VIP", "rank": 1});
    let report = lint::lint(&spec, Path::new("."));
    assert_eq!(report.examples, 3);
    assert_eq!(report.problems.len(), 2, "{:?}", report.problems);
    // In document order: listNotes (GET /notes) before createNote (POST /notes).
    let problems = &report.problems;
    assert!(
        problems[0].starts_with(
            "operation listNotes (GET /notes) parameter per_page example: does not match its \
             schema: at /: \"ten\" is not of type \"integer\""
        ),
        "{problems:?}"
    );
    assert!(
        problems[1].starts_with(
            "operation createNote (POST /notes) request body example `docs`: does not match its \
             schema: at /color: \"pink\" is not one of"
        ),
        "{problems:?}"
    );
}

#[test]
fn the_generator_rules_are_part_of_the_lint() {
    let mut spec = common::spec("base");
    let operation = spec["paths"]["/tags"]["get"].as_object_mut().unwrap();
    operation.remove("summary");
    operation.remove("tags");
    operation.insert("responses".into(), json!({"200": {"description": "ok"}}));
    let problems = lint::lint(&spec, Path::new(".")).problems;
    assert_eq!(
        problems,
        [
            "operation getTag (GET /tags): has no summary",
            "operation getTag (GET /tags): has no tag",
            "operation getTag (GET /tags): documents no error response (4XX/5XX)",
        ]
    );
}

#[test]
fn a_write_without_a_replay_rule_is_a_lint_problem() {
    let mut spec = common::spec("base");
    let operation = spec["paths"]["/notes"]["post"].as_object_mut().unwrap();
    operation.remove("x-replay");
    let problems = lint::lint(&spec, Path::new(".")).problems;
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with(
            "operation createNote (POST /notes): a POST must say whether it may be sent again"
        ),
        "{problems:?}"
    );
    // The build still generates it, and never replays it.
    assert!(xtask::generate(&spec).is_ok());
}
