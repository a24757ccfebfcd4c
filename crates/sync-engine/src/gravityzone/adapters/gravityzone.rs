//! [`GravityZonePort`] over the real [`GravityZoneClient`].

use async_trait::async_trait;
use gravityzone_client::{
    ApiArea, CompanyType, CompanyUpdate, Error, GravityZoneClient, InstallationLinks, ModuleKey,
    Modules, NewCompany, NewPackage, PackageRoles, PackageSettings, RpcErrorCode,
};
use msp_transport::ClientOptions;
use sync_core::gravityzone::{Company, CompanyId, DefaultPackage};
use sync_store::Vendor;

use crate::gravityzone::credentials::GravityZoneCredentials;
use crate::gravityzone::ports::{CompanySubtree, GravityZonePort, PortError, PortErrorKind};

/// The API areas the flow calls: companies (create, rename, delete), licensing (the key must
/// be able to license the companies it creates), packages, and network (the company tree and
/// the move).
pub const REQUIRED_API_AREAS: [ApiArea; 4] = [
    ApiArea::Companies,
    ApiArea::Licensing,
    ApiArea::Packages,
    ApiArea::Network,
];

/// GravityZone through [`GravityZoneClient`].
#[derive(Debug, Clone)]
pub struct GravityZoneAdapter {
    client: GravityZoneClient,
}

impl GravityZoneAdapter {
    /// The port over `client`.
    pub fn new(client: GravityZoneClient) -> Self {
        Self { client }
    }

    /// A client for `credentials`, with the client's default limits and retries.
    pub fn from_credentials(credentials: &GravityZoneCredentials) -> Result<Self, PortError> {
        Self::from_credentials_with(credentials, &ClientOptions::default())
    }

    /// A client for `credentials` with `options` (user agent, timeouts, retry policy, a limiter
    /// on all requests besides the per-class ones); the credentials' access URL wins over any
    /// base URL in the options.
    pub fn from_credentials_with(
        credentials: &GravityZoneCredentials,
        options: &ClientOptions,
    ) -> Result<Self, PortError> {
        let client = GravityZoneClient::builder()
            .options(options.clone())
            .access_url(credentials.access_url.trim())
            .api_key(credentials.api_key.clone())
            .build()
            .map_err(port_error)?;
        Ok(Self::new(client))
    }

    /// The client.
    pub fn client(&self) -> &GravityZoneClient {
        &self.client
    }
}

/// The client's error as a port error: what the workflow decides on, and the message.
pub fn port_error(error: Error) -> PortError {
    let kind = if error.is_unauthorized() {
        PortErrorKind::Unauthorized
    } else if let Some(area) = error.api_not_enabled() {
        PortErrorKind::ApiNotEnabled {
            areas: vec![area.as_str().to_owned()],
        }
    } else if let Error::CompanyNameTaken { name, .. } = &error {
        PortErrorKind::CompanyNameTaken { name: name.clone() }
    } else if error.is_transient() {
        PortErrorKind::Transient
    } else if error
        .rpc()
        .is_some_and(|rpc| rpc.code == RpcErrorCode::NotFound)
    {
        PortErrorKind::NotFound
    } else {
        PortErrorKind::Other
    };
    let mut port = PortError::new(Vendor::GravityZone, kind, error.to_string());
    port.may_have_been_sent = error.may_have_been_sent();
    port
}

/// The client's id of a `sync-core` company id: both hold the string GravityZone sent.
fn client_id(id: &CompanyId) -> gravityzone_client::CompanyId {
    gravityzone_client::CompanyId::new(id.as_str())
}

/// `sync-core`'s id of a company the client names.
fn core_id(id: gravityzone_client::CompanyId) -> CompanyId {
    CompanyId::new(id.into_string())
}

/// Whether `getCompanyDetails` said the company does not exist (or is out of the key's
/// reach): GravityZone answers an unknown id with "Invalid value for 'companyId'".
fn is_unknown_company(error: &Error) -> bool {
    error.rpc().is_some_and(|rpc| {
        rpc.code == RpcErrorCode::NotFound
            || (rpc.code == RpcErrorCode::InvalidParams && rpc.reason().contains("companyId"))
    })
}

