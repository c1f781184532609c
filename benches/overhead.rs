//! Benchmark 1, per-request overhead: sequential "get user by email" through the SDK
//! (`client.users().get(UserRef::email(..)).send()`) against the same requests made with plain
//! reqwest + serde_json into the same generated type (`types::User`), same server, same
//! connection reuse (one keep-alive connection each, the same reqwest settings).
//!
//! ```sh
//! cargo bench --bench overhead                      # 5 rounds of 20,000 each
//! cargo bench --bench overhead -- --requests 20000 --rounds 5 --users 1000
//! # One side only (for a profiler: valgrind --tool=callgrind <bench binary> --only sdk ...)
//! cargo bench --bench overhead -- --only sdk --requests 2000
//! ```
//!
//! The server is the `intercom-dummy` binary in its own process, so this process's CPU time
//! (getrusage) is the client's alone. Within a round the sides alternate every `--block` (500)
//! requests, so that load from elsewhere falls on both alike.

mod support;

use std::hint::black_box;

use base64::Engine;
use intercom_api::{Client, UserRef, defaults, types};
use intercom_dummy as dummy;
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderValue};
use support::{DummyProcess, Meter, Options, Table, Usage};

#[derive(Clone, Copy, PartialEq)]
enum Side {
    Sdk,
    Raw,
}

struct Bench {
    sdk: Client,
    raw: reqwest::Client,
    users_url: String,
    basic: HeaderValue,
    users: usize,
}

impl Bench {
    fn email(&self, i: usize) -> String {
        format!("user{}@example.com", i % self.users + 1)
    }

    async fn sdk_get(&self, i: usize) -> types::User {
        self.sdk
            .users()
            .get(UserRef::email(self.email(i)))
            .send()
            .await
            .expect("SDK get")
    }

    /// What the SDK does, written by hand: the same URL, headers and decoding.
    async fn raw_get(&self, i: usize) -> types::User {
        let response = self
            .raw
            .get(&self.users_url)
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .header(AUTHORIZATION, self.basic.clone())
            .query(&[("email", self.email(i))])
            .send()
            .await
            .expect("raw get");
        assert_eq!(response.status(), 200, "raw get");
        let body = response.bytes().await.expect("raw body");
        serde_json::from_slice(&body).expect("raw decode")
    }

    async fn run(&self, side: Side, requests: usize, pid: Option<u32>) -> Usage {
        let meter = Meter::start(pid);
        for i in 0..requests {
            let user = match side {
                Side::Sdk => self.sdk_get(i).await,
                Side::Raw => self.raw_get(i).await,
            };
            black_box(user);
        }
        meter.stop()
    }
}

/// The reqwest client the SDK builds by default, built by hand.
fn raw_client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(defaults::TIMEOUT)
        .connect_timeout(defaults::CONNECT_TIMEOUT)
        .user_agent(defaults::USER_AGENT)
        .build()
        .expect("reqwest client")
}

