//! `/v1/users`: list, get, create (upsert), update, delete.

use std::sync::Mutex;

use serde_json::{Map, Value};

use super::{Call, ok};
use crate::{
    reply::{ApiError, Reply},
    state::{Store, StoreError, TagFilter},
};
use intercom_api::{operations::OperationId, types};

pub(super) fn handle(call: &Call<'_>, store: &Mutex<Store>) -> Result<Reply, ApiError> {
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
            let list = call.store(store, |s| Ok(s.list_users(page, per_page, filter)))?;
            Ok(ok(&list))
        }
        OperationId::GetUser => {
            call.validate_query()?;
            let user = call.store(store, |s| {
                let seq = s
                    .find_v1(call.param("user_id"), call.param("email"))
                    .ok_or(StoreError::UserNotFound)?;
                s.user(seq).cloned()
            })?;
            Ok(ok(&user))
        }
        OperationId::CreateUser | OperationId::UpdateUser => {
            let request: types::UserRequest = call.json()?;
            let create = call.operation.id == OperationId::CreateUser;
            let user = call.store(store, |s| s.write_user(request, create, call.now))?;
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
            let user = call.store(store, |s| {
                s.delete_user(identity.user_id.as_deref(), identity.email.as_deref())
            })?;
            Ok(ok(&user))
        }
        _ => Err(ApiError::not_found("no such users operation")),
    }
}
