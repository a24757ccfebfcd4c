//! [`DattoRmmPort`] over the real [`DattoClient`]: Datto RMM's models become `sync-core`'s
//! sites, devices and audit facts, the client's errors [`PortError`]s.

use async_trait::async_trait;
use datto_rmm_client::models::{
    Device as DattoDevice, DeviceAudit, DeviceNetworkInterfaces, NetworkInterface as DattoNic,
    Site as DattoSite,
};
use datto_rmm_client::{DattoClient, VariableId};
use msp_transport::ClientOptions;
use sync_core::datto::{AuditFacts, DeviceUid, Site, SiteUid};
use sync_core::itglue::{
    AntivirusFacts, Device, DeviceType, Disk, NetworkInterface, PatchFacts, RmmFacts,
};
use sync_store::{ConnectionDetails, Vendor};

use super::credentials::DattoCredentials;
use super::{DattoRmmPort, DeviceInterfaces, RmmSite};
use crate::port::{PortError, PortErrorKind, PortIdentity};

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

/// The Datto RMM port over a [`DattoClient`], for both flows.
#[derive(Clone, Debug)]
pub struct DattoRmmAdapter {
    client: DattoClient,
    identity: PortIdentity,
}

impl DattoRmmAdapter {
    /// Builds the client from the credentials, with the client's default limits and retries
    /// (Datto's 600 requests per rolling minute).
    pub fn from_credentials(credentials: &DattoCredentials) -> Result<Self, PortError> {
        Self::from_credentials_with(credentials, &ClientOptions::default())
    }

    /// Builds the client from the credentials with `options` (user agent, timeouts, retry
    /// policy, a limiter shared with other clients of the account); the credentials' API URL
    /// wins over any base URL in the options.
    pub fn from_credentials_with(
        credentials: &DattoCredentials,
        options: &ClientOptions,
    ) -> Result<Self, PortError> {
        let client = DattoClient::builder()
            .options(options.clone())
            .api_url(credentials.api_url.trim())
            .api_key(credentials.api_key.clone())
            .api_secret(credentials.api_secret.clone())
            .build()
            .map_err(port_error)?;
        Ok(Self::with_client(client, credentials))
    }

    /// Uses a client built elsewhere with these credentials (custom limits, retries or
    /// timeouts, or one client shared by both flows).
    pub fn with_client(client: DattoClient, credentials: &DattoCredentials) -> Self {
        Self {
            client,
            identity: datto_identity(credentials),
        }
    }

    /// The client.
    pub fn client(&self) -> &DattoClient {
        &self.client
    }
}

/// The client's error as a port error.
pub(crate) fn port_error(error: datto_rmm_client::Error) -> PortError {
    let kind = if error.is_unauthorized() {
        PortErrorKind::Unauthorized
    } else if error.is_not_found() {
        PortErrorKind::NotFound
    } else if error.is_transient() {
        PortErrorKind::Transient
    } else {
        PortErrorKind::Other
    };
    let mut port = PortError::new(Vendor::DattoRmm, kind, error.to_string());
    port.may_have_been_sent = error.may_have_been_sent();
    port
}

fn without_uid(what: String) -> PortError {
    PortError::new(
        Vendor::DattoRmm,
        PortErrorKind::Other,
        format!("Datto RMM sent {what} without a uid; the listing is refused as a whole"),
    )
}

/// A uid (or Autotask id) Datto sent, as the text `sync-core`'s ids hold, unless it is blank.
fn present<Id: AsRef<str> + Into<String>>(uid: Option<Id>) -> Option<String> {
    uid.filter(|uid| !uid.as_ref().trim().is_empty())
        .map(Into::into)
}

/// The client's id of a `sync-core` site uid: both hold the string Datto sent.
fn client_site(site: &SiteUid) -> datto_rmm_client::SiteUid {
    datto_rmm_client::SiteUid::new(site.as_str())
}

/// The client's id of a `sync-core` device uid.
fn client_device(device: &DeviceUid) -> datto_rmm_client::DeviceUid {
    datto_rmm_client::DeviceUid::new(device.as_str())
}

/// A listed site as `sync-core` sees it; a site without uid refuses the listing (see the
/// [module documentation](super)).
fn site(site: DattoSite) -> Result<RmmSite, PortError> {
    let device_count = site
        .devices_status
        .as_ref()
        .and_then(|status| status.number_of_devices)
        .and_then(|n| u64::try_from(n).ok());
    let on_demand = site.is_on_demand();
    let name = site.name.unwrap_or_default();
    let Some(uid) = present(site.uid) else {
        return Err(without_uid(format!("the site {name:?}")));
    };
    Ok(RmmSite {
        site: Site {
            autotask_company_id: present(site.autotask_company_id)
                .map(sync_core::datto::AutotaskCompanyId::new),
            autotask_company_name: site.autotask_company_name,
            ..Site::new(uid, name, on_demand)
        },
        device_count,
    })
}

