//! Configurations: IT Glue's device records.
//!
//! `GET /configurations` (filters below, `include=configuration_interfaces`),
//! `GET /configurations/:id`, `POST /configurations` (one, with `organization_id`),
//! `POST /organizations/:id/relationships/configurations` (bulk), `PATCH /configurations/:id`
//! (update and archive). Filters on the nested list route are not honoured by IT Glue, so lists
//! always use the top-level route with `filter[organization_id]`.

use std::collections::HashMap;

use msp_transport::Method;
use serde::Serialize;

use crate::client::ItGlueClient;
use crate::error::Error;
use crate::filter::ConfigurationFilter;
use crate::ids::{ConfigurationId, ConfigurationInterfaceId, OrganizationId};
use crate::jsonapi::{Document, NoRelationships, OneOrMany, ResourceAttributes, WriteResource};
use crate::models::{
    Configuration, ConfigurationAttributes, ConfigurationInterface,
    ConfigurationInterfaceAttributes, ConfigurationUpdate, ConfigurationWithInterfaces,
    NewConfiguration, NewConfigurationInterface,
};
use crate::pagination::PageStream;

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
