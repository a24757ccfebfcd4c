//! A tenant's GravityZone settings in the words a person types and reads: the choices of each
//! setting by name, a [`SettingsChange`] that changes only what it names, and the settings as
//! lines of text.

use sync_core::gravityzone::{DefaultPackage, EventHandling, PrefixCreation, Settings, SyncLevel};

use crate::lookup::same_written_name;

/// The synchronization levels by name: `monitor-and-report`, `monitor-and-handle`,
/// `automatic`.
pub const SYNC_LEVELS: [(&str, SyncLevel); 3] = [
    (
        "monitor-and-report",
        SyncLevel::MonitorAndReportSynchronized,
    ),
    (
        "monitor-and-handle",
        SyncLevel::MonitorAndHandleSynchronized,
    ),
    ("automatic", SyncLevel::AutomaticInventorySync),
];

/// The event handling modes by name: `automatic`, `manual`.
pub const EVENT_HANDLINGS: [(&str, EventHandling); 2] = [
    ("automatic", EventHandling::Automatic),
    ("manual", EventHandling::Manual),
];

/// When new companies get the prefix, by name: `never`, `always`, `only-if-name-exists`.
pub const PREFIX_CREATIONS: [(&str, PrefixCreation); 3] = [
    ("never", PrefixCreation::Never),
    ("always", PrefixCreation::Always),
    ("only-if-name-exists", PrefixCreation::OnlyIfNameExists),
];

/// The value of `choices` named `name` (in `sync-core`'s name rules: any case, blanks
/// around aside).
///
/// ```
/// use sync_core::gravityzone::SyncLevel;
/// use sync_engine::gravityzone::{SYNC_LEVELS, choice};
///
/// assert_eq!(choice(&SYNC_LEVELS, " Automatic "), Some(SyncLevel::AutomaticInventorySync));
/// assert_eq!(choice(&SYNC_LEVELS, "sideways"), None);
/// ```
pub fn choice<T: Copy>(choices: &[(&str, T)], name: &str) -> Option<T> {
    choices
        .iter()
        .find(|(word, _)| same_written_name(word, name))
        .map(|(_, value)| *value)
}

