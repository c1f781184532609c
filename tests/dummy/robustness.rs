//! The dummy server never panics and never changes its state on a bad request: thousands of
//! malformed requests (random bytes, invalid JSON, wrong types, huge bodies, unknown paths and
//! methods, bad auth, path tricks, invalid UTF-8) all get a 4xx with an error object.

use std::sync::Arc;

use crate::support::{
    dummy_http::{Api, answer_to},
    raw_http::raw_exchange,
    rng::Rng,
};
use intercom_api::operations::{self, Credential, Operation};
use intercom_dummy::{DummyServer, MAX_BODY};
use reqwest::Method;
use serde_json::{Value, json};
use tokio::task::JoinSet;

/// A server with some of everything in it.
async fn populated() -> Api {
    let api = Api::start_with(DummyServer::builder().seed_users(20)).await;
    api.post(
        "/v1/tags",
        &json!({"name": "VIP", "user_ids": ["1", "2"], "tag_or_untag": "tag"}),
    )
    .await;
    api.post("/v1/users/notes", &json!({"user_id": "1", "body": "note"}))
        .await;
    api.post(
        "/v1/users/message_threads",
        &json!({"user_id": "1", "body": "hi"}),
    )
    .await;
    api.post_event(&json!({"event_name": "e", "created_at": 1, "user_id": "1"}))
        .await;
    api
}

/// One malformed request sent with reqwest.
#[derive(Debug, Clone)]
struct Case {
    method: Method,
    path_and_query: String,
    auth: Option<Vec<u8>>,
    body: Option<Vec<u8>>,
    why: &'static str,
}

/// Bodies no operation accepts.
fn broken_body(rng: &mut Rng) -> Vec<u8> {
    let nested = format!("{}{}", "[".repeat(300), "]".repeat(300));
    let len = rng.below(64) + 1;
    let choices: Vec<Vec<u8>> = vec![
        rng.bytes(len),
        b"{\"email\": ".to_vec(),
        b"null".to_vec(),
        b"[]".to_vec(),
        b"\"ben@intercom.io\"".to_vec(),
        b"42".to_vec(),
        b"{}".to_vec(),
        b"{\"email\": null, \"user_id\": null}".to_vec(),
        nested.into_bytes(),
        b"{\"email\": \"\xff\xfe\"}".to_vec(),
        b"{\"a\":1,}".to_vec(),
        b"\xef\xbb\xbf{\"email\": 1}".to_vec(),
    ];
    rng.pick(&choices).clone()
}

/// Bodies that are JSON objects breaking the operation's schema.
fn wrong_types(route: &str, method: &Method, rng: &mut Rng) -> Vec<Value> {
    match (route, method.as_str()) {
        ("/v1/users", "POST" | "PUT") => vec![
            json!({"name": "no identifier"}),
            json!({"email": 42}),
            json!({"email": "user1@example.com", "created_at": "soon"}),
            json!({"user_id": ["1"]}),
            json!({"email": "user1@example.com", "custom_data": "x"}),
            json!({"email": "user1@example.com", "companies": {"id": 1}}),
            json!({"email": "user1@example.com", "last_request_at": -1e40}),
        ],
        ("/v1/users", "DELETE") => vec![json!({}), json!({"email": false}), json!({"user_id": 1})],
        ("/v1/users/notes", _) => vec![
            json!({"email": "user1@example.com"}),
            json!({"body": "no user"}),
            json!({"user_id": "1", "body": 5}),
        ],
        ("/v1/users/impressions", _) => vec![json!({}), json!({"email": {}})],
        ("/v1/users/message_threads", "POST") => vec![
            json!({"email": "user1@example.com"}),
            json!({"user_id": "1", "body": ["x"]}),
        ],
        ("/v1/users/message_threads", _) => vec![
            json!({"user_id": "1", "body": "x"}),
            json!({"user_id": "1", "thread_id": "one", "read": true}),
            json!({"user_id": "1", "thread_id": 1}),
        ],
        ("/v1/tags", _) => vec![
            json!({"color": "red"}),
            json!({"name": "VIP", "color": "pink"}),
            json!({"name": 1}),
            json!({"name": "VIP", "user_ids": ["1"]}),
            json!({"name": "VIP", "emails": "user1@example.com", "tag_or_untag": "tag"}),
        ],
        ("/events", _) => vec![
            json!({"event_name": "e"}),
            json!({"event_name": "e", "created_at": "x", "user_id": "1"}),
            json!({"event_name": "e", "created_at": 1, "user_id": "1", "metadata": {"a": {"b": {}}}}),
            json!({"event_name": ["e"], "created_at": 1, "user_id": "1"}),
            json!({"event_name": "e", "created_at": 1.5, "user_id": "1"}),
        ],
        _ => vec![
            json!({"user_id": "1"}),
            json!({"user_id": "1", "event_summaries": {"event_name": "e", "count": -1, "first": 1, "last": 1}}),
            json!({"user_id": 1, "event_summaries": {}}),
        ],
    }
    .into_iter()
    .map(|mut v| {
        if rng.below(3) == 0 {
            v["unexpected"] = json!(rng.next());
        }
        v
    })
    .collect()
}

