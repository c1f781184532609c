//! `/v1/users/notes` and `/v1/users/impressions`: what is done to one user.

use std::sync::Mutex;

use super::{Call, ok};
use crate::{
    reply::{ApiError, Reply},
    state::Store,
};
use intercom_api::{operations::OperationId, types};

pub(super) fn handle(call: &Call<'_>, store: &Mutex<Store>) -> Result<Reply, ApiError> {
    match call.operation.id {
        OperationId::CreateNote => {
            let request: types::NoteRequest = call.json()?;
            let note = call.store(store, |s| s.add_note(request, call.now))?;
            Ok(ok(&note))
        }
        OperationId::CreateImpression => {
            let request: types::ImpressionRequest = call.json()?;
            let impression = call.store(store, |s| s.impression(request, call.now))?;
            Ok(ok(&impression))
        }
        _ => Err(ApiError::not_found("no such notes operation")),
    }
}
