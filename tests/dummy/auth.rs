//! The dummy server's authentication: Basic on /v1, Bearer or Basic on /events; credentials
//! that can be set and are never printed.

use crate::support::dummy_http::{Api, answer_to};
use intercom_dummy::{Credentials, DummyServer};
use serde_json::json;

#[tokio::test]
async fn v1_takes_the_docs_basic_credentials_and_nothing_else() {
    let api = Api::start().await;
    let url = api.url("/v1/users");
    // curl -s "https://api.intercom.io/v1/users" -u dummy-app-id:dummy-api-key
    let ok = answer_to(
        api.http
            .get(&url)
            .basic_auth("dummy-app-id", Some("dummy-api-key")),
    )
    .await;
    assert_eq!(ok.status, 200);

    let refused = [
        api.http.get(&url),
        api.http.get(&url).basic_auth("dummy-app-id", Some("wrong")),
        api.http
            .get(&url)
            .basic_auth("someone", Some("dummy-api-key")),
        api.http.get(&url).basic_auth("dummy-app-id", None::<&str>),
        api.http.get(&url).bearer_auth("dummy-access-token"),
        api.http
            .get(&url)
            .header("authorization", "Basic not-base64!"),
    ];
    for request in refused {
        let answer = answer_to(request).await;
        assert_eq!(answer.status, 401, "{}", answer.text);
        assert_eq!(
            answer.v1_error(),
            (
                "unauthorized".to_string(),
                "No valid API key provided".to_string()
            )
        );
        assert_eq!(
            answer.header("www-authenticate"),
            Some("Basic realm=\"Intercom\"")
        );
    }
}

#[tokio::test]
async fn events_take_the_bearer_token_and_not_basic() {
    let api = Api::start().await;
    api.create_user(json!({"user_id": "1"})).await;
    let url = api.url("/events");
    let event = json!({"event_name": "e", "created_at": 1, "user_id": "1"});
    let bearer = answer_to(
        api.http
            .post(&url)
            .bearer_auth("dummy-access-token")
            .json(&event),
    )
    .await;
    assert_eq!(bearer.status, 202);
    // The description gives the Data Events API only `bearerAuth`, as Intercom's documents do.
    for request in [
        api.http
            .post(&url)
            .basic_auth("dummy-app-id", Some("dummy-api-key"))
            .json(&event),
        api.http.post(&url).json(&event),
        api.http.post(&url).bearer_auth("wrong").json(&event),
        api.http
            .post(&url)
            .bearer_auth("dummy-api-key")
            .json(&event),
    ] {
        let answer = answer_to(request).await;
        assert_eq!(answer.status, 401);
        let errors = answer.error_list();
        assert_eq!(errors[0]["code"], "unauthorized");
        assert_eq!(
            answer.header("www-authenticate"),
            Some("Bearer realm=\"Intercom\"")
        );
    }
}

#[tokio::test]
async fn credentials_are_settable_and_never_printed() {
    let api = Api::start_with(
        DummyServer::builder()
            .app_id("app")
            .api_key("s3cret-key")
            .access_token("s3cret-token"),
    )
    .await;
    let url = api.url("/v1/users");
    let old = answer_to(
        api.http
            .get(&url)
            .basic_auth("dummy-app-id", Some("dummy-api-key")),
    )
    .await;
    assert_eq!(old.status, 401);
    let new = answer_to(api.http.get(&url).basic_auth("app", Some("s3cret-key"))).await;
    assert_eq!(new.status, 200);
    let token = answer_to(
        api.http
            .get(api.url("/events?type=user&user_id=x"))
            .bearer_auth("s3cret-token"),
    )
    .await;
    assert_eq!(token.status, 404, "authenticated; the user does not exist");

    let credentials = api.server.credentials().clone();
    assert_eq!(
        credentials,
        Credentials {
            app_id: "app".to_string(),
            api_key: "s3cret-key".to_string(),
            access_token: "s3cret-token".to_string(),
        }
    );
    for printed in [
        format!("{credentials:?}"),
        format!("{:?}", api.server),
        format!(
            "{:?}",
            DummyServer::builder()
                .api_key("s3cret-key")
                .access_token("s3cret-token")
        ),
    ] {
        assert!(!printed.contains("s3cret"), "{printed}");
    }
}
