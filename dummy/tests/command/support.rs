//! The support of this binary: the `intercom-dummy` command in a child process.
// Only the abuse tests (Linux) read the process's memory.
#![cfg_attr(not(target_os = "linux"), allow(dead_code))]

use std::{
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

/// The `intercom-dummy` command running in a child process, killed on drop.
pub struct DummyProcess {
    pub child: Child,
    pub base_url: String,
    pub addr: String,
}

impl DummyProcess {
    /// `intercom-dummy --port 0 --quiet <extra>`, under `ulimit -n <fd_limit>` if given.
    pub fn start(fd_limit: Option<u32>, extra: &[&str]) -> DummyProcess {
        let binary = env!("CARGO_BIN_EXE_intercom-dummy");
        let mut command = match fd_limit {
            Some(limit) => {
                let mut sh = Command::new("sh");
                sh.arg("-c")
                    .arg(format!("ulimit -n {limit} && exec \"$0\" \"$@\""))
                    .arg(binary);
                sh
            }
            None => Command::new(binary),
        };
        let mut child = command
            .args(["--port", "0", "--quiet"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("intercom-dummy starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut first = String::new();
        let mut stdout = BufReader::new(stdout);
        stdout.read_line(&mut first).expect("a first line");
        // The rest is read and dropped (a closed pipe would fail its next line).
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        let base_url = first
            .trim()
            .strip_prefix("intercom-dummy listening on ")
            .unwrap_or_else(|| panic!("unexpected first line: {first:?}"))
            .to_string();
        let addr = base_url.trim_start_matches("http://").to_string();
        DummyProcess {
            child,
            base_url,
            addr,
        }
    }

    /// (`VmRSS`, `VmHWM`) of the server process, in MiB.
    pub fn memory(&self) -> (f64, f64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("the server is running");
        let field = |name: &str| {
            status
                .lines()
                .find_map(|line| line.strip_prefix(name))
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|kib| kib.parse::<f64>().ok())
                .map(|kib| kib / 1024.0)
                .unwrap_or_else(|| panic!("{name} in /proc/<pid>/status"))
        };
        (field("VmRSS:"), field("VmHWM:"))
    }

    /// Whether the process is still running.
    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// A normal, authenticated request: its status and how long it took.
    pub async fn normal_request(&self, http: &reqwest::Client) -> (u16, Duration) {
        let started = Instant::now();
        let status = http
            .get(format!("{}/v1/users", self.base_url))
            .basic_auth("dummy-app-id", Some("dummy-api-key"))
            .send()
            .await
            .map(|r| r.status().as_u16())
            .unwrap_or_else(|e| {
                eprintln!("normal request failed: {e:?}");
                0
            });
        (status, started.elapsed())
    }
}

impl Drop for DummyProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
