//! [`ItGluePort`] for the real [`ItGlueClient`]: IT Glue's JSON:API models become `sync-core`'s
//! organizations and configurations.

use async_trait::async_trait;
use futures::TryStreamExt;
use itglue_client::{
    ClientOptions, ConfigurationFilter, ConfigurationTypeId, ConfigurationUpdate,
    ConfigurationWithInterfaces, ItGlueClient, NameFilter, NewConfigurationInterface,
    NewOrganization, OrganizationFilter, Region, Secret,
};
use sync_core::itglue::{
    Configuration, ConfigurationId, InterfaceAttributes, Organization, OrganizationId,
};
use sync_store::{ConnectionDetails, CredentialFingerprint, Vendor};

use crate::itglue::ports::{
    ConfigurationPatch, ItGluePort, ModelRecord, NamedId, NewConfiguration,
};
use crate::port::{PortError, PortErrorKind, PortIdentity};

/// Where an IT Glue account is reached.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ItGlueLocation {
    /// One of IT Glue's data centres.
    Region(Region),
    /// An explicit base URL (an API gateway, or a fake in tests).
    Url(String),
}

impl ItGlueLocation {
    /// `url` when one is given (blanks around it aside; an API gateway, or the fakes), else
    /// `region` — how a command line's `--itglue-url` overrides its `--itglue-region`.
    ///
    /// ```
    /// use itglue_client::Region;
    /// use sync_engine::itglue::ItGlueLocation;
    ///
    /// let gateway = ItGlueLocation::url_or_region(Some(" https://gw.example "), Region::Us);
    /// assert_eq!(gateway, ItGlueLocation::Url("https://gw.example".into()));
    /// assert_eq!(ItGlueLocation::url_or_region(Some(""), Region::Eu), ItGlueLocation::Region(Region::Eu));
    /// ```
    pub fn url_or_region(url: Option<&str>, region: Region) -> Self {
        match url.map(str::trim).filter(|url| !url.is_empty()) {
            Some(url) => Self::Url(url.to_owned()),
            None => Self::Region(region),
        }
    }
}

/// IT Glue's data centres as a person types them (`us`: api.itglue.com, `eu`:
/// api.eu.itglue.com, `au`: api.au.itglue.com).
pub const REGIONS: [(&str, Region); 3] =
    [("us", Region::Us), ("eu", Region::Eu), ("au", Region::Au)];

/// The IT Glue credentials of a tenant. `Debug` never shows the key.
#[derive(Clone)]
pub struct ItGlueCredentials {
    /// Where the account is.
    pub location: ItGlueLocation,
    /// The API key.
    pub api_key: Secret,
}

impl std::fmt::Debug for ItGlueCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ItGlueCredentials")
            .field("location", &self.location)
            .field("api_key", &"[REDACTED]")
            .finish()
    }
}

impl ItGlueCredentials {
    /// What the store keeps: the region or URL, and a fingerprint of the key.
    pub fn identity(&self) -> PortIdentity {
        let connection = match &self.location {
            ItGlueLocation::Region(region) => ConnectionDetails {
                region: Some(region_name(*region).to_owned()),
                ..ConnectionDetails::default()
            },
            ItGlueLocation::Url(url) => ConnectionDetails {
                url: Some(url.clone()),
                ..ConnectionDetails::default()
            },
        };
        PortIdentity {
            connection,
            fingerprint: CredentialFingerprint::of_secrets([
                "itglue",
                self.api_key.expose_secret(),
            ]),
        }
    }
}

fn region_name(region: Region) -> &'static str {
    match region {
        Region::Eu => "eu",
        Region::Au => "au",
        _ => "us",
    }
}

/// The IT Glue port over an [`ItGlueClient`].
#[derive(Clone, Debug)]
pub struct ItGlueAdapter {
    client: ItGlueClient,
    identity: PortIdentity,
}

impl ItGlueAdapter {
    /// Builds the client from the credentials (default rate limit: IT Glue's 3000 requests per
    /// 5 minutes).
    pub fn new(credentials: &ItGlueCredentials) -> Result<Self, PortError> {
        Self::from_credentials_with(credentials, &ClientOptions::default())
    }