/// The tenant's default package as `createPackage` modules: antimalware is always part of a
/// package (it is not a key), Exchange protection is a role and removing competitors a
/// setting.
pub fn modules_of(package: &DefaultPackage) -> Modules {
    let m = package.modules;
    let a = package.add_ons;
    Modules::new()
        .with(ModuleKey::AdvancedAntiExploit, m.advanced_anti_exploit)
        .with(ModuleKey::AdvancedThreatControl, m.advanced_threat_control)
        .with(ModuleKey::DeviceControl, m.device_control)
        .with(ModuleKey::Firewall, m.firewall)
        .with(ModuleKey::ContentControl, m.content_control)
        .with(ModuleKey::NetworkAttackDefense, m.network_attack_defense)
        .with(ModuleKey::PowerUser, m.power_user)
        .with(ModuleKey::EdrSensor, a.edr_sensor)
        .with(ModuleKey::PatchManagement, a.patch_management)
        .with(ModuleKey::Encryption, a.full_disk_encryption)
}

/// The `createPackage` parameters of the package `name` of `company`.
pub fn new_package(company: &CompanyId, name: &str, package: &DefaultPackage) -> NewPackage {
    let mut new = NewPackage::new(name);
    new.company_id = Some(client_id(company));
    new.modules = modules_of(package);
    let mut settings = PackageSettings::default();
    settings.remove_competitors = Some(package.remove_competitors);
    new.settings = Some(settings);
    new.roles = Some(PackageRoles::exchange(package.add_ons.exchange_protection));
    new
}

/// The link written to the site variable: the Windows downloader (Datto RMM manages mostly
/// Windows machines), else the first link the package has.
fn preferred_link(links: InstallationLinks) -> Option<String> {
    [
        links.install_link_windows,
        links.install_link_linux,
        links.install_link_mac,
        links.install_link_mac_arm,
        links.install_link_mac_downloader,
    ]
    .into_iter()
    .flatten()
    .find(|link| !link.trim().is_empty())
}

