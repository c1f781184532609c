//! `cargo xtask diff`: what changed between two revisions of the description, for a user of
//! the SDK, each change classified [`Verdict::Breaking`] or [`Verdict::Compatible`].
//!
//! Three views of the same edit:
//!
//! * per operation ([`Subject::Operation`]): added, removed or moved (on the wire: its
//!   `x-wire-path`); its replay rule (`x-replay`) and credentials (`security`); parameters;
//!   request body; responses. `$ref`s to `#/components/parameters`, `requestBodies` and `responses` are
//!   resolved, so a change there shows under every operation using it.
//! * per component schema ([`Subject::Schema`]): properties (nested objects, arrays, maps,
//!   `allOf`/`oneOf`/`anyOf` followed), types, required, nullable, enum values, variants,
//!   validation rules; classified by how the schema is used (request, response or both, through
//!   any chain of `$ref`s). A `$ref` to the same component on both sides is compared once, in
//!   that component's section.
//! * the generated Rust API ([`Subject::GeneratedApi`]): public types, fields and methods of
//!   the code `codegen::generate` makes from each revision, added, removed or changed.
//!
//! The classification rules, one function each, are in `rules.rs`.

mod compare;
mod operations;
mod report;
mod revision;
mod rules;
mod schemas;
mod shape;
mod surface;
mod usage;

use std::{collections::BTreeMap, fmt, path::Path};

use serde::Serialize;
use serde_json::Value;

use crate::codegen;

pub use report::{render_json, render_text};
pub use revision::Revision;
pub use surface::{Item, public_items};
pub use usage::Usage;

/// Whether a change can break code or requests of an SDK user.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Existing code keeps compiling and existing requests stay valid.
    Compatible,
    /// Some existing code stops compiling, or some existing request or response handling
    /// stops working.
    Breaking,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Verdict::Compatible => "compatible",
            Verdict::Breaking => "breaking",
        })
    }
}

/// What a change is about.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum Subject {
    /// An operation, by `operationId` (or `METHOD path` when it has none).
    Operation(String),
    /// A schema of `components.schemas`, by name.
    Schema(String),
    /// The public items of the generated Rust code.
    GeneratedApi,
}

/// The kind of a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)] // the names say it
pub enum ChangeKind {
    OperationAdded,
    OperationRemoved,
    OperationMoved,
    ReplayChanged,
    CredentialAdded,
    CredentialRemoved,
    ParameterAdded,
    ParameterRemoved,
    RequestBodyAdded,
    RequestBodyRemoved,
    ResponseAdded,
    ResponseRemoved,
    ResponseBodyAdded,
    ResponseBodyRemoved,
    SchemaAdded,
    SchemaRemoved,
    PropertyAdded,
    PropertyRemoved,
    TypeChanged,
    RequiredChanged,
    NullableChanged,
    EnumValueAdded,
    EnumValueRemoved,
    VariantAdded,
    VariantRemoved,
    AdditionalPropertiesChanged,
    ValidationRuleChanged,
    ItemAdded,
    ItemRemoved,
    ItemChanged,
}

/// One change, classified.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The operation, schema or generated API the change is in.
    pub subject: Subject,
    /// Where in the subject: e.g. `query parameter per_page`, `request body`,
    /// `response 200.users[].email`, or for a schema the property path (`address.city`,
    /// `tags[]`, `metadata.*` for map values, `value<RichLink>` for a `oneOf` member); for the
    /// generated API the item's path (`types::Note`, `Client::create_note`). Empty for the
    /// subject itself.
    pub at: String,
    /// The kind of change.
    pub kind: ChangeKind,
    /// Breaking or compatible.
    pub verdict: Verdict,
    /// What changed, e.g. `property added (required)` or `type changed from string to integer`.
    pub detail: String,
    /// Why it is breaking or compatible, in an SDK user's terms.
    pub reason: String,
}

