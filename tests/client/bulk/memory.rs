//! Outcomes as a stream keep memory bounded: 10,000 events that all fail (unknown users) grow
//! this process's peak resident memory by far less than `send()`, whose report keeps every
//! failure, grows it for the same events. Measured on this test's own process (Linux): it runs
//! alone in a process of its own (`support::own_process`).

use futures_util::StreamExt;
use intercom_api::{EventUser, NewEvent};
use intercom_dummy::DummyServer;

use crate::support::own_process;

/// `VmHWM` (peak resident set) of this process, KiB.
fn peak_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM")
}

/// Resets the peak to the current resident set (`clear_refs` 5).
fn reset_peak() {
    std::fs::write("/proc/self/clear_refs", "5").expect("clear_refs");
}

fn failing_events(n: usize) -> impl Iterator<Item = NewEvent> {
    // A long metadata value makes each kept failure large (~2 KiB), as in real backfills.
    (0..n).map(|i| {
        NewEvent::new("imported", EventUser::user_id(format!("nobody-{i}")))
            .metadata("payload", "x".repeat(2_000))
    })
}

async fn streamed(server: &DummyServer, n: usize) -> usize {
    let events = failing_events(n);
    server
        .client()
        .events()
        .create_many(events)
        .concurrency(16)
        .stream()
        .fold(0, |failed, outcome| async move {
            failed + usize::from(!outcome.is_accepted())
        })
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streaming_failures_keeps_the_peak_flat_where_the_report_grows() {
    if !own_process::is_alone() {
        own_process::rerun_alone(
            module_path!(),
            "streaming_failures_keeps_the_peak_flat_where_the_report_grows",
            &[],
        );
        return;
    }
    let server = DummyServer::builder()
        .request_log_capacity(0)
        .start()
        .await
        .unwrap();
    // Warm-up: connections, allocator pools, the server's buffers.
    assert_eq!(streamed(&server, 2_000).await, 2_000);

    reset_peak();
    let before = peak_kib();
    assert_eq!(streamed(&server, 10_000).await, 10_000);
    let streaming = peak_kib().saturating_sub(before);

    reset_peak();
    let before = peak_kib();
    let report = server
        .client()
        .events()
        .create_many(failing_events(10_000))
        .send()
        .await;
    assert_eq!(report.failures.len(), 10_000);
    let kept = peak_kib().saturating_sub(before);
    drop(report);

    println!(
        "peak resident memory grew by {streaming} KiB streaming, {kept} KiB keeping the report"
    );
    assert!(
        streaming < 8 * 1024,
        "streaming: the peak grew by {streaming} KiB"
    );
    assert!(
        kept > 16 * 1024,
        "the measurement sees kept failures: {kept} KiB"
    );
}
