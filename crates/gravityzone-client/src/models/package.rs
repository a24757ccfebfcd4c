//! Installation packages: the parameters of `createPackage`, list items, details and
//! installation links.

use std::collections::BTreeMap;

use msp_transport::Secret;
use serde::de::Deserializer;
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::enums::{KitState, ModuleKey, PackageType, ProductType, ScanEngine, ScanModeType};
use super::lenient;
use crate::ids::{CompanyId, EndpointId, GroupId, PackageId};

/// The module switches of a package: module key → on/off.
///
/// Sent as the documented `0`/`1` integers; a key that is not sent is off. Read leniently
/// (booleans too), keeping keys this client does not know.
///
/// ```
/// use gravityzone_client::{ModuleKey, Modules};
/// let modules = Modules::new()
///     .with(ModuleKey::AdvancedThreatControl, true)
///     .with(ModuleKey::Firewall, false);
/// assert!(modules.is_enabled(&ModuleKey::AdvancedThreatControl));
/// assert!(!modules.is_enabled(&ModuleKey::EdrSensor)); // not sent = off
/// assert_eq!(
///     serde_json::to_value(&modules).unwrap(),
///     serde_json::json!({"advancedThreatControl": 1, "firewall": 0})
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Modules(BTreeMap<ModuleKey, bool>);

impl Modules {
    /// No module switched explicitly (every module off).
    pub fn new() -> Self {
        Self::default()
    }

    /// The modules an EDR (report only) package must have: `edrSensor`, `contentControl`,
    /// `networkAttackDefense` and `advancedThreatControl` on, everything else off.
    pub fn edr_report_only() -> Self {
        let on = [
            ModuleKey::EdrSensor,
            ModuleKey::ContentControl,
            ModuleKey::NetworkAttackDefense,
            ModuleKey::AdvancedThreatControl,
        ];
        let mut modules = Self::new();
        for key in ModuleKey::CREATE_PACKAGE_KEYS {
            let enabled = on.contains(&key);
            modules.set(key, enabled);
        }
        // contentControl copies itself to these three; they must agree with it.
        for key in [
            ModuleKey::UserControl,
            ModuleKey::Antiphishing,
            ModuleKey::TrafficScan,
        ] {
            modules.set(key, true);
        }
        modules
    }

    /// Switches `key` and returns the set, for chaining.
    #[must_use]
    pub fn with(mut self, key: ModuleKey, on: bool) -> Self {
        self.set(key, on);
        self
    }

    /// Switches `key`.
    pub fn set(&mut self, key: ModuleKey, on: bool) {
        self.0.insert(key, on);
    }

    /// The explicit switch of `key`, `None` when it is not in the set.
    pub fn get(&self, key: &ModuleKey) -> Option<bool> {
        self.0.get(key).copied()
    }

    /// Whether `key` is on (a key not in the set is off).
    pub fn is_enabled(&self, key: &ModuleKey) -> bool {
        self.get(key).unwrap_or(false)
    }

    /// Every explicit switch, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&ModuleKey, bool)> {
        self.0.iter().map(|(k, v)| (k, *v))
    }

    /// The keys this client does not know (kept from a response).
    pub fn unknown_keys(&self) -> impl Iterator<Item = &str> {
        self.0.keys().filter_map(|k| match k {
            ModuleKey::Other(name) => Some(name.as_str()),
            _ => None,
        })
    }

    /// Checks the documented `contentControl` rule: it copies its value to `userControl`,
    /// `antiphishing` and `trafficScan`, so sending a different value for one of them is an
    /// error on the vendor side.
    pub fn check_content_control(&self) -> Result<(), String> {
        let Some(content) = self.get(&ModuleKey::ContentControl) else {
            return Ok(());
        };
        for key in [
            ModuleKey::UserControl,
            ModuleKey::Antiphishing,
            ModuleKey::TrafficScan,
        ] {
            if let Some(v) = self.get(&key)
                && v != content
            {
                return Err(format!(
                    "contentControl is {content} but {key} is {v}; contentControl sets {key} to its own value"
                ));
            }
        }
        Ok(())
    }
}

