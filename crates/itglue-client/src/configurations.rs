//! Configurations: IT Glue's device records.
//!
//! `GET /configurations` (filters below, `include=configuration_interfaces`),
//! `GET /configurations/:id`, `POST /configurations` (one, with `organization_id`),
//! `POST /organizations/:id/relationships/configurations` (bulk), `PATCH /configurations/:id`
//! (update and archive). Filters on the nested list route are not honoured by IT Glue, so lists
//! always use the top-level route with `filter[organization_id]`.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use msp_transport::Method;
use serde::{Deserialize, Serialize};

use crate::client::ItGlueClient;
use crate::error::Error;
use crate::filter::{PsaIntegrationType, Query, RmmIntegrationType, Sort, SortField};
use crate::ids::{
    ConfigurationId, ConfigurationInterfaceId, ConfigurationStatusId, ConfigurationTypeId,
    ContactId, LocationId, ManufacturerId, ModelId, OperatingSystemId, OrganizationId,
};
use crate::interfaces::{
    ConfigurationInterface, ConfigurationInterfaceAttributes, NewConfigurationInterface,
};
use crate::jsonapi::{
    Document, NoRelationships, OneOrMany, Resource, ResourceAttributes, WriteResource,
};
use crate::lenient;
use crate::pagination::PageStream;

/// A configuration as IT Glue returns it.
pub type Configuration = Resource<ConfigurationAttributes>;

/// The attributes of a configuration (response keys are kebab-case). Every attribute but the
/// name may be `null`; unknown attributes are ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct ConfigurationAttributes {
    /// The device's name.
    pub name: String,
    /// The organization it belongs to.
    #[serde(default)]
    pub organization_id: Option<OrganizationId>,
    /// The organization's name.
    #[serde(default)]
    pub organization_name: Option<String>,
    /// The organization's short name.
    #[serde(default)]
    pub organization_short_name: Option<String>,
    /// The record's page in the IT Glue web app.
    #[serde(default)]
    pub resource_url: Option<String>,
    /// The hostname.
    #[serde(default)]
    pub hostname: Option<String>,
    /// The primary IP address.
    #[serde(default)]
    pub primary_ip: Option<String>,
    /// The primary MAC address, as entered (format varies: `C4:7A:…`, `18-5E-…`).
    #[serde(default)]
    pub mac_address: Option<String>,
    /// The default gateway.
    #[serde(default)]
    pub default_gateway: Option<String>,
    /// The serial number.
    #[serde(default)]
    pub serial_number: Option<String>,
    /// The asset tag.
    #[serde(default)]
    pub asset_tag: Option<String>,
    /// The position (e.g. rack slot).
    #[serde(default)]
    pub position: Option<String>,
    /// Who installed it (syncs often store their own device marker here).
    #[serde(default)]
    pub installed_by: Option<String>,
    /// Who purchased it.
    #[serde(default)]
    pub purchased_by: Option<String>,
    /// Notes.
    #[serde(default)]
    pub notes: Option<String>,
    /// Operating system notes.
    #[serde(default)]
    pub operating_system_notes: Option<String>,
    /// When the warranty ends.
    #[serde(default, deserialize_with = "lenient::optional_date")]
    pub warranty_expires_at: Option<NaiveDate>,
    /// When it was installed.
    #[serde(default, deserialize_with = "lenient::optional_date")]
    pub installed_at: Option<NaiveDate>,
    /// When it was purchased.
    #[serde(default, deserialize_with = "lenient::optional_date")]
    pub purchased_at: Option<NaiveDate>,
    /// When the MITP device subscription expires.
    #[serde(default, deserialize_with = "lenient::optional_date")]
    pub mitp_device_expiration_date: Option<NaiveDate>,
    /// The MITP end-of-life date.
    #[serde(default, deserialize_with = "lenient::optional_date")]
    pub mitp_end_of_life_date: Option<NaiveDate>,
    /// The configuration type's id.
    #[serde(default)]
    pub configuration_type_id: Option<ConfigurationTypeId>,
    /// The configuration type's name.
    #[serde(default)]
    pub configuration_type_name: Option<String>,
    /// The configuration type's kind (e.g. `server`, `switch`).
    #[serde(default)]
    pub configuration_type_kind: Option<String>,
    /// The configuration status's id.
    #[serde(default)]
    pub configuration_status_id: Option<ConfigurationStatusId>,
    /// The configuration status's name.
    #[serde(default)]
    pub configuration_status_name: Option<String>,
    /// The manufacturer's id.
    #[serde(default)]
    pub manufacturer_id: Option<ManufacturerId>,
    /// The manufacturer's name.
    #[serde(default)]
    pub manufacturer_name: Option<String>,
    /// The model's id.
    #[serde(default)]
    pub model_id: Option<ModelId>,
    /// The model's name.
    #[serde(default)]
    pub model_name: Option<String>,
    /// The operating system's id.
    #[serde(default)]
    pub operating_system_id: Option<OperatingSystemId>,
    /// The operating system's name.
    #[serde(default)]
    pub operating_system_name: Option<String>,
    /// The location's id.
    #[serde(default)]
    pub location_id: Option<LocationId>,
    /// The location's name.
    #[serde(default)]
    pub location_name: Option<String>,
    /// The contact's id.
    #[serde(default)]
    pub contact_id: Option<ContactId>,
    /// The contact's name.
    #[serde(default)]
    pub contact_name: Option<String>,
    /// Whether the configuration is archived.
    #[serde(default, deserialize_with = "lenient::bool_or_false")]
    pub archived: bool,
    /// Whether access to it is restricted.
    #[serde(default, deserialize_with = "lenient::bool_or_false")]
    pub restricted: bool,
    /// `"enabled"` when it is synced from a PSA (then most attributes are read-only).
    #[serde(default)]
    pub psa_integration: Option<String>,
    /// When the record was created.
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    /// When the record was last changed.
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
}

