//! A tenant's GravityZone sync settings: level, event handling, prefix and default package.

use serde::{Deserialize, Serialize};

use super::name::COMPANY_NAME_MAX_CHARS;

/// Longest prefix accepted by [`Settings::validate`], in characters: half of the vendor's
/// company-name limit, so a prefixed name always keeps room for the site's name.
pub const PREFIX_MAX_CHARS: usize = COMPANY_NAME_MAX_CHARS / 2;

/// Everything a tenant configures for the GravityZone inventory sync.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// How far the hourly inventory sync reaches.
    pub level: SyncLevel,
    /// Whether events are handled by the sync itself or left to a user.
    pub handling: EventHandling,
    /// The company-name prefix and where it is used.
    pub prefix: PrefixSettings,
    /// The installation package created for every newly associated company.
    pub package: DefaultPackage,
}

/// How far the hourly inventory sync reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SyncLevel {
    /// Watch the synchronized (associated) sites and companies and report events; never act.
    #[default]
    MonitorAndReportSynchronized,
    /// Watch the synchronized sites and companies; act on events when handling is automatic.
    MonitorAndHandleSynchronized,
    /// Watch the whole inventory minus exclusions: also match and create companies for
    /// unassociated managed sites.
    AutomaticInventorySync,
}

/// Who handles the events the sync raises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum EventHandling {
    /// The sync runs each event kind's automatic action, where the level allows it.
    Automatic,
    /// Events wait for a user's choice.
    #[default]
    Manual,
}

/// When a new company's name carries the prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PrefixCreation {
    /// New companies are named after the site, never prefixed.
    Never,
    /// New companies are always named `"<prefix> <site name>"`.
    Always,
    /// New companies are named after the site unless that name is already taken; then the
    /// prefixed name is used.
    #[default]
    OnlyIfNameExists,
}

/// The company-name prefix and where it applies.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PrefixSettings {
    /// The prefix text. Leading and trailing blanks are not part of it; a prefix that is blank
    /// counts as no prefix at all.
    pub text: String,
    /// When a new company's name carries the prefix.
    pub use_for_creation: PrefixCreation,
    /// Whether an unassociated site is also matched to a free company named
    /// `"<prefix> <site name>"`.
    pub use_for_association: bool,
}

/// The modules of the default installation package (antimalware is always included).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct PackageModules {
    /// Advanced Anti-Exploit.
    pub advanced_anti_exploit: bool,
    /// Advanced Threat Control.
    pub advanced_threat_control: bool,
    /// Device Control.
    pub device_control: bool,
    /// Firewall.
    pub firewall: bool,
    /// Content Control.
    pub content_control: bool,
    /// Network Attack Defense.
    pub network_attack_defense: bool,
    /// Power User.
    pub power_user: bool,
}

/// The add-ons of the default installation package.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct PackageAddOns {
    /// EDR sensor.
    pub edr_sensor: bool,
    /// Patch Management.
    pub patch_management: bool,
    /// Exchange Protection.
    pub exchange_protection: bool,
    /// Full Disk Encryption.
    pub full_disk_encryption: bool,
}

/// The installation package created for a company when a site is associated with it. Every
/// option is on by default; antimalware is always part of the package and cannot be turned off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct DefaultPackage {
    /// The protection modules.
    pub modules: PackageModules,
    /// The add-ons.
    pub add_ons: PackageAddOns,
    /// Whether the installer removes competing security products.
    pub remove_competitors: bool,
}

impl Default for DefaultPackage {
    fn default() -> Self {
        Self {
            modules: PackageModules::default(),
            add_ons: PackageAddOns::default(),
            remove_competitors: true,
        }
    }
}

impl DefaultPackage {
    /// Antimalware is part of every package: there is no setting to leave it out.
    pub const ANTIMALWARE: bool = true;

