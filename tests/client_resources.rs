//! Every call of the ergonomic layer sends the request the docs describe (real HTTP server on
//! 127.0.0.1) and returns the documented answer.

mod support;

use crate::support::{
    clock::{NOW, RecordingClock},
    fixtures::fixture,
    mock::{answer_all, assert_sent, builder_for},
};
use intercom_api::{Client, EventUser, NewEvent, RetryConfig, UserRef, time::UnixTime, types};
use serde_json::{Value, json};
use wiremock::MockServer;

async fn setup(status: u16, body: Option<Value>) -> (MockServer, Client) {
    let server = answer_all(status, body).await;
    let client = builder_for(&server)
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    (server, client)
}

fn ben() -> UserRef {
    UserRef::email("ben@intercom.io")
}

#[tokio::test]
async fn users_list_one_page_with_filters() {
    let (server, client) = setup(200, Some(fixture("listUsers.response.completed.json"))).await;
    let page = client
        .users()
        .list()
        .per_page(3)
        .tag_name("Free Trial")
        .send()
        .await
        .unwrap();
    assert_eq!(page.users.len(), 3);
    let query = [("per_page", "3"), ("tag_name", "Free Trial")];
    assert_sent(&server, "GET", "/v1/users", &query, None).await;
}

#[tokio::test]
async fn users_list_refuses_out_of_range_page_sizes_before_sending() {
    let (server, client) = setup(200, Some(fixture("listUsers.response.completed.json"))).await;
    let error = client
        .users()
        .list()
        .per_page(501)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "list_users was not sent: per_page is at most 500"
    );
    let error = client.users().list().page(0).send().await.unwrap_err();
    assert!(
        matches!(error, intercom_api::Error::InvalidRequest { .. }),
        "{error:?}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn users_get_by_email_and_by_user_id() {
    let (server, client) = setup(200, Some(fixture("getUser.response.json"))).await;
    let user = client.users().get(ben()).send().await.unwrap();
    assert_eq!(user.name.as_deref(), Some("Ben"));
    assert_sent(
        &server,
        "GET",
        "/v1/users/",
        &[("email", "ben@intercom.io")],
        None,
    )
    .await;

    let (server, client) = setup(200, Some(fixture("getUser.response.json"))).await;
    client
        .users()
        .get(UserRef::user_id("123"))
        .send()
        .await
        .unwrap();
    assert_sent(&server, "GET", "/v1/users/", &[("user_id", "123")], None).await;
}

#[tokio::test]
async fn users_create_sends_the_docs_example() {
    let (server, client) = setup(200, Some(fixture("createUser.response.json"))).await;
    let company: types::Company = serde_json::from_value(json!({
        "id": 6, "name": "Intercom", "created_at": 103201, "plan": "Messaging", "monthly_spend": 50
    }))
    .unwrap();
    let user = client
        .users()
        .create(UserRef::both("7902", "ben@intercom.io"))
        .name("Ben McRedmond")
        .created_at(UnixTime::from_unix(1257553080).unwrap())
        .custom_attribute("plan", "pro")
        .last_seen_ip("1.2.3.4")
        .last_seen_user_agent("ie6")
        .company(company)
        .last_request_at(UnixTime::from_unix(1300000000).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(user.user_id.as_deref(), Some("7902"));
    let body = fixture("createUser.request.json");
    assert_sent(&server, "POST", "/v1/users", &[], Some(body)).await;
}

#[tokio::test]
async fn users_update_and_delete() {
    let (server, client) = setup(200, Some(fixture("updateUser.response.json"))).await;
    client
        .users()
        .update(ben())
        .name("Benjamin McRedmond")
        .send()
        .await
        .unwrap();
    let body = fixture("updateUser.request.json");
    assert_sent(&server, "PUT", "/v1/users", &[], Some(body)).await;

    let (server, client) = setup(200, Some(fixture("deleteUser.response.json"))).await;
    let deleted = client
        .users()
        .delete(UserRef::both("7902", "ben@intercom.io"))
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.email.as_deref(), Some("ben@intercom.io"));
    let body = fixture("deleteUser.request.json");
    assert_sent(&server, "DELETE", "/v1/users", &[], Some(body)).await;
}

#[tokio::test]
async fn notes_create() {
    let (server, client) = setup(200, Some(fixture("createNote.response.json"))).await;
    let note = client
        .notes()
        .create(ben(), "This is the text of my note.")
        .send()
        .await
        .unwrap();
    assert_eq!(note.html, "<p>This is the text of my note.</p>");
    let body = fixture("createNote.request.json");
    assert_sent(&server, "POST", "/v1/users/notes", &[], Some(body)).await;
}

