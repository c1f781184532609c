//! `intercom events import` as a process against the dummy server: rejects, exit codes, the
//! progress bar on a terminal and plain output when piped, a changed input under a journal.

mod common;

use common::{command, credentials, run, stderr, stored_names, temp_dir, write_events};
use intercom_dummy::DummyServer;
use serde_json::Value;

/// Lines 1-5: three good events, one for an unknown user (refused by the server), a line that is
/// not JSON, a blank line (skipped), one without a name, one with an array as metadata.
const MIXED: &str = r#"{"event_name":"signed-up","user_id":"1"}
{"event_name":"upgraded-plan","user_id":"2","metadata":{"plan":"pro","seats":3}}
{"event_name":"invited-friend","email":"user3@example.com","created_at":1700000000}
{"event_name":"signed-up","user_id":"ghost"}
this is not json

{"user_id":"1"}
{"event_name":"tagged","user_id":"1","metadata":{"tags":["a","b"]}}
"#;

fn rejects(path: &std::path::Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .expect("rejects file")
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON rejects line"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn piped_import_writes_rejects_with_line_numbers_and_exits_1() {
    let server = DummyServer::builder().seed_users(3).start().await.unwrap();
    let dir = temp_dir("mixed");
    let input = dir.join("events.jsonl");
    std::fs::write(&input, MIXED).unwrap();
    let output = run(command(
        &server,
        &["events", "import", input.to_str().unwrap()],
    ))
    .await;

    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stderr(&output);
    // Piped: no bar, only the summary.
    assert!(!text.contains("ETA"), "{text}");
    assert!(
        text.contains("7 events: 3 accepted (0 in earlier runs), 1 refused, 3 invalid lines"),
        "{text}"
    );
    assert_eq!(
        stored_names(&server),
        ["invited-friend", "signed-up", "upgraded-plan"]
    );

    let mut rejects = rejects(&dir.join("events.jsonl.rejects.jsonl"));
    rejects.sort_by_key(|r| r["line"].as_u64());
    let lines: Vec<u64> = rejects
        .iter()
        .map(|r| r["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [4, 5, 7, 8]);
    assert!(
        rejects[0]["error"].as_str().unwrap().contains("404"),
        "{}",
        rejects[0]
    );
    assert_eq!(rejects[0]["event"]["user_id"], "ghost");
    assert!(
        rejects[0]["event"]["created_at"].is_u64(),
        "the event as sent: {}",
        rejects[0]
    );
    assert!(
        rejects[1]["error"]
            .as_str()
            .unwrap()
            .starts_with("not an event object")
    );
    assert_eq!(rejects[1]["input"], "this is not json");
    assert_eq!(rejects[2]["error"], "event_name is missing");
    assert!(
        rejects[3]["error"]
            .as_str()
            .unwrap()
            .contains("\"tags\" is an array"),
        "{}",
        rejects[3]
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endless_or_binary_line_is_rejected_and_the_lines_after_it_are_imported() {
    let server = DummyServer::builder().seed_users(2).start().await.unwrap();
    let dir = temp_dir("unreadable");
    let input = dir.join("events.jsonl");
    let mut text = br#"{"event_name":"first","user_id":"1"}"#.to_vec();
    // 3 MiB without a newline: read in bounded memory, rejected, not the end of the input.
    text.push(b'\n');
    text.extend(std::iter::repeat_n(b' ', 3 << 20));
    text.extend_from_slice(b"\n{\"event_name\":\"bad\xff\",\"user_id\":\"1\"}\n");
    text.extend_from_slice(br#"{"event_name":"last","user_id":"2"}"#);
    std::fs::write(&input, text).unwrap();
    let output = run(command(
        &server,
        &["events", "import", input.to_str().unwrap()],
    ))
    .await;

    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output)
            .contains("4 events: 2 accepted (0 in earlier runs), 0 refused, 2 invalid lines"),
        "{}",
        stderr(&output)
    );
    assert_eq!(stored_names(&server), ["first", "last"]);
    let rejects = rejects(&dir.join("events.jsonl.rejects.jsonl"));
    assert_eq!(rejects.len(), 2, "{rejects:?}");
    assert_eq!(rejects[0]["line"], 2);
    assert!(
        rejects[0]["error"]
            .as_str()
            .unwrap()
            .contains("3145728 bytes long, more than the 1048576 bytes"),
        "{}",
        rejects[0]
    );
    assert!(rejects[0]["input"].as_str().unwrap().len() < 100);
    assert_eq!(rejects[1]["line"], 3);
    assert!(
        rejects[1]["error"]
            .as_str()
            .unwrap()
            .starts_with("not UTF-8"),
        "{}",
        rejects[1]
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clean_import_exits_0() {
    let server = DummyServer::builder().seed_users(10).start().await.unwrap();
    let dir = temp_dir("clean");
    let input = dir.join("events.jsonl");
    write_events(&input, 300, 10);
    let rejects = dir.join("rejects.jsonl");
    let output = run(command(
        &server,
        &[
            "events",
            "import",
            input.to_str().unwrap(),
            "--concurrency",
            "4",
            "--rejects",
            rejects.to_str().unwrap(),
        ],
    ))
    .await;
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(server.state().counts().events, 300);
    assert_eq!(std::fs::read_to_string(&rejects).unwrap(), "");
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_terminal_the_progress_bar_shows_counts_rate_and_eta() {
    let server = DummyServer::builder().seed_users(10).start().await.unwrap();
    let dir = temp_dir("terminal");
    let input = dir.join("events.jsonl");
    write_events(&input, 200, 10);
    // `script` runs the command on a pseudo-terminal and copies what it printed.
    let line = format!(
        "{} --base-url {} events import {}",
        common::BIN,
        server.base_url(),
        input.display()
    );
    let mut script = std::process::Command::new("script");
    script
        .args(["-qec", &line, "/dev/null"])
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("TERM", "xterm")
        .envs(credentials(&server))
        .stdin(std::process::Stdio::null());
    let output = run(script).await;
    let shown = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{shown}");
    assert!(shown.contains("200/200 events"), "{shown}");
    assert!(shown.contains("ETA"), "{shown}");
    assert!(shown.contains("accepted 200, failed 0"), "{shown}");
    assert_eq!(server.state().counts().events, 200);
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_input_under_a_journal_stops_naming_the_line_and_sends_nothing_more() {
    let server = DummyServer::builder().seed_users(5).start().await.unwrap();
    let dir = temp_dir("changed");
    let input = dir.join("events.jsonl");
    let journal = dir.join("events.journal");
    write_events(&input, 20, 5);
    let args = [
        "events",
        "import",
        input.to_str().unwrap(),
        "--journal",
        journal.to_str().unwrap(),
    ];
    let first = run(command(&server, &args)).await;
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));

    // Line 7 now names another event; line 21 is new.
    let mut lines: Vec<String> = std::fs::read_to_string(&input)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    lines[6] = r#"{"event_name":"something-else","user_id":"2"}"#.to_string();
    lines.push(r#"{"event_name":"appended","user_id":"2"}"#.to_string());
    std::fs::write(&input, lines.join("\n")).unwrap();
    let second = run(command(&server, &args)).await;
    assert_eq!(second.status.code(), Some(2), "{}", stderr(&second));
    assert!(
        stderr(&second).contains("event #7 differs from the one recorded in the journal"),
        "{}",
        stderr(&second)
    );
    assert_eq!(server.state().counts().events, 20);
    assert!(!stored_names(&server).contains(&"something-else".to_string()));
    std::fs::remove_dir_all(&dir).ok();
}