impl Serialize for Modules {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (key, on) in &self.0 {
            map.serialize_entry(key.as_str(), &u8::from(*on))?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Modules {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Flag(#[serde(deserialize_with = "lenient::flag")] bool);
        let raw = BTreeMap::<String, Option<Flag>>::deserialize(d)?;
        Ok(Self(
            raw.into_iter()
                .filter_map(|(k, v)| v.map(|Flag(on)| (ModuleKey::from_wire(&k), on)))
                .collect(),
        ))
    }
}

impl FromIterator<(ModuleKey, bool)> for Modules {
    fn from_iter<I: IntoIterator<Item = (ModuleKey, bool)>>(iter: I) -> Self {
        Self(iter.into_iter().collect())
    }
}

/// The engines of one platform in a custom scan mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ScanEngines {
    /// Main engine.
    pub main: ScanEngine,
    /// Fallback engine.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback: Option<ScanEngine>,
}

impl ScanEngines {
    /// `main` with an optional `fallback`.
    pub fn new(main: ScanEngine, fallback: Option<ScanEngine>) -> Self {
        Self { main, fallback }
    }
}

/// A package's scan mode (`scanMode`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ScanMode {
    /// Automatic or custom.
    #[serde(rename = "type")]
    pub mode: ScanModeType,
    /// Engines for computers (custom mode).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub computers: Option<ScanEngines>,
    /// Engines for virtual machines (custom mode).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vms: Option<ScanEngines>,
    /// Engines for EC2 instances (custom mode, with the AWS integration).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ec2: Option<ScanEngines>,
}

impl ScanMode {
    /// Automatic scan mode.
    pub fn automatic() -> Self {
        Self {
            mode: ScanModeType::Automatic,
            computers: None,
            vms: None,
            ec2: None,
        }
    }

    /// Custom scan mode with the given engines for computers and virtual machines.
    pub fn custom(computers: ScanEngines, vms: ScanEngines) -> Self {
        Self {
            mode: ScanModeType::Custom,
            computers: Some(computers),
            vms: Some(vms),
            ec2: None,
        }
    }
}

/// Installation settings of a package (`settings`).
///
/// Booleans are sent as booleans (as the documentation's example shows) and read leniently.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PackageSettings {
    /// Scan the machine before installing.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_flag"
    )]
    pub scan_before_install: Option<bool>,
    /// Uninstall competing security products during installation.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_flag"
    )]
    pub remove_competitors: Option<bool>,
    /// Password required to uninstall the agent (never printed).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "secret_opt")]
    pub uninstall_password: Option<Secret>,
    /// Custom installation path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_installation_path: Option<String>,
    /// Custom group for computers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_group_id: Option<GroupId>,
    /// Custom group for virtual machines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vms_custom_group_id: Option<GroupId>,
    /// Members this client does not model (sent as given).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Roles of a package (`roles`); Exchange protection is a role, not a module.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PackageRoles {
    /// Relay role (sent as `0`/`1`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "lenient::opt_flag_as_int",
        deserialize_with = "lenient::opt_flag"
    )]
    pub relay: Option<bool>,
    /// Exchange protection role (sent as `0`/`1`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "lenient::opt_flag_as_int",
        deserialize_with = "lenient::opt_flag"
    )]
    pub exchange: Option<bool>,
}

impl PackageRoles {
    /// Roles with the Exchange protection role switched as given (relay left unset).
    pub fn exchange(on: bool) -> Self {
        Self {
            relay: None,
            exchange: Some(on),
        }
    }
}

/// How the agent connects after installation (`deploymentOptions`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DeploymentOptions {
    /// Deployment type (`1` is the only value seen in examples).
    #[serde(
        rename = "type",
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_int"
    )]
    pub deployment_type: Option<i64>,
    /// Relay (an endpoint) to connect through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relay_id: Option<EndpointId>,
    /// Use a communication proxy.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_flag"
    )]
    pub use_communication_proxy: Option<bool>,
    /// Proxy host.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy_server: Option<String>,
    /// Proxy port.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_int"
    )]
    pub proxy_port: Option<i64>,
    /// Proxy user name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy_username: Option<String>,
    /// Proxy password (never printed).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "secret_opt")]
    pub proxy_password: Option<Secret>,
    /// Use a custom communication server.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient::opt_flag"
    )]
    pub use_custom_communication_server: Option<bool>,
    /// The custom communication server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub communication_server: Option<String>,
    /// Members this client does not model (sent as given).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The parameters of `createPackage`.
