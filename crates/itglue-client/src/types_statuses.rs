//! Organization types and statuses, configuration types and statuses.
//!
//! Four small account-specific lists (`GET/POST /organization_types`,
//! `/organization_statuses`, `/configuration_types`, `/configuration_statuses`, and
//! `GET /…/:id`). Their ids are needed to create organizations and configurations; a sync looks
//! them up once by name (`filter[name]` matches the exact name only).

use msp_transport::Method;

use crate::client::ItGlueClient;
use crate::error::Error;
use crate::filter::NameFilter;
use crate::ids::{
    ConfigurationStatusId, ConfigurationTypeId, OrganizationStatusId, OrganizationTypeId,
};
use crate::jsonapi::{NoRelationships, ResourceAttributes, WriteResource};
use crate::models::named::NewNamed;
use crate::models::{
    ConfigurationStatus, ConfigurationStatusAttributes, ConfigurationType,
    ConfigurationTypeAttributes, OrganizationStatus, OrganizationStatusAttributes,
    OrganizationType, OrganizationTypeAttributes,
};
use crate::pagination::PageStream;

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
