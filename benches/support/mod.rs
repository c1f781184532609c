//! What the benchmarks share: the machine they ran on, CPU meters, the dummy server as a
//! separate process, command-line options and Markdown tables.
//!
//! Each benchmark is a `harness = false` bench target (`cargo bench --bench <name>`); see
//! BENCHMARKS.md. Not every benchmark uses every helper.
#![allow(dead_code)]

use std::{
    fmt::Write as _,
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

/// Set in the environment of a benchmark binary started as the dummy server (see
/// [`serve_if_dummy`]).
const SERVE_DUMMY: &str = "INTERCOM_BENCH_SERVE_DUMMY";

/// When this benchmark binary was started by [`DummyProcess`] to be the server, serves
/// (`intercom_dummy::cli::run`, the `intercom-dummy` command, built with the benchmark in the
/// same profile) until killed, and exits. Every benchmark that uses [`DummyProcess`] calls it
/// first thing in `main`.
pub fn serve_if_dummy() {
    if std::env::var_os(SERVE_DUMMY).is_some() {
        let args = std::iter::once(std::ffi::OsString::from("intercom-dummy"))
            .chain(std::env::args_os().skip(1));
        std::process::exit(i32::from(intercom_dummy::cli::run(args)));
    }
}

// ---------------------------------------------------------------------------------------------
// Command line

/// `--name value` options; cargo's own `--bench` flag and unknown flags are ignored.
pub struct Options {
    args: Vec<String>,
}

impl Options {
    pub fn from_env() -> Options {
        Options {
            args: std::env::args().skip(1).collect(),
        }
    }

    /// The value after `--name`, parsed.
    pub fn get<T: std::str::FromStr>(&self, name: &str, default: T) -> T {
        let flag = format!("--{name}");
        match self.args.iter().position(|a| *a == flag) {
            Some(i) => {
                let text = self
                    .args
                    .get(i + 1)
                    .unwrap_or_else(|| panic!("{flag} needs a value"));
                text.parse()
                    .unwrap_or_else(|_| panic!("{flag}: cannot parse {text:?}"))
            }
            None => default,
        }
    }

    /// A comma-separated list after `--name`.
    pub fn list<T: std::str::FromStr>(&self, name: &str, default: &str) -> Vec<T> {
        let text: String = self.get(name, default.to_string());
        text.split(',')
            .map(|piece| {
                piece
                    .trim()
                    .parse()
                    .unwrap_or_else(|_| panic!("--{name}: cannot parse {piece:?}"))
            })
            .collect()
    }

    /// `--smoke`: tiny sizes, no waiting for a quiet machine; checks that a benchmark still
    /// runs (CI), its numbers mean nothing.
    pub fn smoke(&self) -> bool {
        self.flag("smoke")
    }

    /// [`get`](Self::get) with a default for full runs and one for `--smoke` runs.
    pub fn sized<T: std::str::FromStr>(&self, name: &str, full: T, smoke: T) -> T {
        self.get(name, if self.smoke() { smoke } else { full })
    }

    pub fn flag(&self, name: &str) -> bool {
        let flag = format!("--{name}");
        self.args.contains(&flag)
    }

    pub fn string(&self, name: &str) -> Option<String> {
        let flag = format!("--{name}");
        let i = self.args.iter().position(|a| *a == flag)?;
        self.args.get(i + 1).cloned()
    }
}

// ---------------------------------------------------------------------------------------------
// The machine

/// One line: CPU model, cores, memory, load average.
pub fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, m)| m.trim().to_string())
        .unwrap_or_else(|| "unknown CPU".to_string());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem_kib: f64 = meminfo
        .lines()
        .find(|l| l.starts_with("MemTotal:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    format!(
        "{model}, {cores} cores, {:.1} GiB memory, load average {} (1/5/15 min), {} profile",
        mem_kib / 1024.0 / 1024.0,
        loadavg(),
        if cfg!(debug_assertions) {
            "debug (numbers meaningless)"
        } else {
            "release"
        }
    )
}

/// `/proc/loadavg`'s first three fields.
pub fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The 1-minute load average.
pub fn load1() -> f64 {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0.0)
}