fn device(device: DattoDevice) -> Result<Device, PortError> {
    let hostname = device.hostname.unwrap_or_default();
    let uid = present(device.uid).ok_or_else(|| without_uid(format!("the device {hostname:?}")))?;
    let site = present(device.site_uid)
        .ok_or_else(|| without_uid(format!("the site of the device {hostname:?}")))?;
    let mut out = Device::new(DeviceUid::new(uid), SiteUid::new(site), hostname);
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
    out.description = device.description;
    out.rmm = RmmFacts {
        last_reboot: device.last_reboot.and_then(|t| t.epoch_millis()),
        last_seen: device.last_seen.and_then(|t| t.epoch_millis()),
        online: device.online,
        last_logged_in_user: device.last_logged_in_user,
        patches: device.patch_management.map(|p| PatchFacts {
            status: p.patch_status.map(|s| s.as_str().to_owned()),
            installed: p.patches_installed.and_then(|n| u64::try_from(n).ok()),
            approved_pending: p
                .patches_approved_pending
                .and_then(|n| u64::try_from(n).ok()),
            not_approved: p.patches_not_approved.and_then(|n| u64::try_from(n).ok()),
        }),
        antivirus: device.antivirus.map(|a| AntivirusFacts {
            product: a.antivirus_product,
            status: a.antivirus_status.map(|s| s.as_str().to_owned()),
        }),
        portal_url: device.portal_url,
        ..RmmFacts::default()
    };
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
    let uid =
        present(listed.uid).ok_or_else(|| without_uid("a network-interface entry".to_owned()))?;
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
        interfaces: audit.nics.iter().cloned().map(nic).collect(),
        hardware: RmmFacts {
            processors: audit
                .processors
                .iter()
                .filter_map(|p| p.name.clone())
                .filter(|name| !name.trim().is_empty())
                .collect(),
            cpu_cores: audit
                .system_info
                .as_ref()
                .and_then(|i| i.total_cpu_cores)
                .and_then(|n| u32::try_from(n).ok()),
            memory_bytes: audit
                .system_info
                .as_ref()
                .and_then(|i| i.total_physical_memory)
                .and_then(|n| u64::try_from(n).ok()),
            disks: audit
                .logical_disks
                .iter()
                .map(|d| Disk {
                    name: d
                        .disk_identifier
                        .clone()
                        .or_else(|| d.description.clone())
                        .unwrap_or_default(),
                    size_bytes: d.size.and_then(|n| u64::try_from(n).ok()),
                    free_bytes: d.freespace.and_then(|n| u64::try_from(n).ok()),
                })
                .collect(),
            ..RmmFacts::default()
        },
    }
}

#[async_trait]
impl DattoRmmPort for DattoRmmAdapter {
    fn identity(&self) -> PortIdentity {
        self.identity.clone()
    }

    async fn account_uid(&self) -> Result<String, PortError> {
        let account = self.client.get_account().await.map_err(port_error)?;
        present(account.uid).ok_or_else(|| without_uid("the account".to_owned()))
    }

    async fn sites(&self) -> Result<Vec<RmmSite>, PortError> {
        let listed = self
            .client
            .list_sites()
            .collect_all()
            .await
            .map_err(port_error)?;
        listed.into_iter().map(site).collect()
    }

    async fn account_devices(&self) -> Result<Vec<Device>, PortError> {
        let listed = self
            .client
            .list_devices()
            .collect_all()
            .await
            .map_err(port_error)?;
        listed.into_iter().map(device).collect()
    }

    async fn site_devices(&self, site: &SiteUid) -> Result<Vec<Device>, PortError> {
        let listed = self
            .client
            .list_site_devices(&client_site(site))
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
            .list_site_network_interfaces(&client_site(site))
            .collect_all()
            .await
            .map_err(port_error)?;
        listed.into_iter().map(interfaces).collect()
    }

    async fn device_audit(&self, device: &DeviceUid) -> Result<AuditFacts, PortError> {
        let audit = self
            .client
            .get_device_audit(&client_device(device))
            .await
            .map_err(port_error)?;
        Ok(audit_facts(&audit))
    }

    async fn upsert_site_variable(
        &self,
        site: &SiteUid,
        name: &str,
        value: &str,
    ) -> Result<(), PortError> {
        self.client
            .upsert_site_variable(&client_site(site), name, value, false)
            .await
            .map(drop)
            .map_err(port_error)
    }

    async fn delete_site_variable(&self, site: &SiteUid, name: &str) -> Result<bool, PortError> {
        let site = client_site(site);
        let variables = self
            .client
            .list_site_variables(&site)
            .collect_all()
            .await
            .map_err(port_error)?;
        let ids: Vec<VariableId> = variables
            .iter()
            .filter(|v| v.name.as_deref() == Some(name))
            .filter_map(|v| v.id)
            .collect();
        for id in &ids {
            match self.client.delete_site_variable(&site, *id).await {
                Ok(()) => {}
                Err(e) if e.is_not_found() => {}
                Err(e) => return Err(port_error(e)),
            }
        }
        Ok(!ids.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(json: serde_json::Value) -> DattoSite {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn a_listed_site_keeps_its_autotask_company_and_device_count() {
        let site = site(listed(serde_json::json!({
            "uid": "s-1", "name": "Acme", "onDemand": false,
            "autotaskCompanyId": "7", "autotaskCompanyName": "Acme Inc",
            "devicesStatus": {"numberOfDevices": 3}
        })))
        .unwrap();
        assert_eq!(site.device_count, Some(3));
        assert_eq!(
            site.site,
            Site::new("s-1", "Acme", false).with_autotask_company("7", "Acme Inc")
        );
    }

    #[test]
    fn a_site_without_uid_refuses_the_listing_naming_the_site() {
        for uid in [serde_json::Value::Null, serde_json::json!("  ")] {
            let error = site(listed(serde_json::json!({"uid": uid, "name": "Acme"}))).unwrap_err();
            assert_eq!(error.kind, PortErrorKind::Other);
            assert!(error.to_string().contains("\"Acme\""), "{error}");
            assert!(!error.may_have_been_sent);
        }
    }

    #[test]
    fn a_blank_autotask_company_is_no_company() {
        let site = site(listed(serde_json::json!({
            "uid": "s-1", "name": "Acme", "autotaskCompanyId": " "
        })))
        .unwrap();
        assert_eq!(site.site.autotask_company_id, None);
    }
}
