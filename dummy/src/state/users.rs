//! Users, and what is done to one user at a time: notes and impressions.

use super::{Store, StoreError, UserRecord};
use intercom_api::{time::UnixTime, types};

/// Restricts a user list to the users carrying a tag.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct TagFilter<'a> {
    pub(crate) tag_id: Option<&'a str>,
    pub(crate) tag_name: Option<&'a str>,
}

impl Store {
    pub(crate) fn reserve_users(&mut self, additional: usize) {
        self.users.reserve(additional);
        self.by_user_id.reserve(additional);
        self.by_email.reserve(additional);
    }

    /// Which stored user a write with these identifiers is about (`None`: nobody yet).
    ///
    /// `user_id` wins over email. Identifiers that point at two different users, or a
    /// `user_id` for a user found by email who already has another `user_id`, are a conflict:
    /// the dummy never silently merges or re-keys users.
    fn target(
        &self,
        user_id: Option<&str>,
        email: Option<&str>,
    ) -> Result<Option<u64>, StoreError> {
        let by_id = user_id.and_then(|id| self.by_user_id.get(id).copied());
        let by_email = email.and_then(|e| self.by_email.get(e).copied());
        match (by_id, by_email) {
            (Some(a), Some(b)) if a != b => Err(StoreError::Conflict(format!(
                "the email `{}` belongs to another user than the user_id `{}`",
                email.unwrap_or_default(),
                user_id.unwrap_or_default()
            ))),
            (Some(a), _) => Ok(Some(a)),
            (None, Some(b)) => {
                let existing = self.record(b).and_then(|r| r.user.user_id.as_deref());
                match (user_id, existing) {
                    (Some(new), Some(old)) if new != old => Err(StoreError::Conflict(format!(
                        "the user with email `{}` has the user_id `{old}`, not `{new}`",
                        email.unwrap_or_default()
                    ))),
                    _ => Ok(Some(b)),
                }
            }
            (None, None) => Ok(None),
        }
    }

    /// A new user record, if the store has room for one more user; returns its sequence number.
    fn create_within_limit(&mut self, user: types::User) -> Result<u64, StoreError> {
        let limit = self.limits.users;
        if self.users.len() >= limit {
            return Err(StoreError::Full(format!(
                "The dummy server holds its limit of {limit} users; delete users or raise the \
                 limit (`max_users`, `--max-users`)"
            )));
        }
        Ok(self.create(user))
    }

    /// A new, empty user record; returns its sequence number.
    fn create(&mut self, user: types::User) -> u64 {
        let seq = self.next_user;
        self.next_user += 1;
        self.users.insert(
            seq,
            Box::new(UserRecord {
                user,
                ..UserRecord::default()
            }),
        );
        seq
    }

    /// Points the `user_id` / email indexes at `seq` for the identifiers its user now has,
    /// dropping the entries of identifiers it no longer has.
    fn reindex(&mut self, seq: u64, old_id: Option<String>, old_email: Option<String>) {
        let Some(record) = self.users.get(&seq) else {
            return;
        };
        let (new_id, new_email) = (record.user.user_id.clone(), record.user.email.clone());
        if old_id != new_id {
            if let Some(old) = old_id.filter(|o| self.by_user_id.get(o) == Some(&seq)) {
                self.by_user_id.remove(&old);
            }
            if let Some(new) = new_id {
                self.by_user_id.insert(new, seq);
            }
        }
        if old_email != new_email {
            if let Some(old) = old_email.filter(|o| self.by_email.get(o) == Some(&seq)) {
                self.by_email.remove(&old);
            }
            if let Some(new) = new_email {
                self.by_email.insert(new, seq);
            }
        }
    }

