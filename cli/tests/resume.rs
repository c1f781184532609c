//! The journal's guarantee with a real process: `intercom events import --journal` SIGKILLed at
//! seeded random points and run again until it finishes; the server then holds every event
//! exactly once, though no line sets `created_at`.
//!
//! `INTERCOM_KILL_EVENTS` sets the number of events (default 2,000; the full check is 20,000:
//! `INTERCOM_KILL_EVENTS=20000 cargo test -p intercom-cli --test resume -- --nocapture`).

mod common;

use std::time::Duration;

use common::{command, run, stderr, stored_names, temp_dir, write_events};
use intercom_dummy::DummyServer;

/// A small deterministic generator (xorshift64*): the kill points of a seed are the same on
/// every machine.
struct Points(u64);

impl Points {
    fn next_below(&mut self, bound: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % bound.max(1)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_at_random_points_and_rerun_the_server_holds_every_event_exactly_once() {
    let n: usize = std::env::var("INTERCOM_KILL_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000);
    let users = 100;
    let server = DummyServer::builder()
        .seed_users(users)
        .request_log_capacity(0)
        .start()
        .await
        .unwrap();
    let dir = temp_dir("resume");
    let input = dir.join("events.jsonl");
    let journal = dir.join("events.journal");
    write_events(&input, n, users);
    let args = [
        "events",
        "import",
        input.to_str().unwrap(),
        "--journal",
        journal.to_str().unwrap(),
    ];

    // Kill points: server-side event counts, increasing, seeded.
    let mut points = Points(0x5EED_1313);
    let mut kill_at: Vec<usize> = (0..4).map(|_| points.next_below(n)).collect();
    kill_at.sort();
    let mut kills = 0;
    for &at in &kill_at {
        if server.state().counts().events >= at {
            continue;
        }
        let mut child = command(&server, &args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("intercom starts");
        // Poll the server until it holds `at` events (or the run ends first).
        loop {
            if server.state().counts().events >= at {
                child.kill().expect("SIGKILL");
                kills += 1;
                break;
            }
            if child.try_wait().expect("status").is_some() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        child.wait().expect("reaped");
        println!(
            "killed at {} events on the server (point {at})",
            server.state().counts().events
        );
    }
    assert!(kills >= 2, "the runs were killed {kills} times");

    // Rerun until it finishes.
    let mut reruns = 0;
    loop {
        let output = run(command(&server, &args)).await;
        reruns += 1;
        if output.status.code() == Some(0) {
            println!(
                "finished after {reruns} rerun(s): {}",
                stderr(&output).trim()
            );
            break;
        }
        assert!(reruns < 5, "rerun {reruns} failed: {}", stderr(&output));
    }
    let counts = server.state().counts();
    println!(
        "{n} events: the server holds {}, {} duplicates received and not stored",
        counts.events,
        server.state().duplicate_events()
    );
    assert_eq!(counts.events, n);
    let names = stored_names(&server);
    let mut expected: Vec<String> = (0..n).map(|i| format!("imported-{i}")).collect();
    expected.sort();
    assert_eq!(names, expected, "every event once");
    std::fs::remove_dir_all(&dir).ok();
}
