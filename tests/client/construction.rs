//! Building a client: credentials, base URLs (regions, trailing slash, proxies, insecure http),
//! headers, a caller-supplied reqwest client, and no secret in Debug output.

use crate::support::{
    fixtures::fixture,
    mock::{answer_all, builder_for, config_error},
};
use intercom_api::{Client, Error, EventUser, NewEvent, Region, RetryConfig, UserRef};

#[test]
fn regions_have_their_own_hosts() {
    for (region, url) in [
        (Region::Us, "https://api.intercom.io"),
        (Region::Eu, "https://api.eu.intercom.io"),
        (Region::Au, "https://api.au.intercom.io"),
    ] {
        let client = Client::builder().token("t").region(region).build().unwrap();
        assert_eq!(client.base_url(), url);
    }
    assert_eq!(
        Client::builder().token("t").build().unwrap().base_url(),
        "https://api.intercom.io"
    );
}

#[test]
fn credentials_are_required_and_not_empty() {
    let message = config_error(Client::builder().build());
    assert!(
        message.contains(".basic(app_id, api_key)") && message.contains(".token(access_token)")
    );
    assert_eq!(
        config_error(Client::builder().basic("", "key").build()),
        "the app id is empty"
    );
    assert_eq!(
        config_error(Client::builder().basic("app", " ").build()),
        "the API key is empty"
    );
    assert_eq!(
        config_error(Client::builder().token("").build()),
        "the access token is empty"
    );
    let message = config_error(Client::builder().token("secret-token\n").build());
    assert_eq!(
        message,
        "the access token contains whitespace or control characters (a trailing newline read \
         from a file?)"
    );
    assert!(!message.contains("secret"), "the secret is not echoed");
    let message = config_error(Client::builder().basic("app", "key with space").build());
    assert!(
        message.starts_with("the API key contains whitespace"),
        "{message}"
    );
    let message = config_error(Client::builder().basic("app:1", "key").build());
    assert!(message.contains("contains ':'"), "{message}");
    let message = config_error(Client::builder().token("tökén").build());
    assert_eq!(
        message,
        "the access token contains characters other than ASCII"
    );
}

#[tokio::test]
async fn redirects_are_reported_not_followed() {
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(
            wiremock::ResponseTemplate::new(302)
                .insert_header("location", "https://attacker.example/v1/users/"),
        )
        .mount(&server)
        .await;
    let client = builder_for(&server).build().unwrap();
    let error = client
        .users()
        .get(UserRef::user_id("1"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(302));
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[test]
fn plain_http_is_refused_except_on_loopback_or_when_allowed() {
    let message = config_error(
        Client::builder()
            .token("t")
            .base_url("http://intercom.example.com")
            .build(),
    );
    assert!(
        message.contains("plain http on a host other than loopback"),
        "{message}"
    );
    for loopback in [
        "http://127.0.0.1:4010",
        "http://localhost:4010/",
        "http://[::1]:4010",
    ] {
        Client::builder()
            .token("t")
            .base_url(loopback)
            .build()
            .unwrap();
    }
    Client::builder()
        .token("t")
        .base_url("http://intercom.internal")
        .allow_insecure_http()
        .build()
        .unwrap();
    let message = config_error(
        Client::builder()
            .token("t")
            .base_url("ftp://example.com")
            .build(),
    );
    assert!(message.contains("\"ftp\""), "{message}");
    let message = config_error(
        Client::builder()
            .token("t")
            .base_url("https://u:p@example.com")
            .build(),
    );
    assert!(message.contains("must not carry credentials"), "{message}");
    let message = config_error(Client::builder().token("t").base_url("not a url").build());
    assert!(message.contains("is not a URL"), "{message}");
}

#[tokio::test]
async fn a_trailing_slash_and_a_path_prefix_are_tolerated() {
    let server = answer_all(200, Some(fixture("getUser.response.json"))).await;
    let client = Client::builder()
        .base_url(format!("{}/", server.uri()))
        .basic("dummy-app-id", "dummy-api-key")
        .build()
        .unwrap();
    assert_eq!(client.base_url(), server.uri());
    client
        .users()
        .get(UserRef::user_id("1"))
        .send()
        .await
        .unwrap();

    let proxied = Client::builder()
        .base_url(format!("{}/intercom/", server.uri()))
        .basic("dummy-app-id", "dummy-api-key")
        .token("tok")
        .build()
        .unwrap();
    proxied
        .users()
        .get(UserRef::user_id("1"))
        .send()
        .await
        .unwrap();
    proxied
        .events()
        .create(NewEvent::new("e", EventUser::user_id("1")))
        .send()
        .await
        .ok();
    let requests = server.received_requests().await.unwrap();
    let paths: Vec<&str> = requests.iter().map(|r| r.url.path()).collect();
    assert_eq!(
        paths,
        ["/v1/users/", "/intercom/v1/users/", "/intercom/events"]
    );
    assert!(
        requests[2]
            .headers
            .get("authorization")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("Bearer")
    );
}

#[tokio::test]
async fn user_agent_and_intercom_version_headers() {
    let server = answer_all(202, None).await;
    let client = builder_for(&server)
        .user_agent("my-app/1.2")
        .intercom_version("2.11")
        .build()
        .unwrap();
    client
        .events()
        .create(NewEvent::new("e", EventUser::user_id("1")))
        .send()
        .await
        .unwrap();
    client.users().get(UserRef::user_id("1")).send().await.ok();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests[0].headers.get("user-agent").unwrap(), "my-app/1.2");
    assert_eq!(requests[0].headers.get("intercom-version").unwrap(), "2.11");
    assert!(
        requests[1].headers.get("intercom-version").is_none(),
        "only on the events API"
    );

    let default = Client::builder()
        .token("t")
        .base_url(server.uri())
        .build()
        .unwrap();
    default
        .events()
        .create(NewEvent::new("e", EventUser::user_id("1")))
        .send()
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    let agent = requests[2]
        .headers
        .get("user-agent")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(agent.starts_with("intercom-api-rust/"), "{agent}");
    // 2.14 unless told otherwise (the description's default), and none when asked for none.
    assert_eq!(requests[2].headers.get("intercom-version").unwrap(), "2.14");
    let without = Client::builder()
        .token("t")
        .base_url(server.uri())
        .without_intercom_version()
        .build()
        .unwrap();
    without
        .events()
        .create(NewEvent::new("e", EventUser::user_id("1")))
        .send()
        .await
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    assert!(requests[3].headers.get("intercom-version").is_none());
}

#[test]
fn debug_output_never_shows_a_secret() {
    let builder = Client::builder()
        .basic("my-app", "super-secret-key")
        .token("super-secret-token");
    let shown = format!("{builder:?}");
    assert!(
        shown.contains("my-app"),
        "the app id is not secret: {shown}"
    );
    assert!(shown.contains("[REDACTED]"), "{shown}");
    let client = builder.build().unwrap();
    for shown in [
        format!("{client:?}"),
        format!("{client:#?}"),
        format!("{:?}", client.raw()),
    ] {
        assert!(!shown.contains("super-secret"), "{shown}");
        // base64 of "my-app:super-secret-key" would leak the key as well.
        assert!(!shown.contains("bXktYXBw"), "{shown}");
    }
}

/// A reqwest client of the caller's, with a default header, a user agent and no timeout of its
/// own (reqwest's default).
fn custom_http_client() -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-proxy-tag", "abc".parse().unwrap());
    reqwest::Client::builder()
        .default_headers(headers)
        .user_agent("proxy-client/9")
        .build()
        .unwrap()
}

