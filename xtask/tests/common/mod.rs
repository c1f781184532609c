//! Helpers shared by the xtask tests: the test descriptions, temporary repositories, and the
//! xtask binary.
#![allow(dead_code)] // each test binary uses a different subset

use std::{
    path::{Path, PathBuf},
    process::{Command, Output},
};

use serde_json::Value;

/// `xtask/tests/specs/<name>.yaml`.
pub fn spec_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/specs")
        .join(format!("{name}.yaml"))
}

/// The text of `xtask/tests/specs/<name>.yaml`.
pub fn spec_text(name: &str) -> String {
    std::fs::read_to_string(spec_file(name)).expect("test descriptions are readable")
}

/// `xtask/tests/specs/<name>.yaml`, parsed.
pub fn spec(name: &str) -> Value {
    xtask::codegen::parse_spec(&spec_text(name)).expect("test descriptions parse")
}

/// The repository this xtask belongs to.
pub fn repository_root() -> PathBuf {
    xtask::default_root()
}

/// A temporary repository root with `openapi/intercom.yaml` holding `text`.
pub fn root_with_spec(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    write_spec(dir.path(), text);
    dir
}

/// Replaces `openapi/intercom.yaml` under `root`.
pub fn write_spec(root: &Path, text: &str) {
    std::fs::create_dir_all(root.join("openapi")).expect("openapi/ can be created");
    std::fs::write(root.join("openapi/intercom.yaml"), text)
        .expect("the description can be written");
}

/// Runs git in `root`, failing the test when git fails.
pub fn git(root: &Path, args: &[&str]) {
    let output = Command::new("git")
        .args([
            "-c",
            "user.name=xtask tests",
            "-c",
            "user.email=xtask@tests.invalid",
        ])
        .args(args)
        .current_dir(root)
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A temporary git repository whose first commit has no description and whose second (HEAD)
/// commits `base`.
pub fn repository_with(base: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let root = dir.path();
    git(root, &["init", "--quiet"]);
    std::fs::write(root.join("README.md"), "test repository\n").expect("README can be written");
    git(root, &["add", "."]);
    git(root, &["commit", "--quiet", "-m", "no description yet"]);
    write_spec(root, base);
    git(root, &["add", "."]);
    git(root, &["commit", "--quiet", "-m", "add the description"]);
    dir
}

/// Runs `xtask --root <root> <args>`.
pub fn xtask(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .expect("the xtask binary runs")
}

/// The exit code, stdout and stderr of a run.
pub fn outcome(output: &Output) -> (Option<i32>, String, String) {
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}
