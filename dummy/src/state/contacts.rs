//! Users through the Bearer API (`/users`): the same records as the v1 users, shown as
//! contacts and paged by cursor.

use super::{Store, StoreError};
use crate::ids;
use intercom_api::{time::UnixTime, types};

impl Store {
    /// The user with this Intercom id, as a contact.
    pub(crate) fn contact(&self, intercom_id: &str) -> Result<types::Contact, StoreError> {
        let seq = ids::parse_intercom_id(intercom_id).ok_or(StoreError::UserNotFound)?;
        Ok(contact(seq, self.user(seq)?))
    }

    /// `POST /users`: the v1 upsert keyed by email (`signed_up_at` is the v1 `created_at`).
    pub(crate) fn write_contact(
        &mut self,
        request: types::ContactRequest,
        now: UnixTime,
    ) -> Result<types::Contact, StoreError> {
        let email = request.email.clone();
        let v1 = types::UserRequest {
            email: Some(request.email),
            name: request.name,
            created_at: request.signed_up_at,
            ..types::UserRequest::default()
        };
        self.write_user(v1, true, now)?;
        let seq = self
            .find_v1(None, Some(&email))
            .ok_or(StoreError::UserNotFound)?;
        Ok(contact(seq, self.user(seq)?))
    }

    /// `GET /users`: users in creation order, `per_page` after the cursor (an Intercom id).
    pub(crate) fn list_contacts(
        &self,
        per_page: usize,
        starting_after: Option<&str>,
    ) -> Result<types::ContactList, StoreError> {
        let start = match starting_after {
            None => 0,
            Some(cursor) => ids::parse_intercom_id(cursor)
                .and_then(|seq| self.users.get_index_of(&seq))
                .ok_or(StoreError::UnknownCursor)?
                .saturating_add(1),
        };
        let (range, pages) = super::cursor::page(self.users.len(), start, per_page);
        let data: Vec<types::Contact> = range
            .filter_map(|i| self.users.get_index(i))
            .map(|(seq, record)| contact(*seq, &record.user))
            .collect();
        let cursor = data.last().map(|c| c.id.clone());
        Ok(types::ContactList {
            type_: Some("list".to_string()),
            total_count: Some(self.users.len() as i64),
            pages: Some(super::cursor::with_cursor(pages, cursor)),
            data,
            extra: Default::default(),
        })
    }
}

/// A stored user as the Bearer API shows it.
fn contact(seq: u64, user: &types::User) -> types::Contact {
    types::Contact {
        type_: Some("contact".to_string()),
        id: ids::intercom_id(seq),
        external_id: user.user_id.clone(),
        role: Some("user".to_string()),
        email: user.email.clone(),
        name: user.name.clone(),
        signed_up_at: user.created_at,
        extra: Default::default(),
    }
}
