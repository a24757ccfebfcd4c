//! The truth of what the generator planted in an IT Glue account ([`PlantedMatches`]), so
//! engine tests can check what a sync finds.

use std::collections::BTreeMap;

/// How an organization's name differs from a site's name, as planted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum NameVariation {
    /// The organization has a legal suffix (`Ltd`, `GmbH`, …) the site lacks.
    LegalSuffixAdded,
    /// The site has a legal suffix the organization lacks.
    LegalSuffixDropped,
    /// Both have a legal suffix, a different one.
    LegalSuffixChanged,
    /// The site's ` & ` is ` and ` in the organization.
    AmpersandSpelledOut,
    /// The site's ` and ` is ` & ` in the organization.
    AndAsAmpersand,
    /// The site's location tail (` - Hamburg`, ` (Leeds)`, ` – HQ`) is not in the
    /// organization's name.
    LocationTailDropped,
    /// Two letters swapped, one dropped or one doubled: only a fuzzy match finds it.
    Typo,
    /// Upper or lower case throughout.
    CaseChanged,
    /// The site's name differs from its company's other sites in another way (a numbered
    /// duplicate such as `… 2`).
    OtherDifference,
}

/// What a planted configuration shares with its device.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum PlantedIdentifier {
    /// The primary MAC address (of a physical adapter) and a real serial number.
    MacAndSerial,
    /// Only the primary MAC address (the serial number is absent).
    Mac,
    /// Only a real serial number (in upper case; no MAC address).
    Serial,
    /// Only the name (the hostname): a suggestion, never an automatic match.
    Name,
}

/// A site's planted organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlantedOrganization {
    /// The organization's id in the fake.
    pub organization_id: u64,
    /// The organization's name.
    pub organization_name: String,
    /// The site's name.
    pub site_name: String,
    /// How the names differ (empty: identical).
    pub variations: Vec<NameVariation>,
}

impl PlantedOrganization {
    /// Whether only a fuzzy comparison can find this organization (the names differ by a
    /// typo or in an unexpected way).
    pub fn needs_fuzzy_match(&self) -> bool {
        self.variations
            .iter()
            .any(|v| matches!(v, NameVariation::Typo | NameVariation::OtherDifference))
    }
}

/// A device's planted configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlantedConfiguration {
    /// The configuration's id in the fake.
    pub configuration_id: u64,
    /// The organization that holds it.
    pub organization_id: u64,
    /// What it shares with the device.
    pub shares: PlantedIdentifier,
    /// Whether the configuration is archived.
    pub archived: bool,
}

/// Why a decoy configuration must match no device.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecoyReason {
    /// It shares only a BIOS placeholder serial (`To Be Filled By O.E.M.`) with this device.
    PlaceholderSerial {
        /// The device's uid.
        device_uid: String,
    },
    /// It shares only the MAC address of a virtual adapter (VPN, hypervisor) of this device,
    /// an address many machines have.
    VirtualAdapterMac {
        /// The device's uid.
        device_uid: String,
    },
    /// It stands for no device at all.
    DocumentationOnly,
}

/// A configuration that must match no device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlantedDecoy {
    /// The configuration's id in the fake.
    pub configuration_id: u64,
    /// The organization that holds it.
    pub organization_id: u64,
    /// Why it must not match.
    pub reason: DecoyReason,
}

/// Everything planted by [`ItGlueFake::plant_documentation`](super::ItGlueFake::plant_documentation).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PlantedMatches {
    /// The MSP's own organization (primary, type Owner).
    pub owner_organization: u64,
    /// Site uid → its organization and how the names differ (participating sites only:
    /// managed customer sites with at least one device).
    pub sites: BTreeMap<String, PlantedOrganization>,
    /// Participating sites that were given no organization.
    pub sites_without_organization: Vec<String>,
    /// Organizations that stand for no participating site.
    pub itglue_only_organizations: Vec<u64>,
    /// Device uid → its configuration and what they share.
    pub devices: BTreeMap<String, PlantedConfiguration>,
    /// Configurations that must match no device.
    pub decoys: Vec<PlantedDecoy>,
}

impl PlantedMatches {
    /// The devices whose configuration shares `what`.
    pub fn devices_sharing(&self, what: PlantedIdentifier) -> Vec<&str> {
        self.devices
            .iter()
            .filter(|(_, planted)| planted.shares == what)
            .map(|(uid, _)| uid.as_str())
            .collect()
    }
}
