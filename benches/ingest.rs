//! Benchmark 2, event ingest: 50,000 events through `events().create_many(..).concurrency(n)`
//! against a raw reqwest loop (`buffer_unordered(n)`) posting the same bodies, at concurrency
//! 16 and 64.
//!
//! ```sh
//! cargo bench --bench ingest
//! cargo bench --bench ingest -- --events 50000 --concurrency 16,64 --rounds 5 --block 5000
//! cargo bench --bench ingest -- --only sdk --events 2000 --concurrency 16
//! <bench binary> --only raw --base-url http://127.0.0.1:PORT --users 500 --name run-7 --events 5000
//! ```
//!
//! The server is the `intercom-dummy` binary in its own process. Every run posts events that
//! are new to the server (a run's own event name; (user, name, created_at) unique), so the server
//! does the same work for both sides. Within a round the sides alternate every `--block` (5,000)
//! events, each block a `create_many` (or raw loop) of its own.
//!
//! `--only sdk|raw` runs one side alone (a warm-up of `--warmup` events, default 500, then
//! `--events`), for a profiler or for `benches/official-sdks/run.sh`, which runs each side of
//! the comparison with the official SDKs as a process of its own. With `--base-url` it posts to
//! an `intercom-dummy` that is already running instead of starting one, and with `--name` the
//! measured events are named `<name>` (the warm-up `<name>-warmup`), so a driver can keep every
//! run's events new to the server. It then also prints one machine-readable line:
//! `RESULT side=<sdk|raw> events=<n> concurrency=<c> seconds=<wall> cpu_seconds=<user + system>
//! peak_rss_kib=<VmHWM>` (wall and CPU of the measured events only; peak RSS of the whole process).
//! (`--base-url` works without `--only` too; the table's server CPU column then reads 0.)

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};

use futures_util::StreamExt;
use intercom_api::{Client, EventUser, NewEvent, defaults, time::UnixTime, types};
use intercom_dummy as dummy;
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderValue};
use support::{DummyProcess, Meter, Options, Table, Usage};

const FIRST_SECOND: i64 = 1_700_000_000;

#[derive(Clone, Copy, PartialEq, Debug)]
enum Side {
    Sdk,
    Raw,
}

struct Bench {
    sdk: Client,
    raw: reqwest::Client,
    events_url: String,
    bearer: HeaderValue,
    users: usize,
}

impl Bench {
    fn user(&self, i: usize) -> String {
        (i % self.users + 1).to_string()
    }

    /// Event `i` of a run: user `i mod users`, one second later every `users` events.
    fn created_at(&self, i: usize) -> UnixTime {
        UnixTime::from_unix(FIRST_SECOND + (i / self.users) as i64).expect("a valid time")
    }

    async fn sdk_run(&self, name: &str, events: usize, concurrency: usize) -> usize {
        let events = (0..events).map(|i| {
            NewEvent::new(name, EventUser::user_id(self.user(i)))
                .created_at(self.created_at(i))
                .metadata("source", "benchmark")
        });
        let report = self
            .sdk
            .events()
            .create_many(events)
            .concurrency(concurrency)
            .send()
            .await;
        if let Some(failure) = report.failures.first() {
            panic!(
                "SDK: {} failures, first: {}",
                report.failures.len(),
                failure.error
            );
        }
        report.accepted
    }

    /// The same events, built into the same generated type and posted by hand.
    async fn raw_run(&self, name: &str, events: usize, concurrency: usize) -> usize {
        let accepted = AtomicUsize::new(0);
        futures_util::stream::iter(0..events)
            .map(|i| {
                let mut metadata = std::collections::BTreeMap::new();
                metadata.insert(
                    "source".to_string(),
                    types::MetadataValue::from("benchmark"),
                );
                let body = types::EventRequest {
                    event_name: name.to_string(),
                    created_at: self.created_at(i),
                    user_id: Some(self.user(i)),
                    id: None,
                    email: None,
                    metadata: Some(types::EventMetadata(metadata)),
                };
                let request = self
                    .raw
                    .post(&self.events_url)
                    .header(ACCEPT, HeaderValue::from_static("application/json"))
                    .header(AUTHORIZATION, self.bearer.clone())
                    .json(&body);
                async move {
                    let response = request.send().await.expect("raw post");
                    let status = response.status();
                    let body = response.bytes().await.expect("raw body");
                    assert_eq!(status, 202, "raw post: {body:?}");
                }
            })
            .buffer_unordered(concurrency)
            .for_each(|()| {
                accepted.fetch_add(1, Ordering::Relaxed);
                async {}
            })
            .await;
        accepted.into_inner()
    }
}

