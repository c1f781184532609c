//! Benchmark 7, pacing at the quota: `events().create_many(..)` against `intercom-dummy` with a
//! rate limit (`--rate-limit <limit> --rate-window <window>`): the throughput sustained over
//! whole windows, as a share of the quota, and the answers 429 (retries are off, so each would
//! be a failure).
//!
//! ```sh
//! cargo bench --bench pacing
//! cargo bench --bench pacing -- --limit 500 --window 10 --windows 3 --concurrency 16
//! ```
//!
//! After a warm-up request the run waits for a fresh window, then sends `limit × (windows + 1)`
//! events. A window boundary is the moment the client first sees a new `X-RateLimit-Reset`;
//! the sustained throughput is the events answered between the first and the
//! (`windows`+1)th boundary divided by the time between them.

mod support;

use std::time::{Duration, Instant, SystemTime};

use futures_util::StreamExt;
use intercom_api::{BulkStatus, Client, Error, EventUser, NewEvent, RetryConfig};
use intercom_dummy as dummy;
use support::{DummyProcess, Options, Table};

fn main() {
    support::serve_if_dummy();
    let options = Options::from_env();
    let limit: u64 = options.sized("limit", 500, 20);
    let window: u64 = options.sized("window", 10, 1);
    let windows: usize = options.sized("windows", 3, 2);
    let concurrency: usize = options.get("concurrency", 16);
    let users = 100;

    let server = DummyProcess::spawn_with(
        users,
        &[
            "--rate-limit",
            &limit.to_string(),
            "--rate-window",
            &window.to_string(),
        ],
    );
    let client = Client::builder()
        .base_url(&server.base_url)
        .token(dummy::DEFAULT_ACCESS_TOKEN)
        .retry(RetryConfig::disabled())
        .build()
        .expect("SDK client");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");

    support::header("7. Pacing at the quota", &options);
    let quota = limit as f64 / window as f64;
    println!(
        "quota {limit} requests per {window} s ({quota:.1}/s), {windows} whole windows measured, \
         concurrency {concurrency}; server: intercom-dummy (separate process)\n"
    );

    let events = limit as usize * (windows + 1);
    let (boundaries, refused, failed, answered, started) = runtime.block_on(async {
        // Warm-up: learn the quota, then wait for a fresh window.
        let warm = NewEvent::new("warm-up", EventUser::user_id("1"));
        client
            .events()
            .create(warm)
            .send()
            .await
            .expect("warm-up event");
        let seen = client.rate_limit().expect("the server announces its quota");
        let wait = seen.until_reset(SystemTime::now()).unwrap_or_default();
        tokio::time::sleep(wait + Duration::from_millis(50)).await;

        let input = (0..events).map(|i| {
            NewEvent::new(
                format!("paced-{i}"),
                EventUser::user_id((i % users + 1).to_string()),
            )
        });
        let started = Instant::now();
        let mut outcomes = std::pin::pin!(
            client
                .events()
                .create_many(input)
                .concurrency(concurrency)
                .stream()
        );
        let mut last_reset = None;
        // (instant, answers so far) at each boundary.
        let mut boundaries: Vec<(Instant, usize)> = Vec::new();
        let (mut refused, mut failed, mut answered) = (0, 0, 0);
        while let Some(outcome) = outcomes.next().await {
            if let Some(limit) = client.rate_limit()
                && last_reset != Some(limit.reset)
            {
                last_reset = Some(limit.reset);
                boundaries.push((Instant::now(), answered));
            }
            answered += 1;
            match outcome.status {
                BulkStatus::Failed(Error::RateLimited(_)) => refused += 1,
                BulkStatus::Failed(_) => failed += 1,
                _ => {}
            }
        }
        (boundaries, refused, failed, answered, started)
    });
    let elapsed = started.elapsed();
    assert_eq!(failed, 0, "failures other than 429");

    let mut table = Table::new(&[
        "quota",
        "windows",
        "events answered in them",
        "seconds",
        "events/s",
        "share of quota",
        "answers 429 (whole run)",
    ]);
    let share = match (boundaries.first(), boundaries.get(windows)) {
        (Some(&(t0, n0)), Some(&(tk, nk))) => {
            let seconds = tk.duration_since(t0).as_secs_f64();
            let rate = (nk - n0) as f64 / seconds;
            table.row(vec![
                format!("{limit} per {window} s"),
                windows.to_string(),
                (nk - n0).to_string(),
                format!("{seconds:.2}"),
                format!("{rate:.1}"),
                format!("{:.1}%", 100.0 * rate / quota),
                refused.to_string(),
            ]);
            Some(rate / quota)
        }
        _ => None,
    };
    println!("{}", table.render());
    println!(
        "\nwhole run: {answered} events in {:.2} s ({:.1}/s), {} window boundaries seen",
        elapsed.as_secs_f64(),
        answered as f64 / elapsed.as_secs_f64(),
        boundaries.len()
    );
    match share {
        Some(share) => println!(
            "target: >= 95% of the quota, 0 answers 429 -> {:.1}%, {refused}: {}",
            share * 100.0,
            if share >= 0.95 && refused == 0 {
                "met"
            } else {
                "missed"
            }
        ),
        None => println!(
            "fewer than {} window boundaries seen: no figure",
            windows + 1
        ),
    }
}
