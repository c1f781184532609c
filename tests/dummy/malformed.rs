//! The dummy server under 10,000 malformed requests made by breaking valid ones, one thing at
//! a time: every one answered with a 4xx and the error object of its API family, the server
//! still serving, its state unchanged.
//!
//! This complements `robustness` (which sends fixed lists of bad bodies, queries and
//! raw bytes): here each case starts from a request of one of the 24 operations that the server
//! accepts (checked on a twin server) and that would change the state, then mutates its JSON
//! body (a node replaced by random JSON, removed, or the text cut or garbled), its query, its
//! credentials, its path or its method, or blows its body past the size limit. A mutation the
//! description still accepts (e.g. a removed optional field) is not a malformed request and is
//! drawn again; the description is the oracle.

use std::sync::Arc;

use crate::support::{
    dummy_http::{Api, answer_to},
    rng::Rng,
};
use intercom_api::{
    operations::{self, Credential, Operation, Routed},
    schema,
};
use intercom_dummy::{DummyServer, MAX_BODY};
use reqwest::Method;
use serde_json::{Map, Value, json};
use tokio::task::JoinSet;

const CASES: usize = 10_000;

/// A request the server accepts.
#[derive(Clone, Debug)]
struct Base {
    operation: &'static Operation,
    method: Method,
    path: &'static str,
    query: Vec<(String, String)>,
    body: Option<Value>,
}

fn base(operation: &'static Operation, body: Value) -> Base {
    Base {
        operation,
        method: Method::from_bytes(operation.method.as_bytes()).expect("a method"),
        path: operation.wire_path.trim_end_matches('/'),
        query: Vec::new(),
        body: Some(body),
    }
}

fn read(operation: &'static Operation, query: &[(&str, &str)]) -> Base {
    Base {
        query: query
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        body: None,
        ..base(operation, Value::Null)
    }
}

/// One accepted request per operation; the writes would each change the state.
fn bases(thread_id: i64) -> Vec<Base> {
    let thread = thread_id.to_string();
    let thread = Box::leak(thread.into_boxed_str());
    vec![
        base(
            &operations::CREATE_USER,
            json!({"user_id": "new-1", "email": "new1@example.com", "name": "New", "created_at": 1257553080,
                   "custom_data": {"plan": "pro"}, "last_seen_ip": "1.2.3.4",
                   "companies": [{"id": 6, "name": "Intercom", "created_at": 1257553080}]}),
        ),
        base(
            &operations::UPDATE_USER,
            json!({"user_id": "1", "name": "Changed", "last_request_at": 1300000000}),
        ),
        base(&operations::DELETE_USER, json!({"user_id": "2"})),
        base(
            &operations::CREATE_NOTE,
            json!({"user_id": "1", "body": "a note"}),
        ),
        base(
            &operations::CREATE_IMPRESSION,
            json!({"email": "user1@example.com", "user_ip": "1.2.3.4", "user_agent": "ie6", "current_url": "http://example.com/"}),
        ),
        base(
            &operations::CREATE_MESSAGE_THREAD,
            json!({"user_id": "1", "body": "hello", "url": "http://example.com/x"}),
        ),
        base(
            &operations::REPLY_MESSAGE_THREAD,
            json!({"user_id": "1", "thread_id": thread_id, "body": "a reply"}),
        ),
        base(
            &operations::CREATE_TAG,
            json!({"name": "Fresh", "color": "green", "user_ids": ["3"], "tag_or_untag": "tag"}),
        ),
        base(
            &operations::UPDATE_TAG,
            json!({"name": "VIP", "emails": ["user3@example.com"], "tag_or_untag": "tag"}),
        ),
        base(
            &operations::CREATE_EVENT,
            json!({"event_name": "ordered", "created_at": 1700000000, "user_id": "1",
                   "metadata": {"order": "A1", "price": {"amount": 34999, "currency": "eur"}}}),
        ),
        base(
            &operations::SUBMIT_EVENT_SUMMARIES,
            json!({"user_id": "1", "event_summaries": {"event_name": "e", "count": 2, "first": 1, "last": 2}}),
        ),
        read(&operations::LIST_USERS, &[("page", "1"), ("per_page", "5")]),
        read(&operations::GET_USER, &[("user_id", "1")]),
        read(
            &operations::LIST_MESSAGE_THREADS,
            &[("email", "user1@example.com")],
        ),
        read(
            &operations::GET_MESSAGE_THREAD,
            &[("user_id", "1"), ("thread_id", thread)],
        ),
        read(&operations::GET_TAG, &[("name", "VIP")]),
        read(
            &operations::LIST_EVENTS,
            &[("type", "user"), ("user_id", "1"), ("per_page", "1")],
        ),
        read(
            &operations::GET_EVENT_SUMMARY,
            &[("summary", "true"), ("type", "user"), ("user_id", "1")],
        ),
        base(
            &operations::CREATE_CONTACT,
            json!({"email": "new2@example.com", "name": "New", "signed_up_at": 1671102883}),
        ),
        base(
            &operations::CREATE_CONVERSATION,
            json!({"message_type": "inapp", "body": "hi", "from": {"type": "admin", "id": "1"},
                   "to": {"type": "user", "id": "d0d0cafe0000000000000001"}}),
        ),
        read(&operations::LIST_CONTACTS, &[("per_page", "5")]),
        read(&operations::LIST_CONVERSATIONS, &[("per_page", "5")]),
        Base {
            path: "/users/d0d0cafe0000000000000001",
            ..read(&operations::GET_CONTACT, &[])
        },
        Base {
            path: "/conversations/1",
            ..read(&operations::GET_CONVERSATION, &[])
        },
    ]
}

