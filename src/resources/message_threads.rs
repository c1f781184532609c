//! `client.message_threads()`: a user's conversations.

use crate::{Client, Error, UserRef, types};

/// Message threads (`/v1/users/message_threads`).
#[derive(Clone, Debug)]
pub struct MessageThreads {
    client: Client,
}

impl MessageThreads {
    pub(crate) fn new(client: Client) -> Self {
        MessageThreads { client }
    }

    /// The user's inbox (every thread, including newly matching auto messages).
    pub fn list(&self, user: UserRef) -> ListMessageThreads {
        ListMessageThreads {
            client: self.client.clone(),
            user,
            current_url: None,
        }
    }

    /// One of the user's threads.
    pub fn get(&self, user: UserRef, thread_id: i64) -> GetMessageThread {
        GetMessageThread {
            client: self.client.clone(),
            user,
            thread_id,
        }
    }

    /// Starts a thread from the user to you (the only direction the v1 API supports).
    ///
    /// ```no_run
    /// use intercom_api::UserRef;
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let thread = client
    ///     .message_threads()
    ///     .create(UserRef::email("ben@intercom.io"), "Hey Intercom, What is up?")
    ///     .url("http://example.com/my/sweet/url")
    ///     .send()
    ///     .await?;
    /// let reply = client
    ///     .message_threads()
    ///     .reply(UserRef::email("ben@intercom.io"), thread.thread_id, "Not much either :(")
    ///     .send()
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn create(&self, user: UserRef, body: impl Into<String>) -> CreateMessageThread {
        let (user_id, email) = user.into_parts();
        CreateMessageThread {
            client: self.client.clone(),
            body: types::MessageThreadCreateRequest {
                user_id,
                email,
                body: body.into(),
                url: None,
            },
        }
    }

    /// Replies on a thread as the user.
    pub fn reply(
        &self,
        user: UserRef,
        thread_id: i64,
        body: impl Into<String>,
    ) -> ReplyMessageThread {
        self.put(user, thread_id, Some(body.into()), None)
    }

    /// Marks a thread read.
    pub fn mark_read(&self, user: UserRef, thread_id: i64) -> ReplyMessageThread {
        self.put(user, thread_id, None, Some(true))
    }

    /// Marks a thread unread.
    pub fn mark_unread(&self, user: UserRef, thread_id: i64) -> ReplyMessageThread {
        self.put(user, thread_id, None, Some(false))
    }

    fn put(
        &self,
        user: UserRef,
        thread_id: i64,
        body: Option<String>,
        read: Option<bool>,
    ) -> ReplyMessageThread {
        let (user_id, email) = user.into_parts();
        ReplyMessageThread {
            client: self.client.clone(),
            body: types::MessageThreadReplyRequest {
                user_id,
                email,
                thread_id,
                body,
                read,
                url: None,
            },
        }
    }
}

/// `GET /v1/users/message_threads`: the user's threads.
#[derive(Clone, Debug)]
#[must_use = "nothing is sent until .send()"]
pub struct ListMessageThreads {
    client: Client,
    user: UserRef,
    current_url: Option<String>,
}

impl ListMessageThreads {
    /// The url the user is on, to pick up auto messages that target it.
    pub fn current_url(mut self, url: impl Into<String>) -> Self {
        self.current_url = Some(url.into());
        self
    }

    /// Reads the threads.
    pub async fn send(self) -> Result<Vec<types::MessageThread>, Error> {
        let (user_id, email) = self.user.into_parts();
        let raw = self.client.raw();
        let mut request = raw.list_message_threads();
        if let Some(user_id) = user_id {
            request = request.user_id(user_id);
        }
        if let Some(email) = email {
            request = request.email(email);
        }
        if let Some(url) = self.current_url {
            request = request.current_url(url);
        }
        let threads = self
            .client
            .call("list_message_threads", request.send())
            .await?;
        Ok(threads.0)
    }
}

/// `GET /v1/users/message_threads/?thread_id=…`: one thread.
#[derive(Clone, Debug)]
#[must_use = "nothing is sent until .send()"]
pub struct GetMessageThread {
    client: Client,
    user: UserRef,
    thread_id: i64,
}

impl GetMessageThread {
    /// Reads the thread.
    pub async fn send(self) -> Result<types::MessageThread, Error> {
        let (user_id, email) = self.user.into_parts();
        let raw = self.client.raw();
        let mut request = raw.get_message_thread().thread_id(self.thread_id);
        if let Some(user_id) = user_id {
            request = request.user_id(user_id);
        }
        if let Some(email) = email {
            request = request.email(email);
        }
        self.client.call("get_message_thread", request.send()).await
    }
}

/// `POST /v1/users/message_threads`: a new thread.
#[derive(Clone, Debug)]
#[must_use = "nothing is sent until .send()"]
pub struct CreateMessageThread {
    client: Client,
    body: types::MessageThreadCreateRequest,
}

impl CreateMessageThread {
    /// The url the user was on when writing.
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.body.url = Some(url.into());
        self
    }

    /// Starts the thread. Not retried after it may have reached Intercom.
    pub async fn send(self) -> Result<types::MessageThread, Error> {
        let request = self.client.raw().create_message_thread().body(self.body);
        self.client
            .call("create_message_thread", request.send())
            .await
    }
}

/// `PUT /v1/users/message_threads`: a reply, or marking the thread read or unread.
#[derive(Clone, Debug)]
#[must_use = "nothing is sent until .send()"]
pub struct ReplyMessageThread {
    client: Client,
    body: types::MessageThreadReplyRequest,
}

impl ReplyMessageThread {
    /// The url the user was on when replying.
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.body.url = Some(url.into());
        self
    }

    /// Sends the reply (or the read flag). Not retried after it may have reached Intercom.
    pub async fn send(self) -> Result<types::MessageThread, Error> {
        let request = self.client.raw().reply_message_thread().body(self.body);
        self.client
            .call("reply_message_thread", request.send())
            .await
    }
}
