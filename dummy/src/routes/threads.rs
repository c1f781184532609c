//! `/v1/users/message_threads`: list a user's threads, get one, start one, reply / mark read.

use std::sync::Mutex;

use super::{Call, ok};
use crate::{
    reply::{ApiError, Reply},
    state::Store,
};
use intercom_api::{operations::OperationId, types};

pub(super) fn handle(call: &Call<'_>, store: &Mutex<Store>) -> Result<Reply, ApiError> {
    let (user_id, email) = (call.param("user_id"), call.param("email"));
    match call.operation.id {
        OperationId::ListMessageThreads => {
            call.validate_query()?;
            let threads = call.store(store, |s| s.list_threads(user_id, email))?;
            Ok(ok(&threads))
        }
        OperationId::GetMessageThread => {
            call.validate_query()?;
            let thread_id = call
                .param("thread_id")
                .and_then(|t| t.parse::<i64>().ok())
                .ok_or_else(|| ApiError::bad_request("`thread_id` must be an integer"))?;
            let thread = call.store(store, |s| s.get_thread(user_id, email, thread_id))?;
            Ok(ok(&thread))
        }
        OperationId::CreateMessageThread => {
            let request: types::MessageThreadCreateRequest = call.json()?;
            let thread = call.store(store, |s| s.create_thread(request, call.now))?;
            Ok(ok(&thread))
        }
        OperationId::ReplyMessageThread => {
            let request: types::MessageThreadReplyRequest = call.json()?;
            let thread = call.store(store, |s| s.reply_thread(request, call.now))?;
            Ok(ok(&thread))
        }
        _ => Err(ApiError::not_found("no such message threads operation")),
    }
}
