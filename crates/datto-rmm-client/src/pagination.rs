//! Following Datto's page links as a lazy stream of items ([`PageStream`]).
//!
//! The walk follows `nextPageUrl` (absolute, on the same host) until it is `null` or `""`.
//! Before the bearer token goes to a link, the link's origin must equal the configured API
//! URL's; filters the link dropped (a defect seen in the live API) are put back. A page that
//! fails ends the stream with that error, so nobody mistakes a partial list for a whole one.

use std::collections::HashSet;

use futures::stream::{self, StreamExt};
use msp_transport::{BaseUrl, Url};

use crate::Error;
use crate::client::{Call, DattoClient};
use crate::models::PaginationData;
use crate::models::page::Page;

/// More pages than this is a server that never ends its list.
const MAX_PAGES: usize = 100_000;

/// Every item of a paged list, fetched lazily page by page: `msp-transport`'s one
/// [`PageStream`](msp_transport::PageStream) with this crate's [`Error`].
///
/// A stream of `Result<T, Error>`: the items, and — if a page fails — that error as the
/// last item. `collect_all` gathers everything or fails; it never returns a partial list.
///
/// ```no_run
/// use futures::TryStreamExt;
/// # async fn run(client: datto_rmm_client::DattoClient) -> Result<(), datto_rmm_client::Error> {
/// // all at once (an error if any page failed)
/// let sites = client.list_sites().collect_all().await?;
/// // or one by one
/// let mut devices = client.list_devices();
/// while let Some(device) = devices.try_next().await? {
///     println!("{:?}", device.hostname);
/// }
/// # let _ = sites; Ok(()) }
/// ```
pub type PageStream<T> = msp_transport::PageStream<T, Error>;

/// Walks the pages of `P` from `first`, with `query` (filters and `max`) on the first URL
/// and re-appended to later ones when missing.
pub(crate) fn walk_pages<P: Page>(
    client: DattoClient,
    first: Url,
    query: Vec<(String, String)>,
) -> PageStream<P::Item>
where
    P::Item: Send + 'static,
{
    let mut first = first;
    {
        let mut pairs = first.query_pairs_mut();
        for (k, v) in &query {
            pairs.append_pair(k, v);
        }
        pairs.append_pair("page", "0");
    }
    let walk = Walk {
        client,
        next: Some(first.clone()),
        query,
        seen: HashSet::from([first.to_string()]),
        pages: 0,
    };
    let stream = stream::unfold(walk, |mut walk| async move {
        let url = walk.next.take()?;
        let batch = walk.step::<P>(url).await;
        Some((stream::iter(batch), walk))
    })
    .flatten();
    PageStream::new(stream)
}

struct Walk {
    client: DattoClient,
    next: Option<Url>,
    query: Vec<(String, String)>,
    seen: HashSet<String>,
    pages: usize,
}

impl Walk {
    /// Fetches one page: its items, then (if the walk cannot go on) the error that ends it.
    async fn step<P: Page>(&mut self, url: Url) -> Vec<Result<P::Item, Error>> {
        self.pages += 1;
        let (details, items) = match fetch::<P>(&self.client, url).await {
            Ok(page) => page,
            Err(error) => return vec![Err(error)],
        };
        let mut batch: Vec<Result<P::Item, Error>> = items.into_iter().map(Ok).collect();
        match next_page(self.client.root(), details.as_ref(), &self.query) {
            Ok(None) => {}
            Ok(Some(next)) if !self.seen.insert(next.to_string()) => {
                batch.push(Err(Error::InvalidPage {
                    message: format!("the page links loop back to {}", next.path()),
                }))
            }
            Ok(Some(_)) if self.pages >= MAX_PAGES => batch.push(Err(Error::InvalidPage {
                message: format!("more than {MAX_PAGES} pages"),
            })),
            Ok(Some(next)) => self.next = Some(next),
            Err(error) => batch.push(Err(error)),
        }
        batch
    }
}

/// One page's details and items. A page without its item list is an error (a `200` that lacks
/// it is suspect), except when it says it holds nothing.
async fn fetch<P: Page>(
    client: &DattoClient,
    url: Url,
) -> Result<(Option<PaginationData>, Vec<P::Item>), Error> {
    let page: P = client.send(Call::get(url)).await?.json()?;
    let (details, items) = page.into_parts();
    match items {
        Some(items) => Ok((details, items)),
        None if details.as_ref().and_then(|d| d.count) == Some(0) => Ok((details, Vec::new())),
        None => Err(Error::InvalidPage {
            message: format!("the page has no `{}` list", P::ITEMS),
        }),
    }
}