/// Requests that are well formed but name nobody: 404, nothing changes.
fn unknown_targets() -> Vec<(Method, &'static str, Value)> {
    vec![
        (
            Method::PUT,
            "/v1/users",
            json!({"email": "nobody@example.com", "name": "X"}),
        ),
        (Method::DELETE, "/v1/users", json!({"user_id": "nobody"})),
        (
            Method::POST,
            "/v1/users/notes",
            json!({"email": "nobody@example.com", "body": "x"}),
        ),
        (
            Method::POST,
            "/v1/users/impressions",
            json!({"user_id": "nobody"}),
        ),
        (
            Method::POST,
            "/v1/users/message_threads",
            json!({"user_id": "nobody", "body": "x"}),
        ),
        (
            Method::PUT,
            "/v1/users/message_threads",
            json!({"user_id": "1", "thread_id": 999, "read": true}),
        ),
        (Method::PUT, "/v1/tags", json!({"name": "Nobody"})),
        (
            Method::POST,
            "/events",
            json!({"event_name": "e", "created_at": 9, "user_id": "nobody"}),
        ),
        (
            Method::POST,
            "/events",
            json!({"event_name": "e", "created_at": 9, "id": "d0d0cafe0000000000009999"}),
        ),
        (
            Method::POST,
            "/events/summaries",
            json!({"user_id": "nobody", "event_summaries": {"event_name": "e", "count": 1, "first": 1, "last": 1}}),
        ),
    ]
}

const BAD_QUERIES: &[&str] = &[
    "/v1/users?per_page=0",
    "/v1/users?per_page=501",
    "/v1/users/?per_page=abc",
    "/v1/users?page=-1",
    "/v1/users?page=1.5&per_page=2",
    "/v1/users?email=%ff%fe",
    "/v1/users/?user_id=nobody",
    "/v1/users?email=nobody%40example.com",
    "/v1/users/message_threads",
    "/v1/users/message_threads?user_id=1&thread_id=abc",
    "/v1/users/message_threads?user_id=1&thread_id=99999",
    "/v1/users/message_threads/?email=nobody@example.com",
    "/v1/tags",
    "/v1/tags?name=Nobody",
    "/v1/tags?name=%c3%28",
    "/events",
    "/events?type=lead&user_id=1",
    "/events?type=user",
    "/events?type=user&user_id=1&per_page=0",
    "/events?type=user&user_id=1&cursor=%00%01",
    "/events?type=user&user_id=1&cursor=MTIzNDU",
    "/events?summary=maybe&type=user&user_id=1",
    "/events/?summary=true&type=user",
    "/events?summary=true&type=user&intercom_user_id=nope",
];

/// The wire paths of the description's operations, without a trailing slash.
fn routes() -> Vec<&'static str> {
    let mut routes: Vec<&str> = operations::ALL
        .iter()
        .map(|op| op.wire_path.trim_end_matches('/'))
        .collect();
    routes.sort();
    routes.dedup();
    routes
}

fn at(route: &str) -> impl Iterator<Item = &'static Operation> + '_ {
    operations::ALL
        .iter()
        .copied()
        .filter(move |op| op.wire_path.trim_end_matches('/') == route)
}

fn allowed(route: &str) -> Vec<&'static str> {
    at(route).map(|op| op.method).collect()
}

