//! Query strings: one filter builder for every list ([`ListFilter`]), `filter[…]` values escaped
//! the way IT Glue reads them, sort keys, time ranges.
//!
//! IT Glue reads a comma inside a filter value as "or" (`filter[id]=1,2,3` asks for three ids),
//! so an organization named "Kub, Reynolds and Gibson" must be sent as
//! `Kub\, Reynolds and Gibson`. Every filter value is escaped that way, and joins
//! several values with a bare comma only where the caller asked for any of several values.
//!
//! Each list has its own sort fields; the filters a list accepts are methods of
//! `ListFilter<ThatListsSortField>`, one file per resource ([`OrganizationFilter`],
//! [`ConfigurationFilter`], [`ConfigurationInterfaceFilter`], [`NameFilter`]).

mod configuration;
mod integration;
mod interface;
mod named;
mod organization;

use chrono::{DateTime, SecondsFormat, Utc};

pub use configuration::{ConfigurationFilter, ConfigurationSortField};
pub use integration::{PsaIntegrationType, RmmIntegrationType};
pub use interface::{ConfigurationInterfaceFilter, ConfigurationInterfaceSortField};
pub use named::{NameFilter, NamedSortField};
pub use organization::{OrganizationFilter, OrganizationSortField};

/// Escapes the commas of one filter value (`,` → `\,`) so IT Glue reads it as one value.
fn escape_filter_value(value: &str) -> String {
    value.replace(',', "\\,")
}

/// Query parameters in the order they will be sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    /// Sets `key` to `value` as sent (no escaping), replacing an earlier value of `key`.
    pub(crate) fn set(&mut self, key: impl Into<String>, value: impl Into<String>) {
        let key = key.into();
        let value = value.into();
        if let Some(slot) = self.pairs.iter_mut().find(|(k, _)| *k == key) {
            slot.1 = value;
        } else {
            self.pairs.push((key, value));
        }
    }

    /// Sets `filter[name]` to one value, its commas escaped.
    pub(crate) fn filter_one(&mut self, name: &str, value: &str) {
        self.set(format!("filter[{name}]"), escape_filter_value(value));
    }

    /// Sets `filter[name]` to any of several values: each escaped, joined by commas. Nothing is
    /// set when `values` is empty.
    pub(crate) fn filter_any<I, S>(&mut self, name: &str, values: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let joined = values
            .into_iter()
            .map(|value| escape_filter_value(value.as_ref()))
            .collect::<Vec<_>>()
            .join(",");
        if !joined.is_empty() {
            self.set(format!("filter[{name}]"), joined);
        }
    }

    /// The pairs, in order.
    pub(crate) fn into_pairs(self) -> Vec<(String, String)> {
        self.pairs
    }

    /// The pairs, borrowed.
    #[cfg(test)]
    pub(crate) fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }
}

/// A sort order: a field and a direction (`sort=name` or `sort=-name`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort<F> {
    /// The field to sort by.
    pub field: F,
    /// Whether to sort descending.
    pub descending: bool,
}

impl<F: SortField> Sort<F> {
    /// Ascending by `field`.
    pub fn ascending(field: F) -> Self {
        Self {
            field,
            descending: false,
        }
    }

    /// Descending by `field`.
    pub fn descending(field: F) -> Self {
        Self {
            field,
            descending: true,
        }
    }

    pub(crate) fn to_param(self) -> String {
        if self.descending {
            format!("-{}", self.field.as_param())
        } else {
            self.field.as_param().to_owned()
        }
    }
}

/// A field a list can be sorted by.
pub trait SortField: Copy {
    /// The order a list is asked for when the caller chose none (`None`: the server's order).
    /// Ascending by id keeps paging stable, so most lists default to it.
    const DEFAULT_SORT: Option<Sort<Self>> = None;

    /// The field's name in the `sort` parameter (snake_case).
    fn as_param(self) -> &'static str;
}

/// The filters and the sort order of one IT Glue list; `F` is the list's sort field, which also
/// decides which filter methods exist (see [`OrganizationFilter`], [`ConfigurationFilter`],
/// [`ConfigurationInterfaceFilter`], [`NameFilter`]). All filters are optional; several values
/// of one filter mean "any of them"; commas inside a value are escaped; text filters match
/// exactly.
///
/// ```
/// use itglue_client::{NameFilter, NamedSortField, Sort};
///
/// let filter = NameFilter::new()
///     .name("Managed Server")
///     .sort(Sort::descending(NamedSortField::UpdatedAt));
/// assert_eq!(
///     filter.to_query(),
///     vec![
///         ("filter[name]".to_owned(), "Managed Server".to_owned()),
///         ("sort".to_owned(), "-updated_at".to_owned()),
///     ]
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListFilter<F> {
    query: Query,
    sort: Option<Sort<F>>,
}

impl<F> Default for ListFilter<F> {
    fn default() -> Self {
        Self {
            query: Query::default(),
            sort: None,
        }
    }
}

