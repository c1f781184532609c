//! A hostile HTTP server on 127.0.0.1: raw HTTP/1.1 written by hand on a tokio `TcpListener`
//! (not the dummy server), so that it can send what no well-behaved server would: bodies of any
//! size or none at all, endless chunked bodies, silence, a connection closed unanswered.

use std::{
    net::SocketAddr,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
};

use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
};

use super::raw_http::read_request;

/// What the server answers to one request.
pub enum Reply {
    /// A status, headers and a whole body with its `Content-Length`.
    Full {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// A chunked body of `total` bytes (`None`: endless), written in 64 KiB chunks of `fill`.
    Chunked {
        status: u16,
        total: Option<u64>,
        fill: u8,
    },
    /// `body` in chunked encoding, cut into chunks of `chunk` bytes.
    ChunkedBody { body: Vec<u8>, chunk: usize },
    /// A `Content-Length` of `length` bytes, then as many of `fill` as the client reads.
    Announced { length: u64, fill: u8 },
    /// Reads the request and never answers.
    Silent,
    /// Reads the request and closes the connection without answering: what a connection lost
    /// after the request was sent looks like to a client.
    Hangup,
}

impl Reply {
    /// `200 OK` with a JSON body.
    pub fn json(body: &serde_json::Value) -> Reply {
        Reply::status_json(200, body)
    }

    /// `status` with a JSON body.
    pub fn status_json(status: u16, body: &serde_json::Value) -> Reply {
        Reply::Full {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string().into_bytes(),
        }
    }

    /// Adds a header to a [`Reply::Full`].
    pub fn header(mut self, name: &str, value: &str) -> Reply {
        if let Reply::Full { headers, .. } = &mut self {
            headers.push((name.to_string(), value.to_string()));
        }
        self
    }
}

/// One request, as the reply function sees it.
pub struct Request<'a> {
    /// 0-based, counted over the server's life.
    pub n: usize,
    /// The path and query.
    pub target: &'a str,
    /// The server's base URL (for links to itself).
    pub base: &'a str,
}

/// The server: its address and how many requests it has read.
pub struct Hostile {
    pub addr: SocketAddr,
    requests: Arc<AtomicUsize>,
}

impl Hostile {
    /// Starts a server answering each request with `reply(request)`.
    pub async fn start(reply: impl Fn(Request) -> Reply + Send + Sync + 'static) -> Hostile {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("address");
        let requests = Arc::new(AtomicUsize::new(0));
        let counter = requests.clone();
        let reply = Arc::new(reply);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (counter, reply) = (counter.clone(), reply.clone());
                tokio::spawn(async move {
                    let base = format!("http://{addr}");
                    let _ = serve(stream, &counter, &base, &*reply).await;
                });
            }
        });
        Hostile { addr, requests }
    }

    /// The base URL of the server.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// How many requests the server has read.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

/// Serves the requests of one connection until it closes or a reply ends it.
async fn serve(
    mut stream: TcpStream,
    counter: &AtomicUsize,
    base: &str,
    reply: &(dyn Fn(Request) -> Reply + Send + Sync),
) -> std::io::Result<()> {
    let mut pending = Vec::new();
    loop {
        let Some(target) = read_request(&mut stream, &mut pending).await? else {
            return Ok(());
        };
        let n = counter.fetch_add(1, Ordering::SeqCst);
        let request = Request {
            n,
            target: &target,
            base,
        };
        match reply(request) {
            Reply::Full {
                status,
                headers,
                body,
            } => {
                let mut head = format!("HTTP/1.1 {status} X\r\ncontent-length: {}\r\n", body.len());
                for (name, value) in headers {
                    head.push_str(&format!("{name}: {value}\r\n"));
                }
                head.push_str("\r\n");
                stream.write_all(head.as_bytes()).await?;
                stream.write_all(&body).await?;
            }
            Reply::Chunked {
                status,
                total,
                fill,
            } => {
                let head = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n\
                     transfer-encoding: chunked\r\n\r\n"
                );
                stream.write_all(head.as_bytes()).await?;
                let block = vec![fill; 64 * 1024];
                let mut left = total.unwrap_or(u64::MAX);
                while left > 0 {
                    let n = left.min(block.len() as u64) as usize;
                    stream.write_all(format!("{n:x}\r\n").as_bytes()).await?;
                    stream.write_all(&block[..n]).await?;
                    stream.write_all(b"\r\n").await?;
                    left -= n as u64;
                }
                stream.write_all(b"0\r\n\r\n").await?;
                return Ok(());
            }
            Reply::ChunkedBody { body, chunk } => {
                let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                            transfer-encoding: chunked\r\n\r\n";
                stream.write_all(head.as_bytes()).await?;
                for piece in body.chunks(chunk.max(1)) {
                    stream
                        .write_all(format!("{:x}\r\n", piece.len()).as_bytes())
                        .await?;
                    stream.write_all(piece).await?;
                    stream.write_all(b"\r\n").await?;
                    stream.flush().await?;
                }
                stream.write_all(b"0\r\n\r\n").await?;
            }
            Reply::Announced { length, fill } => {
                let head = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\
                     content-length: {length}\r\n\r\n"
                );
                stream.write_all(head.as_bytes()).await?;
                let block = vec![fill; 64 * 1024];
                let mut left = length;
                while left > 0 {
                    let n = left.min(block.len() as u64) as usize;
                    stream.write_all(&block[..n]).await?;
                    left -= n as u64;
                }
                return Ok(());
            }
            Reply::Hangup => return Ok(()),
            Reply::Silent => {
                // Hold the connection open, answering nothing, until the client goes away.
                let mut sink = [0u8; 1024];
                while stream.read(&mut sink).await? > 0 {}
                return Ok(());
            }
        }
    }
}
