//! `client.conversations()`: conversations through the Bearer-token API.

use futures_util::{Stream, TryStreamExt};

use super::page_size::page_size;
use crate::{Client, Error, operations, paginate, types};

/// Conversations through the Bearer-token API, with the access token
/// ([`ClientBuilder::token`](crate::ClientBuilder::token)): list and read them, and start one
/// as an admin writing to a user.
///
/// The v1 API's [`Client::message_threads`] are conversations too, seen from one user and
/// started by the user; these are the workspace's conversations, addressed by their own id.
///
/// ```no_run
/// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
/// let john = client.contacts().create("john.doe@example.com").send().await?;
/// let message = client
///     .conversations()
///     .create("814860", &john.id, "Hello, how can I assist you?")
///     .send()
///     .await?;
/// if let Some(id) = message.conversation_id {
///     let conversation = client.conversations().get(id).send().await?;
///     println!("{:?}", conversation.source.and_then(|s| s.body));
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct Conversations {
    client: Client,
}

impl Conversations {
    pub(crate) fn new(client: Client) -> Self {
        Conversations { client }
    }

    /// Every conversation, a page at a time (`GET /conversations`).
    ///
    /// ```no_run
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let all = client.conversations().list().per_page(50).collect_all().await?;
    /// let open = all.iter().filter(|c| c.open == Some(true)).count();
    /// # Ok(())
    /// # }
    /// ```
    pub fn list(&self) -> ListConversations {
        ListConversations {
            client: self.client.clone(),
            per_page: None,
            starting_after: None,
        }
    }

    /// One conversation by id (`GET /conversations/{id}`).
    ///
    /// ```no_run
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let conversation = client.conversations().get("69").send().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn get(&self, id: impl Into<String>) -> GetConversation {
        GetConversation {
            client: self.client.clone(),
            id: id.into(),
        }
    }

    /// The admin `admin_id` writes `body` to the user with the Intercom id `user_id` (a
    /// contact's `id`), an in-app message that starts a conversation. The blog posts this to
    /// `/conversations`; Intercom takes it at `POST /messages`, which is what is sent. Not
    /// retried once it may have reached Intercom (a second try would send a second message).
    ///
    /// ```no_run
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let message = client
    ///     .conversations()
    ///     .create("814860", "6657a8386abd0160d35d1ea4", "Your export is ready")
    ///     .send()
    ///     .await?;
    /// println!("conversation {:?}", message.conversation_id);
    /// # Ok(())
    /// # }
    /// ```
    pub fn create(
        &self,
        admin_id: impl Into<String>,
        user_id: impl Into<String>,
        body: impl Into<String>,
    ) -> CreateConversation {
        CreateConversation {
            client: self.client.clone(),
            body: types::ConversationRequest {
                message_type: types::ConversationRequestMessageType::Inapp,
                body: body.into(),
                from: admin(admin_id.into()),
                to: types::ConversationRecipient {
                    type_: types::ConversationRecipientType::User,
                    id: user_id.into(),
                },
                assignee: None,
            },
        }
    }
}

fn admin(id: String) -> types::ConversationAdmin {
    types::ConversationAdmin {
        type_: types::ConversationAdminType::Admin,
        id,
    }
}

/// `GET /conversations?per_page=…`: a page of conversations, or every page.
///
/// ```no_run
/// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
/// let page = client.conversations().list().per_page(50).send().await?;
/// println!("{} conversations on this page", page.conversations.len());
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
#[must_use = "nothing is sent until .send(), .pages(), .stream() or .collect_all()"]
pub struct ListConversations {
    client: Client,
    per_page: Option<u64>,
    starting_after: Option<String>,
}

impl ListConversations {
    /// Conversations per page (1 to 150; Intercom's default is 20).
    pub fn per_page(mut self, per_page: u64) -> Self {
        self.per_page = Some(per_page);
        self
    }

    /// Starts after this cursor (a page's `pages.next.starting_after`).
    pub fn starting_after(mut self, cursor: impl Into<String>) -> Self {
        self.starting_after = Some(cursor.into());
        self
    }

    /// Reads one page.
    pub async fn send(self) -> Result<types::ConversationList, Error> {
        let raw = self.client.raw();
        let mut request = raw.list_conversations();
        if let Some(per_page) = self.per_page {
            request = request.per_page(page_size(&operations::LIST_CONVERSATIONS, per_page)?);
        }
        if let Some(cursor) = self.starting_after {
            request = request.starting_after(cursor);
        }
        self.client
            .call(&operations::LIST_CONVERSATIONS, request.send())
            .await
    }

    /// Every page, following the `pages.next.starting_after` cursors. Ends on the last page,
    /// an empty page or a repeated cursor; after
    /// [`ClientBuilder::max_pages`](crate::ClientBuilder::max_pages) pages with more announced,
    /// with [`Error::TooManyPages`].
    pub fn pages(
        self,
    ) -> impl Stream<Item = Result<types::ConversationList, Error>> + Send + 'static {
        let next = self.clone();
        paginate::linked(
            operations::LIST_CONVERSATIONS.name,
            self.client.max_pages(),
            move || self.send(),
            move |cursor| next.clone().starting_after(cursor).send(),
        )
    }

    /// Every conversation of every page, one page in memory at a time.
    ///
    /// ```no_run
    /// use futures_util::TryStreamExt;
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let mut conversations = std::pin::pin!(client.conversations().list().stream());
    /// while let Some(conversation) = conversations.try_next().await? {
    ///     println!("{} {:?}", conversation.id, conversation.state);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn stream(self) -> impl Stream<Item = Result<types::Conversation, Error>> + Send + 'static {
        paginate::items(self.pages(), |page| page.conversations)
    }

    /// Every conversation, collected.
    pub async fn collect_all(self) -> Result<Vec<types::Conversation>, Error> {
        self.stream().try_collect().await
    }
}

/// `GET /conversations/{id}`: one conversation.
#[derive(Clone, Debug)]
#[must_use = "nothing is sent until .send()"]
pub struct GetConversation {
    client: Client,
    id: String,
}

impl GetConversation {
    /// Reads the conversation; a 404 ([`Error::Api`]) when there is none with this id.
    pub async fn send(self) -> Result<types::Conversation, Error> {
        let request = self.client.raw().get_conversation().id(self.id);
        self.client
            .call(&operations::GET_CONVERSATION, request.send())
            .await
    }
}

/// `POST /messages`: an admin starts a conversation with a user (the blog's "Create a New
/// Conversation").
#[derive(Clone, Debug)]
#[must_use = "nothing is sent until .send()"]
pub struct CreateConversation {
    client: Client,
    body: types::ConversationRequest,
}

impl CreateConversation {
    /// The admin the blog assigns the conversation to. Sent as the blog does, but not a field
    /// of Intercom's described request: it is not known to have any effect (the dummy server
    /// ignores it).
    pub fn assignee(mut self, admin_id: impl Into<String>) -> Self {
        self.body.assignee = Some(admin(admin_id.into()));
        self
    }

    /// Sends the message; the answer names the conversation it started.
    pub async fn send(self) -> Result<types::ConversationMessage, Error> {
        let request = self.client.raw().create_conversation().body(self.body);
        self.client
            .call(&operations::CREATE_CONVERSATION, request.send())
            .await
    }
}
