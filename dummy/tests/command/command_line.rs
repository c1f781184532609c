//! The `intercom-dummy` command: its flags, and it serves what the library serves.

use std::process::Command;

use crate::support::DummyProcess;

#[test]
fn help_lists_the_flags() {
    let output = Command::new(env!("CARGO_BIN_EXE_intercom-dummy"))
        .arg("--help")
        .output()
        .expect("runs");
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    for flag in [
        "--port",
        "--app-id",
        "--api-key",
        "--access-token",
        "--rate-limit",
        "--seed-users",
    ] {
        assert!(help.contains(flag), "{flag} missing from:\n{help}");
    }
    let refused = Command::new(env!("CARGO_BIN_EXE_intercom-dummy"))
        .arg("--port=many")
        .output()
        .expect("runs");
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--port expects a number"));
}

#[tokio::test]
async fn the_command_serves_the_api() {
    let server = DummyProcess::start(None, &["--seed-users", "3", "--api-key", "k"]);
    let base_url = &server.base_url;

    let http = reqwest::Client::new();
    let user = http
        .get(format!("{base_url}/v1/users/?email=user2@example.com"))
        .basic_auth("dummy-app-id", Some("k"))
        .send()
        .await
        .expect("answers");
    assert_eq!(user.status(), 200);
    let user: serde_json::Value = user.json().await.expect("JSON");
    assert_eq!(user["user_id"], "2");
    let refused = http
        .get(format!("{base_url}/v1/users"))
        .basic_auth("dummy-app-id", Some("dummy-api-key"))
        .send()
        .await
        .expect("answers");
    assert_eq!(refused.status(), 401, "the key was changed with --api-key");
}