impl ResourceAttributes for ConfigurationAttributes {
    const TYPE: &'static str = "configurations";
    type Id = ConfigurationId;
}

/// A configuration together with its interfaces, as listed with
/// `include=configuration_interfaces`.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigurationWithInterfaces {
    /// The configuration.
    pub configuration: Configuration,
    /// Its interfaces, in the order the relationship lists them.
    pub interfaces: Vec<ConfigurationInterface>,
}

/// A new configuration. IT Glue requires a name and a configuration type; the organization is
/// given to the create call.
///
/// ```
/// use itglue_client::{ConfigurationTypeId, NewConfiguration, NewConfigurationInterface};
///
/// let mut new = NewConfiguration::new("HF-SF-CJ452JK", ConfigurationTypeId::new(65));
/// new.serial_number = Some("C03R3LT7THV8".to_owned());
/// new.interfaces.push(NewConfigurationInterface {
///     name: Some("Ethernet".to_owned()),
///     mac_address: Some("C4:7A:92:14:3D:78".to_owned()),
///     primary: Some(true),
///     ..Default::default()
/// });
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct NewConfiguration {
    /// The name (required).
    pub name: String,
    /// The configuration type (required).
    pub configuration_type_id: ConfigurationTypeId,
    /// The configuration status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub configuration_status_id: Option<ConfigurationStatusId>,
    /// The hostname.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    /// The primary IP address (IPv4 or IPv6).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary_ip: Option<String>,
    /// The primary MAC address (at most 17 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mac_address: Option<String>,
    /// The default gateway.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_gateway: Option<String>,
    /// The serial number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub serial_number: Option<String>,
    /// The asset tag.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub asset_tag: Option<String>,
    /// The position.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<String>,
    /// Who installed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub installed_by: Option<String>,
    /// Who purchased it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purchased_by: Option<String>,
    /// Notes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Operating system notes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operating_system_notes: Option<String>,
    /// The manufacturer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manufacturer_id: Option<ManufacturerId>,
    /// The model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model_id: Option<ModelId>,
    /// The operating system.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operating_system_id: Option<OperatingSystemId>,
    /// The location.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location_id: Option<LocationId>,
    /// The contact.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_id: Option<ContactId>,
    /// When the warranty ends.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warranty_expires_at: Option<NaiveDate>,
    /// When it was installed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub installed_at: Option<NaiveDate>,
    /// When it was purchased.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purchased_at: Option<NaiveDate>,
    /// Interfaces to create with the configuration (sent as its `configuration_interfaces`
    /// relationship).
    #[serde(skip)]
    pub interfaces: Vec<NewConfigurationInterface>,
}

