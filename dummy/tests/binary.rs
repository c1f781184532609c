//! The `intercom-dummy` command and the server's lifecycle: it serves what the library serves,
//! and a server stops when shut down or dropped.

use std::{
    io::{BufRead, BufReader},
    process::{Command, Stdio},
    time::Duration,
};

use intercom_dummy::DummyServer;

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
    let mut child = Command::new(env!("CARGO_BIN_EXE_intercom-dummy"))
        .args([
            "--port",
            "0",
            "--seed-users",
            "3",
            "--api-key",
            "k",
            "--quiet",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts");
    let stdout = child.stdout.take().expect("stdout");
    let first_line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).map(|_| line)
    })
    .await
    .expect("reads")
    .expect("a line");
    let base_url = first_line
        .trim()
        .strip_prefix("intercom-dummy listening on ")
        .unwrap_or_else(|| panic!("unexpected first line: {first_line}"))
        .to_string();

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
    child.kill().expect("stops");
    let _ = child.wait();
}

#[tokio::test]
async fn a_server_stops_when_shut_down_or_dropped() {
    let server = DummyServer::start().await.expect("starts");
    let url = format!("{}/v1/users", server.base_url());
    let http = reqwest::Client::new();
    assert_eq!(
        http.get(&url)
            .basic_auth("dummy-app-id", Some("dummy-api-key"))
            .send()
            .await
            .expect("answers")
            .status(),
        200
    );
    server.shutdown().await;
    let after = reqwest::Client::new().get(&url).send().await;
    assert!(
        after.is_err_and(|e| e.is_connect()),
        "nothing listens any more"
    );

    let dropped = DummyServer::start().await.expect("starts");
    let addr = dropped.addr();
    drop(dropped);
    let mut refused = false;
    for _ in 0..500 {
        if tokio::net::TcpStream::connect(addr).await.is_err() {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(refused, "the port is released after the drop");
}
