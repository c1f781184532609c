//! One request, from arrival to response: log, read the body, meet a fault or not, route,
//! authenticate, rate-limit, validate, handle, and add the common headers.

use std::{
    fmt,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::{
    Request, Response,
    body::Incoming,
    http::{
        HeaderMap, HeaderName, HeaderValue, StatusCode,
        header::{
            ALLOW, CONTENT_LENGTH, CONTENT_TYPE, HOST, RETRY_AFTER, SERVER, WWW_AUTHENTICATE,
        },
        request::Parts,
        uri::Authority,
    },
};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use uuid::Uuid;

use super::{
    Credentials, Faults, RequestLog,
    body::ResponseBody,
    fault_response::{self, Outcome},
    faults,
    log::OpenEntry,
    query,
    rate_limit::Limiter,
    reply::{ApiError, ErrorShape, JSON, Reply},
    routes::{self, Call},
    state::{Store, lock},
};
use intercom_api::{
    operations::{self, Credential, Routed},
    time::UnixTime,
};

/// Request bodies larger than this many bytes (1 MiB) are refused with 413 and an error object.
///
/// ```
/// use intercom_dummy::{DummyServer, MAX_BODY};
///
/// # #[tokio::main]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let server = DummyServer::start().await?;
/// let too_large = reqwest::Client::new()
///     .post(format!("{}/v1/users/notes", server.base_url()))
///     .basic_auth("dummy-app-id", Some("dummy-api-key"))
///     .body(vec![b' '; MAX_BODY + 1])
///     .send()
///     .await?;
/// assert_eq!(too_large.status(), 413);
/// # Ok(())
/// # }
/// ```
pub const MAX_BODY: usize = 1024 * 1024;
/// A body larger than the limit is still read (and thrown away) up to this size, so that the
/// client, still sending, receives the 413; beyond it the connection is closed.
const DRAIN_LIMIT: u64 = 16 * 1024 * 1024;
/// A request body up to this size is read without drawing on the server's body budget
/// ([`BODY_BUDGET`]), so ordinary requests never wait for it.
const FREE_BODY: usize = 64 * 1024;
/// How many bytes of request bodies larger than [`FREE_BODY`] all the requests being read hold
/// together (64 MiB); a large upload waits for its share (its client is not read meanwhile).
pub(crate) const BODY_BUDGET: usize = 64 * 1024 * 1024;

/// Everything the requests of one server share.
pub(crate) struct Shared {
    pub(crate) credentials: Credentials,
    /// Bytes of large request bodies that may be held at once ([`BODY_BUDGET`]).
    pub(crate) body_budget: Arc<Semaphore>,
    /// How long a client may take to send a request's body.
    pub(crate) body_timeout: Duration,
    pub(crate) store: Arc<Mutex<Store>>,
    pub(crate) log: RequestLog,
    pub(crate) faults: Faults,
    pub(crate) limiter: Option<Mutex<Limiter>>,
    pub(crate) base_url: String,
    pub(crate) verbose: bool,
}

/// Tells hyper to close the connection without a response (an injected fault).
#[derive(Debug)]
pub(crate) struct DropConnection;

impl fmt::Display for DropConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("injected fault: connection dropped before the response")
    }
}

impl std::error::Error for DropConnection {}

enum BodyError {
    TooLarge,
    Unreadable(String),
}

/// A request, read.
struct Received {
    parts: Parts,
    body: Result<Bytes, BodyError>,
    request_id: String,
    shape: ErrorShape,
    /// The share of the body budget the body holds, given back when the request is done.
    _budget: Option<OwnedSemaphorePermit>,
}

/// Marks a connection busy (a request read and being answered) while alive: the server closes
/// only connections that are not busy when it needs room for new ones.
struct Busy<'a>(&'a AtomicBool);

impl<'a> Busy<'a> {
    fn new(flag: &'a AtomicBool) -> Self {
        flag.store(true, Ordering::Release);
        Busy(flag)
    }
}

impl Drop for Busy<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

