//! [`DattoRmmPort`] for the real [`DattoClient`]: Datto RMM's models become `sync-core`'s sites
//! and devices.

use async_trait::async_trait;
use datto_rmm_client::DattoClient;
use datto_rmm_client::models::{
    Device as DattoDevice, DeviceAudit, DeviceNetworkInterfaces, NetworkInterface as DattoNic,
    Site as DattoSite,
};
use sync_core::itglue::{
    AutotaskCompanyId, Device, DeviceType, DeviceUid, NetworkInterface, Site, SiteUid,
};
use sync_store::{AuditFacts, ConnectionDetails, Vendor};

use crate::gravityzone::DattoCredentials;
use crate::itglue::ports::{DattoRmmPort, DeviceInterfaces, PortError, PortIdentity, RmmSite};

/// What the store keeps of Datto RMM credentials: the API URL and the fingerprint both flows
/// share (so connecting one flow does not invalidate the other's saved credentials).
pub fn datto_identity(credentials: &DattoCredentials) -> PortIdentity {
    PortIdentity {
        connection: ConnectionDetails {
            url: Some(credentials.api_url.trim().trim_end_matches('/').to_owned()),
            ..ConnectionDetails::default()
        },
        fingerprint: credentials.fingerprint(),
    }
}

/// The Datto RMM port over a [`DattoClient`].
#[derive(Clone, Debug)]
pub struct DattoAdapter {
    client: DattoClient,
    identity: PortIdentity,
}

impl DattoAdapter {
    /// Builds the client from the credentials (default rate limit: Datto's 600 requests per
    /// rolling minute).
    pub fn new(credentials: &DattoCredentials) -> Result<Self, PortError> {
        let client = DattoClient::builder()
            .api_url(credentials.api_url.clone())
            .api_key(credentials.api_key.clone())
            .api_secret(credentials.api_secret.clone())
            .build()
            .map_err(port_error)?;
        Ok(Self::with_client(client, credentials))
    }

    /// Uses a client built elsewhere with these credentials (to share its token and rate
    /// limiter with the GravityZone flow).
    pub fn with_client(client: DattoClient, credentials: &DattoCredentials) -> Self {
        Self {
            client,
            identity: datto_identity(credentials),
        }
    }
}

/// Converts a Datto RMM client error into a port error.
pub(crate) fn port_error(error: datto_rmm_client::Error) -> PortError {
    let vendor = Vendor::DattoRmm;
    let message = error.to_string();
    if error.is_unauthorized() {
        PortError::Unauthorized { vendor, message }
    } else if error.is_not_found() {
        PortError::NotFound { vendor, message }
    } else {
        PortError::Failed {
            vendor,
            may_have_been_sent: error.may_have_been_sent(),
            message,
        }
    }
}

fn missing(what: &str) -> PortError {
    PortError::Failed {
        vendor: Vendor::DattoRmm,
        message: format!("Datto RMM sent a {what} without a uid"),
        may_have_been_sent: false,
    }
}

fn site(site: DattoSite) -> Result<RmmSite, PortError> {
    let device_count = site
        .devices_status
        .as_ref()
        .and_then(|status| status.number_of_devices)
        .and_then(|n| u64::try_from(n).ok());
    let on_demand = site.is_on_demand();
    let uid = site.uid.ok_or_else(|| missing("site"))?;
    Ok(RmmSite {
        site: Site {
            uid: SiteUid::new(uid),
            name: site.name.unwrap_or_default(),
            on_demand,
            autotask_company_id: site
                .autotask_company_id
                .filter(|id| !id.trim().is_empty())
                .map(AutotaskCompanyId::new),
            autotask_company_name: site.autotask_company_name,
        },
        device_count,
    })
}

fn device(device: DattoDevice) -> Result<Device, PortError> {
    let uid = device.uid.ok_or_else(|| missing("device"))?;
    let site = device.site_uid.ok_or_else(|| missing("device's site"))?;
    let mut out = Device::new(
        DeviceUid::new(uid),
        SiteUid::new(site),
        device.hostname.unwrap_or_default(),
    );
    out.device_type = device
        .device_type
        .map(|t| DeviceType {
            category: t.category,
            kind: t.type_name,
        })
        .unwrap_or_default();
    out.device_class = device.device_class.map(|class| class.as_str().to_owned());
    out.operating_system = device.operating_system;
    out.internal_ip = device.int_ip_address;
    out.warranty_date = device.warranty_date;
    out.last_audit_date = device.last_audit_date.and_then(|t| t.epoch_millis());
    Ok(out)
}

fn nic(nic: DattoNic) -> NetworkInterface {
    NetworkInterface {
        name: nic.instance,
        ipv4: nic.ipv4,
        ipv6: nic.ipv6,
        mac_address: nic.mac_address,
    }
}

fn interfaces(listed: DeviceNetworkInterfaces) -> Result<DeviceInterfaces, PortError> {
    let uid = listed
        .uid
        .ok_or_else(|| missing("network-interface entry"))?;
    Ok(DeviceInterfaces {
        device: DeviceUid::new(uid),
        interfaces: listed.nics.into_iter().map(nic).collect(),
    })
}

fn audit_facts(audit: &DeviceAudit) -> AuditFacts {
    AuditFacts {
        serial_numbers: audit
            .serial_number()
            .map(str::to_owned)
            .into_iter()
            .collect(),
        mac_addresses: audit
            .nics
            .iter()
            .filter_map(|nic| nic.mac_address.clone())
            .collect(),
        manufacturer: audit.manufacturer().map(str::to_owned),
        model: audit.model().map(str::to_owned),
    }
}

#[async_trait]
impl DattoRmmPort for DattoAdapter {
    fn identity(&self) -> PortIdentity {
        self.identity.clone()
    }

    async fn account_uid(&self) -> Result<String, PortError> {
        let account = self.client.account().await.map_err(port_error)?;
        account.uid.ok_or_else(|| missing("account"))
    }

    async fn sites(&self) -> Result<Vec<RmmSite>, PortError> {
        let listed = self
            .client
            .sites()
            .collect_all()
            .await
            .map_err(port_error)?;
        listed.into_iter().map(site).collect()
    }

    async fn account_devices(&self) -> Result<Vec<Device>, PortError> {
        let listed = self
            .client
            .devices()
            .collect_all()
            .await
            .map_err(port_error)?;
        listed.into_iter().map(device).collect()
    }

    async fn site_devices(&self, site: &SiteUid) -> Result<Vec<Device>, PortError> {
        let listed = self
            .client
            .site_devices(site.as_str())
            .collect_all()
            .await
            .map_err(port_error)?;
        listed.into_iter().map(device).collect()
    }

    async fn site_network_interfaces(
        &self,
        site: &SiteUid,
    ) -> Result<Vec<DeviceInterfaces>, PortError> {
        let listed = self
            .client
            .site_network_interfaces(site.as_str())
            .collect_all()
            .await
            .map_err(port_error)?;
        listed.into_iter().map(interfaces).collect()
    }

    async fn device_audit(&self, device: &DeviceUid) -> Result<AuditFacts, PortError> {
        let audit = self
            .client
            .device_audit(device.as_str())
            .await
            .map_err(port_error)?;
        Ok(audit_facts(&audit))
    }
}
