//! Devices of the account and of a site, one device, and a site's network interfaces.

use crate::models::page::{DevicesNetworkInterfacePage, DevicesPage};
use crate::models::{Device, DeviceNetworkInterfaces};
use crate::pagination::PageStream;
use crate::sites::path_segment;
use crate::{DattoClient, DeviceUid, Error, FilterId, SiteUid};

/// Filters of `GET /v2/account/devices`. Datto matches the texts with SQL `LIKE` (partial
/// matches); a `filter_id` alone decides the result when given.
///
/// ```
/// use datto_rmm_client::DeviceFilter;
/// let servers = DeviceFilter::default().device_type("Server").site_name("Northwind");
/// # let _ = servers;
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct DeviceFilter {
    /// A device filter's id (Datto: it alone decides the result).
    pub filter_id: Option<FilterId>,
    /// Part of the hostname.
    pub hostname: Option<String>,
    /// Part of the device type.
    pub device_type: Option<String>,
    /// Part of the operating system.
    pub operating_system: Option<String>,
    /// Part of the site name.
    pub site_name: Option<String>,
}

impl DeviceFilter {
    /// Only devices matched by this Datto device filter.
    pub fn filter_id(mut self, id: FilterId) -> Self {
        self.filter_id = Some(id);
        self
    }

    /// Only devices whose hostname contains `hostname`.
    pub fn hostname(mut self, hostname: impl Into<String>) -> Self {
        self.hostname = Some(hostname.into());
        self
    }

    /// Only devices whose type contains `device_type`.
    pub fn device_type(mut self, device_type: impl Into<String>) -> Self {
        self.device_type = Some(device_type.into());
        self
    }

    /// Only devices whose operating system contains `os`.
    pub fn operating_system(mut self, os: impl Into<String>) -> Self {
        self.operating_system = Some(os.into());
        self
    }

    /// Only devices whose site name contains `site_name`.
    pub fn site_name(mut self, site_name: impl Into<String>) -> Self {
        self.site_name = Some(site_name.into());
        self
    }

    fn query(&self) -> Vec<(&'static str, String)> {
        let mut query = Vec::new();
        if let Some(id) = self.filter_id {
            query.push(("filterId", id.to_string()));
        }
        for (key, value) in [
            ("hostname", &self.hostname),
            ("deviceType", &self.device_type),
            ("operatingSystem", &self.operating_system),
            ("siteName", &self.site_name),
        ] {
            if let Some(value) = value {
                query.push((key, value.clone()));
            }
        }
        query
    }
}

impl DattoClient {
    /// Every device of the account (`GET /v2/account/devices`, paged).
    ///
    /// An old report (2021) saw this list hold fewer devices than the per-site lists summed;
    /// a sync that must not miss devices can list per site with [`DattoClient::list_site_devices`].
    pub fn list_devices(&self) -> PageStream<Device> {
        self.pages::<DevicesPage>("v2/account/devices", &[])
    }

    /// The account's devices matching `filter` (`GET /v2/account/devices`, paged).
    pub fn list_devices_matching(&self, filter: &DeviceFilter) -> PageStream<Device> {
        self.pages::<DevicesPage>("v2/account/devices", &filter.query())
    }

    /// The devices of one site (`GET /v2/site/{siteUid}/devices`, paged).
    ///
    /// ```no_run
    /// # async fn run(client: datto_rmm_client::DattoClient) -> Result<(), datto_rmm_client::Error> {
    /// use datto_rmm_client::SiteUid;
    /// let site: SiteUid = "5e1c3c1b-…".parse().expect("a site uid");
    /// let devices = client.list_site_devices(&site).collect_all().await?;
    /// # let _ = devices; Ok(()) }
    /// ```
    pub fn list_site_devices(&self, site_uid: &SiteUid) -> PageStream<Device> {
        self.pages::<DevicesPage>(
            &format!("v2/site/{}/devices", path_segment(site_uid.as_str())),
            &[],
        )
    }

    /// One device (`GET /v2/device/{deviceUid}`).
    pub async fn get_device(&self, device_uid: &DeviceUid) -> Result<Device, Error> {
        self.get_json(self.url(&format!("v2/device/{}", path_segment(device_uid.as_str())))?)
            .await
    }

    /// The devices of a site with their network interfaces and MAC addresses
    /// (`GET /v2/site/{siteUid}/devices/network-interface`, paged): all MACs of a site in a
    /// few calls instead of one audit per device.
    pub fn list_site_network_interfaces(
        &self,
        site_uid: &SiteUid,
    ) -> PageStream<DeviceNetworkInterfaces> {
        self.pages::<DevicesNetworkInterfacePage>(
            &format!(
                "v2/site/{}/devices/network-interface",
                path_segment(site_uid.as_str())
            ),
            &[],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_become_datto_query_parameters() {
        let filter = DeviceFilter::default()
            .hostname("SRV")
            .site_name("Acme")
            .filter_id(FilterId::new(7));
        assert_eq!(
            filter.query(),
            vec![
                ("filterId", "7".to_owned()),
                ("hostname", "SRV".to_owned()),
                ("siteName", "Acme".to_owned())
            ]
        );
        assert!(DeviceFilter::default().query().is_empty());
    }
}
