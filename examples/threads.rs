//! Message threads: start one as a user, reply, mark read and unread, list, read one.
//!
//! ```sh
//! cargo run --example threads
//! ```

use intercom_api::UserRef;
use intercom_dummy::DummyServer;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = DummyServer::start().await?;
    let client = server.client();
    let ben = UserRef::email("ben@intercom.io");
    client
        .users()
        .create(ben.clone())
        .name("Ben")
        .send()
        .await?;

    let thread = client
        .message_threads()
        .create(ben.clone(), "Hey Intercom, What is up?")
        .url("http://example.com/my/sweet/url")
        .send()
        .await?;
    println!("thread {} started", thread.thread_id);

    client
        .message_threads()
        .reply(ben.clone(), thread.thread_id, "Not much either :(")
        .send()
        .await?;
    let read = client
        .message_threads()
        .mark_read(ben.clone(), thread.thread_id)
        .send()
        .await?;
    println!("read: {:?}", read.read);
    let unread = client
        .message_threads()
        .mark_unread(ben.clone(), thread.thread_id)
        .send()
        .await?;
    println!("read: {:?}", unread.read);

    for thread in client.message_threads().list(ben.clone()).send().await? {
        println!(
            "thread {}: {} message(s)",
            thread.thread_id,
            thread.messages.len()
        );
    }
    let one = client
        .message_threads()
        .get(ben, thread.thread_id)
        .send()
        .await?;
    for message in one.messages {
        let from = message
            .from
            .and_then(|author| author.email)
            .unwrap_or_else(|| "your team".into());
        println!("  {from}: {}", message.html);
    }
    Ok(())
}
