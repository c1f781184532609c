//! Every error shape becomes the one `Error`, with its status, request id, the JSON path of a
//! decode failure, and a message a person can act on; the generated client decodes each API
//! family's error body; requests that could only go wrong are refused before they are sent.

use std::time::Duration;

use crate::support::{
    fixtures::{decode, fixture},
    mock::{builder_for, client_answering, raw_client_answering},
    raw_http::port_nobody_listens_on,
};
use intercom_api::{
    Client, Error, EventUser, NewEvent, RetryConfig, UserRef, time::UnixTime, types,
};
use serde_json::json;
use wiremock::{Mock, MockServer, ResponseTemplate, matchers::any};

async fn answering(response: ResponseTemplate) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(response)
        .mount(&server)
        .await;
    let client = builder_for(&server)
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    (server, client)
}

async fn get_ben(client: &Client) -> Error {
    client
        .users()
        .get(UserRef::email("ben@intercom.io"))
        .send()
        .await
        .unwrap_err()
}

#[tokio::test]
async fn v1_error_object() {
    let response = ResponseTemplate::new(404)
        .set_body_json(fixture("v1Error.not_found.json"))
        .insert_header("x-request-id", "req-404");
    let (_server, client) = answering(response).await;
    let error = get_ben(&client).await;
    let Error::Api(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.status.as_u16(), 404);
    assert_eq!(api.code.as_deref(), Some("not_found"));
    assert_eq!(api.message, "The User was not found");
    assert!(api.errors.is_empty());
    assert_eq!(error.request_id(), Some("req-404"));
    assert!(!error.is_retryable());
    assert_eq!(
        error.to_string(),
        "Intercom answered 404 Not Found to get_user: not_found: The User was not found (request id req-404)"
    );
}

#[tokio::test]
async fn unknown_error_types_still_decode() {
    let body = json!({"error": {"type": "quota_exceeded", "message": "Upgrade your plan"}});
    let (_server, client) = answering(ResponseTemplate::new(402).set_body_json(body)).await;
    let error = get_ben(&client).await;
    assert_eq!(error.status().map(|s| s.as_u16()), Some(402));
    let Error::Api(api) = error else { panic!() };
    assert_eq!(api.code.as_deref(), Some("quota_exceeded"));
}

#[tokio::test]
async fn events_error_list_keeps_every_entry_and_the_body_request_id() {
    let body = json!({
        "type": "error.list", "request_id": "7a7d8425-2c1b-46ab-8133-c043fc1e5711",
        "errors": [
            {"code": "parameter_invalid", "message": "event_name is too long", "field": "event_name"},
            {"code": "parameter_invalid", "message": "created_at is in the future"}
        ]
    });
    let (_server, client) = answering(ResponseTemplate::new(400).set_body_json(body)).await;
    let event = NewEvent::new("x".repeat(300), EventUser::user_id("1"));
    let error = client.events().create(event).send().await.unwrap_err();
    assert_eq!(
        error.request_id(),
        Some("7a7d8425-2c1b-46ab-8133-c043fc1e5711")
    );
    let Error::Api(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.code.as_deref(), Some("parameter_invalid"));
    assert_eq!(api.message, "event_name is too long");
    assert_eq!(api.errors.len(), 2);
    assert_eq!(api.errors[0].field.as_deref(), Some("event_name"));
}

#[tokio::test]
async fn an_html_502_from_a_proxy_keeps_its_status() {
    let html = "<html>\n  <body><h1>502 Bad Gateway</h1></body>\n</html>\n";
    let response = ResponseTemplate::new(502).set_body_raw(html, "text/html");
    let (_server, client) = answering(response).await;
    let error = get_ben(&client).await;
    let Error::Api(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.status.as_u16(), 502);
    assert_eq!(api.code, None);
    assert_eq!(
        api.message, "<html> <body><h1>502 Bad Gateway</h1></body> </html>",
        "one line"
    );
    assert!(error.is_retryable());
}

#[tokio::test]
async fn an_undocumented_status_with_an_empty_body() {
    let (_server, client) = answering(ResponseTemplate::new(403)).await;
    let error = get_ben(&client).await;
    let Error::Api(api) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(api.status.as_u16(), 403);
    assert_eq!(api.message, "Forbidden");
}

#[tokio::test]
async fn rate_limited_carries_the_wait_and_the_limit() {
    let response = ResponseTemplate::new(429)
        .set_body_json(
            json!({"error": {"type": "rate_limit_exceeded", "message": "Too many requests"}}),
        )
        .insert_header("retry-after", "9")
        .insert_header("x-ratelimit-limit", "500")
        .insert_header("x-ratelimit-remaining", "0")
        .insert_header("x-ratelimit-reset", "1700000010");
    let (_server, client) = answering(response).await;
    let error = get_ben(&client).await;
    assert_eq!(error.status().map(|s| s.as_u16()), Some(429));
    assert!(error.is_retryable());
    let Error::RateLimited(limited) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(limited.retry_after, Some(Duration::from_secs(9)));
    assert_eq!(
        limited.rate_limit.map(|l| (l.limit, l.remaining)),
        Some((500, 0))
    );
    assert_eq!(limited.message.as_deref(), Some("Too many requests"));
    assert!(
        error
            .to_string()
            .starts_with("Intercom's rate limit refused get_user; retry in 9.0 s"),
        "{error}"
    );
    // The client remembers the last rate limit it saw.
    assert_eq!(
        client.rate_limit().map(|l| l.reset.unix()),
        Some(1_700_000_010)
    );
}

