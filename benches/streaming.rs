//! Benchmark 3, streaming memory: every user of a dummy server holding 100,000 users (200 pages
//! of 500), then 1,000,000, through `users().list().per_page(500).stream()`, in a child process
//! that reports its own peak resident memory (`VmHWM`).
//!
//! ```sh
//! cargo bench --bench streaming
//! cargo bench --bench streaming -- --sizes 100000,1000000
//! ```
//!
//! Three processes: this one (the driver), the `intercom-dummy` binary seeded with the users,
//! and this binary again with `--child <base url> <users>`, which streams and measures itself.

mod support;

use std::{
    pin::pin,
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use futures_util::TryStreamExt;
use intercom_api::Client;
use intercom_dummy as dummy;
use support::{DummyProcess, Options, Table};

/// What the child reports.
struct Streamed {
    users: u64,
    baseline_kib: u64,
    peak_kib: u64,
    wall: Duration,
    cpu: Duration,
}

impl Streamed {
    fn to_line(&self) -> String {
        format!(
            "RESULT users={} baseline_kib={} peak_kib={} wall_us={} cpu_us={}",
            self.users,
            self.baseline_kib,
            self.peak_kib,
            self.wall.as_micros(),
            self.cpu.as_micros()
        )
    }

    fn from_line(line: &str) -> Option<Streamed> {
        let mut fields = std::collections::HashMap::new();
        for pair in line.strip_prefix("RESULT ")?.split_whitespace() {
            let (k, v) = pair.split_once('=')?;
            fields.insert(k, v.parse::<u64>().ok()?);
        }
        Some(Streamed {
            users: *fields.get("users")?,
            baseline_kib: *fields.get("baseline_kib")?,
            peak_kib: *fields.get("peak_kib")?,
            wall: Duration::from_micros(*fields.get("wall_us")?),
            cpu: Duration::from_micros(*fields.get("cpu_us")?),
        })
    }
}

/// The child: streams every user and measures itself.
fn child(base_url: &str, expected: u64) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let client = Client::builder()
        .base_url(base_url)
        .basic(dummy::DEFAULT_APP_ID, dummy::DEFAULT_API_KEY)
        .build()
        .expect("client");
    let streamed = runtime.block_on(async {
        // One small request first, so the baseline includes a warm connection and runtime.
        let first = client
            .users()
            .list()
            .per_page(1)
            .send()
            .await
            .expect("first page");
        assert_eq!(
            first.total_count as u64, expected,
            "the server's user count"
        );
        let baseline_kib = support::own_rss_kib().0;
        let cpu = support::cpu_time();
        let started = Instant::now();
        let mut users = pin!(client.users().list().per_page(500).stream());
        let mut count = 0u64;
        let mut last = None;
        while let Some(user) = users.try_next().await.expect("a user") {
            count += 1;
            last = user.user_id;
        }
        assert_eq!(last, Some(expected.to_string()), "the last user");
        Streamed {
            users: count,
            baseline_kib,
            peak_kib: support::own_rss_kib().1,
            wall: started.elapsed(),
            cpu: support::cpu_time() - cpu,
        }
    });
    println!("{}", streamed.to_line());
}

fn main() {
    support::serve_if_dummy();
    let options = Options::from_env();
    if let Some(base_url) = options.string("child") {
        let expected: u64 = options.get("expect", 0);
        child(&base_url, expected);
        return;
    }
    let sizes: Vec<usize> = if options.smoke() {
        options.list("sizes", "2000,4000")
    } else {
        options.list("sizes", "100000,1000000")
    };

    support::header(
        "3. Streaming memory: users().list().per_page(500).stream()",
        &options,
    );
    println!(
        "Each row: intercom-dummy seeded with the users (separate process), and a child process \
         (multi-thread runtime) that streams them all and reports its own peak RSS (VmHWM)\n"
    );
    let mut table = Table::new(&[
        "users",
        "pages",
        "stream wall s",
        "users/s",
        "child CPU s",
        "RSS before stream MiB",
        "peak RSS MiB",
        "peak vs first row",
        "server seed s",
        "server RSS MiB",
    ]);
    let mut first_peak = None;
    let mut peaks = Vec::new();
    for &size in &sizes {
        let server = DummyProcess::spawn(size);
        let output = Command::new(std::env::current_exe().expect("this binary"))
            .args(["--child", &server.base_url, "--expect", &size.to_string()])
            .stdin(Stdio::null())
            .stderr(Stdio::inherit())
            .output()
            .expect("run the child");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "the child failed: {stdout}");
        let streamed = stdout
            .lines()
            .find_map(Streamed::from_line)
            .unwrap_or_else(|| panic!("no RESULT line from the child: {stdout}"));
        assert_eq!(streamed.users, size as u64, "every user streamed");
        let peak = streamed.peak_kib as f64;
        let first = *first_peak.get_or_insert(peak);
        peaks.push(peak);
        table.row(vec![
            support::thousands(size as f64),
            support::thousands(size.div_ceil(500) as f64),
            format!("{:.2}", streamed.wall.as_secs_f64()),
            support::thousands(size as f64 / streamed.wall.as_secs_f64()),
            format!("{:.2}", streamed.cpu.as_secs_f64()),
            format!("{:.1}", streamed.baseline_kib as f64 / 1024.0),
            format!("{:.1}", peak / 1024.0),
            format!("{:+.1}%", (peak / first - 1.0) * 100.0),
            format!("{:.1}", server.startup.as_secs_f64()),
            format!("{:.0}", server.rss_kib().0 as f64 / 1024.0),
        ]);
    }
    table.print();
    let max = peaks.iter().copied().fold(0.0, f64::max);
    println!(
        "Largest peak RSS {:.1} MiB (target <= 40 MB); largest run vs first {:+.1}% (target within \
         10%); load after: {}",
        max / 1024.0,
        (peaks.last().copied().unwrap_or(0.0) / first_peak.unwrap_or(1.0) - 1.0) * 100.0,
        support::loadavg()
    );
}