/// A server with some of everything; returns it with its thread's id.
async fn populated() -> (Api, i64) {
    let api = Api::start_with(DummyServer::builder().seed_users(20)).await;
    api.post(
        "/v1/tags",
        &json!({"name": "VIP", "user_ids": ["1", "2"], "tag_or_untag": "tag"}),
    )
    .await;
    api.post("/v1/users/notes", &json!({"user_id": "1", "body": "note"}))
        .await;
    let thread = api
        .post(
            "/v1/users/message_threads",
            &json!({"user_id": "1", "body": "hi"}),
        )
        .await;
    api.post_event(&json!({"event_name": "e", "created_at": 1, "user_id": "1"}))
        .await;
    let conversation = answer_to(
        api.bearer(Method::POST, "/messages").json(&json!({"message_type": "inapp", "body": "hi",
            "from": {"type": "admin", "id": "1"}, "to": {"type": "user", "id": "d0d0cafe0000000000000001"}})),
    )
    .await;
    assert_eq!(
        conversation.json["conversation_id"], "1",
        "{}",
        conversation.text
    );
    let thread_id = thread.json["thread_id"].as_i64().expect("a thread id");
    (api, thread_id)
}

/// A request to send.
#[derive(Clone, Debug)]
struct Case {
    method: Method,
    path: String,
    query: String,
    auth: Option<Vec<u8>>,
    body: Option<Vec<u8>>,
    why: String,
}

/// Random JSON without `null` (the server drops explicit nulls before validating).
fn random_json(rng: &mut Rng, depth: usize) -> Value {
    let words = [
        "",
        "x",
        "1",
        "user",
        "tag",
        "VIP",
        "red",
        "true",
        "ben@intercom.io",
        "🦀",
        "\u{0}",
    ];
    match rng.below(if depth == 0 { 6 } else { 8 }) {
        0 => Value::from(rng.below(2) == 0),
        1 => Value::from(rng.next() as i64),
        2 => Value::from(rng.below(1_000) as i64 - 500),
        3 => json!(rng.next() as f64 / 7.0),
        4 => Value::from(*rng.pick(&words)),
        5 => Value::from("y".repeat(rng.below(300))),
        6 => Value::Array(
            (0..rng.below(4))
                .map(|_| random_json(rng, depth - 1))
                .collect(),
        ),
        _ => Value::Object(
            (0..rng.below(4))
                .map(|_| {
                    let key = rng
                        .pick(&["user_id", "email", "name", "body", "k"])
                        .to_string();
                    (key, random_json(rng, depth - 1))
                })
                .collect::<Map<_, _>>(),
        ),
    }
}