/// A credential the operations at `route` accept (Basic where none is there).
fn good_auth(api: &Api, route: &str, rng: &mut Rng) -> Vec<u8> {
    let credentials = api.server.credentials();
    let accepted = at(route)
        .next()
        .map_or(&[Credential::Basic][..], |op| op.credentials);
    match rng.pick(accepted) {
        Credential::Basic => credentials.basic_auth_header().into_bytes(),
        Credential::Bearer => credentials.bearer_auth_header().into_bytes(),
    }
}

fn bad_auth(rng: &mut Rng) -> Option<Vec<u8>> {
    let choices: [Option<&[u8]>; 7] = [
        None,
        Some(b"Basic ZHVtbXktYXBwLWlkOndyb25n"),
        Some(b"Basic"),
        Some(b"Bearer"),
        Some(b"Bearer wrong-token"),
        Some(b"Digest username=\"x\""),
        Some(b"Basic \xff\xfe\xfd"),
    ];
    rng.pick(&choices).map(<[u8]>::to_vec)
}

fn cases(api: &Api, count: usize, rng: &mut Rng) -> Vec<Case> {
    let mut cases = Vec::with_capacity(count);
    let routes = routes();
    while cases.len() < count {
        let route = *rng.pick(&routes);
        let case = match rng.below(6) {
            0 => {
                let methods = [
                    "GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "FOO",
                ];
                let method = *rng.pick(&methods);
                if allowed(route).contains(&method) {
                    continue;
                }
                Case {
                    method: Method::from_bytes(method.as_bytes()).expect("a method"),
                    path_and_query: route.to_string(),
                    auth: Some(good_auth(api, route, rng)),
                    body: (rng.below(2) == 0).then(|| broken_body(rng)),
                    why: "wrong method",
                }
            }
            1 => {
                let method = *rng.pick(&allowed(route));
                Case {
                    method: Method::from_bytes(method.as_bytes()).expect("a method"),
                    path_and_query: format!("{route}{}", if rng.below(2) == 0 { "/" } else { "" }),
                    auth: bad_auth(rng),
                    body: Some(
                        serde_json::to_vec(
                            &json!({"email": "user1@example.com", "name": "Hacked"}),
                        )
                        .unwrap(),
                    ),
                    why: "bad auth",
                }
            }
            2 => {
                let method = *rng.pick(&allowed(route));
                if method == "GET" {
                    continue;
                }
                Case {
                    method: Method::from_bytes(method.as_bytes()).expect("a method"),
                    path_and_query: route.to_string(),
                    auth: Some(good_auth(api, route, rng)),
                    body: Some(broken_body(rng)),
                    why: "broken body",
                }
            }
            3 => {
                let method = *rng.pick(&allowed(route));
                if method == "GET" {
                    continue;
                }
                let method = Method::from_bytes(method.as_bytes()).expect("a method");
                let bodies = wrong_types(route, &method, rng);
                let body = rng.pick(&bodies).clone();
                Case {
                    method,
                    path_and_query: route.to_string(),
                    auth: Some(good_auth(api, route, rng)),
                    body: Some(serde_json::to_vec(&body).unwrap()),
                    why: "wrong types",
                }
            }
            4 => {
                let path = *rng.pick(BAD_QUERIES);
                let route = path.split('?').next().unwrap_or(path).trim_end_matches('/');
                Case {
                    method: Method::GET,
                    path_and_query: path.to_string(),
                    auth: Some(good_auth(api, route, rng)),
                    body: None,
                    why: "bad query",
                }
            }
            _ => {
                let targets = unknown_targets();
                let (method, path, body) = rng.pick(&targets).clone();
                Case {
                    method,
                    path_and_query: path.to_string(),
                    auth: Some(good_auth(api, path, rng)),
                    body: Some(serde_json::to_vec(&body).unwrap()),
                    why: "unknown target",
                }
            }
        };
        cases.push(case);
    }
    cases
}