impl NewConfiguration {
    /// A new configuration with only the required attributes.
    pub fn new(name: impl Into<String>, configuration_type_id: ConfigurationTypeId) -> Self {
        Self {
            name: name.into(),
            configuration_type_id,
            configuration_status_id: None,
            hostname: None,
            primary_ip: None,
            mac_address: None,
            default_gateway: None,
            serial_number: None,
            asset_tag: None,
            position: None,
            installed_by: None,
            purchased_by: None,
            notes: None,
            operating_system_notes: None,
            manufacturer_id: None,
            model_id: None,
            operating_system_id: None,
            location_id: None,
            contact_id: None,
            warranty_expires_at: None,
            installed_at: None,
            purchased_at: None,
            interfaces: Vec::new(),
        }
    }
}

/// A partial update (`PATCH /configurations/:id`): only the fields that are `Some` are sent.
/// Interfaces are changed through their own calls (IT Glue answers 422 to a configuration
/// update that carries relationships).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct ConfigurationUpdate {
    /// A new name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A new configuration type.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub configuration_type_id: Option<ConfigurationTypeId>,
    /// A new configuration status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub configuration_status_id: Option<ConfigurationStatusId>,
    /// A new hostname.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
    /// A new primary IP address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary_ip: Option<String>,
    /// A new primary MAC address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mac_address: Option<String>,
    /// A new default gateway.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_gateway: Option<String>,
    /// A new serial number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub serial_number: Option<String>,
    /// A new asset tag.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub asset_tag: Option<String>,
    /// A new installer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub installed_by: Option<String>,
    /// New notes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// New operating system notes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operating_system_notes: Option<String>,
    /// A new manufacturer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manufacturer_id: Option<ManufacturerId>,
    /// A new model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model_id: Option<ModelId>,
    /// A new operating system.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operating_system_id: Option<OperatingSystemId>,
    /// A new location.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location_id: Option<LocationId>,
    /// A new warranty end.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warranty_expires_at: Option<NaiveDate>,
    /// Archive (`true`) or restore (`false`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub archived: Option<bool>,
}

/// The fields configurations can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigurationSortField {
    /// `name`
    Name,
    /// `id`
    Id,
    /// `created_at`
    CreatedAt,
    /// `updated_at`
    UpdatedAt,
}

impl SortField for ConfigurationSortField {
    fn as_param(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Id => "id",
            Self::CreatedAt => "created_at",
            Self::UpdatedAt => "updated_at",
        }
    }
}

/// The filters of `GET /configurations`, all optional. Several values of one filter mean "any
/// of them"; commas inside a value are escaped; text filters match exactly.
///
/// ```
/// use itglue_client::{ConfigurationFilter, OrganizationId, RmmIntegrationType};
///
/// let filter = ConfigurationFilter::new()
///     .organization_id(OrganizationId::new(2))
///     .rmm(&RmmIntegrationType::Aem, "6f1c-device-uid");
/// assert!(filter.to_query().contains(&(
///     "filter[rmm_integration_type]".to_owned(),
///     "aem".to_owned()
/// )));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConfigurationFilter {
    query: Query,
    sort: Option<Sort<ConfigurationSortField>>,
}

impl ConfigurationFilter {
    /// No filter: every configuration of the account.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only this configuration.
    pub fn id(self, id: ConfigurationId) -> Self {
        self.ids([id])
    }

    /// Only these configurations.
    pub fn ids(mut self, ids: impl IntoIterator<Item = ConfigurationId>) -> Self {
        self.query
            .filter_any("id", ids.into_iter().map(|id| id.to_string()));
        self
    }

    /// Only configurations of this organization.
    pub fn organization_id(mut self, id: OrganizationId) -> Self {
        self.query.filter_one("organization_id", &id.to_string());
        self
    }

    /// Only configurations with exactly this name.
    pub fn name(mut self, name: &str) -> Self {
        self.query.filter_one("name", name);
        self
    }

    /// Only configurations with exactly this serial number.
    pub fn serial_number(mut self, serial_number: &str) -> Self {
        self.query.filter_one("serial_number", serial_number);
        self
    }

