//! Errors: what a failed call tells you, and what the client retries on its own.
//!
//! ```sh
//! cargo run --example errors
//! ```

use std::time::Duration;

use intercom_api::{Error, EventUser, NewEvent, RetryConfig, UserRef};
use intercom_dummy::{DummyServer, Fault, RateLimitConfig};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = DummyServer::builder()
        .rate_limit(RateLimitConfig::per_minute(30))
        .start()
        .await?;
    let client = server
        .client_builder()
        .retry(RetryConfig::standard().with_initial_backoff(Duration::from_millis(50)))
        .build()?;

    // An API error: status, Intercom's error type and message, the request id.
    match client
        .users()
        .get(UserRef::email("nobody@example.com"))
        .send()
        .await
    {
        Err(Error::Api(api)) => println!(
            "404: {} / {:?} / {} (request id {:?})",
            api.status, api.code, api.message, api.request_id
        ),
        other => println!("unexpected: {other:?}"),
    }

    // The events API's error.list is the same Error, with every entry kept.
    let event = NewEvent::new("signed-in", EventUser::email("ghost@example.com"));
    if let Err(error) = client.events().create(event).send().await {
        println!("events: {error}");
    }

    // Refused before sending: nothing reaches the server.
    if let Err(error) = client.users().list().per_page(600).send().await {
        println!("client-side: {error}");
    }

    // A 503 then success: reads are retried, the caller sees the user.
    client
        .users()
        .create(UserRef::email("ben@intercom.io"))
        .send()
        .await?;
    let gets = || server.log().matching("GET", "/v1/users/").len();
    let before = gets();
    server.faults().inject(Fault::Status(503).times(2));
    let ben = client
        .users()
        .get(UserRef::email("ben@intercom.io"))
        .send()
        .await?;
    println!(
        "after two 503s: {:?}, in {} requests",
        ben.email,
        gets() - before
    );

    // A note is not replayed after a 5xx (it might have been stored): the error is returned.
    server
        .faults()
        .inject(Fault::BadGatewayHtml.on("POST", "/v1/users/notes"));
    match client
        .notes()
        .create(UserRef::email("ben@intercom.io"), "hi")
        .send()
        .await
    {
        Err(error) => println!("note: {error} (retryable: {})", error.is_retryable()),
        Ok(_) => println!("note stored"),
    }

    // No answer in time.
    let impatient = server
        .client_builder()
        .timeout(Duration::from_millis(100))
        .retry(RetryConfig::disabled())
        .build()?;
    server.faults().inject(Fault::Delay(Duration::from_secs(2)));
    if let Err(error) = impatient
        .users()
        .get(UserRef::email("ben@intercom.io"))
        .send()
        .await
    {
        println!("timeout: {error}");
    }

    // The rate limit: the last X-RateLimit-* headers, then 429s once it is used up.
    let strict = server
        .client_builder()
        .retry(RetryConfig::disabled())
        .build()?;
    loop {
        match strict
            .users()
            .get(UserRef::email("ben@intercom.io"))
            .send()
            .await
        {
            Ok(_) => continue,
            Err(Error::RateLimited(limited)) => {
                println!(
                    "rate limited: retry after {:?}, limit {:?}",
                    limited.retry_after,
                    strict.rate_limit()
                );
                break;
            }
            Err(other) => return Err(other.into()),
        }
    }
    Ok(())
}
