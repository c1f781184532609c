//! `/v1/tags`: get by name, create (tagging users), update (tagging or untagging users).

use std::sync::Mutex;

use super::{Call, ok};
use crate::{
    reply::{ApiError, Reply},
    state::Store,
};
use intercom_api::{operations::OperationId, types};

pub(super) fn handle(call: &Call<'_>, store: &Mutex<Store>) -> Result<Reply, ApiError> {
    match call.operation.id {
        OperationId::GetTag => {
            call.validate_query()?;
            let name = call.param("name").unwrap_or_default();
            let tag = call.store(store, |s| s.get_tag(name))?;
            Ok(ok(&tag))
        }
        OperationId::CreateTag => {
            let request: types::TagCreateRequest = call.json()?;
            let tag = call.store(store, |s| Ok(s.create_tag(request)))?;
            Ok(ok(&tag))
        }
        OperationId::UpdateTag => {
            let request: types::TagUpdateRequest = call.json()?;
            let tag = call.store(store, |s| s.update_tag(request))?;
            Ok(ok(&tag))
        }
        _ => Err(ApiError::not_found("no such tags operation")),
    }
}
