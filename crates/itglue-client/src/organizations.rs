//! Organizations: IT Glue's company records.
//!
//! `GET /organizations` (filters below), `GET /organizations/:id`, `POST /organizations`,
//! `PATCH /organizations/:id`. A PSA-synced organization only accepts changes to `alert`,
//! `description` and `quick_notes`; anything else answers 422.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use msp_transport::Method;

use crate::client::ItGlueClient;
use crate::error::Error;
use crate::filter::{PsaIntegrationType, Query, Sort, SortField, TimeRange};
use crate::ids::{OrganizationId, OrganizationStatusId, OrganizationTypeId};
use crate::jsonapi::{NoRelationships, Resource, ResourceAttributes, WriteResource};
use crate::lenient;
use crate::pagination::PageStream;

/// An organization as IT Glue returns it.
pub type Organization = Resource<OrganizationAttributes>;

/// The attributes of an organization (response keys are kebab-case).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct OrganizationAttributes {
    /// The organization's name.
    pub name: String,
    /// The short name.
    #[serde(default)]
    pub short_name: Option<String>,
    /// The alert text shown on the organization.
    #[serde(default)]
    pub alert: Option<String>,
    /// The description.
    #[serde(default)]
    pub description: Option<String>,
    /// Quick notes (lists return only the first 250 characters; the full text via `get`).
    #[serde(default)]
    pub quick_notes: Option<String>,
    /// The organization type's id.
    #[serde(default)]
    pub organization_type_id: Option<OrganizationTypeId>,
    /// The organization type's name.
    #[serde(default)]
    pub organization_type_name: Option<String>,
    /// The organization status's id.
    #[serde(default)]
    pub organization_status_id: Option<OrganizationStatusId>,
    /// The organization status's name.
    #[serde(default)]
    pub organization_status_name: Option<String>,
    /// Whether this is the account owner's own organization.
    #[serde(default, deserialize_with = "lenient::bool_or_false")]
    pub primary: bool,
    /// The logo URL (`""` when none).
    #[serde(default)]
    pub logo: Option<String>,
    /// `"enabled"` when the organization is synced from a PSA.
    #[serde(default)]
    pub psa_integration: Option<String>,
    /// The parent organization (sent as a string).
    #[serde(default)]
    pub parent_id: Option<OrganizationId>,
    /// The ancestors' ids (sent as the text `"[1,6]"`).
    #[serde(default, deserialize_with = "lenient::id_list")]
    pub ancestor_ids: Vec<OrganizationId>,
    /// When the record was created.
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    /// When the record was last changed.
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
}

impl ResourceAttributes for OrganizationAttributes {
    const TYPE: &'static str = "organizations";
    type Id = OrganizationId;
}

/// A new organization (`POST /organizations`). Only `name` is required.
///
/// ```
/// use itglue_client::{NewOrganization, OrganizationTypeId};
///
/// let mut new = NewOrganization::new("Happy Frog");
/// new.organization_type_id = Some(OrganizationTypeId::new(86));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct NewOrganization {
    /// The name (required).
    pub name: String,
    /// The short name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub short_name: Option<String>,
    /// The organization type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_type_id: Option<OrganizationTypeId>,
    /// The organization status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_status_id: Option<OrganizationStatusId>,
    /// The alert text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alert: Option<String>,
    /// The description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Quick notes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quick_notes: Option<String>,
}

impl NewOrganization {
    /// A new organization with only a name.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ..Self::default()
        }
    }
}

/// A partial update (`PATCH /organizations/:id`): only the fields that are `Some` are sent;
/// the others stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct OrganizationUpdate {
    /// A new name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A new short name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub short_name: Option<String>,
    /// A new organization type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_type_id: Option<OrganizationTypeId>,
    /// A new organization status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_status_id: Option<OrganizationStatusId>,
    /// A new alert text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alert: Option<String>,
    /// A new description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// New quick notes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quick_notes: Option<String>,
}

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

