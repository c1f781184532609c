//! Cursor pages (`starting_after`) of the Bearer API's lists.

use std::ops::Range;

use intercom_api::types;

/// Which items of a list of `len` a page starting at `start` holds, and where it stands; `next`
/// is set (without its cursor) when items follow. `per_page` is already held to the
/// operation's limits (`Call::page_size`).
pub(super) fn page(
    len: usize,
    start: usize,
    per_page: usize,
) -> (Range<usize>, types::CursorPages) {
    let per_page = per_page.max(1);
    let start = start.min(len);
    let end = start.saturating_add(per_page).min(len);
    let number = |at: usize| (at / per_page + 1) as i64;
    let pages = types::CursorPages {
        type_: Some("pages".to_string()),
        page: Some(number(start)),
        per_page: Some(per_page as i64),
        total_pages: Some(len.div_ceil(per_page) as i64),
        next: (end < len).then(|| types::CursorPagesNext {
            page: Some(number(end)),
            starting_after: None,
            extra: Default::default(),
        }),
        extra: Default::default(),
    };
    (start..end, pages)
}

/// `pages` with the cursor of its next page (the last item's id), or without a next page.
pub(super) fn with_cursor(
    mut pages: types::CursorPages,
    cursor: Option<String>,
) -> types::CursorPages {
    match (&mut pages.next, cursor) {
        (Some(next), Some(cursor)) => next.starting_after = Some(cursor),
        _ => pages.next = None,
    }
    pages
}
