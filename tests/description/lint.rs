//! The generation code path (shared by build.rs and the xtask) turns spec mistakes into errors
//! that name the operation or schema and the rule broken, instead of a progenitor panic.

use serde_json::{Value, json};

use crate::codegen;

fn real_spec() -> Value {
    codegen::load_spec(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(codegen::SPEC_PATH))
        .expect("the description loads")
}

fn generate_error(spec: &Value) -> String {
    codegen::generate(spec).expect_err("the broken description must not generate")
}

#[test]
fn the_description_lints_clean_and_generates() {
    let spec = real_spec();
    assert_eq!(codegen::lint::lint(&spec), Vec::<String>::new());
    let code = codegen::generate(&spec).unwrap();
    assert!(code.contains("pub struct User {"));
    assert!(code.contains("pub fn create_event(&self)"));
}

#[test]
fn two_success_bodies_name_the_operation() {
    let mut spec = real_spec();
    spec["paths"]["/v1/users"]["post"]["responses"]["201"]["content"]["application/json"]["schema"] =
        json!({"$ref": "#/components/schemas/Tag"});
    let message = generate_error(&spec);
    assert!(
        message.contains(
            "operation createUser (POST /v1/users): its success responses have 2 different bodies"
        ),
        "{message}"
    );
}

#[test]
fn two_error_bodies_name_the_operation() {
    let mut spec = real_spec();
    spec["paths"]["/events"]["post"]["responses"]["404"] =
        json!({"$ref": "#/components/responses/V1NotFound"});
    let message = generate_error(&spec);
    assert!(
        message.contains("operation createEvent (POST /events): its error responses"),
        "{message}"
    );
}

#[test]
fn a_default_response_is_refused() {
    let mut spec = real_spec();
    spec["paths"]["/v1/tags"]["get"]["responses"]["default"] =
        json!({"$ref": "#/components/responses/V1NotFound"});
    let message = generate_error(&spec);
    assert!(
        message.contains("operation getTag (GET /v1/tags): has a `default` response"),
        "{message}"
    );
}

#[test]
fn missing_operation_metadata_is_named() {
    let mut spec = real_spec();
    let operation = spec["paths"]["/v1/users/notes"]["post"]
        .as_object_mut()
        .unwrap();
    operation.remove("summary");
    operation.remove("tags");
    operation.insert("operationId".into(), json!("createImpression"));
    let message = generate_error(&spec);
    assert!(
        message.contains("operation createImpression (POST /v1/users/notes): has no summary"),
        "{message}"
    );
    assert!(
        message.contains("(POST /v1/users/notes): has no tag"),
        "{message}"
    );
    assert!(
        message.contains("operationId `createImpression` is already used"),
        "{message}"
    );
}

#[test]
fn a_nullable_sibling_of_ref_is_refused() {
    let mut spec = real_spec();
    spec["components"]["schemas"]["Note"]["properties"]["user"] =
        json!({"$ref": "#/components/schemas/User", "nullable": true});
    let message = generate_error(&spec);
    assert!(
        message.contains("schema Note.properties.user: `$ref` has siblings [\"nullable\"]"),
        "{message}"
    );
}

#[test]
fn date_time_formats_and_closed_response_enums_are_refused() {
    let mut spec = real_spec();
    spec["components"]["schemas"]["Tag"]["properties"]["color"]["enum"] = json!(["green", "red"]);
    spec["components"]["schemas"]["Event"]["properties"]["created_at"] =
        json!({"type": "string", "format": "date-time"});
    let message = generate_error(&spec);
    assert!(
        message.contains("schema Tag.properties.color: a closed string `enum` in a response"),
        "{message}"
    );
    assert!(
        message.contains("schema Event.properties.created_at: `format: date-time`"),
        "{message}"
    );
}

#[test]
fn dangling_references_and_openapi_31_are_refused() {
    let mut spec = real_spec();
    spec["openapi"] = json!("3.1.0");
    spec["components"]["schemas"]["Note"]["properties"]["user"] =
        json!({"$ref": "#/components/schemas/Usr"});
    let message = generate_error(&spec);
    assert!(
        message.contains("`openapi: 3.1.0` is not 3.0.x"),
        "{message}"
    );
    assert!(
        message.contains("`$ref: #/components/schemas/Usr` points at nothing"),
        "{message}"
    );
}

#[test]
fn a_progenitor_panic_becomes_an_error() {
    // A layout the lint does not know: a response media type with an `encoding`.
    let mut spec = real_spec();
    spec["paths"]["/v1/tags"]["get"]["responses"]["200"]["content"]["application/json"]["encoding"] =
        json!({"name": {"contentType": "text/plain"}});
    let message = generate_error(&spec);
    assert!(
        message.starts_with("progenitor panicked on the description"),
        "{message}"
    );
}

#[test]
fn validation_only_combinators_are_stripped_for_the_generator() {
    let stripped = codegen::settings::strip_validation_only(&real_spec());
    let reply = &stripped["components"]["schemas"]["MessageThreadReplyRequest"];
    assert!(reply.get("allOf").is_none(), "{reply}");
    let tag = &stripped["components"]["schemas"]["TagCreateRequest"];
    assert!(tag.get("anyOf").is_none(), "{tag}");
    // A reference wrapped in allOf carries a type and stays.
    let note = &stripped["components"]["schemas"]["Note"]["properties"]["created_at"];
    assert!(note.get("allOf").is_some(), "{note}");
}