    /// Builds the client from the credentials with `options` (user agent, timeouts, retry
    /// policy, a limiter shared with other clients of the account); the credentials' region
    /// or URL wins over any base URL in the options.
    pub fn from_credentials_with(
        credentials: &ItGlueCredentials,
        options: &ClientOptions,
    ) -> Result<Self, PortError> {
        let builder = ItGlueClient::builder()
            .options(options.clone())
            .api_key(credentials.api_key.clone());
        let builder = match &credentials.location {
            ItGlueLocation::Region(region) => builder.region(*region),
            ItGlueLocation::Url(url) => builder.base_url(url.clone()),
        };
        let client = builder.build().map_err(port_error)?;
        Ok(Self::with_client(client, credentials))
    }

    /// Uses a client built elsewhere with these credentials (to share its rate limiter, or
    /// with other timeouts).
    pub fn with_client(client: ItGlueClient, credentials: &ItGlueCredentials) -> Self {
        Self {
            client,
            identity: credentials.identity(),
        }
    }
}

/// Converts an IT Glue client error into a port error.
pub(crate) fn port_error(error: itglue_client::Error) -> PortError {
    let kind = if error.is_unauthorized() {
        PortErrorKind::Unauthorized
    } else if error.is_not_found() {
        PortErrorKind::NotFound
    } else if !error.validation_errors().is_empty() {
        PortErrorKind::Rejected
    } else if error.is_rate_limited() || error.is_query_timeout() {
        PortErrorKind::Transient
    } else {
        PortErrorKind::Other
    };
    let mut port = PortError::new(Vendor::ItGlue, kind, error.to_string());
    port.may_have_been_sent = error.may_have_been_sent();
    port
}

fn organization(resource: itglue_client::Organization) -> Organization {
    Organization {
        id: OrganizationId(resource.id.get()),
        name: resource.attributes.name,
    }
}

/// A listed configuration; `asked` is the organization it was listed or created under, used when
/// IT Glue leaves `organization-id` out.
fn configuration(listed: ConfigurationWithInterfaces, asked: OrganizationId) -> Configuration {
    let ConfigurationWithInterfaces {
        configuration: resource,
        interfaces,
        ..
    } = listed;
    let a = resource.attributes;
    let organization = a
        .organization_id
        .map_or(asked, |id| OrganizationId(id.get()));
    let mut mac_addresses: Vec<String> = a.mac_address.iter().cloned().collect();
    let mut listed_interfaces = Vec::with_capacity(interfaces.len());
    for interface in interfaces {
        let i = interface.attributes;
        if let Some(mac) = &i.mac_address
            && !mac_addresses.contains(mac)
        {
            mac_addresses.push(mac.clone());
        }
        listed_interfaces.push(sync_core::itglue::ConfigurationInterface {
            id: Some(interface.id.get()),
            name: i.name,
            ip_address: i.ip_address,
            mac_address: i.mac_address,
            primary: i.primary,
        });
    }
    let mut configuration =
        Configuration::new(ConfigurationId(resource.id.get()), organization, a.name);
    configuration.hostname = a.hostname;
    configuration.serial_number = a.serial_number;
    configuration.mac_addresses = mac_addresses;
    configuration.primary_ip = a.primary_ip;
    configuration.installed_by = a.installed_by;
    configuration.operating_system_notes = a.operating_system_notes;
    configuration.manufacturer_name = a.manufacturer_name;
    configuration.model_name = a.model_name;
    configuration.operating_system_name = a.operating_system_name;
    configuration.archived = a.archived;
    configuration.mac_address = a.mac_address;
    configuration.notes = a.notes;
    configuration.warranty_expires_at = a.warranty_expires_at.map(|d| d.to_string());
    configuration.configuration_type_id = a.configuration_type_id.map(|id| id.get());
    configuration.configuration_type_name = a.configuration_type_name;
    configuration.psa_synced = a
        .psa_integration
        .as_deref()
        .is_some_and(|p| !p.trim().is_empty() && !p.trim().eq_ignore_ascii_case("disabled"));
    configuration.interfaces = listed_interfaces;
    configuration
}

fn plain_configuration(
    resource: itglue_client::Configuration,
    asked: OrganizationId,
) -> Configuration {
    configuration(
        ConfigurationWithInterfaces::new(resource, Vec::new()),
        asked,
    )
}

