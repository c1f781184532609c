//! The request log: every request the server received, with secrets removed, so tests can
//! assert what a client sent.
//!
//! Redaction: `Authorization` keeps only its scheme (`Basic [REDACTED]`); other credential
//! headers (`Proxy-Authorization`, `Cookie`, anything named like a token, key, secret or
//! password) are `[REDACTED]`; query parameters named like credentials are redacted; and the
//! server's API key and access token are replaced by `[REDACTED]` wherever else they appear
//! (path, query, headers, body), also when they were sent percent-encoded (a path segment, a
//! query value, a header value or a form body is then redacted whole) or JSON-escaped (the JSON
//! body is then logged re-encoded, with the strings that held them redacted).

use std::{
    borrow::Cow,
    collections::VecDeque,
    fmt,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
};

use bytes::Bytes;
use hyper::http::request::Parts;
use percent_encoding::percent_decode_str;
use serde_json::Value;

use super::{Credentials, faults::Fault, state::lock};

/// What replaces a secret.
///
/// ```
/// use intercom_dummy::{DummyServer, REDACTED};
///
/// # #[tokio::main]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let server = DummyServer::start().await?;
/// server.client().users().list().send().await?;
/// let sent = &server.log().entries()[0];
/// assert_eq!(sent.header("authorization"), Some(format!("Basic {REDACTED}").as_str()));
/// # Ok(())
/// # }
/// ```
pub const REDACTED: &str = "[REDACTED]";

/// One request as the server received it (secrets removed) and what it answered.
///
/// ```
/// use intercom_api::UserRef;
/// use intercom_dummy::DummyServer;
///
/// # #[tokio::main]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let server = DummyServer::start().await?;
/// server.client().users().create(UserRef::email("ben@intercom.io")).send().await?;
/// let request = &server.log().entries()[0];
/// assert_eq!((request.seq, request.method.as_str()), (1, "POST"));
/// assert_eq!(request.operation, Some(intercom_api::operations::CREATE_USER.operation_id));
/// assert_eq!(request.status, Some(200));
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct LoggedRequest {
    /// Arrival order: 1 for the first request since the start or the last reset.
    pub seq: u64,
    /// The `X-Request-Id` the server answered with (also in events `error.list` bodies).
    pub request_id: String,
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path as sent (not decoded).
    pub path: String,
    /// The raw query string, if any, with credential values redacted.
    pub query: Option<String>,
    /// Every header, names in lowercase, in the order sent, credentials redacted.
    pub headers: Vec<(String, String)>,
    /// The operation of the description the request was dispatched to (e.g. `getUser`), if
    /// any.
    pub operation: Option<&'static str>,
    /// The status answered; `None` when the connection was dropped without a response or the
    /// client went away first.
    pub status: Option<u16>,
    /// The fault the request met, if any.
    pub fault: Option<Fault>,
    body: Bytes,
}

impl LoggedRequest {
    /// The first value of a header (name case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The query decoded into pairs (undecodable pairs are left out).
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        self.query
            .as_deref()
            .into_iter()
            .flat_map(|q| q.split('&'))
            .filter_map(|piece| super::query::parse(Some(piece)).ok())
            .flatten()
            .collect()
    }

    /// The body as received (secrets removed; empty for a body over the size limit).
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn body_text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    /// The body as JSON, if it is JSON.
    pub fn body_json(&self) -> Option<Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// What this entry counts for against the log's byte limit.
    fn weight(&self) -> usize {
        const FIXED: usize = 128;
        FIXED
            + self.body.len()
            + self.request_id.len()
            + self.method.len()
            + self.path.len()
            + self.query.as_ref().map_or(0, String::len)
            + self
                .headers
                .iter()
                .map(|(n, v)| n.len() + v.len() + 48)
                .sum::<usize>()
    }
}

/// Removes credentials from what is logged.
#[derive(Clone)]
pub(crate) struct Redactor {
    secrets: Vec<String>,
}

impl fmt::Debug for Redactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Redactor")
    }
}

