//! One tracing span per request, with the operation, method, path, attempt, status, duration
//! and request id; never a credential, an email address or a user id.
//!
//! The test runs alone in a process of its own (`support::own_process`): tracing decides once
//! per callsite, for the whole process, whether any subscriber wants it, and while this test's
//! (thread-local) subscriber is the only one, a callsite first reached on another test's thread
//! is decided by that thread's (no) subscriber and stays unwanted, so spans and events would be
//! missing from the capture.

use crate::support::{
    capture::Capture, clock::RecordingClock, fixtures::fixture, mock::builder_for, own_process,
};
use intercom_api::{EventUser, NewEvent, UserRef};
use tracing_subscriber::fmt::format::FmtSpan;
use wiremock::{Mock, MockServer, ResponseTemplate, matchers::any};

#[tokio::test]
async fn spans_carry_the_request_facts_and_no_personal_data() {
    if !own_process::is_alone() {
        own_process::rerun_alone(
            module_path!(),
            "spans_carry_the_request_facts_and_no_personal_data",
            &[],
        );
        return;
    }
    let captured = Capture::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(fixture("getUser.response.json"))
                .insert_header("x-request-id", "req-42"),
        )
        .mount(&server)
        .await;
    let client = builder_for(&server)
        .basic("dummy-app-id", "very-secret-key")
        .token("very-secret-token")
        .clock(RecordingClock::fixed())
        .build()
        .unwrap();
    client
        .users()
        .get(UserRef::email("ben@intercom.io"))
        .send()
        .await
        .unwrap();
    client
        .events()
        .create(NewEvent::new(
            "signed-in",
            EventUser::user_id("user-314159"),
        ))
        .send()
        .await
        .unwrap_err();

    let text = captured.text();
    let spans: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("intercom.request") && l.contains(": close "))
        .collect();
    assert!(
        spans.len() >= 3,
        "two tries of get_user and one create_event: {text}"
    );
    let first = spans
        .iter()
        .find(|l| l.contains("attempt=1") && l.contains("get_user"))
        .unwrap();
    assert!(
        first.contains("method=GET")
            && first.contains("path=\"/v1/users/\"")
            && first.contains("status=503"),
        "{first}"
    );
    let second = spans.iter().find(|l| l.contains("attempt=2")).unwrap();
    assert!(
        second.contains("status=200") && second.contains("request_id=\"req-42\""),
        "{second}"
    );
    assert!(second.contains("duration_ms="), "{second}");
    assert!(text.contains("retrying"), "the retry is logged: {text}");

    for secret in [
        "very-secret",
        "ben@intercom.io",
        "user-314159",
        "ZHVtbXktYXBwLWlk",
    ] {
        assert!(
            !text.contains(secret),
            "{secret} leaked into the traces:\n{text}"
        );
    }
}
