//! The filters and sort fields of `GET /organizations`.

use super::{ListFilter, PsaIntegrationType, Sort, SortField, TimeRange};
use crate::ids::{OrganizationId, OrganizationStatusId, OrganizationTypeId};

/// The fields organizations can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum OrganizationSortField {
    /// `name`
    Name,
    /// `id`
    Id,
    /// `created_at`
    CreatedAt,
    /// `updated_at`
    UpdatedAt,
    /// `organization_status_name`
    OrganizationStatusName,
    /// `organization_type_name`
    OrganizationTypeName,
    /// `short_name`
    ShortName,
    /// `my_glue_account_id`
    MyGlueAccountId,
}

impl SortField for OrganizationSortField {
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
            Self::OrganizationStatusName => "organization_status_name",
            Self::OrganizationTypeName => "organization_type_name",
            Self::ShortName => "short_name",
            Self::MyGlueAccountId => "my_glue_account_id",
        }
    }
}

/// The filters of `GET /organizations`, all optional (default sort: ascending by id). Several
/// values of one filter mean "any of them"; commas inside a value are escaped. Name filters
/// match the exact name only.
///
/// ```
/// use itglue_client::{OrganizationFilter, OrganizationStatusId};
///
/// let filter = OrganizationFilter::new()
///     .name("Kub, Reynolds and Gibson")
///     .organization_status_id(OrganizationStatusId::new(68));
/// assert_eq!(
///     filter.to_query(),
///     vec![
///         ("filter[name]".to_owned(), r"Kub\, Reynolds and Gibson".to_owned()),
///         ("filter[organization_status_id]".to_owned(), "68".to_owned()),
///         ("sort".to_owned(), "id".to_owned()),
///     ]
/// );
/// ```
pub type OrganizationFilter = ListFilter<OrganizationSortField>;

impl ListFilter<OrganizationSortField> {
    /// Only this organization.
    pub fn id(self, id: OrganizationId) -> Self {
        self.ids([id])
    }

    /// Only these organizations.
    pub fn ids(self, ids: impl IntoIterator<Item = OrganizationId>) -> Self {
        self.id_list("id", ids)
    }

    /// Only the organization with exactly this name.
    pub fn name(self, name: &str) -> Self {
        self.one("name", name)
    }

    /// Only organizations with exactly one of these names.
    pub fn names<I, S>(self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.any("name", names)
    }

    /// Only organizations of this type.
    pub fn organization_type_id(self, id: OrganizationTypeId) -> Self {
        self.one("organization_type_id", &id.to_string())
    }

    /// Only organizations with this status.
    pub fn organization_status_id(self, id: OrganizationStatusId) -> Self {
        self.one("organization_status_id", &id.to_string())
    }

    /// Only the organization synced from this PSA record (IT Glue requires the integration
    /// type with the PSA id; this method sends both).
    pub fn psa(self, integration: &PsaIntegrationType, psa_id: &str) -> Self {
        self.one("psa_id", psa_id)
            .one("psa_integration_type", integration.as_str())
    }

    /// Only organizations synced from this kind of PSA.
    pub fn psa_integration_type(self, integration: &PsaIntegrationType) -> Self {
        self.one("psa_integration_type", integration.as_str())
    }

    /// Only the primary (account owner's) organization, or only the others.
    pub fn primary(self, primary: bool) -> Self {
        self.flag("primary", primary)
    }

    /// Only organizations in this group.
    pub fn group_id(self, group_id: u64) -> Self {
        self.one("group_id", &group_id.to_string())
    }

    /// Only organizations linked to this MyGlue account.
    pub fn my_glue_account_id(self, account_id: u64) -> Self {
        self.one("my_glue_account_id", &account_id.to_string())
    }

    /// Only organizations created in this range.
    pub fn created_at(self, range: TimeRange) -> Self {
        self.range("created_at", range)
    }

    /// Only organizations changed in this range.
    pub fn updated_at(self, range: TimeRange) -> Self {
        self.range("updated_at", range)
    }

    /// Leave out these organizations.
    pub fn exclude_ids(self, ids: impl IntoIterator<Item = OrganizationId>) -> Self {
        self.id_list("exclude][id", ids)
    }

    /// Leave out organizations with exactly one of these names.
    pub fn exclude_names<I, S>(self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.any("exclude][name", names)
    }

    /// Leave out organizations of this type.
    pub fn exclude_organization_type_id(self, id: OrganizationTypeId) -> Self {
        self.one("exclude][organization_type_id", &id.to_string())
    }

    /// Leave out organizations with this status.
    pub fn exclude_organization_status_id(self, id: OrganizationStatusId) -> Self {
        self.one("exclude][organization_status_id", &id.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exclusions_use_the_nested_filter_key() {
        let query = OrganizationFilter::new()
            .exclude_ids([OrganizationId::new(1), OrganizationId::new(2)])
            .exclude_names(["A, B"])
            .to_query();
        assert_eq!(
            query[0],
            ("filter[exclude][id]".to_owned(), "1,2".to_owned())
        );
        assert_eq!(
            query[1],
            ("filter[exclude][name]".to_owned(), r"A\, B".to_owned())
        );
    }

    #[test]
    fn a_psa_id_is_always_sent_with_its_integration_type() {
        let query = OrganizationFilter::new()
            .psa(&PsaIntegrationType::Autotask, "29683")
            .to_query();
        assert!(query.contains(&("filter[psa_id]".to_owned(), "29683".to_owned())));
        assert!(query.contains(&(
            "filter[psa_integration_type]".to_owned(),
            "autotask".to_owned()
        )));
    }

    #[test]
    fn the_remaining_organization_filters_use_their_documented_keys() {
        let query = OrganizationFilter::new()
            .psa_integration_type(&PsaIntegrationType::KaseyaBms)
            .group_id(12)
            .my_glue_account_id(34)
            .to_query();
        assert_eq!(
            query,
            vec![
                (
                    "filter[psa_integration_type]".to_owned(),
                    "kaseya-bms".to_owned()
                ),
                ("filter[group_id]".to_owned(), "12".to_owned()),
                ("filter[my_glue_account_id]".to_owned(), "34".to_owned()),
                ("sort".to_owned(), "id".to_owned()),
            ]
        );
    }

    #[test]
    fn an_explicit_sort_replaces_the_default() {
        let query = OrganizationFilter::new()
            .sort(Sort::descending(OrganizationSortField::UpdatedAt))
            .to_query();
        assert_eq!(query, vec![("sort".to_owned(), "-updated_at".to_owned())]);
    }
}