impl Redactor {
    pub(crate) fn new(credentials: &Credentials) -> Self {
        let mut secrets: Vec<String> = [&credentials.api_key, &credentials.access_token]
            .into_iter()
            .filter(|s| !s.is_empty())
            .cloned()
            .collect();
        secrets.push(credentials.basic_auth_header().replacen("Basic ", "", 1));
        Redactor { secrets }
    }

    /// `text` with the secrets replaced; redacted whole if it still spells one encoded
    /// (percent-encoded, or a form's `+` for a space). The one rule for a path segment, a
    /// header value, a query value and a JSON string.
    fn scrub(&self, text: &str) -> String {
        let mut out = text.to_string();
        for secret in &self.secrets {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), REDACTED);
            }
        }
        if out.contains(['%', '+']) && self.hides_secret(&out) {
            return REDACTED.to_string();
        }
        out
    }

    /// Whether `text` holds a secret as it is, or once percent-decoded (with `+` read as a
    /// space, as forms encode it, or as itself).
    fn hides_secret(&self, text: &str) -> bool {
        let holds = |text: &str| self.secrets.iter().any(|s| text.contains(s.as_str()));
        let decoded = percent_decode_str(text).decode_utf8_lossy();
        let spaced = text.replace('+', " ");
        holds(text) || holds(&decoded) || holds(&percent_decode_str(&spaced).decode_utf8_lossy())
    }

    fn path(&self, path: &str) -> String {
        let segments: Vec<String> = path.split('/').map(|s| self.scrub(s)).collect();
        segments.join("/")
    }

    fn header(&self, name: &str, value: &[u8]) -> String {
        let text = String::from_utf8_lossy(value);
        if name == "authorization" || name == "proxy-authorization" {
            return match text.trim().split_once(' ') {
                Some((scheme, _)) => format!("{scheme} {REDACTED}"),
                None => REDACTED.to_string(),
            };
        }
        if is_secret_name(name) {
            return REDACTED.to_string();
        }
        self.scrub(&text)
    }

    /// A query or form body: a value named like a credential, or holding a secret, is
    /// redacted (the name too, if it holds one).
    fn query(&self, query: &str) -> String {
        let pieces: Vec<String> = query
            .split('&')
            .map(|piece| match piece.split_once('=') {
                Some((name, _)) if is_secret_name(name) => format!("{name}={REDACTED}"),
                Some((name, value)) => match self.scrub(name) {
                    name if name == REDACTED => name,
                    name => format!("{name}={}", self.scrub(value)),
                },
                None => self.scrub(piece),
            })
            .collect();
        pieces.join("&")
    }

    /// A body with the secrets removed; as received when it holds none. A JSON body that
    /// held one is logged re-encoded with the strings that held one redacted (a JSON string
    /// can spell a secret with escapes, `\/` or `\u0041`); other text is read as a form.
    fn bytes(&self, body: &Bytes) -> Bytes {
        let literal = self.secrets.iter().any(|s| contains(body, s.as_bytes()));
        let redacted = match std::str::from_utf8(body) {
            Ok(text) if !literal && !text.contains(['\\', '%', '+']) => None,
            Ok(text) => match serde_json::from_str::<Value>(text) {
                Ok(mut json) => match self.json(&mut json) {
                    true => serde_json::to_vec(&json).ok(),
                    false if literal => Some(self.query(text).into_bytes()),
                    false => None,
                },
                Err(_) => Some(self.query(text).into_bytes()),
            },
            Err(_) if literal => Some(replace_all(body, &self.secrets, REDACTED.as_bytes())),
            Err(_) => None,
        };
        match redacted {
            Some(out) if out[..] != body[..] => Bytes::from(out),
            _ => body.clone(),
        }
    }

    /// Redacts the strings (keys included) of `value` that hold a secret; true if any did.
    fn json(&self, value: &mut Value) -> bool {
        match value {
            Value::String(text) => {
                let scrubbed = self.scrub(text);
                let changed = scrubbed != *text;
                *text = scrubbed;
                changed
            }
            Value::Array(items) => items
                .iter_mut()
                .fold(false, |changed, item| self.json(item) | changed),
            Value::Object(map) => {
                let mut changed = false;
                for (key, mut item) in std::mem::take(map) {
                    changed |= self.json(&mut item);
                    let scrubbed = self.scrub(&key);
                    changed |= scrubbed != key;
                    map.insert(scrubbed, item);
                }
                changed
            }
            _ => false,
        }
    }
}