///
/// ```
/// use gravityzone_client::{CompanyId, ModuleKey, Modules, NewPackage, PackageSettings};
/// let mut package = NewPackage::new("Contoso - default");
/// package.company_id = Some(CompanyId::new("5e5d3f4a1b2c3d4e5f6a7b8c"));
/// package.modules = Modules::new().with(ModuleKey::AdvancedThreatControl, true);
/// let mut settings = PackageSettings::default();
/// settings.remove_competitors = Some(true);
/// package.settings = Some(settings);
/// assert!(package.validate().is_ok());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct NewPackage {
    /// Package name: the handle `getInstallationLinks` looks packages up by.
    pub package_name: String,
    /// Target company (partner keys only; default: the key's company).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company_id: Option<CompanyId>,
    /// Description (vendor default: empty).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Installer language, `LL_CC` (vendor default `en_US`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Module switches (a key not sent is off).
    pub modules: Modules,
    /// Scan mode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scan_mode: Option<ScanMode>,
    /// Installation settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub settings: Option<PackageSettings>,
    /// Roles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub roles: Option<PackageRoles>,
    /// Deployment options.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deployment_options: Option<DeploymentOptions>,
    /// Product type (vendor default: Detection & Prevention).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub product_type: Option<ProductType>,
}

impl NewPackage {
    /// A package named `package_name` with every module off and vendor defaults elsewhere.
    pub fn new(package_name: impl Into<String>) -> Self {
        Self {
            package_name: package_name.into(),
            company_id: None,
            description: None,
            language: None,
            modules: Modules::new(),
            scan_mode: None,
            settings: None,
            roles: None,
            deployment_options: None,
            product_type: None,
        }
    }

    /// Checks what can be checked before sending: a name, and the `contentControl` rule.
    pub fn validate(&self) -> Result<(), String> {
        if self.package_name.trim().is_empty() {
            return Err("package name must not be empty".into());
        }
        self.modules.check_content_control()
    }
}

/// One package as `getPackagesList` lists it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PackageSummary {
    /// Package id.
    pub id: PackageId,
    /// Package name.
    pub name: String,
    /// Package kind.
    #[serde(default, rename = "type")]
    pub package_type: Option<PackageType>,
    /// Members this client does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The result of `getPackageDetails`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PackageDetails {
    /// Package name.
    #[serde(alias = "name")]
    pub package_name: String,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Installer language.
    #[serde(default)]
    pub language: Option<String>,
    /// Module switches, including keys this client does not know.
    #[serde(default)]
    pub modules: Modules,
    /// Scan mode.
    #[serde(default)]
    pub scan_mode: Option<ScanMode>,
    /// Installation settings.
    #[serde(default)]
    pub settings: Option<PackageSettings>,
    /// Roles.
    #[serde(default)]
    pub roles: Option<PackageRoles>,
    /// Deployment options.
    #[serde(default)]
    pub deployment_options: Option<DeploymentOptions>,
    /// Product type.
    #[serde(default)]
    pub product_type: Option<ProductType>,
    /// Members this client does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The installation links of one package (`getInstallationLinks` returns an array of these).
