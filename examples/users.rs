//! Users: create (an upsert), read, update, list every page, delete.
//!
//! ```sh
//! cargo run --example users
//! ```

use futures_util::TryStreamExt;
use intercom_api::{Client, UserRef, time::UnixTime, types};
use intercom_dummy::DummyServer;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = DummyServer::builder().seed_users(1200).start().await?;
    // The same configuration as for Intercom itself, with the dummy server's URL.
    let client = Client::builder()
        .base_url(server.base_url())
        .basic("dummy-app-id", "dummy-api-key")
        .build()?;

    let ben = UserRef::both("7902", "ben@intercom.io");
    let company: types::Company = serde_json::from_value(serde_json::json!({
        "id": 6, "name": "Intercom", "created_at": 103201, "plan": "Messaging", "monthly_spend": 50
    }))?;
    let created = client
        .users()
        .create(ben.clone())
        .name("Ben McRedmond")
        .created_at(UnixTime::try_from(1_257_553_080)?)
        .last_seen_ip("1.2.3.4")
        .last_seen_user_agent("ie6")
        .custom_attribute("plan", "pro")
        .company(company)
        .send()
        .await?;
    println!(
        "created: {:?}, signed up {}",
        created.name,
        created
            .created_at
            .map(|t| t.to_string())
            .unwrap_or_default()
    );

    let by_email = client
        .users()
        .get(UserRef::email("ben@intercom.io"))
        .send()
        .await?;
    let by_id = client.users().get(UserRef::user_id("7902")).send().await?;
    assert_eq!(by_email, by_id);
    println!("custom data: {:?}", by_email.custom_data.map(|data| data.0));

    let updated = client
        .users()
        .update(ben.clone())
        .name("Benjamin McRedmond")
        .send()
        .await?;
    println!("renamed to {:?}", updated.name);

    // 1201 users in pages of 500: three requests, one page in memory at a time.
    let users = std::pin::pin!(client.users().list().per_page(500).stream());
    let count = users
        .try_fold(0usize, |n, _user| async move { Ok(n + 1) })
        .await?;
    println!("listed {count} users");

    let deleted = client.users().delete(ben).send().await?;
    println!("deleted {:?}", deleted.email);
    Ok(())
}