    /// Stores `user` as given (see `State::insert_users`).
    pub(crate) fn put_user(&mut self, user: types::User) -> Result<(), String> {
        if user.user_id.is_none() && user.email.is_none() {
            return Err("it has neither user_id nor email".to_string());
        }
        let target = self
            .target(user.user_id.as_deref(), user.email.as_deref())
            .map_err(|e| match e {
                StoreError::Conflict(message) => message,
                other => format!("{other:?}"),
            })?;
        match target.and_then(|seq| self.users.get_mut(&seq).map(|r| (seq, r))) {
            Some((seq, record)) => {
                let old = std::mem::replace(&mut record.user, user);
                self.reindex(seq, old.user_id, old.email);
            }
            None => {
                let seq = self.create(user);
                self.reindex(seq, None, None);
            }
        }
        Ok(())
    }

    /// `POST /v1/users` (`create`: an upsert) and `PUT /v1/users` (the user must exist).
    pub(crate) fn write_user(
        &mut self,
        request: types::UserRequest,
        create: bool,
        now: UnixTime,
    ) -> Result<types::User, StoreError> {
        let target = self.target(request.user_id.as_deref(), request.email.as_deref())?;
        if let Some(custom) = &request.custom_data {
            // Merged key by key into what is stored: the limit is on the result.
            let mut merged = target
                .and_then(|seq| self.record(seq))
                .and_then(|r| r.user.custom_data.as_ref())
                .map(|c| c.0.clone())
                .unwrap_or_default();
            merged.extend(custom.0.iter().map(|(k, v)| (k.clone(), v.clone())));
            self.check_metadata("custom_data", &merged)?;
        }
        let seq = match target {
            Some(seq) => seq,
            None if create => self.create_within_limit(new_user(now))?,
            None => return Err(StoreError::UserNotFound),
        };
        let record = self.record_mut(seq).ok_or(StoreError::UserNotFound)?;
        let (old_id, old_email) = (record.user.user_id.clone(), record.user.email.clone());
        apply(record, request);
        let user = record.user.clone();
        self.reindex(seq, old_id, old_email);
        Ok(user)
    }

    /// `DELETE /v1/users`: removes the user with their notes, threads, tag memberships and
    /// events, and returns the user as it was.
    pub(crate) fn delete_user(
        &mut self,
        user_id: Option<&str>,
        email: Option<&str>,
    ) -> Result<types::User, StoreError> {
        let seq = self
            .find_v1(user_id, email)
            .ok_or(StoreError::UserNotFound)?;
        let record = self
            .users
            .shift_remove(&seq)
            .ok_or(StoreError::UserNotFound)?;
        let user = record.user;
        if let Some(id) = &user.user_id {
            self.by_user_id.remove(id);
        }
        if let Some(email) = &user.email {
            self.by_email.remove(email);
        }
        for tag in self.tags.values_mut() {
            if record.tags.contains(&tag.id) {
                tag.members.remove(&seq);
            }
        }
        for thread in &record.threads {
            self.threads.remove(thread);
        }
        self.conversations.retain(|_, c| c.owner != seq);
        if let Some(events) = &record.events {
            self.total_events -= events.len();
        }
        Ok(user)
    }

    /// `GET /v1/users`: one page, users in creation order. Copies only the page's users.
    pub(crate) fn list_users(
        &self,
        page: u64,
        per_page: usize,
        filter: TagFilter<'_>,
    ) -> types::UserList {
        let per_page = per_page.max(1);
        let offset = usize::try_from(page.saturating_sub(1))
            .unwrap_or(usize::MAX)
            .saturating_mul(per_page);
        let (total, users): (usize, Vec<types::User>) =
            if filter.tag_id.is_none() && filter.tag_name.is_none() {
                let end = offset.saturating_add(per_page).min(self.users.len());
                let users = (offset..end)
                    .filter_map(|i| self.users.get_index(i))
                    .map(|(_, record)| record.user.clone())
                    .collect();
                (self.users.len(), users)
            } else {
                match self.tag_matching(filter) {
                    Some(tag) => {
                        let users = tag
                            .members
                            .iter()
                            .skip(offset)
                            .take(per_page)
                            .filter_map(|seq| self.record(*seq))
                            .map(|record| record.user.clone())
                            .collect();
                        (tag.members.len(), users)
                    }
                    None => (0, Vec::new()),
                }
            };
        let total = total as u64;
        let total_pages = total.div_ceil(per_page as u64);
        let page_i64 = i64::try_from(page).unwrap_or(i64::MAX);
        types::UserList {
            users,
            total_count: i64::try_from(total).unwrap_or(i64::MAX),
            page: page_i64,
            next_page: (page < total_pages).then(|| page_i64.saturating_add(1)),
            previous_page: (page > 1).then(|| page_i64 - 1),
            total_pages: i64::try_from(total_pages).unwrap_or(i64::MAX),
            extra: Default::default(),
        }
    }

