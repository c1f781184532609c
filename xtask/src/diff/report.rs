//! The diff as text for people, or as JSON for tools.

use std::fmt::Write as _;

use serde_json::json;

use super::{Report, Subject, Verdict};

/// The report as readable text: one heading per operation and schema (with where the schema
/// is used), then the generated API, then the verdict.
pub fn render_text(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "openapi/intercom.yaml: {} → {}",
        report.base, report.head
    );
    let mut current: Option<&Subject> = None;
    for change in &report.changes {
        if current != Some(&change.subject) {
            current = Some(&change.subject);
            let _ = writeln!(out, "\n{}", heading(report, &change.subject));
        }
        let at = if change.at.is_empty() {
            String::new()
        } else {
            format!("{}: ", change.at)
        };
        let _ = writeln!(
            out,
            "  {:<10}  {at}{} — {}",
            change.verdict.to_string(),
            change.detail,
            change.reason
        );
    }
    if let Some(error) = &report.generated_api_error {
        let _ = writeln!(out, "\ngenerated Rust API: not compared: {error}");
    }
    let breaking = report.count(Verdict::Breaking);
    let compatible = report.count(Verdict::Compatible);
    let _ = if report.changes.is_empty() {
        writeln!(
            out,
            "\nNo changes (descriptions, summaries and examples are not compared)."
        )
    } else if breaking > 0 {
        writeln!(
            out,
            "\nBreaking: {breaking} breaking and {compatible} compatible change(s)."
        )
    } else {
        writeln!(
            out,
            "\nCompatible: {compatible} compatible change(s), none breaking."
        )
    };
    out
}

fn heading(report: &Report, subject: &Subject) -> String {
    match subject {
        Subject::Operation(id) => match report.operations.get(id) {
            Some(route) => format!("operation {id} ({route})"),
            None => format!("operation {id}"),
        },
        Subject::Schema(name) => {
            let Some(usage) = report.usage.get(name) else {
                return format!("schema {name} (used by no operation)");
            };
            let mut uses = Vec::new();
            if !usage.request.is_empty() {
                uses.push(format!("sent by {}", list(&usage.request)));
            }
            if !usage.response.is_empty() {
                uses.push(format!("received from {}", list(&usage.response)));
            }
            format!("schema {name} ({})", uses.join("; "))
        }
        Subject::GeneratedApi => "generated Rust API (public items of the generated code)".into(),
    }
}

fn list(ids: &std::collections::BTreeSet<String>) -> String {
    ids.iter().cloned().collect::<Vec<_>>().join(", ")
}

/// The report as pretty JSON: `base`, `head`, `breaking`, counts, `changes` (each with
/// `subject`, `at`, `kind`, `verdict`, `detail`, `reason`) and `generated_api_error`.
pub fn render_json(report: &Report) -> String {
    let value = json!({
        "base": report.base,
        "head": report.head,
        "breaking": report.is_breaking(),
        "counts": {
            "breaking": report.count(Verdict::Breaking),
            "compatible": report.count(Verdict::Compatible),
        },
        "changes": report.changes,
        "generated_api_error": report.generated_api_error,
    });
    serde_json::to_string_pretty(&value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
