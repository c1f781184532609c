//! `client.impressions()`: record that a user viewed a page.

use crate::{Client, Error, UserRef, identity::refuse_empty, operations, types};

/// Impressions (`/v1/users/impressions`).
///
/// ```no_run
/// use intercom_api::UserRef;
/// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
/// // On every page view of a signed-in user:
/// let seen = client
///     .impressions()
///     .create(UserRef::user_id("7902"))
///     .current_url("https://example.com/pricing")
///     .send()
///     .await?;
/// println!("{} unread messages", seen.unread_messages);
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct Impressions {
    client: Client,
}

impl Impressions {
    pub(crate) fn new(client: Client) -> Self {
        Impressions { client }
    }

    /// Records a page view by the user; the answer's `unread_messages` says whether to fetch
    /// messages.
    ///
    /// ```no_run
    /// use intercom_api::UserRef;
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let seen = client
    ///     .impressions()
    ///     .create(UserRef::email("ben@intercom.io"))
    ///     .user_agent("my-awesome-android-app-v0.0.1")
    ///     .send()
    ///     .await?;
    /// println!("{} unread", seen.unread_messages);
    /// # Ok(())
    /// # }
    /// ```
    pub fn create(&self, user: UserRef) -> CreateImpression {
        let (user_id, email) = user.into_parts();
        CreateImpression {
            client: self.client.clone(),
            body: types::ImpressionRequest {
                user_id,
                email,
                ..Default::default()
            },
        }
    }
}

/// `POST /v1/users/impressions`.
///
/// ```no_run
/// use intercom_api::UserRef;
/// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
/// let impression = client
///     .impressions()
///     .create(UserRef::email("ben@intercom.io"))
///     .user_ip("203.0.113.7")
///     .user_agent("Mozilla/5.0")
///     .current_url("https://example.com/settings");
/// impression.send().await?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
#[must_use = "nothing is sent until .send()"]
pub struct CreateImpression {
    client: Client,
    body: types::ImpressionRequest,
}

impl CreateImpression {
    /// The ip address the user visited from (Intercom derives location_data from it).
    pub fn user_ip(mut self, ip: impl Into<String>) -> Self {
        self.body.user_ip = Some(ip.into());
        self
    }

    /// The user agent the user visited with.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.body.user_agent = Some(user_agent.into());
        self
    }

    /// The url of the page.
    pub fn current_url(mut self, url: impl Into<String>) -> Self {
        self.body.current_url = Some(url.into());
        self
    }

    /// Records the impression.
    ///
    /// ```no_run
    /// use intercom_api::UserRef;
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let seen = client.impressions().create(UserRef::user_id("7902")).send().await?;
    /// if seen.unread_messages > 0 {
    ///     println!("fetch the user's messages");
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn send(self) -> Result<types::Impression, Error> {
        let identity = [
            ("user_id", self.body.user_id.as_deref()),
            ("email", self.body.email.as_deref()),
        ];
        refuse_empty("create_impression", &identity)?;
        let request = self.client.raw().create_impression().body(self.body);
        self.client
            .call(&operations::CREATE_IMPRESSION, request.send())
            .await
    }
}
