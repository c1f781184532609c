//! The client is bounded whatever a server sends: answer sizes, error excerpts and decode
//! paths, page streams, rate-limit waits and the time of a whole call. Every case runs against a
//! hostile raw HTTP server on 127.0.0.1 (`support::hostile`), not the dummy server; the peak
//! memory of a call is measured in a process of its own (`memory`).

use intercom_api::{Client, ClientBuilder, Error, UserRef};
use serde_json::{Value, json};

use crate::support::{clock::RecordingClock, hostile::Hostile};

mod memory;
mod sizes;
mod streams;
mod waits;

fn builder(server: &Hostile) -> ClientBuilder {
    Client::builder()
        .base_url(server.url())
        .basic("dummy-app-id", "dummy-api-key")
        .token("dummy-access-token")
        .clock(RecordingClock::fixed())
}

async fn get_user(client: &Client) -> Result<intercom_api::types::User, Error> {
    client.users().get(UserRef::user_id("1")).send().await
}

fn user(n: usize) -> Value {
    json!({"type": "user", "id": format!("id-{n}"), "user_id": n.to_string(), "email": format!("u{n}@example.com")})
}
