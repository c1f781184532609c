//! `/v1/users`: list, get, create (upsert), update, delete.

use std::sync::Mutex;

use serde_json::{Map, Value};

use super::{Call, ok, store_error};
use crate::{
    reply::{ApiError, Reply},
    state::{Store, TagFilter, lock},
};
use intercom_api::{operations::OperationId, types};

pub(super) fn handle(call: &Call<'_>, store: &Mutex<Store>) -> Result<Reply, ApiError> {
    let family = call.family;
    match call.operation.id {
        OperationId::ListUsers => {
            call.validate_query()?;
            let page = call
                .param("page")
                .and_then(|p| p.parse::<u64>().ok())
                .unwrap_or(1);
            let per_page = call.page_size("per_page");
            let filter = TagFilter {
                tag_id: call.param("tag_id"),
                tag_name: call.param("tag_name"),
            };
            let list = lock(store).list_users(page, per_page, filter);
            Ok(ok(&list))
        }
        OperationId::GetUser => {
            call.validate_query()?;
            let user = {
                let store = lock(store);
                store
                    .find_v1(call.param("user_id"), call.param("email"))
                    .and_then(|seq| store.user(seq).ok().cloned())
            };
            user.map(|u| ok(&u))
                .ok_or_else(|| ApiError::user_not_found(family))
        }
        OperationId::CreateUser | OperationId::UpdateUser => {
            let request: types::UserRequest = call.json()?;
            let create = call.operation.id == OperationId::CreateUser;
            let user = lock(store)
                .write_user(request, create, call.now)
                .map_err(|e| store_error(e, family))?;
            Ok(ok(&user))
        }
        OperationId::DeleteUser => {
            // Identifiers in a JSON body (as documented) or in the query (as old clients do).
            let identity: types::UserIdentity = if call.has_body() {
                call.json()?
            } else {
                let mut from_query = Map::new();
                for name in ["user_id", "email"] {
                    if let Some(value) = call.param(name) {
                        from_query.insert(name.to_string(), Value::from(value));
                    }
                }
                call.validated(Value::Object(from_query))?
            };
            let user = lock(store)
                .delete_user(identity.user_id.as_deref(), identity.email.as_deref())
                .map_err(|e| store_error(e, family))?;
            Ok(ok(&user))
        }
        _ => Err(ApiError::not_found("no such users operation")),
    }
}