#[async_trait]
impl GravityZonePort for GravityZoneAdapter {
    async fn check_api_key(&self) -> Result<(), PortError> {
        let details = self
            .client
            .get_api_key_details()
            .await
            .map_err(port_error)?;
        // Every missing area at once, so the user ticks them all in one visit to the console.
        let missing: Vec<String> = details
            .missing(&REQUIRED_API_AREAS)
            .into_iter()
            .map(|area| area.as_str().to_owned())
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        let areas = match missing.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
            _ => missing.join(""),
        };
        let message = format!(
            "the API key may not call the {areas} API{}; enable {} on the key in the GravityZone \
             console",
            if missing.len() > 1 { "s" } else { "" },
            if missing.len() > 1 { "them" } else { "it" },
        );
        Err(PortError::new(
            Vendor::GravityZone,
            PortErrorKind::ApiNotEnabled { areas: missing },
            message,
        ))
    }

    async fn root_company(&self) -> Result<CompanyId, PortError> {
        let own = self.client.get_company(None).await.map_err(port_error)?;
        Ok(core_id(own.id))
    }

    async fn customer_companies(&self, root: &CompanyId) -> Result<CompanySubtree, PortError> {
        let nodes = self
            .client
            .get_company_tree(Some(&client_id(root)))
            .await
            .map_err(port_error)?;
        let mut subtree = CompanySubtree::default();
        for node in nodes {
            if node.company_type == CompanyType::Customer {
                let parent = node.parent_id.map_or_else(|| root.clone(), core_id);
                subtree
                    .companies
                    .push(Company::new(node.id, node.name, parent));
            } else {
                subtree.partners.push(core_id(node.id));
            }
        }
        Ok(subtree)
    }

    async fn endpoint_count(&self, id: &CompanyId) -> Result<u64, PortError> {
        self.client
            .get_endpoint_count(&client_id(id))
            .await
            .map_err(port_error)
    }

    async fn company(&self, id: &CompanyId) -> Result<Option<Company>, PortError> {
        match self.client.get_company(Some(&client_id(id))).await {
            Ok(details) => {
                // A company without a parent (the key's own) gets the empty id, as before.
                let parent = details
                    .parent_company_id
                    .map_or_else(|| CompanyId::new(""), core_id);
                Ok(Some(Company::new(details.id, details.name, parent)))
            }
            Err(e) if is_unknown_company(&e) => Ok(None),
            Err(e) => Err(port_error(e)),
        }
    }

    async fn find_company_by_name(&self, name: &str) -> Result<Option<Company>, PortError> {
        let found = self
            .client
            .find_company_by_exact_name(name)
            .await
            .map_err(port_error)?;
        match found {
            Some(summary) => self.company(&core_id(summary.id)).await,
            None => Ok(None),
        }
    }

    async fn create_company(&self, name: &str, parent: &CompanyId) -> Result<CompanyId, PortError> {
        let mut company = NewCompany::new(CompanyType::Customer, name);
        company.parent_id = Some(client_id(parent));
        let id = self
            .client
            .create_company(&company)
            .await
            .map_err(port_error)?;
        Ok(core_id(id))
    }

    async fn rename_company(&self, id: &CompanyId, name: &str) -> Result<(), PortError> {
        let mut update = CompanyUpdate::default();
        update.name = Some(name.to_owned());
        self.client
            .update_company(&client_id(id), &update)
            .await
            .map_err(port_error)
    }

    async fn move_company(&self, id: &CompanyId, parent: &CompanyId) -> Result<(), PortError> {
        self.client
            .move_company(&client_id(id), &client_id(parent))
            .await
            .map_err(port_error)
    }

    async fn delete_company(&self, id: &CompanyId) -> Result<(), PortError> {
        match self.client.delete_company(&client_id(id)).await {
            Err(e) if is_unknown_company(&e) => Err(PortError::new(
                Vendor::GravityZone,
                PortErrorKind::NotFound,
                e.to_string(),
            )),
            other => other.map_err(port_error),
        }
    }

    async fn find_or_create_package(
        &self,
        company: &CompanyId,
        name: &str,
        package: &DefaultPackage,
    ) -> Result<String, PortError> {
        let ensured = self
            .client
            .find_or_create_package(&new_package(company, name, package))
            .await
            .map_err(port_error)?;
        Ok(ensured.item.id.into_string())
    }

    async fn delete_package(&self, company: &CompanyId, name: &str) -> Result<bool, PortError> {
        let found = self
            .client
            .find_package_by_name(Some(&client_id(company)), name)
            .await
            .map_err(port_error)?;
        match found {
            Some(package) => {
                self.client
                    .delete_package(&package.id)
                    .await
                    .map_err(port_error)?;
                Ok(true)
            }
            None => Ok(false),
        }
    }

    async fn installation_link(
        &self,
        company: &CompanyId,
        name: &str,
    ) -> Result<Option<String>, PortError> {
        let links = self
            .client
            .find_installation_links(name, Some(&client_id(company)))
            .await
            .map_err(port_error)?;
        Ok(links.and_then(preferred_link))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sync_core::gravityzone::{PackageAddOns, PackageModules};

    #[test]
    fn the_default_package_turns_every_module_and_add_on_on() {
        let modules = modules_of(&DefaultPackage::default());
        for key in [
            ModuleKey::AdvancedAntiExploit,
            ModuleKey::AdvancedThreatControl,
            ModuleKey::DeviceControl,
            ModuleKey::Firewall,
            ModuleKey::ContentControl,
            ModuleKey::NetworkAttackDefense,
            ModuleKey::PowerUser,
            ModuleKey::EdrSensor,
            ModuleKey::PatchManagement,
            ModuleKey::Encryption,
        ] {
            assert!(modules.is_enabled(&key), "{key:?}");
        }
        let package = new_package(
            &CompanyId::new("c1"),
            "Datto RMM s1",
            &DefaultPackage::default(),
        );
        assert_eq!(package.roles.and_then(|r| r.exchange), Some(true));
        assert_eq!(
            package.settings.and_then(|s| s.remove_competitors),
            Some(true)
        );
        assert_eq!(
            package.company_id,
            Some(gravityzone_client::CompanyId::new("c1"))
        );
    }

    #[test]
    fn an_antimalware_only_package_sends_every_switch_off() {
        let package = DefaultPackage {
            modules: PackageModules::none(),
            add_ons: PackageAddOns::none(),
            remove_competitors: false,
        };
        let modules = modules_of(&package);
        assert!(modules.iter().all(|(_, on)| !on));
        assert!(
            new_package(&CompanyId::new("c"), "p", &package)
                .validate()
                .is_ok()
        );
    }
}
