//! Organization types and statuses, configuration types and statuses.
//!
//! Four small account-specific lists (`GET/POST /organization_types`,
//! `/organization_statuses`, `/configuration_types`, `/configuration_statuses`, and
//! `GET /…/:id`). Their ids are needed to create organizations and configurations; a sync looks
//! them up once by name (`filter[name]` matches the exact name only).

use chrono::{DateTime, Utc};
use msp_transport::Method;
use serde::{Deserialize, Serialize};

use crate::client::ItGlueClient;
use crate::error::Error;
use crate::filter::{Query, Sort, SortField};
use crate::ids::{
    ConfigurationStatusId, ConfigurationTypeId, OrganizationStatusId, OrganizationTypeId,
};
use crate::jsonapi::{NoRelationships, Resource, ResourceAttributes, WriteResource};
use crate::lenient;
use crate::pagination::PageStream;

macro_rules! named_resource {
    (
        $(#[$doc:meta])* $attributes:ident, $alias:ident, $id:ty, $kind:literal, $alias_doc:literal
    ) => {
        #[doc = $alias_doc]
        pub type $alias = Resource<$attributes>;

        $(#[$doc])*
        #[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
        #[serde(rename_all = "kebab-case")]
        pub struct $attributes {
            /// The name.
            pub name: String,
            /// Whether it is synced from a PSA (then IT Glue refuses changes with 422).
            #[serde(default, deserialize_with = "lenient::bool_or_false")]
            pub synced: bool,
            /// How many configurations use it (configuration types only).
            #[serde(default, deserialize_with = "lenient::optional_u64")]
            pub configurations_count: Option<u64>,
            /// When the record was created.
            #[serde(default)]
            pub created_at: Option<DateTime<Utc>>,
            /// When the record was last changed.
            #[serde(default)]
            pub updated_at: Option<DateTime<Utc>>,
        }

        impl ResourceAttributes for $attributes {
            const TYPE: &'static str = $kind;
            type Id = $id;
        }
    };
}

named_resource!(
    /// The attributes of an organization type (e.g. "Customer", "Vendor").
    OrganizationTypeAttributes,
    OrganizationType,
    OrganizationTypeId,
    "organization-types",
    "An organization type as IT Glue returns it."
);
named_resource!(
    /// The attributes of an organization status (e.g. "Active", "Inactive").
    OrganizationStatusAttributes,
    OrganizationStatus,
    OrganizationStatusId,
    "organization-statuses",
    "An organization status as IT Glue returns it."
);
named_resource!(
    /// The attributes of a configuration type (e.g. "Managed Server", "Switch").
    ConfigurationTypeAttributes,
    ConfigurationType,
    ConfigurationTypeId,
    "configuration-types",
    "A configuration type as IT Glue returns it."
);
named_resource!(
    /// The attributes of a configuration status (e.g. "Active").
    ConfigurationStatusAttributes,
    ConfigurationStatus,
    ConfigurationStatusId,
    "configuration-statuses",
    "A configuration status as IT Glue returns it."
);

/// The body of a new type or status: only a name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
struct NewNamed<'a> {
    name: &'a str,
}

macro_rules! named_endpoints {
    (
        $resource:ident, $attributes:ident, $id:ty, $path:literal,
        $list:ident, $get:ident, $create:ident, $what:literal
    ) => {
        impl ItGlueClient {
            #[doc = concat!("`GET /", $path, "`: every ", $what, " the filter selects, page by page.")]
            ///
            /// ```no_run
            /// # async fn run(client: itglue_client::ItGlueClient) -> Result<(), itglue_client::Error> {
            /// use itglue_client::NameFilter;
            ///
            #[doc = concat!("let all = client.", stringify!($list), "(&NameFilter::new()).collect_all().await?;")]
            /// # let _ = all; Ok(()) }
            /// ```
            pub fn $list(&self, filter: &NameFilter) -> PageStream<$resource> {
                self.list($path.to_owned(), filter.to_query())
            }

            #[doc = concat!("`GET /", $path, "/:id`: one ", $what, ".")]
            ///
            /// ```no_run
            /// # async fn run(client: itglue_client::ItGlueClient) -> Result<(), itglue_client::Error> {
            #[doc = concat!("let one = client.", stringify!($get), "(1.into()).await?;")]
            /// # let _ = one; Ok(()) }
            /// ```
            pub async fn $get(&self, id: $id) -> Result<$resource, Error> {
                Ok(self.get_document(&format!(concat!($path, "/{}"), id), &[]).await?.data)
            }

            #[doc = concat!("`POST /", $path, "`: creates a ", $what, " with this name. Never retried.")]
            ///
            /// ```no_run
            /// # async fn run(client: itglue_client::ItGlueClient) -> Result<(), itglue_client::Error> {
            #[doc = concat!("let created = client.", stringify!($create), "(\"Imported\").await?;")]
            /// # let _ = created; Ok(()) }
            /// ```
            pub async fn $create(&self, name: &str) -> Result<$resource, Error> {
                let body = WriteResource::<_, NoRelationships> {
                    kind: $attributes::TYPE,
                    attributes: &NewNamed { name },
                    relationships: None,
                };
                Ok(self.write_document(Method::POST, $path, &body, false).await?.data)
            }
        }
    };
}

named_endpoints!(
    OrganizationType,
    OrganizationTypeAttributes,
    OrganizationTypeId,
    "organization_types",
    list_organization_types,
    get_organization_type,
    create_organization_type,
    "organization type"
);
named_endpoints!(
    OrganizationStatus,
    OrganizationStatusAttributes,
    OrganizationStatusId,
    "organization_statuses",
    list_organization_statuses,
    get_organization_status,
    create_organization_status,
    "organization status"
);
named_endpoints!(
    ConfigurationType,
    ConfigurationTypeAttributes,
    ConfigurationTypeId,
    "configuration_types",
    list_configuration_types,
    get_configuration_type,
    create_configuration_type,
    "configuration type"
);
named_endpoints!(
    ConfigurationStatus,
    ConfigurationStatusAttributes,
    ConfigurationStatusId,
    "configuration_statuses",
    list_configuration_statuses,
    get_configuration_status,
    create_configuration_status,
    "configuration status"
);

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
    fn as_param(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Id => "id",
            Self::CreatedAt => "created_at",
            Self::UpdatedAt => "updated_at",
        }
    }
}

/// The filter of the type and status lists: the exact name.
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
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NameFilter {
    query: Query,
    sort: Option<Sort<NamedSortField>>,
}

impl NameFilter {
    /// No filter: the whole list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only the entry with exactly this name.
    pub fn name(mut self, name: &str) -> Self {
        self.query.filter_one("name", name);
        self
    }

    /// Sort the list (default: ascending by id).
    pub fn sort(mut self, sort: Sort<NamedSortField>) -> Self {
        self.sort = Some(sort);
        self
    }

    /// The query parameters this filter sends (without paging).
    pub fn to_query(&self) -> Vec<(String, String)> {
        let mut query = self.query.clone();
        let sort = self.sort.unwrap_or(Sort::ascending(NamedSortField::Id));
        query.set("sort", sort.to_param());
        query.into_pairs()
    }
}
