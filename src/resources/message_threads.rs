//! `client.message_threads()`: a user's conversations.

use crate::{Client, Error, UserRef, identity::refuse_empty, operations, types};

/// Message threads (`/v1/users/message_threads`).
///
/// ```no_run
/// use intercom_api::UserRef;
/// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
/// let threads = client.message_threads();
/// let ben = UserRef::email("ben@intercom.io");
/// for thread in threads.list(ben.clone()).send().await? {
///     if thread.read == Some(false) {
///         threads.mark_read(ben.clone(), thread.thread_id).send().await?;
///     }
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct MessageThreads {
    client: Client,
}

impl MessageThreads {
    pub(crate) fn new(client: Client) -> Self {
        MessageThreads { client }
    }

    /// The user's inbox (every thread, including newly matching auto messages).
    ///
    /// ```no_run
    /// use intercom_api::UserRef;
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let inbox = client.message_threads().list(UserRef::user_id("7902")).send().await?;
    /// let unread = inbox.iter().filter(|thread| thread.read == Some(false)).count();
    /// # Ok(())
    /// # }
    /// ```
    pub fn list(&self, user: UserRef) -> ListMessageThreads {
        ListMessageThreads {
            client: self.client.clone(),
            user,
            current_url: None,
        }
    }

    /// One of the user's threads.
    ///
    /// ```no_run
    /// use intercom_api::UserRef;
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let thread = client.message_threads().get(UserRef::user_id("7902"), 5591).send().await?;
    /// for message in &thread.messages {
    ///     println!("{}", message.html);
    /// }
    /// # Ok(())
    /// # }
    /// ```
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
    ///
    /// ```no_run
    /// use intercom_api::UserRef;
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let thread = client
    ///     .message_threads()
    ///     .reply(UserRef::email("ben@intercom.io"), 5591, "Thanks, that fixed it!")
    ///     .send()
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn reply(
        &self,
        user: UserRef,
        thread_id: i64,
        body: impl Into<String>,
    ) -> ReplyMessageThread {
        self.put(user, thread_id, Some(body.into()), None)
    }

    /// Marks a thread read.
    ///
    /// ```no_run
    /// use intercom_api::UserRef;
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let thread = client.message_threads().mark_read(UserRef::user_id("7902"), 5591).send().await?;
    /// assert_eq!(thread.read, Some(true));
    /// # Ok(())
    /// # }
    /// ```
    pub fn mark_read(&self, user: UserRef, thread_id: i64) -> ReplyMessageThread {
        self.put(user, thread_id, None, Some(true))
    }

    /// Marks a thread unread.
    ///
    /// ```no_run
    /// use intercom_api::UserRef;
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// client.message_threads().mark_unread(UserRef::user_id("7902"), 5591).send().await?;
    /// # Ok(())
    /// # }
    /// ```
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
///
/// ```no_run
/// use intercom_api::UserRef;
/// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
/// let request = client.message_threads().list(UserRef::email("ben@intercom.io"));
/// let threads = request.send().await?;
/// println!("{} threads", threads.len());
/// # Ok(())
/// # }
/// ```
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
    ///
    /// ```no_run
    /// use intercom_api::UserRef;
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let threads = client.message_threads().list(UserRef::user_id("7902")).send().await?;
    /// let newest = threads.iter().max_by_key(|thread| thread.updated_at);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn send(self) -> Result<Vec<types::MessageThread>, Error> {
        self.user.refuse_empty("list_message_threads")?;
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
            .call(&operations::LIST_MESSAGE_THREADS, request.send())
            .await?;
        Ok(threads.0)
    }
}

/// `GET /v1/users/message_threads/?thread_id=…`: one thread.
///
/// ```no_run
/// use intercom_api::UserRef;
/// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
/// let request = client.message_threads().get(UserRef::email("ben@intercom.io"), 5591);
/// let thread = request.send().await?;
/// println!("{} messages", thread.messages.len());
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
#[must_use = "nothing is sent until .send()"]
pub struct GetMessageThread {
    client: Client,
    user: UserRef,
    thread_id: i64,
}

impl GetMessageThread {
    /// Reads the thread.
    ///
    /// ```no_run
    /// use intercom_api::UserRef;
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let thread = client.message_threads().get(UserRef::user_id("7902"), 5591).send().await?;
    /// assert_eq!(thread.thread_id, 5591);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn send(self) -> Result<types::MessageThread, Error> {
        self.user.refuse_empty("get_message_thread")?;
        let (user_id, email) = self.user.into_parts();
        let raw = self.client.raw();
        let mut request = raw.get_message_thread().thread_id(self.thread_id);
        if let Some(user_id) = user_id {
            request = request.user_id(user_id);
        }
        if let Some(email) = email {
            request = request.email(email);
        }
        self.client
            .call(&operations::GET_MESSAGE_THREAD, request.send())
            .await
    }
}

/// `POST /v1/users/message_threads`: a new thread.
///
/// ```no_run
/// use intercom_api::UserRef;
/// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
/// let request = client.message_threads().create(UserRef::user_id("7902"), "How do I export my data?");
/// let thread = request.url("https://example.com/export").send().await?;
/// println!("started thread {}", thread.thread_id);
/// # Ok(())
/// # }
/// ```
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
    ///
    /// ```no_run
    /// use intercom_api::UserRef;
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let thread = client.message_threads().create(UserRef::email("ben@intercom.io"), "Hi there").send().await?;
    /// assert_eq!(thread.messages.len(), 1);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn send(self) -> Result<types::MessageThread, Error> {
        let identity = [
            ("user_id", self.body.user_id.as_deref()),
            ("email", self.body.email.as_deref()),
        ];
        refuse_empty("create_message_thread", &identity)?;
        let request = self.client.raw().create_message_thread().body(self.body);
        self.client
            .call(&operations::CREATE_MESSAGE_THREAD, request.send())
            .await
    }
}

/// `PUT /v1/users/message_threads`: a reply, or marking the thread read or unread.
///
/// ```no_run
/// use intercom_api::UserRef;
/// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
/// let ben = UserRef::email("ben@intercom.io");
/// // A reply and the two read flags are the same request.
/// client.message_threads().reply(ben.clone(), 5591, "Any news?").send().await?;
/// client.message_threads().mark_unread(ben, 5591).send().await?;
/// # Ok(())
/// # }
/// ```
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
    ///
    /// ```no_run
    /// use intercom_api::UserRef;
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let thread = client.message_threads().reply(UserRef::user_id("7902"), 5591, "Thanks!").send().await?;
    /// println!("{} messages now", thread.messages.len());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn send(self) -> Result<types::MessageThread, Error> {
        let identity = [
            ("user_id", self.body.user_id.as_deref()),
            ("email", self.body.email.as_deref()),
        ];
        refuse_empty("reply_message_thread", &identity)?;
        let request = self.client.raw().reply_message_thread().body(self.body);
        self.client
            .call(&operations::REPLY_MESSAGE_THREAD, request.send())
            .await
    }
}
