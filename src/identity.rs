//! Who a call is about: [`UserRef`] for the v1 API, [`EventUser`] for the events API.
//!
//! The documents say "user_id or email required"; an enum makes a call without one impossible
//! to write. Both types are also at the crate root (`intercom_api::UserRef`).

use crate::Error;

/// Refuses a request whose identity has an empty part, naming the field.
///
/// The description says `minLength: 1` on every `user_id`, `email` and id that names a user:
/// an empty one addresses nobody (or, on an upsert, creates a user without an identity).
/// `fields` pairs each wire name with its value, `None` when it is not sent.
pub(crate) fn refuse_empty(operation: &str, fields: &[(&str, Option<&str>)]) -> Result<(), Error> {
    match fields.iter().find(|(_, value)| value == &Some("")) {
        Some((field, _)) => Err(Error::InvalidRequest {
            operation: operation.to_string(),
            message: format!(
                "`{field}` is empty; a user is identified by a non-empty `{field}` (not sent)"
            ),
        }),
        None => Ok(()),
    }
}

/// A v1 user, addressed by the `user_id` you gave it, its email, or both.
///
/// ```
/// use intercom_api::UserRef;
///
/// assert_eq!(UserRef::email("ben@intercom.io").as_email(), Some("ben@intercom.io"));
/// assert_eq!(UserRef::email("ben@intercom.io").as_user_id(), None);
/// assert_eq!(UserRef::both("7902", "ben@intercom.io").as_user_id(), Some("7902"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum UserRef {
    /// Your identifier for the user.
    UserId(String),
    /// The user's email address.
    Email(String),
    /// Both (what creating a user usually sends).
    Both {
        /// Your identifier for the user.
        user_id: String,
        /// The user's email address.
        email: String,
    },
}

impl UserRef {
    /// By `user_id`.
    ///
    /// ```
    /// use intercom_api::UserRef;
    ///
    /// let user = UserRef::user_id("7902");
    /// assert_eq!(user, UserRef::UserId("7902".to_string()));
    /// assert_eq!(user.as_email(), None);
    /// ```
    pub fn user_id(user_id: impl Into<String>) -> Self {
        UserRef::UserId(user_id.into())
    }

    /// By email.
    ///
    /// ```
    /// use intercom_api::UserRef;
    ///
    /// let user = UserRef::email("ben@intercom.io");
    /// assert_eq!(user.as_email(), Some("ben@intercom.io"));
    /// ```
    pub fn email(email: impl Into<String>) -> Self {
        UserRef::Email(email.into())
    }

    /// By both `user_id` and email.
    ///
    /// ```
    /// use intercom_api::UserRef;
    ///
    /// let ben = UserRef::both("7902", "ben@intercom.io");
    /// assert_eq!((ben.as_user_id(), ben.as_email()), (Some("7902"), Some("ben@intercom.io")));
    /// ```
    pub fn both(user_id: impl Into<String>, email: impl Into<String>) -> Self {
        UserRef::Both {
            user_id: user_id.into(),
            email: email.into(),
        }
    }

    /// The `user_id`, when given.
    ///
    /// ```
    /// use intercom_api::UserRef;
    ///
    /// assert_eq!(UserRef::user_id("7902").as_user_id(), Some("7902"));
    /// assert_eq!(UserRef::email("ben@intercom.io").as_user_id(), None);
    /// ```
    pub fn as_user_id(&self) -> Option<&str> {
        match self {
            UserRef::UserId(user_id) | UserRef::Both { user_id, .. } => Some(user_id),
            UserRef::Email(_) => None,
        }
    }

    /// The email, when given.
    ///
    /// ```
    /// use intercom_api::UserRef;
    ///
    /// assert_eq!(UserRef::both("7902", "ben@intercom.io").as_email(), Some("ben@intercom.io"));
    /// assert_eq!(UserRef::user_id("7902").as_email(), None);
    /// ```
    pub fn as_email(&self) -> Option<&str> {
        match self {
            UserRef::Email(email) | UserRef::Both { email, .. } => Some(email),
            UserRef::UserId(_) => None,
        }
    }

    /// Refuses an empty `user_id` or email before `operation` is sent.
    pub(crate) fn refuse_empty(&self, operation: &str) -> Result<(), Error> {
        refuse_empty(
            operation,
            &[("user_id", self.as_user_id()), ("email", self.as_email())],
        )
    }

    /// `(user_id, email)` as owned options, the shape of the request bodies.
    pub(crate) fn into_parts(self) -> (Option<String>, Option<String>) {
        match self {
            UserRef::UserId(user_id) => (Some(user_id), None),
            UserRef::Email(email) => (None, Some(email)),
            UserRef::Both { user_id, email } => (Some(user_id), Some(email)),
        }
    }
}

/// A user (or lead) of the Data Events API: by your `user_id`, email, or Intercom's id.
///
/// ```
/// use intercom_api::EventUser;
///
/// let lead = EventUser::intercom_id("63a0979a5eeebeaf28dd56ba");
/// assert_eq!(lead, EventUser::IntercomId("63a0979a5eeebeaf28dd56ba".into()));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum EventUser {
    /// Your identifier for the user.
    UserId(String),
    /// The user's email (only where your application identifies users by email).
    Email(String),
    /// Intercom's id for the user or lead (`id` when creating, `intercom_user_id` when reading;
    /// the only way to address a lead).
    IntercomId(String),
}

impl EventUser {
    /// By `user_id`.
    ///
    /// ```
    /// use intercom_api::EventUser;
    ///
    /// assert_eq!(EventUser::user_id("314159"), EventUser::UserId("314159".to_string()));
    /// ```
    pub fn user_id(user_id: impl Into<String>) -> Self {
        EventUser::UserId(user_id.into())
    }

    /// By email.
    ///
    /// ```
    /// use intercom_api::EventUser;
    ///
    /// let user = EventUser::email("ben@intercom.io");
    /// assert_eq!(user, EventUser::Email("ben@intercom.io".to_string()));
    /// ```
    pub fn email(email: impl Into<String>) -> Self {
        EventUser::Email(email.into())
    }

    /// By Intercom's id.
    ///
    /// ```
    /// use intercom_api::EventUser;
    ///
    /// // A lead has no user_id: address it by Intercom's id.
    /// let lead = EventUser::intercom_id("63a0979a5eeebeaf28dd56ba");
    /// assert!(matches!(lead, EventUser::IntercomId(id) if id.len() == 24));
    /// ```
    pub fn intercom_id(id: impl Into<String>) -> Self {
        EventUser::IntercomId(id.into())
    }

    /// Refuses an empty identifier before `operation` is sent; Intercom's id is named
    /// `id_field` on the wire (`intercom_user_id` in the queries that read events).
    pub(crate) fn refuse_empty(&self, operation: &str, id_field: &str) -> Result<(), Error> {
        let (field, value) = match self {
            EventUser::UserId(value) => ("user_id", value),
            EventUser::Email(value) => ("email", value),
            EventUser::IntercomId(value) => (id_field, value),
        };
        refuse_empty(operation, &[(field, Some(value))])
    }
}
