//! Data events: stored per user, de-duplicated on (user, event_name, created_at), listed newest
//! first a page at a time, and counted per event name.

use std::collections::{BTreeMap, HashSet};

use serde_json::{Value, json};

use super::{Store, StoreError, UserKey};
use crate::ids;
use intercom_api::{time::UnixTime, types};

/// A position in a user's event list: `(created_at, arrival)` of an event.
pub(crate) type EventPosition = (i64, u64);

/// One user's events and counts.
#[derive(Clone, Debug, Default)]
pub(crate) struct UserEvents {
    /// Ordered by `created_at`, then arrival; the list reads it backwards (newest first).
    by_time: BTreeMap<EventPosition, types::Event>,
    /// The de-duplication keys seen: `(event_name, created_at)`.
    seen: HashSet<(String, i64)>,
    /// Per event name: count, first, last (events plus `POST /events/summaries`).
    summary: BTreeMap<String, Counted>,
    next: u64,
}

#[derive(Clone, Debug)]
struct Counted {
    count: i64,
    first: UnixTime,
    last: UnixTime,
}

impl Counted {
    fn add(&mut self, count: i64, first: UnixTime, last: UnixTime) {
        self.count = self.count.saturating_add(count);
        self.first = self.first.min(first);
        self.last = self.last.max(last);
    }
}

impl UserEvents {
    pub(crate) fn len(&self) -> usize {
        self.by_time.len()
    }

    pub(crate) fn chronological(&self) -> Vec<types::Event> {
        self.by_time.values().cloned().collect()
    }

    pub(crate) fn summary_items(&self) -> Vec<types::EventSummaryItem> {
        self.summary
            .iter()
            .map(|(name, c)| types::EventSummaryItem {
                count: c.count,
                description: None,
                first: Some(c.first),
                last: Some(c.last),
                name: name.clone(),
                extra: Default::default(),
            })
            .collect()
    }

    pub(crate) fn snapshot(&self) -> Value {
        json!({ "events": self.chronological(), "summary": self.summary_items() })
    }

    fn count(&mut self, name: &str, count: i64, first: UnixTime, last: UnixTime) {
        match self.summary.get_mut(name) {
            Some(counted) => counted.add(count, first, last),
            None => {
                self.summary
                    .insert(name.to_string(), Counted { count, first, last });
            }
        }
    }
}

/// A page of a user's events, and where the next page starts.
#[derive(Debug)]
pub(crate) struct EventPage {
    pub(crate) list: types::EventList,
    /// The position the next page continues below, when there are more events.
    pub(crate) next: Option<EventPosition>,
    pub(crate) intercom_id: String,
}

impl Store {
    /// The user an events request names: the Intercom id if one is sent, else the `user_id`,
    /// else the email (the first identifier sent decides).
    pub(crate) fn find_for_events(
        &self,
        intercom_id: Option<&str>,
        user_id: Option<&str>,
        email: Option<&str>,
    ) -> Result<u64, StoreError> {
        let key = match (intercom_id, user_id, email) {
            (Some(id), _, _) => UserKey::IntercomId(id.to_string()),
            (None, Some(id), _) => UserKey::UserId(id.to_string()),
            (None, None, Some(email)) => UserKey::Email(email.to_string()),
            (None, None, None) => return Err(StoreError::UserNotFound),
        };
        self.find(&key).ok_or(StoreError::UserNotFound)
    }

    /// `POST /events`: stores the event; `Ok(false)` for a duplicate, which is not stored.
    pub(crate) fn add_event(&mut self, request: types::EventRequest) -> Result<bool, StoreError> {
        let seq = self.find_for_events(
            request.id.as_deref(),
            request.user_id.as_deref(),
            request.email.as_deref(),
        )?;
        if let Some(metadata) = &request.metadata {
            self.check_metadata("metadata", metadata)?;
        }
        let full = self.total_events >= self.limits.events;
        let limit = self.limits.events;
        let record = self.record_mut(seq).ok_or(StoreError::UserNotFound)?;
        let intercom_id = ids::intercom_id(seq);
        let event = types::Event {
            created_at: request.created_at,
            email: record.user.email.clone(),
            event_name: request.event_name,
            id: Some(intercom_id.clone()),
            intercom_user_id: Some(intercom_id),
            metadata: request.metadata,
            type_: Some("event".to_string()),
            user_id: record.user.user_id.clone(),
            extra: Default::default(),
        };
        let events = record.events.get_or_insert_with(Default::default);
        let at = event.created_at.unix();
        if events.seen.contains(&(event.event_name.clone(), at)) {
            self.duplicate_events += 1;
            return Ok(false);
        }
        if full {
            return Err(StoreError::Full(format!(
                "The dummy server holds its limit of {limit} events; delete users or raise the \
                 limit (`max_events`, `--max-events`)"
            )));
        }
        events.seen.insert((event.event_name.clone(), at));
        events.count(&event.event_name, 1, event.created_at, event.created_at);
        let arrival = events.next;
        events.next += 1;
        events.by_time.insert((at, arrival), event);
        self.total_events += 1;
        Ok(true)
    }

    /// `GET /events`: up to `per_page` of the user's events, newest first, below `before`.
    pub(crate) fn list_events(
        &self,
        seq: u64,
        per_page: usize,
        before: Option<EventPosition>,
    ) -> Result<EventPage, StoreError> {
        let record = self.record(seq).ok_or(StoreError::UserNotFound)?;
        let mut events = Vec::new();
        let mut next = None;
        if let Some(stored) = &record.events {
            let below = match before {
                Some(position) => stored.by_time.range(..position),
                None => stored.by_time.range(..),
            };
            let mut newest_first = below.rev();
            let mut last = None;
            for (position, event) in newest_first.by_ref().take(per_page.max(1)) {
                events.push(event.clone());
                last = Some(*position);
            }
            if newest_first.next().is_some() {
                next = last;
            }
        }
        let intercom_id = ids::intercom_id(seq);
        Ok(EventPage {
            list: types::EventList {
                email: record.user.email.clone(),
                events,
                intercom_user_id: Some(intercom_id.clone()),
                pages: None,
                type_: Some("event.list".to_string()),
                user_id: record.user.user_id.clone(),
                extra: Default::default(),
            },
            next,
            intercom_id,
        })
    }

    /// `GET /events?summary=true`: the user's counts per event name.
    pub(crate) fn event_summary(&self, seq: u64) -> Result<types::EventSummary, StoreError> {
        let record = self.record(seq).ok_or(StoreError::UserNotFound)?;
        Ok(types::EventSummary {
            email: record.user.email.clone(),
            events: record
                .events
                .as_ref()
                .map(|e| e.summary_items())
                .unwrap_or_default(),
            intercom_user_id: Some(ids::intercom_id(seq)),
            pages: None,
            type_: Some("event.summary".to_string()),
            user_id: record.user.user_id.clone(),
            extra: Default::default(),
        })
    }

    /// `POST /events/summaries`: adds the counts to the user's summary.
    pub(crate) fn add_summaries(
        &mut self,
        request: types::EventSummariesRequest,
    ) -> Result<(), StoreError> {
        let seq = self.find_for_events(None, Some(&request.user_id), None)?;
        let record = self.record_mut(seq).ok_or(StoreError::UserNotFound)?;
        let counts = request.event_summaries;
        let (first, last) = (counts.first.min(counts.last), counts.first.max(counts.last));
        record.events.get_or_insert_with(Default::default).count(
            &counts.event_name,
            counts.count,
            first,
            last,
        );
        Ok(())
    }
}
