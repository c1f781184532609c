//! `intercom users export` as a process: every user once, as JSON Lines on standard output.

mod common;

use common::{command, run, stderr};
use intercom_dummy::DummyServer;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exports_every_user_once_as_json_lines() {
    let server = DummyServer::builder()
        .seed_users(1_234)
        .start()
        .await
        .unwrap();
    let output = run(command(&server, &["users", "export", "--per-page", "100"])).await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let mut ids: Vec<u64> = String::from_utf8(output.stdout.clone())
        .unwrap()
        .lines()
        .map(|line| {
            let user: serde_json::Value = serde_json::from_str(line).expect("one user per line");
            user["user_id"].as_str().unwrap().parse().unwrap()
        })
        .collect();
    ids.sort();
    assert_eq!(ids, (1..=1_234).collect::<Vec<u64>>());
    // Piped: no bar; the count at the end.
    assert!(
        stderr(&output).ends_with("1234 users exported\n"),
        "{}",
        stderr(&output)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_credentials_are_a_clear_error() {
    let server = DummyServer::start().await.unwrap();
    let mut bare = command(&server, &["users", "export"]);
    bare.env_clear();
    let output = run(bare).await;
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("no credentials in the environment"),
        "{}",
        stderr(&output)
    );
}