/// Every node of `value` in pre-order, as JSON pointers ("" is the root).
fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                let escaped = key.replace('~', "~0").replace('/', "~1");
                pointers(item, format!("{at}/{escaped}"), out);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                pointers(item, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Replaces or removes one node of the body.
fn mutate_body(body: &Value, rng: &mut Rng) -> (Value, String) {
    let mut all = Vec::new();
    pointers(body, String::new(), &mut all);
    let pointer = rng.pick(&all).clone();
    let mut mutated = body.clone();
    if !pointer.is_empty() && rng.below(3) == 0 {
        let (parent, last) = pointer.rsplit_once('/').expect("a child pointer");
        let last = last.replace("~1", "/").replace("~0", "~");
        match mutated.pointer_mut(parent) {
            Some(Value::Object(map)) => {
                map.remove(&last);
            }
            Some(Value::Array(items)) => {
                if let Ok(i) = last.parse::<usize>() {
                    items.remove(i);
                }
            }
            _ => {}
        }
        return (mutated, format!("removed {pointer}"));
    }
    let replacement = random_json(rng, 2);
    if let Some(node) = mutated.pointer_mut(&pointer) {
        *node = replacement.clone();
    }
    (mutated, format!("{pointer:?} := {replacement}"))
}

/// True when the server routes `path` (exact, or with one trailing slash).
fn is_route(path: &str) -> bool {
    operations::route("GET", path, &[] as &[(&str, &str)]) != Routed::NotFound
}

/// The operation a read goes to, chosen by its query as the server does.
/// The operation that validates a GET of `path` with `query`: the one the server routes it to.
fn dispatch(path: &str, query: &[(String, String)]) -> &'static str {
    match operations::route("GET", path, query) {
        Routed::Operation(operation) => operation.operation_id,
        other => panic!("GET {path} is not routed: {other:?}"),
    }
}

fn encode_query(pairs: &[(String, String)]) -> String {
    let mut serializer = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in pairs {
        serializer.append_pair(name, value);
    }
    serializer.finish()
}

/// The right `Authorization` header for a request of `base`.
fn auth(api: &Api, base: &Base) -> Vec<u8> {
    let credentials = api.server.credentials();
    match base.operation.credentials[0] {
        Credential::Basic => credentials.basic_auth_header().into_bytes(),
        Credential::Bearer => credentials.bearer_auth_header().into_bytes(),
    }
}

