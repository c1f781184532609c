//! The API key and the access token never show: not in the `Debug` of the client, its builder
//! and its settings; not in any `Error` (Display or Debug), transport errors and their URLs
//! included; not in what `tracing` (and the `log` facade, which reqwest uses) captures at TRACE
//! level; not in any URL the client builds; not in the dummy server's request log.
//!
//! Every test of this file runs alone in a process of its own (`support::own_process`), under
//! one global capture of all tracing events and spans and all `log` records, and checks it at
//! its end.

use std::{sync::OnceLock, time::Duration};

use base64::Engine;
use futures_util::TryStreamExt;
use intercom_api::{
    Client, Error, EventUser, NewEvent, RetryConfig, UserRef,
    generated::ClientInfo,
    operations::{self, Credential, Routed},
    types,
};
use intercom_dummy::{DummyServer, Fault, REDACTED};
use tracing_subscriber::fmt::format::FmtSpan;

use crate::support::{capture::Capture, own_process, raw_http::port_nobody_listens_on};

const APP_ID: &str = "app-4242";
/// Characters that URL and JSON encoding change, so an encoded copy cannot hide.
const API_KEY: &str = "key+Zq8/sEcReT=api";
const TOKEN: &str = "tok+Zq8/sEcReT=events";

/// What must never appear: the key, the token, their common core, and the Basic credentials.
fn secrets() -> Vec<String> {
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{APP_ID}:{API_KEY}"));
    let mut secrets = vec![
        API_KEY.to_string(),
        TOKEN.to_string(),
        "Zq8/sEcReT".to_string(),
        basic,
    ];
    // Percent-encoded (query strings) and JSON-escaped copies.
    for secret in [API_KEY, TOKEN] {
        secrets.push(
            secret
                .replace('+', "%2B")
                .replace('/', "%2F")
                .replace('=', "%3D"),
        );
        secrets.push(secret.replace('/', "\\/"));
    }
    secrets
}

#[track_caller]
fn assert_clean(what: &str, text: &str) {
    for secret in secrets() {
        assert!(
            !text.contains(&secret),
            "{what} shows the secret {secret:?}:\n{text}"
        );
    }
}

/// Installs the capture once for the whole process (TRACE, every target) and returns it.
fn capture() -> &'static Capture {
    static CAPTURE: OnceLock<Capture> = OnceLock::new();
    CAPTURE.get_or_init(|| {
        let capture = Capture::default();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(capture.clone())
            .with_max_level(tracing::Level::TRACE)
            .with_span_events(FmtSpan::FULL)
            .with_ansi(false)
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("one global subscriber");
        log::set_logger(Box::leak(Box::new(capture.clone()))).expect("one logger");
        log::set_max_level(log::LevelFilter::Trace);
        capture.clone()
    })
}

fn captured_text() -> String {
    capture().text()
}

/// True in the process where the test `name` runs alone, its capture installed; in the test
/// binary's process, runs the test there and returns false.
fn alone_under_the_capture(name: &str) -> bool {
    if !own_process::is_alone() {
        own_process::rerun_alone(module_path!(), name, &[]);
        return false;
    }
    capture();
    true
}

/// A dummy server accepting this file's credentials, with two users.
async fn server() -> DummyServer {
    DummyServer::builder()
        .app_id(APP_ID)
        .api_key(API_KEY)
        .access_token(TOKEN)
        .seed_users(2)
        .start()
        .await
        .expect("the dummy server starts")
}

fn client(server: &DummyServer) -> Client {
    server
        .client_builder()
        .retry(RetryConfig::standard().with_initial_backoff(Duration::ZERO))
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap()
}

