//! List query strings as IT Glue reads them: `filter[…]` (a bare comma separates values that
//! are OR-ed, `\,` is a comma inside a value), `page[number]`/`page[size]` (size 1–1000,
//! default 50), `sort` (one field, `-` for descending) and `include`.

use std::collections::BTreeMap;

use url::Url;

use super::errors::ApiError;

/// The largest page IT Glue serves.
pub const MAX_PAGE_SIZE: u64 = 1000;

/// IT Glue's default page size.
pub const DEFAULT_PAGE_SIZE: u64 = 50;

/// What a list route accepts.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ListRules {
    /// The filter names (inside `filter[…]`; nested ones as `exclude][id`).
    pub(crate) filters: &'static [&'static str],
    /// The sort fields.
    pub(crate) sorts: &'static [&'static str],
    /// The `include` values.
    pub(crate) includes: &'static [&'static str],
}

/// A parsed list query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ListQuery {
    /// Filter name → the raw value as sent (decoded from the URL, still escaped).
    pub(crate) filters: BTreeMap<String, String>,
    pub(crate) page_number: u64,
    pub(crate) page_size: u64,
    /// The sort field and whether it is descending.
    pub(crate) sort: Option<(String, bool)>,
    pub(crate) include: Vec<String>,
}

impl ListQuery {
    /// The values of a filter: the raw value split on bare commas, `\,` unescaped.
    pub(crate) fn values(&self, name: &str) -> Option<Vec<String>> {
        self.filters.get(name).map(|raw| split_values(raw))
    }

    /// Whether `include` names `what`.
    pub(crate) fn includes(&self, what: &str) -> bool {
        self.include.iter().any(|included| included == what)
    }
}

/// Splits a filter value on unescaped commas; `\,` stands for a comma inside a value.
pub fn split_values(raw: &str) -> Vec<String> {
    let mut values = Vec::new();
    let mut current = String::new();
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&',') => {
                current.push(',');
                chars.next();
            }
            ',' => values.push(std::mem::take(&mut current)),
            other => current.push(other),
        }
    }
    values.push(current);
    values
}

/// Parses the query of `url` against `rules`; an unknown filter, sort or include, or a page
/// outside the limits, is a 400 naming the parameter.
pub(crate) fn parse(url: &Url, rules: ListRules) -> Result<ListQuery, ApiError> {
    let mut query = ListQuery {
        filters: BTreeMap::new(),
        page_number: 1,
        page_size: DEFAULT_PAGE_SIZE,
        sort: None,
        include: Vec::new(),
    };
    for (key, value) in url.query_pairs() {
        let key = key.as_ref();
        if let Some(inner) = key
            .strip_prefix("filter[")
            .and_then(|k| k.strip_suffix(']'))
        {
            if !rules.filters.contains(&inner) {
                return Err(ApiError::bad_parameter(
                    key,
                    format!("{key} is not a supported filter"),
                ));
            }
            query.filters.insert(inner.to_owned(), value.into_owned());
        } else if key == "page[number]" {
            query.page_number = match value.trim().parse::<u64>() {
                Ok(number) if number >= 1 => number,
                _ => {
                    return Err(ApiError::bad_parameter(
                        key,
                        "page[number] must be a positive integer",
                    ));
                }
            };
        } else if key == "page[size]" {
            query.page_size = match value.trim().parse::<u64>() {
                Ok(size) if (1..=MAX_PAGE_SIZE).contains(&size) => size,
                _ => {
                    return Err(ApiError::bad_parameter(
                        key,
                        format!("page[size] must be between 1 and {MAX_PAGE_SIZE}"),
                    ));
                }
            };
        } else if key == "sort" {
            let (field, descending) = match value.strip_prefix('-') {
                Some(field) => (field, true),
                None => (value.as_ref(), false),
            };
            if !rules.sorts.contains(&field) {
                return Err(ApiError::bad_parameter(
                    "sort",
                    format!("{field} is not a supported sort field"),
                ));
            }
            query.sort = Some((field.to_owned(), descending));
        } else if key == "include" {
            for included in value.split(',').map(str::trim).filter(|i| !i.is_empty()) {
                if !rules.includes.contains(&included) {
                    return Err(ApiError::bad_parameter(
                        "include",
                        format!("{included} is not a supported include"),
                    ));
                }
                query.include.push(included.to_owned());
            }
        }
    }
    Ok(query)
}

/// Whether `value` equals one of `wanted`, ignoring ASCII case (IT Glue's text filters are
/// exact matches; its database compares without case).
pub(crate) fn text_matches(value: Option<&str>, wanted: &[String]) -> bool {
    value.is_some_and(|value| wanted.iter().any(|w| w.eq_ignore_ascii_case(value)))
}

/// Whether `value` is one of the ids in `wanted` (unparsable ids match nothing).
pub(crate) fn id_matches(value: Option<u64>, wanted: &[String]) -> bool {
    value.is_some_and(|value| {
        wanted
            .iter()
            .any(|w| w.trim().parse::<u64>().ok() == Some(value))
    })
}

/// Reads a boolean filter value (`true`/`false`/`1`/`0`).
pub(crate) fn parse_bool(raw: &str) -> Option<bool> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_escaped_comma_stays_inside_its_value() {
        assert_eq!(
            split_values(r"Kub\, Reynolds and Gibson"),
            vec!["Kub, Reynolds and Gibson"]
        );
        assert_eq!(split_values("1,2,3"), vec!["1", "2", "3"]);
        assert_eq!(split_values(r"A\, B,C"), vec!["A, B", "C"]);
        assert_eq!(split_values(r"back\slash"), vec![r"back\slash"]);
    }

    const RULES: ListRules = ListRules {
        filters: &["name", "exclude][id"],
        sorts: &["id", "name"],
        includes: &["configuration_interfaces"],
    };

    fn url(query: &str) -> Url {
        Url::parse(&format!("http://127.0.0.1/organizations?{query}")).unwrap()
    }

    #[test]
    fn a_query_is_parsed_with_defaults() {
        let query = parse(
            &url("filter%5Bname%5D=A&filter[exclude][id]=1,2&sort=-name"),
            RULES,
        )
        .unwrap();
        assert_eq!(query.values("name"), Some(vec!["A".to_owned()]));
        assert_eq!(
            query.values("exclude][id"),
            Some(vec!["1".into(), "2".into()])
        );
        assert_eq!(query.sort, Some(("name".to_owned(), true)));
        assert_eq!((query.page_number, query.page_size), (1, DEFAULT_PAGE_SIZE));
    }

    #[test]
    fn unknown_filters_sorts_includes_and_bad_pages_are_refused() {
        for bad in [
            "filter[organization-id]=1",
            "sort=created",
            "include=passwords",
            "page[size]=1001",
            "page[size]=0",
            "page[number]=0",
        ] {
            let err = parse(&url(bad), RULES).unwrap_err();
            assert_eq!(err.status, 400, "{bad}");
        }
    }
}
