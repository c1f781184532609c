//! The checked-in snapshot `generated/client.rs` (written by `cargo xtask generate`) holds
//! exactly the code build.rs generated for this build: build.rs and the xtask share one
//! generation code path, so the file reviewers read is the code users compile.

use std::path::Path;

#[test]
fn the_snapshot_is_the_code_build_rs_generated() {
    let built = include_str!(concat!(env!("OUT_DIR"), "/intercom_generated.rs"));
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("generated/client.rs");
    let snapshot = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| {
            panic!(
                "cannot read {}: {e}; run `cargo xtask generate`",
                path.display()
            )
        })
        .replace("\r\n", "\n");
    // The header: `//` lines, then a blank line.
    let (header, code) = snapshot
        .split_once("\n\n")
        .expect("generated/client.rs starts with a header");
    assert!(
        header.lines().all(|line| line.starts_with("//")),
        "{header}"
    );
    assert!(
        code == built,
        "generated/client.rs is not what build.rs generated from openapi/intercom.yaml: run \
         `cargo xtask generate` (`cargo xtask check` shows the diff)"
    );
}
