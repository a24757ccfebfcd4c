//! A realistic IT Glue documentation account for a [`GeneratedMsp`], and the truth of what was
//! planted in it ([`PlantedMatches`]) so engine tests can check what a sync finds.
//!
//! For most client companies with a managed site that has devices there is an organization whose
//! name is a variant of the site's name: identical, a legal suffix added, dropped or changed,
//! `&` written `and` (or the reverse), the site's location tail dropped, a typo, another case.
//! Some participating sites get no organization. Organizations that exist only in IT Glue sit
//! beside them: the MSP's own (primary, type Owner), vendors, former clients, clients whose
//! sites do not take part. In every planted organization a share of the devices has a
//! configuration sharing the primary MAC address and the serial number, only the MAC address,
//! only the serial number, or only the name; decoys share only a placeholder serial, a virtual
//! adapter's MAC address, or nothing at all.

use std::collections::BTreeSet;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::state::{Account, NamedKind};
use crate::msp::{DeviceClass, GeneratedMsp, MspDevice, MspSite, SiteKind};

use super::planted::*;

const LEGAL_SUFFIXES: &[&str] = &[
    "GmbH & Co. KG",
    "Pty Ltd",
    "Limited",
    "Corp.",
    "Inc.",
    "LLC",
    "LLP",
    "Ltd.",
    "Ltd",
    "GmbH",
    "B.V.",
    "S.A.",
    "S.r.l.",
    "PLC",
    "SAS",
    "e.K.",
    "AG",
    "Co.",
    "Oy",
    "AB",
];

const PLACEHOLDER_SERIALS: &[&str] = &[
    "to be filled by o.e.m.",
    "system serial number",
    "default string",
    "0",
    "123456789",
    "0123456789",
    "not specified",
    "none",
    "",
];

const VENDORS: &[&str] = &[
    "Dell Technologies",
    "Microsoft Corporation",
    "Ubiquiti Inc.",
    "Comcast Business",
    "Datto, Inc.",
];

const FORMER_CLIENTS: &[&str] = &[
    "Former Client Holdings",
    "Blue Harbor Ventures Ltd",
    "Quillfeather & Associates",
    "Old Mill Bakery",
    "Kestrel Point Marina LLC",
    "Ashgrove Veterinary Clinic",
    "Ironbridge Consulting GmbH",
    "Northgate Property, Sales & Lettings",
    "Saffron Lane Pharmacy",
    "Westerly Freight B.V.",
];

/// A name split into its stem, its legal suffix and its location tail.
#[derive(Debug, Clone, PartialEq, Eq)]
struct NameParts {
    stem: String,
    suffix: Option<String>,
    tail: Option<String>,
}

impl NameParts {
    fn parse(name: &str) -> NameParts {
        let (rest, tail) = split_tail(name.trim());
        let (stem, suffix) = split_suffix(rest);
        NameParts {
            stem: stem.to_owned(),
            suffix: suffix.map(str::to_owned),
            tail: tail.map(str::to_owned),
        }
    }

    fn join(&self) -> String {
        let mut name = self.stem.clone();
        if let Some(suffix) = &self.suffix {
            name.push(' ');
            name.push_str(suffix);
        }
        if let Some(tail) = &self.tail {
            name.push_str(tail);
        }
        name
    }
}

/// Splits a location tail (` - X`, ` – X`, ` (X)`) off a name; the tail keeps its separator.
fn split_tail(name: &str) -> (&str, Option<&str>) {
    for separator in [" - ", " – "] {
        if let Some(at) = name.rfind(separator) {
            return (&name[..at], Some(&name[at..]));
        }
    }
    if name.ends_with(')')
        && let Some(at) = name.rfind(" (")
    {
        return (&name[..at], Some(&name[at..]));
    }
    (name, None)
}

/// Splits a trailing legal suffix off a name.
fn split_suffix(name: &str) -> (&str, Option<&str>) {
    for suffix in LEGAL_SUFFIXES {
        if let Some(stem) = name.strip_suffix(suffix)
            && let Some(stem) = stem.strip_suffix(' ')
            && !stem.trim().is_empty()
        {
            return (stem, Some(&name[stem.len() + 1..]));
        }
    }
    (name, None)
}

