//! A typed async client for the IT Glue JSON:API: the organizations, configurations,
//! configuration interfaces, and the type and status lists an RMM → IT Glue sync needs.
//!
//! - **Construction**: [`ItGlueClient::builder`] with a [`Region`] (US, EU, AU) or an explicit
//!   base URL, and the API key as a [`Secret`] (sent as `x-api-key`, never printed). Bodies are
//!   `application/vnd.api+json`. A client-side rate limit of 3000 requests per 5 minutes (IT
//!   Glue's own) is shared by all clones. User agent, timeouts, retry policy and the limit (or a
//!   limiter shared with other clients) are [`ClientOptions`], as on every msp-sync client.
//! - **JSON:API done once** ([`Resource`], [`Document`]): string ids become typed numeric ids
//!   ([`OrganizationId`], [`ConfigurationId`], …), kebab-case attributes become typed structs,
//!   `relationships` and `included` are resolved.
//! - **Lists** are [`PageStream`]s (page size up to 1000): lazy, page after page, ending with the
//!   error when a page fails; [`PageStream::collect_all`] never returns a partial list. A page
//!   IT Glue says "took too long" is fetched again at half the page size.
//! - **Filters**: one builder, [`ListFilter`], whose methods depend on the list it filters
//!   ([`OrganizationFilter`], [`ConfigurationFilter`], [`ConfigurationInterfaceFilter`],
//!   [`NameFilter`]); it escapes commas inside values, which IT Glue would otherwise read as
//!   "or", and asks for a stable sort by default.
//! - **Records** live in [`models`], one file per resource (the attributes IT Glue returns and
//!   the bodies of creates and updates); every one is also re-exported at the crate root.
//! - **Errors** ([`Error`]): IT Glue's `errors` array becomes [`Error::Validation`] (each
//!   [`ApiError`] names the attribute and the detail), [`Error::Unauthorized`],
//!   [`Error::NotFound`] (also for IT Glue's HTML 404 page), [`Error::RateLimited`], and so on.
//!   Creates are `POST`s and are never retried automatically.
//!
//! ```no_run
//! # async fn run() -> Result<(), itglue_client::Error> {
//! use itglue_client::{
//!     ConfigurationFilter, ItGlueClient, NameFilter, NewConfiguration, OrganizationFilter, Region,
//!     Secret,
//! };
//!
//! let client = ItGlueClient::builder()
//!     .region(Region::Eu)
//!     .api_key(Secret::new(std::env::var("ITGLUE_API_KEY").unwrap_or_default()))
//!     .build()?;
//!
//! let organization = client
//!     .list_organizations(&OrganizationFilter::new().name("Kub, Reynolds and Gibson"))
//!     .collect_all()
//!     .await?
//!     .into_iter()
//!     .next();
//! if let Some(organization) = organization {
//!     let devices = client
//!         .list_configurations_with_interfaces(
//!             &ConfigurationFilter::new().organization_id(organization.id),
//!         )
//!         .collect_all()
//!         .await?;
//!     println!("{} has {} configurations", organization.attributes.name, devices.len());
//!
//!     let server_type = client
//!         .list_configuration_types(&NameFilter::new().name("Managed Server"))
//!         .collect_all()
//!         .await?;
//!     if let Some(server_type) = server_type.first() {
//!         let new = NewConfiguration::new("HF-SF-CJ452JK", server_type.id);
//!         client.create_configuration(organization.id, &new).await?;
//!     }
//! }
//! # Ok(()) }
//! ```
//!
//! The JSON:API envelope can be used on its own, for example on a saved answer:
//!
//! ```
//! use itglue_client::{Configuration, ConfigurationId, Document};
//!
//! let body = r#"{"data": [{"id": "455", "type": "configurations",
//!     "attributes": {"name": "HF-SF-CJ452JK", "organization-id": 2, "archived": false}}],
//!     "meta": {"current-page": 1, "next-page": null, "total-pages": 1, "total-count": 1}}"#;
//! let document: Document<Vec<Configuration>> = serde_json::from_str(body).unwrap();
//! assert_eq!(document.data[0].id, ConfigurationId::new(455));
//! assert_eq!(document.meta.unwrap().total_count, Some(1));
//! ```

mod bulk_updates;
mod client;
mod configurations;
mod error;
mod filter;
mod ids;
mod interfaces;
mod jsonapi;
mod lenient;
mod lookups;
pub mod models;
mod organizations;
mod pagination;
mod types_statuses;

pub use client::{
    DEFAULT_RATE_LIMIT, ItGlueClient, ItGlueClientBuilder, JSON_API, MAX_PAGE_SIZE, Region,
};
pub use error::{ApiError, Error};
pub use filter::{
    ConfigurationFilter, ConfigurationInterfaceFilter, ConfigurationInterfaceSortField,
    ConfigurationSortField, ListFilter, NameFilter, NamedSortField, OrganizationFilter,
    OrganizationSortField, PsaIntegrationType, RmmIntegrationType, Sort, SortField, TimeRange,
};
pub use ids::{
    ConfigurationId, ConfigurationInterfaceId, ConfigurationStatusId, ConfigurationTypeId,
    ContactId, LocationId, ManufacturerId, ModelId, OperatingSystemId, OrganizationId,
    OrganizationStatusId, OrganizationTypeId, ParseIdError,
};
pub use jsonapi::{
    Document, IncludedError, IncludedResource, Links, ListMeta, OneOrMany, Relationship, Resource,
    ResourceAttributes, ResourceIdentifier,
};
pub use models::{
    Configuration, ConfigurationAttributes, ConfigurationInterface,
    ConfigurationInterfaceAttributes, ConfigurationStatus, ConfigurationStatusAttributes,
    ConfigurationType, ConfigurationTypeAttributes, ConfigurationUpdate,
    ConfigurationWithInterfaces, Manufacturer, ManufacturerAttributes, Model, ModelAttributes,
    NewConfiguration, NewConfigurationInterface, NewOrganization, OperatingSystem,
    OperatingSystemAttributes, Organization, OrganizationAttributes, OrganizationStatus,
    OrganizationStatusAttributes, OrganizationType, OrganizationTypeAttributes, OrganizationUpdate,
};
pub use msp_transport::{ClientError, ClientOptions, RateLimit, RateLimiter, RetryPolicy, Secret};
pub use pagination::PageStream;

/// The README's example, compiled as a doc test so it cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeExample;
