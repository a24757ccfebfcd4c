//! Datto's page envelope: `{"pageDetails": {count, totalCount, prevPageUrl, nextPageUrl},
//! "<items>": [...]}` with a zero-based `page`, `max` silently clamped to the page-size cap,
//! absolute page links on the same host, and `null` (or, as a quirk, `""`) past the ends.

use serde_json::{Value, json};
use url::form_urlencoded;

/// How the fake writes a page link that does not exist (before the first, after the last page).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum MissingPageLink {
    /// `null`, as the live API does.
    #[default]
    Null,
    /// `""`, as some synthetic fixtures do.
    EmptyString,
}

/// One page request: which page, how big, and the filters to repeat in the links.
#[derive(Debug, Clone)]
pub struct PageRequest {
    pub page: usize,
    pub max: usize,
    /// Query parameters other than `page` and `max`, in the order received.
    pub filters: Vec<(String, String)>,
}

/// Reads `page` and `max`; `Err` holds the message of a `400` answer.
pub fn page_request(url: &url::Url, cap: usize) -> Result<PageRequest, String> {
    let mut page = 0;
    let mut max = cap;
    let mut filters = Vec::new();
    for (key, value) in url.query_pairs() {
        match key.as_ref() {
            "page" => {
                page = value
                    .parse::<usize>()
                    .map_err(|_| format!("Invalid value '{value}' for parameter 'page'"))?;
            }
            "max" => {
                let requested = value
                    .parse::<i64>()
                    .map_err(|_| format!("Invalid value '{value}' for parameter 'max'"))?;
                max = if requested <= 0 {
                    cap
                } else {
                    (requested as usize).min(cap)
                };
            }
            _ => filters.push((key.into_owned(), value.into_owned())),
        }
    }
    Ok(PageRequest { page, max, filters })
}

/// Settings of the envelope that are the fake's choice.
#[derive(Debug, Clone, Copy)]
pub struct LinkStyle {
    pub missing: MissingPageLink,
    /// Leave the filters out of `nextPageUrl` (a defect reported for the live API).
    pub drop_filters: bool,
}

/// The page `request` of `items` under `key`, with links built on `origin` + `path`. Only the
/// items on the page are rendered.
pub fn page<T>(
    origin: &str,
    path: &str,
    request: &PageRequest,
    items: Vec<T>,
    render: impl FnMut(T) -> Value,
    key: &str,
    style: LinkStyle,
) -> Value {
    let total = items.len();
    let start = request.page.saturating_mul(request.max).min(total);
    let end = start.saturating_add(request.max).min(total);
    let slice: Vec<Value> = items
        .into_iter()
        .skip(start)
        .take(end - start)
        .map(render)
        .collect();
    let link = |page: usize, with_filters: bool| -> Value {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query.append_pair("max", &request.max.to_string());
        query.append_pair("page", &page.to_string());
        if with_filters {
            for (k, v) in &request.filters {
                query.append_pair(k, v);
            }
        }
        Value::String(format!("{origin}{path}?{}", query.finish()))
    };
    let missing = match style.missing {
        MissingPageLink::Null => Value::Null,
        MissingPageLink::EmptyString => Value::String(String::new()),
    };
    let next = if end < total {
        link(request.page + 1, !style.drop_filters)
    } else {
        missing.clone()
    };
    let prev = if request.page > 0 {
        link(request.page - 1, true)
    } else {
        missing
    };
    json!({
        "pageDetails": {
            "count": slice.len(),
            "totalCount": total,
            "prevPageUrl": prev,
            "nextPageUrl": next,
        },
        key: slice,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(query: &str) -> PageRequest {
        let url = url::Url::parse(&format!("http://h/api/v2/account/sites?{query}")).unwrap();
        page_request(&url, 250).unwrap()
    }

    fn items(n: usize) -> Vec<Value> {
        (0..n).map(|i| json!(i)).collect()
    }

    const STYLE: LinkStyle = LinkStyle {
        missing: MissingPageLink::Null,
        drop_filters: false,
    };

    #[test]
    fn max_is_clamped_to_the_cap_and_defaults_to_it() {
        assert_eq!(request("max=1000").max, 250);
        assert_eq!(request("").max, 250);
        assert_eq!(request("max=2").max, 2);
        assert_eq!(request("max=0").max, 250);
    }

    #[test]
    fn pages_are_zero_based_and_the_last_has_a_null_next_link() {
        let first = page(
            "http://h",
            "/api/v2/account/sites",
            &request("max=2"),
            items(5),
            |v| v,
            "sites",
            STYLE,
        );
        assert_eq!(first["sites"], json!([0, 1]));
        assert_eq!(first["pageDetails"]["prevPageUrl"], Value::Null);
        assert_eq!(
            first["pageDetails"]["nextPageUrl"],
            json!("http://h/api/v2/account/sites?max=2&page=1")
        );
        let last = page(
            "http://h",
            "/api/v2/account/sites",
            &request("max=2&page=2"),
            items(5),
            |v| v,
            "sites",
            STYLE,
        );
        assert_eq!(last["sites"], json!([4]));
        assert_eq!(last["pageDetails"]["count"], json!(1));
        assert_eq!(last["pageDetails"]["totalCount"], json!(5));
        assert_eq!(last["pageDetails"]["nextPageUrl"], Value::Null);
    }

    #[test]
    fn filters_are_kept_in_links_unless_the_quirk_drops_them() {
        let req = request("max=1&siteName=ac%20me");
        let kept = page("http://h", "/p", &req, items(3), |v| v, "sites", STYLE);
        assert_eq!(
            kept["pageDetails"]["nextPageUrl"],
            json!("http://h/p?max=1&page=1&siteName=ac+me")
        );
        let dropped = page(
            "http://h",
            "/p",
            &req,
            items(3),
            |v| v,
            "sites",
            LinkStyle {
                drop_filters: true,
                ..STYLE
            },
        );
        assert_eq!(
            dropped["pageDetails"]["nextPageUrl"],
            json!("http://h/p?max=1&page=1")
        );
    }

    #[test]
    fn the_empty_string_quirk_replaces_null_links() {
        let style = LinkStyle {
            missing: MissingPageLink::EmptyString,
            drop_filters: false,
        };
        let only = page(
            "http://h",
            "/p",
            &request(""),
            items(1),
            |v| v,
            "sites",
            style,
        );
        assert_eq!(only["pageDetails"]["nextPageUrl"], json!(""));
        assert_eq!(only["pageDetails"]["prevPageUrl"], json!(""));
    }

    #[test]
    fn a_page_past_the_end_is_empty() {
        let past = page(
            "http://h",
            "/p",
            &request("page=9"),
            items(3),
            |v| v,
            "sites",
            STYLE,
        );
        assert_eq!(past["sites"], json!([]));
        assert_eq!(past["pageDetails"]["count"], json!(0));
    }
}