/// `users().get(ben@intercom.io)`, the request these tests send.
async fn get_ben(client: &Client) -> Result<intercom_api::types::User, Error> {
    client
        .users()
        .get(UserRef::email("ben@intercom.io"))
        .send()
        .await
}

#[tokio::test]
async fn a_custom_http_client_sends_the_requests_with_its_own_user_agent() {
    let server = answer_all(200, Some(fixture("getUser.response.json"))).await;
    let client = builder_for(&server)
        .user_agent("not-applied/1.0")
        .http_client(custom_http_client())
        .build()
        .unwrap();
    get_ben(&client).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    let headers = &requests[0].headers;
    assert_eq!(headers.get("x-proxy-tag").unwrap(), "abc");
    assert_eq!(
        headers.get("authorization").unwrap(),
        "Basic ZHVtbXktYXBwLWlkOmR1bW15LWFwaS1rZXk=",
        "the SDK's credentials still go out"
    );
    // Documented: `.user_agent()` is not applied; the custom client's agent is sent.
    assert_eq!(headers.get("user-agent").unwrap(), "proxy-client/9");
}

#[tokio::test]
async fn a_custom_http_client_keeps_its_own_timeout_and_redirect_policy() {
    let slow = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::any())
        .respond_with(
            wiremock::ResponseTemplate::new(200)
                .set_body_json(fixture("getUser.response.json"))
                .set_delay(std::time::Duration::from_millis(400)),
        )
        .mount(&slow)
        .await;
    let short_timeout = || {
        builder_for(&slow)
            .timeout(std::time::Duration::from_millis(100))
            .retry(RetryConfig::disabled())
    };
    // The builder's own client gives up after 100 ms...
    let error = get_ben(&short_timeout().build().unwrap())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    // ...while `.timeout()` is not applied to a custom client.
    get_ben(
        &short_timeout()
            .http_client(custom_http_client())
            .build()
            .unwrap(),
    )
    .await
    .unwrap();

    // reqwest's default policy follows redirects (the builder's own client reports them).
    let moved = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::path("/v1/users/"))
        .respond_with(
            wiremock::ResponseTemplate::new(302)
                .insert_header("location", format!("{}/moved", moved.uri())),
        )
        .mount(&moved)
        .await;
    wiremock::Mock::given(wiremock::matchers::path("/moved"))
        .respond_with(
            wiremock::ResponseTemplate::new(200).set_body_json(fixture("getUser.response.json")),
        )
        .mount(&moved)
        .await;
    get_ben(
        &builder_for(&moved)
            .http_client(custom_http_client())
            .build()
            .unwrap(),
    )
    .await
    .unwrap();
    let paths: Vec<String> = moved
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.url.path().to_string())
        .collect();
    assert_eq!(paths, ["/v1/users/", "/moved"]);
}
