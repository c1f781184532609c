//! Every operation, resource by resource, against a wiremock server on 127.0.0.1 answering the
//! documented answer: what the generated client sends for each of the 24 operations (method,
//! path, query with its exact text, JSON body, content type and credentials, as the docs' curl
//! lines and examples give them) and that the docs' example response decodes; and that every
//! call of the ergonomic layer (`client.users()`, ...) sends the request the docs describe and
//! returns the documented answer.
//!
//! `getMessageThread` and `getEventSummary` are sent to the paths of the list operations they
//! share with the docs (`x-wire-path`), though the description lists them under other keys.
//! The blog's Bearer calls (users and conversations) send `Authorization: Bearer`; its
//! "Create a New Conversation" goes to `POST /messages` (see the description).

use intercom_api::UserRef;

mod contacts;
mod conversations;
mod events;
mod impressions;
mod message_threads;
mod notes;
mod tags;
mod users;

fn ben() -> UserRef {
    UserRef::email("ben@intercom.io")
}
