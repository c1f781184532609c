//! Page streams: numbered pages (`next_page`, v1 users) and linked pages (`pages.next`, events).
//!
//! One page is in memory at a time. A stream always ends: when the next page is missing, when a
//! page is empty, when the next page number does not move forward or is past `total_pages`, when
//! a `next` link repeats one already followed — and, whatever the server announces, after the
//! client's page limit ([`ClientBuilder::max_pages`](crate::ClientBuilder::max_pages)), with
//! [`Error::TooManyPages`] rather than a silent stop.

use std::{collections::HashSet, future::Future};

use futures_util::{Stream, TryStreamExt, stream};

use crate::{error::Error, types};

/// A page of a numbered list.
pub(crate) trait NumberedPage {
    /// No item on this page.
    fn is_empty(&self) -> bool;
    /// The number of the next page, as the server announced it.
    fn next_page(&self) -> Option<i64>;
    /// How many pages the server says there are.
    fn total_pages(&self) -> i64;
}

impl NumberedPage for types::UserList {
    fn is_empty(&self) -> bool {
        self.users.is_empty()
    }
    fn next_page(&self) -> Option<i64> {
        self.next_page
    }
    fn total_pages(&self) -> i64 {
        self.total_pages
    }
}

/// A page of a linked list.
pub(crate) trait LinkedPage {
    /// No item on this page.
    fn is_empty(&self) -> bool;
    /// The link (or cursor) to the next page, as the server announced it.
    fn next_link(&self) -> Option<String>;
}

/// Cursor pages (`pages.next.starting_after`) are linked pages whose link is the cursor.
impl LinkedPage for types::ContactList {
    fn is_empty(&self) -> bool {
        self.data.is_empty()
    }
    fn next_link(&self) -> Option<String> {
        next_cursor(self.pages.as_ref())
    }
}

impl LinkedPage for types::ConversationList {
    fn is_empty(&self) -> bool {
        self.conversations.is_empty()
    }
    fn next_link(&self) -> Option<String> {
        next_cursor(self.pages.as_ref())
    }
}

fn next_cursor(pages: Option<&types::CursorPages>) -> Option<String> {
    pages?.next.as_ref()?.starting_after.clone()
}

impl LinkedPage for types::EventList {
    fn is_empty(&self) -> bool {
        self.events.is_empty()
    }
    fn next_link(&self) -> Option<String> {
        self.pages.as_ref().and_then(|pages| pages.next.clone())
    }
}

/// What a stream does after the page it just delivered.
enum Then<C> {
    Fetch(C),
    End,
    /// The page limit is reached while the server announces more: fail on the next poll.
    Refuse,
}

/// After `read` pages, whether to fetch the announced `next` one.
fn then<C>(next: Option<C>, read: u64, max_pages: u64) -> Then<C> {
    match next {
        None => Then::End,
        Some(_) if read >= max_pages => Then::Refuse,
        Some(next) => Then::Fetch(next),
    }
}

fn too_many_pages(operation: &'static str, max_pages: u64) -> Error {
    Error::TooManyPages {
        operation: operation.to_string(),
        limit: max_pages,
    }
}

/// Pages `first`, then each page's `next_page` while the pages hold items, the numbers keep
/// increasing and stay within `total_pages`; at most `max_pages` pages.
pub(crate) fn numbered<P, F, Fut>(
    operation: &'static str,
    first: u64,
    max_pages: u64,
    mut fetch: F,
) -> impl Stream<Item = Result<P, Error>> + Send
where
    P: NumberedPage + Send,
    F: FnMut(u64) -> Fut + Send,
    Fut: Future<Output = Result<P, Error>> + Send,
{
    stream::try_unfold((Then::Fetch(first), 0u64), move |(then_, read)| {
        let fetching = match then_ {
            Then::Fetch(number) => Some((number, fetch(number))),
            Then::End => None,
            Then::Refuse => {
                return futures_util::future::Either::Left(std::future::ready(Err(
                    too_many_pages(operation, max_pages),
                )));
            }
        };
        futures_util::future::Either::Right(async move {
            let Some((number, fetching)) = fetching else {
                return Ok(None);
            };
            let current = fetching.await?;
            let read = read + 1;
            let next = match current.next_page() {
                None => None,
                Some(_) if current.is_empty() => {
                    tracing::warn!(
                        page = number,
                        "an empty page announces a next page; stopping"
                    );
                    None
                }
                Some(next) if next <= 0 || (next as u64) <= number => {
                    tracing::warn!(
                        page = number,
                        next,
                        "next_page does not move forward; stopping"
                    );
                    None
                }
                Some(next) if next > current.total_pages() => {
                    tracing::warn!(
                        page = number,
                        next,
                        total_pages = current.total_pages(),
                        "next_page is past total_pages; stopping"
                    );
                    None
                }
                Some(next) => Some(next as u64),
            };
            Ok(Some((current, (then(next, read, max_pages), read))))
        })
    })
}

/// Where a linked-page stream stands.
enum Cursor {
    First,
    Link(String),
}

/// The first page, then each page's `next` link while the pages hold items and no link
/// repeats; at most `max_pages` pages.
pub(crate) fn linked<P, First, FirstFut, Follow, FollowFut>(
    operation: &'static str,
    max_pages: u64,
    first: First,
    mut follow: Follow,
) -> impl Stream<Item = Result<P, Error>> + Send
where
    P: LinkedPage + Send,
    First: FnOnce() -> FirstFut + Send,
    FirstFut: Future<Output = Result<P, Error>> + Send,
    Follow: FnMut(String) -> FollowFut + Send,
    FollowFut: Future<Output = Result<P, Error>> + Send,
{
    use futures_util::future::Either;
    let mut first = Some(first);
    let seen: HashSet<String> = HashSet::new();
    let start = (Then::Fetch(Cursor::First), seen, 0u64);
    stream::try_unfold(start, move |(then_, mut seen, read)| {
        let fetching = match then_ {
            Then::Fetch(Cursor::First) => first.take().map(|first| Either::Left(first())),
            Then::Fetch(Cursor::Link(link)) => Some(Either::Right(follow(link))),
            Then::End => None,
            Then::Refuse => {
                return Either::Left(std::future::ready(Err(too_many_pages(
                    operation, max_pages,
                ))));
            }
        };
        Either::Right(async move {
            let Some(fetching) = fetching else {
                return Ok(None);
            };
            let page = fetching.await?;
            let read = read + 1;
            let next = match page.next_link() {
                None => None,
                Some(_) if page.is_empty() => {
                    tracing::warn!("an empty page announces a next page; stopping");
                    None
                }
                Some(link) if seen.insert(link.clone()) => Some(Cursor::Link(link)),
                Some(_) => {
                    tracing::warn!("pages.next repeats a page already read; stopping");
                    None
                }
            };
            Ok(Some((page, (then(next, read, max_pages), seen, read))))
        })
    })
}

/// The items of every page, one page in memory at a time.
pub(crate) fn items<P, I>(
    pages: impl Stream<Item = Result<P, Error>> + Send,
    into_items: fn(P) -> Vec<I>,
) -> impl Stream<Item = Result<I, Error>> + Send
where
    P: Send,
    I: Send,
{
    pages
        .map_ok(move |page| stream::iter(into_items(page).into_iter().map(Ok)))
        .try_flatten()
}