fn is_placeholder_serial(serial: &str) -> bool {
    PLACEHOLDER_SERIALS.contains(&serial.trim().to_lowercase().as_str())
}

/// `00-1a-2b-3c-4d-5e`, `001A2B3C4D5E`, `001a.2b3c.4d5e` → `00:1A:2B:3C:4D:5E`.
fn canonical_mac(mac: &str) -> Option<String> {
    let hex: String = mac
        .chars()
        .filter(char::is_ascii_hexdigit)
        .collect::<String>()
        .to_uppercase();
    if hex.len() != 12 {
        return None;
    }
    let pairs: Vec<&str> = (0..6).filter_map(|i| hex.get(i * 2..i * 2 + 2)).collect();
    Some(pairs.join(":"))
}

struct Planter<'a> {
    rng: ChaCha8Rng,
    account: &'a mut Account,
    msp: &'a GeneratedMsp,
    planted: PlantedMatches,
}

impl Planter<'_> {
    fn chance(&mut self, p: f64) -> bool {
        self.rng.random_bool(p)
    }

    fn pick<'s>(&mut self, items: &[&'s str]) -> &'s str {
        items
            .get(self.rng.random_range(0..items.len().max(1)))
            .copied()
            .unwrap_or_default()
    }

    fn add_organization(&mut self, name: &str, kind: &str) -> u64 {
        let mut org = self.account.new_organization(name);
        org.organization_type_id = self.account.named_id(NamedKind::OrganizationType, kind);
        let id = org.id;
        self.account.organizations.insert(id, org);
        id
    }

    /// A typo in the longest word: two letters swapped, one dropped or one doubled.
    fn typo(&mut self, name: &str) -> Option<String> {
        let words: Vec<&str> = name.split(' ').collect();
        let (index, word) = words
            .iter()
            .enumerate()
            .filter(|(_, w)| w.chars().count() >= 5 && w.chars().all(char::is_alphabetic))
            .max_by_key(|(_, w)| w.chars().count())?;
        let mut letters: Vec<char> = word.chars().collect();
        let at = self.rng.random_range(1..letters.len() - 2);
        match self.rng.random_range(0..3) {
            0 if letters.get(at) != letters.get(at + 1) => letters.swap(at, at + 1),
            1 => {
                letters.remove(at);
            }
            _ => {
                let doubled = letters.get(at).copied()?;
                letters.insert(at, doubled);
            }
        }
        let typo: String = letters.into_iter().collect();
        if typo == *word {
            return None;
        }
        let mut out: Vec<String> = words.iter().map(|w| (*w).to_owned()).collect();
        if let Some(slot) = out.get_mut(index) {
            *slot = typo;
        }
        Some(out.join(" "))
    }

    /// The organization name for a site stem: the stem with chosen variations applied.
    fn vary(&mut self, base: &NameParts) -> (String, Vec<NameVariation>) {
        let mut parts = base.clone();
        let mut variations = Vec::new();
        let roll = self.rng.random_range(0..100);
        let suffix_variation = |planter: &mut Self, parts: &mut NameParts| match &parts.suffix {
            Some(suffix) if planter.chance(0.5) => {
                let other = LEGAL_SUFFIXES
                    .iter()
                    .copied()
                    .filter(|s| !s.eq_ignore_ascii_case(suffix))
                    .nth(planter.rng.random_range(0..LEGAL_SUFFIXES.len() - 1));
                parts.suffix = other.map(str::to_owned);
                NameVariation::LegalSuffixChanged
            }
            Some(_) => {
                parts.suffix = None;
                NameVariation::LegalSuffixDropped
            }
            None => {
                parts.suffix = Some(
                    planter
                        .pick(&["Ltd", "Inc.", "LLC", "GmbH", "B.V."])
                        .to_owned(),
                );
                NameVariation::LegalSuffixAdded
            }
        };
        match roll {
            0..40 => {}
            40..52 => variations.push(suffix_variation(self, &mut parts)),
            52..62 if parts.stem.contains(" & ") => {
                parts.stem = parts.stem.replacen(" & ", " and ", 1);
                variations.push(NameVariation::AmpersandSpelledOut);
            }
            52..62 if parts.stem.contains(" and ") => {
                parts.stem = parts.stem.replacen(" and ", " & ", 1);
                variations.push(NameVariation::AndAsAmpersand);
            }
            74..88 => match self.typo(&parts.stem) {
                Some(typo) => {
                    parts.stem = typo;
                    variations.push(NameVariation::Typo);
                }
                None => variations.push(suffix_variation(self, &mut parts)),
            },
            88..95 => {
                let joined = parts.join();
                let changed = if self.chance(0.5) {
                    joined.to_uppercase()
                } else {
                    joined.to_lowercase()
                };
                if changed != joined {
                    return (changed, vec![NameVariation::CaseChanged]);
                }
            }
            95..100 => {
                variations.push(suffix_variation(self, &mut parts));
                if parts.stem.contains(" & ") {
                    parts.stem = parts.stem.replacen(" & ", " and ", 1);
                    variations.push(NameVariation::AmpersandSpelledOut);
                }
            }
            _ => variations.push(suffix_variation(self, &mut parts)),
        }
        (parts.join(), variations)
    }

    /// Plants an organization for a company's participating sites (or none), and its
    /// configurations.
    fn plant_company(&mut self, sites: &[&MspSite]) {
        let Some(first) = sites.first() else {
            return;
        };
        if self.chance(0.12) {
            self.planted
                .sites_without_organization
                .extend(sites.iter().map(|s| s.uid.clone()));
            return;
        }
        let first_parts = NameParts::parse(&first.name);
        let multi_site = sites.len() > 1;
        let drop_tail = first_parts.tail.is_some() && (multi_site || self.chance(0.5));
        let mut base = first_parts.clone();
        if drop_tail {
            base.tail = None;
        }
        let (name, mut variations) = self.vary(&base);
        if drop_tail {
            variations.push(NameVariation::LocationTailDropped);
        }
        let organization_id = self.add_organization(&name, "Customer");
        for site in sites {
            let mut site_variations = variations.clone();
            let parts = NameParts::parse(&site.name);
            if !parts.stem.eq_ignore_ascii_case(&first_parts.stem)
                || parts.suffix != first_parts.suffix
            {
                site_variations.push(NameVariation::OtherDifference);
            }
            if drop_tail && parts.tail.is_none() {
                site_variations.retain(|v| *v != NameVariation::LocationTailDropped);
            }
            if !drop_tail && parts.tail != first_parts.tail {
                site_variations.push(NameVariation::OtherDifference);
            }
            site_variations.sort();
            site_variations.dedup();
            self.planted.sites.insert(
                site.uid.clone(),
                PlantedOrganization {
                    organization_id,
                    organization_name: name.clone(),
                    site_name: site.name.clone(),
                    variations: site_variations,
                },
            );
            let msp = self.msp;
            for device in msp.devices_of(site) {
                self.plant_device(organization_id, device);
            }
        }
        if self.chance(0.3) {
            let n = self.rng.random_range(1..1000);
            let id = self.add_configuration(organization_id, &format!("DOC-ONLY-{n:03}"), None);
            if let Some(configuration) = self.account.configurations.get_mut(&id) {
                configuration.serial_number = Some(format!(
                    "ITG{:08}",
                    self.rng.random_range(0..100_000_000u32)
                ));
            }
            self.planted.decoys.push(PlantedDecoy {
                configuration_id: id,
                organization_id,
                reason: DecoyReason::DocumentationOnly,
            });
        }
    }

    fn add_configuration(
        &mut self,
        organization: u64,
        name: &str,
        device: Option<&MspDevice>,
    ) -> u64 {
        let type_name = match device.map(|d| (d.device_class, d.category.as_str())) {
            Some((DeviceClass::Printer, _)) => "Printer",
            Some((DeviceClass::NetworkDevice, _)) => "Network Device",
            Some((DeviceClass::EsxiHost, _)) | Some((_, "Server")) => "Managed Server",
            Some((_, "Laptop")) => "Laptop",
            _ => "Managed Workstation",
        };
        let type_id = self
            .account
            .named_id(NamedKind::ConfigurationType, type_name)
            .unwrap_or_default();
        let mut configuration = self.account.new_configuration(organization, name, type_id);
        configuration.configuration_status_id = self
            .account
            .named_id(NamedKind::ConfigurationStatus, "Active");
        if let Some(device) = device {
            configuration.hostname = Some(device.hostname.clone());
            configuration.operating_system_notes = Some(device.operating_system.clone());
        }
        let id = configuration.id;
        self.account.configurations.insert(id, configuration);
        id
    }

    fn plant_device(&mut self, organization_id: u64, device: &MspDevice) {
        let mac = device
            .nics
            .iter()
            .filter(|nic| !nic.is_virtual)
            .find_map(|nic| canonical_mac(&nic.mac_address));
        let serial = device
            .serial_number
            .as_deref()
            .filter(|serial| !is_placeholder_serial(serial))
            .map(str::to_uppercase);
        let roll = self.rng.random_range(0..100);
        let shares = match (roll, &mac, &serial) {
            (0..15, Some(_), Some(_)) => Some(PlantedIdentifier::MacAndSerial),
            (0..35, Some(_), _) => Some(PlantedIdentifier::Mac),
            (35..55, _, Some(_)) => Some(PlantedIdentifier::Serial),
            (55..65, _, _) => Some(PlantedIdentifier::Name),
            _ => None,
        };
        let Some(shares) = shares else {
            self.plant_decoy(organization_id, device);
            return;
        };
        let name = match shares {
            PlantedIdentifier::Name => device.hostname.clone(),
            _ if self.chance(0.5) => device.hostname.clone(),
            _ => format!("ASSET-{:05}", device.index),
        };
        let id = self.add_configuration(organization_id, &name, Some(device));
        let archived = self.chance(0.05);
        if let Some(configuration) = self.account.configurations.get_mut(&id) {
            if matches!(
                shares,
                PlantedIdentifier::MacAndSerial | PlantedIdentifier::Mac
            ) {
                configuration.mac_address.clone_from(&mac);
                configuration.primary_ip = Some(device.int_ip_address.clone());
            }
            if matches!(
                shares,
                PlantedIdentifier::MacAndSerial | PlantedIdentifier::Serial
            ) {
                configuration.serial_number.clone_from(&serial);
            }
            if shares == PlantedIdentifier::Name {
                // The BIOS placeholder, when the device reports one: it must not make a match.
                configuration.serial_number = device
                    .serial_number
                    .clone()
                    .filter(|serial| is_placeholder_serial(serial));
            }
            configuration.archived = archived;
        }
        self.account.sync_primary_interface(id);
        self.planted.devices.insert(
            device.uid.clone(),
            PlantedConfiguration {
                configuration_id: id,
                organization_id,
                shares,
                archived,
            },
        );
    }

    /// For some unplanted devices: a configuration that shares only something that must not
    /// match (a placeholder serial, a shared virtual adapter's MAC).
    fn plant_decoy(&mut self, organization_id: u64, device: &MspDevice) {
        if !self.chance(0.25) {
            return;
        }
        let placeholder = device
            .serial_number
            .as_deref()
            .filter(|serial| is_placeholder_serial(serial) && !serial.trim().is_empty());
        // A VPN or loopback adapter's address is shared by many machines. A Hyper-V host's
        // virtual switch address is its own: a configuration holding it (written by an earlier
        // tool) is that host's, so it is no decoy.
        let virtual_mac = device
            .nics
            .iter()
            .filter(|nic| nic.is_virtual)
            .filter_map(|nic| canonical_mac(&nic.mac_address))
            .find(|mac| !mac.starts_with("00:15:5D"));
        let n = self.rng.random_range(0..10_000);
        let (serial, mac, reason) = match (placeholder, virtual_mac) {
            (Some(serial), _) => (
                Some(serial.to_owned()),
                None,
                DecoyReason::PlaceholderSerial {
                    device_uid: device.uid.clone(),
                },
            ),
            (None, Some(mac)) => (
                None,
                Some(mac),
                DecoyReason::VirtualAdapterMac {
                    device_uid: device.uid.clone(),
                },
            ),
            (None, None) => return,
        };
        let id = self.add_configuration(organization_id, &format!("OLD-PC-{n:04}"), None);
        if let Some(configuration) = self.account.configurations.get_mut(&id) {
            configuration.serial_number = serial;
            configuration.mac_address = mac;
        }
        self.account.sync_primary_interface(id);
        self.planted.decoys.push(PlantedDecoy {
            configuration_id: id,
            organization_id,
            reason,
        });
    }

    /// Organizations of no participating site: the MSP itself, vendors, former clients,
    /// clients whose sites do not take part.
    fn plant_itglue_only(&mut self, quiet_companies: &[usize]) {
        let msp = self.msp;
        let taken: BTreeSet<String> = msp
            .sites
            .iter()
            .map(|s| s.name.to_lowercase())
            .chain(msp.companies.iter().map(|c| c.name.to_lowercase()))
            .collect();
        for vendor in VENDORS {
            if !taken.contains(&vendor.to_lowercase()) {
                let id = self.add_organization(vendor, "Vendor");
                self.planted.itglue_only_organizations.push(id);
            }
        }
        let former = 2 + msp.companies.len() / 10;
        for name in FORMER_CLIENTS.iter().take(former) {
            if taken.contains(&name.to_lowercase()) {
                continue;
            }
            let id = self.add_organization(name, "Customer");
            if self.chance(0.5) {
                let inactive = self
                    .account
                    .named_id(NamedKind::OrganizationStatus, "Inactive");
                if let Some(org) = self.account.organizations.get_mut(&id) {
                    org.organization_status_id = inactive;
                }
            }
            self.planted.itglue_only_organizations.push(id);
        }
        for &company in quiet_companies {
            let Some(company) = msp.companies.get(company) else {
                continue;
            };
            if self.chance(0.5) {
                let id = self.add_organization(&company.name, "Customer");
                self.planted.itglue_only_organizations.push(id);
            }
        }
    }
}