    /// Only configurations with exactly this primary MAC address.
    pub fn mac_address(mut self, mac_address: &str) -> Self {
        self.query.filter_one("mac_address", mac_address);
        self
    }

    /// Only configurations with exactly this asset tag.
    pub fn asset_tag(mut self, asset_tag: &str) -> Self {
        self.query.filter_one("asset_tag", asset_tag);
        self
    }

    /// Only configurations of this type.
    pub fn configuration_type_id(mut self, id: ConfigurationTypeId) -> Self {
        self.query
            .filter_one("configuration_type_id", &id.to_string());
        self
    }

    /// Only configurations with this status.
    pub fn configuration_status_id(mut self, id: ConfigurationStatusId) -> Self {
        self.query
            .filter_one("configuration_status_id", &id.to_string());
        self
    }

    /// Only configurations of this contact.
    pub fn contact_id(mut self, id: ContactId) -> Self {
        self.query.filter_one("contact_id", &id.to_string());
        self
    }

    /// Only the configuration linked to this RMM record (IT Glue requires the integration type
    /// with the RMM id; this method sends both).
    pub fn rmm(mut self, integration: &RmmIntegrationType, rmm_id: &str) -> Self {
        self.query.filter_one("rmm_id", rmm_id);
        self.query
            .filter_one("rmm_integration_type", integration.as_str());
        self
    }

    /// Only configurations linked to this kind of RMM.
    pub fn rmm_integration_type(mut self, integration: &RmmIntegrationType) -> Self {
        self.query
            .filter_one("rmm_integration_type", integration.as_str());
        self
    }

    /// Only the configuration synced from this PSA record (sent with its integration type).
    pub fn psa(mut self, integration: &PsaIntegrationType, psa_id: &str) -> Self {
        self.query.filter_one("psa_id", psa_id);
        self.query
            .filter_one("psa_integration_type", integration.as_str());
        self
    }

    /// Only archived configurations, or only the others.
    pub fn archived(mut self, archived: bool) -> Self {
        self.query
            .filter_one("archived", if archived { "true" } else { "false" });
        self
    }

    /// Sort the list (default: ascending by id, which keeps paging stable).
    pub fn sort(mut self, sort: Sort<ConfigurationSortField>) -> Self {
        self.sort = Some(sort);
        self
    }

    /// The query parameters this filter sends (without paging or `include`).
    pub fn to_query(&self) -> Vec<(String, String)> {
        let mut query = self.query.clone();
        let sort = self
            .sort
            .unwrap_or(Sort::ascending(ConfigurationSortField::Id));
        query.set("sort", sort.to_param());
        query.into_pairs()
    }
}

/// The attributes of a create: the new configuration plus, on the top-level route, its
/// organization.
#[derive(Serialize)]
struct CreateAttributes<'a> {
    #[serde(rename = "organization-id", skip_serializing_if = "Option::is_none")]
    organization_id: Option<OrganizationId>,
    #[serde(flatten)]
    new: &'a NewConfiguration,
}

/// Interfaces created with a configuration, as IT Glue documents them:
/// `relationships.configuration_interfaces.data[]` of type `configuration_interfaces`.
#[derive(Serialize)]
struct CreateRelationships<'a> {
    configuration_interfaces: InterfaceList<'a>,
}

#[derive(Serialize)]
struct InterfaceList<'a> {
    data: Vec<WriteResource<'a, NewConfigurationInterface, NoRelationships>>,
}

fn create_body<'a>(
    attributes: &'a CreateAttributes<'a>,
) -> WriteResource<'a, CreateAttributes<'a>, CreateRelationships<'a>> {
    let new = attributes.new;
    let relationships = (!new.interfaces.is_empty()).then(|| CreateRelationships {
        configuration_interfaces: InterfaceList {
            data: new
                .interfaces
                .iter()
                .map(|interface| WriteResource {
                    kind: "configuration_interfaces",
                    attributes: interface,
                    relationships: None,
                })
                .collect(),
        },
    });
    WriteResource {
        kind: ConfigurationAttributes::TYPE,
        attributes,
        relationships,
    }
}

