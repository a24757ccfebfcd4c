//! Manufacturers, models and operating systems (`/manufacturers`, `/models`,
//! `/operating_systems`). A sync reads each list once per run and creates the manufacturers and
//! models it is missing; IT Glue's operating-system list is read-only.

use msp_transport::Method;

use crate::client::ItGlueClient;
use crate::error::Error;
use crate::filter::NameFilter;
use crate::ids::ManufacturerId;
use crate::jsonapi::{NoRelationships, ResourceAttributes, WriteResource};
use crate::models::lookup::NewModel;
use crate::models::named::NewNamed;
use crate::models::{
    Manufacturer, ManufacturerAttributes, Model, ModelAttributes, OperatingSystem,
};
use crate::pagination::PageStream;

impl ItGlueClient {
    /// `GET /manufacturers`: every manufacturer the filter selects (`filter[name]` is an exact
    /// match), page by page.
    ///
    /// ```no_run
    /// # async fn run(client: itglue_client::ItGlueClient) -> Result<(), itglue_client::Error> {
    /// use itglue_client::NameFilter;
    ///
    /// let all = client.list_manufacturers(&NameFilter::new()).collect_all().await?;
    /// # let _ = all; Ok(()) }
    /// ```
    pub fn list_manufacturers(&self, filter: &NameFilter) -> PageStream<Manufacturer> {
        self.list("manufacturers".to_owned(), filter.to_query())
    }

    /// `POST /manufacturers`: creates a manufacturer. Never retried (a retry could create a
    /// second one); list again by name after a failure that may have been sent.
    ///
    /// ```no_run
    /// # async fn run(client: itglue_client::ItGlueClient) -> Result<(), itglue_client::Error> {
    /// let hp = client.create_manufacturer("HP").await?;
    /// # let _ = hp; Ok(()) }
    /// ```
    pub async fn create_manufacturer(&self, name: &str) -> Result<Manufacturer, Error> {
        let body = WriteResource::<_, NoRelationships> {
            kind: ManufacturerAttributes::TYPE,
            attributes: &NewNamed { name },
            relationships: None,
        };
        Ok(self
            .write_document(Method::POST, "manufacturers", &body, false)
            .await?
            .data)
    }

    /// `GET /models`: every model of the account, page by page (each names its
    /// manufacturer).
    ///
    /// ```no_run
    /// # async fn run(client: itglue_client::ItGlueClient) -> Result<(), itglue_client::Error> {
    /// let models = client.list_models().collect_all().await?;
    /// # let _ = models; Ok(()) }
    /// ```
    pub fn list_models(&self) -> PageStream<Model> {
        self.list("models".to_owned(), Vec::new())
    }

    /// `POST /models`: creates a model under a manufacturer. Never retried.
    ///
    /// ```no_run
    /// # async fn run(client: itglue_client::ItGlueClient) -> Result<(), itglue_client::Error> {
    /// use itglue_client::ManufacturerId;
    ///
    /// let model = client.create_model(ManufacturerId::new(3), "EliteBook 840 G8").await?;
    /// # let _ = model; Ok(()) }
    /// ```
    pub async fn create_model(
        &self,
        manufacturer: ManufacturerId,
        name: &str,
    ) -> Result<Model, Error> {
        let body = WriteResource::<_, NoRelationships> {
            kind: ModelAttributes::TYPE,
            attributes: &NewModel {
                name,
                manufacturer_id: manufacturer,
            },
            relationships: None,
        };
        Ok(self
            .write_document(Method::POST, "models", &body, false)
            .await?
            .data)
    }

    /// `GET /operating_systems`: IT Glue's operating systems (`filter[name]` is an exact
    /// match), page by page.
    ///
    /// ```no_run
    /// # async fn run(client: itglue_client::ItGlueClient) -> Result<(), itglue_client::Error> {
    /// use itglue_client::NameFilter;
    ///
    /// let systems = client.list_operating_systems(&NameFilter::new()).collect_all().await?;
    /// # let _ = systems; Ok(()) }
    /// ```
    pub fn list_operating_systems(&self, filter: &NameFilter) -> PageStream<OperatingSystem> {
        self.list("operating_systems".to_owned(), filter.to_query())
    }
}
