//! What the client does with each fault the dummy server can inject: how many attempts reached
//! the server (its request log), which waits the client chose (a clock that records them), the
//! final result or the exact `Error` variant, and what the server holds afterwards. Four
//! operations stand for the replay rules: a read (`GET /v1/users`), an upsert
//! (`POST /v1/users`), a note (`POST /v1/users/notes`, not idempotent) and an event
//! (`POST /events`, de-duplicated by the server).

use std::{sync::Arc, time::Duration};

use crate::support::clock::RecordingClock;
use intercom_api::{Client, Error, EventUser, NewEvent, UserRef, time::UnixTime};
use intercom_dummy::{DummyServer, Fault, FaultRule, UserKey};

/// The standard backoff ceiling before the first retry.
const FIRST_BACKOFF: Duration = Duration::from_millis(500);
/// The client's timeout in these tests; `Fault::Delay` waits longer.
const TIMEOUT: Duration = Duration::from_millis(250);
const LONG_DELAY: Duration = Duration::from_secs(5);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Read,
    Upsert,
    Note,
    Event,
}

const ALL: [Op; 4] = [Op::Read, Op::Upsert, Op::Note, Op::Event];

impl Op {
    fn method(self) -> &'static str {
        match self {
            Op::Read => "GET",
            _ => "POST",
        }
    }

    fn path(self) -> &'static str {
        match self {
            Op::Read | Op::Upsert => "/v1/users",
            Op::Note => "/v1/users/notes",
            Op::Event => "/events",
        }
    }

    /// Replayed after a 5xx or a lost answer (GET, the upsert, de-duplicated events).
    fn is_safe(self) -> bool {
        self != Op::Note
    }

    async fn send(self, client: &Client) -> Result<(), Error> {
        let user = || UserRef::user_id("1");
        match self {
            Op::Read => client.users().get(user()).send().await.map(drop),
            Op::Upsert => client
                .users()
                .create(user())
                .name("Renamed")
                .send()
                .await
                .map(drop),
            Op::Note => client.notes().create(user(), "hi").send().await.map(drop),
            Op::Event => {
                let at = UnixTime::from_unix(1_700_000_000).unwrap();
                let event = NewEvent::new("paid", EventUser::user_id("1")).created_at(at);
                client.events().create(event).send().await
            }
        }
    }
}

/// What one call did.
#[derive(Debug)]
struct Run {
    op: Op,
    /// Requests the server received (counted on arrival, so a request still held by a delay
    /// counts; only `op` is sent to the server).
    attempts: usize,
    /// The waits the client chose between them.
    sleeps: Vec<Duration>,
    result: Result<(), Error>,
    /// Notes, events and the user's name as stored afterwards.
    notes: usize,
    events: usize,
    renamed: bool,
}

/// A server with user "1", `fault` injected for `op`'s requests, and one call of `op` by a
/// client with the standard retries, a recording clock and a short timeout.
async fn run_once(op: Op, fault: impl Into<FaultRule>) -> Run {
    let server = DummyServer::builder()
        .seed_users(1)
        .start()
        .await
        .expect("the dummy server starts");
    let rule: FaultRule = fault.into();
    server
        .faults()
        .inject(rule.method(op.method()).path(op.path()));
    let clock = RecordingClock::system_time();
    let client = server
        .client_builder()
        .clock(clock.clone())
        .timeout(TIMEOUT)
        .build()
        .unwrap();
    let result = op.send(&client).await;
    let state = server.state();
    let key = UserKey::user_id("1");
    Run {
        op,
        attempts: server.log().received() as usize,
        sleeps: clock.sleeps(),
        result,
        notes: state.notes(&key).len(),
        events: state.event_count(&key),
        renamed: state.user(&key).and_then(|u| u.user.name).as_deref() == Some("Renamed"),
    }
}

impl Run {
    /// The call succeeded and its effect is stored exactly once.
    fn assert_done_once(&self) {
        assert!(self.result.is_ok(), "{self:?}");
        self.assert_stored(1);
    }

    /// Notes (for a note) or events (for an event) stored; the upsert applied when `count` is 1.
    fn assert_stored(&self, count: usize) {
        match self.op {
            Op::Read => {}
            Op::Upsert => assert_eq!(self.renamed, count == 1, "{self:?}"),
            Op::Note => assert_eq!(self.notes, count, "{self:?}"),
            Op::Event => assert_eq!(self.events, count, "{self:?}"),
        }
    }

