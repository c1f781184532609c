//! The Data Events API (`/events`): submit, list, summary, summaries.

use std::num::NonZeroU64;

use intercom_api::{EventUser, NewEvent, RetryConfig, time::UnixTime, types};
use serde_json::json;

use crate::support::{
    clock::{NOW, RecordingClock},
    fixtures::{decode, fixture},
    mock::{answer_all, assert_sent, builder_for, client_answering, raw_client_answering},
};

// The request each operation of the generated client sends, and its documented answer.

#[tokio::test]
async fn create_event_is_accepted_with_an_empty_body() {
    let request = fixture("createEvent.request.json");
    let (server, client) = raw_client_answering(202, None).await;
    let body: types::EventRequest = decode(request.clone());
    let accepted = client
        .create_event()
        .intercom_version("2.14")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.status().as_u16(), 202);
    let sent = assert_sent(&server, "POST", "/events", &[], Some(request)).await;
    assert_eq!(sent.headers.get("intercom-version").unwrap(), "2.14");
}

#[tokio::test]
async fn list_events() {
    let page = fixture("listEvents.response.completed.json");
    let (server, client) = raw_client_answering(200, Some(page.clone())).await;
    let events = client
        .list_events()
        .type_(types::EventsUserType::User)
        .user_id("314159")
        .per_page(NonZeroU64::new(1).unwrap())
        .intercom_version("2.14")
        .send()
        .await
        .unwrap();
    // The docs: `/events?type=user&user_id={user_id}`; parameters go in alphabetical order.
    let query = [("per_page", "1"), ("type", "user"), ("user_id", "314159")];
    let sent = assert_sent(&server, "GET", "/events", &query, None).await;
    assert_eq!(sent.headers.get("intercom-version").unwrap(), "2.14");
    assert_eq!(events.into_inner(), decode::<types::EventList>(page));
}

#[tokio::test]
async fn get_event_summary() {
    let summary = fixture("getEventSummary.response.json");
    let (server, client) = raw_client_answering(200, Some(summary.clone())).await;
    let got = client
        .get_event_summary()
        .summary(true)
        .type_(types::EventsUserType::User)
        .user_id("string")
        .send()
        .await
        .unwrap();
    // The docs' curl line: `/events?summary=true&type=string&user_id=string`, with the `type`
    // their text gives (`user`; see the description).
    let query = [("summary", "true"), ("type", "user"), ("user_id", "string")];
    assert_sent(&server, "GET", "/events", &query, None).await;
    assert_eq!(got.into_inner(), decode::<types::EventSummary>(summary));
}

#[tokio::test]
async fn submit_event_summaries() {
    let request = fixture("submitEventSummaries.request.json");
    let (server, client) = raw_client_answering(200, None).await;
    let body: types::EventSummariesRequest = decode(request.clone());
    client
        .submit_event_summaries()
        .body(body)
        .send()
        .await
        .unwrap();
    assert_sent(&server, "POST", "/events/summaries", &[], Some(request)).await;
}

// The handle, `client.events()`.

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
    let (server, client) =
        client_answering(200, Some(fixture("listEvents.response.completed.json"))).await;
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

    let (server, client) =
        client_answering(200, Some(fixture("getEventSummary.response.json"))).await;
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

    let (server, client) = client_answering(200, None).await;
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