impl<F: SortField> ListFilter<F> {
    /// No filter: the whole list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sort the list (default: [`SortField::DEFAULT_SORT`], ascending by id for most lists).
    pub fn sort(mut self, sort: Sort<F>) -> Self {
        self.sort = Some(sort);
        self
    }

    /// The query parameters this filter sends (without paging or `include`).
    pub fn to_query(&self) -> Vec<(String, String)> {
        let mut query = self.query.clone();
        if let Some(sort) = self.sort.or(F::DEFAULT_SORT) {
            query.set("sort", sort.to_param());
        }
        query.into_pairs()
    }

    /// Sets `filter[name]` to one value, its commas escaped.
    pub(crate) fn one(mut self, name: &str, value: &str) -> Self {
        self.query.filter_one(name, value);
        self
    }

    /// Sets `filter[name]` to any of several values.
    pub(crate) fn any<I, S>(mut self, name: &str, values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.query.filter_any(name, values);
        self
    }

    /// Sets `filter[name]` to any of several ids.
    pub(crate) fn id_list<I, T>(self, name: &str, ids: I) -> Self
    where
        I: IntoIterator<Item = T>,
        T: std::fmt::Display,
    {
        self.any(name, ids.into_iter().map(|id| id.to_string()))
    }

    /// Sets `filter[name]` to `true` or `false`.
    pub(crate) fn flag(self, name: &str, value: bool) -> Self {
        self.one(name, if value { "true" } else { "false" })
    }

    /// Sets `filter[name]` to a time range (its comma is the range separator, not escaped).
    pub(crate) fn range(mut self, name: &str, range: TimeRange) -> Self {
        self.query.set(format!("filter[{name}]"), range.to_param());
        self
    }
}

/// A UTC time range for `filter[created_at]` / `filter[updated_at]`, sent as `start,end` with
/// `*` for an open end. IT Glue says ranges over a week "may be disallowed".
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use itglue_client::TimeRange;
///
/// let since = TimeRange::since(Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap());
/// assert_eq!(since.to_param(), "2024-01-01T00:00:00Z,*");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeRange {
    /// The start (inclusive), or open.
    pub start: Option<DateTime<Utc>>,
    /// The end, or open.
    pub end: Option<DateTime<Utc>>,
}

impl TimeRange {
    /// From `start` to `end`.
    pub fn between(start: DateTime<Utc>, end: DateTime<Utc>) -> Self {
        Self {
            start: Some(start),
            end: Some(end),
        }
    }

    /// From `start` on.
    pub fn since(start: DateTime<Utc>) -> Self {
        Self {
            start: Some(start),
            end: None,
        }
    }

    /// Up to `end`.
    pub fn until(end: DateTime<Utc>) -> Self {
        Self {
            start: None,
            end: Some(end),
        }
    }

    /// The parameter value: `start,end`, `*` for an open end (this comma is the range separator,
    /// so it is not escaped).
    pub fn to_param(&self) -> String {
        let side = |time: Option<DateTime<Utc>>| {
            time.map_or_else(
                || "*".to_owned(),
                |time| time.to_rfc3339_opts(SecondsFormat::AutoSi, true),
            )
        };
        format!("{},{}", side(self.start), side(self.end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_comma_inside_one_value_is_escaped() {
        let mut query = Query::default();
        query.filter_one("name", "Kub, Reynolds and Gibson");
        assert_eq!(
            query.pairs(),
            &[(
                "filter[name]".to_owned(),
                r"Kub\, Reynolds and Gibson".to_owned()
            )]
        );
    }

    #[test]
    fn several_values_are_joined_by_bare_commas_after_escaping() {
        let mut query = Query::default();
        query.filter_any("name", ["A, B", "C"]);
        assert_eq!(query.pairs()[0].1, r"A\, B,C");
    }

    #[test]
    fn no_values_set_no_filter() {
        let mut query = Query::default();
        query.filter_any("id", Vec::<String>::new());
        assert!(query.pairs().is_empty());
    }

    #[test]
    fn setting_a_key_twice_keeps_the_last_value() {
        let mut query = Query::default();
        query.set("sort", "id");
        query.set("sort", "-name");
        assert_eq!(
            query.into_pairs(),
            vec![("sort".to_owned(), "-name".to_owned())]
        );
    }

    #[test]
    fn time_ranges_use_a_star_for_open_ends() {
        let start = Utc.with_ymd_and_hms(2024, 3, 1, 12, 0, 0).unwrap();
        let end = Utc.with_ymd_and_hms(2024, 3, 7, 12, 0, 0).unwrap();
        assert_eq!(
            TimeRange::between(start, end).to_param(),
            "2024-03-01T12:00:00Z,2024-03-07T12:00:00Z"
        );
        assert_eq!(TimeRange::until(end).to_param(), "*,2024-03-07T12:00:00Z");
    }
}
