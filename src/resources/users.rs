//! `client.users()`: list (with pagination), get, create, update, delete.

use std::num::NonZeroU64;

use futures_util::{Stream, TryStreamExt};

use crate::{
    Client, Error, UserRef,
    identity::refuse_empty,
    operations::{self, QueryLimit},
    paginate,
    time::UnixTime,
    types,
};

/// The most users a page can hold (the description's `maximum` of listUsers' `per_page`): a
/// larger `per_page` is refused before it is sent.
///
/// ```
/// use intercom_api::resources::MAX_USERS_PER_PAGE;
///
/// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
/// let every_user = client.users().list().per_page(MAX_USERS_PER_PAGE).collect_all().await?;
/// # Ok(())
/// # }
/// assert_eq!(MAX_USERS_PER_PAGE, 500);
/// ```
pub const MAX_USERS_PER_PAGE: u64 = match operations::LIST_USERS.query_limit("per_page") {
    Some(QueryLimit {
        maximum: Some(maximum),
        ..
    }) if *maximum > 0 => *maximum as u64,
    _ => panic!("the description gives listUsers' per_page no positive maximum"),
};

/// Users of your application (`/v1/users`).
///
/// ```no_run
/// use intercom_api::resources::Users;
/// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
/// // A handle is cheap to clone and to keep, e.g. in an application's state.
/// let users: Users = client.users();
/// let total = users.list().per_page(1).send().await?.total_count;
/// println!("{total} users");
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct Users {
    client: Client,
}

impl Users {
    pub(crate) fn new(client: Client) -> Self {
        Users { client }
    }

    /// Lists users a page at a time; `.stream()` walks every page.
    ///
    /// ```no_run
    /// use futures_util::TryStreamExt;
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let mut users = std::pin::pin!(client.users().list().per_page(500).stream());
    /// while let Some(user) = users.try_next().await? {
    ///     println!("{:?}", user.email);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn list(&self) -> ListUsers {
        ListUsers {
            client: self.client.clone(),
            page: None,
            per_page: None,
            tag_id: None,
            tag_name: None,
        }
    }

    /// One user, by user_id or email.
    ///
    /// ```no_run
    /// use intercom_api::UserRef;
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let ben = client.users().get(UserRef::email("ben@intercom.io")).send().await?;
    /// println!("{:?} signed up at {:?}", ben.name, ben.created_at);
    /// # Ok(())
    /// # }
    /// ```
    pub fn get(&self, user: UserRef) -> GetUser {
        GetUser {
            client: self.client.clone(),
            user,
        }
    }

    /// Creates the user, or updates it if it exists (`POST /v1/users` is an upsert).
    ///
    /// ```no_run
    /// use intercom_api::{UserRef, time::UnixTime};
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let user = client
    ///     .users()
    ///     .create(UserRef::both("7902", "ben@intercom.io"))
    ///     .name("Ben McRedmond")
    ///     .created_at(UnixTime::from_unix(1257553080).unwrap())
    ///     .custom_attribute("plan", "pro")
    ///     .send()
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn create(&self, user: UserRef) -> WriteUser {
        WriteUser::new(self.client.clone(), user, Write::Create)
    }

    /// Updates the user with the fields set.
    ///
    /// ```no_run
    /// use intercom_api::{UserRef, time::UnixTime};
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// client
    ///     .users()
    ///     .update(UserRef::user_id("7902"))
    ///     .last_request_at(UnixTime::now())
    ///     .custom_attribute("plan", "enterprise")
    ///     .send()
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn update(&self, user: UserRef) -> WriteUser {
        WriteUser::new(self.client.clone(), user, Write::Update)
    }

    /// Deletes the user (and all their conversations); returns the deleted user.
    ///
    /// ```no_run
    /// use intercom_api::UserRef;
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let deleted = client.users().delete(UserRef::email("ben@intercom.io")).send().await?;
    /// println!("deleted {:?}", deleted.user_id);
    /// # Ok(())
    /// # }
    /// ```
    pub fn delete(&self, user: UserRef) -> DeleteUser {
        DeleteUser {
            client: self.client.clone(),
            user,
        }
    }
}

/// `GET /v1/users`: a page of users, optionally only those with a tag.
///
/// ```no_run
/// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
/// // A request is a value: keep it, clone it, send it later.
/// let vips = client.users().list().tag_name("VIP").per_page(100);
/// let first_page = vips.clone().send().await?;
/// let everyone = vips.collect_all().await?;
/// println!("{} on the first page, {} in all", first_page.users.len(), everyone.len());
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
#[must_use = "nothing is sent until .send(), .pages(), .stream() or .collect_all()"]
pub struct ListUsers {
    client: Client,
    page: Option<u64>,
    per_page: Option<u64>,
    tag_id: Option<String>,
    tag_name: Option<String>,
}

impl ListUsers {
    /// The page to read (1-based; the first by default). Streams start here.
    pub fn page(mut self, page: u64) -> Self {
        self.page = Some(page);
        self
    }