/// Prints the machine; when the 1-minute load is above `max_load` (someone else is building),
/// waits up to `--settle <seconds>` (default 120, 0 with `--smoke`) for it to drop, and says so.
pub fn header(title: &str, options: &Options) {
    let max_load = 1.0;
    let patience = Duration::from_secs(options.sized("settle", 120, 0));
    println!("## {title}\n");
    println!("Machine: {}", machine());
    let started = Instant::now();
    if load1() > max_load {
        println!(
            "(load {:.2} > {max_load}: waiting up to {}s for the machine to settle)",
            load1(),
            patience.as_secs()
        );
        while load1() > max_load && started.elapsed() < patience {
            std::thread::sleep(Duration::from_secs(5));
        }
        println!(
            "Load before measuring: {} after waiting {}s",
            loadavg(),
            started.elapsed().as_secs()
        );
    }
    println!();
}

// ---------------------------------------------------------------------------------------------
// CPU time

/// CPU time (user + system) of this process, from `getrusage`.
pub fn cpu_time() -> Duration {
    let (user, system) = cpu_times();
    user + system
}

/// User and system CPU time of this process, from `getrusage`.
pub fn cpu_times() -> (Duration, Duration) {
    // SAFETY: getrusage writes into the struct we pass and reads nothing else.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    (tv(usage.ru_utime), tv(usage.ru_stime))
}

fn clock_ticks() -> f64 {
    // SAFETY: sysconf has no preconditions.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if ticks > 0 { ticks as f64 } else { 100.0 }
}

/// CPU time of another process (user + system, from `/proc/<pid>/stat`; 10 ms resolution).
pub fn process_cpu_time(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name, which is in parentheses and may contain spaces.
    let rest = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
    let ticks: f64 = [11, 12]
        .iter()
        .filter_map(|&i| fields.get(i)?.parse::<f64>().ok())
        .sum();
    Duration::from_secs_f64(ticks / clock_ticks())
}