/// The client's update for a patch.
fn configuration_update(patch: &ConfigurationPatch) -> ConfigurationUpdate {
    ConfigurationUpdate {
        name: patch.name.clone(),
        configuration_type_id: patch.configuration_type_id.map(ConfigurationTypeId::new),
        hostname: patch.hostname.clone(),
        primary_ip: patch.primary_ip.clone(),
        mac_address: patch.mac_address.clone(),
        serial_number: patch.serial_number.clone(),
        installed_by: patch.installed_by.clone(),
        notes: patch.notes.clone(),
        operating_system_notes: patch.operating_system_notes.clone(),
        manufacturer_id: patch
            .manufacturer_id
            .map(itglue_client::ManufacturerId::new),
        model_id: patch.model_id.map(itglue_client::ModelId::new),
        operating_system_id: patch
            .operating_system_id
            .map(itglue_client::OperatingSystemId::new),
        warranty_expires_at: patch
            .warranty_expires_at
            .as_deref()
            .and_then(|date| chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()),
        archived: patch.archived,
        ..ConfigurationUpdate::default()
    }
}

fn new_interface(interface: &InterfaceAttributes) -> NewConfigurationInterface {
    NewConfigurationInterface {
        name: interface.name.clone(),
        ip_address: interface.ip_address.clone(),
        mac_address: interface.mac_address.map(|mac| mac.to_string()),
        primary: Some(interface.primary),
        notes: None,
    }
}

