//! `client.events()`: submit data events, list a user's events, read and add to summaries.

use std::{collections::BTreeMap, num::NonZeroU64};

use futures_util::{Stream, TryStreamExt};

use super::events_bulk::CreateMany;
use crate::{
    Client, Error, EventUser, identity::refuse_empty, operations, paginate, time::UnixTime, types,
};

/// Data events (`/events`).
///
/// ```no_run
/// use intercom_api::{EventUser, NewEvent, resources::Events};
/// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
/// let events: Events = client.events();
/// let user = EventUser::user_id("314159");
/// events.create(NewEvent::new("invited-friend", user.clone())).send().await?;
/// let latest = events.list(user).per_page(10).send().await?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct Events {
    client: Client,
}

impl Events {
    pub(crate) fn new(client: Client) -> Self {
        Events { client }
    }

    /// Submits one event (202 Accepted, also for a duplicate). Without `created_at`, the time of
    /// sending is used; a retry sends the same time, so Intercom counts the event once.
    ///
    /// ```no_run
    /// use intercom_api::{EventUser, NewEvent};
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let event = NewEvent::new("invited-friend", EventUser::user_id("314159"))
    ///     .metadata("invite_code", "ADDAFRIEND");
    /// client.events().create(event).send().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn create(&self, event: NewEvent) -> CreateEvent {
        CreateEvent {
            client: self.client.clone(),
            event,
        }
    }

    /// Submits many events with bounded concurrency; see [`CreateMany`].
    ///
    /// ```no_run
    /// use intercom_api::{EventUser, NewEvent};
    /// # async fn run(client: intercom_api::Client) {
    /// let signups = ["7902", "7903", "7904"].map(|id| NewEvent::new("signed-up", EventUser::user_id(id)));
    /// let report = client.events().create_many(signups).send().await;
    /// assert_eq!(report.submitted, 3);
    /// # }
    /// ```
    pub fn create_many<I>(&self, events: I) -> CreateMany<futures_util::stream::Iter<I::IntoIter>>
    where
        I: IntoIterator<Item = NewEvent>,
    {
        self.create_many_stream(futures_util::stream::iter(events))
    }

    /// [`create_many`](Self::create_many) for events that arrive as a stream.
    ///
    /// ```no_run
    /// use futures_util::StreamExt;
    /// use intercom_api::{EventUser, NewEvent};
    /// # async fn run(client: intercom_api::Client) {
    /// // Events produced as they come, e.g. read from a queue.
    /// let events = futures_util::stream::iter(1..=500)
    ///     .map(|i| NewEvent::new("viewed-page", EventUser::user_id(i.to_string())));
    /// let report = client.events().create_many_stream(events).concurrency(8).send().await;
    /// # }
    /// ```
    pub fn create_many_stream<S>(&self, events: S) -> CreateMany<S>
    where
        S: Stream<Item = NewEvent>,
    {
        CreateMany::new(self.client.clone(), events)
    }

    /// [`create_many`](Self::create_many) for events that carry their own index (e.g. their
    /// line number in a file, so that skipped lines keep the numbering of the others, which
    /// outcomes and a [journal](crate::journal) use); indices must increase.
    ///
    /// ```no_run
    /// use intercom_api::{EventUser, NewEvent};
    /// # async fn run(client: intercom_api::Client) {
    /// // Line 2 of the file was blank.
    /// let events = [(1, "signed-up"), (3, "upgraded-plan")]
    ///     .map(|(line, name)| (line, NewEvent::new(name, EventUser::user_id("7902"))));
    /// let report = client.events().create_many_indexed(events).send().await;
    /// # }
    /// ```
    pub fn create_many_indexed<I>(
        &self,
        events: I,
    ) -> CreateMany<futures_util::stream::Iter<I::IntoIter>>
    where
        I: IntoIterator<Item = (usize, NewEvent)>,
    {
        CreateMany::new(self.client.clone(), futures_util::stream::iter(events))
    }

    /// The user's events (less than 90 days old), newest first; `.stream()` follows
    /// `pages.next`.
    ///
    /// ```no_run
    /// use intercom_api::EventUser;
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let page = client.events().list(EventUser::email("ben@intercom.io")).send().await?;
    /// for event in &page.events {
    ///     println!("{} at {}", event.event_name, event.created_at);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn list(&self, user: EventUser) -> ListEvents {
        ListEvents {
            client: self.client.clone(),
            user,
            per_page: None,
        }
    }

    /// Per event name, how often and when first and last the user did it.
    ///
    /// ```no_run
    /// use intercom_api::EventUser;
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let summary = client.events().summary(EventUser::user_id("314159")).send().await?;
    /// for item in &summary.events {
    ///     println!("{}: {} times, last at {:?}", item.name, item.count, item.last);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn summary(&self, user: EventUser) -> GetEventSummary {
        GetEventSummary {
            client: self.client.clone(),
            user,
        }
    }

    /// Adds counts for an event name to the user's summary.
    ///
    /// Not retried after it may have reached Intercom (a replay would add the counts twice).
    ///
    /// ```no_run
    /// use intercom_api::{time::UnixTime, types};
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let counts = types::EventSummaryCounts {
    ///     event_name: "sent-message".to_string(),
    ///     count: 3,
    ///     first: UnixTime::from_unix(1_700_000_000).expect("in range"),
    ///     last: UnixTime::from_unix(1_700_086_400).expect("in range"),
    /// };
    /// client.events().submit_summaries("314159", counts).send().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn submit_summaries(
        &self,
        user_id: impl Into<String>,
        counts: types::EventSummaryCounts,
    ) -> SubmitSummaries {
        SubmitSummaries {
            client: self.client.clone(),
            body: types::EventSummariesRequest {
                user_id: user_id.into(),
                event_summaries: counts,
            },
        }
    }
}