/// One malformed request made from a random base; `None` when the draw was not malformed.
fn case(api: &Api, bases: &[Base], rng: &mut Rng) -> Option<Case> {
    let base = rng.pick(bases).clone();
    let good_body = base.body.as_ref().map(|b| serde_json::to_vec(b).unwrap());
    let mut case = Case {
        method: base.method.clone(),
        path: base.path.to_string(),
        query: encode_query(&base.query),
        auth: Some(auth(api, &base)),
        body: good_body.clone(),
        why: String::new(),
    };
    match rng.below(10) {
        // A node of the JSON body replaced or removed, refused by the description.
        0..=2 => {
            let body = base.body.as_ref()?;
            let (mutated, why) = mutate_body(body, rng);
            schema::validate_request(base.operation.operation_id, &mutated).err()?;
            case.body = Some(serde_json::to_vec(&mutated).unwrap());
            case.why = format!("{}: {why}", base.operation.operation_id);
        }
        // The body text cut short, or a byte of it changed into something that breaks JSON.
        3 => {
            let mut bytes = good_body?;
            if rng.below(2) == 0 {
                bytes.truncate(rng.below(bytes.len()));
                case.why = format!(
                    "{}: body cut at {}",
                    base.operation.operation_id,
                    bytes.len()
                );
            } else {
                let at = rng.below(bytes.len());
                bytes[at] = *rng.pick(&[b'{', b'"', b',', b'\\', 0xff, 0x00, b']']);
                case.why = format!("{}: byte {at} garbled", base.operation.operation_id);
            }
            if let Ok(value) = serde_json::from_slice::<Value>(&bytes)
                && schema::validate_request(base.operation.operation_id, &value).is_ok()
            {
                return None;
            }
            case.body = Some(bytes);
        }
        // A query value of a read changed, refused by the description.
        4 => {
            if base.query.is_empty() {
                return None;
            }
            let mut query = base.query.clone();
            let i = rng.below(query.len());
            let values = [
                "",
                "0",
                "-1",
                "abc",
                "1.5",
                "501",
                "99999999999999999999",
                "lead",
                "maybe",
            ];
            query[i].1 = rng.pick(&values).to_string();
            if rng.below(3) == 0 {
                query.remove(i);
            }
            schema::validate_query(dispatch(base.path, &query), &query).err()?;
            case.query = encode_query(&query);
            case.why = format!("{}: query {query:?}", base.operation.operation_id);
        }
        // Credentials broken: a character changed, the other scheme, none at all.
        5 | 6 => {
            let mut header = case.auth.take().expect("credentials");
            match rng.below(4) {
                0 => case.why = "no credentials".to_string(),
                1 => {
                    // The other scheme, with the right secret.
                    let credentials = api.server.credentials();
                    case.auth = Some(match base.operation.credentials[0] {
                        Credential::Basic => credentials.bearer_auth_header().into_bytes(),
                        Credential::Bearer => credentials.basic_auth_header().into_bytes(),
                    });
                    case.why = "the other scheme".to_string();
                }
                _ => {
                    // A character of the credential (after the scheme) changed.
                    let start = header.iter().position(|b| *b == b' ')? + 1;
                    let at = start + rng.below(header.len() - start);
                    let original = header[at];
                    let replacement = *rng.pick(b"AZaz09+/=-_.x");
                    if replacement == original {
                        return None;
                    }
                    header[at] = replacement;
                    case.why = format!("credential byte {at} changed");
                    case.auth = Some(header);
                }
            }
        }
        // The path changed so that no route matches.
        7 => {
            let mut path = base.path.to_string();
            let inserts = [
                "/", "//", ".", "..", "%2e", "%2F", "X", ";", "%00", "~", "/x", "%20",
            ];
            let at = rng.below(path.len() + 1);
            let at = (0..=at)
                .rev()
                .find(|i| path.is_char_boundary(*i))
                .unwrap_or(0);
            let insert: &&str = rng.pick(&inserts);
            path.insert_str(at, insert);
            if rng.below(3) == 0 {
                path = path.to_uppercase();
            }
            // What is sent is the path as a URL normalises it (`..` resolved); raw paths are
            // `robustness`'s business.
            let path = url::Url::parse(&format!("http://host{path}"))
                .ok()?
                .path()
                .to_string();
            if is_route(&path) {
                return None;
            }
            case.why = format!("{} sent to {path}", base.operation.operation_id);
            case.path = path;
        }
        // A method the route does not answer.
        8 => {
            let methods = [
                "PATCH", "OPTIONS", "TRACE", "PUT", "DELETE", "POST", "GET", "FOO",
            ];
            let method = *rng.pick(&methods);
            let routed = operations::route(method, base.path, &base.query);
            if !matches!(routed, Routed::MethodNotAllowed(_)) {
                return None;
            }
            case.method = Method::from_bytes(method.as_bytes()).unwrap();
            case.why = format!("{method} {}", base.path);
        }
        // The body sent as a form, or made too large.
        _ => {
            let body = base.body.as_ref()?;
            if rng.below(50) == 0 {
                let mut huge = body.clone();
                huge["padding"] = Value::from("p".repeat(MAX_BODY));
                case.body = Some(serde_json::to_vec(&huge).unwrap());
                case.why = format!("{}: over 1 MiB", base.operation.operation_id);
            } else {
                let pairs: Vec<(String, String)> = body
                    .as_object()?
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_string()))
                    .collect();
                case.body = Some(encode_query(&pairs).into_bytes());
                case.why = format!("{}: a form body", base.operation.operation_id);
            }
        }
    }
    Some(case)
}