/// The busy time of all CPUs of the machine (`/proc/stat`).
fn machine_busy() -> Duration {
    let stat = std::fs::read_to_string("/proc/stat").unwrap_or_default();
    let line = stat.lines().next().unwrap_or_default();
    let values: Vec<f64> = line
        .split_whitespace()
        .skip(1)
        .filter_map(|v| v.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal
    let busy: f64 = [0, 1, 2, 5, 6, 7]
        .iter()
        .filter_map(|&i| values.get(i))
        .sum();
    Duration::from_secs_f64(busy / clock_ticks())
}

/// A measurement in progress: wall time, this process's CPU time, the server's CPU time, and
/// the whole machine's busy time (to tell how much of it others used).
pub struct Meter {
    wall: Instant,
    cpu: (Duration, Duration),
    server: Option<(u32, Duration)>,
    busy: Duration,
    own_ticks: Duration,
}

/// What a [`Meter`] measured.
#[derive(Clone, Copy, Debug, Default)]
pub struct Usage {
    pub wall: Duration,
    /// This process (the client), user + system.
    pub cpu: Duration,
    /// This process, user time only.
    pub user: Duration,
    /// The server process, if there was one (10 ms resolution).
    pub server_cpu: Duration,
    /// CPU cores other processes of the machine kept busy on average (noise).
    pub others: f64,
}

impl Meter {
    pub fn start(server_pid: Option<u32>) -> Meter {
        Meter {
            busy: machine_busy(),
            own_ticks: process_cpu_time(std::process::id()),
            server: server_pid.map(|pid| (pid, process_cpu_time(pid))),
            cpu: cpu_times(),
            wall: Instant::now(),
        }
    }

    pub fn stop(self) -> Usage {
        let wall = self.wall.elapsed();
        let (user, system) = cpu_times();
        let user = user.saturating_sub(self.cpu.0);
        let cpu = user + system.saturating_sub(self.cpu.1);
        let own_ticks = process_cpu_time(std::process::id()).saturating_sub(self.own_ticks);
        let server_cpu = self
            .server
            .map(|(pid, before)| process_cpu_time(pid).saturating_sub(before))
            .unwrap_or_default();
        let busy = machine_busy().saturating_sub(self.busy);
        let others = busy.saturating_sub(own_ticks + server_cpu).as_secs_f64() / wall.as_secs_f64();
        Usage {
            wall,
            cpu,
            user,
            server_cpu,
            others,
        }
    }
}

impl std::ops::AddAssign for Usage {
    /// Sums two measurements (`others`, a rate, is averaged by wall time).
    fn add_assign(&mut self, other: Usage) {
        let wall = self.wall + other.wall;
        if !wall.is_zero() {
            self.others = (self.others * self.wall.as_secs_f64()
                + other.others * other.wall.as_secs_f64())
                / wall.as_secs_f64();
        }
        self.wall = wall;
        self.cpu += other.cpu;
        self.user += other.user;
        self.server_cpu += other.server_cpu;
    }
}

// ---------------------------------------------------------------------------------------------
// The dummy server in its own process

/// The dummy server (the `intercom-dummy` command, run by this benchmark binary itself, see
/// [`serve_if_dummy`]) in a child process on a free port of 127.0.0.1; killed on drop.
pub struct DummyProcess {
    child: Child,
    pub base_url: String,
    /// How long it took to start (seeding included).
    pub startup: Duration,
}

impl DummyProcess {
    /// Starts `intercom-dummy --port 0 --quiet --request-log 0 --seed-users <seed_users>`.
    pub fn spawn(seed_users: usize) -> DummyProcess {
        Self::spawn_with(seed_users, &[])
    }

    /// [`spawn`](Self::spawn) with more arguments (e.g. `--rate-limit 500 --rate-window 10`).
    pub fn spawn_with(seed_users: usize, extra: &[&str]) -> DummyProcess {
        let started = Instant::now();
        let this = std::env::current_exe().expect("this benchmark binary");
        let mut child = Command::new(&this)
            .env(SERVE_DUMMY, "1")
            .args([
                "--port",
                "0",
                "--quiet",
                "--request-log",
                "0",
                "--seed-users",
            ])
            .arg(seed_users.to_string())
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {} as the server: {e}", this.display()));
        let stdout = child.stdout.take().expect("piped stdout");
        let mut lines = BufReader::new(stdout).lines();
        let first = lines
            .next()
            .and_then(Result::ok)
            .expect("intercom-dummy printed nothing");
        let base_url = first
            .strip_prefix("intercom-dummy listening on ")
            .unwrap_or_else(|| panic!("unexpected first line from intercom-dummy: {first:?}"))
            .trim()
            .to_string();
        // Keep reading its stdout so it never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        DummyProcess {
            child,
            base_url,
            startup: started.elapsed(),
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Resident memory now and at its peak, in KiB (`VmRSS`, `VmHWM`).
    pub fn rss_kib(&self) -> (u64, u64) {
        let status =
            std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap_or_default();
        (status_kib(&status, "VmRSS:"), status_kib(&status, "VmHWM:"))
    }
}

impl Drop for DummyProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A `/proc/<pid>/status` field in KiB.
pub fn status_kib(status: &str, field: &str) -> u64 {
    status
        .lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// This process's resident memory now and at its peak, in KiB.
pub fn own_rss_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    (status_kib(&status, "VmRSS:"), status_kib(&status, "VmHWM:"))
}

// ---------------------------------------------------------------------------------------------
// Numbers and tables

pub fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n == 0 {
        return f64::NAN;
    }
    if !n.is_multiple_of(2) {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

pub fn ms(d: Duration) -> String {
    format!("{:.0}", d.as_secs_f64() * 1000.0)
}

pub fn per_item_us(d: Duration, n: usize) -> String {
    format!("{:.1}", d.as_secs_f64() * 1e6 / n as f64)
}

pub fn thousands(n: f64) -> String {
    let whole = n.round() as u64;
    let text = whole.to_string();
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i > 0 && (text.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A Markdown table, columns padded.
pub struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(headers: &[&str]) -> Table {
        Table {
            headers: headers.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    pub fn render(&self) -> String {
        let widths: Vec<usize> = (0..self.headers.len())
            .map(|i| {
                self.rows
                    .iter()
                    .filter_map(|r| r.get(i))
                    .chain([&self.headers[i]])
                    .map(|c| c.chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line = |cells: &[String]| {
            let mut out = String::from("|");
            for (i, width) in widths.iter().enumerate() {
                let cell = cells.get(i).map_or("", String::as_str);
                let _ = write!(out, " {cell:<width$} |");
            }
            out
        };
        let mut out = line(&self.headers);
        out.push('\n');
        out.push('|');
        for width in &widths {
            out.push_str(&"-".repeat(width + 2));
            out.push('|');
        }
        for row in &self.rows {
            out.push('\n');
            out.push_str(&line(row));
        }
        out
    }

    pub fn print(&self) {
        println!("{}\n", self.render());
    }
}
