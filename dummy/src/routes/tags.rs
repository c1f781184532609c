//! `/v1/tags`: get by name, create (tagging users), update (tagging or untagging users).

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
        OperationId::GetTag => {
            call.validate_query()?;
            let name = call.param("name").unwrap_or_default();
            let tag = lock(store)
                .get_tag(name)
                .map_err(|e| store_error(e, family))?;
            Ok(ok(&tag))
        }
        OperationId::CreateTag => {
            let request: types::TagCreateRequest = call.json()?;
            let tag = lock(store).create_tag(request);
            Ok(ok(&tag))
        }
        OperationId::UpdateTag => {
            let request: types::TagUpdateRequest = call.json()?;
            let tag = lock(store)
                .update_tag(request)
                .map_err(|e| store_error(e, family))?;
            Ok(ok(&tag))
        }
        _ => Err(ApiError::not_found("no such tags operation")),
    }
}