/// An event to submit: its name, its user, and optionally when and metadata.
///
/// ```
/// use intercom_api::{EventUser, NewEvent, time::UnixTime, types::MonetaryAmount};
///
/// let event = NewEvent::new("ordered-item", EventUser::user_id("314159"))
///     .created_at(UnixTime::from_unix(1_700_000_000).unwrap())
///     .metadata("item", "T-shirt")
///     .metadata("quantity", 2)
///     .metadata("price", MonetaryAmount::new(2_499, "eur"))
///     .metadata("shipped_date", UnixTime::from_unix(1_700_086_400).unwrap());
/// assert_ne!(event, NewEvent::new("ordered-item", EventUser::user_id("314159")));
/// ```
#[derive(Clone, Debug, PartialEq)]
#[must_use]
pub struct NewEvent {
    event_name: String,
    user: EventUser,
    created_at: Option<UnixTime>,
    metadata: BTreeMap<String, types::MetadataValue>,
}

impl NewEvent {
    /// An event named `event_name` (a past-tense verb-noun reads best, e.g. `updated-plan`).
    ///
    /// ```
    /// use intercom_api::{EventUser, NewEvent};
    ///
    /// let by_email = NewEvent::new("invited-friend", EventUser::email("ben@intercom.io"));
    /// // Events of different users are different events, whatever their name.
    /// assert_ne!(by_email, NewEvent::new("invited-friend", EventUser::user_id("7902")));
    /// ```
    pub fn new(event_name: impl Into<String>, user: EventUser) -> Self {
        NewEvent {
            event_name: event_name.into(),
            user,
            created_at: None,
            metadata: BTreeMap::new(),
        }
    }

