//! The quickstart: a tour of the SDK against the embedded dummy Intercom server.
//!
//! ```sh
//! cargo run --example quickstart
//! ```
//!
//! It starts the dummy server in this process, then, with the ergonomic client: creates users,
//! lists them page by page, tags some, adds a note, records an impression, opens and replies to
//! a message thread, sends events (one of them twice), reads the event summary, starts a
//! conversation with a user through the Bearer-token API and reads it back, handles a 404, and
//! deletes a user.

use futures_util::TryStreamExt;
use intercom_api::{Error, EventUser, NewEvent, UserRef, time::UnixTime, types::TagColor};
use intercom_dummy::{DummyServer, UserKey};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = DummyServer::start().await?;
    println!("dummy Intercom server on {}", server.base_url());
    // A client with the server's credentials; with real Intercom it would be
    // `Client::builder().basic(app_id, api_key).token(access_token).build()?`.
    let client = server.client();

    // Users: an upsert by user_id or email.
    let team = [
        ("7902", "ben@intercom.io", "Ben McRedmond"),
        ("7903", "eoghan@intercom.io", "Eoghan McCabe"),
    ];
    for (user_id, email, name) in team {
        let user = client
            .users()
            .create(UserRef::both(user_id, email))
            .name(name)
            .created_at(UnixTime::try_from(1_257_553_080)?)
            .custom_attribute("plan", "pro")
            .send()
            .await?;
        println!(
            "created user {} <{}>",
            user.name.unwrap_or_default(),
            user.email.unwrap_or_default()
        );
    }
    for i in 0..5 {
        let email = format!("trial{i}@example.com");
        client
            .users()
            .create(UserRef::email(email))
            .name(format!("Trial user {i}"))
            .send()
            .await?;
    }

    // Listing: two users per page, every page followed.
    let mut pages = std::pin::pin!(client.users().list().per_page(2).pages());
    while let Some(page) = pages.try_next().await? {
        let emails: Vec<String> = page.users.iter().filter_map(|u| u.email.clone()).collect();
        println!(
            "page {} of {}: {}",
            page.page,
            page.total_pages,
            emails.join(", ")
        );
    }

    // Tags.
    let trial_users = (0..3).map(|i| UserRef::email(format!("trial{i}@example.com")));
    let tag = client
        .tags()
        .create("Free Trial")
        .color(TagColor::Green)
        .users(trial_users)
        .send()
        .await?;
    println!(
        "tag {:?} ({}) on {} users",
        tag.name,
        tag.color.unwrap_or_default(),
        tag.tagged_user_count.unwrap_or(0)
    );
    let tagged = client
        .users()
        .list()
        .tag_name("Free Trial")
        .collect_all()
        .await?;
    println!("users tagged Free Trial: {}", tagged.len());

    // A note and an impression.
    let ben = UserRef::email("ben@intercom.io");
    let note = client
        .notes()
        .create(ben.clone(), "Called about the pro plan")
        .send()
        .await?;
    println!("note added: {}", note.html);
    let seen = client
        .impressions()
        .create(ben.clone())
        .user_ip("1.2.3.4")
        .current_url("https://example.org/pricing")
        .send()
        .await?;
    println!(
        "impression recorded; {} unread message(s)",
        seen.unread_messages
    );

    // A message thread and a reply.
    let thread = client
        .message_threads()
        .create(ben.clone(), "Hey Intercom, What is up?")
        .url("http://example.com/my/sweet/url")
        .send()
        .await?;
    let thread = client
        .message_threads()
        .reply(ben.clone(), thread.thread_id, "Not much either :(")
        .send()
        .await?;
    println!(
        "thread {} has {} message(s)",
        thread.thread_id,
        thread.messages.len()
    );
    for message in &thread.messages {
        println!("  {}", message.html);
    }

    // Events: the same event twice is one event to Intercom (same user, name and created_at).
    let at = UnixTime::try_from(1_671_028_894)?;
    let invited = NewEvent::new("invited-friend", EventUser::user_id("7902"))
        .created_at(at)
        .metadata("invite_code", "ADDAFRIEND");
    client.events().create(invited.clone()).send().await?;
    client.events().create(invited).send().await?;
    let visits = (1..=3).map(|i| {
        NewEvent::new("viewed-pricing", EventUser::email("ben@intercom.io"))
            .created_at(at.as_datetime() + chrono::Duration::seconds(i))
            .metadata("visit", i)
    });
    let report = client.events().create_many(visits).send().await;
    println!(
        "events: {} of {} accepted in bulk",
        report.accepted, report.submitted
    );
    let stored = server
        .state()
        .event_count(&UserKey::email("ben@intercom.io"));
    println!("the server holds {stored} events for Ben (the duplicate was not stored)");

    let summary = client
        .events()
        .summary(EventUser::user_id("7902"))
        .send()
        .await?;
    for item in &summary.events {
        println!("  {}: {} time(s)", item.name, item.count);
    }

    // The Bearer-token API (the access token): Ben as a contact, the same person as above,
    // and a conversation an admin starts with him, read back by its id.
    let ben_contact = client
        .contacts()
        .create("ben@intercom.io")
        .signed_up_at(UnixTime::try_from(1_257_553_080)?)
        .send()
        .await?;
    println!(
        "contact {} is {:?}, external_id {:?}",
        ben_contact.id, ben_contact.name, ben_contact.external_id
    );
    let message = client
        .conversations()
        .create("814860", &ben_contact.id, "Hello, how can I assist you?")
        .send()
        .await?;
    let conversation_id = message.conversation_id.unwrap_or_default();
    let conversation = client.conversations().get(&conversation_id).send().await?;
    let first = conversation.source.as_ref();
    println!(
        "conversation {} ({}): {:?} from admin {:?}",
        conversation.id,
        conversation.state.as_deref().unwrap_or_default(),
        first.and_then(|s| s.body.as_deref()).unwrap_or_default(),
        first
            .and_then(|s| s.author.as_ref()?.id.as_deref())
            .unwrap_or_default()
    );
    let open = client
        .conversations()
        .list()
        .per_page(50)
        .collect_all()
        .await?;
    println!("{} conversation(s) in the workspace", open.len());

    // A 404, handled.
    match client
        .users()
        .get(UserRef::email("nobody@example.com"))
        .send()
        .await
    {
        Err(Error::Api(api)) if api.status.as_u16() == 404 => {
            println!(
                "nobody@example.com: {} ({})",
                api.message,
                api.code.unwrap_or_default()
            );
        }
        other => println!("unexpected: {other:?}"),
    }

    // Deleting a user.
    let deleted = client
        .users()
        .delete(UserRef::email("trial4@example.com"))
        .send()
        .await?;
    println!(
        "deleted {}; {} users left",
        deleted.email.unwrap_or_default(),
        server.state().user_count()
    );
    Ok(())
}
