//! Conversations an admin started with a user through the Bearer API (`POST /messages`).

use super::{Store, StoreError};
use crate::ids;
use intercom_api::{time::UnixTime, types};

/// A conversation and the user it is with (deleted with them).
#[derive(Clone, Debug)]
pub(crate) struct ConversationRecord {
    pub(crate) owner: u64,
    pub(crate) conversation: types::Conversation,
}

impl Store {
    /// `POST /messages`: the admin's message to the user named by Intercom id, and the
    /// conversation it starts. `assignee` is ignored (see the description).
    pub(crate) fn create_conversation(
        &mut self,
        request: types::ConversationRequest,
        now: UnixTime,
    ) -> Result<types::ConversationMessage, StoreError> {
        let owner = ids::parse_intercom_id(&request.to.id)
            .filter(|seq| self.users.contains_key(seq))
            .ok_or(StoreError::UserNotFound)?;
        let (id, message_id) = (self.next_conversation, self.next_message);
        self.next_conversation += 1;
        self.next_message += 1;
        let conversation = types::Conversation {
            type_: Some("conversation".to_string()),
            id: id.to_string(),
            created_at: Some(now),
            updated_at: Some(now),
            open: Some(true),
            state: Some("open".to_string()),
            read: Some(false),
            source: Some(types::ConversationSource {
                type_: Some("conversation".to_string()),
                id: Some(message_id.to_string()),
                delivered_as: Some("admin_initiated".to_string()),
                body: Some(request.body.clone()),
                author: Some(types::ConversationAuthor {
                    type_: Some("admin".to_string()),
                    id: Some(request.from.id),
                    extra: Default::default(),
                }),
                extra: Default::default(),
            }),
            contacts: Some(types::ConversationContacts {
                type_: Some("contact.list".to_string()),
                contacts: Some(vec![types::ContactReference {
                    type_: Some("contact".to_string()),
                    id: Some(request.to.id),
                    extra: Default::default(),
                }]),
                extra: Default::default(),
            }),
            extra: Default::default(),
        };
        self.conversations.insert(
            id,
            ConversationRecord {
                owner,
                conversation,
            },
        );
        Ok(types::ConversationMessage {
            type_: Some("admin_message".to_string()),
            id: message_id.to_string(),
            created_at: Some(now),
            body: Some(request.body),
            message_type: Some("inapp".to_string()),
            conversation_id: Some(id.to_string()),
            extra: Default::default(),
        })
    }

    /// `GET /conversations/{id}`.
    pub(crate) fn conversation(&self, id: &str) -> Result<types::Conversation, StoreError> {
        id.parse::<u64>()
            .ok()
            .and_then(|id| self.conversations.get(&id))
            .map(|record| record.conversation.clone())
            .ok_or(StoreError::ConversationNotFound)
    }

    /// `GET /conversations`: in creation order, `per_page` after the cursor (a conversation id).
    pub(crate) fn list_conversations(
        &self,
        per_page: usize,
        starting_after: Option<&str>,
    ) -> Result<types::ConversationList, StoreError> {
        let start = match starting_after {
            None => 0,
            Some(cursor) => cursor
                .parse::<u64>()
                .ok()
                .and_then(|id| self.conversations.get_index_of(&id))
                .ok_or(StoreError::UnknownCursor)?
                .saturating_add(1),
        };
        let (range, pages) = super::cursor::page(self.conversations.len(), start, per_page);
        let conversations: Vec<types::Conversation> = range
            .filter_map(|i| self.conversations.get_index(i))
            .map(|(_, record)| record.conversation.clone())
            .collect();
        let cursor = conversations.last().map(|c| c.id.clone());
        Ok(types::ConversationList {
            type_: Some("conversation.list".to_string()),
            total_count: Some(self.conversations.len() as i64),
            pages: Some(super::cursor::with_cursor(pages, cursor)),
            conversations,
            extra: Default::default(),
        })
    }

    /// The conversations with the user `seq`, oldest first.
    pub(crate) fn conversations_of(&self, seq: u64) -> Vec<types::Conversation> {
        self.conversations
            .values()
            .filter(|record| record.owner == seq)
            .map(|record| record.conversation.clone())
            .collect()
    }
}