/// Serves one request; `busy` is its connection's flag.
pub(crate) async fn serve(
    shared: Arc<Shared>,
    request: Request<Incoming>,
    busy: Arc<AtomicBool>,
) -> Result<Response<ResponseBody>, DropConnection> {
    let request_id = Uuid::new_v4().to_string();
    let (parts, body) = request.into_parts();
    let mut logged = shared.log.begin(&request_id, &parts);
    let (body, budget) = read_body(&shared, &parts.headers, body).await;
    let _busy = Busy::new(&busy);
    // Only a request with valid credentials has its body logged (a 401 is not kept).
    if let Ok(bytes) = &body
        && shared
            .credentials
            .accepts(&[Credential::Basic, Credential::Bearer], &parts.headers)
    {
        logged.set_body(bytes);
    }
    let shape = ErrorShape::of_path(parts.uri.path());
    let received = Received {
        parts,
        body,
        request_id,
        shape,
        _budget: budget,
    };
    let chosen = shared.faults.take(|| {
        let (method, uri) = (&received.parts.method, &received.parts.uri);
        faults::Request::new(method.as_str(), uri.path(), uri.query())
    });
    let outcome = match chosen {
        None => Outcome::Answer(process(&shared, &received, &mut logged)),
        Some(chosen) => {
            logged.set_fault(chosen.fault.clone());
            fault_response::answer(chosen, shape, &received.request_id, || {
                process(&shared, &received, &mut logged)
            })
            .await
        }
    };
    let (reply, cut_off) = match outcome {
        Outcome::Answer(reply) => (reply, false),
        Outcome::CutOff(reply) => (reply, true),
        Outcome::Drop => {
            print_line(&shared, &received, "dropped");
            return Err(DropConnection);
        }
    };
    logged.set_status(reply.status.as_u16());
    if shared.verbose {
        let cut = if cut_off { " (cut off)" } else { "" };
        print_line(
            &shared,
            &received,
            &format!("{}{cut}", reply.status.as_u16()),
        );
    }
    Ok(finish(&shared, reply, &received.request_id, cut_off))
}

/// The verbose mode's line for a request: method, path (secrets redacted), outcome.
fn print_line(shared: &Shared, received: &Received, outcome: &str) {
    if shared.verbose {
        let path = shared.log.redact(received.parts.uri.path());
        eprintln!("{} {path} -> {outcome}", received.parts.method);
    }
}

/// The server's own answer to a request.
fn process(shared: &Shared, received: &Received, logged: &mut OpenEntry) -> Reply {
    let shape = received.shape;
    let render = |error: ApiError| error.render(shape, &received.request_id);
    let (method, path) = (&received.parts.method, received.parts.uri.path());

    let query = match query::parse(received.parts.uri.query()) {
        Ok(query) => query,
        Err(message) => return render(ApiError::bad_request(message)),
    };
    let operation = match operations::route(method.as_str(), path, &query) {
        Routed::Operation(operation) => operation,
        Routed::NotFound => {
            let shown: String = path.chars().take(200).collect();
            return render(ApiError::not_found(format!("No such resource: {shown}")));
        }
        Routed::MethodNotAllowed(allowed) => {
            let trimmed = path.strip_suffix('/').unwrap_or(path);
            let shown: String = trimmed.chars().take(200).collect();
            let message = format!("{method} is not allowed on {shown}; allowed: {allowed}");
            let mut error = ApiError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                message,
            );
            if let Ok(value) = HeaderValue::from_str(&allowed) {
                error = error.with_header(ALLOW, value);
            }
            return render(error);
        }
    };
    logged.set_operation(operation.operation_id);
    // From here on, errors take the shape of the operation's error body.
    let shape = ErrorShape::of(operation);
    let render = |error: ApiError| error.render(shape, &received.request_id);
    let body = match &received.body {
        Ok(body) => body,
        Err(BodyError::TooLarge) => {
            return render(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "request_too_large",
                format!("The request body is larger than the limit of {MAX_BODY} bytes"),
            ));
        }
        Err(BodyError::Unreadable(reason)) => {
            return render(ApiError::bad_request(format!(
                "The request body could not be read: {reason}"
            )));
        }
    };
    if !shared
        .credentials
        .accepts(operation.credentials, &received.parts.headers)
    {
        let challenge = match operation.credentials.first() {
            Some(Credential::Bearer) => "Bearer realm=\"Intercom\"",
            _ => "Basic realm=\"Intercom\"",
        };
        return render(
            ApiError::unauthorized(shape)
                .with_header(WWW_AUTHENTICATE, HeaderValue::from_static(challenge)),
        );
    }
    if let Some(Err(quota)) = shared.limiter.as_ref().map(|l| lock(l).take()) {
        logged.drop_body();
        return render(
            ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limit_exceeded",
                format!("Exceeded the rate limit of {} requests", quota.limit),
            )
            .with_header(RETRY_AFTER, HeaderValue::from(quota.retry_after)),
        );
    }
    let origin = origin(shared, &received.parts.headers);
    let call = Call {
        operation,
        shape,
        query: &query,
        path_params: operations::path_params(operation.wire_path, path),
        body,
        origin: &origin,
        now: UnixTime::now(),
    };
    routes::handle(&call, &shared.store).unwrap_or_else(render)
}