/// Whether a header or query parameter is named like a credential.
fn is_secret_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    [
        "cookie", "token", "secret", "password", "passwd", "api_key", "api-key", "apikey", "auth",
    ]
    .iter()
    .any(|word| name.contains(word))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

fn replace_all(haystack: &[u8], needles: &[String], with: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(haystack.len());
    let mut rest = haystack;
    while let Some(&first) = rest.first() {
        match needles
            .iter()
            .find(|n| !n.is_empty() && rest.starts_with(n.as_bytes()))
        {
            Some(needle) => {
                out.extend_from_slice(with);
                rest = &rest[needle.len()..];
            }
            None => {
                out.push(first);
                rest = &rest[1..];
            }
        }
    }
    out
}

#[derive(Debug, Default)]
struct Entries {
    queue: VecDeque<LoggedRequest>,
    /// What the entries in `queue` weigh ([`LoggedRequest::weight`]).
    bytes: usize,
}

#[derive(Debug)]
struct Inner {
    capacity: usize,
    max_bytes: usize,
    received: AtomicU64,
    entries: Mutex<Entries>,
}

/// The request log of a dummy server; get it with
/// [`DummyServer::log`](super::DummyServer::log). A cheap handle: clone it freely.
///
/// It keeps the most recent requests up to its capacity in entries
/// ([`DummyServerBuilder::request_log_capacity`](super::DummyServerBuilder::request_log_capacity),
/// 10,000 by default) and in bytes
/// ([`DummyServerBuilder::request_log_bytes`](super::DummyServerBuilder::request_log_bytes),
/// 64 MiB by default: bodies, headers, path and query); [`received`](Self::received) counts
/// them all. Bodies are kept only for requests that carried valid credentials and were not
/// rate-limited: a request refused with 401 or 429, or whose body was over the size limit, is
/// logged without its body.
///
/// ```no_run
/// use intercom_dummy::DummyServer;
///
/// # async fn run() -> std::io::Result<()> {
/// let server = DummyServer::start().await?;
/// // ... the code under test sends a request ...
/// let sent = server.log().entries();
/// assert_eq!(sent[0].method, "GET");
/// assert_eq!(sent[0].header("authorization"), Some("Basic [REDACTED]"));
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct RequestLog {
    inner: Arc<Inner>,
    redactor: Redactor,
}

impl fmt::Debug for RequestLog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestLog")
            .field("capacity", &self.inner.capacity)
            .field("max_bytes", &self.inner.max_bytes)
            .field("received", &self.received())
            .finish()
    }
}

impl RequestLog {
    pub(crate) fn new(capacity: usize, max_bytes: usize, credentials: &Credentials) -> Self {
        RequestLog {
            inner: Arc::new(Inner {
                capacity,
                max_bytes,
                received: AtomicU64::new(0),
                entries: Mutex::new(Entries::default()),
            }),
            redactor: Redactor::new(credentials),
        }
    }

