//! What the command's tests share: the dummy server, input files, running `intercom`.
#![allow(dead_code)]

use std::{
    path::{Path, PathBuf},
    process::{Command, Output, Stdio},
};

use intercom_dummy::DummyServer;

/// The command under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_intercom");

/// A fresh directory for one test's files.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("intercom-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// `intercom --base-url <server> ARGS` with the server's credentials in the environment.
pub fn command(server: &DummyServer, args: &[&str]) -> Command {
    let mut command = Command::new(BIN);
    command
        .arg("--base-url")
        .arg(server.base_url())
        .args(args)
        .env_clear()
        .envs(credentials(server))
        .stdin(Stdio::null());
    command
}

/// The environment variables `Client::from_env` reads, for this server.
pub fn credentials(server: &DummyServer) -> Vec<(&'static str, String)> {
    let credentials = server.credentials();
    vec![
        ("INTERCOM_APP_ID", credentials.app_id.clone()),
        ("INTERCOM_API_KEY", credentials.api_key.clone()),
        ("INTERCOM_ACCESS_TOKEN", credentials.access_token.clone()),
    ]
}

/// Runs a command to its end, off the runtime's threads (the server runs on them).
pub async fn run(mut command: Command) -> Output {
    tokio::task::spawn_blocking(move || command.output().expect("intercom runs"))
        .await
        .expect("the command's thread")
}

/// `n` events, one per line: event `i` is `imported-{i}` for user `i mod users + 1`, without
/// `created_at` (the command assigns it).
pub fn write_events(path: &Path, n: usize, users: usize) {
    let mut text = String::with_capacity(n * 48);
    for i in 0..n {
        text.push_str(&format!(
            "{{\"event_name\":\"imported-{i}\",\"user_id\":\"{}\"}}\n",
            i % users + 1
        ));
    }
    std::fs::write(path, text).expect("input written");
}

/// Every stored event name, over all users, sorted.
pub fn stored_names(server: &DummyServer) -> Vec<String> {
    let state = server.state();
    let mut names: Vec<String> = state
        .users()
        .iter()
        .flat_map(|user| {
            let key = intercom_dummy::UserKey::intercom_id(user.intercom_id.clone());
            state.events(&key).into_iter().map(|event| event.event_name)
        })
        .collect();
    names.sort();
    names
}

/// Standard error as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}
