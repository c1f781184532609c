//! Developer tasks for intercom-api, behind `cargo xtask <command>`:
//!
//! * [`snapshot`]: `generate` writes `generated/client.rs`, the checked-in snapshot of the code
//!   build.rs generates; `check` fails with a unified diff when it is stale.
//! * [`lint`]: the generator's rules and every example of the description against its schema.
//! * [`diff`]: what changed between two revisions of the description, for a user of the SDK,
//!   each change classified breaking or compatible.
//!
//! Generation is the crate's own code: `codegen/` is included here with `#[path]`, exactly as
//! build.rs includes it, so there is one copy of the generator settings.

#![warn(missing_docs)]

#[allow(missing_docs)] // documented where it lives, in codegen/
#[path = "../../codegen/mod.rs"]
pub mod codegen;

pub mod diff;
pub mod examples;
pub mod lint;
pub mod snapshot;
mod validation;

use std::{
    path::{Path, PathBuf},
    sync::Mutex,
};

use serde_json::Value;

/// The repository root this xtask was built from (the parent of `xtask/`), where `cargo xtask`
/// works unless told otherwise with `--root`.
pub fn default_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map_or_else(|| manifest_dir.join(".."), Path::to_path_buf)
}

/// The description's path under a repository root.
pub fn spec_path(root: &Path) -> PathBuf {
    root.join(codegen::SPEC_PATH)
}

/// [`codegen::generate`], one call at a time.
///
/// `codegen::generate` swaps the process-wide panic hook while progenitor runs; two threads
/// doing that at once (parallel tests) could leave the silent hook installed for good.
pub fn generate(spec: &Value) -> Result<String, String> {
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    let _guard = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    codegen::generate(spec)
}