    /// The logged requests, in arrival order.
    ///
    /// ```
    /// use intercom_api::UserRef;
    /// use intercom_dummy::DummyServer;
    ///
    /// # #[tokio::main]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let server = DummyServer::start().await?;
    /// let client = server.client();
    /// client.users().create(UserRef::user_id("7902")).send().await?;
    /// client.users().delete(UserRef::user_id("7902")).send().await?;
    /// let methods: Vec<String> = server.log().entries().into_iter().map(|entry| entry.method).collect();
    /// assert_eq!(methods, ["POST", "DELETE"]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn entries(&self) -> Vec<LoggedRequest> {
        let mut entries: Vec<LoggedRequest> =
            lock(&self.inner.entries).queue.iter().cloned().collect();
        entries.sort_by_key(|e| e.seq);
        entries
    }

    /// The logged requests for this method and path (trailing slash ignored), in arrival order.
    pub fn matching(&self, method: &str, path: &str) -> Vec<LoggedRequest> {
        let trim = |p: &str| p.trim_end_matches('/').to_string();
        let path = trim(path);
        self.entries()
            .into_iter()
            .filter(|e| e.method.eq_ignore_ascii_case(method) && trim(&e.path) == path)
            .collect()
    }

    /// How many requests are logged now (at most the capacity).
    pub fn len(&self) -> usize {
        lock(&self.inner.entries).queue.len()
    }

    /// What the logged requests weigh now, in bytes (bodies, header names and values, path and
    /// query): at most [`DummyServerBuilder::request_log_bytes`](super::DummyServerBuilder::request_log_bytes).
    pub fn bytes(&self) -> usize {
        lock(&self.inner.entries).bytes
    }

    /// Whether nothing is logged.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many requests arrived since the start or the last reset, logged or not.
    pub fn received(&self) -> u64 {
        self.inner.received.load(Ordering::Acquire)
    }

    /// Forgets the logged requests and restarts the count.
    pub fn clear(&self) {
        *lock(&self.inner.entries) = Entries::default();
        self.inner.received.store(0, Ordering::Release);
    }

    /// `text` with the server's secrets replaced by [`REDACTED`].
    pub(crate) fn redact(&self, text: &str) -> String {
        self.redactor.path(text)
    }

    /// Starts the entry of a request that just arrived; it is logged when the returned guard
    /// is dropped, whether the request was answered, faulted, or abandoned by the client.
    pub(crate) fn begin(&self, request_id: &str, parts: &Parts) -> OpenEntry {
        let seq = self.inner.received.fetch_add(1, Ordering::AcqRel) + 1;
        let headers = parts
            .headers
            .iter()
            .map(|(name, value)| {
                let name = name.as_str().to_string();
                let value = self.redactor.header(&name, value.as_bytes());
                (name, value)
            })
            .collect();
        OpenEntry {
            log: self.clone(),
            entry: Some(LoggedRequest {
                seq,
                request_id: request_id.to_string(),
                method: parts.method.as_str().to_string(),
                path: self.redactor.path(parts.uri.path()),
                query: parts.uri.query().map(|q| self.redactor.query(q)),
                headers,
                operation: None,
                status: None,
                fault: None,
                body: Bytes::new(),
            }),
        }
    }

    fn push(&self, mut entry: LoggedRequest) {
        if self.inner.capacity == 0 {
            return;
        }
        if entry.weight() > self.inner.max_bytes {
            // Too heavy on its own: logged without its body.
            entry.body = Bytes::new();
            if entry.weight() > self.inner.max_bytes {
                return;
            }
        }
        let weight = entry.weight();
        let mut entries = lock(&self.inner.entries);
        while entries.queue.len() >= self.inner.capacity
            || entries.bytes + weight > self.inner.max_bytes
        {
            let Some(oldest) = entries.queue.pop_front() else {
                break;
            };
            entries.bytes -= oldest.weight();
        }
        entries.bytes += weight;
        entries.queue.push_back(entry);
        // The queue gives its memory back after a burst (a long queue of small entries).
        let len = entries.queue.len();
        if entries.queue.capacity() > 64 && entries.queue.capacity() > 4 * len {
            entries.queue.shrink_to(len * 2);
        }
    }
}

/// The log entry of a request still being handled: filled in as the request goes, added to
/// the log when dropped.
pub(crate) struct OpenEntry {
    log: RequestLog,
    entry: Option<LoggedRequest>,
}

impl OpenEntry {
    pub(crate) fn set_body(&mut self, body: &Bytes) {
        if let Some(entry) = &mut self.entry {
            entry.body = self.log.redactor.bytes(body);
        }
    }