/// The next page's URL: `None` at the end (`null`, `""` or no details), an error for a link
/// that cannot be read or points to another host. Query parameters of `query` missing from
/// the link are appended.
pub(crate) fn next_page(
    root: &BaseUrl,
    details: Option<&PaginationData>,
    query: &[(String, String)],
) -> Result<Option<Url>, Error> {
    let Some(link) = details
        .and_then(|d| d.next_page_url.as_deref())
        .map(str::trim)
    else {
        return Ok(None);
    };
    if link.is_empty() {
        return Ok(None);
    }
    let mut url = match Url::parse(link) {
        Ok(url) => url,
        Err(url::ParseError::RelativeUrlWithoutBase) => {
            root.url().join(link).map_err(|e| Error::InvalidPage {
                message: format!("unreadable next page link: {e}"),
            })?
        }
        Err(e) => {
            return Err(Error::InvalidPage {
                message: format!("unreadable next page link: {e}"),
            });
        }
    };
    if !root.same_origin(&url) {
        return Err(Error::UntrustedPageUrl {
            origin: url.origin().ascii_serialization(),
        });
    }
    let present: HashSet<String> = url.query_pairs().map(|(k, _)| k.into_owned()).collect();
    let missing: Vec<&(String, String)> =
        query.iter().filter(|(k, _)| !present.contains(k)).collect();
    if !missing.is_empty() {
        let mut pairs = url.query_pairs_mut();
        for (k, v) in missing {
            pairs.append_pair(k, v);
        }
    }
    Ok(Some(url))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> BaseUrl {
        BaseUrl::parse("https://merlot-api.centrastage.net").unwrap()
    }

    fn details(next: Option<&str>) -> PaginationData {
        PaginationData {
            next_page_url: next.map(str::to_owned),
            ..Default::default()
        }
    }

    fn query() -> Vec<(String, String)> {
        vec![
            ("siteName".into(), "acme & co".into()),
            ("max".into(), "250".into()),
        ]
    }

    #[test]
    fn null_and_empty_links_end_the_walk() {
        assert_eq!(
            next_page(&root(), Some(&details(None)), &query()).unwrap(),
            None
        );
        assert_eq!(
            next_page(&root(), Some(&details(Some(""))), &query()).unwrap(),
            None
        );
        assert_eq!(
            next_page(&root(), Some(&details(Some("  "))), &query()).unwrap(),
            None
        );
        assert_eq!(next_page(&root(), None, &query()).unwrap(), None);
    }

    #[test]
    fn a_link_that_dropped_the_filters_gets_them_back() {
        let link = "https://merlot-api.centrastage.net/api/v2/account/sites?max=250&page=1";
        let next = next_page(&root(), Some(&details(Some(link))), &query())
            .unwrap()
            .unwrap();
        let pairs: Vec<(String, String)> = next
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        assert_eq!(
            pairs,
            vec![
                ("max".into(), "250".into()),
                ("page".into(), "1".into()),
                ("siteName".into(), "acme & co".into())
            ]
        );
    }

    #[test]
    fn a_link_that_kept_the_filters_is_followed_verbatim() {
        let link = "https://merlot-api.centrastage.net/api/v2/account/sites?max=250&page=1&siteName=acme+%26+co";
        let next = next_page(&root(), Some(&details(Some(link))), &query())
            .unwrap()
            .unwrap();
        assert_eq!(next.as_str(), link);
    }

    #[test]
    fn a_link_to_another_host_is_refused() {
        for link in [
            "https://evil.example/api/v2/account/sites?page=1",
            "http://merlot-api.centrastage.net/api/v2/account/sites?page=1",
            "https://merlot-api.centrastage.net:8443/api/v2/account/sites?page=1",
        ] {
            let error = next_page(&root(), Some(&details(Some(link))), &query()).unwrap_err();
            assert!(
                matches!(error, Error::UntrustedPageUrl { .. }),
                "{link}: {error}"
            );
        }
    }

    #[test]
    fn a_relative_link_is_read_against_the_api_host() {
        let next = next_page(
            &root(),
            Some(&details(Some("/api/v2/account/sites?page=1"))),
            &[],
        )
        .unwrap()
        .unwrap();
        assert_eq!(
            next.as_str(),
            "https://merlot-api.centrastage.net/api/v2/account/sites?page=1"
        );
    }

    #[test]
    fn a_host_containing_api_is_parsed_as_a_url_not_split_on_text() {
        let link = "https://merlot-api.centrastage.net/api/v2/site/x/devices?page=2&max=250";
        let next = next_page(&root(), Some(&details(Some(link))), &[])
            .unwrap()
            .unwrap();
        assert_eq!(next.path(), "/api/v2/site/x/devices");
    }
}