    /// A package with only antimalware: every module, add-on and option off.
    pub fn antimalware_only() -> Self {
        Self {
            modules: PackageModules::none(),
            add_ons: PackageAddOns::none(),
            remove_competitors: false,
        }
    }
}

impl PackageModules {
    /// Every module off.
    pub fn none() -> Self {
        Self {
            advanced_anti_exploit: false,
            advanced_threat_control: false,
            device_control: false,
            firewall: false,
            content_control: false,
            network_attack_defense: false,
            power_user: false,
        }
    }
}

impl Default for PackageModules {
    fn default() -> Self {
        Self {
            advanced_anti_exploit: true,
            advanced_threat_control: true,
            device_control: true,
            firewall: true,
            content_control: true,
            network_attack_defense: true,
            power_user: true,
        }
    }
}

impl PackageAddOns {
    /// Every add-on off.
    pub fn none() -> Self {
        Self {
            edr_sensor: false,
            patch_management: false,
            exchange_protection: false,
            full_disk_encryption: false,
        }
    }
}

impl Default for PackageAddOns {
    fn default() -> Self {
        Self {
            edr_sensor: true,
            patch_management: true,
            exchange_protection: true,
            full_disk_encryption: true,
        }
    }
}

/// Why [`Settings::validate`] refuses settings.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SettingsError {
    /// The prefix is to be used (for creation or association) but is blank.
    #[error("the prefix is used for company names but is empty")]
    PrefixRequired,
    /// The prefix leaves too little room for the site's name.
    #[error("the prefix has {chars} characters; at most {max} are allowed")]
    PrefixTooLong {
        /// The prefix's length in characters, blanks around it not counted.
        chars: usize,
        /// [`PREFIX_MAX_CHARS`].
        max: usize,
    },
    /// The prefix contains a control character (line break, tab, …).
    #[error("the prefix contains a control character")]
    PrefixHasControlCharacter,
}

impl Settings {
    /// Checks settings a user is about to save. The planner copes with any settings (a blank
    /// prefix counts as no prefix), so this only guards the settings page against choices that
    /// cannot work as the user means them.
    pub fn validate(&self) -> Result<(), SettingsError> {
        self.prefix.validate()
    }

    /// Whether the sync runs automatic actions: only at a level that handles events, and only
    /// when handling is automatic.
    pub fn acts_automatically(&self) -> bool {
        self.level.handles_events() && self.handling == EventHandling::Automatic
    }
}

impl SyncLevel {
    /// Whether this level may act on events at all (it still needs automatic handling).
    pub fn handles_events(self) -> bool {
        match self {
            SyncLevel::MonitorAndReportSynchronized => false,
            SyncLevel::MonitorAndHandleSynchronized | SyncLevel::AutomaticInventorySync => true,
        }
    }

    /// Whether this level looks beyond the synchronized entities, at unassociated managed sites
    /// (association missing, prefix-based association missing, destination creation).
    pub fn watches_unassociated_sites(self) -> bool {
        matches!(self, SyncLevel::AutomaticInventorySync)
    }
}

impl PrefixSettings {
    /// The prefix without surrounding blanks, or `None` when it is blank.
    pub fn prefix(&self) -> Option<&str> {
        let trimmed = self.text.trim();
        (!trimmed.is_empty()).then_some(trimmed)
    }

    /// Checks the prefix a user is about to save.
    pub fn validate(&self) -> Result<(), SettingsError> {
        let Some(prefix) = self.prefix() else {
            let used = self.use_for_association || self.use_for_creation == PrefixCreation::Always;
            return if used {
                Err(SettingsError::PrefixRequired)
            } else {
                Ok(())
            };
        };
        if prefix.chars().any(char::is_control) {
            return Err(SettingsError::PrefixHasControlCharacter);
        }
        let chars = prefix.chars().count();
        if chars > PREFIX_MAX_CHARS {
            return Err(SettingsError::PrefixTooLong {
                chars,
                max: PREFIX_MAX_CHARS,
            });
        }
        Ok(())
    }
}