/// The client's request for a configuration the field mapping described.
fn new_configuration(new: &NewConfiguration) -> itglue_client::NewConfiguration {
    let a = &new.attributes;
    let mut out = itglue_client::NewConfiguration::new(
        a.name.clone(),
        ConfigurationTypeId::new(new.configuration_type_id),
    );
    out.configuration_status_id = new
        .configuration_status_id
        .map(itglue_client::ConfigurationStatusId::new);
    out.hostname = Some(a.hostname.clone()).filter(|h| !h.is_empty());
    out.primary_ip.clone_from(&a.primary_ip);
    out.mac_address = a.mac_address.map(|mac| mac.to_string());
    out.serial_number.clone_from(&a.serial_number);
    out.installed_by = Some(a.installed_by.clone());
    out.operating_system_notes
        .clone_from(&a.operating_system_notes);
    out.warranty_expires_at = a
        .warranty_expires_at
        .as_deref()
        .and_then(|date| chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").ok());
    out.manufacturer_id = new.manufacturer_id.map(itglue_client::ManufacturerId::new);
    out.model_id = new.model_id.map(itglue_client::ModelId::new);
    out.operating_system_id = new
        .operating_system_id
        .map(itglue_client::OperatingSystemId::new);
    out.notes = Some(a.notes_block.clone());
    out.interfaces = a.interfaces.iter().map(new_interface).collect();
    out
}

#[async_trait]
impl ItGluePort for ItGlueAdapter {
    fn identity(&self) -> PortIdentity {
        self.identity.clone()
    }

    async fn check_credentials(&self) -> Result<(), PortError> {
        // One page of a short list: the smallest call that needs a valid key.
        let mut statuses = self.client.list_organization_statuses(&NameFilter::new());
        statuses.try_next().await.map_err(port_error)?;
        Ok(())
    }

    async fn organizations(&self) -> Result<Vec<Organization>, PortError> {
        let listed = self
            .client
            .list_organizations(&OrganizationFilter::new())
            .collect_all()
            .await
            .map_err(port_error)?;
        Ok(listed.into_iter().map(organization).collect())
    }

    async fn configurations(
        &self,
        organization: OrganizationId,
    ) -> Result<Vec<Configuration>, PortError> {
        let filter = ConfigurationFilter::new()
            .organization_id(itglue_client::OrganizationId::new(organization.0));
        let listed = self
            .client
            .list_configurations_with_interfaces(&filter)
            .collect_all()
            .await
            .map_err(port_error)?;
        Ok(listed
            .into_iter()
            .map(|listed| configuration(listed, organization))
            .collect())
    }

    async fn create_organization(&self, name: &str) -> Result<Organization, PortError> {
        let created = self
            .client
            .create_organization(&NewOrganization::new(name))
            .await
            .map_err(port_error)?;
        Ok(organization(created))
    }

    async fn create_configuration(
        &self,
        organization: OrganizationId,
        new: &NewConfiguration,
    ) -> Result<Configuration, PortError> {
        let created = self
            .client
            .create_configuration(
                itglue_client::OrganizationId::new(organization.0),
                &new_configuration(new),
            )
            .await
            .map_err(port_error)?;
        Ok(plain_configuration(created, organization))
    }

    async fn create_configurations(
        &self,
        organization: OrganizationId,
        new: &[NewConfiguration],
    ) -> Result<Vec<Configuration>, PortError> {
        let requests: Vec<itglue_client::NewConfiguration> =
            new.iter().map(new_configuration).collect();
        let created = self
            .client
            .create_configurations(
                itglue_client::OrganizationId::new(organization.0),
                &requests,
            )
            .await
            .map_err(port_error)?;
        Ok(created
            .into_iter()
            .map(|created| plain_configuration(created, organization))
            .collect())
    }

    async fn configuration_types(&self) -> Result<Vec<NamedId>, PortError> {
        let listed = self
            .client
            .list_configuration_types(&NameFilter::new())
            .collect_all()
            .await
            .map_err(port_error)?;
        Ok(listed
            .into_iter()
            .map(|t| NamedId {
                id: t.id.get(),
                name: t.attributes.name,
            })
            .collect())
    }

    async fn configuration_statuses(&self) -> Result<Vec<NamedId>, PortError> {
        let listed = self
            .client
            .list_configuration_statuses(&NameFilter::new())
            .collect_all()
            .await
            .map_err(port_error)?;
        Ok(listed
            .into_iter()
            .map(|s| NamedId {
                id: s.id.get(),
                name: s.attributes.name,
            })
            .collect())
    }

    async fn update_configurations(
        &self,
        updates: &[(ConfigurationId, ConfigurationPatch)],
    ) -> Result<(), PortError> {
        let requests: Vec<(itglue_client::ConfigurationId, ConfigurationUpdate)> = updates
            .iter()
            .map(|(id, patch)| {
                (
                    itglue_client::ConfigurationId::new(id.0),
                    configuration_update(patch),
                )
            })
            .collect();
        match requests.as_slice() {
            [] => Ok(()),
            [(id, update)] => self
                .client
                .update_configuration(*id, update)
                .await
                .map(|_| ())
                .map_err(port_error),
            _ => self
                .client
                .update_configurations(&requests)
                .await
                .map(|_| ())
                .map_err(port_error),
        }
    }

    async fn create_interfaces(
        &self,
        configuration: ConfigurationId,
        interfaces: &[InterfaceAttributes],
    ) -> Result<(), PortError> {
        let new: Vec<NewConfigurationInterface> = interfaces.iter().map(new_interface).collect();
        self.client
            .create_configuration_interfaces(
                itglue_client::ConfigurationId::new(configuration.0),
                &new,
            )
            .await
            .map(|_| ())
            .map_err(port_error)
    }

    async fn manufacturers(&self) -> Result<Vec<NamedId>, PortError> {
        let listed = self
            .client
            .list_manufacturers(&NameFilter::new())
            .collect_all()
            .await
            .map_err(port_error)?;
        Ok(listed
            .into_iter()
            .map(|m| NamedId {
                id: m.id.get(),
                name: m.attributes.name,
            })
            .collect())
    }

    async fn create_manufacturer(&self, name: &str) -> Result<NamedId, PortError> {
        let created = self
            .client
            .create_manufacturer(name)
            .await
            .map_err(port_error)?;
        Ok(NamedId {
            id: created.id.get(),
            name: created.attributes.name,
        })
    }

    async fn models(&self) -> Result<Vec<ModelRecord>, PortError> {
        let listed = self
            .client
            .list_models()
            .collect_all()
            .await
            .map_err(port_error)?;
        Ok(listed
            .into_iter()
            .map(|m| ModelRecord {
                id: m.id.get(),
                name: m.attributes.name,
                manufacturer: m.attributes.manufacturer_id.map(|id| id.get()),
            })
            .collect())
    }

    async fn create_model(&self, manufacturer: u64, name: &str) -> Result<ModelRecord, PortError> {
        let created = self
            .client
            .create_model(itglue_client::ManufacturerId::new(manufacturer), name)
            .await
            .map_err(port_error)?;
        Ok(ModelRecord {
            id: created.id.get(),
            name: created.attributes.name,
            manufacturer: created
                .attributes
                .manufacturer_id
                .map(|id| id.get())
                .or(Some(manufacturer)),
        })
    }

    async fn operating_systems(&self) -> Result<Vec<NamedId>, PortError> {
        let listed = self
            .client
            .list_operating_systems(&NameFilter::new())
            .collect_all()
            .await
            .map_err(port_error)?;
        Ok(listed
            .into_iter()
            .map(|o| NamedId {
                id: o.id.get(),
                name: o.attributes.name,
            })
            .collect())
    }
}
