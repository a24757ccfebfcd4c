//! Settings: defaults, validation, the level rules and the stored JSON form.

use sync_core::gravityzone::{
    DefaultPackage, EventHandling, PrefixCreation, PrefixSettings, Settings, SettingsError,
    SyncLevel,
};

#[test]
fn the_default_package_has_every_module_add_on_and_option_on() {
    let package = DefaultPackage::default();
    let m = package.modules;
    assert!(
        m.advanced_anti_exploit
            && m.advanced_threat_control
            && m.device_control
            && m.firewall
            && m.content_control
            && m.network_attack_defense
            && m.power_user
    );
    let a = package.add_ons;
    assert!(a.edr_sensor && a.patch_management && a.exchange_protection && a.full_disk_encryption);
    assert!(package.remove_competitors);
    const { assert!(DefaultPackage::ANTIMALWARE) };
}

#[test]
fn default_settings_only_report_and_wait_for_users() {
    let settings = Settings::default();
    assert_eq!(settings.level, SyncLevel::MonitorAndReportSynchronized);
    assert_eq!(settings.handling, EventHandling::Manual);
    assert!(!settings.acts_automatically());
    assert_eq!(settings.validate(), Ok(()));
}

#[test]
fn only_a_handling_level_with_automatic_handling_acts() {
    let cases = [
        (
            SyncLevel::MonitorAndReportSynchronized,
            EventHandling::Automatic,
            false,
        ),
        (
            SyncLevel::MonitorAndReportSynchronized,
            EventHandling::Manual,
            false,
        ),
        (
            SyncLevel::MonitorAndHandleSynchronized,
            EventHandling::Automatic,
            true,
        ),
        (
            SyncLevel::MonitorAndHandleSynchronized,
            EventHandling::Manual,
            false,
        ),
        (
            SyncLevel::AutomaticInventorySync,
            EventHandling::Automatic,
            true,
        ),
        (
            SyncLevel::AutomaticInventorySync,
            EventHandling::Manual,
            false,
        ),
    ];
    for (level, handling, acts) in cases {
        let settings = Settings {
            level,
            handling,
            ..Settings::default()
        };
        assert_eq!(
            settings.acts_automatically(),
            acts,
            "{level:?} {handling:?}"
        );
    }
}

#[test]
fn only_the_automatic_level_watches_unassociated_sites() {
    assert!(!SyncLevel::MonitorAndReportSynchronized.watches_unassociated_sites());
    assert!(!SyncLevel::MonitorAndHandleSynchronized.watches_unassociated_sites());
    assert!(SyncLevel::AutomaticInventorySync.watches_unassociated_sites());
}

fn prefix(text: &str, creation: PrefixCreation, association: bool) -> PrefixSettings {
    PrefixSettings {
        text: text.into(),
        use_for_creation: creation,
        use_for_association: association,
    }
}

#[test]
fn a_blank_prefix_is_no_prefix() {
    assert_eq!(prefix("   ", PrefixCreation::Never, false).prefix(), None);
    assert_eq!(
        prefix(" MSP ", PrefixCreation::Never, false).prefix(),
        Some("MSP")
    );
}

#[test]
fn a_prefix_that_is_used_must_not_be_blank() {
    assert_eq!(
        prefix(" ", PrefixCreation::Always, false).validate(),
        Err(SettingsError::PrefixRequired)
    );
    assert_eq!(
        prefix("", PrefixCreation::Never, true).validate(),
        Err(SettingsError::PrefixRequired)
    );
    assert_eq!(prefix("", PrefixCreation::Never, false).validate(), Ok(()));
    assert_eq!(
        prefix("", PrefixCreation::OnlyIfNameExists, false).validate(),
        Ok(())
    );
}

#[test]
fn a_prefix_longer_than_half_the_name_limit_is_refused() {
    let long = "p".repeat(33);
    assert_eq!(
        prefix(&long, PrefixCreation::Always, false).validate(),
        Err(SettingsError::PrefixTooLong { chars: 33, max: 32 })
    );
    assert_eq!(
        prefix(&"p".repeat(32), PrefixCreation::Always, false).validate(),
        Ok(())
    );
}

#[test]
fn a_prefix_with_a_line_break_is_refused() {
    assert_eq!(
        prefix("MS\nP", PrefixCreation::Always, false).validate(),
        Err(SettingsError::PrefixHasControlCharacter)
    );
}

#[test]
fn settings_round_trip_through_json_and_missing_fields_take_defaults() {
    let settings = Settings {
        level: SyncLevel::AutomaticInventorySync,
        handling: EventHandling::Automatic,
        prefix: prefix("MSP", PrefixCreation::Always, true),
        package: DefaultPackage::antimalware_only(),
    };
    let json = serde_json::to_string(&settings).unwrap();
    assert_eq!(serde_json::from_str::<Settings>(&json).unwrap(), settings);
    let partial: Settings =
        serde_json::from_str(r#"{"level":"automatic_inventory_sync"}"#).unwrap();
    assert_eq!(partial.level, SyncLevel::AutomaticInventorySync);
    assert_eq!(partial.package, DefaultPackage::default());
}