#[tokio::test]
async fn impressions_create() {
    let (server, client) = setup(200, Some(fixture("createImpression.response.json"))).await;
    let seen = client
        .impressions()
        .create(ben())
        .user_ip("1.2.3.4")
        .user_agent("my-awesome-android-app-v0.0.1")
        .current_url("https://example.org/pricing")
        .send()
        .await
        .unwrap();
    assert_eq!(seen.unread_messages, 1);
    let body = json!({
        "email": "ben@intercom.io", "user_ip": "1.2.3.4",
        "user_agent": "my-awesome-android-app-v0.0.1", "current_url": "https://example.org/pricing"
    });
    assert_sent(&server, "POST", "/v1/users/impressions", &[], Some(body)).await;
}

#[tokio::test]
async fn message_threads_list_and_get() {
    let (server, client) = setup(200, Some(fixture("listMessageThreads.response.json"))).await;
    let threads = client
        .message_threads()
        .list(ben())
        .current_url("https://example.org/")
        .send()
        .await
        .unwrap();
    assert_eq!(threads.len(), 1);
    let query = [
        ("current_url", "https://example.org/"),
        ("email", "ben@intercom.io"),
    ];
    assert_sent(&server, "GET", "/v1/users/message_threads", &query, None).await;

    let (server, client) = setup(200, Some(fixture("getMessageThread.response.json"))).await;
    let thread = client
        .message_threads()
        .get(ben(), 123)
        .send()
        .await
        .unwrap();
    assert_eq!(thread.thread_id, 5591);
    let query = [("email", "ben@intercom.io"), ("thread_id", "123")];
    assert_sent(&server, "GET", "/v1/users/message_threads", &query, None).await;
}

#[tokio::test]
async fn message_threads_create_reply_and_mark() {
    let (server, client) = setup(200, Some(fixture("createMessageThread.response.json"))).await;
    client
        .message_threads()
        .create(ben(), "Hey Intercom, What is up?")
        .url("http://example.com/my/sweet/url")
        .send()
        .await
        .unwrap();
    let body = fixture("createMessageThread.request.json");
    assert_sent(
        &server,
        "POST",
        "/v1/users/message_threads",
        &[],
        Some(body),
    )
    .await;

    let (server, client) = setup(200, Some(fixture("replyMessageThread.response.json"))).await;
    client
        .message_threads()
        .reply(ben(), 11547, "Not much either :(")
        .url("http://example.com/my/sweet/url")
        .send()
        .await
        .unwrap();
    let body = fixture("replyMessageThread.request.json");
    assert_sent(&server, "PUT", "/v1/users/message_threads", &[], Some(body)).await;

    for read in [true, false] {
        let (server, client) = setup(200, Some(fixture("replyMessageThread.response.json"))).await;
        let threads = client.message_threads();
        let request = if read {
            threads.mark_read(ben(), 5591)
        } else {
            threads.mark_unread(ben(), 5591)
        };
        request.send().await.unwrap();
        let body = json!({"email": "ben@intercom.io", "thread_id": 5591, "read": read});
        assert_sent(&server, "PUT", "/v1/users/message_threads", &[], Some(body)).await;
    }
}

#[tokio::test]
async fn tags_get_create_update() {
    let (server, client) = setup(200, Some(fixture("getTag.response.json"))).await;
    client.tags().get("Free Trial").send().await.unwrap();
    assert_sent(&server, "GET", "/v1/tags", &[("name", "Free Trial")], None).await;

    let (server, client) = setup(200, Some(fixture("createTag.response.json"))).await;
    client
        .tags()
        .create("Free Trial")
        .users([UserRef::user_id("abc123"), UserRef::user_id("def456")])
        .send()
        .await
        .unwrap();
    let body = fixture("createTag.request.json");
    assert_sent(&server, "POST", "/v1/tags", &[], Some(body)).await;

    let (server, client) = setup(200, Some(fixture("updateTag.response.json"))).await;
    client
        .tags()
        .update("Free Trial")
        .color(types::TagColor::Red)
        .send()
        .await
        .unwrap();
    let body = json!({"name": "Free Trial", "color": "red"});
    assert_sent(&server, "PUT", "/v1/tags", &[], Some(body)).await;
}

