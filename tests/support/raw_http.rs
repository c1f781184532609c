//! HTTP/1.1 by hand over TCP: the one reader of a request (for the raw servers of the tests),
//! a raw exchange with a server (for requests no HTTP client would send), and an address where
//! nobody listens.

use std::{
    io::{Read, Write},
    net::{SocketAddr, TcpStream},
    time::Duration,
};

use tokio::io::AsyncReadExt;

/// Reads one request (its head and a `Content-Length` body) from `stream`; its target (the
/// path and query), or `None` when the connection ends first. `pending` holds the bytes read
/// past the request, for the next request of a kept-alive connection.
pub async fn read_request(
    stream: &mut tokio::net::TcpStream,
    pending: &mut Vec<u8>,
) -> std::io::Result<Option<String>> {
    let mut buffer = [0u8; 8192];
    let head_end = loop {
        if let Some(end) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        let n = stream.read(&mut buffer).await?;
        if n == 0 {
            return Ok(None);
        }
        pending.extend_from_slice(&buffer[..n]);
    };
    let head = String::from_utf8_lossy(&pending[..head_end]).to_string();
    let target = head.split_whitespace().nth(1).unwrap_or("/").to_string();
    let length: usize = head
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse().ok())
        .unwrap_or(0);
    while pending.len() < head_end + length {
        let n = stream.read(&mut buffer).await?;
        if n == 0 {
            return Ok(None);
        }
        pending.extend_from_slice(&buffer[..n]);
    }
    pending.drain(..head_end + length);
    Ok(Some(target))
}

/// Writes `bytes` to the server over a fresh TCP connection and returns all it answers until
/// it closes the connection (or 10 s pass). With `half_close`, shuts the write side down after
/// writing (the server then closes at once, cancelling any request in progress); without,
/// send `Connection: close` to get the answer to a complete request.
pub async fn raw_exchange(addr: SocketAddr, bytes: Vec<u8>, half_close: bool) -> Vec<u8> {
    tokio::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(addr).expect("connects");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("a timeout");
        // The server may close before reading everything; that is an answer too.
        let _ = stream.write_all(&bytes);
        if half_close {
            let _ = stream.shutdown(std::net::Shutdown::Write);
        }
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        answer
    })
    .await
    .expect("the exchange finishes")
}

/// A port of 127.0.0.1 that was free a moment ago and that nobody listens on: connections to
/// it are refused.
pub fn port_nobody_listens_on() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}
