//! Bulk writes the sync keeps matched configurations up to date with: `PATCH /configurations`
//! with an array of updates, and several interfaces created on one configuration in one
//! `POST` to its nested route.

use msp_transport::Method;
use serde::Serialize;

use crate::client::ItGlueClient;
use crate::error::Error;
use crate::ids::ConfigurationId;
use crate::interfaces::interfaces_path;
use crate::jsonapi::{Document, NoRelationships, OneOrMany, ResourceAttributes, WriteResource};
use crate::models::{
    Configuration, ConfigurationAttributes, ConfigurationInterface,
    ConfigurationInterfaceAttributes, ConfigurationUpdate, NewConfigurationInterface,
};

/// One item of a bulk update: the id travels inside the attributes, as IT Glue documents.
#[derive(Serialize)]
struct BulkItem<'a> {
    id: ConfigurationId,
    #[serde(flatten)]
    update: &'a ConfigurationUpdate,
}

impl ItGlueClient {
    /// `PATCH /configurations`: updates several configurations in one call (IT Glue's bulk
    /// update: `data` is an array of `{type, attributes: {id, …}}`). Answers the updated
    /// configurations. Retried on transient failures: the same update sent twice leaves the
    /// same state. IT Glue refuses the whole call (422) when one item is refused, such as an
    /// attribute of a configuration synced from a PSA.
    ///
    /// ```no_run
    /// # async fn run(client: itglue_client::ItGlueClient) -> Result<(), itglue_client::Error> {
    /// use itglue_client::{ConfigurationId, ConfigurationUpdate};
    ///
    /// let ip = ConfigurationUpdate { primary_ip: Some("10.0.0.42".into()), ..Default::default() };
    /// let updated = client
    ///     .update_configurations(&[(ConfigurationId::new(455), ip)])
    ///     .await?;
    /// # let _ = updated; Ok(()) }
    /// ```
    pub async fn update_configurations(
        &self,
        updates: &[(ConfigurationId, ConfigurationUpdate)],
    ) -> Result<Vec<Configuration>, Error> {
        if updates.is_empty() {
            return Ok(Vec::new());
        }
        let items: Vec<BulkItem<'_>> = updates
            .iter()
            .map(|(id, update)| BulkItem { id: *id, update })
            .collect();
        let body: Vec<WriteResource<'_, _, NoRelationships>> = items
            .iter()
            .map(|item| WriteResource {
                kind: ConfigurationAttributes::TYPE,
                attributes: item,
                relationships: None,
            })
            .collect();
        let document: Document<OneOrMany<Configuration>> = self
            .write_document(Method::PATCH, "configurations", &body, true)
            .await?;
        Ok(document.data.into_vec())
    }

    /// `POST /configurations/:id/relationships/configuration_interfaces` with an array:
    /// creates several interfaces of one configuration in one call (bulk creates take the
    /// nested route). Never retried.
    ///
    /// ```no_run
    /// # async fn run(client: itglue_client::ItGlueClient) -> Result<(), itglue_client::Error> {
    /// use itglue_client::{ConfigurationId, NewConfigurationInterface};
    ///
    /// let wifi = NewConfigurationInterface {
    ///     name: Some("Wi-Fi".into()),
    ///     ip_address: Some("192.168.1.20".into()),
    ///     mac_address: Some("A4:BB:6D:01:02:03".into()),
    ///     ..Default::default()
    /// };
    /// let created = client
    ///     .create_configuration_interfaces(ConfigurationId::new(455), &[wifi])
    ///     .await?;
    /// # let _ = created; Ok(()) }
    /// ```
    pub async fn create_configuration_interfaces(
        &self,
        configuration: ConfigurationId,
        new: &[NewConfigurationInterface],
    ) -> Result<Vec<ConfigurationInterface>, Error> {
        if new.is_empty() {
            return Ok(Vec::new());
        }
        let body: Vec<WriteResource<'_, _, NoRelationships>> = new
            .iter()
            .map(|attributes| WriteResource {
                kind: ConfigurationInterfaceAttributes::TYPE,
                attributes,
                relationships: None,
            })
            .collect();
        let document: Document<OneOrMany<ConfigurationInterface>> = self
            .write_document(Method::POST, &interfaces_path(configuration), &body, false)
            .await?;
        Ok(document.data.into_vec())
    }
}
