//! `per_page` checked against the operation's limits in the description, before sending.

use std::num::NonZeroU64;

use crate::{Error, operations::Operation};

/// `per_page` as the generated builder takes it, or an error naming the operation and the bound.
pub(crate) fn page_size(operation: &Operation, per_page: u64) -> Result<NonZeroU64, Error> {
    let invalid = |message: String| Error::InvalidRequest {
        operation: operation.name.to_string(),
        message,
    };
    let size = NonZeroU64::new(per_page).ok_or_else(|| invalid("per_page starts at 1".into()))?;
    match operation.query_limit("per_page").and_then(|l| l.maximum) {
        Some(maximum) if per_page > maximum.max(0) as u64 => {
            Err(invalid(format!("per_page is at most {maximum}")))
        }
        _ => Ok(size),
    }
}
