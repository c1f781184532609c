//! The dummy server's fault injection: every kind, what the client sees (checked with reqwest
//! and over raw TCP), whether the request was processed, matching, and seeded random faults.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::support::{
    dummy_http::{Api, answer_to},
    raw_http::raw_exchange,
};
use intercom_dummy::{DummyServer, Fault, FaultRule, FaultTiming, RandomFaults, UserKey};
use reqwest::Method;
use serde_json::{Value, json};

fn user(n: u32) -> Value {
    json!({"user_id": n.to_string(), "email": format!("u{n}@example.com")})
}

#[tokio::test]
async fn status_faults_answer_with_the_error_object_and_process_nothing() {
    let api = Api::start().await;
    let faults = api.server.faults();
    faults.inject(Fault::TooManyRequests {
        retry_after: Duration::from_millis(1500),
    });
    faults.inject(Fault::RateLimitReset {
        reset_after: Duration::from_secs(30),
    });
    faults.inject(Fault::Status(500));
    faults.inject(Fault::Status(503));
    faults.inject(Fault::Status(504));
    faults.inject(Fault::BadGatewayHtml);
    assert_eq!(faults.pending(), 6);

    let too_many = api.post("/v1/users", &user(1)).await;
    assert_eq!(too_many.status, 429);
    assert_eq!(
        too_many.header("retry-after"),
        Some("2"),
        "whole seconds, rounded up"
    );
    assert_eq!(too_many.v1_error().0, "rate_limit_exceeded");

    let reset = api.post("/v1/users", &user(1)).await;
    assert_eq!(reset.status, 429);
    assert_eq!(reset.header("retry-after"), None);
    assert_eq!(reset.header("x-ratelimit-remaining"), Some("0"));
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let at: u64 = reset.header("x-ratelimit-reset").unwrap().parse().unwrap();
    assert!(at >= now + 29 && at <= now + 31, "{at} vs {now}");

    for status in [500, 503, 504] {
        let answer = api.post("/v1/users", &user(1)).await;
        assert_eq!(answer.status, status);
        assert_eq!(answer.v1_error().0, "server_error");
    }
    let bad_gateway = api.post("/v1/users", &user(1)).await;
    assert_eq!(bad_gateway.status, 502);
    assert_eq!(
        bad_gateway.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(bad_gateway.text.contains("<h1>502 Bad Gateway</h1>"));

    assert_eq!(
        api.server.state().user_count(),
        0,
        "rejected before processing"
    );
    assert_eq!(faults.fired(), 6);
    assert_eq!(faults.pending(), 0);
    assert_eq!(api.post("/v1/users", &user(1)).await.status, 200);
    let logged: Vec<Option<Fault>> = api
        .server
        .log()
        .entries()
        .into_iter()
        .map(|e| e.fault)
        .collect();
    assert_eq!(logged.len(), 7);
    assert_eq!(logged[2], Some(Fault::Status(500)));
    assert_eq!(logged[6], None);
}

#[tokio::test]
async fn events_faults_use_the_error_list_shape() {
    let api = Api::start().await;
    api.server.faults().inject(Fault::Status(503));
    let answer = api
        .post_event(&json!({"event_name": "e", "created_at": 1, "user_id": "1"}))
        .await;
    assert_eq!(answer.status, 503);
    assert_eq!(answer.error_list()[0]["code"], "server_error");
}

#[tokio::test]
async fn a_status_after_processing_loses_the_answer_but_not_the_change() {
    let api = Api::start().await;
    api.server
        .faults()
        .inject(Fault::Status(500).after_processing());
    let answer = api.post("/v1/users", &user(1)).await;
    assert_eq!(answer.status, 500);
    assert_eq!(api.server.state().user_count(), 1);
}

#[tokio::test]
async fn rules_match_method_and_path_and_run_out() {
    let api = Api::start().await;
    api.create_user(user(1)).await;
    api.server
        .faults()
        .inject(Fault::Status(503).on("POST", "/events").times(2));
    assert_eq!(
        api.get("/v1/users?user_id=1").await.status,
        200,
        "another route"
    );
    let event = json!({"event_name": "e", "created_at": 1, "user_id": "1"});
    assert_eq!(
        answer_to(api.bearer(Method::GET, "/events?type=user&user_id=1"))
            .await
            .status,
        200
    );
    assert_eq!(api.post_event(&event).await.status, 503);
    assert_eq!(
        answer_to(api.bearer(Method::POST, "/events/").json(&event))
            .await
            .status,
        503
    );
    assert_eq!(api.post_event(&event).await.status, 202);
    assert_eq!(api.server.faults().fired(), 2);
}

#[tokio::test]
async fn a_dropped_connection_is_a_connection_error() {
    let api = Api::start().await;
    let faults = api.server.faults();
    faults.inject(Fault::DropConnection);
    let err = api
        .basic(Method::POST, "/v1/users")
        .json(&user(1))
        .send()
        .await
        .expect_err("no response");
    assert!(
        err.is_request() && !err.is_timeout() && err.status().is_none(),
        "{err:?}"
    );
    assert_eq!(
        api.server.state().user_count(),
        0,
        "not processed by default"
    );

    faults.inject(Fault::DropConnection.after_processing());
    api.basic(Method::POST, "/v1/users")
        .json(&user(2))
        .send()
        .await
        .expect_err("no response");
    assert_eq!(
        api.server.state().user_count(),
        1,
        "processed, then the answer lost"
    );

    let entries = api.server.log().entries();
    assert_eq!(entries.len(), 2);
    assert!(
        entries
            .iter()
            .all(|e| e.status.is_none() && e.fault == Some(Fault::DropConnection))
    );

    // Over raw TCP: the connection closes with no bytes at all.
    faults.inject(Fault::DropConnection);
    let request = format!(
        "GET /v1/users HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: {}\r\n\r\n",
        api.server.credentials().basic_auth_header()
    );
    assert!(
        raw_exchange(api.server.addr(), request.into_bytes(), false)
            .await
            .is_empty()
    );
    assert_eq!(api.get("/v1/users").await.status, 200, "still serving");
}

#[tokio::test]
async fn a_connection_dropped_mid_body_after_processing() {
    let api = Api::start().await;
    api.server.faults().inject(Fault::DropMidBody);
    let response = api
        .basic(Method::POST, "/v1/users")
        .json(&user(1))
        .send()
        .await
        .expect("the head arrives");
    assert_eq!(response.status(), 200);
    let announced = response.content_length().expect("a length");
    let err = response.bytes().await.expect_err("the body is cut");
    assert!(
        err.is_body() || err.is_decode() || err.is_request(),
        "{err:?}"
    );
    assert_eq!(api.server.state().user_count(), 1, "processed by default");

    // Over raw TCP: the head with the full Content-Length, then fewer bytes, then EOF.
    api.server.faults().inject(Fault::DropMidBody);
    let request = format!(
        "GET /v1/users?user_id=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: {}\r\n\r\n",
        api.server.credentials().basic_auth_header()
    );
    let answer = raw_exchange(api.server.addr(), request.into_bytes(), false).await;
    let text = String::from_utf8_lossy(&answer);
    let (head, body) = text.split_once("\r\n\r\n").expect("a complete head");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length: "))
        .expect("content-length")
        .parse()
        .unwrap();
    assert!(length as u64 >= announced / 2);
    assert!(
        !body.is_empty() && body.len() < length,
        "{} of {length}: {body}",
        body.len()
    );
}

#[tokio::test]
async fn a_retried_event_after_a_lost_answer_is_not_stored_twice() {
    let api = Api::start().await;
    api.create_user(user(1)).await;
    let event = json!({"event_name": "paid", "created_at": 1_700_000_000, "user_id": "1"});
    api.server.faults().inject(
        Fault::DropConnection
            .on("POST", "/events")
            .after_processing(),
    );
    api.bearer(Method::POST, "/events")
        .json(&event)
        .send()
        .await
        .expect_err("the answer is lost");
    assert_eq!(api.post_event(&event).await.status, 202, "the retry");
    let state = api.server.state();
    assert_eq!(state.event_count(&UserKey::user_id("1")), 1);
    assert_eq!(state.duplicate_events(), 1);
}

#[tokio::test]
async fn damaged_bodies() {
    let api = Api::start().await;
    api.create_user(user(1)).await;
    let faults = api.server.faults();
    let get = || answer_to(api.basic(Method::GET, "/v1/users?user_id=1"));
    let whole = get().await;

    faults.inject(Fault::TruncatedJson);
    let truncated = get().await;
    assert_eq!(truncated.status, 200);
    assert_eq!(truncated.text, whole.text[..whole.text.len() / 2]);
    assert!(serde_json::from_str::<Value>(&truncated.text).is_err());
    assert_eq!(
        truncated.header("content-length"),
        Some(truncated.text.len().to_string().as_str())
    );

    faults.inject(Fault::MalformedJson);
    let malformed = get().await;
    assert_eq!(
        malformed.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    assert!(serde_json::from_str::<Value>(&malformed.text).is_err());

    faults.inject(Fault::JsonAsHtml);
    let mislabelled = get().await;
    assert_eq!(
        mislabelled.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(mislabelled.json, whole.json);

    faults.inject(Fault::HtmlPage);
    let page = get().await;
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(page.text.starts_with("<!DOCTYPE html>"));

    // An empty 202 damaged: there is still a (broken) body to see.
    faults.inject(Fault::TruncatedJson);
    let event = api
        .post_event(&json!({"event_name": "e", "created_at": 1, "user_id": "1"}))
        .await;
    assert_eq!(event.status, 202);
    assert!(!event.text.is_empty());
    assert_eq!(
        api.server.state().counts().events,
        1,
        "processed by default"
    );
}

#[tokio::test]
async fn delays_hold_the_answer() {
    let api = Api::start().await;
    let faults = api.server.faults();
    faults.inject(Fault::Delay(Duration::from_millis(50)));
    assert_eq!(
        api.post("/v1/users", &user(1)).await.status,
        200,
        "slow but fine"
    );

    // Longer than the client waits: the client times out. Processed first when asked.
    faults.inject(Fault::Delay(Duration::from_secs(5)).after_processing());
    let err = api
        .basic(Method::POST, "/v1/users")
        .timeout(Duration::from_millis(200))
        .json(&user(2))
        .send()
        .await
        .expect_err("times out");
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(api.server.state().user_count(), 2);

    // Before processing (the default): the client gave up, so the request never runs.
    faults.inject(Fault::Delay(Duration::from_secs(2)));
    let err = api
        .basic(Method::POST, "/v1/users")
        .timeout(Duration::from_millis(100))
        .json(&user(3))
        .send()
        .await
        .expect_err("times out");
    assert!(err.is_timeout(), "{err:?}");
    // The request's log entry is written when the server lets the request go; wait for it.
    for _ in 0..500 {
        if api.server.log().len() == 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(api.server.state().user_count(), 2);
    assert_eq!(api.server.log().entries()[2].status, None);
}

#[tokio::test]
async fn default_timings_are_documented_by_kind() {
    use FaultTiming::{AfterProcessing, BeforeProcessing};
    let cases = [
        (
            Fault::TooManyRequests {
                retry_after: Duration::ZERO,
            },
            BeforeProcessing,
        ),
        (
            Fault::RateLimitReset {
                reset_after: Duration::ZERO,
            },
            BeforeProcessing,
        ),
        (Fault::Status(503), BeforeProcessing),
        (Fault::BadGatewayHtml, BeforeProcessing),
        (Fault::Delay(Duration::ZERO), BeforeProcessing),
        (Fault::DropConnection, BeforeProcessing),
        (Fault::HtmlPage, BeforeProcessing),
        (Fault::DropMidBody, AfterProcessing),
        (Fault::TruncatedJson, AfterProcessing),
        (Fault::MalformedJson, AfterProcessing),
        (Fault::JsonAsHtml, AfterProcessing),
    ];
    for (fault, timing) in cases {
        assert_eq!(FaultRule::new(fault.clone()).timing(), timing, "{fault:?}");
        assert_eq!(fault.clone().before_processing().timing(), BeforeProcessing);
        assert_eq!(fault.after_processing().timing(), AfterProcessing);
    }
}

/// What a client sees of each of `n` sequential requests: a status or "error".
async fn outcomes(api: &Api, n: u32) -> Vec<String> {
    let mut seen = Vec::new();
    for i in 0..n {
        let sent = api
            .basic(Method::POST, "/v1/users")
            .json(&user(i))
            .send()
            .await;
        let outcome = match sent {
            Ok(response) => {
                let status = response.status().as_u16();
                match response.bytes().await {
                    Ok(body) if serde_json::from_slice::<Value>(&body).is_ok() => {
                        status.to_string()
                    }
                    Ok(_) => format!("{status} unreadable"),
                    Err(_) => format!("{status} cut"),
                }
            }
            Err(_) => "error".to_string(),
        };
        seen.push(outcome);
    }
    seen
}

#[tokio::test]
async fn random_faults_are_seeded_and_deterministic() {
    let soak = RandomFaults::new(42, 0.3).kinds([
        Fault::Status(503).into(),
        Fault::DropConnection.into(),
        Fault::DropMidBody.into(),
        Fault::TruncatedJson.into(),
    ]);
    let first = Api::start_with(DummyServer::builder().random_faults(soak.clone())).await;
    let second = Api::start_with(DummyServer::builder().random_faults(soak)).await;
    let a = outcomes(&first, 200).await;
    let b = outcomes(&second, 200).await;
    assert_eq!(a, b, "the same seed, the same faults");
    let faulted = a.iter().filter(|o| o.as_str() != "200").count() as u64;
    assert_eq!(faulted, first.server.faults().fired());
    assert!((30..=90).contains(&faulted), "about 30% of 200: {faulted}");
    for kind in ["503", "error", "200 cut", "200 unreadable"] {
        assert!(a.iter().any(|o| o == kind), "{kind} never happened: {a:?}");
    }
    let logged = first
        .server
        .log()
        .entries()
        .iter()
        .filter(|e| e.fault.is_some())
        .count() as u64;
    assert_eq!(logged, faulted);

    first.server.faults().set_random(None);
    assert!(outcomes(&first, 20).await.iter().all(|o| o == "200"));
}

#[tokio::test]
async fn reset_clears_faults_log_and_state() {
    let api = Api::start_with(DummyServer::builder().seed_users(3)).await;
    api.server.faults().inject(Fault::Status(500).times(5));
    api.server
        .faults()
        .set_random(Some(RandomFaults::new(1, 1.0)));
    api.get("/v1/users").await;
    api.server.reset();
    assert_eq!(api.server.faults().pending(), 0);
    assert_eq!(api.server.faults().fired(), 0);
    assert_eq!(api.server.state().user_count(), 0);
    assert!(api.server.log().is_empty());
    let answer = api.get("/v1/users").await;
    assert_eq!(answer.status, 200);
    assert_eq!(api.server.log().entries()[0].seq, 1);
}