#[tokio::test]
async fn a_body_of_the_wrong_shape_names_the_json_path() {
    let mut page = fixture("listUsers.response.completed.json");
    page["users"][1]["created_at"] = json!("2010-03-31");
    let (_server, client) = answering(ResponseTemplate::new(200).set_body_json(page)).await;
    let error = client.users().list().send().await.unwrap_err();
    let Error::Decode(decode) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(decode.path, "users[1].created_at");
    assert!(
        decode.message.contains("UNIX timestamp"),
        "{}",
        decode.message
    );
    assert!(
        decode.body_excerpt.contains("\"users\":[{"),
        "{}",
        decode.body_excerpt
    );
    assert!(decode.body_excerpt.ends_with('…'), "cut to an excerpt");
    assert_eq!(decode.status.map(|s| s.as_u16()), Some(200));
    assert!(
        error.to_string().contains("at users[1].created_at"),
        "{error}"
    );
}

#[tokio::test]
async fn a_success_body_that_is_not_json() {
    let response = ResponseTemplate::new(200).set_body_raw("OK", "text/plain");
    let (_server, client) = answering(response).await;
    let error = get_ben(&client).await;
    let Error::Decode(decode) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(decode.path, ".");
    assert_eq!(decode.body_excerpt, "OK");
}

#[tokio::test]
async fn no_answer_in_time_is_a_timeout() {
    let response = ResponseTemplate::new(200)
        .set_body_json(fixture("getUser.response.json"))
        .set_delay(Duration::from_secs(5));
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(response)
        .mount(&server)
        .await;
    let client = builder_for(&server)
        .retry(RetryConfig::disabled())
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let error = get_ben(&client).await;
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert!(error.is_retryable());
    assert_eq!(
        error.to_string(),
        "get_user got no answer within the attempt timeout of 200ms; raise \
         ClientBuilder::timeout or retry later"
    );
    // The URL reqwest keeps has lost its query: the email stays out of logged errors.
    let debug = format!("{error:?}");
    assert!(debug.contains("/v1/users/"), "{debug}");
    assert!(
        !debug.contains("ben@intercom.io") && !debug.contains("email="),
        "{debug}"
    );
}

#[tokio::test]
async fn an_unreachable_server_is_a_transport_error() {
    let port = port_nobody_listens_on();
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .basic("dummy-app-id", "dummy-api-key")
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    let error = get_ben(&client).await;
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    assert!(error.is_retryable());
    assert_eq!(error.status(), None);
    assert!(
        error
            .to_string()
            .starts_with("get_user could not reach Intercom"),
        "{error}"
    );
    // reqwest names the URL it could not reach: its origin and path, never the query, which
    // holds the user's email here.
    let (display, debug) = (error.to_string(), format!("{error:?}"));
    assert!(
        display.contains(&format!("http://127.0.0.1:{port}/v1/users/")),
        "{display}"
    );
    for shown in [&display, &debug] {
        assert!(
            !shown.contains("ben@intercom.io") && !shown.contains("email="),
            "{shown}"
        );
    }
}

