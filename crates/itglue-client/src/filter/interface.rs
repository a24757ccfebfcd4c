//! The filters and sort fields of a configuration's interface list.

use super::{ListFilter, SortField};
use crate::ids::ConfigurationInterfaceId;

/// The fields interfaces can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigurationInterfaceSortField {
    /// `created_at`
    CreatedAt,
    /// `updated_at`
    UpdatedAt,
}

impl SortField for ConfigurationInterfaceSortField {
    fn as_param(self) -> &'static str {
        match self {
            Self::CreatedAt => "created_at",
            Self::UpdatedAt => "updated_at",
        }
    }
}

/// The filters of a configuration's interface list: `filter[id]`, `filter[ip_address]`
/// (default sort: the server's order).
///
/// ```
/// use itglue_client::ConfigurationInterfaceFilter;
///
/// let filter = ConfigurationInterfaceFilter::new().ip_address("10.10.1.111");
/// assert_eq!(
///     filter.to_query(),
///     vec![("filter[ip_address]".to_owned(), "10.10.1.111".to_owned())]
/// );
/// ```
pub type ConfigurationInterfaceFilter = ListFilter<ConfigurationInterfaceSortField>;

impl ListFilter<ConfigurationInterfaceSortField> {
    /// Only these interfaces.
    pub fn ids(self, ids: impl IntoIterator<Item = ConfigurationInterfaceId>) -> Self {
        self.id_list("id", ids)
    }

    /// Only interfaces with exactly this IP address.
    pub fn ip_address(self, ip_address: &str) -> Self {
        self.one("ip_address", ip_address)
    }
}
