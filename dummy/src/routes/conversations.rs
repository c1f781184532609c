//! Conversations of the Bearer API: list, get, and start one (`POST /messages`).

use std::sync::Mutex;

use super::{Call, ok};
use crate::{
    reply::{ApiError, Reply},
    state::Store,
};
use intercom_api::{operations::OperationId, types};

pub(super) fn handle(call: &Call<'_>, store: &Mutex<Store>) -> Result<Reply, ApiError> {
    match call.operation.id {
        OperationId::ListConversations => {
            call.validate_query()?;
            let per_page = call.page_size("per_page");
            let list = call.store(store, |s| {
                s.list_conversations(per_page, call.param("starting_after"))
            })?;
            Ok(ok(&list))
        }
        OperationId::GetConversation => {
            call.validate_query()?;
            let id = call.path_param("id").unwrap_or_default();
            let conversation = call.store(store, |s| s.conversation(id))?;
            Ok(ok(&conversation))
        }
        OperationId::CreateConversation => {
            let request: types::ConversationRequest = call.json()?;
            let message = call.store(store, |s| s.create_conversation(request, call.now))?;
            Ok(ok(&message))
        }
        _ => Err(ApiError::not_found("no such conversations operation")),
    }
}