///
/// Current replies carry the fourteen members below; older ones only the first link fields,
/// so all are optional except the package name.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct InstallationLinks {
    /// Package name.
    pub package_name: String,
    /// Company name.
    #[serde(default)]
    pub company_name: Option<String>,
    /// Company id.
    #[serde(default)]
    pub company_id: Option<CompanyId>,
    /// Small Windows downloader; its deployment id sits between `[` and `]`.
    #[serde(default)]
    pub install_link_windows: Option<String>,
    /// macOS (Intel) installer.
    #[serde(default)]
    pub install_link_mac: Option<String>,
    /// macOS (Apple silicon) installer.
    #[serde(default)]
    pub install_link_mac_arm: Option<String>,
    /// macOS downloader.
    #[serde(default)]
    pub install_link_mac_downloader: Option<String>,
    /// Linux installer.
    #[serde(default)]
    pub install_link_linux: Option<String>,
    /// Windows 32-bit full kit.
    #[serde(default)]
    pub full_kit_windows_x32: Option<String>,
    /// Windows 64-bit full kit.
    #[serde(default)]
    pub full_kit_windows_x64: Option<String>,
    /// Windows ARM64 full kit.
    #[serde(default)]
    pub full_kit_windows_arm64: Option<String>,
    /// Linux 32-bit full kit.
    #[serde(default)]
    pub full_kit_linux_x32: Option<String>,
    /// Linux 64-bit full kit.
    #[serde(default)]
    pub full_kit_linux_x64: Option<String>,
    /// Linux ARM64 full kit.
    #[serde(default)]
    pub full_kit_linux_arm64: Option<String>,
    /// Per-platform kit build state (`status.windows` …), when the reply carries it.
    #[serde(default)]
    pub status: Option<BTreeMap<String, KitState>>,
    /// Members this client does not model.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl InstallationLinks {
    /// The deployment id inside the Windows downloader link (between `[` and `]`), which the
    /// generic MSI takes as `GZ_PACKAGE_ID`.
    ///
    /// ```
    /// # use gravityzone_client::InstallationLinks;
    /// let links: InstallationLinks = serde_json::from_value(serde_json::json!({
    ///     "packageName": "p",
    ///     "installLinkWindows": "https://h/Packages/BSTWIN/0/setupdownloader_[aGVsbG8=].exe"
    /// })).unwrap();
    /// assert_eq!(links.windows_deployment_id(), Some("aGVsbG8="));
    /// ```
    pub fn windows_deployment_id(&self) -> Option<&str> {
        let link = self.install_link_windows.as_deref()?;
        let start = link.find('[')? + 1;
        let len = link.get(start..)?.find(']')?;
        link.get(start..start + len).filter(|id| !id.is_empty())
    }

    /// Whether the Windows kit is reported ready; `None` when the reply has no `status`.
    pub fn windows_kit_ready(&self) -> Option<bool> {
        self.status
            .as_ref()?
            .get("windows")
            .map(|state| *state == KitState::Ready)
    }
}

/// (De)serializes an optional [`Secret`] as a plain string on the wire.
mod secret_opt {
    use msp_transport::Secret;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(v: &Option<Secret>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(secret) => s.serialize_str(secret.expose_secret()),
            None => s.serialize_none(),
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Secret>, D::Error> {
        Ok(Option::<String>::deserialize(d)?.map(Secret::new))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn content_control_must_agree_with_the_modules_it_copies_to() {
        let bad = Modules::new()
            .with(ModuleKey::ContentControl, true)
            .with(ModuleKey::Antiphishing, false);
        assert!(bad.check_content_control().is_err());
        let good = Modules::new()
            .with(ModuleKey::ContentControl, true)
            .with(ModuleKey::Antiphishing, true);
        assert!(good.check_content_control().is_ok());
        assert!(Modules::edr_report_only().check_content_control().is_ok());
    }

    #[test]
    fn modules_read_booleans_and_integers_and_keep_unknown_keys() {
        let m: Modules =
            serde_json::from_value(json!({"firewall": true, "edrSensor": 0, "quantumShield": 1}))
                .unwrap();
        assert!(m.is_enabled(&ModuleKey::Firewall));
        assert_eq!(m.get(&ModuleKey::EdrSensor), Some(false));
        assert_eq!(m.unknown_keys().collect::<Vec<_>>(), ["quantumShield"]);
    }

    #[test]
    fn package_passwords_are_sent_but_never_printed() {
        let settings = PackageSettings {
            uninstall_password: Some(Secret::new("hunter2")),
            ..PackageSettings::default()
        };
        assert!(!format!("{settings:?}").contains("hunter2"));
        assert_eq!(
            serde_json::to_value(&settings).unwrap(),
            json!({"uninstallPassword": "hunter2"})
        );
    }

    #[test]
    fn roles_are_sent_as_integers() {
        assert_eq!(
            serde_json::to_value(PackageRoles::exchange(true)).unwrap(),
            json!({"exchange": 1})
        );
    }

    #[test]
    fn deployment_id_needs_both_brackets() {
        let links: InstallationLinks = serde_json::from_value(
            json!({"packageName": "p", "installLinkWindows": "https://h/setup_[abc.exe"}),
        )
        .unwrap();
        assert_eq!(links.windows_deployment_id(), None);
    }
}
