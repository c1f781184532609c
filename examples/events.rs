//! Data events: one with every kind of metadata, many at once, list them page by page, read the
//! summary, add counts.
//!
//! ```sh
//! cargo run --example events
//! ```

use futures_util::TryStreamExt;
use intercom_api::{
    EventUser, NewEvent, UserRef,
    time::UnixTime,
    types::{EventSummaryCounts, MetadataValue, MonetaryAmount, RichLink},
};
use intercom_dummy::DummyServer;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = DummyServer::start().await?;
    // Events calls carry the Bearer token and, when set, the Intercom-Version header.
    let client = server.client_builder().intercom_version("2.11").build()?;
    client
        .users()
        .create(UserRef::both("314159", "frodo.baggins@example.com"))
        .send()
        .await?;
    let frodo = || EventUser::user_id("314159");

    let ordered = NewEvent::new("ordered-item", frodo())
        .created_at(UnixTime::try_from(1_392_036_272)?)
        .metadata("source", "desktop")
        .metadata(
            "load",
            MetadataValue::float(3.67).unwrap_or(MetadataValue::from(3)),
        )
        .metadata("contact_date", UnixTime::try_from(1_392_036_272)?)
        .metadata(
            "article",
            RichLink::new("https://example.org/ab1de.html", "the dude abides"),
        )
        .metadata("price", MonetaryAmount::new(34999, "eur"));
    client.events().create(ordered).send().await?;

    // 100 page views, 8 requests in flight at a time; created_at is fixed before the first try.
    let start = UnixTime::try_from(1_700_000_000)?;
    let views = (0..100).map(|i| {
        NewEvent::new("viewed-page", frodo())
            .created_at(start.as_datetime() + chrono::Duration::seconds(i))
            .metadata("page", format!("/docs/{i}"))
    });
    let report = client
        .events()
        .create_many(views)
        .concurrency(8)
        .send()
        .await;
    println!(
        "bulk: {} submitted, {} accepted, {} failed",
        report.submitted,
        report.accepted,
        report.failures.len()
    );

    let mut pages = std::pin::pin!(client.events().list(frodo()).per_page(40).pages());
    while let Some(page) = pages.try_next().await? {
        println!(
            "a page of {} events (more: {})",
            page.events.len(),
            page.pages.and_then(|p| p.next).is_some()
        );
    }

    let counts = EventSummaryCounts {
        event_name: "invited-friend".into(),
        count: 5,
        first: UnixTime::try_from(1_671_028_894)?,
        last: UnixTime::try_from(1_671_028_994)?,
    };
    client
        .events()
        .submit_summaries("314159", counts)
        .send()
        .await?;
    let summary = client.events().summary(frodo()).send().await?;
    for item in summary.events {
        let last = item.last.map(|t| t.to_string()).unwrap_or_default();
        println!("{}: {} time(s), last {last}", item.name, item.count);
    }
    Ok(())
}
