//! Page streams: numbered pages (`next_page`, v1 users) and linked pages (`pages.next`, events).
//!
//! One page is in memory at a time. A stream ends when the next page is missing, or when it
//! would go back to a page already read (a misbehaving server cannot make it loop forever).

use std::{collections::HashSet, future::Future};

use futures_util::{Stream, TryStreamExt, stream};

use crate::error::Error;

/// Pages `first`, then each page's `next_page`, while the numbers keep increasing.
pub(crate) fn numbered<P, F, Fut>(
    first: u64,
    next_page: fn(&P) -> Option<i64>,
    mut fetch: F,
) -> impl Stream<Item = Result<P, Error>> + Send
where
    P: Send,
    F: FnMut(u64) -> Fut + Send,
    Fut: Future<Output = Result<P, Error>> + Send,
{
    stream::try_unfold(Some(first), move |page| {
        let fetching = page.map(&mut fetch);
        async move {
            let (Some(number), Some(fetching)) = (page, fetching) else {
                return Ok(None);
            };
            let current = fetching.await?;
            let next = match next_page(&current) {
                Some(next) if next > 0 && (next as u64) > number => Some(next as u64),
                Some(next) => {
                    tracing::warn!(
                        page = number,
                        next,
                        "next_page does not move forward; stopping"
                    );
                    None
                }
                None => None,
            };
            Ok(Some((current, next)))
        }
    })
}

/// Where a linked-page stream stands.
enum Cursor {
    First,
    Link(String),
}

/// The first page, then each page's `next` link until there is none or one repeats.
pub(crate) fn linked<P, First, FirstFut, Follow, FollowFut>(
    first: First,
    next_link: fn(&P) -> Option<String>,
    mut follow: Follow,
) -> impl Stream<Item = Result<P, Error>> + Send
where
    P: Send,
    First: FnOnce() -> FirstFut + Send,
    FirstFut: Future<Output = Result<P, Error>> + Send,
    Follow: FnMut(String) -> FollowFut + Send,
    FollowFut: Future<Output = Result<P, Error>> + Send,
{
    let mut first = Some(first);
    let seen: HashSet<String> = HashSet::new();
    stream::try_unfold((Some(Cursor::First), seen), move |(cursor, mut seen)| {
        let fetching = match cursor {
            None => None,
            Some(Cursor::First) => first
                .take()
                .map(|first| futures_util::future::Either::Left(first())),
            Some(Cursor::Link(link)) => Some(futures_util::future::Either::Right(follow(link))),
        };
        async move {
            let Some(fetching) = fetching else {
                return Ok(None);
            };
            let page = fetching.await?;
            let next = match next_link(&page) {
                Some(link) if seen.insert(link.clone()) => Some(Cursor::Link(link)),
                Some(_) => {
                    tracing::warn!("pages.next repeats a page already read; stopping");
                    None
                }
                None => None,
            };
            Ok(Some((page, (next, seen))))
        }
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