fn main() {
    support::serve_if_dummy();
    let options = Options::from_env();
    let requests: usize = options.sized("requests", 20_000, 200);
    let rounds: usize = options.sized("rounds", 5, 1);
    let users: usize = options.get("users", 1_000);
    let block: usize = options.get("block", 500);
    let only = options.string("only");

    let server = DummyProcess::spawn(users);
    let sdk = Client::builder()
        .base_url(&server.base_url)
        .basic(dummy::DEFAULT_APP_ID, dummy::DEFAULT_API_KEY)
        .build()
        .expect("SDK client");
    let credentials = format!("{}:{}", dummy::DEFAULT_APP_ID, dummy::DEFAULT_API_KEY);
    let basic = HeaderValue::from_str(&format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(credentials)
    ))
    .expect("header");
    let bench = Bench {
        sdk,
        raw: raw_client(),
        users_url: format!("{}/v1/users/", server.base_url),
        basic,
        users,
    };
    // One thread: a sequential loop, no cross-thread wake-ups to add noise.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");

    if let Some(only) = only {
        let side = match only.as_str() {
            "sdk" => Side::Sdk,
            "raw" => Side::Raw,
            other => panic!("--only sdk|raw, not {other:?}"),
        };
        let usage = runtime.block_on(async {
            bench.run(side, 100, None).await;
            bench.run(side, requests, None).await
        });
        println!(
            "{only}: {requests} requests, wall {} ms, CPU {} ms ({} µs/request)",
            support::ms(usage.wall),
            support::ms(usage.cpu),
            support::per_item_us(usage.cpu, requests)
        );
        return;
    }

    support::header(
        "1. Per-request overhead: get user by email, SDK vs reqwest + serde_json",
        &options,
    );
    println!(
        "{requests} sequential requests per side and round, {rounds} rounds, server: \
         intercom-dummy (separate process, {users} users), client: current-thread runtime; \
         the sides alternate every {block} requests\n"
    );
    let pid = Some(server.pid());
    runtime.block_on(async {
        // Warm-up: connections open, allocator and caches warm.
        bench.run(Side::Sdk, requests.min(1_000), pid).await;
        bench.run(Side::Raw, requests.min(1_000), pid).await;
    });

    let mut table = Table::new(&[
        "round",
        "SDK wall ms",
        "raw wall ms",
        "wall SDK/raw",
        "SDK CPU µs/req (user + sys)",
        "raw CPU µs/req (user + sys)",
        "CPU SDK/raw",
        "server CPU µs/req",
        "other load (cores)",
    ]);
    let (mut wall_ratios, mut cpu_ratios) = (Vec::new(), Vec::new());
    let (mut sdk_cpu, mut raw_cpu) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        // Interleaved in blocks, so that a burst of load from elsewhere hits both sides alike.
        let mut sdk = Usage::default();
        let mut raw = Usage::default();
        let mut done = 0;
        let mut block_index = round;
        while done < requests {
            let block = block.min(requests - done);
            let order = if block_index % 2 == 0 {
                [Side::Sdk, Side::Raw]
            } else {
                [Side::Raw, Side::Sdk]
            };
            for side in order {
                let usage = runtime.block_on(bench.run(side, block, pid));
                match side {
                    Side::Sdk => sdk += usage,
                    Side::Raw => raw += usage,
                }
            }
            done += block;
            block_index += 1;
        }
        let wall_ratio = sdk.wall.as_secs_f64() / raw.wall.as_secs_f64();
        let cpu_ratio = sdk.cpu.as_secs_f64() / raw.cpu.as_secs_f64();
        wall_ratios.push(wall_ratio);
        cpu_ratios.push(cpu_ratio);
        sdk_cpu.push(sdk.cpu.as_secs_f64() * 1e6 / requests as f64);
        raw_cpu.push(raw.cpu.as_secs_f64() * 1e6 / requests as f64);
        let split = |u: &Usage| {
            format!(
                "{} ({} + {})",
                support::per_item_us(u.cpu, requests),
                support::per_item_us(u.user, requests),
                support::per_item_us(u.cpu - u.user, requests)
            )
        };
        table.row(vec![
            (round + 1).to_string(),
            support::ms(sdk.wall),
            support::ms(raw.wall),
            format!("{wall_ratio:.3}"),
            split(&sdk),
            split(&raw),
            format!("{cpu_ratio:.3}"),
            support::per_item_us((sdk.server_cpu + raw.server_cpu) / 2, requests),
            format!("{:.2}", (sdk.others + raw.others) / 2.0),
        ]);
    }
    table.print();
    let wall = support::median(&mut wall_ratios);
    let cpu = support::median(&mut cpu_ratios);
    println!(
        "Median of {rounds} rounds: wall SDK/raw {wall:.3} (target <= 1.05), CPU SDK/raw {cpu:.3} \
         (target <= 1.10); client CPU per request: SDK {:.1} µs, raw {:.1} µs; load after: {}",
        support::median(&mut sdk_cpu),
        support::median(&mut raw_cpu),
        support::loadavg()
    );
}