#[tokio::test]
async fn debug_of_the_client_its_builder_and_settings() {
    if !alone_under_the_capture("debug_of_the_client_its_builder_and_settings") {
        return;
    }
    let builder = Client::builder()
        .basic(APP_ID, API_KEY)
        .token(TOKEN)
        .base_url("http://127.0.0.1:9")
        .retry(RetryConfig::standard());
    for shown in [format!("{builder:?}"), format!("{builder:#?}")] {
        assert_clean("ClientBuilder", &shown);
        assert!(
            shown.contains(APP_ID),
            "the app id is not a secret: {shown}"
        );
    }
    let client = builder.build().unwrap();
    let user = || UserRef::user_id("1");
    let shown = [
        format!("{client:?}"),
        format!("{client:#?}"),
        format!("{:?}", client.raw()),
        format!("{:#?}", client.raw().inner()),
        format!("{:?}", RetryConfig::standard()),
        format!("{:?}", client.users()),
        format!("{:?}", client.users().create(user()).name("x")),
        format!("{:?}", client.notes().create(user(), "x")),
        format!("{:?}", client.message_threads().reply(user(), 1, "x")),
        format!("{:?}", client.tags().tag_users("VIP", [user()])),
        format!(
            "{:?}",
            client
                .events()
                .create(NewEvent::new("e", EventUser::user_id("1")))
        ),
        format!("{:?}", client.events().create_many(Vec::new())),
    ];
    for text in shown {
        assert_clean("a client's Debug", &text);
    }
    assert_clean("the base URL", client.base_url());

    // The dummy server's own settings.
    let server = server().await;
    assert_clean("DummyServer", &format!("{server:?}"));
    assert_clean("Credentials", &format!("{:#?}", server.credentials()));
    assert_clean(
        "DummyServerBuilder",
        &format!(
            "{:?}",
            DummyServer::builder().api_key(API_KEY).access_token(TOKEN)
        ),
    );
    assert_clean("captured traces", &captured_text());
}

/// Checks an error's Display, alternate Display, Debug, source chain and transport URL.
#[track_caller]
fn assert_error_clean(error: &Error) {
    let what = format!("the error {:?}", error.operation());
    assert_clean(&what, &error.to_string());
    assert_clean(&what, &format!("{error:#}"));
    assert_clean(&what, &format!("{error:?}"));
    assert_clean(&what, &format!("{error:#?}"));
    let mut source = std::error::Error::source(error);
    while let Some(inner) = source {
        assert_clean(&what, &format!("{inner} {inner:?}"));
        source = inner.source();
    }
    if let Error::Timeout { source, .. } | Error::Transport { source, .. } = error {
        let url = source.url().expect("a transport error names its URL");
        assert_clean("a transport error's URL", url.as_str());
    }
}

