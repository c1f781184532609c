//! `/v1/users/notes` and `/v1/users/impressions`: what is done to one user.

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
        OperationId::CreateNote => {
            let request: types::NoteRequest = call.json()?;
            let note = lock(store)
                .add_note(request, call.now)
                .map_err(|e| store_error(e, family))?;
            Ok(ok(&note))
        }
        OperationId::CreateImpression => {
            let request: types::ImpressionRequest = call.json()?;
            let impression = lock(store)
                .impression(request, call.now)
                .map_err(|e| store_error(e, family))?;
            Ok(ok(&impression))
        }
        _ => Err(ApiError::not_found("no such notes operation")),
    }
}
