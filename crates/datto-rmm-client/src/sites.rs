//! Sites: list, get, create, update.

use msp_transport::Method;

use crate::client::{Call, WriteOperation};
use crate::models::page::SitesPage;
use crate::models::{CreateSiteRequest, Site, UpdateSiteRequest};
use crate::pagination::PageStream;
use crate::{DattoClient, Error, SiteUid};

/// Datto takes site uids in paths; one with a `/` or `?` would address another resource.
pub(crate) fn path_segment(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}

impl DattoClient {
    /// Every site of the account, system and OnDemand sites included
    /// (`GET /v2/account/sites`, paged).
    ///
    /// ```no_run
    /// # async fn run(client: datto_rmm_client::DattoClient) -> Result<(), datto_rmm_client::Error> {
    /// let customer_sites: Vec<_> = client
    ///     .list_sites()
    ///     .collect_all()
    ///     .await?
    ///     .into_iter()
    ///     .filter(|site| site.is_customer_site())
    ///     .collect();
    /// # let _ = customer_sites; Ok(()) }
    /// ```
    pub fn list_sites(&self) -> PageStream<Site> {
        self.pages::<SitesPage>("v2/account/sites", &[])
    }

    /// The sites whose name contains `name` (Datto's `siteName` filter, a SQL `LIKE`).
    pub fn list_sites_named(&self, name: &str) -> PageStream<Site> {
        self.pages::<SitesPage>("v2/account/sites", &[("siteName", name.to_owned())])
    }

    /// One site with its device counts (`GET /v2/site/{siteUid}`).
    pub async fn get_site(&self, site_uid: &SiteUid) -> Result<Site, Error> {
        self.get_json(self.url(&format!("v2/site/{}", path_segment(site_uid.as_str())))?)
            .await
    }

    /// Creates a site (`PUT /v2/site`) and returns it as Datto stored it.
    ///
    /// Not retried after a failure that may have reached Datto (a retry could create the site
    /// twice): on such an error, look for the site by name before trying again.
    ///
    /// ```no_run
    /// use datto_rmm_client::models::CreateSiteRequest;
    /// # async fn run(client: datto_rmm_client::DattoClient) -> Result<(), datto_rmm_client::Error> {
    /// let site = client.create_site(&CreateSiteRequest::new("Northwind Logistics")).await?;
    /// println!("created {:?}", site.uid);
    /// # Ok(()) }
    /// ```
    pub async fn create_site(&self, request: &CreateSiteRequest) -> Result<Site, Error> {
        let call = Call::write(
            Method::PUT,
            self.url("v2/site")?,
            Some(request),
            false,
            WriteOperation::SiteCreate,
        )?;
        Ok(self.send(call).await?.json()?)
    }

    /// Updates a site (`POST /v2/site/{siteUid}`) and returns it. Datto requires the name even
    /// for a partial update; [`UpdateSiteRequest::from_site`] keeps the current values.
    pub async fn update_site(
        &self,
        site_uid: &SiteUid,
        request: &UpdateSiteRequest,
    ) -> Result<Site, Error> {
        let url = self.url(&format!("v2/site/{}", path_segment(site_uid.as_str())))?;
        // Setting the same values twice is harmless.
        let call = Call::write(
            Method::POST,
            url,
            Some(request),
            true,
            WriteOperation::SiteUpdate,
        )?;
        Ok(self.send(call).await?.json()?)
    }
}

#[cfg(test)]
mod tests {
    use super::path_segment;

    #[test]
    fn path_segments_cannot_escape_their_place() {
        assert_eq!(path_segment("abc-123"), "abc-123");
        assert_eq!(path_segment("a/../b?x=1"), "a%2F..%2Fb%3Fx%3D1");
        assert_eq!(path_segment("a b"), "a%20b");
    }
}
