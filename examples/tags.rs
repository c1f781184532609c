//! Tags: create one that tags users, tag and untag more, read it, list the users it tags.
//!
//! ```sh
//! cargo run --example tags
//! ```

use intercom_api::{UserRef, types::TagColor};
use intercom_dummy::DummyServer;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = DummyServer::builder().seed_users(10).start().await?;
    let client = server.client();
    // Seeded users are user1@example.com … user10@example.com, with user_ids "1" … "10".
    let user = |i: usize| UserRef::user_id(i.to_string());

    let tag = client
        .tags()
        .create("Free Trial")
        .color(TagColor::Teal)
        .users([user(1), user(2), UserRef::email("user3@example.com")])
        .send()
        .await?;
    println!(
        "created {:?} ({:?}), {:?} users",
        tag.name, tag.color, tag.tagged_user_count
    );

    client
        .tags()
        .tag_users("Free Trial", [user(4), user(5)])
        .send()
        .await?;
    client
        .tags()
        .untag_users("Free Trial", [user(1)])
        .send()
        .await?;
    client
        .tags()
        .update("Free Trial")
        .color(TagColor::Gold)
        .send()
        .await?;

    let tag = client.tags().get("Free Trial").send().await?;
    println!("now {:?}, {:?} users", tag.color, tag.tagged_user_count);

    let tagged = client
        .users()
        .list()
        .tag_name("Free Trial")
        .collect_all()
        .await?;
    let emails: Vec<String> = tagged.into_iter().filter_map(|u| u.email).collect();
    println!("tagged: {}", emails.join(", "));
    Ok(())
}
