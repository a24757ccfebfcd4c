//! Organizations: IT Glue's company records.
//!
//! `GET /organizations` (filters below), `GET /organizations/:id`, `POST /organizations`,
//! `PATCH /organizations/:id`. A PSA-synced organization only accepts changes to `alert`,
//! `description` and `quick_notes`; anything else answers 422.

use msp_transport::Method;

use crate::client::ItGlueClient;
use crate::error::Error;
use crate::filter::OrganizationFilter;
use crate::ids::OrganizationId;
use crate::jsonapi::{NoRelationships, ResourceAttributes, WriteResource};
use crate::models::{NewOrganization, Organization, OrganizationAttributes, OrganizationUpdate};
use crate::pagination::PageStream;

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