    /// Forgets the body (a request refused before it was handled).
    pub(crate) fn drop_body(&mut self) {
        if let Some(entry) = &mut self.entry {
            entry.body = Bytes::new();
        }
    }

    pub(crate) fn set_operation(&mut self, operation: &'static str) {
        if let Some(entry) = &mut self.entry {
            entry.operation = Some(operation);
        }
    }

    pub(crate) fn set_fault(&mut self, fault: Fault) {
        if let Some(entry) = &mut self.entry {
            entry.fault = Some(fault);
        }
    }

    pub(crate) fn set_status(&mut self, status: u16) {
        if let Some(entry) = &mut self.entry {
            entry.status = Some(status);
        }
    }
}

impl Drop for OpenEntry {
    fn drop(&mut self) {
        if let Some(entry) = self.entry.take() {
            self.log.push(entry);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_removed_everywhere() {
        let redactor = Redactor::new(&Credentials::default());
        assert_eq!(
            redactor.header(
                "authorization",
                b"Basic ZHVtbXktYXBwLWlkOmR1bW15LWFwaS1rZXk="
            ),
            "Basic [REDACTED]"
        );
        assert_eq!(redactor.header("authorization", b"garbage"), REDACTED);
        assert_eq!(redactor.header("x-api-key", b"k"), REDACTED);
        assert_eq!(redactor.header("cookie", b"session=1"), REDACTED);
        assert_eq!(
            redactor.header("user-agent", b"curl dummy-api-key"),
            "curl [REDACTED]"
        );
        assert_eq!(
            redactor.query("access_token=abc&email=a%40b&x=dummy-access-token"),
            "access_token=[REDACTED]&email=a%40b&x=[REDACTED]"
        );
        let body = Bytes::from_static(b"{\"key\":\"dummy-api-key\",\"t\":\"dummy-access-token\"}");
        assert_eq!(
            &redactor.bytes(&body)[..],
            b"{\"key\":\"[REDACTED]\",\"t\":\"[REDACTED]\"}"
        );
        let clean = Bytes::from_static(b"{}");
        assert_eq!(redactor.bytes(&clean), clean);
        let binary = Bytes::from_static(b"\xff\x00dummy-api-key\xfe");
        assert_eq!(&redactor.bytes(&binary)[..], b"\xff\x00[REDACTED]\xfe");
        let key = Bytes::from_static(b"{\"dummy-access-token\": 1}");
        assert_eq!(&redactor.bytes(&key)[..], b"{\"[REDACTED]\":1}");
    }

    #[test]
    fn encoded_secrets_are_removed_too() {
        let redactor = Redactor::new(&Credentials {
            app_id: "app".to_string(),
            api_key: "k+y/1=x".to_string(),
            access_token: "tok en".to_string(),
        });
        assert_eq!(
            redactor.query("a=1&k=k%2By%2F1%3Dx&t=tok+en&u=tok%20en&k%2By%2F1%3Dx=1"),
            "a=1&k=[REDACTED]&t=[REDACTED]&u=[REDACTED]&[REDACTED]"
        );
        assert_eq!(
            redactor.path("/v1/users/k%2By%2F1%3Dx/notes"),
            "/v1/users/[REDACTED]/notes"
        );
        assert_eq!(redactor.header("x-forwarded", b"k%2By%2F1%3Dx"), REDACTED);
        let escaped = Bytes::from_static(b"{\"a\": \"k+y\\/1=x\", \"b\": [\"\\u0074ok en!\"]}");
        assert_eq!(
            &redactor.bytes(&escaped)[..],
            b"{\"a\":\"[REDACTED]\",\"b\":[\"[REDACTED]!\"]}"
        );
        let form = Bytes::from_static(b"email=a%40b&key=k%2By%2F1%3Dx");
        assert_eq!(&redactor.bytes(&form)[..], b"email=a%40b&key=[REDACTED]");
        // Nothing to hide: logged as received.
        let plain = Bytes::from_static(b"{\"a\": \"50%\", \"b\": \"\\/\"}");
        assert_eq!(redactor.bytes(&plain), plain);
    }
}