    /// When it happened (whole seconds; part of Intercom's de-duplication key).
    ///
    /// ```
    /// use intercom_api::{EventUser, NewEvent, time::UnixTime};
    ///
    /// let at = UnixTime::from_unix(1_700_000_000).unwrap();
    /// let event = NewEvent::new("upgraded-plan", EventUser::user_id("7902")).created_at(at);
    /// // A chrono time works too; sub-seconds are dropped, so this is the same event.
    /// let same = NewEvent::new("upgraded-plan", EventUser::user_id("7902"))
    ///     .created_at(at.as_datetime() + chrono::Duration::milliseconds(250));
    /// assert_eq!(event, same);
    /// ```
    pub fn created_at(mut self, at: impl Into<UnixTime>) -> Self {
        self.created_at = Some(at.into());
        self
    }

    /// One metadata value: a string, a number, a [`UnixTime`] (for keys ending in `_date`), a
    /// [`types::RichLink`] or a [`types::MonetaryAmount`].
    ///
    /// ```
    /// use intercom_api::{EventUser, NewEvent};
    ///
    /// let user = EventUser::user_id("7902");
    /// let event = NewEvent::new("updated-plan", user.clone()).metadata("plan", "free").metadata("plan", "pro");
    /// // A key set twice keeps its last value.
    /// assert_eq!(event, NewEvent::new("updated-plan", user).metadata("plan", "pro"));
    /// ```
    pub fn metadata(
        mut self,
        key: impl Into<String>,
        value: impl Into<types::MetadataValue>,
    ) -> Self {
        self.metadata.insert(key.into(), value.into());
        self
    }

    /// The SHA-256 of the event's content as given (name, user, `created_at` if set, metadata):
    /// what a [journal](crate::journal) compares between runs.
    pub(crate) fn fingerprint(&self) -> crate::journal::Fingerprint {
        use sha2::Digest;
        let user = match &self.user {
            EventUser::UserId(id) => ("user_id", id),
            EventUser::Email(email) => ("email", email),
            EventUser::IntercomId(id) => ("id", id),
        };
        let created_at = self.created_at.map(|at| at.unix());
        // Serializing strings, numbers and ordered maps cannot fail; a failure would only make
        // the fingerprint less specific, never panic.
        let content = serde_json::to_vec(&(1, &self.event_name, user, created_at, &self.metadata))
            .unwrap_or_default();
        sha2::Sha256::digest(content).into()
    }

    /// The request body, with `created_at` set to `now()` when it was not given (the clock is
    /// read only then).
    pub(crate) fn into_request(self, now: impl FnOnce() -> UnixTime) -> types::EventRequest {
        let (user_id, id, email) = match self.user {
            EventUser::UserId(user_id) => (Some(user_id), None, None),
            EventUser::IntercomId(id) => (None, Some(id), None),
            EventUser::Email(email) => (None, None, Some(email)),
        };
        types::EventRequest {
            event_name: self.event_name,
            created_at: self.created_at.unwrap_or_else(now),
            user_id,
            id,
            email,
            metadata: (!self.metadata.is_empty()).then_some(types::EventMetadata(self.metadata)),
        }
    }
}

/// `POST /events`.
///
/// ```no_run
/// use intercom_api::{EventUser, NewEvent, time::UnixTime};
/// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
/// let event = NewEvent::new("exported-report", EventUser::user_id("7902")).created_at(UnixTime::now());
/// let request = client.events().create(event);
/// // With its `created_at` fixed, a copy sent again is the same event to Intercom.
/// if let Err(error) = request.clone().send().await {
///     if error.is_retryable() {
///         request.send().await?;
///     }
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
#[must_use = "nothing is sent until .send()"]
pub struct CreateEvent {
    client: Client,
    event: NewEvent,
}

impl CreateEvent {
    /// Submits the event.
    ///
    /// ```no_run
    /// use intercom_api::{EventUser, NewEvent};
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let event = NewEvent::new("completed-onboarding", EventUser::email("ben@intercom.io"));
    /// client.events().create(event).send().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn send(self) -> Result<(), Error> {
        let body = self.event.into_request(|| self.client.now());
        send_event(&self.client, body).await
    }
}

