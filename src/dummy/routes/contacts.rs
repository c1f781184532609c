//! `/users` of the Bearer API: list, get by Intercom id, create (an upsert by email).

use std::sync::Mutex;

use super::{Call, ok, store_error};
use crate::{
    dummy::{
        reply::{ApiError, Reply},
        state::{Store, lock},
    },
    operations::{self, OperationId},
    types,
};

pub(super) fn handle(call: &Call<'_>, store: &Mutex<Store>) -> Result<Reply, ApiError> {
    let family = call.family;
    match call.operation.id {
        OperationId::ListContacts => {
            call.validate_query()?;
            let per_page = per_page(call, &operations::LIST_CONTACTS);
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

/// The page size sent, else the operation's default in the description.
pub(super) fn per_page(call: &Call<'_>, operation: &operations::Operation) -> usize {
    call.param("per_page")
        .and_then(|p| p.parse::<usize>().ok())
        .or_else(|| {
            operation
                .query_limit("per_page")
                .and_then(|limit| limit.default)
                .and_then(|default| usize::try_from(default).ok())
        })
        .unwrap_or(1)
}