/// The interfaces of `configuration` among `included`: those its
/// `configuration-interfaces` relationship names, or, when it names none, those whose
/// `configuration-id` is the configuration's.
fn interfaces_of(
    configuration: &Configuration,
    included: &HashMap<ConfigurationInterfaceId, ConfigurationInterface>,
) -> Vec<ConfigurationInterface> {
    let related = configuration.related("configuration-interfaces");
    if related.is_empty() {
        let mut owned: Vec<_> = included
            .values()
            .filter(|i| i.attributes.configuration_id == Some(configuration.id))
            .cloned()
            .collect();
        owned.sort_by_key(|i| i.id);
        owned
    } else {
        related
            .iter()
            .filter_map(|identifier| identifier.parse_id())
            .filter_map(|id| included.get(&id).cloned())
            .collect()
    }
}

/// The included interfaces of a document, by id.
fn included_interfaces<D>(
    document: &Document<D>,
) -> Result<HashMap<ConfigurationInterfaceId, ConfigurationInterface>, Error> {
    Ok(document
        .included_of::<ConfigurationInterfaceAttributes>()?
        .into_iter()
        .map(|interface| (interface.id, interface))
        .collect())
}

impl ItGlueClient {
    /// `GET /configurations`: every configuration the filter selects, page by page.
    ///
    /// ```no_run
    /// # async fn run(client: itglue_client::ItGlueClient) -> Result<(), itglue_client::Error> {
    /// use itglue_client::{ConfigurationFilter, OrganizationId};
    ///
    /// let devices = client
    ///     .list_configurations(&ConfigurationFilter::new().organization_id(OrganizationId::new(2)))
    ///     .collect_all()
    ///     .await?;
    /// # let _ = devices; Ok(()) }
    /// ```
    pub fn list_configurations(&self, filter: &ConfigurationFilter) -> PageStream<Configuration> {
        self.list("configurations".to_owned(), filter.to_query())
    }

