//! Benchmark 5, dummy server throughput: requests/s of the `intercom-dummy` binary (release
//! build, its own process) for `GET /v1/users/?email=` (one user) and `POST /events`, at
//! concurrency 64 (64 keep-alive connections, one request in flight on each).
//!
//! ```sh
//! cargo bench --bench dummy_server
//! cargo bench --bench dummy_server -- --requests 200000 --concurrency 64 \
//!     --client raw,reqwest --client-threads 1
//! ```
//!
//! The load comes from this process. Two load generators: `raw`, a minimal HTTP/1.1 client on
//! tokio's TCP streams (it writes a prepared request and reads the response by its
//! Content-Length; little CPU, so most of the 2 cores stay with the server), and `reqwest`
//! (what an SDK user's load would cost). The server runs with `--request-log 0 --quiet`.

mod support;

use std::{
    net::SocketAddr,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use base64::Engine;
use futures_util::StreamExt;
use intercom_dummy as dummy;
use support::{DummyProcess, Meter, Options, Table, Usage};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

#[derive(Clone, Copy, Debug, PartialEq)]
enum Scenario {
    GetUser,
    PostEvent,
}

impl Scenario {
    fn label(self) -> &'static str {
        match self {
            Scenario::GetUser => "GET /v1/users/?email= (one user)",
            Scenario::PostEvent => "POST /events",
        }
    }

    fn expected_status(self) -> u16 {
        match self {
            Scenario::GetUser => 200,
            Scenario::PostEvent => 202,
        }
    }
}

/// What request `i` of a run asks.
struct Requests {
    host: String,
    basic: String,
    users: usize,
    /// Distinguishes the events of one run from another's (all are new to the server).
    run: usize,
}

impl Requests {
    fn user(&self, i: usize) -> usize {
        i % self.users + 1
    }

    fn event_body(&self, i: usize) -> String {
        format!(
            r#"{{"event_name":"load-{}","created_at":{},"user_id":"{}","metadata":{{"source":"benchmark"}}}}"#,
            self.run,
            1_700_000_000 + i / self.users,
            self.user(i)
        )
    }

    fn write(&self, scenario: Scenario, i: usize, out: &mut Vec<u8>) {
        use std::io::Write;
        out.clear();
        match scenario {
            Scenario::GetUser => {
                let _ = write!(
                    out,
                    "GET /v1/users/?email=user{}%40example.com HTTP/1.1\r\nHost: {}\r\n\
                     Authorization: Basic {}\r\nAccept: application/json\r\n\r\n",
                    self.user(i),
                    self.host,
                    self.basic
                );
            }
            Scenario::PostEvent => {
                let body = self.event_body(i);
                let _ = write!(
                    out,
                    "POST /events HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\n\
                     Accept: application/json\r\nContent-Type: application/json\r\n\
                     Content-Length: {}\r\n\r\n{body}",
                    self.host,
                    dummy::DEFAULT_ACCESS_TOKEN,
                    body.len()
                );
            }
        }
    }
}

/// Reads one response; returns its status. Expects no pipelining (nothing after the body).
async fn read_response(stream: &mut TcpStream, buf: &mut Vec<u8>) -> std::io::Result<u16> {
    buf.clear();
    let mut chunk = [0u8; 16 * 1024];
    let head_end = loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = std::str::from_utf8(&buf[..head_end]).map_err(std::io::Error::other)?;
    let status: u16 = head
        .get(9..12)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status"))?;
    let length: usize = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = stream.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Ok(status)
}

/// One connection of the raw load generator: requests until `total` are taken.
async fn raw_connection(
    addr: SocketAddr,
    requests: Arc<Requests>,
    scenario: Scenario,
    next: Arc<AtomicUsize>,
    total: usize,
    deadline: Instant,
) -> usize {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    stream.set_nodelay(true).expect("nodelay");
    let (mut request, mut response) = (Vec::new(), Vec::new());
    let mut done = 0;
    loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        if i >= total || Instant::now() > deadline {
            return done;
        }
        requests.write(scenario, i, &mut request);
        stream.write_all(&request).await.expect("write");
        let status = read_response(&mut stream, &mut response)
            .await
            .expect("response");
        assert_eq!(status, scenario.expected_status(), "{scenario:?}");
        done += 1;
    }
}

async fn reqwest_load(
    http: &reqwest::Client,
    base_url: &str,
    requests: &Requests,
    scenario: Scenario,
    total: usize,
    concurrency: usize,
    deadline: Instant,
) -> usize {
    futures_util::stream::iter(0..total)
        .take_while(|_| std::future::ready(Instant::now() <= deadline))
        .map(|i| {
            let request = match scenario {
                Scenario::GetUser => http
                    .get(format!("{base_url}/v1/users/"))
                    .query(&[("email", format!("user{}@example.com", requests.user(i)))])
                    .basic_auth(dummy::DEFAULT_APP_ID, Some(dummy::DEFAULT_API_KEY)),
                Scenario::PostEvent => http
                    .post(format!("{base_url}/events"))
                    .bearer_auth(dummy::DEFAULT_ACCESS_TOKEN)
                    .header("content-type", "application/json")
                    .body(requests.event_body(i)),
            };
            async move {
                let response = request
                    .header("accept", "application/json")
                    .send()
                    .await
                    .expect("send");
                let status = response.status().as_u16();
                response.bytes().await.expect("body");
                assert_eq!(status, scenario.expected_status(), "{scenario:?}");
            }
        })
        .buffer_unordered(concurrency)
        .count()
        .await
}