    /// `POST /v1/users/notes`: the note, with the user it was added to.
    pub(crate) fn add_note(
        &mut self,
        request: types::NoteRequest,
        now: UnixTime,
    ) -> Result<types::Note, StoreError> {
        let seq = self
            .find_v1(request.user_id.as_deref(), request.email.as_deref())
            .ok_or(StoreError::UserNotFound)?;
        let record = self.record_mut(seq).ok_or(StoreError::UserNotFound)?;
        let note = types::Note {
            html: format!("<p>{}</p>", request.body),
            created_at: Some(now),
            user: None,
            extra: Default::default(),
        };
        record.notes.push(note.clone());
        Ok(types::Note {
            user: Some(record.user.clone()),
            ..note
        })
    }

    /// `POST /v1/users/impressions`: records the visit; answers how many of the user's threads
    /// are unread.
    pub(crate) fn impression(
        &mut self,
        request: types::ImpressionRequest,
        now: UnixTime,
    ) -> Result<types::Impression, StoreError> {
        let seq = self
            .find_v1(request.user_id.as_deref(), request.email.as_deref())
            .ok_or(StoreError::UserNotFound)?;
        let record = self.users.get_mut(&seq).ok_or(StoreError::UserNotFound)?;
        let user = &mut record.user;
        user.last_impression_at = Some(now);
        user.last_request_at = Some(now);
        if let Some(ip) = request.user_ip {
            user.last_seen_ip = Some(ip);
        }
        if let Some(agent) = request.user_agent {
            user.last_seen_user_agent = Some(agent);
        }
        let unread = record
            .threads
            .iter()
            .filter(|id| {
                self.threads
                    .get(id)
                    .is_some_and(|t| t.thread.read == Some(false))
            })
            .count();
        Ok(types::Impression {
            unread_messages: i64::try_from(unread).unwrap_or(i64::MAX),
            extra: Default::default(),
        })
    }
}

/// A user created by `POST /v1/users` before the request's fields are applied.
fn new_user(now: UnixTime) -> types::User {
    types::User {
        created_at: Some(now),
        custom_data: Some(types::CustomData(serde_json::Map::new())),
        session_count: Some(0),
        unsubscribed_from_emails: Some(false),
        ..types::User::default()
    }
}

/// Applies the fields a create or update sent. `custom_data` is merged key by key (a key sent
/// replaces the stored value, other keys stay); `last_request_at` and `last_impression_at`
/// are the same moment ("the date the user last visited"), so either sets both.
fn apply(record: &mut UserRecord, request: types::UserRequest) {
    let user = &mut record.user;
    if let Some(id) = request.user_id {
        user.user_id = Some(id);
    }
    if let Some(email) = request.email {
        user.email = Some(email);
    }
    if let Some(name) = request.name {
        user.name = Some(name);
    }
    if let Some(created_at) = request.created_at {
        user.created_at = Some(created_at);
    }
    if let Some(custom) = request.custom_data {
        let stored = user
            .custom_data
            .get_or_insert_with(|| types::CustomData(serde_json::Map::new()));
        stored.0.extend(custom.0);
    }
    if let Some(ip) = request.last_seen_ip {
        user.last_seen_ip = Some(ip);
    }
    if let Some(agent) = request.last_seen_user_agent {
        user.last_seen_user_agent = Some(agent);
    }
    if let Some(seen) = request.last_impression_at.or(request.last_request_at) {
        user.last_impression_at = Some(seen);
        user.last_request_at = Some(request.last_request_at.unwrap_or(seen));
    }
    if !request.companies.is_empty() {
        record.companies = request.companies;
    }
}
