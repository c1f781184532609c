//! Pagination: every page is read once, in order, one page at a time; a misbehaving server
//! cannot make a stream loop; next-page links never leave the client's host.

use crate::support::{fixtures::fixture, mock::builder_for};
use futures_util::{StreamExt, TryStreamExt};
use intercom_api::{Client, Error, EventUser, RetryConfig};
use serde_json::{Value, json};
use wiremock::{
    Mock, MockServer, ResponseTemplate,
    matchers::{method, path, query_param},
};

/// A page of `per_page` users numbered from `first`, claiming `next` as the next page.
fn users_page(page: u64, per_page: u64, total_pages: u64, next: Option<u64>) -> Value {
    let template = fixture("getUser.response.json");
    let users: Vec<Value> = (0..per_page)
        .map(|i| {
            let n = (page - 1) * per_page + i;
            let mut user = template.clone();
            user["email"] = json!(format!("user{n}@example.com"));
            user["user_id"] = json!(n.to_string());
            user
        })
        .collect();
    json!({
        "users": users, "total_count": per_page * total_pages, "page": page,
        "next_page": next, "previous_page": if page > 1 { json!(page - 1) } else { Value::Null },
        "total_pages": total_pages
    })
}

async fn mount_page(server: &MockServer, page: u64, body: Value) {
    Mock::given(method("GET"))
        .and(path("/v1/users"))
        .and(query_param("page", page.to_string()))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .expect(1)
        .mount(server)
        .await;
}

fn client(server: &MockServer) -> Client {
    builder_for(server)
        .retry(RetryConfig::disabled())
        .build()
        .unwrap()
}

#[tokio::test]
async fn users_stream_follows_next_page_across_pages() {
    let server = MockServer::start().await;
    mount_page(&server, 1, users_page(1, 3, 3, Some(2))).await;
    mount_page(&server, 2, users_page(2, 3, 3, Some(3))).await;
    mount_page(&server, 3, users_page(3, 3, 3, None)).await;
    let client = client(&server);

    let users = client
        .users()
        .list()
        .per_page(3)
        .collect_all()
        .await
        .unwrap();
    let emails: Vec<String> = users.iter().map(|u| u.email.clone().unwrap()).collect();
    let expected: Vec<String> = (0..9).map(|n| format!("user{n}@example.com")).collect();
    assert_eq!(emails, expected);

    let requests = server.received_requests().await.unwrap();
    let pages: Vec<String> = requests
        .iter()
        .map(|r| {
            r.url
                .query_pairs()
                .find(|(k, _)| k == "page")
                .unwrap()
                .1
                .into_owned()
        })
        .collect();
    assert_eq!(pages, ["1", "2", "3"]);
    assert!(
        requests
            .iter()
            .all(|r| r.url.query().unwrap().contains("per_page=3"))
    );
}

#[tokio::test]
async fn users_pages_yield_one_page_at_a_time_and_stop_at_the_first_error() {
    let server = MockServer::start().await;
    mount_page(&server, 1, users_page(1, 2, 3, Some(2))).await;
    Mock::given(method("GET"))
        .and(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(500).set_body_json(json!({
            "error": {"type": "server_error", "message": "Something went wrong"}
        })))
        .mount(&server)
        .await;
    let client = client(&server);

    let pages: Vec<Result<_, Error>> = client.users().list().per_page(2).pages().collect().await;
    assert_eq!(pages.len(), 2, "page 1, then the error, then nothing");
    assert_eq!(pages[0].as_ref().unwrap().users.len(), 2);
    let error = pages[1].as_ref().unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
}

#[tokio::test]
async fn users_stream_stops_when_next_page_repeats() {
    let server = MockServer::start().await;
    mount_page(&server, 1, users_page(1, 2, 5, Some(2))).await;
    // A misbehaving server: page 2 says the next page is 2 again, then 1.
    mount_page(&server, 2, users_page(2, 2, 5, Some(2))).await;
    let client = client(&server);
    let users = client
        .users()
        .list()
        .per_page(2)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(users.len(), 4, "pages 1 and 2 once each");

    let server = MockServer::start().await;
    mount_page(&server, 1, users_page(1, 2, 5, Some(2))).await;
    mount_page(&server, 2, users_page(2, 2, 5, Some(1))).await;
    let users = self::client(&server)
        .users()
        .list()
        .per_page(2)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(users.len(), 4, "going back to page 1 stops the stream");
}

#[tokio::test]
async fn users_stream_can_start_at_a_page_and_filter_by_tag() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(query_param("page", "3"))
        .and(query_param("tag_id", "17"))
        .respond_with(ResponseTemplate::new(200).set_body_json(users_page(3, 2, 3, None)))
        .expect(1)
        .mount(&server)
        .await;
    let users = client(&server)
        .users()
        .list()
        .page(3)
        .per_page(2)
        .tag_id("17")
        .collect_all()
        .await
        .unwrap();
    assert_eq!(users[0].email.as_deref(), Some("user4@example.com"));
}

fn events_page(server: &MockServer, names: &[&str], next: Option<&str>) -> Value {
    let events: Vec<Value> = names
        .iter()
        .map(|name| json!({"type": "event", "event_name": name, "created_at": 1671028894, "user_id": "314159"}))
        .collect();
    let pages = match next {
        Some(next) => json!({"next": format!("{}{next}", server.uri())}),
        None => json!({}),
    };
    json!({"type": "event.list", "events": events, "pages": pages})
}

#[tokio::test]
async fn events_stream_follows_pages_next() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/events"))
        .and(query_param("type", "user"))
        .and(query_param("user_id", "314159"))
        .and(wiremock::matchers::query_param_is_missing("before"))
        .respond_with(ResponseTemplate::new(200).set_body_json(events_page(
            &server,
            &["a", "b"],
            Some("/events?type=user&user_id=314159&per_page=2&before=2"),
        )))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/events"))
        .and(query_param("before", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(events_page(&server, &["c"], None)))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let names: Vec<String> = client
        .events()
        .list(EventUser::user_id("314159"))
        .per_page(2)
        .stream()
        .map_ok(|event| event.event_name)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(names, ["a", "b", "c"]);
    // The followed link carries the credentials too.
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        requests[1].headers.get("authorization").unwrap(),
        "Bearer dummy-access-token"
    );
}

#[tokio::test]
async fn events_stream_stops_when_a_link_repeats() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/events"))
        .respond_with(ResponseTemplate::new(200).set_body_json(events_page(
            &server,
            &["a"],
            Some("/events?type=user&user_id=1&cursor=same"),
        )))
        .mount(&server)
        .await;
    let events = client(&server)
        .events()
        .list(EventUser::user_id("1"))
        .collect_all()
        .await
        .unwrap();
    assert_eq!(
        events.len(),
        2,
        "the first page and the linked page once; the repeat stops it"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn events_stream_refuses_a_link_to_another_host() {
    let server = MockServer::start().await;
    let mut page = events_page(&server, &["a"], None);
    page["pages"]["next"] = json!("https://attacker.example/events?type=user&user_id=1");
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page))
        .mount(&server)
        .await;
    let results: Vec<_> = client(&server)
        .events()
        .list(EventUser::user_id("1"))
        .stream()
        .collect()
        .await;
    assert_eq!(results.len(), 2);
    assert!(results[0].is_ok());
    let error = results[1].as_ref().unwrap_err();
    assert!(
        error
            .to_string()
            .contains("points at https://attacker.example"),
        "{error}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}
