//! The command line: help, exit codes, and `diff` between git revisions of temporary
//! repositories (nothing is checked out, the repository's own files are not touched).

mod common;

use common::{git, outcome, repository_root, repository_with, spec_text, write_spec, xtask};

#[test]
fn every_command_has_help() {
    let root = repository_root();
    for (command, mentions) in [
        ("generate", "generated/client.rs"),
        ("check", "stale"),
        ("lint", "example"),
        ("diff", "--base <REV>"),
    ] {
        let (code, stdout, _) = outcome(&xtask(&root, &[command, "--help"]));
        assert_eq!(code, Some(0), "{command} --help");
        assert!(stdout.contains(mentions), "{command} --help: {stdout}");
    }
    let (code, stdout, _) = outcome(&xtask(&root, &["--help"]));
    assert_eq!(code, Some(0));
    for command in ["generate", "check", "lint", "diff", "Exit codes"] {
        assert!(stdout.contains(command), "--help lacks {command}: {stdout}");
    }
}

#[test]
fn unknown_commands_and_options_exit_2() {
    let root = repository_root();
    assert_eq!(xtask(&root, &["regenerate"]).status.code(), Some(2));
    assert_eq!(
        xtask(&root, &["diff", "--bse", "HEAD"]).status.code(),
        Some(2)
    );
}

#[test]
fn diff_of_the_working_tree_reports_verdicts_and_exits_1_when_breaking() {
    let repo = repository_with(&spec_text("base"));
    let root = repo.path();
    write_spec(root, &spec_text("request_properties_added"));
    let (code, stdout, stderr) = outcome(&xtask(root, &["diff"]));
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stdout.starts_with("openapi/intercom.yaml: HEAD → working tree\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("  breaking    priority: property added (required)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("  compatible  pinned: property added (optional)"),
        "{stdout}"
    );

    let (code, stdout, _) = outcome(&xtask(root, &["diff", "--json"]));
    assert_eq!(code, Some(1));
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        (json["base"].as_str(), json["head"].as_str()),
        (Some("HEAD"), Some("working tree"))
    );
    assert_eq!(json["breaking"], true);
}

#[test]
fn diff_between_commits_exits_0_when_only_compatible() {
    let repo = repository_with(&spec_text("base"));
    let root = repo.path();
    // Only the optional `pinned` of request_properties_added: compatible.
    let compatible = spec_text("base").replace(
        "        body: {type: string}\n",
        "        body: {type: string}\n        pinned: {type: boolean}\n",
    );
    write_spec(root, &compatible);
    git(root, &["commit", "--quiet", "-am", "pinned notes"]);
    let (code, stdout, stderr) = outcome(&xtask(
        root,
        &["diff", "--base", "HEAD~1", "--head", "HEAD"],
    ));
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(
        stdout.contains("  compatible  pinned: property added (optional)"),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("Compatible: 2 compatible change(s), none breaking.\n"),
        "{stdout}"
    );
}

#[test]
fn diff_between_identical_revisions_reports_nothing() {
    let (code, stdout, stderr) = outcome(&xtask(
        &repository_root(),
        &["diff", "--base", "HEAD", "--head", "HEAD"],
    ));
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        stdout,
        "openapi/intercom.yaml: HEAD → HEAD\n\nNo changes (descriptions, summaries and examples are not compared).\n"
    );
}

#[test]
fn diff_errors_exit_2_and_say_what_is_wrong() {
    let repo = repository_with(&spec_text("base"));
    let root = repo.path();
    let cases: &[(&[&str], &str)] = &[
        (
            &["diff", "--base", "no-such-branch"],
            "error: bad revision `no-such-branch`: not a commit",
        ),
        (
            &["diff", "--base=--output=x"],
            "error: bad revision `--output=x`: a revision cannot be empty or start with `-`",
        ),
        (
            &["diff", "--base", "HEAD~1"],
            "error: openapi/intercom.yaml does not exist at `HEAD~1`: fatal:",
        ),
    ];
    for (args, message) in cases {
        let (code, _, stderr) = outcome(&xtask(root, args));
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(stderr.starts_with(message), "{args:?}: {stderr}");
    }

    write_spec(root, "openapi: 3.0.3\npaths: [\n");
    let (code, _, stderr) = outcome(&xtask(root, &["diff"]));
    assert_eq!(code, Some(2));
    assert!(
        stderr.starts_with("error: openapi/intercom.yaml in the working tree is not a readable description: not valid YAML"),
        "{stderr}"
    );

    write_spec(root, "just: a mapping\n");
    let (code, _, stderr) = outcome(&xtask(root, &["diff"]));
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("not an OpenAPI document (no `openapi` version field)"),
        "{stderr}"
    );

    std::fs::remove_file(root.join("openapi/intercom.yaml")).unwrap();
    let (code, _, stderr) = outcome(&xtask(root, &["diff"]));
    assert_eq!(code, Some(2));
    assert!(
        stderr.starts_with(
            "error: openapi/intercom.yaml does not exist in the working tree: cannot read"
        ),
        "{stderr}"
    );
}

#[test]
fn diff_outside_a_git_repository_exits_2() {
    let dir = common::root_with_spec(&spec_text("base"));
    let (code, _, stderr) = outcome(&xtask(dir.path(), &["diff"]));
    assert_eq!(code, Some(2));
    assert!(
        stderr.starts_with("error: bad revision `HEAD`: fatal: not a git repository"),
        "{stderr}"
    );
}

#[test]
fn a_description_without_paths_is_diffed_and_its_generation_error_named() {
    let repo = repository_with("openapi: 3.0.3\ninfo: {title: t, version: '1'}\n");
    let root = repo.path();
    write_spec(
        root,
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\ncomponents:\n  schemas:\n    A: {type: string}\n",
    );
    let (code, stdout, stderr) = outcome(&xtask(root, &["diff"]));
    assert_eq!(code, Some(2), "{stdout}{stderr}");
    assert!(
        stdout.contains("schema A (used by no operation)\n  compatible  schema added"),
        "{stdout}"
    );
    assert!(
        stderr.contains("does not generate: not an OpenAPI 3.0 document: missing field `paths`"),
        "{stderr}"
    );
}

#[test]
fn a_head_that_does_not_generate_exits_2_after_the_description_diff() {
    let repo = repository_with(&spec_text("base"));
    let root = repo.path();
    write_spec(
        root,
        &spec_text("base").replace("      summary: Add a note\n", ""),
    );
    let (code, stdout, stderr) = outcome(&xtask(root, &["diff"]));
    assert_eq!(code, Some(2));
    assert!(
        stdout.contains("generated Rust API: not compared: the head description does not generate"),
        "{stdout}"
    );
    assert!(stderr.contains("has no summary"), "{stderr}");
}

#[test]
fn lint_exits_1_on_a_problem() {
    let dir = common::root_with_spec(&spec_text("base").replace("      tags: [tags]\n", ""));
    let (code, _, stderr) = outcome(&xtask(dir.path(), &["lint"]));
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("- operation getTag (GET /tags): has no tag"),
        "{stderr}"
    );
    let (code, stdout, _) = outcome(&xtask(&repository_root(), &["lint"]));
    assert_eq!(code, Some(0));
    assert!(
        stdout.contains("24 operations and 38 examples checked, no problems"),
        "{stdout}"
    );
}
