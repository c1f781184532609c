//! `cargo xtask <command>`: regenerate, check, lint and diff the OpenAPI description.
//!
//! Exit codes: 0 success; 1 the check failed (stale snapshot, lint problems, a description that
//! does not generate, or a breaking change for `diff`); 2 the command could not run (bad
//! arguments, a bad revision, a missing or unparseable description, an I/O error).

use std::{
    path::{Path, PathBuf},
    process::ExitCode,
    time::Instant,
};

use clap::{Args, Parser, Subcommand};
use xtask::{
    codegen,
    diff::{self, Revision},
    lint, snapshot,
};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    bin_name = "cargo xtask",
    about = "Developer tasks for intercom-api: regenerate, check, lint and diff openapi/intercom.yaml",
    after_help = "Exit codes: 0 success; 1 check failed (stale snapshot, lint problems, breaking \
                  change for `diff`); 2 could not run (bad revision, unreadable description, I/O)."
)]
struct Cli {
    /// Repository root to work in [default: the workspace this xtask was built from]
    #[arg(long, global = true, value_name = "DIR")]
    root: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write generated/client.rs: the code build.rs generates from openapi/intercom.yaml, with
    /// a header. Commit it with the description.
    Generate,
    /// Lint the description, then fail with a unified diff when generated/client.rs is stale
    /// (what CI runs).
    Check,
    /// Check operations (operationId, summary, tag, documented errors), the generator's rules,
    /// and every example (inline or externalValue file) against its schema.
    Lint,
    /// Semantic diff of the description between two git revisions, each change classified
    /// breaking or compatible for SDK users. Exits 1 when something is breaking.
    Diff(DiffArgs),
}

#[derive(Args)]
struct DiffArgs {
    /// Revision to compare from (anything `git rev-parse` takes: HEAD, main, v0.1.0, HEAD~2)
    #[arg(long, value_name = "REV", default_value = "HEAD")]
    base: String,
    /// Revision to compare to [default: the working tree]
    #[arg(long, value_name = "REV")]
    head: Option<String>,
    /// Print the report as JSON instead of text
    #[arg(long)]
    json: bool,
}

/// How a command ended.
enum Outcome {
    Success,
    Failure,
    /// The command could not run; the message says why.
    Error(String),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = cli.root.unwrap_or_else(xtask::default_root);
    let outcome = match cli.command {
        Command::Generate => generate(&root),
        Command::Check => check(&root),
        Command::Lint => run_lint(&root),
        Command::Diff(args) => run_diff(&root, args),
    };
    match outcome {
        Outcome::Success => ExitCode::SUCCESS,
        Outcome::Failure => ExitCode::from(1),
        Outcome::Error(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn load(root: &Path) -> Result<serde_json::Value, Outcome> {
    codegen::load_spec(&xtask::spec_path(root)).map_err(Outcome::Error)
}

fn generate(root: &Path) -> Outcome {
    let started = Instant::now();
    let spec = match load(root) {
        Ok(spec) => spec,
        Err(outcome) => return outcome,
    };
    let text = match snapshot::render(&spec) {
        Ok(text) => text,
        Err(message) => {
            eprintln!("{message}");
            return Outcome::Failure;
        }
    };
    match snapshot::write(root, &text) {
        Ok(written) => {
            let what = match written {
                snapshot::Written::Updated => "wrote",
                snapshot::Written::Unchanged => "unchanged:",
            };
            println!(
                "{what} {} ({} lines, {:.1?})",
                snapshot::SNAPSHOT_PATH,
                text.lines().count(),
                started.elapsed()
            );
            Outcome::Success
        }
        Err(message) => Outcome::Error(message),
    }
}

fn check(root: &Path) -> Outcome {
    let spec = match load(root) {
        Ok(spec) => spec,
        Err(outcome) => return outcome,
    };
    let linted = lint_report(root, &spec);
    let text = match snapshot::render(&spec) {
        Ok(text) => text,
        Err(message) => {
            if linted {
                eprintln!("{message}"); // else the lint has said it already
            }
            return Outcome::Failure;
        }
    };
    let fresh = match snapshot::freshness(root, &text) {
        Ok(freshness) => freshness,
        Err(message) => return Outcome::Error(message),
    };
    let path = snapshot::SNAPSHOT_PATH;
    let fresh = match fresh {
        snapshot::Freshness::Fresh => {
            println!("{path} is up to date with {}", codegen::SPEC_PATH);
            true
        }
        snapshot::Freshness::Missing => {
            eprintln!("{path} is missing: run `cargo xtask generate` and commit it");
            false
        }
        snapshot::Freshness::Stale { diff } => {
            print!("{diff}");
            eprintln!(
                "{path} is stale: it is not what {} generates (the diff above shows what would \
                 change); run `cargo xtask generate` and commit it",
                codegen::SPEC_PATH
            );
            false
        }
    };
    if linted && fresh {
        Outcome::Success
    } else {
        Outcome::Failure
    }
}

fn run_lint(root: &Path) -> Outcome {
    match load(root) {
        Ok(spec) if lint_report(root, &spec) => Outcome::Success,
        Ok(_) => Outcome::Failure,
        Err(outcome) => outcome,
    }
}

/// Prints the lint's findings; true when there is no problem.
fn lint_report(root: &Path, spec: &serde_json::Value) -> bool {
    let spec_path = xtask::spec_path(root);
    let spec_dir = spec_path.parent().unwrap_or(root);
    let report = lint::lint(spec, spec_dir);
    if report.problems.is_empty() {
        println!(
            "{}: {} operations and {} examples checked, no problems",
            codegen::SPEC_PATH,
            report.operations,
            report.examples
        );
        return true;
    }
    eprintln!(
        "{}: {} problem(s):",
        codegen::SPEC_PATH,
        report.problems.len()
    );
    for problem in &report.problems {
        eprintln!("  - {problem}");
    }
    false
}

fn run_diff(root: &Path, args: DiffArgs) -> Outcome {
    let base = Revision::Git(args.base);
    let head = args.head.map_or(Revision::WorkingTree, Revision::Git);
    let report = match diff::diff(root, &base, &head) {
        Ok(report) => report,
        Err(error) => return Outcome::Error(error.to_string()),
    };
    if args.json {
        println!("{}", diff::render_json(&report));
    } else {
        print!("{}", diff::render_text(&report));
    }
    if let Some(error) = report.generated_api_error {
        Outcome::Error(format!("the generated API could not be compared: {error}"))
    } else if report.is_breaking() {
        Outcome::Failure
    } else {
        Outcome::Success
    }
}
