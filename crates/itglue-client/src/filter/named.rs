//! The filter and sort fields of the type and status lists (organization types and statuses,
//! configuration types and statuses).

use super::{ListFilter, Sort, SortField};

/// The fields types and statuses can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum NamedSortField {
    /// `name`
    Name,
    /// `id`
    Id,
    /// `created_at`
    CreatedAt,
    /// `updated_at`
    UpdatedAt,
}

impl SortField for NamedSortField {
    const DEFAULT_SORT: Option<Sort<Self>> = Some(Sort {
        field: Self::Id,
        descending: false,
    });

    fn as_param(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Id => "id",
            Self::CreatedAt => "created_at",
            Self::UpdatedAt => "updated_at",
        }
    }
}

/// The filter of the type and status lists: the exact name (default sort: ascending by id).
///
/// ```
/// use itglue_client::NameFilter;
///
/// assert_eq!(
///     NameFilter::new().name("Managed Server").to_query(),
///     vec![
///         ("filter[name]".to_owned(), "Managed Server".to_owned()),
///         ("sort".to_owned(), "id".to_owned()),
///     ]
/// );
/// ```
pub type NameFilter = ListFilter<NamedSortField>;

impl ListFilter<NamedSortField> {
    /// Only the entry with exactly this name.
    pub fn name(self, name: &str) -> Self {
        self.one("name", name)
    }
}
