//! `client.notes()`: add a note to a user.

use crate::{Client, Error, UserRef, identity::refuse_empty, operations, types};

/// Notes on users (`/v1/users/notes`).
///
/// ```no_run
/// use intercom_api::UserRef;
/// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
/// let notes = client.notes();
/// for text in ["Called about billing", "Sent a refund"] {
///     notes.create(UserRef::user_id("7902"), text).send().await?;
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct Notes {
    client: Client,
}

impl Notes {
    pub(crate) fn new(client: Client) -> Self {
        Notes { client }
    }

    /// Adds a note with this text to the user; answers with the note (and the user).
    ///
    /// Not retried after it may have reached Intercom (a replay would add a second note).
    ///
    /// ```no_run
    /// use intercom_api::UserRef;
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let note = client.notes().create(UserRef::email("ben@intercom.io"), "Called about billing").send().await?;
    /// assert_eq!(note.html, "<p>Called about billing</p>");
    /// # Ok(())
    /// # }
    /// ```
    pub fn create(&self, user: UserRef, body: impl Into<String>) -> CreateNote {
        let (user_id, email) = user.into_parts();
        CreateNote {
            client: self.client.clone(),
            body: types::NoteRequest {
                user_id,
                email,
                body: body.into(),
            },
        }
    }
}

/// `POST /v1/users/notes`.
///
/// ```no_run
/// use intercom_api::{Error, UserRef};
/// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
/// let request = client.notes().create(UserRef::email("ben@intercom.io"), "Asked about SSO");
/// match request.send().await {
///     Ok(note) => println!("{}", note.html),
///     // Not replayed after it may have arrived: the note may or may not exist.
///     Err(Error::Timeout { .. } | Error::Transport { .. }) => eprintln!("look before adding it again"),
///     Err(error) => return Err(error),
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
#[must_use = "nothing is sent until .send()"]
pub struct CreateNote {
    client: Client,
    body: types::NoteRequest,
}

impl CreateNote {
    /// Adds the note.
    ///
    /// ```no_run
    /// use intercom_api::UserRef;
    /// # async fn run(client: intercom_api::Client) -> Result<(), intercom_api::Error> {
    /// let note = client.notes().create(UserRef::user_id("7902"), "Upgraded to pro").send().await?;
    /// println!("{:?}: {}", note.created_at, note.html);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn send(self) -> Result<types::Note, Error> {
        let identity = [
            ("user_id", self.body.user_id.as_deref()),
            ("email", self.body.email.as_deref()),
        ];
        refuse_empty("create_note", &identity)?;
        let request = self.client.raw().create_note().body(self.body);
        self.client
            .call(&operations::CREATE_NOTE, request.send())
            .await
    }
}
