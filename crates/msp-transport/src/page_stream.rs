//! The one page stream every client's `list_*` returns.
//!
//! A paged list is fetched lazily, page after page; when a page fails, the error is the
//! stream's last item and nothing follows it. So a stream that ended without an error is the
//! whole list, and [`PageStream::collect_all`] returns either every item or the error, never
//! a partial list (a partial list read as a whole one is how a sync creates duplicates of
//! everything it thinks is missing).

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::stream::{self, BoxStream, Stream, StreamExt, TryStreamExt};

/// The items of a paged list as a `Stream` of `Result<T, E>`, `E` being the client's error.
///
/// The stream ends after its first error, whatever the source would yield next: an error is
/// always the last item. Each client names it with its own error type
/// (`datto_rmm_client::PageStream<T>`, `gravityzone_client::PageStream<T>`,
/// `itglue_client::PageStream<T>`).
///
/// ```
/// # futures::executor::block_on(async {
/// use futures::TryStreamExt;
/// use msp_transport::PageStream;
///
/// let pages = futures::stream::iter(vec![Ok(1), Ok(2), Err("page 2 failed"), Ok(3)]);
/// // every item or the error: never the partial list [1, 2]
/// assert_eq!(PageStream::new(pages).collect_all().await, Err("page 2 failed"));
///
/// let mut numbers = PageStream::<u8, &str>::new(futures::stream::iter(vec![Ok(1), Ok(2)]));
/// while let Some(n) = numbers.try_next().await? {
///     println!("{n}");
/// }
/// # Ok::<(), &str>(()) }).unwrap();
/// ```
#[must_use = "a stream does nothing unless polled"]
pub struct PageStream<T, E> {
    inner: BoxStream<'static, Result<T, E>>,
    ended: bool,
}

impl<T, E> PageStream<T, E> {
    /// The stream of `items` (a client's page walk), ended at its first error.
    pub fn new<S>(items: S) -> Self
    where
        S: Stream<Item = Result<T, E>> + Send + 'static,
    {
        PageStream {
            inner: items.boxed(),
            ended: false,
        }
    }

    /// A stream whose only item is `error` (a list that could not even start, e.g. an
    /// invalid filter).
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// let list = msp_transport::PageStream::<u32, _>::failed("perPage must be 1 to 1000");
    /// assert_eq!(list.collect_all().await, Err("perPage must be 1 to 1000"));
    /// # });
    /// ```
    pub fn failed(error: E) -> Self
    where
        T: Send + 'static,
        E: Send + 'static,
    {
        Self::new(stream::once(async move { Err(error) }))
    }

    /// Every item of every page, or the first error: never a partial list.
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// let list = msp_transport::PageStream::<_, String>::new(futures::stream::iter(vec![Ok(1), Ok(2)]));
    /// assert_eq!(list.collect_all().await, Ok(vec![1, 2]));
    /// # });
    /// ```
    pub async fn collect_all(self) -> Result<Vec<T>, E> {
        self.try_collect().await
    }
}

impl<T, E> fmt::Debug for PageStream<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PageStream")
            .field("ended", &self.ended)
            .finish_non_exhaustive()
    }
}

impl<T, E> Stream for PageStream<T, E> {
    type Item = Result<T, E>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.ended {
            return Poll::Ready(None);
        }
        let next = self.inner.as_mut().poll_next(cx);
        if let Poll::Ready(None | Some(Err(_))) = next {
            self.ended = true;
        }
        next
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::executor::block_on;

    #[test]
    fn an_error_is_the_last_item_whatever_the_source_yields_next() {
        let source = stream::iter(vec![Ok(1), Err("boom"), Ok(2), Err("again")]);
        let items: Vec<Result<i32, &str>> = block_on(PageStream::new(source).collect());
        assert_eq!(items, vec![Ok(1), Err("boom")]);
    }

    #[test]
    fn collect_all_returns_the_error_not_the_items_before_it() {
        let source = stream::iter(vec![Ok(1), Ok(2), Err("page 3")]);
        assert_eq!(
            block_on(PageStream::new(source).collect_all()),
            Err("page 3")
        );
    }

    #[test]
    fn collect_all_of_a_whole_list_is_every_item_in_order() {
        let source = stream::iter((0..5).map(Ok::<_, ()>));
        assert_eq!(
            block_on(PageStream::new(source).collect_all()),
            Ok(vec![0, 1, 2, 3, 4])
        );
    }

    #[test]
    fn a_failed_stream_yields_its_error_once() {
        let items: Vec<Result<u8, &str>> = block_on(PageStream::failed("bad filter").collect());
        assert_eq!(items, vec![Err("bad filter")]);
    }

    #[test]
    fn an_ended_stream_stays_ended() {
        let mut list = PageStream::new(stream::iter(vec![Err::<u8, _>("x")]));
        assert_eq!(block_on(list.next()), Some(Err("x")));
        assert_eq!(block_on(list.next()), None);
        assert_eq!(block_on(list.next()), None);
        assert!(format!("{list:?}").contains("ended: true"));
    }
}
