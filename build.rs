//! Generates the raw client and the types from `openapi/intercom.yaml` into `OUT_DIR`.
//!
//! The generation itself lives in `codegen/`, shared with `cargo xtask generate`.

#[path = "codegen/mod.rs"]
mod codegen;

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=openapi");
    println!("cargo:rerun-if-changed=codegen");
    if let Err(message) = run() {
        // One readable message, not a build-script backtrace.
        for line in message.lines() {
            println!("cargo::error={line}");
        }
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").map_err(|e| format!("OUT_DIR: {e}"))?);
    let spec = codegen::load_spec(Path::new(codegen::SPEC_PATH))?;
    let code = codegen::generate(&spec)?;
    write(&out_dir.join("intercom_generated.rs"), code.as_bytes())?;
    // The validator (src/schema) reads the description as JSON, without a YAML parser at runtime.
    let json =
        serde_json::to_vec(&spec).map_err(|e| format!("cannot re-encode the description: {e}"))?;
    write(&out_dir.join("intercom_openapi.json"), &json)
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