    /// Users per page, 1 to [`MAX_USERS_PER_PAGE`] (500, also Intercom's default).
    pub fn per_page(mut self, per_page: u64) -> Self {
        self.per_page = Some(per_page);
        self
    }

    /// Only users tagged with the tag of this id.
    pub fn tag_id(mut self, tag_id: impl Into<String>) -> Self {
        self.tag_id = Some(tag_id.into());
        self
    }

    /// Only users tagged with the tag of this name.
    pub fn tag_name(mut self, tag_name: impl Into<String>) -> Self {
        self.tag_name = Some(tag_name.into());
        self
    }

    /// Reads one page.
    ///
    /// ```no_run
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let page = client.users().list().send().await?;
    /// println!("page {} of {} (next: {:?})", page.page, page.total_pages, page.next_page);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn send(self) -> Result<types::UserList, Error> {
        let page = non_zero("page", self.page.unwrap_or(1))?;
        let per_page = self.per_page.map(|n| non_zero("per_page", n)).transpose()?;
        if per_page.is_some_and(|n| n.get() > MAX_USERS_PER_PAGE) {
            return Err(invalid(format!("per_page is at most {MAX_USERS_PER_PAGE}")));
        }
        let raw = self.client.raw();
        let mut request = raw.list_users();
        if self.page.is_some() {
            request = request.page(page);
        }
        if let Some(per_page) = per_page {
            request = request.per_page(per_page);
        }
        if let Some(tag_id) = self.tag_id {
            request = request.tag_id(tag_id);
        }
        if let Some(tag_name) = self.tag_name {
            request = request.tag_name(tag_name);
        }
        self.client
            .call(&operations::LIST_USERS, request.send())
            .await
    }

    /// Every page from the starting one, following `next_page`. The stream ends on the last
    /// page, on an empty page, or on a `next_page` past `total_pages` or not moving forward;
    /// after [`ClientBuilder::max_pages`](crate::ClientBuilder::max_pages) pages with more
    /// announced, it ends with [`Error::TooManyPages`].
    ///
    /// ```no_run
    /// use futures_util::TryStreamExt;
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let mut pages = std::pin::pin!(client.users().list().per_page(500).pages());
    /// while let Some(page) = pages.try_next().await? {
    ///     println!("page {}: {} users", page.page, page.users.len());
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn pages(self) -> impl Stream<Item = Result<types::UserList, Error>> + Send + 'static {
        let first = self.page.unwrap_or(1);
        let max_pages = self.client.max_pages();
        paginate::numbered(operations::LIST_USERS.name, first, max_pages, move |page| {
            self.clone().page(page).send()
        })
    }

    /// Every user of every page, one page in memory at a time.
    ///
    /// ```no_run
    /// use futures_util::{StreamExt, TryStreamExt};
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// // Pages are fetched as the stream is read: ten users need only the first page.
    /// let first_ten: Vec<_> = client.users().list().stream().take(10).try_collect().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn stream(self) -> impl Stream<Item = Result<types::User, Error>> + Send + 'static {
        paginate::items(self.pages(), |page| page.users)
    }

    /// Every user, collected (convenient for small applications; prefer `.stream()` otherwise).
    ///
    /// ```no_run
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let everyone = client.users().list().collect_all().await?;
    /// let emails: Vec<_> = everyone.iter().filter_map(|user| user.email.as_deref()).collect();
    /// # Ok(())
    /// # }
    /// ```
    pub async fn collect_all(self) -> Result<Vec<types::User>, Error> {
        self.stream().try_collect().await
    }
}

/// `GET /v1/users/?email=…` or `?user_id=…`: one user.
///
/// ```no_run
/// use intercom_api::{Error, UserRef};
/// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
/// match client.users().get(UserRef::email("nobody@example.com")).send().await {
///     Ok(user) => println!("found {:?}", user.name),
///     Err(Error::Api(api)) if api.status.as_u16() == 404 => println!("no such user"),
///     Err(other) => return Err(other),
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
#[must_use = "nothing is sent until .send()"]
pub struct GetUser {
    client: Client,
    user: UserRef,
}

impl GetUser {
    /// Reads the user.
    ///
    /// ```no_run
    /// use intercom_api::UserRef;
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let user = client.users().get(UserRef::user_id("7902")).send().await?;
    /// assert_eq!(user.user_id.as_deref(), Some("7902"));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn send(self) -> Result<types::User, Error> {
        self.user.refuse_empty("get_user")?;
        let (user_id, email) = self.user.into_parts();
        let raw = self.client.raw();
        let mut request = raw.get_user();
        if let Some(user_id) = user_id {
            request = request.user_id(user_id);
        }
        if let Some(email) = email {
            request = request.email(email);
        }
        self.client
            .call(&operations::GET_USER, request.send())
            .await
    }
}

#[derive(Clone, Copy, Debug)]
enum Write {
    Create,
    Update,
}

/// `POST` or `PUT /v1/users`: the fields to set on a user.
///
/// ```no_run
/// use intercom_api::UserRef;
/// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
/// # let last_ip: Option<&str> = Some("1.2.3.4");
/// // Set only what you know.
/// let mut write = client.users().update(UserRef::user_id("7902"));
/// if let Some(ip) = last_ip {
///     write = write.last_seen_ip(ip);
/// }
/// write.send().await?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
#[must_use = "nothing is sent until .send()"]
pub struct WriteUser {
    client: Client,
    write: Write,
    body: types::UserRequest,
}

