//! The `intercom-dummy` process under abuse: its memory stays bounded and normal
//! clients keep being served.
//!
//! Each test starts the binary as a child process and reads its resident memory from
//! `/proc/<pid>/status` (`VmRSS`, `VmHWM`). The bounds are generous and the waits are for
//! liveness (a deadline to give up at, never a speed target).
//!
//! The default counts are the issue's: 2,000 refused 1 MiB uploads, 2,000 connections holding
//! 1 MiB uploads, 1,100 slow connections (about 15 s in all). `INTERCOM_ABUSE_SCALE=small`
//! halves or quarters them for slow machines. The figures are printed: run
//! `cargo test -p intercom-dummy --test command -- abuse:: --nocapture --test-threads 1`.
#![cfg(target_os = "linux")]

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use tokio::{io::AsyncWriteExt, net::TcpStream};

use crate::support::DummyProcess;

const MIB: usize = 1024 * 1024;

/// (refused uploads, held uploads, slow connections).
fn scale() -> (usize, usize, usize) {
    match std::env::var("INTERCOM_ABUSE_SCALE").as_deref() {
        Ok("small") => (500, 1_000, 1_100),
        _ => (2_000, 2_000, 1_100),
    }
}

/// Lets this process open as many sockets as the hard limit allows (the tests hold thousands).
fn raise_fd_limit() {
    // SAFETY: getrlimit/setrlimit with a valid pointer to an rlimit on this stack.
    unsafe {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 && limit.rlim_cur < limit.rlim_max
        {
            limit.rlim_cur = limit.rlim_max;
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        }
    }
}

/// A fresh client (no pooled connection from earlier requests).
fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .timeout(Duration::from_secs(60))
        .build()
        .expect("client")
}

/// Polls until `done` or the deadline; true if `done`.
async fn eventually(deadline: Duration, mut done: impl FnMut() -> bool) -> bool {
    let until = Instant::now() + deadline;
    while Instant::now() < until {
        if done() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    done()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_uploads_are_not_kept() {
    let (count, _, _) = scale();
    let server = DummyProcess::start(None, &[]);
    let http = http();
    assert_eq!(server.normal_request(&http).await.0, 200);
    let (before, _) = server.memory();
    let body = bytes::Bytes::from(vec![b'{'; MIB]);
    let url = format!("{}/v1/users", server.base_url);
    let statuses: Vec<u16> = futures_util::future::join_all((0..8).map(|worker| {
        let (http, body, url) = (http.clone(), body.clone(), url.clone());
        async move {
            let mut statuses = Vec::new();
            for _ in (worker..count).step_by(8) {
                // No credentials: 401, and the body is not logged.
                let response = http.post(&url).body(body.clone()).send().await;
                statuses.push(response.map(|r| r.status().as_u16()).unwrap_or(0));
            }
            statuses
        }
    }))
    .await
    .into_iter()
    .flatten()
    .collect();
    assert!(statuses.iter().all(|s| *s == 401), "every upload refused");
    let (after, peak) = server.memory();
    println!(
        "{count} unauthenticated 1 MiB uploads: server RSS {before:.1} -> {after:.1} MiB \
         (+{:.1}), peak {peak:.1} MiB",
        after - before
    );
    assert!(
        after - before < 64.0,
        "RSS grew by {:.1} MiB",
        after - before
    );
    // The log has every request, without bodies.
    assert_eq!(server.normal_request(&http).await.0, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn held_uploads_stay_bounded_and_memory_comes_back() {
    raise_fd_limit();
    let (_, count, _) = scale();
    let server = DummyProcess::start(None, &[]);
    let http = http();
    assert_eq!(server.normal_request(&http).await.0, 200);
    let (before, _) = server.memory();
    // One shared body: the test process holds 1 MiB, not one per connection.
    let body: Arc<[u8]> = vec![b' '; MIB - 1].into();
    let head = format!(
        "POST /v1/users HTTP/1.1\r\nHost: {}\r\nAuthorization: Basic ZHVtbXktYXBwLWlkOmR1bW15LWFwaS1rZXk=\r\n\
         Content-Type: application/json\r\nContent-Length: {MIB}\r\n\r\n",
        server.addr
    );
    let (hold, release) = tokio::sync::watch::channel(());
    let mut holders = Vec::new();
    for _ in 0..count {
        let (addr, head, body, mut release) = (
            server.addr.clone(),
            head.clone(),
            body.clone(),
            release.clone(),
        );
        holders.push(tokio::spawn(async move {
            let Ok(mut stream) = TcpStream::connect(&addr).await else {
                return;
            };
            // Sends all but the last byte, then waits (the server may close it first).
            let upload = async {
                stream.write_all(head.as_bytes()).await?;
                stream.write_all(&body).await?;
                std::future::pending::<std::io::Result<()>>().await
            };
            tokio::select! {
                _ = upload => {}
                _ = release.changed() => {}
            }
        }));
    }
    drop(release);
    // The uploads arrive; the server's peak settles (or the deadline passes).
    let mut last = 0.0;
    eventually(Duration::from_secs(60), || {
        let (_, peak) = server.memory();
        let settled = peak > before + 1.0 && (peak - last).abs() < 1.0;
        last = peak;
        settled
    })
    .await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (holding, peak) = server.memory();
    // Still serving meanwhile.
    let (status, took) = server.normal_request(&http).await;
    assert_eq!(status, 200);
    drop(hold);
    for holder in holders {
        let _ = holder.await;
    }
    let mut after = 0.0;
    let fell = eventually(Duration::from_secs(30), || {
        after = server.memory().0;
        after < before + 64.0
    })
    .await;
    println!(
        "{count} connections holding 1 MiB - 1 byte uploads: server RSS {before:.1} MiB before, \
         {holding:.1} MiB while held (peak {peak:.1}), {after:.1} MiB after they closed; a normal \
         request meanwhile took {took:?}"
    );
    assert!(peak < 256.0, "peak RSS {peak:.1} MiB");
    assert!(fell, "RSS fell back to {after:.1} MiB (from {before:.1})");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_connections_do_not_lock_out_normal_clients_under_1024_descriptors() {
    raise_fd_limit();
    let (_, _, count) = scale();
    let mut server = DummyProcess::start(Some(1024), &[]);
    let http = http();
    assert_eq!(server.normal_request(&http).await.0, 200);
    // Half send part of a request head, half a head and part of the body; then nothing.
    let mut slow = Vec::new();
    for i in 0..count {
        let Ok(mut stream) = TcpStream::connect(&server.addr).await else {
            continue;
        };
        let partial = if i % 2 == 0 {
            "GET /v1/users HTTP/1.1\r\nHost: x\r\n".to_string()
        } else {
            "POST /v1/users HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{\"email\":"
                .to_string()
        };
        let _ = stream.write_all(partial.as_bytes()).await;
        slow.push(stream);
    }
    let opened = slow.len();
    // Let the server accept what it can.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut slowest = Duration::ZERO;
    for _ in 0..5 {
        let (status, took) = server.normal_request(&http).await;
        assert_eq!(status, 200, "a normal request is answered");
        slowest = slowest.max(took);
    }
    println!(
        "{opened} slow connections open, server under ulimit -n 1024: the slowest of 5 normal \
         requests took {slowest:?}"
    );
    // Liveness, not speed: without room-making, requests waited ~28 s (the header timeout).
    assert!(slowest < Duration::from_secs(5), "took {slowest:?}");
    assert!(server.alive());
    drop(slow);
}