fn main() {
    support::serve_if_dummy();
    let options = Options::from_env();
    let events: usize = options.sized("events", 50_000, 500);
    let rounds: usize = options.sized("rounds", 5, 1);
    let users: usize = options.get("users", 1_000);
    let levels: Vec<usize> = options.list("concurrency", "16,64");
    let block: usize = options.get::<usize>("block", 5_000).max(1);

    // An already-running server (`--base-url`), or one of our own.
    let (server, base_url) = match options.string("base-url") {
        Some(url) => (None, url.trim_end_matches('/').to_string()),
        None => {
            let server = DummyProcess::spawn(users);
            let url = server.base_url.clone();
            (Some(server), url)
        }
    };
    let sdk = Client::builder()
        .base_url(&base_url)
        .token(dummy::DEFAULT_ACCESS_TOKEN)
        .build()
        .expect("SDK client");
    // The reqwest client the SDK builds by default, built by hand.
    let raw = reqwest::Client::builder()
        .timeout(defaults::TIMEOUT)
        .connect_timeout(defaults::CONNECT_TIMEOUT)
        .user_agent(defaults::USER_AGENT)
        .build()
        .expect("reqwest client");
    let bench = Bench {
        sdk,
        raw,
        events_url: format!("{base_url}/events"),
        bearer: HeaderValue::from_str(&format!("Bearer {}", dummy::DEFAULT_ACCESS_TOKEN))
            .expect("header"),
        users,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");

    support::header(
        "2. Event ingest: create_many vs a raw reqwest loop",
        &options,
    );
    println!(
        "{events} events per side and round, concurrency {levels:?}, {rounds} rounds, the sides \
         alternating every {block} events; server: intercom-dummy (separate process), client: \
         multi-thread runtime ({} workers)\n",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );

    let pid = server.as_ref().map(DummyProcess::pid);
    let run_name = options.string("name");
    // `--only`: a warm-up run (unless `--warmup 0`), then the measured one.
    let warmup: usize = options.get("warmup", events.min(500));
    let mut run_id = 0;
    let mut run = |side: Side, events: usize, concurrency: usize| -> Usage {
        run_id += 1;
        let name = match &run_name {
            // The warm-up (first run) and the measured run of `--only`.
            Some(name) if run_id == 1 && warmup > 0 => format!("{name}-warmup"),
            Some(name) => name.clone(),
            None => format!("bench-{run_id}-{side:?}").to_lowercase(),
        };
        let meter = Meter::start(pid);
        let accepted = runtime.block_on(async {
            match side {
                Side::Sdk => bench.sdk_run(&name, events, concurrency).await,
                Side::Raw => bench.raw_run(&name, events, concurrency).await,
            }
        });
        let usage = meter.stop();
        assert_eq!(accepted, events, "{side:?}: every event accepted");
        usage
    };
    if let Some(only) = options.string("only") {
        // One side only, for a profiler (valgrind --tool=callgrind <bench binary> --only sdk).
        let side = match only.as_str() {
            "sdk" => Side::Sdk,
            "raw" => Side::Raw,
            other => panic!("--only sdk|raw, not {other:?}"),
        };
        let concurrency = levels[0];
        if warmup > 0 {
            run(side, warmup, concurrency);
        }
        let usage = run(side, events, concurrency);
        println!(
            "{only}: {events} events at concurrency {concurrency}, wall {} ms, client CPU {} µs/event",
            support::ms(usage.wall),
            support::per_item_us(usage.cpu, events)
        );
        let (_, peak_rss_kib) = support::own_rss_kib();
        println!(
            "RESULT side={only} events={events} concurrency={concurrency} seconds={:.6} \
             cpu_seconds={:.6} peak_rss_kib={peak_rss_kib}",
            usage.wall.as_secs_f64(),
            usage.cpu.as_secs_f64()
        );
        return;
    }

    // Warm-up: open the connections.
    for &concurrency in &levels {
        run(Side::Sdk, events.min(2_000), concurrency);
        run(Side::Raw, events.min(2_000), concurrency);
    }

    let mut table = Table::new(&[
        "concurrency",
        "round",
        "SDK events/s",
        "raw events/s",
        "SDK/raw",
        "SDK client CPU µs/event",
        "raw client CPU µs/event",
        "server CPU µs/event",
        "other load (cores)",
    ]);
    let mut summary = Vec::new();
    for &concurrency in &levels {
        let mut ratios = Vec::new();
        let (mut sdk_rates, mut raw_rates) = (Vec::new(), Vec::new());
        for round in 0..rounds {
            // Interleaved in blocks, so that the machine's drift and bursts of load from
            // elsewhere fall on both sides alike; the side that goes first alternates too.
            let mut sdk = Usage::default();
            let mut raw = Usage::default();
            let (mut done, mut block_index) = (0, round);
            while done < events {
                let block = block.min(events - done);
                let order = if block_index % 2 == 0 {
                    [Side::Sdk, Side::Raw]
                } else {
                    [Side::Raw, Side::Sdk]
                };
                for side in order {
                    let usage = run(side, block, concurrency);
                    match side {
                        Side::Sdk => sdk += usage,
                        Side::Raw => raw += usage,
                    }
                }
                done += block;
                block_index += 1;
            }
            let sdk_rate = events as f64 / sdk.wall.as_secs_f64();
            let raw_rate = events as f64 / raw.wall.as_secs_f64();
            ratios.push(sdk_rate / raw_rate);
            sdk_rates.push(sdk_rate);
            raw_rates.push(raw_rate);
            table.row(vec![
                concurrency.to_string(),
                (round + 1).to_string(),
                support::thousands(sdk_rate),
                support::thousands(raw_rate),
                format!("{:.3}", sdk_rate / raw_rate),
                support::per_item_us(sdk.cpu, events),
                support::per_item_us(raw.cpu, events),
                support::per_item_us((sdk.server_cpu + raw.server_cpu) / 2, events),
                format!("{:.2}", (sdk.others + raw.others) / 2.0),
            ]);
        }
        summary.push(format!(
            "concurrency {concurrency}: SDK {} events/s, raw {} events/s, SDK/raw {:.3}",
            support::thousands(support::median(&mut sdk_rates)),
            support::thousands(support::median(&mut raw_rates)),
            support::median(&mut ratios)
        ));
    }
    table.print();
    println!("Medians (target SDK/raw >= 0.95):");
    for line in summary {
        println!("- {line}");
    }
    println!("Load after: {}", support::loadavg());
}
