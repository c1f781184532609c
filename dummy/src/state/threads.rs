//! Message threads: started by a user, replied to, marked read or unread.

use super::{Store, StoreError, ThreadRecord};
use intercom_api::{time::UnixTime, types};

/// The `from` of a message the user sent.
fn author(user: &types::User) -> types::MessageAuthor {
    types::MessageAuthor {
        avatar: Some(types::Avatar::default()),
        email: user.email.clone(),
        is_admin: Some(false),
        name: user.name.clone(),
        user_id: user.user_id.clone(),
        extra: Default::default(),
    }
}

/// A message from the user: the body in `<p>…</p>`, as Intercom renders text.
fn message(body: &str, url: Option<String>, user: &types::User, now: UnixTime) -> types::Message {
    types::Message {
        created_at: Some(now),
        from: Some(author(user)),
        html: format!("<p>{body}</p>"),
        url,
        extra: Default::default(),
    }
}

impl Store {
    /// `POST /v1/users/message_threads`: a new thread from the user (read, in the inbox).
    pub(crate) fn create_thread(
        &mut self,
        request: types::MessageThreadCreateRequest,
        now: UnixTime,
    ) -> Result<types::MessageThread, StoreError> {
        let seq = self
            .find_v1(request.user_id.as_deref(), request.email.as_deref())
            .ok_or(StoreError::UserNotFound)?;
        let thread_id = self.next_thread;
        let record = self.users.get_mut(&seq).ok_or(StoreError::UserNotFound)?;
        let thread = types::MessageThread {
            created_at: Some(now),
            created_by_user: Some(true),
            message_type: Some("inbox".to_string()),
            messages: vec![message(&request.body, request.url, &record.user, now)],
            read: Some(true),
            thread_id,
            updated_at: None,
            extra: Default::default(),
        };
        record.threads.push(thread_id);
        self.next_thread += 1;
        self.threads.insert(
            thread_id,
            ThreadRecord {
                owner: seq,
                thread: thread.clone(),
            },
        );
        Ok(thread)
    }

    /// `PUT /v1/users/message_threads`: appends the user's reply (`body`) and / or marks the
    /// thread read or unread (`read`).
    pub(crate) fn reply_thread(
        &mut self,
        request: types::MessageThreadReplyRequest,
        now: UnixTime,
    ) -> Result<types::MessageThread, StoreError> {
        let seq = self
            .find_v1(request.user_id.as_deref(), request.email.as_deref())
            .ok_or(StoreError::UserNotFound)?;
        let user = self
            .users
            .get(&seq)
            .map(|r| &r.user)
            .ok_or(StoreError::UserNotFound)?;
        let record = self
            .threads
            .get_mut(&request.thread_id)
            .filter(|t| t.owner == seq)
            .ok_or(StoreError::ThreadNotFound)?;
        let thread = &mut record.thread;
        if let Some(body) = &request.body {
            thread
                .messages
                .push(message(body, request.url.clone(), user, now));
            thread.updated_at = Some(now);
        }
        if let Some(read) = request.read {
            thread.read = Some(read);
            thread.updated_at = Some(now);
        }
        Ok(thread.clone())
    }

    /// `GET /v1/users/message_threads?thread_id=...`: one of the user's threads.
    pub(crate) fn get_thread(
        &self,
        user_id: Option<&str>,
        email: Option<&str>,
        thread_id: i64,
    ) -> Result<types::MessageThread, StoreError> {
        let seq = self
            .find_v1(user_id, email)
            .ok_or(StoreError::UserNotFound)?;
        self.threads
            .get(&thread_id)
            .filter(|t| t.owner == seq)
            .map(|t| t.thread.clone())
            .ok_or(StoreError::ThreadNotFound)
    }

    /// `GET /v1/users/message_threads`: the user's threads, oldest first.
    pub(crate) fn list_threads(
        &self,
        user_id: Option<&str>,
        email: Option<&str>,
    ) -> Result<types::MessageThreadList, StoreError> {
        let seq = self
            .find_v1(user_id, email)
            .ok_or(StoreError::UserNotFound)?;
        let record = self.record(seq).ok_or(StoreError::UserNotFound)?;
        Ok(types::MessageThreadList(
            record
                .threads
                .iter()
                .filter_map(|id| self.threads.get(id).map(|t| t.thread.clone()))
                .collect(),
        ))
    }
}
