//! `/events`: submit (202, de-duplicated), list a user's events a page at a time, summary,
//! and `/events/summaries`.

use std::sync::Mutex;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use hyper::http::StatusCode;

use super::{Call, ok};
use crate::{
    reply::{ApiError, FieldError, Reply},
    state::Store,
};
use intercom_api::{operations::OperationId, types};

/// The query parameter of `pages.next` links that says where the next page starts.
const CURSOR: &str = "cursor";

pub(super) fn handle(call: &Call<'_>, store: &Mutex<Store>) -> Result<Reply, ApiError> {
    match call.operation.id {
        OperationId::CreateEvent => {
            let request: types::EventRequest = call.json()?;
            call.store(store, |s| s.add_event(request))?;
            Ok(Reply::empty(StatusCode::ACCEPTED))
        }
        OperationId::ListEvents => {
            call.validate_query()?;
            let per_page = call.page_size("per_page");
            let before = match call.param(CURSOR) {
                Some(token) => Some(decode_cursor(token).ok_or_else(bad_cursor)?),
                None => None,
            };
            let page = call.store(store, |s| {
                let seq = s.find_for_events(
                    call.param("intercom_user_id"),
                    call.param("user_id"),
                    call.param("email"),
                )?;
                s.list_events(seq, per_page, before)
            })?;
            let mut list = page.list;
            list.pages = Some(types::EventPages {
                next: page.next.map(|position| {
                    format!(
                        "{}/events?type=user&intercom_user_id={}&per_page={per_page}&{CURSOR}={}",
                        call.origin,
                        page.intercom_id,
                        encode_cursor(position)
                    )
                }),
                since: None,
                extra: Default::default(),
            });
            Ok(ok(&list))
        }
        OperationId::GetEventSummary => {
            call.validate_query()?;
            let summary = call.store(store, |s| {
                let seq = s.find_for_events(
                    call.param("intercom_user_id"),
                    call.param("user_id"),
                    call.param("email"),
                )?;
                s.event_summary(seq)
            })?;
            Ok(ok(&summary))
        }
        OperationId::SubmitEventSummaries => {
            let request: types::EventSummariesRequest = call.json()?;
            call.store(store, |s| s.add_summaries(request))?;
            Ok(Reply::empty(StatusCode::OK))
        }
        _ => Err(ApiError::not_found("no such events operation")),
    }
}

/// An opaque token for a position in a user's event list.
fn encode_cursor((created_at, arrival): (i64, u64)) -> String {
    URL_SAFE_NO_PAD.encode(format!("{created_at}.{arrival}"))
}

fn decode_cursor(token: &str) -> Option<(i64, u64)> {
    let bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
    let text = std::str::from_utf8(&bytes).ok()?;
    let (created_at, arrival) = text.split_once('.')?;
    Some((created_at.parse().ok()?, arrival.parse().ok()?))
}

fn bad_cursor() -> ApiError {
    let message = "the cursor is not one this server issued; follow `pages.next` as given";
    ApiError {
        fields: vec![FieldError {
            code: "parameter_invalid",
            field: Some(CURSOR.to_string()),
            message: message.to_string(),
        }],
        ..ApiError::bad_request(message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_strangers_are_refused() {
        for position in [(0, 0), (1_671_028_894, 7), (-5, u64::MAX)] {
            assert_eq!(decode_cursor(&encode_cursor(position)), Some(position));
        }
        for stranger in ["", "abc", "!!!", "MTIz", "YS5i"] {
            assert_eq!(decode_cursor(stranger), None, "{stranger}");
        }
    }
}
