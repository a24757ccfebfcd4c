//! Lists as a lazy stream of items ([`PageStream`]), page after page (`page[number]`, `page[size]`).
//!
//! The stream's last item is the error when a page fails, so nobody mistakes a partial list for
//! a whole one; `collect_all` returns either every item or the error. When IT
//! Glue answers that a page took too long, the page size is halved and the same position is
//! fetched again; items already yielded are skipped, so none is seen twice.

use std::future::Future;
use std::sync::Arc;

use futures::stream::{self, StreamExt};

use crate::error::Error;
use crate::jsonapi::ListMeta;

/// One page of a list, as fetched.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Page<T> {
    /// The page's items.
    pub(crate) items: Vec<T>,
    /// The page's `meta`, when sent.
    pub(crate) meta: Option<ListMeta>,
}

/// Which page to fetch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PageRequest {
    /// `page[number]`, 1-based.
    pub(crate) number: u64,
    /// `page[size]`.
    pub(crate) size: u32,
}

impl PageRequest {
    /// The query parameters.
    pub(crate) fn to_query(self) -> [(String, String); 2] {
        [
            ("page[number]".to_owned(), self.number.to_string()),
            ("page[size]".to_owned(), self.size.to_string()),
        ]
    }
}

/// The items of a list, fetched lazily page by page: `msp-transport`'s one
/// [`PageStream`](msp_transport::PageStream) with this crate's [`Error`]. Its last item is the
/// error if a page fails, and `collect_all` never returns a partial list.
///
/// ```no_run
/// # async fn run(client: itglue_client::ItGlueClient) -> Result<(), itglue_client::Error> {
/// use futures::TryStreamExt;
/// use itglue_client::ConfigurationFilter;
///
/// let mut configurations = client.list_configurations(&ConfigurationFilter::new());
/// while let Some(configuration) = configurations.try_next().await? {
///     println!("{}", configuration.attributes.name);
/// }
/// # Ok(()) }
/// ```
pub type PageStream<T> = msp_transport::PageStream<T, Error>;

/// Where a paging run stands.
struct Cursor {
    /// Items yielded so far (the position in the list).
    offset: u64,
    /// The current page size.
    size: u32,
    done: bool,
}

/// Pages through a list with `fetch`, starting at `page_size`.
pub(crate) fn paginate<T, F, Fut>(page_size: u32, fetch: F) -> PageStream<T>
where
    T: Send + 'static,
    F: Fn(PageRequest) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Page<T>, Error>> + Send + 'static,
{
    let fetch = Arc::new(fetch);
    let start = Cursor {
        offset: 0,
        size: page_size.max(1),
        done: false,
    };
    let pages = stream::unfold(start, move |cursor| {
        let fetch = Arc::clone(&fetch);
        async move { next_page(cursor, fetch.as_ref()).await }
    });
    PageStream::new(pages.flat_map(stream::iter))
}

async fn next_page<T, F, Fut>(
    mut cursor: Cursor,
    fetch: &F,
) -> Option<(Vec<Result<T, Error>>, Cursor)>
where
    F: Fn(PageRequest) -> Fut,
    Fut: Future<Output = Result<Page<T>, Error>>,
{
    if cursor.done {
        return None;
    }
    loop {
        let size = u64::from(cursor.size);
        let request = PageRequest {
            number: cursor.offset / size + 1,
            size: cursor.size,
        };
        let skip = usize::try_from(cursor.offset % size).unwrap_or(usize::MAX);
        match fetch(request).await {
            Ok(page) => {
                let fetched = page.items.len();
                let items: Vec<Result<T, Error>> =
                    page.items.into_iter().skip(skip).map(Ok).collect();
                cursor.offset += items.len() as u64;
                cursor.done = items.is_empty() || !has_more(request, fetched, page.meta.as_ref());
                return Some((items, cursor));
            }
            Err(error) if error.is_query_timeout() && cursor.size > 1 => {
                let halved = cursor.size / 2;
                tracing::warn!(
                    page = request.number,
                    from = cursor.size,
                    to = halved,
                    "IT Glue said the page took too long; retrying at half the page size"
                );
                cursor.size = halved;
            }
            Err(error) => {
                cursor.done = true;
                return Some((vec![Err(error)], cursor));
            }
        }
    }
}

