//! Reading the description at a revision: the working tree, or a git revision through
//! `git show <rev>:./openapi/intercom.yaml` (nothing is checked out).

use std::{fmt, path::Path, process::Command};

use serde_json::Value;

use super::Error;
use crate::codegen;

/// Where to read the description from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Revision {
    /// The file as it is on disk.
    WorkingTree,
    /// A git revision (`HEAD`, `main`, `v0.1.0`, `abc1234`, `HEAD~2`, ...).
    Git(String),
}

impl Revision {
    /// Where the file is read, for messages: `in the working tree`, ``at `HEAD` ``.
    pub fn place(&self) -> String {
        match self {
            Revision::WorkingTree => "in the working tree".into(),
            Revision::Git(rev) => format!("at `{rev}`"),
        }
    }
}

/// `HEAD`, `main`, ... or `working tree`.
impl fmt::Display for Revision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Revision::WorkingTree => f.write_str("working tree"),
            Revision::Git(rev) => f.write_str(rev),
        }
    }
}

/// The description at `revision` of the repository at `root`, parsed.
pub(super) fn read_description(root: &Path, revision: &Revision) -> Result<Value, Error> {
    let text = match revision {
        Revision::WorkingTree => {
            let path = root.join(codegen::SPEC_PATH);
            std::fs::read_to_string(&path).map_err(|e| Error::MissingFile {
                place: revision.place(),
                message: format!("cannot read {}: {e}", path.display()),
            })?
        }
        Revision::Git(rev) => git_show(root, rev)?,
    };
    let unparseable = |message: String| Error::Unparseable {
        place: revision.place(),
        message,
    };
    let spec = codegen::parse_spec(&text).map_err(unparseable)?;
    if !spec.is_object() {
        return Err(unparseable(
            "not an OpenAPI document (the top level is not a mapping)".into(),
        ));
    }
    if spec.get("openapi").and_then(Value::as_str).is_none() {
        return Err(unparseable(
            "not an OpenAPI document (no `openapi` version field)".into(),
        ));
    }
    Ok(spec)
}

fn git_show(root: &Path, rev: &str) -> Result<String, Error> {
    let bad = |message: String| Error::BadRevision {
        revision: rev.to_string(),
        message,
    };
    if rev.is_empty() || rev.starts_with('-') {
        return Err(bad("a revision cannot be empty or start with `-`".into()));
    }
    let verify = git(
        root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    )
    .map_err(&bad)?;
    if !verify.status.success() {
        let said = String::from_utf8_lossy(&verify.stderr).trim().to_string();
        return Err(bad(if said.is_empty() {
            format!("not a commit of the git repository at {}", root.display())
        } else {
            said
        }));
    }
    let spec = format!("{rev}:./{}", codegen::SPEC_PATH);
    let shown = git(root, &["show", &spec]).map_err(&bad)?;
    if !shown.status.success() {
        return Err(Error::MissingFile {
            place: format!("at `{rev}`"),
            message: String::from_utf8_lossy(&shown.stderr).trim().to_string(),
        });
    }
    String::from_utf8(shown.stdout).map_err(|_| Error::Unparseable {
        place: format!("at `{rev}`"),
        message: "not UTF-8 text".into(),
    })
}

fn git(root: &Path, args: &[&str]) -> Result<std::process::Output, String> {
    Command::new("git")
        .args(args)
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run git in {}: {e}", root.display()))
}
