//! One handle per resource of the API, each call a builder ending in `.send().await`.

mod bulk_pace;
mod contacts;
mod conversations;
mod events;
mod events_bulk;
mod impressions;
mod message_threads;
mod notes;
mod page_size;
mod tags;
mod users;

pub use contacts::{Contacts, CreateContact, GetContact, ListContacts};
pub use conversations::{Conversations, CreateConversation, GetConversation, ListConversations};
pub use events::{CreateEvent, Events, GetEventSummary, ListEvents, NewEvent, SubmitSummaries};
pub use events_bulk::{
    BulkEvent, BulkFailure, BulkOutcome, BulkReport, BulkStatus, CreateMany,
    DEFAULT_BULK_CONCURRENCY, Journaled,
};
pub use impressions::{CreateImpression, Impressions};
pub use message_threads::{
    CreateMessageThread, GetMessageThread, ListMessageThreads, MessageThreads, ReplyMessageThread,
};
pub use notes::{CreateNote, Notes};
pub use tags::{CreateTag, GetTag, Tags, UpdateTag};
pub use users::{DeleteUser, GetUser, ListUsers, MAX_USERS_PER_PAGE, Users, WriteUser};