/// Reads the whole body, up to [`MAX_BODY`], into a buffer grown as data arrives; beyond
/// [`FREE_BODY`] it draws on the server's body budget (the whole declared length at once, so
/// two uploads never each hold half of what both need). Returns the body and the budget share
/// it holds.
async fn read_body(
    shared: &Shared,
    headers: &HeaderMap,
    mut body: Incoming,
) -> (Result<Bytes, BodyError>, Option<OwnedSemaphorePermit>) {
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > DRAIN_LIMIT) {
        return (Err(BodyError::TooLarge), None);
    }
    let mut permit: Option<OwnedSemaphorePermit> = None;
    // Bytes of budget held (capacity beyond FREE_BODY).
    let mut charged = 0usize;
    let read = async {
        let mut buffer: Vec<u8> = Vec::new();
        let mut total: u64 = 0;
        if let Some(len) = declared.filter(|&len| len <= MAX_BODY as u64) {
            charge(shared, &mut permit, &mut charged, len as usize).await;
        }
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|e| BodyError::Unreadable(e.to_string()))?;
            let Ok(data) = frame.into_data() else {
                continue; // trailers
            };
            total += data.len() as u64;
            if total > DRAIN_LIMIT {
                break;
            }
            if total > MAX_BODY as u64 {
                // Over the limit: what was kept goes, the rest is read and thrown away.
                buffer = Vec::new();
                continue;
            }
            let needed = buffer.len() + data.len();
            if needed > buffer.capacity() {
                // Doubling, but never past what the client said it sends.
                let ceiling = declared.map_or(MAX_BODY, |len| len as usize).min(MAX_BODY);
                let capacity = (buffer.capacity() * 2).max(1024).min(ceiling).max(needed);
                charge(shared, &mut permit, &mut charged, capacity).await;
                buffer.reserve_exact(capacity - buffer.len());
            }
            buffer.extend_from_slice(&data);
        }
        if total > MAX_BODY as u64 {
            return Err(BodyError::TooLarge);
        }
        buffer.shrink_to_fit();
        Ok(Bytes::from(buffer))
    };
    let body = tokio::time::timeout(shared.body_timeout, read)
        .await
        .unwrap_or_else(|_| Err(BodyError::Unreadable("timed out".to_string())));
    (body, permit)
}

/// Makes sure `permit` holds the budget for a body buffer of `capacity` bytes.
async fn charge(
    shared: &Shared,
    permit: &mut Option<OwnedSemaphorePermit>,
    charged: &mut usize,
    capacity: usize,
) {
    let over = capacity.saturating_sub(FREE_BODY);
    if over <= *charged {
        return;
    }
    let more = u32::try_from(over - *charged).unwrap_or(u32::MAX);
    // The semaphore is never closed, and holds more than MAX_BODY.
    if let Ok(got) = shared.body_budget.clone().acquire_many_owned(more).await {
        match permit {
            Some(held) => held.merge(got),
            None => *permit = Some(got),
        }
        *charged = over;
    }
}

/// `http://host:port` as the client addressed this server (its `Host` header, when it is a
/// plain host and port), else the address the server is bound to.
fn origin(shared: &Shared, headers: &HeaderMap) -> String {
    headers
        .get(HOST)
        .and_then(|v| v.to_str().ok())
        .and_then(|host| host.parse::<Authority>().ok())
        .filter(|authority| !authority.as_str().contains('@'))
        .map(|authority| format!("http://{authority}"))
        .unwrap_or_else(|| shared.base_url.clone())
}

/// The response: status, body, the reply's headers, and those every response carries.
fn finish(
    shared: &Shared,
    reply: Reply,
    request_id: &str,
    cut_off: bool,
) -> Response<ResponseBody> {
    let length = reply.body.len();
    let body = if cut_off {
        ResponseBody::cut_off(reply.body)
    } else {
        ResponseBody::full(reply.body)
    };
    let mut response = Response::new(body);
    *response.status_mut() = reply.status;
    let headers = response.headers_mut();
    if let Some(content_type) = reply.content_type {
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    }
    if cut_off {
        headers.insert(CONTENT_LENGTH, HeaderValue::from(length));
    }
    if let Ok(id) = HeaderValue::from_str(request_id) {
        headers.insert(HeaderName::from_static("x-request-id"), id);
    }
    headers.insert(SERVER, HeaderValue::from_static("intercom-dummy"));
    for (name, value) in reply.headers {
        headers.insert(name, value);
    }
    if let Some(limiter) = &shared.limiter {
        let quota = lock(limiter).peek();
        for (name, value) in [
            ("x-ratelimit-limit", u64::from(quota.limit)),
            ("x-ratelimit-remaining", u64::from(quota.remaining)),
            ("x-ratelimit-reset", quota.reset),
        ] {
            let name = HeaderName::from_static(name);
            if !headers.contains_key(&name) {
                headers.insert(name, HeaderValue::from(value));
            }
        }
    }
    response
}

/// The answer when handling a request panicked (a bug in the dummy): 500, still an error
/// object, and the connection stays usable.
pub(crate) fn panicked() -> Response<ResponseBody> {
    let reply = ApiError::server_error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "The dummy server failed while handling this request (a bug: please report it)",
    )
    .render(ErrorShape::V1, "");
    let mut response = Response::new(ResponseBody::full(reply.body));
    *response.status_mut() = reply.status;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(JSON));
    if let Ok(id) = HeaderValue::from_str(&Uuid::new_v4().to_string()) {
        headers.insert(HeaderName::from_static("x-request-id"), id);
    }
    response
}
