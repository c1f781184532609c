//! The response body: the whole answer at once, or (a fault) part of it and then an error that
//! makes hyper close the connection mid-body.

use std::{
    io,
    pin::Pin,
    task::{Context, Poll},
};

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};

/// A response body.
#[derive(Debug)]
pub(crate) enum ResponseBody {
    /// The whole body (`None` once sent).
    Full(Option<Bytes>),
    /// Announces `total` bytes, sends `part`, yields once so hyper flushes what it has, then
    /// fails: hyper aborts the connection with the body incomplete.
    CutOff {
        part: Option<Bytes>,
        total: u64,
        yielded: bool,
    },
}

impl ResponseBody {
    pub(crate) fn full(bytes: Bytes) -> Self {
        if bytes.is_empty() {
            ResponseBody::Full(None)
        } else {
            ResponseBody::Full(Some(bytes))
        }
    }

    /// The first half of `bytes` (at least one byte short), announced as all of it.
    pub(crate) fn cut_off(bytes: Bytes) -> Self {
        let total = bytes.len() as u64;
        let keep = bytes.len() / 2;
        ResponseBody::CutOff {
            part: Some(bytes.slice(..keep)).filter(|p| !p.is_empty()),
            total,
            yielded: false,
        }
    }
}

impl Body for ResponseBody {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        match &mut *self {
            ResponseBody::Full(bytes) => Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
            ResponseBody::CutOff { part, yielded, .. } => {
                if let Some(part) = part.take() {
                    return Poll::Ready(Some(Ok(Frame::data(part))));
                }
                if !*yielded {
                    *yielded = true;
                    cx.waker().wake_by_ref();
                    return Poll::Pending;
                }
                Poll::Ready(Some(Err(io::Error::new(
                    io::ErrorKind::ConnectionAborted,
                    "injected fault: connection dropped mid-body",
                ))))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self, ResponseBody::Full(None))
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            ResponseBody::Full(bytes) => {
                SizeHint::with_exact(bytes.as_ref().map_or(0, |b| b.len() as u64))
            }
            ResponseBody::CutOff { total, .. } => SizeHint::with_exact(*total),
        }
    }
}