/// The result of a diff.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// The base revision, as the user named it (`HEAD`, `main`, ...) or `working tree`.
    pub base: String,
    /// The head revision.
    pub head: String,
    /// Every change: operations by id, then schemas by name, then the generated API by path.
    pub changes: Vec<Change>,
    /// `METHOD path` of every operation on either side, for headings.
    pub operations: BTreeMap<String, String>,
    /// How each component schema is used on either side, for headings.
    pub usage: BTreeMap<String, Usage>,
    /// Why the generated API could not be compared, when it could not (a revision that does
    /// not generate). The rest of the report stands.
    pub generated_api_error: Option<String>,
}

impl Report {
    /// True when at least one change is breaking.
    pub fn is_breaking(&self) -> bool {
        self.changes.iter().any(|c| c.verdict == Verdict::Breaking)
    }

    /// How many changes have this verdict.
    pub fn count(&self, verdict: Verdict) -> usize {
        self.changes.iter().filter(|c| c.verdict == verdict).count()
    }
}

/// Why a diff could not be made (exit code 2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    /// The revision does not name a commit, or git failed to read it.
    BadRevision {
        /// The revision as given.
        revision: String,
        /// What git or the check said.
        message: String,
    },
    /// The revision has no description file.
    MissingFile {
        /// Where it was looked for: ``at `HEAD~3` `` or `in the working tree`.
        place: String,
        /// What git or the file system said.
        message: String,
    },
    /// The description at a revision is not valid YAML or not an OpenAPI document.
    Unparseable {
        /// Where it was read: ``at `HEAD~3` `` or `in the working tree`.
        place: String,
        /// What is wrong with it.
        message: String,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let spec = codegen::SPEC_PATH;
        match self {
            Error::BadRevision { revision, message } => {
                write!(f, "bad revision `{revision}`: {message}")
            }
            Error::MissingFile { place, message } => {
                write!(f, "{spec} does not exist {place}: {message}")
            }
            Error::Unparseable { place, message } => {
                write!(f, "{spec} {place} is not a readable description: {message}")
            }
        }
    }
}

impl std::error::Error for Error {}

/// Diffs the description between two revisions of the repository at `root`: the description
/// level, then the generated API (left out, with the reason in
/// [`Report::generated_api_error`], when a revision does not generate).
pub fn diff(root: &Path, base: &Revision, head: &Revision) -> Result<Report, Error> {
    let base_spec = revision::read_description(root, base)?;
    let head_spec = revision::read_description(root, head)?;
    let mut report = compare(&base_spec, &head_spec);
    report.base = base.to_string();
    report.head = head.to_string();
    Ok(report)
}

/// Compares two descriptions at both levels: [`compare_descriptions`], then the generated API.
pub fn compare(base: &Value, head: &Value) -> Report {
    let mut report = compare_descriptions(base, head);
    match (crate::generate(base), crate::generate(head)) {
        (Ok(base_code), Ok(head_code)) => match compare_generated(&base_code, &head_code) {
            Ok(changes) => report.changes.extend(changes),
            Err(e) => report.generated_api_error = Some(e),
        },
        (Err(e), _) => {
            report.generated_api_error =
                Some(format!("the base description does not generate: {e}"))
        }
        (_, Err(e)) => {
            report.generated_api_error =
                Some(format!("the head description does not generate: {e}"))
        }
    }
    report
}

/// Compares two descriptions at the description level: operations, then component schemas.
pub fn compare_descriptions(base: &Value, head: &Value) -> Report {
    let usage = usage::merged(base, head);
    let mut changes = operations::compare(base, head);
    changes.extend(schemas::compare(base, head, &usage));
    Report {
        changes,
        operations: operations::headings(base, head),
        usage,
        ..Report::default()
    }
}

/// Compares the public items of two generated codes (from [`codegen::generate`]).
pub fn compare_generated(base_code: &str, head_code: &str) -> Result<Vec<Change>, String> {
    let before = public_items(base_code).map_err(|e| format!("base: {e}"))?;
    let after = public_items(head_code).map_err(|e| format!("head: {e}"))?;
    Ok(surface::compare(&before, &after))
}
