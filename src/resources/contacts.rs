//! `client.contacts()`: users through the Bearer-token API (`/users`).

use futures_util::{Stream, TryStreamExt};

use super::page_size::page_size;
use crate::{Client, Error, operations, paginate, time::UnixTime, types};

/// Users through the Bearer-token API (`GET/POST /users`, `GET /users/{id}`), with the access
/// token ([`ClientBuilder::token`](crate::ClientBuilder::token)).
///
/// The same people as [`Client::users`] (the v1 API, app id and API key) and as the events
/// API's users: a user created here is found by the v1 API by email, and its
/// [`id`](types::Contact::id) is the events API's Intercom id
/// ([`EventUser::intercom_id`](crate::EventUser::intercom_id)). Use this handle when you have
/// an access token only, or need Intercom's id; `client.users()` stays for the v1 API.
///
/// ```no_run
/// use intercom_api::time::UnixTime;
/// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
/// let john = client
///     .contacts()
///     .create("john.doe@example.com")
///     .name("John Doe")
///     .signed_up_at(UnixTime::now())
///     .send()
///     .await?;
/// let again = client.contacts().get(&john.id).send().await?;
/// assert_eq!(again.email.as_deref(), Some("john.doe@example.com"));
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct Contacts {
    client: Client,
}

impl Contacts {
    pub(crate) fn new(client: Client) -> Self {
        Contacts { client }
    }

    /// Every user, a page at a time (`GET /users`).
    ///
    /// ```no_run
    /// use futures_util::TryStreamExt;
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let mut users = std::pin::pin!(client.contacts().list().per_page(50).stream());
    /// while let Some(user) = users.try_next().await? {
    ///     println!("{} {:?}", user.id, user.email);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn list(&self) -> ListContacts {
        ListContacts {
            client: self.client.clone(),
            per_page: None,
            starting_after: None,
        }
    }

    /// One user by Intercom id (`GET /users/{id}`).
    ///
    /// ```no_run
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let user = client.contacts().get("6657a8386abd0160d35d1ea4").send().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn get(&self, id: impl Into<String>) -> GetContact {
        GetContact {
            client: self.client.clone(),
            id: id.into(),
        }
    }

    /// Creates the user with this email, or updates it (`POST /users`, an upsert; retried
    /// safely).
    ///
    /// ```no_run
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let user = client.contacts().create("john.doe@example.com").name("John Doe").send().await?;
    /// println!("Intercom id {}", user.id);
    /// # Ok(())
    /// # }
    /// ```
    pub fn create(&self, email: impl Into<String>) -> CreateContact {
        CreateContact {
            client: self.client.clone(),
            body: types::ContactRequest {
                email: email.into(),
                name: None,
                signed_up_at: None,
            },
        }
    }
}

/// `GET /users?per_page=…`: a page of users, or every page.
///
/// ```no_run
/// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
/// let page = client.contacts().list().per_page(50).send().await?;
/// println!("{} of {:?} users", page.data.len(), page.total_count);
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
#[must_use = "nothing is sent until .send(), .pages(), .stream() or .collect_all()"]
pub struct ListContacts {
    client: Client,
    per_page: Option<u64>,
    starting_after: Option<String>,
}

impl ListContacts {
    /// Users per page (1 to 150; Intercom's default is 50).
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
    pub async fn send(self) -> Result<types::ContactList, Error> {
        let raw = self.client.raw();
        let mut request = raw.list_contacts();
        if let Some(per_page) = self.per_page {
            request = request.per_page(page_size(&operations::LIST_CONTACTS, per_page)?);
        }
        if let Some(cursor) = self.starting_after {
            request = request.starting_after(cursor);
        }
        self.client
            .call(&operations::LIST_CONTACTS, request.send())
            .await
    }

    /// Every page, following the `pages.next.starting_after` cursors. Ends on the last page,
    /// an empty page or a repeated cursor; after
    /// [`ClientBuilder::max_pages`](crate::ClientBuilder::max_pages) pages with more announced,
    /// with [`Error::TooManyPages`].
    pub fn pages(self) -> impl Stream<Item = Result<types::ContactList, Error>> + Send + 'static {
        let next = self.clone();
        paginate::linked(
            operations::LIST_CONTACTS.name,
            self.client.max_pages(),
            move || self.send(),
            move |cursor| next.clone().starting_after(cursor).send(),
        )
    }

    /// Every user of every page, one page in memory at a time.
    ///
    /// ```no_run
    /// use futures_util::TryStreamExt;
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let named: Vec<_> = client.contacts().list().stream().try_filter(|u| std::future::ready(u.name.is_some())).try_collect().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn stream(self) -> impl Stream<Item = Result<types::Contact, Error>> + Send + 'static {
        paginate::items(self.pages(), |page| page.data)
    }

    /// Every user, collected.
    pub async fn collect_all(self) -> Result<Vec<types::Contact>, Error> {
        self.stream().try_collect().await
    }
}

/// `GET /users/{id}`: one user.
#[derive(Clone, Debug)]
#[must_use = "nothing is sent until .send()"]
pub struct GetContact {
    client: Client,
    id: String,
}

impl GetContact {
    /// Reads the user; a 404 ([`Error::Api`]) when no user has this id.
    pub async fn send(self) -> Result<types::Contact, Error> {
        let request = self.client.raw().get_contact().id(self.id);
        self.client
            .call(&operations::GET_CONTACT, request.send())
            .await
    }
}

/// `POST /users`: creates or updates the user with an email.
#[derive(Clone, Debug)]
#[must_use = "nothing is sent until .send()"]
pub struct CreateContact {
    client: Client,
    body: types::ContactRequest,
}

impl CreateContact {
    /// The user's name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.body.name = Some(name.into());
        self
    }

    /// When the user signed up (sent as UNIX seconds, which Intercom takes; the blog's ISO
    /// string is not).
    pub fn signed_up_at(mut self, at: UnixTime) -> Self {
        self.body.signed_up_at = Some(at);
        self
    }

    /// Writes the user and returns it as stored.
    pub async fn send(self) -> Result<types::Contact, Error> {
        let request = self.client.raw().create_contact().body(self.body);
        self.client
            .call(&operations::CREATE_CONTACT, request.send())
            .await
    }
}