#[tokio::test]
async fn every_error_variant_display_and_debug() {
    if !alone_under_the_capture("every_error_variant_display_and_debug") {
        return;
    }
    let server = server().await;
    let client = client(&server);
    let faults = server.faults();
    let ben = || UserRef::user_id("1");
    let mut seen = Vec::new();
    let mut check = |error: Error| {
        assert_error_clean(&error);
        let variant = format!("{error:?}");
        seen.push(
            variant
                .split(['(', ' ', '{'])
                .next()
                .unwrap_or("")
                .to_string(),
        );
    };

    // Api: 404, and 401 with the wrong key.
    check(
        client
            .users()
            .get(UserRef::user_id("nobody"))
            .send()
            .await
            .unwrap_err(),
    );
    let wrong = Client::builder()
        .base_url(server.base_url())
        .basic(APP_ID, format!("{API_KEY}-old"))
        .token(format!("{TOKEN}-old"))
        .build()
        .unwrap();
    let unauthorized = wrong.users().get(ben()).send().await.unwrap_err();
    assert_eq!(unauthorized.status().map(|s| s.as_u16()), Some(401));
    check(unauthorized);
    check(
        wrong
            .events()
            .create(NewEvent::new("e", EventUser::user_id("1")))
            .send()
            .await
            .unwrap_err(),
    );
    // RateLimited.
    faults.inject(
        Fault::TooManyRequests {
            retry_after: Duration::from_secs(60),
        }
        .times(3),
    );
    check(client.users().get(ben()).send().await.unwrap_err());
    // Decode.
    faults.inject(Fault::HtmlPage);
    check(client.users().get(ben()).send().await.unwrap_err());
    faults.inject(Fault::TruncatedJson);
    check(client.notes().create(ben(), "x").send().await.unwrap_err());
    // Timeout (a reqwest error with a URL).
    faults.inject(Fault::Delay(Duration::from_secs(5)).times(3));
    check(client.users().get(ben()).send().await.unwrap_err());
    // Transport: dropped before the response, dropped mid-body, refused.
    faults.inject(Fault::DropConnection.times(3));
    check(
        client
            .users()
            .get(UserRef::email("user1@example.com"))
            .send()
            .await
            .unwrap_err(),
    );
    faults.inject(Fault::DropMidBody);
    check(client.notes().create(ben(), "x").send().await.unwrap_err());
    let port = port_nobody_listens_on();
    let refused = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .basic(APP_ID, API_KEY)
        .token(TOKEN)
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    check(
        refused
            .events()
            .create(NewEvent::new("e", EventUser::user_id("1")))
            .send()
            .await
            .unwrap_err(),
    );
    // InvalidRequest.
    check(client.users().list().per_page(0).send().await.unwrap_err());
    let token_only = Client::builder()
        .base_url(server.base_url())
        .token(TOKEN)
        .build()
        .unwrap();
    check(token_only.users().get(ben()).send().await.unwrap_err());
    // Config, including base URLs that carry a credential.
    for builder in [
        Client::builder().basic(APP_ID, "  ").token(TOKEN),
        Client::builder().token(format!("{TOKEN}\r\n")),
        Client::builder()
            .basic(APP_ID, API_KEY)
            .base_url(format!("https://{APP_ID}:{API_KEY}@api.example.com")),
        Client::builder()
            .basic(APP_ID, API_KEY)
            .base_url(format!("https://api.example.com/?api_key={API_KEY}")),
        Client::builder()
            .basic(APP_ID, API_KEY)
            .base_url(format!("https://api.example.com/#{TOKEN}")),
        Client::builder().basic(APP_ID, API_KEY).base_url(format!(
            "http://{APP_ID}:{API_KEY}@api.example.com/?t={TOKEN}"
        )),
        Client::builder()
            .basic(APP_ID, API_KEY)
            .base_url(format!("ftp://{APP_ID}:{API_KEY}@api.example.com")),
        Client::builder()
            .basic(APP_ID, API_KEY)
            .base_url(format!("https://{APP_ID}:{API_KEY}@[::1")),
    ] {
        check(builder.build().unwrap_err());
    }

    for variant in [
        "Api",
        "RateLimited",
        "Decode",
        "Timeout",
        "Transport",
        "InvalidRequest",
        "Config",
    ] {
        assert!(
            seen.iter().any(|v| v == variant),
            "{variant} not produced: {seen:?}"
        );
    }
    assert_clean("captured traces", &captured_text());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn traces_logs_urls_and_the_request_log_of_every_operation() {
    if !alone_under_the_capture("traces_logs_urls_and_the_request_log_of_every_operation") {
        return;
    }
    let server = server().await;
    let client = client(&server);
    let faults = server.faults();
    let ben = || UserRef::both("1", "user1@example.com");

    // Every operation, some of them retried.
    faults.inject(Fault::Status(503).on("GET", "/v1/users"));
    client.users().get(ben()).send().await.unwrap();
    let listed: Vec<types::User> = client
        .users()
        .list()
        .per_page(1)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(listed.len(), 2);
    faults.inject(Fault::DropConnection.on("POST", "/v1/users"));
    client
        .users()
        .create(UserRef::email("new@example.com"))
        .name("New")
        .send()
        .await
        .unwrap();
    client
        .users()
        .update(ben())
        .name("Renamed")
        .send()
        .await
        .unwrap();
    client.notes().create(ben(), "a note").send().await.unwrap();
    client.impressions().create(ben()).send().await.unwrap();
    let thread = client
        .message_threads()
        .create(ben(), "hello")
        .send()
        .await
        .unwrap();
    client
        .message_threads()
        .reply(ben(), thread.thread_id, "again")
        .send()
        .await
        .unwrap();
    client
        .message_threads()
        .mark_read(ben(), thread.thread_id)
        .send()
        .await
        .unwrap();
    client.message_threads().list(ben()).send().await.unwrap();
    client
        .message_threads()
        .get(ben(), thread.thread_id)
        .send()
        .await
        .unwrap();
    client
        .tags()
        .create("VIP")
        .users([ben()])
        .send()
        .await
        .unwrap();
    client.tags().get("VIP").send().await.unwrap();
    client
        .tags()
        .untag_users("VIP", [ben()])
        .send()
        .await
        .unwrap();
    faults.inject(
        Fault::TooManyRequests {
            retry_after: Duration::ZERO,
        }
        .on("POST", "/events"),
    );
    for i in 0..3 {
        client
            .events()
            .create(
                NewEvent::new("signed-in", EventUser::user_id("1")).created_at(
                    intercom_api::time::UnixTime::from_unix(1_700_000_000 + i).unwrap(),
                ),
            )
            .send()
            .await
            .unwrap();
    }
    let events = client
        .events()
        .list(EventUser::user_id("1"))
        .per_page(1)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(events.len(), 3, "three pages followed");
    client
        .events()
        .summary(EventUser::email("user1@example.com"))
        .send()
        .await
        .unwrap();
    client
        .events()
        .submit_summaries(
            "1",
            types::EventSummaryCounts {
                event_name: "signed-in".to_string(),
                count: 1,
                first: intercom_api::time::UnixTime::from_unix(1_600_000_000).unwrap(),
                last: intercom_api::time::UnixTime::from_unix(1_600_000_000).unwrap(),
            },
        )
        .send()
        .await
        .unwrap();
    client
        .users()
        .delete(UserRef::email("new@example.com"))
        .send()
        .await
        .unwrap();

    // What reached the server: the credentials only in `Authorization`. The server's log
    // redacts the secrets wherever they appear, so a `[REDACTED]` anywhere else would mean the
    // client put one there (in a URL, a header, a body).
    let entries = server.log().entries();
    assert!(entries.len() >= 22, "{} requests", entries.len());
    for entry in &entries {
        let authorization = entry.header("authorization").unwrap_or_default();
        let query: Vec<(String, String)> =
            url::form_urlencoded::parse(entry.query.as_deref().unwrap_or("").as_bytes())
                .into_owned()
                .collect();
        let Routed::Operation(operation) = operations::route(&entry.method, &entry.path, &query)
        else {
            panic!("not an operation: {entry:?}");
        };
        let expected = match operation.credentials[0] {
            Credential::Basic => "Basic [REDACTED]",
            Credential::Bearer => "Bearer [REDACTED]",
        };
        assert_eq!(authorization, expected, "{entry:?}");
        let url = format!("{}?{}", entry.path, entry.query.as_deref().unwrap_or(""));
        assert!(!url.contains(REDACTED), "a secret in the URL {url}");
        for (name, value) in &entry.headers {
            if name != "authorization" {
                assert!(
                    !value.contains(REDACTED),
                    "a secret in the header {name}: {value}"
                );
            }
        }
        assert!(
            !entry.body_text().contains(REDACTED),
            "a secret in the body {entry:?}"
        );
        assert_clean("the request log", &format!("{entry:?}"));
    }

    // The traces: one span per request, captured, and no secret in them or in the HTTP
    // stack's log records.
    let text = captured_text();
    assert!(
        text.contains("intercom.request"),
        "the capture works: {text}"
    );
    assert!(text.contains("retrying"), "{text}");
    assert!(
        text.contains("[log] "),
        "reqwest's log records are captured too"
    );
    assert_clean("captured traces", &text);
}

#[tokio::test]
async fn the_request_log_redacts_encoded_copies_of_the_secrets() {
    if !alone_under_the_capture("the_request_log_redacts_encoded_copies_of_the_secrets") {
        return;
    }
    let server = server().await;
    let http = reqwest::Client::new();
    let encoded_key = API_KEY
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D");
    let encoded_token = TOKEN
        .replace('+', "%2B")
        .replace('/', "%2F")
        .replace('=', "%3D");
    // A client of another language that sends the key in the query under a neutral name, in
    // the path, and in a JSON body (where `/` may be escaped as `\/`).
    let url = format!(
        "{}/v1/users/{encoded_token}?email=user1%40example.com&k={encoded_key}",
        server.base_url()
    );
    let _ = http
        .get(&url)
        .basic_auth(APP_ID, Some(API_KEY))
        .send()
        .await
        .unwrap();
    let body = format!(
        r#"{{"email": "user1@example.com", "custom_data": {{"a": "{}", "b": "{}"}}}}"#,
        API_KEY.replace('/', "\\/"),
        TOKEN
    );
    let answer = http
        .post(format!("{}/v1/users?k={encoded_token}", server.base_url()))
        .basic_auth(APP_ID, Some(API_KEY))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    let entries = server.log().entries();
    assert_eq!(entries.len(), 2);
    for entry in entries {
        assert_clean(
            "the request log",
            &format!("{entry:?} {}", entry.body_text()),
        );
        assert_clean("the request log", &format!("{:?}", entry.query_pairs()));
        if let Some(json) = entry.body_json() {
            assert_clean("the request log", &json.to_string());
        }
    }
}
