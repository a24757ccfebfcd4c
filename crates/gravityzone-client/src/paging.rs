//! Paged lists as a [`PageStream`] of items whose last item is the error when a page fails.
//!
//! Paged results look like `{page, pagesCount, perPage, total, items}`; on v1.1 methods
//! `pagesCount`/`total` may come only with page 1 and later pages carry `hasMoreRecords`.
//! The stream stops, in order of preference, when `hasMoreRecords` is false, when the page
//! number reaches the `pagesCount` seen so far (an empty list may say 0), or on an empty or
//! short page.

use std::collections::VecDeque;

use serde::Deserialize;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::client::{GravityZoneClient, MethodSpec};
use crate::error::Error;
use crate::jsonrpc::ApiVersion;
use crate::models::ApiArea;
use crate::models::lenient;
use crate::params::Paged;

/// The largest page number the stream asks for before deciding the server ignores paging.
const MAX_PAGES: u32 = 100_000;

/// One page of a paged result.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Page<T> {
    /// The page number (1-based).
    #[serde(default, deserialize_with = "lenient::opt_int")]
    pub page: Option<i64>,
    /// Number of pages (may be absent after page 1 on v1.1, and 0 for an empty list).
    #[serde(default, deserialize_with = "lenient::opt_int")]
    pub pages_count: Option<i64>,
    /// Items per page.
    #[serde(default, deserialize_with = "lenient::opt_int")]
    pub per_page: Option<i64>,
    /// Total items (may be absent after page 1 on v1.1).
    #[serde(default, deserialize_with = "lenient::opt_int")]
    pub total: Option<i64>,
    /// Whether more pages follow (v1.1).
    #[serde(default, deserialize_with = "lenient::opt_flag")]
    pub has_more_records: Option<bool>,
    /// The items.
    #[serde(default = "Vec::new")]
    pub items: Vec<T>,
}

impl<T> Page<T> {
    /// Whether this page (number `requested`, asked with `per_page`) is the last one, given
    /// the `pagesCount` seen on an earlier page.
    fn is_last(&self, requested: u32, known_pages_count: Option<i64>, per_page: u32) -> bool {
        if self.items.is_empty() {
            return true;
        }
        if let Some(more) = self.has_more_records {
            return !more;
        }
        if let Some(count) = self.pages_count.or(known_pages_count) {
            return i64::from(requested) >= count;
        }
        self.items.len() < per_page as usize
    }
}

/// A stream of the items of a paged list: `msp-transport`'s one
/// [`PageStream`](msp_transport::PageStream) with this crate's [`Error`]. When a page fails,
/// the error is the last item: a stream that ended without an error is complete, and
/// `collect_all` never returns a partial list.
///
/// ```no_run
/// # async fn run(client: gravityzone_client::GravityZoneClient) -> Result<(), gravityzone_client::Error> {
/// let packages = client.list_packages(None).collect_all().await?;
/// # let _ = packages; Ok(()) }
/// ```
pub type PageStream<T> = msp_transport::PageStream<T, Error>;

/// What a paged method is: where it lives and its largest page.
#[derive(Debug, Clone)]
pub(crate) struct PagedMethod {
    pub area: ApiArea,
    pub version: ApiVersion,
    pub name: &'static str,
}

struct State<T, P> {
    client: GravityZoneClient,
    method: PagedMethod,
    params: P,
    per_page: u32,
    next_page: u32,
    pages_count: Option<i64>,
    buffer: VecDeque<T>,
    done: bool,
}

impl<T: DeserializeOwned, P: Serialize> State<T, P> {
    async fn fetch(&mut self) -> Result<(), Error> {
        let requested = self.next_page;
        if requested > MAX_PAGES {
            return Err(self.unexpected(format!(
                "still not at the last page after {MAX_PAGES} pages"
            )));
        }
        let params = Paged {
            params: &self.params,
            page: requested,
            per_page: self.per_page,
        };
        let spec = MethodSpec::read(&self.method.area, self.method.name).on(self.method.version);
        let page: Page<T> = self.client.call(spec, &params).await?;
        if let Some(got) = page.page
            && got != i64::from(requested)
        {
            return Err(self.unexpected(format!("asked for page {requested}, got page {got}")));
        }
        self.done = page.is_last(requested, self.pages_count, self.per_page);
        self.pages_count = page.pages_count.or(self.pages_count);
        self.next_page = requested + 1;
        self.buffer.extend(page.items);
        Ok(())
    }

    fn unexpected(&self, message: String) -> Error {
        Error::UnexpectedResult {
            method: self.method.name.to_owned(),
            message,
        }
    }
}

/// Streams every item of `method` called with `params`, `per_page` at a time.
pub(crate) fn paged<T, P>(
    client: &GravityZoneClient,
    method: PagedMethod,
    params: P,
    per_page: u32,
) -> PageStream<T>
where
    T: DeserializeOwned + Send + 'static,
    P: Serialize + Send + Sync + 'static,
{
    let state = State {
        client: client.clone(),
        method,
        params,
        per_page: per_page.max(1),
        next_page: 1,
        pages_count: None,
        buffer: VecDeque::new(),
        done: false,
    };
    PageStream::new(futures::stream::unfold(Some(state), |state| async move {
        let mut state = state?;
        loop {
            if let Some(item) = state.buffer.pop_front() {
                return Some((Ok(item), Some(state)));
            }
            if state.done {
                return None;
            }
            if let Err(e) = state.fetch().await {
                // The error is the stream's last item.
                return Some((Err(e), None));
            }
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(items: usize, pages_count: Option<i64>, more: Option<bool>) -> Page<u8> {
        Page {
            page: None,
            pages_count,
            per_page: None,
            total: None,
            has_more_records: more,
            items: vec![0; items],
        }
    }

    #[test]
    fn has_more_records_wins_over_counts() {
        assert!(!page(10, Some(1), Some(true)).is_last(1, None, 10));
        assert!(page(10, Some(9), Some(false)).is_last(1, None, 10));
    }

    #[test]
    fn pages_count_from_page_one_ends_later_pages() {
        assert!(!page(10, None, None).is_last(2, Some(3), 10));
        assert!(page(10, None, None).is_last(3, Some(3), 10));
    }

    #[test]
    fn without_counts_a_short_or_empty_page_is_the_last() {
        assert!(page(3, None, None).is_last(4, None, 10));
        assert!(!page(10, None, None).is_last(4, None, 10));
        assert!(page(0, Some(5), Some(true)).is_last(1, None, 10));
    }

    #[test]
    fn an_empty_list_with_zero_pages_ends_at_once() {
        assert!(page(0, Some(0), None).is_last(1, None, 30));
    }
}
