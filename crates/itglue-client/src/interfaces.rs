//! Configuration interfaces: the IP/MAC pairs of a configuration.
//!
//! `GET /configurations/:id/relationships/configuration_interfaces` (there is no account-wide
//! list) and `POST` to the same route. One interface per configuration is primary; IT Glue
//! keeps the configuration's `primary-ip`/`mac-address` and its primary interface in step.

use chrono::{DateTime, Utc};
use msp_transport::Method;
use serde::{Deserialize, Serialize};

use crate::client::ItGlueClient;
use crate::error::Error;
use crate::filter::{Query, Sort, SortField};
use crate::ids::{ConfigurationId, ConfigurationInterfaceId};
use crate::jsonapi::{
    Document, NoRelationships, OneOrMany, Resource, ResourceAttributes, WriteResource,
};
use crate::lenient;
use crate::pagination::PageStream;

/// A configuration interface as IT Glue returns it.
pub type ConfigurationInterface = Resource<ConfigurationInterfaceAttributes>;

/// The attributes of a configuration interface.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct ConfigurationInterfaceAttributes {
    /// The id, when sent inside the attributes: the official list example does so and omits
    /// the top-level id; [`Resource::id`] is filled from here then.
    #[serde(default)]
    pub id: Option<ConfigurationInterfaceId>,
    /// The configuration it belongs to, when sent.
    #[serde(default)]
    pub configuration_id: Option<ConfigurationId>,
    /// Whether this is the configuration's primary interface.
    #[serde(default, deserialize_with = "lenient::bool_or_false")]
    pub primary: bool,
    /// The interface's name (e.g. "Ethernet Card").
    #[serde(default)]
    pub name: Option<String>,
    /// Its IP address (IPv4 or IPv6).
    #[serde(default)]
    pub ip_address: Option<String>,
    /// Its MAC address.
    #[serde(default)]
    pub mac_address: Option<String>,
    /// Notes.
    #[serde(default)]
    pub notes: Option<String>,
    /// When the record was created.
    #[serde(default)]
    pub created_at: Option<DateTime<Utc>>,
    /// When the record was last changed.
    #[serde(default)]
    pub updated_at: Option<DateTime<Utc>>,
}

impl ResourceAttributes for ConfigurationInterfaceAttributes {
    const TYPE: &'static str = "configuration-interfaces";
    type Id = ConfigurationInterfaceId;

    fn embedded_id(&self) -> Option<ConfigurationInterfaceId> {
        self.id
    }
}

/// A new configuration interface. IT Glue accepts one IP and one MAC per interface.
///
/// ```
/// use itglue_client::NewConfigurationInterface;
///
/// let nic = NewConfigurationInterface {
///     name: Some("Ethernet".to_owned()),
///     ip_address: Some("10.10.1.111".to_owned()),
///     mac_address: Some("C4:7A:92:14:3D:78".to_owned()),
///     primary: Some(true),
///     notes: None,
/// };
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct NewConfigurationInterface {
    /// The interface's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its IP address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ip_address: Option<String>,
    /// Its MAC address (IT Glue checks that it is a valid MAC).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mac_address: Option<String>,
    /// Whether it is the primary interface.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub primary: Option<bool>,
    /// Notes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

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

/// The filters of a configuration's interface list: `filter[id]`, `filter[ip_address]`.
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
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConfigurationInterfaceFilter {
    query: Query,
    sort: Option<Sort<ConfigurationInterfaceSortField>>,
}

impl ConfigurationInterfaceFilter {
    /// No filter: every interface of the configuration.
    pub fn new() -> Self {
        Self::default()
    }

    /// Only these interfaces.
    pub fn ids(mut self, ids: impl IntoIterator<Item = ConfigurationInterfaceId>) -> Self {
        self.query
            .filter_any("id", ids.into_iter().map(|id| id.to_string()));
        self
    }

    /// Only interfaces with exactly this IP address.
    pub fn ip_address(mut self, ip_address: &str) -> Self {
        self.query.filter_one("ip_address", ip_address);
        self
    }

    /// Sort the list (default: the server's order).
    pub fn sort(mut self, sort: Sort<ConfigurationInterfaceSortField>) -> Self {
        self.sort = Some(sort);
        self
    }

    /// The query parameters this filter sends (without paging).
    pub fn to_query(&self) -> Vec<(String, String)> {
        let mut query = self.query.clone();
        if let Some(sort) = self.sort {
            query.set("sort", sort.to_param());
        }
        query.into_pairs()
    }
}

fn interfaces_path(configuration: ConfigurationId) -> String {
    format!("configurations/{configuration}/relationships/configuration_interfaces")
}

impl ItGlueClient {
    /// `GET /configurations/:id/relationships/configuration_interfaces`: the interfaces of one
    /// configuration, page by page (IT Glue has no account-wide interface list).
    ///
    /// ```no_run
    /// # async fn run(client: itglue_client::ItGlueClient) -> Result<(), itglue_client::Error> {
    /// use itglue_client::{ConfigurationId, ConfigurationInterfaceFilter};
    ///
    /// let nics = client
    ///     .list_configuration_interfaces(ConfigurationId::new(455), &ConfigurationInterfaceFilter::new())
    ///     .collect_all()
    ///     .await?;
    /// # let _ = nics; Ok(()) }
    /// ```
    pub fn list_configuration_interfaces(
        &self,
        configuration: ConfigurationId,
        filter: &ConfigurationInterfaceFilter,
    ) -> PageStream<ConfigurationInterface> {
        self.list(interfaces_path(configuration), filter.to_query())
    }

    /// `POST /configurations/:id/relationships/configuration_interfaces`: adds one interface
    /// to a configuration. Never retried. An invalid MAC address answers 422.
    ///
    /// ```no_run
    /// # async fn run(client: itglue_client::ItGlueClient) -> Result<(), itglue_client::Error> {
    /// use itglue_client::{ConfigurationId, NewConfigurationInterface};
    ///
    /// let nic = NewConfigurationInterface {
    ///     name: Some("WLAN".into()),
    ///     mac_address: Some("D4:6A:91:13:2D:77".into()),
    ///     ..Default::default()
    /// };
    /// client.create_configuration_interface(ConfigurationId::new(455), &nic).await?;
    /// # Ok(()) }
    /// ```
    pub async fn create_configuration_interface(
        &self,
        configuration: ConfigurationId,
        new: &NewConfigurationInterface,
    ) -> Result<ConfigurationInterface, Error> {
        let body = WriteResource::<_, NoRelationships> {
            kind: ConfigurationInterfaceAttributes::TYPE,
            attributes: new,
            relationships: None,
        };
        let document: Document<OneOrMany<ConfigurationInterface>> = self
            .write_document(Method::POST, &interfaces_path(configuration), &body, false)
            .await?;
        document.data.into_vec().into_iter().next().ok_or_else(|| {
            Error::Transport(msp_transport::Error::Decode {
                path: "data".into(),
                message: "the create answered an empty list".into(),
            })
        })
    }
}