/// Plants a documentation account for `msp` into `account` (see the module documentation).
/// Deterministic: the same MSP and seed plant the same names and matches.
pub(crate) fn plant(account: &mut Account, msp: &GeneratedMsp, seed: u64) -> PlantedMatches {
    let mut planter = Planter {
        rng: ChaCha8Rng::seed_from_u64(seed ^ msp.seed.rotate_left(32)),
        account,
        msp,
        planted: PlantedMatches::default(),
    };
    let owner = planter.add_organization(&msp.account.name, "Owner");
    if let Some(org) = planter.account.organizations.get_mut(&owner) {
        org.primary = true;
    }
    planter.planted.owner_organization = owner;
    let mut quiet_companies = Vec::new();
    for company in &msp.companies {
        let participating: Vec<&MspSite> = msp
            .sites
            .iter()
            .filter(|s| {
                s.company == Some(company.index)
                    && s.kind == SiteKind::Customer
                    && !s.devices.is_empty()
            })
            .collect();
        if participating.is_empty() {
            quiet_companies.push(company.index);
        } else {
            planter.plant_company(&participating);
        }
    }
    planter.plant_itglue_only(&quiet_companies);
    planter.planted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_into_stem_suffix_and_tail() {
        assert_eq!(
            NameParts::parse("Northwind Logistics GmbH - Hamburg"),
            NameParts {
                stem: "Northwind Logistics".into(),
                suffix: Some("GmbH".into()),
                tail: Some(" - Hamburg".into()),
            }
        );
        assert_eq!(
            NameParts::parse("Smith & Jones (Leeds)").tail.as_deref(),
            Some(" (Leeds)")
        );
        assert_eq!(
            NameParts::parse("Weber GmbH & Co. KG").suffix.as_deref(),
            Some("GmbH & Co. KG")
        );
        let plain = NameParts::parse("Happy Frog");
        assert_eq!((plain.suffix, plain.tail), (None, None));
        assert_eq!(NameParts::parse("Acme Ltd - HQ").join(), "Acme Ltd - HQ");
    }

    #[test]
    fn macs_are_written_upper_case_with_colons() {
        assert_eq!(
            canonical_mac("00-1a-2b-3c-4d-5e").as_deref(),
            Some("00:1A:2B:3C:4D:5E")
        );
        assert_eq!(
            canonical_mac("001a.2b3c.4d5e").as_deref(),
            Some("00:1A:2B:3C:4D:5E")
        );
        assert_eq!(canonical_mac("00:1A"), None);
    }

    #[test]
    fn placeholder_serials_are_recognised() {
        assert!(is_placeholder_serial("To Be Filled By O.E.M."));
        assert!(is_placeholder_serial(" System Serial Number "));
        assert!(!is_placeholder_serial("C03R3LT7THV8"));
    }
}
