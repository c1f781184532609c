//! `client.tags()`: get, create, update, and tag or untag users.

use crate::{Client, Error, UserRef, types};

/// Tags (`/v1/tags`).
#[derive(Clone, Debug)]
pub struct Tags {
    client: Client,
}

impl Tags {
    pub(crate) fn new(client: Client) -> Self {
        Tags { client }
    }

    /// The tag with this name.
    pub fn get(&self, name: impl Into<String>) -> GetTag {
        GetTag {
            client: self.client.clone(),
            name: name.into(),
        }
    }

    /// Creates a tag; `.users(...)` tags users with it at once.
    ///
    /// ```no_run
    /// use intercom_api::{UserRef, types::TagColor};
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let tag = client
    ///     .tags()
    ///     .create("Free Trial")
    ///     .color(TagColor::Green)
    ///     .users([UserRef::user_id("abc123"), UserRef::user_id("def456")])
    ///     .send()
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn create(&self, name: impl Into<String>) -> CreateTag {
        CreateTag {
            client: self.client.clone(),
            body: types::TagCreateRequest {
                name: name.into(),
                color: None,
                emails: Vec::new(),
                user_ids: Vec::new(),
                tag_or_untag: None,
            },
        }
    }

    /// Updates a tag (its colour).
    pub fn update(&self, name: impl Into<String>) -> UpdateTag {
        UpdateTag {
            client: self.client.clone(),
            body: types::TagUpdateRequest {
                name: name.into(),
                color: None,
                emails: Vec::new(),
                user_ids: Vec::new(),
                tag_or_untag: None,
            },
        }
    }

    /// Tags these users with the tag.
    pub fn tag_users(
        &self,
        name: impl Into<String>,
        users: impl IntoIterator<Item = UserRef>,
    ) -> UpdateTag {
        self.update(name).users(types::TagOrUntag::Tag, users)
    }

    /// Removes the tag from these users.
    pub fn untag_users(
        &self,
        name: impl Into<String>,
        users: impl IntoIterator<Item = UserRef>,
    ) -> UpdateTag {
        self.update(name).users(types::TagOrUntag::Untag, users)
    }
}

/// `GET /v1/tags?name=…`.
#[derive(Clone, Debug)]
#[must_use = "nothing is sent until .send()"]
pub struct GetTag {
    client: Client,
    name: String,
}

impl GetTag {
    /// Reads the tag.
    pub async fn send(self) -> Result<types::Tag, Error> {
        let request = self.client.raw().get_tag().name(self.name);
        self.client.call("get_tag", request.send()).await
    }
}

/// `POST /v1/tags`.
#[derive(Clone, Debug)]
#[must_use = "nothing is sent until .send()"]
pub struct CreateTag {
    client: Client,
    body: types::TagCreateRequest,
}

impl CreateTag {
    /// The tag's colour.
    pub fn color(mut self, color: types::TagColor) -> Self {
        self.body.color = Some(color);
        self
    }

    /// Users to tag with it (added to those given before).
    pub fn users(mut self, users: impl IntoIterator<Item = UserRef>) -> Self {
        split_users(users, &mut self.body.user_ids, &mut self.body.emails);
        if !self.body.user_ids.is_empty() || !self.body.emails.is_empty() {
            self.body.tag_or_untag = Some(types::TagCreateRequestTagOrUntag::Tag);
        }
        self
    }

    /// Creates the tag. Not retried after it may have reached Intercom.
    pub async fn send(self) -> Result<types::Tag, Error> {
        let request = self.client.raw().create_tag().body(self.body);
        self.client.call("create_tag", request.send()).await
    }
}

/// `PUT /v1/tags`.
#[derive(Clone, Debug)]
#[must_use = "nothing is sent until .send()"]
pub struct UpdateTag {
    client: Client,
    body: types::TagUpdateRequest,
}

impl UpdateTag {
    /// The tag's new colour.
    pub fn color(mut self, color: types::TagColor) -> Self {
        self.body.color = Some(color);
        self
    }

    fn users(
        mut self,
        action: types::TagOrUntag,
        users: impl IntoIterator<Item = UserRef>,
    ) -> Self {
        split_users(users, &mut self.body.user_ids, &mut self.body.emails);
        self.body.tag_or_untag = Some(action);
        self
    }

    /// Updates the tag.
    pub async fn send(self) -> Result<types::Tag, Error> {
        let request = self.client.raw().update_tag().body(self.body);
        self.client.call("update_tag", request.send()).await
    }
}

/// Users go by user_id where they have one, by email otherwise.
fn split_users(
    users: impl IntoIterator<Item = UserRef>,
    user_ids: &mut Vec<String>,
    emails: &mut Vec<String>,
) {
    for user in users {
        match user.into_parts() {
            (Some(user_id), _) => user_ids.push(user_id),
            (None, Some(email)) => emails.push(email),
            (None, None) => {}
        }
    }
}
