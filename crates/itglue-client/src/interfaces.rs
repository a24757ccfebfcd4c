//! Configuration interfaces: the IP/MAC pairs of a configuration.
//!
//! `GET /configurations/:id/relationships/configuration_interfaces` (there is no account-wide
//! list) and `POST` to the same route. One interface per configuration is primary; IT Glue
//! keeps the configuration's `primary-ip`/`mac-address` and its primary interface in step.

use msp_transport::Method;

use crate::client::ItGlueClient;
use crate::error::Error;
use crate::filter::ConfigurationInterfaceFilter;
use crate::ids::ConfigurationId;
use crate::jsonapi::{Document, NoRelationships, OneOrMany, ResourceAttributes, WriteResource};
use crate::models::{
    ConfigurationInterface, ConfigurationInterfaceAttributes, NewConfigurationInterface,
};
use crate::pagination::PageStream;

pub(crate) fn interfaces_path(configuration: ConfigurationId) -> String {
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