    fn api_error(&self) -> &intercom_api::ApiError {
        match &self.result {
            Err(Error::Api(api)) => api,
            other => panic!("expected Error::Api: {other:?} ({self:?})"),
        }
    }
}

#[tokio::test]
async fn a_429_with_retry_after_is_waited_exactly_then_retried_for_every_operation() {
    for op in ALL {
        let run = run_once(
            op,
            Fault::TooManyRequests {
                retry_after: Duration::from_secs(2),
            },
        )
        .await;
        // 429 means "not processed": even a note is sent again.
        assert_eq!(run.attempts, 2, "{run:?}");
        assert_eq!(run.sleeps, [Duration::from_secs(2)], "{run:?}");
        run.assert_done_once();
    }
}

#[tokio::test]
async fn a_429_with_only_the_rate_limit_reset_waits_until_the_reset() {
    for op in ALL {
        let run = run_once(
            op,
            Fault::RateLimitReset {
                reset_after: Duration::from_secs(10),
            },
        )
        .await;
        assert_eq!(run.attempts, 2, "{run:?}");
        // The reset is 10 s after the server's clock (whole seconds); backoff would be at most
        // 0.5 s. Anything above 1 s can only be the wait until the reset.
        assert_eq!(run.sleeps.len(), 1, "{run:?}");
        assert!(
            run.sleeps[0] > Duration::from_secs(1) && run.sleeps[0] <= Duration::from_secs(10),
            "{run:?}"
        );
        run.assert_done_once();
    }
}

#[tokio::test]
async fn server_errors_are_retried_with_backoff_only_when_the_operation_is_safe() {
    for status in [500, 503, 504] {
        for op in ALL {
            let run = run_once(op, Fault::Status(status)).await;
            if op.is_safe() {
                assert_eq!(run.attempts, 2, "{status}: {run:?}");
                assert_eq!(run.sleeps.len(), 1, "{status}: {run:?}");
                assert!(run.sleeps[0] <= FIRST_BACKOFF, "{status}: {run:?}");
                run.assert_done_once();
            } else {
                assert_eq!(run.attempts, 1, "{status}: {run:?}");
                assert!(run.sleeps.is_empty(), "{run:?}");
                let api = run.api_error();
                assert_eq!(api.status.as_u16(), status);
                assert_eq!(api.code.as_deref(), Some("server_error"));
                assert!(api.request_id.is_some(), "{api:?}");
                run.assert_stored(0);
            }
        }
    }
}

#[tokio::test]
async fn a_502_html_page_from_a_proxy_keeps_its_status() {
    for op in ALL {
        let run = run_once(op, Fault::BadGatewayHtml).await;
        if op.is_safe() {
            assert_eq!(run.attempts, 2, "{run:?}");
            assert_eq!(run.sleeps.len(), 1, "{run:?}");
            assert!(run.sleeps[0] <= FIRST_BACKOFF, "{run:?}");
            run.assert_done_once();
        } else {
            assert_eq!(run.attempts, 1, "{run:?}");
            let api = run.api_error();
            assert_eq!(api.status.as_u16(), 502);
            assert_eq!(api.code, None, "not an Intercom error object");
            assert!(api.message.contains("502 Bad Gateway"), "{api:?}");
            run.assert_stored(0);
        }
    }
}

#[tokio::test]
async fn a_delay_longer_than_the_timeout_is_a_timeout_retried_when_safe() {
    for op in ALL {
        let run = run_once(op, Fault::Delay(LONG_DELAY)).await;
        if op.is_safe() {
            assert_eq!(run.attempts, 2, "{run:?}");
            assert_eq!(run.sleeps.len(), 1, "{run:?}");
            assert!(run.sleeps[0] <= FIRST_BACKOFF, "{run:?}");
            run.assert_done_once();
        } else {
            // The note may or may not be stored later (the server may still act on it), so
            // it is not sent again.
            assert_eq!(run.attempts, 1, "{run:?}");
            assert!(run.sleeps.is_empty(), "{run:?}");
            assert!(
                matches!(&run.result, Err(Error::Timeout { operation, .. }) if operation == "create_note"),
                "{run:?}"
            );
        }
    }
}