#[tokio::test]
async fn calls_without_the_right_credential_are_not_sent() {
    let server = MockServer::start().await;
    let client = Client::builder()
        .base_url(server.uri())
        .token("tok")
        .build()
        .unwrap();
    let error = get_ben(&client).await;
    assert_eq!(
        error.to_string(),
        "get_user was not sent: getUser (GET /v1/users/) authenticates with an app id and API key (ClientBuilder::basic)"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn the_events_api_takes_no_basic_credentials() {
    let server = MockServer::start().await;
    let client = Client::builder()
        .base_url(server.uri())
        .basic("dummy-app-id", "dummy-api-key")
        .build()
        .unwrap();
    let event = NewEvent::new("e", EventUser::user_id("1"));
    let error = client.events().create(event).send().await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "create_event was not sent: createEvent (POST /events) authenticates with an access \
         token (ClientBuilder::token)"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn the_raw_get_user_without_an_identity_is_not_sent() {
    // Without `email` or `user_id` the request would be the list's, answered with a page of
    // users that decodes as an all-empty user.
    let (server, client) = answering(ResponseTemplate::new(200)).await;
    let error = client.raw().get_user().send().await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "Invalid Request: getUser needs one of the query parameters user_id, email"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

// What the generated client decodes of each API family's error body.

#[tokio::test]
async fn bearer_api_errors_decode_as_an_error_list() {
    let body = json!({"type": "error.list", "request_id": "r1",
                      "errors": [{"code": "not_found", "message": "User Not Found"}]});
    let (_server, client) = raw_client_answering(404, Some(body)).await;
    let err = client.get_contact().id("nope").send().await.unwrap_err();
    let progenitor_client::Error::ErrorResponse(response) = err else {
        panic!("expected an error response, got {err:?}");
    };
    assert_eq!(response.errors[0].code, "not_found");
}

#[tokio::test]
async fn v1_errors_decode_as_the_error_object() {
    let (_server, client) =
        raw_client_answering(404, Some(fixture("v1Error.not_found.json"))).await;
    let err = client
        .get_user()
        .email("nobody@example.com")
        .send()
        .await
        .unwrap_err();
    let progenitor_client::Error::ErrorResponse(response) = err else {
        panic!("expected an error response, got {err:?}");
    };
    assert_eq!(response.status().as_u16(), 404);
    assert_eq!(response.error.type_, "not_found");
}

#[tokio::test]
async fn events_errors_decode_as_an_error_list() {
    let (_server, client) =
        raw_client_answering(401, Some(fixture("createEvent.error.completed.json"))).await;
    let body: types::EventRequest = decode(fixture("createEvent.request.json"));
    let err = client.create_event().body(body).send().await.unwrap_err();
    let progenitor_client::Error::ErrorResponse(response) = err else {
        panic!("expected an error response, got {err:?}");
    };
    assert_eq!(response.errors[0].code, "unauthorized");
    assert_eq!(
        response.request_id.as_deref(),
        Some("212c8206-e7a6-44c8-8f27-5f0ad7f1d243")
    );
}

// Requests refused before they are sent.

#[tokio::test]
async fn empty_identities_are_refused_before_sending_naming_the_field() {
    use intercom_api::types::EventSummaryCounts;

    let (server, client) = client_answering(200, Some(json!({}))).await;
    let t = UnixTime::from_unix(1671028894).unwrap();
    let counts = EventSummaryCounts {
        event_name: "e".into(),
        count: 1,
        first: t,
        last: t,
    };
    let by_id = || UserRef::user_id("");
    let by_email = || UserRef::email("");
    let users = client.users();
    let threads = client.message_threads();
    let events = client.events();
    let refused = [
        ("user_id", "get_user", users.get(by_id()).send().await.err()),
        (
            "email",
            "get_user",
            users.get(by_email()).send().await.err(),
        ),
        (
            "user_id",
            "create_user",
            users.create(by_id()).send().await.err(),
        ),
        (
            "email",
            "update_user",
            users.update(UserRef::both("7902", "")).send().await.err(),
        ),
        (
            "email",
            "delete_user",
            users.delete(by_email()).send().await.err(),
        ),
        (
            "user_id",
            "create_note",
            client.notes().create(by_id(), "hi").send().await.err(),
        ),
        (
            "email",
            "create_impression",
            client.impressions().create(by_email()).send().await.err(),
        ),
        (
            "user_id",
            "list_message_threads",
            threads.list(by_id()).send().await.err(),
        ),
        (
            "email",
            "get_message_thread",
            threads.get(by_email(), 5).send().await.err(),
        ),
        (
            "user_id",
            "create_message_thread",
            threads.create(by_id(), "hi").send().await.err(),
        ),
        (
            "email",
            "reply_message_thread",
            threads.reply(by_email(), 5, "hi").send().await.err(),
        ),
        (
            "user_id",
            "create_event",
            events
                .create(NewEvent::new("e", EventUser::user_id("")))
                .send()
                .await
                .err(),
        ),
        (
            "id",
            "create_event",
            events
                .create(NewEvent::new("e", EventUser::intercom_id("")))
                .send()
                .await
                .err(),
        ),
        (
            "email",
            "list_events",
            events.list(EventUser::email("")).send().await.err(),
        ),
        (
            "intercom_user_id",
            "get_event_summary",
            events
                .summary(EventUser::intercom_id(""))
                .send()
                .await
                .err(),
        ),
        (
            "user_id",
            "submit_event_summaries",
            events.submit_summaries("", counts).send().await.err(),
        ),
    ];
    for (field, operation, error) in refused {
        let Some(Error::InvalidRequest {
            operation: op,
            message,
        }) = error
        else {
            panic!("{operation} with an empty {field}: {error:?}");
        };
        assert_eq!(op, operation);
        assert_eq!(
            message,
            format!("`{field}` is empty; a user is identified by a non-empty `{field}` (not sent)")
        );
    }
    let mut crowded = NewEvent::new("e", EventUser::user_id("314159"));
    for i in 0..11 {
        crowded = crowded.metadata(format!("key_{i}"), i);
    }
    let Err(Error::InvalidRequest { message, .. }) = events.create(crowded).send().await else {
        panic!("11 metadata keys were not refused");
    };
    assert_eq!(
        message,
        "`metadata` has 11 keys; Intercom keeps at most 10 and ignores the rest"
    );
    // A bulk submit accounts for the refused event as a failure, like any other.
    let report = events
        .create_many([NewEvent::new("e", EventUser::email(""))])
        .send()
        .await;
    assert_eq!(report.failures.len(), 1, "{report:?}");
    assert!(server.received_requests().await.unwrap().is_empty());
}