    /// `GET /configurations?include=configuration_interfaces`: every configuration the filter
    /// selects with its interfaces (IP and MAC addresses), page by page.
    ///
    /// ```no_run
    /// # async fn run(client: itglue_client::ItGlueClient) -> Result<(), itglue_client::Error> {
    /// use itglue_client::{ConfigurationFilter, OrganizationId};
    ///
    /// let devices = client
    ///     .list_configurations_with_interfaces(
    ///         &ConfigurationFilter::new().organization_id(OrganizationId::new(2)),
    ///     )
    ///     .collect_all()
    ///     .await?;
    /// for device in devices {
    ///     println!("{}: {} interfaces", device.configuration.attributes.name, device.interfaces.len());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn list_configurations_with_interfaces(
        &self,
        filter: &ConfigurationFilter,
    ) -> PageStream<ConfigurationWithInterfaces> {
        let mut query = filter.to_query();
        query.push(("include".to_owned(), "configuration_interfaces".to_owned()));
        self.list_with(
            "configurations".to_owned(),
            query,
            |document: Document<Vec<Configuration>>| {
                let included = included_interfaces(&document)?;
                Ok(document
                    .data
                    .into_iter()
                    .map(|configuration| ConfigurationWithInterfaces {
                        interfaces: interfaces_of(&configuration, &included),
                        configuration,
                    })
                    .collect())
            },
        )
    }

    /// `GET /configurations/:id`.
    ///
    /// ```no_run
    /// # async fn run(client: itglue_client::ItGlueClient) -> Result<(), itglue_client::Error> {
    /// use itglue_client::ConfigurationId;
    ///
    /// let device = client.get_configuration(ConfigurationId::new(455)).await?;
    /// # let _ = device; Ok(()) }
    /// ```
    pub async fn get_configuration(&self, id: ConfigurationId) -> Result<Configuration, Error> {
        Ok(self
            .get_document(&format!("configurations/{id}"), &[])
            .await?
            .data)
    }

    /// `GET /configurations/:id?include=configuration_interfaces`.
    ///
    /// ```no_run
    /// # async fn run(client: itglue_client::ItGlueClient) -> Result<(), itglue_client::Error> {
    /// use itglue_client::ConfigurationId;
    ///
    /// let device = client.get_configuration_with_interfaces(ConfigurationId::new(455)).await?;
    /// # let _ = device; Ok(()) }
    /// ```
    pub async fn get_configuration_with_interfaces(
        &self,
        id: ConfigurationId,
    ) -> Result<ConfigurationWithInterfaces, Error> {
        let query = [("include".to_owned(), "configuration_interfaces".to_owned())];
        let document: Document<Configuration> = self
            .get_document(&format!("configurations/{id}"), &query)
            .await?;
        let included = included_interfaces(&document)?;
        Ok(ConfigurationWithInterfaces {
            interfaces: interfaces_of(&document.data, &included),
            configuration: document.data,
        })
    }

    /// `POST /configurations`: creates one configuration in `organization`, with the
    /// interfaces listed in `new`. Sent once, never retried: on an error whose
    /// [`Error::may_have_been_sent`] is true, look for the configuration before creating it
    /// again. A missing or unknown configuration type answers 422
    /// ([`Error::Validation`] naming `configuration-type`).
    ///
    /// ```no_run
    /// # async fn run(client: itglue_client::ItGlueClient) -> Result<(), itglue_client::Error> {
    /// use itglue_client::{ConfigurationTypeId, NewConfiguration, OrganizationId};
    ///
    /// let new = NewConfiguration::new("HF-SF-CJ452JK", ConfigurationTypeId::new(65));
    /// let created = client.create_configuration(OrganizationId::new(2), &new).await?;
    /// # let _ = created; Ok(()) }
    /// ```
    pub async fn create_configuration(
        &self,
        organization: OrganizationId,
        new: &NewConfiguration,
    ) -> Result<Configuration, Error> {
        let attributes = CreateAttributes {
            organization_id: Some(organization),
            new,
        };
        let body = create_body(&attributes);
        let document: Document<OneOrMany<Configuration>> = self
            .write_document(Method::POST, "configurations", &body, false)
            .await?;
        document.data.into_vec().into_iter().next().ok_or_else(|| {
            Error::Transport(msp_transport::Error::Decode {
                path: "data".into(),
                message: "the create answered an empty list".into(),
            })
        })
    }

    /// `POST /organizations/:id/relationships/configurations` with a list: creates several
    /// configurations in `organization` in one call (the route IT Glue documents for bulk
    /// creates). Returns the created configurations as IT Glue lists them. Never retried.
    ///
    /// ```no_run
    /// # async fn run(client: itglue_client::ItGlueClient) -> Result<(), itglue_client::Error> {
    /// use itglue_client::{ConfigurationTypeId, NewConfiguration, OrganizationId};
    ///
    /// let workstation = ConfigurationTypeId::new(64);
    /// let new = [
    ///     NewConfiguration::new("PC-001", workstation),
    ///     NewConfiguration::new("PC-002", workstation),
    /// ];
    /// let created = client.create_configurations(OrganizationId::new(2), &new).await?;
    /// assert_eq!(created.len(), 2);
    /// # Ok(()) }
    /// ```
    pub async fn create_configurations(
        &self,
        organization: OrganizationId,
        new: &[NewConfiguration],
    ) -> Result<Vec<Configuration>, Error> {
        if new.is_empty() {
            return Ok(Vec::new());
        }
        let attributes: Vec<CreateAttributes<'_>> = new
            .iter()
            .map(|new| CreateAttributes {
                organization_id: None,
                new,
            })
            .collect();
        let body: Vec<_> = attributes
            .iter()
            .map(|attributes| create_body(attributes))
            .collect();
        let document: Document<OneOrMany<Configuration>> = self
            .write_document(
                Method::POST,
                &format!("organizations/{organization}/relationships/configurations"),
                &body,
                false,
            )
            .await?;
        Ok(document.data.into_vec())
    }

    /// `PATCH /configurations/:id`: changes the attributes that are set.
    ///
    /// ```no_run
    /// # async fn run(client: itglue_client::ItGlueClient) -> Result<(), itglue_client::Error> {
    /// use itglue_client::{ConfigurationId, ConfigurationUpdate};
    ///
    /// let update = ConfigurationUpdate { serial_number: Some("C03R3LT7THV8".into()), ..Default::default() };
    /// client.update_configuration(ConfigurationId::new(455), &update).await?;
    /// # Ok(()) }
    /// ```
    pub async fn update_configuration(
        &self,
        id: ConfigurationId,
        update: &ConfigurationUpdate,
    ) -> Result<Configuration, Error> {
        let body = WriteResource::<_, NoRelationships> {
            kind: ConfigurationAttributes::TYPE,
            attributes: update,
            relationships: None,
        };
        Ok(self
            .write_document(Method::PATCH, &format!("configurations/{id}"), &body, true)
            .await?
            .data)
    }

    /// Archives a configuration (`PATCH` with `archived: true`), as syncs do for devices that
    /// left the RMM, rather than deleting it.
    ///
    /// ```no_run
    /// # async fn run(client: itglue_client::ItGlueClient) -> Result<(), itglue_client::Error> {
    /// use itglue_client::ConfigurationId;
    ///
    /// let archived = client.archive_configuration(ConfigurationId::new(455)).await?;
    /// assert!(archived.attributes.archived);
    /// # Ok(()) }
    /// ```
    pub async fn archive_configuration(&self, id: ConfigurationId) -> Result<Configuration, Error> {
        let update = ConfigurationUpdate {
            archived: Some(true),
            ..ConfigurationUpdate::default()
        };
        self.update_configuration(id, &update).await
    }

    /// Restores an archived configuration (`PATCH` with `archived: false`).
    ///
    /// ```no_run
    /// # async fn run(client: itglue_client::ItGlueClient) -> Result<(), itglue_client::Error> {
    /// use itglue_client::ConfigurationId;
    ///
    /// client.unarchive_configuration(ConfigurationId::new(455)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn unarchive_configuration(
        &self,
        id: ConfigurationId,
    ) -> Result<Configuration, Error> {
        let update = ConfigurationUpdate {
            archived: Some(false),
            ..ConfigurationUpdate::default()
        };
        self.update_configuration(id, &update).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_configuration_filter_uses_its_documented_key() {
        let query = ConfigurationFilter::new()
            .organization_id(OrganizationId::new(2))
            .name("HF, SF")
            .serial_number("C03R3LT7THV8")
            .mac_address("C4:7A:92:14:3D:78")
            .asset_tag("BP6549")
            .configuration_type_id(ConfigurationTypeId::new(65))
            .configuration_status_id(ConfigurationStatusId::new(29))
            .contact_id(ContactId::new(5))
            .archived(false)
            .to_query();
        let expected = [
            ("filter[organization_id]", "2"),
            ("filter[name]", r"HF\, SF"),
            ("filter[serial_number]", "C03R3LT7THV8"),
            ("filter[mac_address]", "C4:7A:92:14:3D:78"),
            ("filter[asset_tag]", "BP6549"),
            ("filter[configuration_type_id]", "65"),
            ("filter[configuration_status_id]", "29"),
            ("filter[contact_id]", "5"),
            ("filter[archived]", "false"),
            ("sort", "id"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()));
        assert_eq!(query, expected.to_vec());
    }

    #[test]
    fn an_rmm_id_is_always_sent_with_its_integration_type() {
        let query = ConfigurationFilter::new()
            .rmm(&RmmIntegrationType::Aem, "uid-1")
            .to_query();
        assert_eq!(query[0], ("filter[rmm_id]".to_owned(), "uid-1".to_owned()));
        assert_eq!(
            query[1],
            ("filter[rmm_integration_type]".to_owned(), "aem".to_owned())
        );
    }

    #[test]
    fn integration_type_filters_can_stand_alone() {
        let query = ConfigurationFilter::new()
            .rmm_integration_type(&RmmIntegrationType::Other("future-rmm".to_owned()))
            .psa(&PsaIntegrationType::PulsewayPsa, "p-1")
            .ids([ConfigurationId::new(1), ConfigurationId::new(2)])
            .to_query();
        assert_eq!(
            query[..4],
            [
                (
                    "filter[rmm_integration_type]".to_owned(),
                    "future-rmm".to_owned()
                ),
                ("filter[psa_id]".to_owned(), "p-1".to_owned()),
                (
                    "filter[psa_integration_type]".to_owned(),
                    "pulseway-psa".to_owned()
                ),
                ("filter[id]".to_owned(), "1,2".to_owned()),
            ]
        );
    }

    #[test]
    fn an_update_sends_only_what_is_set() {
        let update = ConfigurationUpdate {
            archived: Some(true),
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_value(&update).unwrap(),
            serde_json::json!({"archived": true})
        );
    }
}