/// The filters of `GET /organizations`, all optional. Several values of one filter mean "any
/// of them"; commas inside a value are escaped. Name filters match the exact name only.
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
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrganizationFilter {
    query: Query,
    sort: Option<Sort<OrganizationSortField>>,
}

impl OrganizationFilter {
    /// No filter: every organization.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only this organization.
    pub fn id(self, id: OrganizationId) -> Self {
        self.ids([id])
    }

    /// Only these organizations.
    pub fn ids(mut self, ids: impl IntoIterator<Item = OrganizationId>) -> Self {
        self.query
            .filter_any("id", ids.into_iter().map(|id| id.to_string()));
        self
    }

    /// Only the organization with exactly this name.
    pub fn name(mut self, name: &str) -> Self {
        self.query.filter_one("name", name);
        self
    }

    /// Only organizations with exactly one of these names.
    pub fn names<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.query.filter_any("name", names);
        self
    }

    /// Only organizations of this type.
    pub fn organization_type_id(mut self, id: OrganizationTypeId) -> Self {
        self.query
            .filter_one("organization_type_id", &id.to_string());
        self
    }

    /// Only organizations with this status.
    pub fn organization_status_id(mut self, id: OrganizationStatusId) -> Self {
        self.query
            .filter_one("organization_status_id", &id.to_string());
        self
    }

    /// Only the organization synced from this PSA record (IT Glue requires the integration
    /// type with the PSA id; this method sends both).
    pub fn psa(mut self, integration: &PsaIntegrationType, psa_id: &str) -> Self {
        self.query.filter_one("psa_id", psa_id);
        self.query
            .filter_one("psa_integration_type", integration.as_str());
        self
    }

    /// Only organizations synced from this kind of PSA.
    pub fn psa_integration_type(mut self, integration: &PsaIntegrationType) -> Self {
        self.query
            .filter_one("psa_integration_type", integration.as_str());
        self
    }

    /// Only the primary (account owner's) organization, or only the others.
    pub fn primary(mut self, primary: bool) -> Self {
        self.query
            .filter_one("primary", if primary { "true" } else { "false" });
        self
    }

    /// Only organizations in this group.
    pub fn group_id(mut self, group_id: u64) -> Self {
        self.query.filter_one("group_id", &group_id.to_string());
        self
    }

    /// Only organizations linked to this MyGlue account.
    pub fn my_glue_account_id(mut self, account_id: u64) -> Self {
        self.query
            .filter_one("my_glue_account_id", &account_id.to_string());
        self
    }

    /// Only organizations created in this range.
    pub fn created_at(mut self, range: TimeRange) -> Self {
        self.query.set("filter[created_at]", range.to_param());
        self
    }

    /// Only organizations changed in this range.
    pub fn updated_at(mut self, range: TimeRange) -> Self {
        self.query.set("filter[updated_at]", range.to_param());
        self
    }

    /// Leave out these organizations.
    pub fn exclude_ids(mut self, ids: impl IntoIterator<Item = OrganizationId>) -> Self {
        self.query
            .filter_any("exclude][id", ids.into_iter().map(|id| id.to_string()));
        self
    }

    /// Leave out organizations with exactly one of these names.
    pub fn exclude_names<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.query.filter_any("exclude][name", names);
        self
    }

    /// Leave out organizations of this type.
    pub fn exclude_organization_type_id(mut self, id: OrganizationTypeId) -> Self {
        self.query
            .filter_one("exclude][organization_type_id", &id.to_string());
        self
    }

    /// Leave out organizations with this status.
    pub fn exclude_organization_status_id(mut self, id: OrganizationStatusId) -> Self {
        self.query
            .filter_one("exclude][organization_status_id", &id.to_string());
        self
    }

    /// Sort the list (default: ascending by id, which keeps paging stable).
    pub fn sort(mut self, sort: Sort<OrganizationSortField>) -> Self {
        self.sort = Some(sort);
        self
    }

    /// The query parameters this filter sends (without paging).
    pub fn to_query(&self) -> Vec<(String, String)> {
        let mut query = self.query.clone();
        let sort = self
            .sort
            .unwrap_or(Sort::ascending(OrganizationSortField::Id));
        query.set("sort", sort.to_param());
        query.into_pairs()
    }
}