struct Load {
    runtime: tokio::runtime::Runtime,
    http: reqwest::Client,
    base_url: String,
    addr: SocketAddr,
    host: String,
    basic: String,
    users: usize,
    runs: usize,
    concurrency: usize,
    pid: u32,
}

impl Load {
    fn run(
        &mut self,
        client: &str,
        scenario: Scenario,
        total: usize,
        limit: Duration,
    ) -> (usize, Usage) {
        self.runs += 1;
        let requests = Arc::new(Requests {
            host: self.host.clone(),
            basic: self.basic.clone(),
            users: self.users,
            run: self.runs,
        });
        let meter = Meter::start(Some(self.pid));
        let deadline = Instant::now() + limit;
        let done = match client {
            "raw" => self.runtime.block_on(async {
                let next = Arc::new(AtomicUsize::new(0));
                let tasks: Vec<_> = (0..self.concurrency)
                    .map(|_| {
                        tokio::spawn(raw_connection(
                            self.addr,
                            requests.clone(),
                            scenario,
                            next.clone(),
                            total,
                            deadline,
                        ))
                    })
                    .collect();
                let mut done = 0;
                for task in tasks {
                    done += task.await.expect("a connection task");
                }
                done
            }),
            "reqwest" => self.runtime.block_on(reqwest_load(
                &self.http,
                &self.base_url,
                &requests,
                scenario,
                total,
                self.concurrency,
                deadline,
            )),
            other => panic!("--client raw|reqwest, not {other:?}"),
        };
        (done, meter.stop())
    }
}

fn main() {
    support::serve_if_dummy();
    let options = Options::from_env();
    let total: usize = options.sized("requests", 200_000, 500);
    let concurrency: usize = options.get("concurrency", 64);
    let users: usize = options.get("users", 10_000);
    let clients: Vec<String> = options.list("client", "raw,reqwest");
    let threads: usize = options.get("client-threads", 1);
    let limit = Duration::from_secs(options.get("max-seconds", 60));

    let server = DummyProcess::spawn(users);
    let addr: SocketAddr = server
        .base_url
        .strip_prefix("http://")
        .and_then(|a| a.parse().ok())
        .expect("the server's address");
    let runtime = if threads <= 1 {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads)
            .enable_all()
            .build()
    }
    .expect("runtime");
    let mut load = Load {
        runtime,
        http: reqwest::Client::builder()
            .pool_max_idle_per_host(concurrency)
            .build()
            .expect("reqwest"),
        base_url: server.base_url.clone(),
        addr,
        host: addr.to_string(),
        basic: base64::engine::general_purpose::STANDARD.encode(format!(
            "{}:{}",
            dummy::DEFAULT_APP_ID,
            dummy::DEFAULT_API_KEY
        )),
        users,
        runs: 0,
        concurrency,
        pid: server.pid(),
    };

    support::header(
        "5. Dummy server throughput (intercom-dummy, separate process)",
        &options,
    );
    println!(
        "{total} requests per run (at most {}s), concurrency {concurrency} (keep-alive \
         connections), {users} users seeded, load generator: {threads} thread(s); server CPU is \
         the intercom-dummy process's (10 ms resolution)\n",
        limit.as_secs()
    );
    let mut table = Table::new(&[
        "request",
        "load generator",
        "requests",
        "req/s",
        "server CPU µs/req",
        "server cores busy",
        "client CPU µs/req",
        "other load (cores)",
    ]);
    for scenario in [Scenario::GetUser, Scenario::PostEvent] {
        for client in &clients {
            load.run(client, scenario, total.min(5_000), limit); // warm-up
            let (done, usage) = load.run(client, scenario, total, limit);
            let rate = done as f64 / usage.wall.as_secs_f64();
            table.row(vec![
                scenario.label().to_string(),
                client.clone(),
                support::thousands(done as f64),
                support::thousands(rate),
                support::per_item_us(usage.server_cpu, done),
                format!(
                    "{:.2}",
                    usage.server_cpu.as_secs_f64() / usage.wall.as_secs_f64()
                ),
                support::per_item_us(usage.cpu, done),
                format!("{:.2}", usage.others),
            ]);
        }
    }
    table.print();
    println!(
        "Target: >= 20,000 req/s at concurrency 64. Server RSS after: {} MiB; load after: {}",
        server.rss_kib().0 / 1024,
        support::loadavg()
    );
}