/// The name of `value` among `choices`.
pub fn choice_name<T: PartialEq>(choices: &[(&'static str, T)], value: &T) -> &'static str {
    choices
        .iter()
        .find(|(_, v)| v == value)
        .map_or("?", |(word, _)| word)
}

/// A module or add-on of the default installation package (antimalware is always on).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PackageModule {
    /// Advanced Anti-Exploit.
    AdvancedAntiExploit,
    /// Advanced Threat Control.
    AdvancedThreatControl,
    /// Device Control.
    DeviceControl,
    /// Firewall.
    Firewall,
    /// Content Control.
    ContentControl,
    /// Network Attack Defense.
    NetworkAttackDefense,
    /// Power User.
    PowerUser,
    /// EDR sensor (add-on).
    EdrSensor,
    /// Patch Management (add-on).
    PatchManagement,
    /// Exchange Protection (add-on).
    ExchangeProtection,
    /// Full Disk Encryption (add-on).
    FullDiskEncryption,
}

/// Every module and add-on by name: `advanced-anti-exploit`, …, `full-disk-encryption`.
pub const PACKAGE_MODULES: [(&str, PackageModule); 11] = [
    ("advanced-anti-exploit", PackageModule::AdvancedAntiExploit),
    (
        "advanced-threat-control",
        PackageModule::AdvancedThreatControl,
    ),
    ("device-control", PackageModule::DeviceControl),
    ("firewall", PackageModule::Firewall),
    ("content-control", PackageModule::ContentControl),
    (
        "network-attack-defense",
        PackageModule::NetworkAttackDefense,
    ),
    ("power-user", PackageModule::PowerUser),
    ("edr-sensor", PackageModule::EdrSensor),
    ("patch-management", PackageModule::PatchManagement),
    ("exchange-protection", PackageModule::ExchangeProtection),
    ("full-disk-encryption", PackageModule::FullDiskEncryption),
];

impl PackageModule {
    /// Whether it is an add-on (else a protection module).
    pub fn is_add_on(self) -> bool {
        matches!(
            self,
            Self::EdrSensor
                | Self::PatchManagement
                | Self::ExchangeProtection
                | Self::FullDiskEncryption
        )
    }

    /// Its switch in `package`.
    pub fn switch(self, package: &mut DefaultPackage) -> &mut bool {
        let (m, a) = (&mut package.modules, &mut package.add_ons);
        match self {
            Self::AdvancedAntiExploit => &mut m.advanced_anti_exploit,
            Self::AdvancedThreatControl => &mut m.advanced_threat_control,
            Self::DeviceControl => &mut m.device_control,
            Self::Firewall => &mut m.firewall,
            Self::ContentControl => &mut m.content_control,
            Self::NetworkAttackDefense => &mut m.network_attack_defense,
            Self::PowerUser => &mut m.power_user,
            Self::EdrSensor => &mut a.edr_sensor,
            Self::PatchManagement => &mut a.patch_management,
            Self::ExchangeProtection => &mut a.exchange_protection,
            Self::FullDiskEncryption => &mut a.full_disk_encryption,
        }
    }
}

/// A change of some of a tenant's settings: what is `None` (or empty) stays as it is.
///
/// ```
/// use sync_core::gravityzone::{Settings, SyncLevel};
/// use sync_engine::gravityzone::{PackageModule, SettingsChange};
///
/// let mut change = SettingsChange::default();
/// change.level = Some(SyncLevel::AutomaticInventorySync);
/// change.disable.push(PackageModule::Firewall);
/// let changed = change.apply(Settings::default());
/// assert_eq!(changed.level, SyncLevel::AutomaticInventorySync);
/// assert!(!changed.package.modules.firewall);
/// assert_eq!(changed.handling, Settings::default().handling);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SettingsChange {
    /// The synchronization level.
    pub level: Option<SyncLevel>,
    /// How events are handled.
    pub handling: Option<EventHandling>,
    /// The prefix text.
    pub prefix: Option<String>,
    /// When new companies get the prefix.
    pub prefix_creation: Option<PrefixCreation>,
    /// Whether a free company named `"<prefix> <site name>"` is associated.
    pub prefix_association: Option<bool>,
    /// Modules or add-ons to turn on.
    pub enable: Vec<PackageModule>,
    /// Modules or add-ons to turn off (after `enable`).
    pub disable: Vec<PackageModule>,
    /// Whether the package removes competitors' products.
    pub remove_competitors: Option<bool>,
}

impl SettingsChange {
    /// `settings` with this change.
    pub fn apply(&self, mut settings: Settings) -> Settings {
        if let Some(level) = self.level {
            settings.level = level;
        }
        if let Some(handling) = self.handling {
            settings.handling = handling;
        }
        if let Some(prefix) = &self.prefix {
            settings.prefix.text.clone_from(prefix);
        }
        if let Some(creation) = self.prefix_creation {
            settings.prefix.use_for_creation = creation;
        }
        if let Some(association) = self.prefix_association {
            settings.prefix.use_for_association = association;
        }
        for module in &self.enable {
            *module.switch(&mut settings.package) = true;
        }
        for module in &self.disable {
            *module.switch(&mut settings.package) = false;
        }
        if let Some(remove) = self.remove_competitors {
            settings.package.remove_competitors = remove;
        }
        settings
    }
}

/// The settings as `(label, value)` lines, in the words [`SettingsChange`] takes.
pub fn settings_lines(settings: &Settings) -> Vec<(&'static str, String)> {
    let mut package = settings.package;
    let on = |add_ons: bool, package: &mut DefaultPackage| -> Vec<&str> {
        PACKAGE_MODULES
            .iter()
            .filter(|(_, m)| m.is_add_on() == add_ons && *m.switch(package))
            .map(|(word, _)| *word)
            .collect()
    };
    let mut modules = vec!["antimalware"];
    modules.extend(on(false, &mut package));
    let add_ons = on(true, &mut package);
    let text = &settings.prefix.text;
    vec![
        (
            "level",
            choice_name(&SYNC_LEVELS, &settings.level).to_owned(),
        ),
        (
            "event handling",
            choice_name(&EVENT_HANDLINGS, &settings.handling).to_owned(),
        ),
        (
            "prefix",
            if text.is_empty() {
                "(none)".to_owned()
            } else {
                format!("{text:?}")
            },
        ),
        (
            "prefix for creation",
            choice_name(&PREFIX_CREATIONS, &settings.prefix.use_for_creation).to_owned(),
        ),
        (
            "prefix for matching",
            settings.prefix.use_for_association.to_string(),
        ),
        ("package modules", modules.join(", ")),
        (
            "package add-ons",
            if add_ons.is_empty() {
                "(none)".to_owned()
            } else {
                add_ons.join(", ")
            },
        ),
        (
            "remove competitors",
            settings.package.remove_competitors.to_string(),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_choice_reads_back_by_its_name() {
        for (word, level) in SYNC_LEVELS {
            assert_eq!(choice(&SYNC_LEVELS, &word.to_uppercase()), Some(level));
            assert_eq!(choice_name(&SYNC_LEVELS, &level), word);
        }
        for (word, module) in PACKAGE_MODULES {
            assert_eq!(choice(&PACKAGE_MODULES, word), Some(module));
        }
        assert_eq!(
            choice(&PREFIX_CREATIONS, "only-if-name-exists"),
            Some(PrefixCreation::OnlyIfNameExists)
        );
        assert_eq!(choice(&EVENT_HANDLINGS, ""), None);
    }

    #[test]
    fn every_module_has_its_own_switch() {
        for (word, module) in PACKAGE_MODULES {
            let change = SettingsChange {
                disable: vec![module],
                ..SettingsChange::default()
            };
            let changed = change.apply(Settings::default());
            let lines = settings_lines(&changed);
            let listed = |label: &str| lines.iter().find(|(l, _)| *l == label).unwrap().1.clone();
            let where_ = if module.is_add_on() {
                "package add-ons"
            } else {
                "package modules"
            };
            assert!(!listed(where_).contains(word), "{word}");
            let others = PACKAGE_MODULES.iter().filter(|(_, m)| *m != module).count();
            let on = PACKAGE_MODULES
                .iter()
                .filter(|(_, m)| *m.switch(&mut { changed.package }))
                .count();
            assert_eq!(on, others, "{word}");
        }
    }

    #[test]
    fn the_settings_read_as_lines() {
        let mut change = SettingsChange {
            prefix: Some("MSP".into()),
            prefix_creation: Some(PrefixCreation::Always),
            enable: vec![PackageModule::Firewall],
            ..SettingsChange::default()
        };
        change.disable.extend([
            PackageModule::EdrSensor,
            PackageModule::PatchManagement,
            PackageModule::ExchangeProtection,
            PackageModule::FullDiskEncryption,
        ]);
        let lines = settings_lines(&change.apply(Settings::default()));
        let get = |label: &str| lines.iter().find(|(l, _)| *l == label).unwrap().1.as_str();
        assert_eq!(get("prefix"), "\"MSP\"");
        assert_eq!(get("prefix for creation"), "always");
        assert_eq!(get("package add-ons"), "(none)");
        assert!(get("package modules").starts_with("antimalware, advanced-anti-exploit"));
    }
}
