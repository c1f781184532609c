//! `Client::from_env()` and `ClientBuilder::from_env()` against the real process environment:
//! the errors naming the variables, and the credentials read from `INTERCOM_APP_ID` with
//! `INTERCOM_API_KEY` or from `INTERCOM_ACCESS_TOKEN`. The test changes the environment, so it
//! runs alone in a process of its own (`support::own_process`). Requests go to a wiremock server
//! on 127.0.0.1 only, once the environment is no longer changed.

use intercom_api::{Client, ClientBuilder, EventUser, NewEvent, UserRef};

use crate::support::{
    mock::{answer_all, config_error},
    own_process,
};

const VARIABLES: [&str; 3] = [
    "INTERCOM_ACCESS_TOKEN",
    "INTERCOM_APP_ID",
    "INTERCOM_API_KEY",
];

fn set(name: &str, value: &str) {
    // SAFETY: the test runs alone in its process (`own_process`): no other thread reads the
    // environment.
    unsafe { std::env::set_var(name, value) }
}

fn unset(name: &str) {
    // SAFETY: the test runs alone in its process (`own_process`): no other thread reads the
    // environment.
    unsafe { std::env::remove_var(name) }
}

#[test]
fn from_env_reads_the_credentials_of_the_process_environment() {
    if !own_process::is_alone() {
        own_process::rerun_alone(
            module_path!(),
            "from_env_reads_the_credentials_of_the_process_environment",
            &[],
        );
        return;
    }
    VARIABLES.into_iter().for_each(unset);
    let message = config_error(Client::from_env());
    for name in VARIABLES {
        assert!(message.contains(name), "{message}");
    }

    set("INTERCOM_APP_ID", "env-app");
    set("INTERCOM_API_KEY", "");
    assert_eq!(
        config_error(Client::from_env()),
        "the environment variable INTERCOM_API_KEY is set but empty"
    );

    // A key read from a file with its trailing newline: refused, naming the variable.
    set("INTERCOM_API_KEY", "env-key\n");
    let message = config_error(Client::from_env());
    assert!(
        message.starts_with("the environment variable INTERCOM_API_KEY contains whitespace"),
        "{message}"
    );
    assert!(!message.contains("env-key"), "{message}");

    set("INTERCOM_API_KEY", "env-key");
    let basic = Client::from_env().unwrap();
    // No variable names a base URL: every other setting is the default.
    assert_eq!(basic.base_url(), "https://api.intercom.io");
    let basic = ClientBuilder::from_env().unwrap();

    VARIABLES.into_iter().for_each(unset);
    set("INTERCOM_ACCESS_TOKEN", "env-token");
    assert_eq!(
        Client::from_env().unwrap().base_url(),
        "https://api.intercom.io"
    );
    let bearer = ClientBuilder::from_env().unwrap();
    unset("INTERCOM_ACCESS_TOKEN");

    // The credentials really are the variables' values: sent to loopback, never to Intercom.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let server = answer_all(202, None).await;
        let basic = basic.base_url(server.uri()).build().unwrap();
        basic
            .users()
            .get(UserRef::email("ben@intercom.io"))
            .send()
            .await
            .ok();
        let bearer = bearer.base_url(server.uri()).build().unwrap();
        bearer
            .events()
            .create(NewEvent::new("e", EventUser::user_id("1")))
            .send()
            .await
            .unwrap();
        let requests = server.received_requests().await.unwrap();
        let sent: Vec<(&str, &str)> = requests
            .iter()
            .map(|r| {
                let auth = r.headers.get("authorization").unwrap().to_str().unwrap();
                (r.url.path(), auth)
            })
            .collect();
        // base64 of "env-app:env-key".
        assert_eq!(
            sent,
            [
                ("/v1/users/", "Basic ZW52LWFwcDplbnYta2V5"),
                ("/events", "Bearer env-token")
            ]
        );
    });
}