#[tokio::test]
async fn a_connection_dropped_before_the_response() {
    for op in ALL {
        // Not processed: safe operations are sent again; the note is not, as the client cannot
        // know whether it was stored.
        let run = run_once(op, Fault::DropConnection).await;
        if op.is_safe() {
            assert_eq!(run.attempts, 2, "{run:?}");
            assert!(
                run.sleeps.len() == 1 && run.sleeps[0] <= FIRST_BACKOFF,
                "{run:?}"
            );
            run.assert_done_once();
        } else {
            assert_eq!(run.attempts, 1, "{run:?}");
            assert!(
                matches!(&run.result, Err(Error::Transport { .. })),
                "{run:?}"
            );
            run.assert_stored(0);
        }

        // Processed, then the answer lost: the replay of an event is a duplicate the server
        // drops; the note is stored once and not sent again.
        let run = run_once(op, Fault::DropConnection.after_processing()).await;
        if op.is_safe() {
            assert_eq!(run.attempts, 2, "{run:?}");
            run.assert_done_once();
        } else {
            assert_eq!(run.attempts, 1, "{run:?}");
            assert!(
                matches!(&run.result, Err(Error::Transport { .. })),
                "{run:?}"
            );
            run.assert_stored(1);
        }
    }
}

#[tokio::test]
async fn a_connection_dropped_mid_body() {
    for op in ALL {
        // Processed by default; the status and half the body arrived.
        let run = run_once(op, Fault::DropMidBody).await;
        if op.is_safe() {
            assert_eq!(run.attempts, 2, "{run:?}");
            assert!(
                run.sleeps.len() == 1 && run.sleeps[0] <= FIRST_BACKOFF,
                "{run:?}"
            );
            run.assert_done_once();
        } else {
            assert_eq!(run.attempts, 1, "{run:?}");
            assert!(
                matches!(&run.result, Err(Error::Transport { .. })),
                "{run:?}"
            );
            run.assert_stored(1);
        }
    }
}

#[tokio::test]
async fn a_damaged_json_body_is_a_decode_error_never_retried() {
    for fault in [Fault::TruncatedJson, Fault::MalformedJson] {
        for op in ALL {
            let run = run_once(op, fault.clone()).await;
            // A complete answer: no retry, whatever the operation.
            assert_eq!(run.attempts, 1, "{fault:?}: {run:?}");
            assert!(run.sleeps.is_empty(), "{run:?}");
            // The request was processed before its answer was damaged.
            run.assert_stored(1);
            if op == Op::Event {
                // 202 Accepted: the client does not read the body of an accepted event.
                assert!(run.result.is_ok(), "{fault:?}: {run:?}");
                continue;
            }
            let Err(Error::Decode(decode)) = &run.result else {
                panic!("expected Error::Decode for {fault:?}: {run:?}");
            };
            assert_eq!(decode.status.map(|s| s.as_u16()), Some(200), "{decode:?}");
            assert!(!decode.body_excerpt.is_empty(), "{decode:?}");
            assert!(decode.request_id.is_some(), "{decode:?}");
        }
    }
}

#[tokio::test]
async fn a_wrong_content_type_on_a_json_body_is_read_as_json() {
    for op in ALL {
        let run = run_once(op, Fault::JsonAsHtml).await;
        assert_eq!(run.attempts, 1, "{run:?}");
        assert!(run.sleeps.is_empty(), "{run:?}");
        run.assert_done_once();
    }
}

#[tokio::test]
async fn an_html_page_instead_of_the_answer_is_a_decode_error() {
    for op in ALL {
        // A captive portal: 200 with a login page; the request never reached the API.
        let run = run_once(op, Fault::HtmlPage).await;
        assert_eq!(run.attempts, 1, "{run:?}");
        run.assert_stored(0);
        let Err(Error::Decode(decode)) = &run.result else {
            panic!("expected Error::Decode: {run:?}");
        };
        assert_eq!(decode.path, ".", "{decode:?}");
        assert!(
            decode.body_excerpt.starts_with("<!DOCTYPE html>"),
            "{decode:?}"
        );
    }
}