/// Asserts a 4xx with the error object of the path's API family.
fn assert_error_object(
    what: &str,
    path: &str,
    method: &str,
    status: u16,
    request_id: Option<&str>,
    body: &[u8],
) {
    assert!(
        (400..500).contains(&status),
        "{what}: got {status}: {}",
        String::from_utf8_lossy(body)
    );
    if method == "HEAD" {
        return;
    }
    let json: Value = serde_json::from_slice(body)
        .unwrap_or_else(|e| panic!("{what}: not JSON ({e}): {}", String::from_utf8_lossy(body)));
    let path = path.split('?').next().unwrap_or(path);
    // The error shape of the operations that share the path's first segment (`/events`,
    // `/users`, `/conversations`, `/messages`: error.list; `/v1`: the v1 error object).
    let error_list = operations::neighbours(path)
        .next()
        .is_some_and(|op| op.error_schema == "ErrorList");
    if error_list {
        assert_eq!(json["type"], "error.list", "{what}: {json}");
        assert_eq!(json["request_id"].as_str(), request_id, "{what}");
        assert!(json["errors"][0]["code"].is_string(), "{what}: {json}");
    } else {
        assert!(
            json["error"]["type"].is_string() && json["error"]["message"].is_string(),
            "{what}: {json}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thousands_of_malformed_requests_get_4xx_error_objects_and_change_nothing() {
    let api = Arc::new(populated().await);
    let before = api.server.state().snapshot();
    let received_before = api.server.log().received();
    let mut rng = Rng::new(0x5eed_cafe);
    let all = cases(&api, 3_000, &mut rng);
    let total = all.len();
    for batch in all.chunks(32) {
        let mut running = JoinSet::new();
        for case in batch.iter().cloned() {
            let api = api.clone();
            running.spawn(async move {
                let mut request = api
                    .http
                    .request(case.method.clone(), api.url(&case.path_and_query));
                if let Some(auth) = &case.auth {
                    request = request.header(
                        "authorization",
                        reqwest::header::HeaderValue::from_bytes(auth).unwrap(),
                    );
                }
                if let Some(body) = case.body.clone() {
                    request = request
                        .header("content-type", "application/json")
                        .body(body);
                }
                let response = request
                    .send()
                    .await
                    .unwrap_or_else(|e| panic!("{case:?}: {e}"));
                let status = response.status().as_u16();
                let id = response
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string);
                assert!(id.is_some(), "{case:?}: no X-Request-Id");
                let body = response
                    .bytes()
                    .await
                    .unwrap_or_else(|e| panic!("{case:?}: {e}"));
                let what = format!("{} {} ({})", case.method, case.path_and_query, case.why);
                assert_error_object(
                    &what,
                    &case.path_and_query,
                    case.method.as_str(),
                    status,
                    id.as_deref(),
                    &body,
                );
            });
        }
        while let Some(done) = running.join_next().await {
            done.expect("the case passes");
        }
    }
    assert_eq!(api.server.log().received() - received_before, total as u64);
    assert_eq!(
        api.server.state().snapshot(),
        before,
        "the state is unchanged"
    );
    assert_eq!(
        api.get("/v1/users?user_id=1").await.status,
        200,
        "still serving"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn path_tricks_and_raw_garbage_over_tcp() {
    let api = populated().await;
    let before = api.server.state().snapshot();
    let auth = api.server.credentials().basic_auth_header();
    let tricks: &[&[u8]] = &[
        b"//v1/users",
        b"/v1/users//",
        b"/v1/users/%2e%2e/tags",
        b"/v1/users/%2E%2E",
        b"/v1/users/../users",
        b"/v1/./users",
        b"/v1/users%2fnotes",
        b"/V1/USERS",
        b"/v1",
        b"/",
        b"/events/",
        b"/events/x",
        b"/v1/users/notes/extra",
        b"/%ff%fe",
        b"/v1/users/%c3%28",
        b"/v1/users?email=%ff",
        b"/v1/users\\notes",
        b"/v1/users;jsessionid=1",
        b"*",
        b"/v1/users/\xff",
        b"/v1/us\xc3\xa9rs",
    ];
    let mut rng = Rng::new(7);
    let mut exchanges = Vec::new();
    for round in 0..10 {
        for trick in tricks {
            let method = *rng.pick(&["GET", "POST", "PUT", "DELETE", "PATCH"]);
            let mut request = Vec::new();
            request.extend_from_slice(method.as_bytes());
            request.push(b' ');
            request.extend_from_slice(trick);
            request.extend_from_slice(b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n");
            if round % 2 == 0 {
                request.extend_from_slice(format!("Authorization: {auth}\r\n").as_bytes());
            }
            let body = broken_body(&mut rng);
            request.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
            request.extend_from_slice(&body);
            exchanges.push((String::from_utf8_lossy(trick).to_string(), method, request));
        }
    }
    for (trick, method, request) in exchanges {
        let answer = raw_exchange(api.server.addr(), request, false).await;
        let text = String::from_utf8_lossy(&answer);
        let (head, body) = text
            .split_once("\r\n\r\n")
            .unwrap_or_else(|| panic!("{trick}: no head: {text}"));
        let status: u16 = head
            .get(9..12)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("{trick}: {head}"));
        let id = head.lines().find_map(|l| l.strip_prefix("x-request-id: "));
        if id.is_none() {
            // Not even HTTP (a byte hyper refuses in the request line): hyper's bare 400.
            assert_eq!(status, 400, "{trick}: {head}");
            continue;
        }
        assert_error_object(
            &format!("{method} {trick}"),
            &trick,
            method,
            status,
            id,
            body.as_bytes(),
        );
    }

    // Random bytes and broken HTTP: a 4xx or a closed connection, never a 5xx.
    let mut garbage: Vec<Vec<u8>> = (0..200).map(|i| rng.bytes(1 + i * 7 % 700)).collect();
    garbage.push(b"GET /v1/users HTTP/1.1\r\nHost: x\r\nBroken header\r\n\r\n".to_vec());
    garbage.push(b"GET /v1/users HTTP/9.9\r\n\r\n".to_vec());
    garbage.push(b"POST /v1/users HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n".to_vec());
    garbage.push(
        b"POST /v1/users HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n".to_vec(),
    );
    garbage.push(b"POST /v1/users HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello".to_vec());
    let mut huge_header = b"GET /v1/users HTTP/1.1\r\nHost: x\r\nX-Big: ".to_vec();
    huge_header.extend(std::iter::repeat_n(b'a', 1_000_000));
    huge_header.extend_from_slice(b"\r\n\r\n");
    garbage.push(huge_header);
    for bytes in garbage {
        let answer = raw_exchange(api.server.addr(), bytes.clone(), true).await;
        if !answer.is_empty() {
            let head = String::from_utf8_lossy(&answer[..answer.len().min(12)]).to_string();
            assert!(
                head.starts_with("HTTP/1.1 4"),
                "{head} for {:?}",
                String::from_utf8_lossy(&bytes[..bytes.len().min(80)])
            );
        }
    }
    assert_eq!(api.server.state().snapshot(), before);
    assert_eq!(
        api.get("/v1/users?user_id=1").await.status,
        200,
        "still serving"
    );
}

#[tokio::test]
async fn bodies_over_one_mebibyte_are_refused_with_413() {
    let api = populated().await;
    let before = api.server.state().snapshot();
    let padding = "x".repeat(MAX_BODY);
    let huge = json!({"email": "user1@example.com", "name": padding});
    let answer = api.post("/v1/users", &huge).await;
    assert_eq!(answer.status, 413);
    assert_eq!(answer.v1_error().0, "request_too_large");

    let events = answer_to(
        api.bearer(Method::POST, "/events")
            .json(&json!({"event_name": padding, "created_at": 1, "user_id": "1"})),
    )
    .await;
    assert_eq!(events.status, 413);
    assert_eq!(events.error_list()[0]["code"], "request_too_large");

    // Chunked, no Content-Length: counted as it arrives.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        (0..20).map(|_| Ok(vec![b' '; 100_000])).collect();
    let streamed = answer_to(api.basic(Method::POST, "/v1/users").body(
        reqwest::Body::wrap_stream(futures_util::stream::iter(chunks)),
    ))
    .await;
    assert_eq!(streamed.status, 413);

    // Exactly at the limit is fine (and then invalid JSON, so 400).
    let at_limit = answer_to(
        api.basic(Method::POST, "/v1/users")
            .body(vec![b' '; MAX_BODY]),
    )
    .await;
    assert_eq!(at_limit.status, 400);

    // A body announced far too large is refused without waiting for it.
    let request = format!(
        "POST /v1/users HTTP/1.1\r\nHost: x\r\nAuthorization: {}\r\nContent-Length: 104857600\r\n\r\n{{",
        api.server.credentials().basic_auth_header()
    );
    let answer = raw_exchange(api.server.addr(), request.into_bytes(), false).await;
    assert!(String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 413"));
    assert_eq!(api.server.state().snapshot(), before);
}