/// How many metadata keys an event may have: `maxProperties` of the description's
/// `EventMetadata` (`None` if it sets no limit).
fn metadata_limit() -> Option<usize> {
    static LIMIT: std::sync::LazyLock<Option<usize>> = std::sync::LazyLock::new(|| {
        let schema = &crate::schema::description()["components"]["schemas"]["EventMetadata"];
        let limit = schema["maxProperties"].as_u64()?;
        usize::try_from(limit).ok()
    });
    *LIMIT
}

/// Submits one event body (shared with the bulk path).
pub(crate) async fn send_event(client: &Client, body: types::EventRequest) -> Result<(), Error> {
    let identity = [
        ("user_id", body.user_id.as_deref()),
        ("id", body.id.as_deref()),
        ("email", body.email.as_deref()),
    ];
    refuse_empty("create_event", &identity)?;
    let keys = body
        .metadata
        .as_ref()
        .map_or(0, |metadata| metadata.0.len());
    if let Some(limit) = metadata_limit()
        && keys > limit
    {
        return Err(Error::InvalidRequest {
            operation: "create_event".to_string(),
            message: format!(
                "`metadata` has {keys} keys; Intercom keeps at most {limit} and ignores the rest"
            ),
        });
    }
    let request = client.raw().create_event().body(body);
    client.call(&operations::CREATE_EVENT, request.send()).await
}

/// `GET /events?type=user&…`: a page of the user's events.
///
/// ```no_run
/// use intercom_api::EventUser;
/// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
/// let request = client.events().list(EventUser::intercom_id("63a0979a5eeebeaf28dd56ba")).per_page(25);
/// let first_page = request.clone().send().await?;
/// let all = request.collect_all().await?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
#[must_use = "nothing is sent until .send(), .pages(), .stream() or .collect_all()"]
pub struct ListEvents {
    client: Client,
    user: EventUser,
    per_page: Option<u64>,
}

impl ListEvents {
    /// Events per page.
    pub fn per_page(mut self, per_page: u64) -> Self {
        self.per_page = Some(per_page);
        self
    }

    /// Reads the first page.
    ///
    /// ```no_run
    /// use intercom_api::EventUser;
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let page = client.events().list(EventUser::user_id("314159")).send().await?;
    /// let more = page.pages.as_ref().and_then(|pages| pages.next.as_deref()).is_some();
    /// println!("{} events, more: {more}", page.events.len());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn send(self) -> Result<types::EventList, Error> {
        let per_page = match self.per_page {
            None => None,
            Some(n) => Some(NonZeroU64::new(n).ok_or_else(|| Error::InvalidRequest {
                operation: operations::LIST_EVENTS.name.to_string(),
                message: "per_page starts at 1".to_string(),
            })?),
        };
        self.user.refuse_empty("list_events", "intercom_user_id")?;
        let raw = self.client.raw();
        let mut request = raw.list_events().type_(types::EventsUserType::User);
        request = match self.user {
            EventUser::UserId(user_id) => request.user_id(user_id),
            EventUser::Email(email) => request.email(email),
            EventUser::IntercomId(id) => request.intercom_user_id(id),
        };
        if let Some(per_page) = per_page {
            request = request.per_page(per_page);
        }
        self.client
            .call(&operations::LIST_EVENTS, request.send())
            .await
    }

    /// Every page, following `pages.next` (only to the client's own host). The stream ends on
    /// the last page, on an empty page, or on a link already followed; after
    /// [`ClientBuilder::max_pages`](crate::ClientBuilder::max_pages) pages with more announced,
    /// it ends with [`Error::TooManyPages`].
    ///
    /// ```no_run
    /// use futures_util::TryStreamExt;
    /// use intercom_api::EventUser;
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let mut pages = std::pin::pin!(client.events().list(EventUser::user_id("314159")).pages());
    /// while let Some(page) = pages.try_next().await? {
    ///     println!("{} events on this page", page.events.len());
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn pages(self) -> impl Stream<Item = Result<types::EventList, Error>> + Send + 'static {
        let client = self.client.clone();
        paginate::linked(
            operations::LIST_EVENTS.name,
            client.max_pages(),
            move || self.send(),
            move |link| {
                let client = client.clone();
                async move { client.get_link(&operations::LIST_EVENTS, &link).await }
            },
        )
    }

    /// Every event of every page, one page in memory at a time.
    ///
    /// ```no_run
    /// use futures_util::TryStreamExt;
    /// use intercom_api::EventUser;
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let events = client.events().list(EventUser::user_id("314159")).stream();
    /// let invites = events.try_filter(|event| std::future::ready(event.event_name == "invited-friend"));
    /// let invites: Vec<_> = invites.try_collect().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn stream(self) -> impl Stream<Item = Result<types::Event, Error>> + Send + 'static {
        paginate::items(self.pages(), |page| page.events)
    }

    /// Every event, collected.
    ///
    /// ```no_run
    /// use intercom_api::EventUser;
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let events = client.events().list(EventUser::email("ben@intercom.io")).collect_all().await?;
    /// println!("{} events in the last 90 days", events.len());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn collect_all(self) -> Result<Vec<types::Event>, Error> {
        self.stream().try_collect().await
    }
}

