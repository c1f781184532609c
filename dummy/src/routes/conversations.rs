//! Conversations of the Bearer API: list, get, and start one (`POST /messages`).

use std::sync::Mutex;

use super::{Call, ok, store_error};
use crate::{
    reply::{ApiError, Reply},
    state::{Store, lock},
};
use intercom_api::{operations::OperationId, types};

pub(super) fn handle(call: &Call<'_>, store: &Mutex<Store>) -> Result<Reply, ApiError> {
    let family = call.family;
    match call.operation.id {
        OperationId::ListConversations => {
            call.validate_query()?;
            let per_page = call.page_size("per_page");
            let list = lock(store)
                .list_conversations(per_page, call.param("starting_after"))
                .map_err(|e| store_error(e, family))?;
            Ok(ok(&list))
        }
        OperationId::GetConversation => {
            call.validate_query()?;
            let id = call.path_param("id").unwrap_or_default();
            let conversation = lock(store)
                .conversation(id)
                .map_err(|e| store_error(e, family))?;
            Ok(ok(&conversation))
        }
        OperationId::CreateConversation => {
            let request: types::ConversationRequest = call.json()?;
            let message = lock(store)
                .create_conversation(request, call.now)
                .map_err(|e| store_error(e, family))?;
            Ok(ok(&message))
        }
        _ => Err(ApiError::not_found("no such conversations operation")),
    }
}
