//! `/users` of the Bearer API: list, get by Intercom id, create (an upsert by email).

use std::sync::Mutex;

use super::{Call, ok};
use crate::{
    reply::{ApiError, Reply},
    state::Store,
};
use intercom_api::{operations::OperationId, types};

pub(super) fn handle(call: &Call<'_>, store: &Mutex<Store>) -> Result<Reply, ApiError> {
    match call.operation.id {
        OperationId::ListContacts => {
            call.validate_query()?;
            let per_page = call.page_size("per_page");
            let list = call.store(store, |s| {
                s.list_contacts(per_page, call.param("starting_after"))
            })?;
            Ok(ok(&list))
        }
        OperationId::GetContact => {
            call.validate_query()?;
            let id = call.path_param("id").unwrap_or_default();
            let contact = call.store(store, |s| s.contact(id))?;
            Ok(ok(&contact))
        }
        OperationId::CreateContact => {
            let request: types::ContactRequest = call.json()?;
            let contact = call.store(store, |s| s.write_contact(request, call.now))?;
            Ok(ok(&contact))
        }
        _ => Err(ApiError::not_found("no such users operation")),
    }
}