impl ItGlueClient {
    /// `GET /organizations`: every organization the filter selects, page by page.
    ///
    /// ```no_run
    /// # async fn run(client: itglue_client::ItGlueClient) -> Result<(), itglue_client::Error> {
    /// use itglue_client::OrganizationFilter;
    ///
    /// let matches = client
    ///     .list_organizations(&OrganizationFilter::new().name("Kub, Reynolds and Gibson"))
    ///     .collect_all()
    ///     .await?;
    /// # let _ = matches; Ok(()) }
    /// ```
    pub fn list_organizations(&self, filter: &OrganizationFilter) -> PageStream<Organization> {
        self.list("organizations".to_owned(), filter.to_query())
    }

    /// `GET /organizations/:id` (the full quick notes, unlike the list).
    ///
    /// ```no_run
    /// # async fn run(client: itglue_client::ItGlueClient) -> Result<(), itglue_client::Error> {
    /// use itglue_client::OrganizationId;
    ///
    /// let organization = client.get_organization(OrganizationId::new(2)).await?;
    /// println!("{}", organization.attributes.name);
    /// # Ok(()) }
    /// ```
    pub async fn get_organization(&self, id: OrganizationId) -> Result<Organization, Error> {
        Ok(self
            .get_document(&format!("organizations/{id}"), &[])
            .await?
            .data)
    }

    /// `POST /organizations`: creates one organization. Sent once, never retried: on an error
    /// whose [`Error::may_have_been_sent`] is true, look for the organization before creating
    /// it again.
    ///
    /// ```no_run
    /// # async fn run(client: itglue_client::ItGlueClient) -> Result<(), itglue_client::Error> {
    /// use itglue_client::NewOrganization;
    ///
    /// let created = client.create_organization(&NewOrganization::new("Happy Frog")).await?;
    /// println!("created {}", created.id);
    /// # Ok(()) }
    /// ```
    pub async fn create_organization(&self, new: &NewOrganization) -> Result<Organization, Error> {
        let body = WriteResource::<_, NoRelationships> {
            kind: OrganizationAttributes::TYPE,
            attributes: new,
            relationships: None,
        };
        Ok(self
            .write_document(Method::POST, "organizations", &body, false)
            .await?
            .data)
    }

    /// `PATCH /organizations/:id`: changes the attributes that are set. A PSA-synced
    /// organization accepts only `alert`, `description` and `quick_notes` (else 422).
    ///
    /// ```no_run
    /// # async fn run(client: itglue_client::ItGlueClient) -> Result<(), itglue_client::Error> {
    /// use itglue_client::{OrganizationId, OrganizationUpdate};
    ///
    /// let update = OrganizationUpdate { alert: Some("Synced from RMM".into()), ..Default::default() };
    /// client.update_organization(OrganizationId::new(2), &update).await?;
    /// # Ok(()) }
    /// ```
    pub async fn update_organization(
        &self,
        id: OrganizationId,
        update: &OrganizationUpdate,
    ) -> Result<Organization, Error> {
        let body = WriteResource::<_, NoRelationships> {
            kind: OrganizationAttributes::TYPE,
            attributes: update,
            relationships: None,
        };
        Ok(self
            .write_document(Method::PATCH, &format!("organizations/{id}"), &body, true)
            .await?
            .data)
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

    #[test]
    fn new_organizations_are_written_in_kebab_case_without_empty_fields() {
        let mut new = NewOrganization::new("Happy Frog");
        new.organization_type_id = Some(OrganizationTypeId::new(86));
        let json = serde_json::to_value(&new).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"name": "Happy Frog", "organization-type-id": 86})
        );
    }
}