/// Whether another page follows: `meta.next-page` when sent, else `meta.total-pages`, else
/// whether the page was full.
fn has_more(request: PageRequest, fetched: usize, meta: Option<&ListMeta>) -> bool {
    if let Some(meta) = meta {
        if meta.next_page.is_some() {
            return true;
        }
        if let Some(total_pages) = meta.total_pages {
            return request.number < total_pages;
        }
        if meta.current_page.is_some() || meta.total_count.is_some() {
            return false;
        }
    }
    fetched >= request.size as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// A list of `total` numbers served in pages, failing with a timeout whenever the page
    /// size is above `timeout_above`.
    fn serve(total: u64, timeout_above: u32, log: Arc<Mutex<Vec<PageRequest>>>) -> PageStream<u64> {
        paginate(10, move |request: PageRequest| {
            log.lock().unwrap().push(request);
            let result = if request.size > timeout_above {
                Err(Error::QueryTimedOut {
                    status: 422,
                    message: "took too long".into(),
                })
            } else {
                let start = (request.number - 1) * u64::from(request.size);
                let end = (start + u64::from(request.size)).min(total);
                let pages = total.div_ceil(u64::from(request.size));
                Ok(Page {
                    items: (start..end).collect(),
                    meta: Some(ListMeta {
                        current_page: Some(request.number),
                        next_page: (request.number < pages).then_some(request.number + 1),
                        total_pages: Some(pages),
                        total_count: Some(total),
                        ..ListMeta::default()
                    }),
                })
            };
            async move { result }
        })
    }

    #[tokio::test]
    async fn every_item_is_yielded_once_in_order() {
        let log = Arc::new(Mutex::new(Vec::new()));
        let items = serve(35, 1000, log.clone()).collect_all().await.unwrap();
        assert_eq!(items, (0..35).collect::<Vec<_>>());
        assert_eq!(log.lock().unwrap().len(), 4);
    }

    #[tokio::test]
    async fn a_timed_out_page_is_fetched_again_at_half_size() {
        let log = Arc::new(Mutex::new(Vec::new()));
        let items = serve(23, 5, log.clone()).collect_all().await.unwrap();
        assert_eq!(items, (0..23).collect::<Vec<_>>());
        let sizes: Vec<u32> = log.lock().unwrap().iter().map(|r| r.size).collect();
        assert_eq!(sizes, vec![10, 5, 5, 5, 5, 5]);
    }

    #[tokio::test]
    async fn halving_an_odd_size_skips_the_items_already_seen() {
        let log = Arc::new(Mutex::new(Vec::new()));
        let fetch_log = log.clone();
        // Nine items; pages of 5 past the first time out, so the run goes on at size 2 from
        // position 5: page 3 of size 2 holds items 4 and 5, and item 4 was already yielded.
        let stream = paginate(5, move |request: PageRequest| {
            fetch_log.lock().unwrap().push(request);
            let result = if request.size == 5 && request.number >= 2 {
                Err(Error::QueryTimedOut {
                    status: 504,
                    message: "took too long".into(),
                })
            } else {
                let start = (request.number - 1) * u64::from(request.size);
                let end = (start + u64::from(request.size)).min(9);
                Ok(Page {
                    items: (start..end).collect(),
                    meta: None,
                })
            };
            async move { result }
        });
        let items = stream.collect_all().await.unwrap();
        assert_eq!(items, (0..9).collect::<Vec<_>>());
        let requests: Vec<(u64, u32)> = log
            .lock()
            .unwrap()
            .iter()
            .map(|r| (r.number, r.size))
            .collect();
        assert_eq!(requests, [(1, 5), (2, 5), (3, 2), (4, 2), (5, 2)]);
    }

    #[tokio::test]
    async fn a_failed_page_ends_the_stream_with_its_error() {
        let stream = paginate(2, |request: PageRequest| async move {
            if request.number == 2 {
                Err(Error::Api {
                    status: 500,
                    message: "boom".into(),
                    errors: Vec::new(),
                })
            } else {
                Ok(Page {
                    items: vec![1, 2],
                    meta: Some(ListMeta {
                        next_page: Some(request.number + 1),
                        ..ListMeta::default()
                    }),
                })
            }
        });
        let all: Vec<Result<i32, Error>> = stream.collect().await;
        assert_eq!(all.len(), 3);
        assert!(all[2].is_err());
    }

    #[tokio::test]
    async fn a_timeout_at_page_size_one_is_returned() {
        let log = Arc::new(Mutex::new(Vec::new()));
        let err = serve(5, 0, log.clone()).collect_all().await.unwrap_err();
        assert!(err.is_query_timeout());
        let sizes: Vec<u32> = log.lock().unwrap().iter().map(|r| r.size).collect();
        assert_eq!(sizes, vec![10, 5, 2, 1]);
    }

    #[test]
    fn without_meta_a_full_page_means_more() {
        let request = PageRequest { number: 1, size: 2 };
        assert!(has_more(request, 2, None));
        assert!(!has_more(request, 1, None));
        let last = ListMeta {
            current_page: Some(1),
            ..ListMeta::default()
        };
        assert!(!has_more(request, 2, Some(&last)));
    }
}
