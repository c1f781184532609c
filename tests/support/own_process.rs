//! Running a test alone in a process of its own: for the tests that change the process
//! environment, install a tracing subscriber or a logger (tracing's per-callsite cache and the
//! `log` logger are process-wide), or measure the process's peak memory, which must not share
//! their process with the other tests of the binary.
//!
//! ```ignore
//! #[test]
//! fn changes_the_environment() {
//!     if !own_process::is_alone() {
//!         own_process::rerun_alone(module_path!(), "changes_the_environment", &[]);
//!         return;
//!     }
//!     // The test itself, alone in its process.
//! }
//! ```

use std::process::Command;

/// Set in the process that runs a test alone.
const ALONE: &str = "INTERCOM_TEST_ALONE";

/// True in a process started by [`rerun_alone`].
pub fn is_alone() -> bool {
    std::env::var_os(ALONE).is_some()
}

/// The name the test harness gives the test `name` of the module `module_path` (its
/// `module_path!()`, which starts with the crate's name where the harness's names do not).
pub fn test_name(module_path: &str, name: &str) -> String {
    match module_path.split_once("::") {
        Some((_, module)) => format!("{module}::{name}"),
        None => name.to_string(),
    }
}

/// Runs the test `name` of the module `module_path` again, alone: this test binary in a child
/// process with only that test, on one thread, with `env` set. Echoes what the child printed
/// and panics unless the test passed there; returns the child's standard error.
pub fn rerun_alone(module_path: &str, name: &str, env: &[(&str, &str)]) -> String {
    let test = test_name(module_path, name);
    let output = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", &test, "--nocapture", "--test-threads", "1"])
        .env(ALONE, "1")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    print!("{stdout}");
    eprint!("{stderr}");
    assert!(
        output.status.success(),
        "{test} {env:?} failed in its own process"
    );
    assert!(
        stdout.contains("1 passed"),
        "{test} did not run in its own process:\n{stdout}"
    );
    stderr
}