/// `GET /events?summary=true&type=user&…`.
///
/// ```no_run
/// use intercom_api::EventUser;
/// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
/// let request = client.events().summary(EventUser::email("ben@intercom.io"));
/// let summary = request.send().await?;
/// let total: i64 = summary.events.iter().map(|item| item.count).sum();
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
#[must_use = "nothing is sent until .send()"]
pub struct GetEventSummary {
    client: Client,
    user: EventUser,
}

impl GetEventSummary {
    /// Reads the summary.
    ///
    /// ```no_run
    /// use intercom_api::EventUser;
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let summary = client.events().summary(EventUser::user_id("314159")).send().await?;
    /// let invites = summary.events.iter().find(|item| item.name == "invited-friend");
    /// println!("{:?}", invites.map(|item| item.count));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn send(self) -> Result<types::EventSummary, Error> {
        self.user
            .refuse_empty("get_event_summary", "intercom_user_id")?;
        let raw = self.client.raw();
        let request = raw
            .get_event_summary()
            .summary(true)
            .type_(types::EventsUserType::User);
        let request = match self.user {
            EventUser::UserId(user_id) => request.user_id(user_id),
            EventUser::Email(email) => request.email(email),
            EventUser::IntercomId(id) => request.intercom_user_id(id),
        };
        self.client
            .call(&operations::GET_EVENT_SUMMARY, request.send())
            .await
    }
}

/// `POST /events/summaries`.
///
/// ```no_run
/// use intercom_api::{time::UnixTime, types::EventSummaryCounts};
/// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
/// # let (first, last) = (UnixTime::from_unix(1_700_000_000).unwrap(), UnixTime::now());
/// // Counts kept elsewhere, added in one request; not replayed once it may have arrived.
/// let counts = EventSummaryCounts { event_name: "logged-in".to_string(), count: 12, first, last };
/// let request = client.events().submit_summaries("314159", counts);
/// request.send().await?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
#[must_use = "nothing is sent until .send()"]
pub struct SubmitSummaries {
    client: Client,
    body: types::EventSummariesRequest,
}

impl SubmitSummaries {
    /// Adds the counts.
    ///
    /// ```no_run
    /// use intercom_api::{time::UnixTime, types::EventSummaryCounts};
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let now = UnixTime::now();
    /// let once = EventSummaryCounts { event_name: "opened-app".to_string(), count: 1, first: now, last: now };
    /// client.events().submit_summaries("314159", once).send().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn send(self) -> Result<(), Error> {
        let user_id = Some(self.body.user_id.as_str());
        refuse_empty("submit_event_summaries", &[("user_id", user_id)])?;
        let request = self.client.raw().submit_event_summaries().body(self.body);
        self.client
            .call(&operations::SUBMIT_EVENT_SUMMARIES, request.send())
            .await
    }
}
