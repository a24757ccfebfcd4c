//! Changing some of a tenant's IT Glue settings in one call (read, change, validate and save
//! against the version read, so a concurrent change is not lost), and the settings in words.

use sync_core::itglue::GroupingMode;
use sync_store::{ItGlueSettings, NameAlias};

use super::error::ItGlueError;
use super::flow::ItGlueFlow;
use super::scope::Actor;
use super::settings::default_tenant_settings;

/// A change to some of a tenant's settings; what it leaves empty stays as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SettingsChange {
    /// How sites form groups.
    pub grouping: Option<GroupingMode>,
    /// Serial numbers to add to the tenant's placeholders.
    pub add_placeholder_serials: Vec<String>,
    /// Serial numbers to take off the tenant's placeholders.
    pub remove_placeholder_serials: Vec<String>,
    /// MAC addresses to add to the tenant's shared ones.
    pub add_shared_macs: Vec<String>,
    /// MAC addresses to take off the tenant's shared ones.
    pub remove_shared_macs: Vec<String>,
    /// Name aliases to add.
    pub add_aliases: Vec<NameAlias>,
    /// The most organizations or configurations one action creates.
    pub create_cap: Option<u32>,
    /// Minutes between two routine syncs.
    pub sync_interval_minutes: Option<u32>,
}

/// Adds what is missing, after taking off what is to go.
fn edit(list: &mut Vec<String>, add: &[String], remove: &[String]) {
    list.retain(|item| !remove.contains(item));
    for item in add {
        if !list.contains(item) {
            list.push(item.clone());
        }
    }
}

impl SettingsChange {
    /// `settings` with the change made.
    pub fn applied_to(&self, mut settings: ItGlueSettings) -> ItGlueSettings {
        if let Some(grouping) = self.grouping {
            settings.grouping = grouping;
        }
        let policy = &mut settings.identifiers;
        let (add, remove) = (
            &self.add_placeholder_serials,
            &self.remove_placeholder_serials,
        );
        edit(&mut policy.placeholder_serials, add, remove);
        let (add, remove) = (&self.add_shared_macs, &self.remove_shared_macs);
        edit(&mut policy.shared_mac_addresses, add, remove);
        for alias in &self.add_aliases {
            if !settings.aliases.contains(alias) {
                settings.aliases.push(alias.clone());
            }
        }
        if let Some(cap) = self.create_cap {
            settings.create_cap = cap;
        }
        if let Some(minutes) = self.sync_interval_minutes {
            settings.sync_interval_minutes = minutes;
        }
        settings
    }
}

/// The groupings as a person types them (`settings set --grouping autotask-company`).
///
/// ```
/// use sync_core::itglue::GroupingMode;
/// use sync_engine::itglue::GROUPINGS;
///
/// assert_eq!(GROUPINGS[1], ("autotask-company", GroupingMode::AutotaskCompany));
/// ```
pub const GROUPINGS: [(&str, GroupingMode); 2] = [
    ("site", GroupingMode::Site),
    ("autotask-company", GroupingMode::AutotaskCompany),
];

/// Reads `NAME=OTHER NAME` as an alias (blanks around either name aside).
pub fn parse_alias(text: &str) -> Result<NameAlias, String> {
    match text.split_once('=') {
        Some((name, other)) if !name.trim().is_empty() && !other.trim().is_empty() => {
            Ok(NameAlias {
                name: name.trim().to_owned(),
                same_as: other.trim().to_owned(),
            })
        }
        _ => Err(format!("{text:?} is not NAME=OTHER NAME")),
    }
}

/// The settings as a person reads them, one line each.
pub fn settings_lines(settings: &ItGlueSettings) -> Vec<String> {
    let list = |items: &[String]| match items {
        [] => "(none)".to_owned(),
        _ => items
            .iter()
            .map(|i| format!("{i:?}"))
            .collect::<Vec<_>>()
            .join(", "),
    };
    let grouping = match settings.grouping {
        GroupingMode::AutotaskCompany => "by Autotask company",
        _ => "each site",
    };
    let aliases: Vec<String> = (settings.aliases.iter())
        .map(|a| format!("{} = {}", a.name, a.same_as))
        .collect();
    let aliases = if aliases.is_empty() {
        "(none)".to_owned()
    } else {
        aliases.join("; ")
    };
    let policy = &settings.identifiers;
    vec![
        format!("groups:               {grouping}"),
        format!(
            "placeholder serials:  {} (besides the built-in ones)",
            list(&policy.placeholder_serials)
        ),
        format!(
            "shared MAC addresses: {} (besides the built-in ones)",
            list(&policy.shared_mac_addresses)
        ),
        format!("aliases:              {aliases}"),
        format!("create cap:           {} per action", settings.create_cap),
        format!(
            "sync interval:        every {} minutes (the worker's routine sync)",
            settings.sync_interval_minutes
        ),
    ]
}

impl ItGlueFlow {
    /// Changes some of the tenant's settings and returns them as saved, in one call: the
    /// settings read and the save share the store's version, so a change saved meanwhile by
    /// someone else makes this one fail instead of being overwritten. Refused like
    /// [`update_settings`](Self::update_settings).
    pub async fn change_settings(
        &self,
        actor: &Actor,
        change: &SettingsChange,
    ) -> Result<ItGlueSettings, ItGlueError> {
        actor.require_administrator("changing the IT Glue settings")?;
        let state = self.store.state(&self.tenant).await?;
        let current = (state.itglue.settings.clone()).unwrap_or_else(default_tenant_settings);
        let changed = change.applied_to(current);
        self.save_settings(state.version, changed.clone()).await?;
        Ok(changed)
    }
}