#[tokio::test]
async fn tags_tag_and_untag_users_by_user_id_or_email() {
    let users = || {
        [
            UserRef::user_id("abc123"),
            ben(),
            UserRef::both("def456", "d@example.com"),
        ]
    };
    let (server, client) = setup(200, Some(fixture("updateTag.response.json"))).await;
    client
        .tags()
        .tag_users("Free Trial", users())
        .send()
        .await
        .unwrap();
    let body = json!({
        "name": "Free Trial", "tag_or_untag": "tag",
        "user_ids": ["abc123", "def456"], "emails": ["ben@intercom.io"]
    });
    assert_sent(&server, "PUT", "/v1/tags", &[], Some(body)).await;

    let (server, client) = setup(200, Some(fixture("updateTag.response.json"))).await;
    client
        .tags()
        .untag_users("Free Trial", users())
        .send()
        .await
        .unwrap();
    let body = json!({
        "name": "Free Trial", "tag_or_untag": "untag",
        "user_ids": ["abc123", "def456"], "emails": ["ben@intercom.io"]
    });
    assert_sent(&server, "PUT", "/v1/tags", &[], Some(body)).await;
}

#[tokio::test]
async fn events_create_sends_the_version_header_and_metadata() {
    let server = answer_all(202, None).await;
    let client = builder_for(&server)
        .intercom_version("Preview")
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    let event = NewEvent::new("invited-friend", EventUser::user_id("314159"))
        .created_at(UnixTime::from_unix(1671028894).unwrap())
        .metadata("invite_code", "ADDAFRIEND")
        .metadata("count", 3)
        .metadata("invited_date", UnixTime::from_unix(1671028000).unwrap())
        .metadata("price", types::MonetaryAmount::new(34999, "eur"))
        .metadata(
            "article",
            types::RichLink::new("https://example.org/ab1de.html", "the dude abides"),
        );
    client.events().create(event).send().await.unwrap();
    let body = json!({
        "event_name": "invited-friend", "created_at": 1671028894, "user_id": "314159",
        "metadata": {
            "invite_code": "ADDAFRIEND", "count": 3, "invited_date": 1671028000,
            "price": {"amount": 34999, "currency": "eur"},
            "article": {"url": "https://example.org/ab1de.html", "value": "the dude abides"}
        }
    });
    let sent = assert_sent(&server, "POST", "/events", &[], Some(body.clone())).await;
    assert_eq!(sent.headers.get("intercom-version").unwrap(), "Preview");
    intercom_api::schema::validate_request("createEvent", &body).unwrap();
}

#[tokio::test]
async fn events_create_fills_created_at_when_missing() {
    let server = answer_all(202, None).await;
    let clock = RecordingClock::fixed();
    let client = builder_for(&server).clock(clock).build().unwrap();
    let event = NewEvent::new(
        "signed-in",
        EventUser::intercom_id("63a0979a5eeebeaf28dd56ba"),
    );
    client.events().create(event).send().await.unwrap();
    let body = json!({
        "event_name": "signed-in", "id": "63a0979a5eeebeaf28dd56ba",
        "created_at": NOW
    });
    assert_sent(&server, "POST", "/events", &[], Some(body)).await;
}

#[tokio::test]
async fn events_list_summary_and_summaries() {
    let (server, client) = setup(200, Some(fixture("listEvents.response.completed.json"))).await;
    let page = client
        .events()
        .list(EventUser::email("frodo.baggins@example.com"))
        .per_page(1)
        .send()
        .await
        .unwrap();
    assert_eq!(page.events[0].event_name, "invited-friend");
    let query = [
        ("email", "frodo.baggins@example.com"),
        ("per_page", "1"),
        ("type", "user"),
    ];
    assert_sent(&server, "GET", "/events", &query, None).await;

    let (server, client) = setup(200, Some(fixture("getEventSummary.response.json"))).await;
    let summary = client
        .events()
        .summary(EventUser::intercom_id("6762f22b1bb69f9f2193bc12"))
        .send()
        .await
        .unwrap();
    assert_eq!(summary.type_.as_deref(), Some("event.summary"));
    let query = [
        ("intercom_user_id", "6762f22b1bb69f9f2193bc12"),
        ("summary", "true"),
        ("type", "user"),
    ];
    assert_sent(&server, "GET", "/events", &query, None).await;

    let (server, client) = setup(200, None).await;
    let counts = types::EventSummaryCounts {
        event_name: "invited-friend".into(),
        count: 1,
        first: UnixTime::from_unix(1671028894).unwrap(),
        last: UnixTime::from_unix(1671028894).unwrap(),
    };
    client
        .events()
        .submit_summaries("314159", counts)
        .send()
        .await
        .unwrap();
    let body = fixture("submitEventSummaries.request.json");
    assert_sent(&server, "POST", "/events/summaries", &[], Some(body)).await;
}

#[tokio::test]
async fn empty_identities_are_refused_before_sending_naming_the_field() {
    use intercom_api::{Error, types::EventSummaryCounts};

    let (server, client) = setup(200, Some(json!({}))).await;
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