impl WriteUser {
    fn new(client: Client, user: UserRef, write: Write) -> Self {
        let (user_id, email) = user.into_parts();
        WriteUser {
            client,
            write,
            body: types::UserRequest {
                user_id,
                email,
                ..Default::default()
            },
        }
    }

    /// The user's full name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.body.name = Some(name.into());
        self
    }

    /// When the user signed up.
    pub fn created_at(mut self, at: impl Into<UnixTime>) -> Self {
        self.body.created_at = Some(at.into());
        self
    }

    /// When the user last visited your application.
    pub fn last_request_at(mut self, at: impl Into<UnixTime>) -> Self {
        self.body.last_request_at = Some(at.into());
        self
    }

    /// When the user last visited your application (the same as `last_request_at`).
    pub fn last_impression_at(mut self, at: impl Into<UnixTime>) -> Self {
        self.body.last_impression_at = Some(at.into());
        self
    }

    /// The ip address the user last visited from (Intercom derives location_data from it).
    pub fn last_seen_ip(mut self, ip: impl Into<String>) -> Self {
        self.body.last_seen_ip = Some(ip.into());
        self
    }

    /// The user agent the user last visited with.
    pub fn last_seen_user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.body.last_seen_user_agent = Some(user_agent.into());
        self
    }

    /// One custom attribute (kept as sent).
    ///
    /// ```no_run
    /// use intercom_api::UserRef;
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// client
    ///     .users()
    ///     .update(UserRef::user_id("7902"))
    ///     .custom_attribute("plan", "pro")
    ///     .custom_attribute("seats", 5)
    ///     .custom_attribute("beta_tester", true)
    ///     .send()
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn custom_attribute(
        mut self,
        key: impl Into<String>,
        value: impl Into<serde_json::Value>,
    ) -> Self {
        let data = self
            .body
            .custom_data
            .get_or_insert_with(|| serde_json::Map::new().into());
        data.0.insert(key.into(), value.into());
        self
    }

    /// All custom attributes at once (replacing any set before).
    pub fn custom_data(mut self, data: serde_json::Map<String, serde_json::Value>) -> Self {
        self.body.custom_data = Some(data.into());
        self
    }

    /// A company the user belongs to (added to those set before).
    pub fn company(mut self, company: types::Company) -> Self {
        self.body.companies.push(company);
        self
    }

    /// Sends the user.
    ///
    /// ```no_run
    /// use intercom_api::UserRef;
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// // An upsert: the same call creates Ben or updates him.
    /// let ben = client.users().create(UserRef::email("ben@intercom.io")).name("Ben").send().await?;
    /// assert_eq!(ben.email.as_deref(), Some("ben@intercom.io"));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn send(self) -> Result<types::User, Error> {
        let operation = match self.write {
            Write::Create => "create_user",
            Write::Update => "update_user",
        };
        let identity = [
            ("user_id", self.body.user_id.as_deref()),
            ("email", self.body.email.as_deref()),
        ];
        refuse_empty(operation, &identity)?;
        let raw = self.client.raw();
        match self.write {
            Write::Create => {
                let request = raw.create_user().body(self.body);
                self.client
                    .call(&operations::CREATE_USER, request.send())
                    .await
            }
            Write::Update => {
                let request = raw.update_user().body(self.body);
                self.client
                    .call(&operations::UPDATE_USER, request.send())
                    .await
            }
        }
    }
}

/// `DELETE /v1/users`: removes a user; answers with the deleted user.
///
/// ```no_run
/// use intercom_api::UserRef;
/// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
/// let request = client.users().delete(UserRef::user_id("7902"));
/// let deleted = request.send().await?;
/// println!("deleted {:?}", deleted.email);
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
#[must_use = "nothing is sent until .send()"]
pub struct DeleteUser {
    client: Client,
    user: UserRef,
}

impl DeleteUser {
    /// Deletes the user.
    ///
    /// ```no_run
    /// use intercom_api::UserRef;
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let gone = client.users().delete(UserRef::email("ben@intercom.io")).send().await?;
    /// assert_eq!(gone.email.as_deref(), Some("ben@intercom.io"));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn send(self) -> Result<types::User, Error> {
        self.user.refuse_empty("delete_user")?;
        let (user_id, email) = self.user.into_parts();
        let body = types::UserIdentity { user_id, email };
        let request = self.client.raw().delete_user().body(body);
        self.client
            .call(&operations::DELETE_USER, request.send())
            .await
    }
}

fn non_zero(name: &str, value: u64) -> Result<NonZeroU64, Error> {
    NonZeroU64::new(value).ok_or_else(|| invalid(format!("{name} starts at 1")))
}

fn invalid(message: String) -> Error {
    Error::InvalidRequest {
        operation: operations::LIST_USERS.name.to_string(),
        message,
    }
}