/// Asserts a 4xx with the error object of the path's API family.
fn assert_error_object(case: &Case, status: u16, request_id: Option<&str>, body: &[u8]) {
    let text = String::from_utf8_lossy(body);
    assert!(
        (400..500).contains(&status),
        "{case:?}: got {status}: {text}"
    );
    let json: Value =
        serde_json::from_slice(body).unwrap_or_else(|e| panic!("{case:?}: not JSON ({e}): {text}"));
    let error_list = operations::neighbours(&case.path).any(|op| op.error_schema == "ErrorList");
    if error_list {
        assert_eq!(json["type"], "error.list", "{case:?}: {json}");
        assert_eq!(json["request_id"].as_str(), request_id, "{case:?}");
        assert!(json["errors"][0]["code"].is_string(), "{case:?}: {json}");
    } else {
        assert!(
            json["error"]["type"].is_string() && json["error"]["message"].is_string(),
            "{case:?}: {json}"
        );
    }
}

async fn send(api: &Api, case: &Case) -> (u16, Option<String>, Vec<u8>) {
    let mut url = api.url(&case.path);
    if !case.query.is_empty() {
        url = format!("{url}?{}", case.query);
    }
    let mut request = api.http.request(case.method.clone(), url);
    if let Some(auth) = &case.auth {
        request = request.header(
            "authorization",
            reqwest::header::HeaderValue::from_bytes(auth).expect("a header value"),
        );
    }
    if let Some(body) = &case.body {
        request = request
            .header("content-type", "application/json")
            .body(body.clone());
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
    let body = response
        .bytes()
        .await
        .unwrap_or_else(|e| panic!("{case:?}: {e}"));
    (status, id, body.to_vec())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_requests_broken_one_way_each() {
    let (api, thread_id) = populated().await;
    let bases = bases(thread_id);

    // Each base request is accepted (on a twin, so the server under test stays unchanged).
    let (twin, twin_thread) = populated().await;
    assert_eq!(twin_thread, thread_id, "the twin has the same ids");
    for base in &bases {
        let case = Case {
            method: base.method.clone(),
            path: base.path.to_string(),
            query: encode_query(&base.query),
            auth: Some(auth(&twin, base)),
            body: base.body.as_ref().map(|b| serde_json::to_vec(b).unwrap()),
            why: "the base".to_string(),
        };
        let (status, _, body) = send(&twin, &case).await;
        assert!(
            (200..300).contains(&status),
            "{}: {status} {}",
            base.operation.operation_id,
            String::from_utf8_lossy(&body)
        );
    }

    let api = Arc::new(api);
    let before = api.server.state().snapshot();
    let received_before = api.server.log().received();
    let mut rng = Rng::new(0x00c0_ffee);
    let mut cases = Vec::with_capacity(CASES);
    let mut draws = 0;
    while cases.len() < CASES {
        draws += 1;
        assert!(draws < 20 * CASES, "too few draws are malformed");
        if let Some(case) = case(&api, &bases, &mut rng) {
            cases.push(case);
        }
    }
    let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
    for batch in cases.chunks(32) {
        let mut running = JoinSet::new();
        for case in batch {
            let (api, case) = (api.clone(), case.clone());
            running.spawn(async move {
                let (status, id, body) = send(&api, &case).await;
                assert!(id.is_some(), "{case:?}: no X-Request-Id");
                assert_error_object(&case, status, id.as_deref(), &body);
                status
            });
        }
        while let Some(done) = running.join_next().await {
            *statuses.entry(done.expect("the case passes")).or_default() += 1;
        }
    }
    println!(
        "{} malformed requests ({draws} drawn): {statuses:?}",
        cases.len()
    );
    assert_eq!(api.server.log().received() - received_before, CASES as u64);
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
    // Every kind of refusal happened.
    for status in [400, 401, 404, 405, 413] {
        assert!(statuses.contains_key(&status), "no {status}: {statuses:?}");
    }
}
