//! `/users` of the Bearer API: list, get by Intercom id, create (an upsert by email).

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
        OperationId::ListContacts => {
            call.validate_query()?;
            let per_page = call.page_size("per_page");
            let list = lock(store)
                .list_contacts(per_page, call.param("starting_after"))
                .map_err(|e| store_error(e, family))?;
            Ok(ok(&list))
        }
        OperationId::GetContact => {
            call.validate_query()?;
            let id = call.path_param("id").unwrap_or_default();
            let contact = lock(store)
                .contact(id)
                .map_err(|e| store_error(e, family))?;
            Ok(ok(&contact))
        }
        OperationId::CreateContact => {
            let request: types::ContactRequest = call.json()?;
            let contact = lock(store)
                .write_contact(request, call.now)
                .map_err(|e| store_error(e, family))?;
            Ok(ok(&contact))
        }
        _ => Err(ApiError::not_found("no such users operation")),
    }
}