#[tokio::test]
async fn faults_on_every_attempt_end_in_the_matching_error_after_three() {
    let read = Op::Read;
    let limited = run_once(
        read,
        Fault::TooManyRequests {
            retry_after: Duration::from_secs(1),
        }
        .times(3),
    )
    .await;
    assert_eq!(limited.attempts, 3);
    assert_eq!(limited.sleeps, [Duration::from_secs(1); 2]);
    let Err(Error::RateLimited(rate_limited)) = &limited.result else {
        panic!("{limited:?}")
    };
    assert_eq!(rate_limited.retry_after, Some(Duration::from_secs(1)));
    assert_eq!(rate_limited.operation, "get_user");

    let unavailable = run_once(read, Fault::Status(503).times(3)).await;
    assert_eq!(unavailable.attempts, 3);
    assert_eq!(unavailable.sleeps.len(), 2);
    assert!(
        unavailable.sleeps[1] <= 2 * FIRST_BACKOFF,
        "the ceiling doubles"
    );
    assert_eq!(unavailable.api_error().status.as_u16(), 503);
    assert!(unavailable.result.as_ref().unwrap_err().is_retryable());

    let gateway = run_once(read, Fault::BadGatewayHtml.times(3)).await;
    assert_eq!(gateway.attempts, 3);
    assert_eq!(gateway.api_error().status.as_u16(), 502);

    let dropped = run_once(read, Fault::DropConnection.times(3)).await;
    assert_eq!(dropped.attempts, 3);
    assert!(
        matches!(&dropped.result, Err(Error::Transport { .. })),
        "{dropped:?}"
    );

    let cut = run_once(read, Fault::DropMidBody.times(3)).await;
    assert_eq!(cut.attempts, 3);
    assert!(
        matches!(&cut.result, Err(Error::Transport { .. })),
        "{cut:?}"
    );

    let slow = run_once(read, Fault::Delay(LONG_DELAY).times(3)).await;
    assert_eq!(slow.attempts, 3);
    assert!(
        matches!(&slow.result, Err(Error::Timeout { .. })),
        "{slow:?}"
    );
    assert_eq!(slow.sleeps.len(), 2);
}

#[tokio::test]
async fn unsafe_writes_are_stored_once_after_a_5xx_that_followed_processing() {
    let server = DummyServer::builder().seed_users(1).start().await.unwrap();
    let clock = RecordingClock::system_time();
    let client: Arc<Client> = Arc::new(
        server
            .client_builder()
            .clock(clock.clone())
            .build()
            .unwrap(),
    );
    let faults = server.faults();
    let ben = || UserRef::user_id("1");
    let key = UserKey::user_id("1");

    faults.inject(
        Fault::Status(503)
            .on("POST", "/v1/users/notes")
            .after_processing(),
    );
    let error = client
        .notes()
        .create(ben(), "once")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.state().notes(&key).len(), 1, "one note, not two");

    faults.inject(
        Fault::Status(500)
            .on("POST", "/v1/users/message_threads")
            .after_processing(),
    );
    client
        .message_threads()
        .create(ben(), "hello")
        .send()
        .await
        .unwrap_err();
    assert_eq!(server.state().threads(&key).len(), 1, "one thread");

    let thread_id = server.state().threads(&key)[0].thread_id;
    faults.inject(
        Fault::Status(502)
            .on("PUT", "/v1/users/message_threads")
            .after_processing(),
    );
    client
        .message_threads()
        .reply(ben(), thread_id, "a reply")
        .send()
        .await
        .unwrap_err();
    let parts = server.state().threads(&key)[0].messages.len();

    faults.inject(Fault::Status(504).on("POST", "/v1/tags").after_processing());
    client.tags().create("VIP").send().await.unwrap_err();
    assert_eq!(server.state().tags().len(), 1, "one tag");

    for (method, path) in [
        ("POST", "/v1/users/notes"),
        ("POST", "/v1/users/message_threads"),
        ("PUT", "/v1/users/message_threads"),
        ("POST", "/v1/tags"),
    ] {
        assert_eq!(
            server.log().matching(method, path).len(),
            1,
            "{method} {path}"
        );
    }
    assert!(clock.sleeps().is_empty());
    assert_eq!(parts, 2, "the thread's message and one reply");
}
