//! The proof that every per-operation fact lives in the description: a copy of the crate whose
//! `openapi/intercom.yaml` gained two operations — a Basic GET and a Bearer POST without a
//! replay marker — and no other change builds, and `tests/proof/widgets.rs` (the copy's one
//! example, not a module of this binary), run against it, finds a client whose GET carries
//! Basic and whose POST carries Bearer and is not replayed after a 5xx, and a dummy server that
//! routes both (validating the request, answering 501 with an error naming the operation).
//!
//! The copy builds in `target/proof/` with its own target directory (the first run compiles the
//! dependencies once, offline, from the registry cache the crate's own build filled).

use std::{
    path::{Path, PathBuf},
    process::Command,
};

use serde_json::{Value, json};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The description with `listWidgets` (GET /v1/widgets, the document's Basic credentials) and
/// `createWidget` (POST /widgets, Bearer, no `x-replay`) added.
fn description_with_widgets() -> Value {
    let text = std::fs::read_to_string(root().join("openapi/intercom.yaml")).unwrap();
    let mut spec: Value = serde_yaml_ng::from_str(&text).unwrap();
    spec["components"]["schemas"]["Widget"] = json!({
        "type": "object",
        "required": ["name"],
        "properties": {"name": {"type": "string", "minLength": 1}, "size": {"type": "integer"}},
    });
    spec["paths"]["/v1/widgets"] = json!({"get": {
        "operationId": "listWidgets",
        "summary": "List widgets",
        "tags": ["users"],
        "responses": {
            "200": {"description": "The widgets.", "content": {"application/json": {"schema":
                {"type": "array", "items": {"$ref": "#/components/schemas/Widget"}}}}},
            "4XX": {"$ref": "#/components/responses/V1NotFound"},
        },
    }});
    spec["paths"]["/widgets"] = json!({"post": {
        "operationId": "createWidget",
        "summary": "Create a widget",
        "tags": ["events"],
        "security": [{"bearerAuth": []}],
        "requestBody": {"required": true, "content": {"application/json": {"schema":
            {"$ref": "#/components/schemas/Widget"}}}},
        "responses": {
            "200": {"description": "The widget.", "content": {"application/json": {"schema":
                {"$ref": "#/components/schemas/Widget"}}}},
            "4XX": {"$ref": "#/components/responses/EventsNotFound"},
            "5XX": {"$ref": "#/components/responses/EventsServerError"},
        },
    }});
    spec
}

/// The crate's manifest for the copy: the library and its features, its own workspace (with
/// the copied dummy server crate, `dummy/`, which depends on the copy), the proof as its one
/// example.
fn manifest() -> String {
    let text = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let mut out = String::new();
    let mut keep = true;
    for line in text.lines() {
        if line.starts_with('[') {
            keep = matches!(
                line,
                "[package]" | "[lib]" | "[features]" | "[dependencies]" | "[build-dependencies]"
            );
        }
        if keep {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push_str(
        // The proof sends raw requests too: a plain reqwest client needs reqwest's own provider
        // (the crate's `rustls` feature gives reqwest none, see Cargo.toml).
        "\n[dev-dependencies]\ntokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }\n\
         reqwest = { version = \"0.13\", default-features = false, features = [\"rustls\"] }\n\
         intercom-dummy = { path = \"dummy\" }\n\n[workspace]\n",
    );
    out
}

#[test]
fn two_operations_added_to_the_description_need_no_other_change() {
    let proof = root().join("target").join("proof");
    let copy = proof.join("crate");
    let _ = std::fs::remove_dir_all(&copy);
    for dir in ["src", "codegen", "openapi", "dummy/src"] {
        copy_dir(&root().join(dir), &copy.join(dir));
    }
    for file in ["build.rs", "README.md", "Cargo.lock", "dummy/Cargo.toml"] {
        std::fs::copy(root().join(file), copy.join(file)).unwrap();
    }
    std::fs::write(copy.join("Cargo.toml"), manifest()).unwrap();
    let spec = serde_yaml_ng::to_string(&description_with_widgets()).unwrap();
    std::fs::write(copy.join("openapi/intercom.yaml"), spec).unwrap();
    std::fs::create_dir_all(copy.join("examples")).unwrap();
    std::fs::copy(
        root().join("tests/proof/widgets.rs"),
        copy.join("examples/widgets.rs"),
    )
    .unwrap();

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let output = Command::new(cargo)
        .args(["run", "--quiet", "--offline", "--example", "widgets"])
        .arg("--manifest-path")
        .arg(copy.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", proof.join("target"))
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the copy with two new operations failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.ends_with("proof: passed\n"), "{stdout}");
}