#[test]
fn a_write_without_a_replay_rule_is_not_replayed_and_a_bad_rule_is_refused() {
    let mut spec = real_spec();
    let note = spec["paths"]["/v1/users/notes"]["post"]
        .as_object_mut()
        .unwrap();
    note.remove("x-replay");
    let table = codegen::operations::table(&spec).unwrap();
    let note = table
        .iter()
        .find(|f| f.operation_id == "createNote")
        .unwrap();
    assert_eq!(note.replay, "IfNotProcessed");
    assert_eq!(
        codegen::operations::unmarked(&spec),
        [
            "operation createNote (POST /v1/users/notes): a POST must say whether it may be sent \
          again: add `x-replay: safe` (idempotent, or de-duplicated by the server) or \
          `x-replay: if-not-processed` (it acts each time it is sent); without it, it is not \
          replayed"
        ]
    );
    assert_eq!(
        codegen::operations::unmarked(&real_spec()),
        Vec::<String>::new()
    );
    spec["paths"]["/v1/users/notes"]["post"]["x-replay"] = json!("sometimes");
    let message = generate_error(&spec);
    assert!(
        message.contains("`x-replay: sometimes` is not one of safe, if-not-processed"),
        "{message}"
    );
}

#[test]
fn bounds_are_left_to_the_validator_and_closed_objects_still_keep_unknown_keys() {
    let stripped = codegen::settings::strip_validation_only(&real_spec());
    let schemas = &stripped["components"]["schemas"];
    assert!(
        schemas["UserRequest"]["properties"]["email"]
            .get("minLength")
            .is_none()
    );
    assert!(schemas["EventMetadata"].get("maxProperties").is_none());
    assert_eq!(schemas["RichLink"]["additionalProperties"], json!({}));
    // The description itself keeps them, for the validator.
    let spec = real_spec();
    assert_eq!(
        spec["components"]["schemas"]["EventMetadata"]["maxProperties"],
        10
    );
    assert_eq!(
        spec["components"]["schemas"]["RichLink"]["additionalProperties"],
        false
    );
}

#[test]
fn credentials_must_be_basic_or_bearer_schemes() {
    let mut spec = real_spec();
    spec["paths"]["/events"]["post"]["security"] = json!([{"apiKeyAuth": []}]);
    let message = generate_error(&spec);
    assert!(
        message.contains(
            "operation createEvent (POST /events): security scheme `apiKeyAuth` is not an \
             `http` scheme `basic` or `bearer`"
        ),
        "{message}"
    );
}

#[test]
fn two_operations_no_query_tells_apart_are_refused() {
    let mut spec = real_spec();
    // getEventSummary without its required `summary` is sent exactly as listEvents is.
    let parameters = spec["paths"]["/events/"]["get"]["parameters"]
        .as_array_mut()
        .unwrap();
    parameters.retain(|p| p.get("name") != Some(&json!("summary")));
    let message = generate_error(&spec);
    assert!(
        message.contains("sent as the same request as listEvents"),
        "{message}"
    );
}

#[test]
fn the_table_holds_each_operations_facts() {
    let table = codegen::operations::table(&real_spec()).unwrap();
    let fact = |id: &str| table.iter().find(|f| f.operation_id == id).unwrap();
    let summary = fact("getEventSummary");
    assert_eq!(
        (
            summary.method.as_str(),
            summary.path.as_str(),
            summary.wire_path.as_str()
        ),
        ("GET", "/events/", "/events")
    );
    assert_eq!(summary.credentials, ["Bearer"]);
    assert_eq!(
        summary.required_query[0],
        ("summary".to_string(), vec!["true".to_string()])
    );
    assert!(summary.intercom_version);
    assert_eq!(summary.error_schema, "ErrorList");
    let list = fact("listUsers");
    assert_eq!(
        (list.credentials.as_slice(), list.replay),
        (&["Basic"][..], "Safe")
    );
    assert_eq!(list.limits[1].maximum, Some(500));
    assert_eq!(fact("createNote").replay, "IfNotProcessed");
    assert_eq!(fact("createEvent").replay, "Safe");
}

#[test]
fn an_extra_map_starts_empty_in_builders_and_keeps_default() {
    let mut spec = real_spec();
    spec["components"]["schemas"]["Avatar"]["properties"]["size"] =
        json!({"description": "Pixels.", "type": "integer"});
    let code = codegen::generate(&spec).unwrap();
    assert!(
        !code.contains("no value supplied for extra"),
        "a builder starts `extra` as an error"
    );
    let avatar = code.find("pub struct Avatar {").expect("the Avatar type");
    let derives = &code[code[..avatar].rfind("#[derive(").unwrap()..avatar];
    assert!(derives.contains("Default"), "{derives}");
    // A type with a required field gets no Default, as without an `extra` map.
    let tag = code.find("pub struct Tag {").expect("the Tag type");
    let derives = &code[code[..tag].rfind("#[derive(").unwrap()..tag];
    assert!(!derives.contains("Default"), "{derives}");
}
